"""``doqu.copy()`` between every pair of installed test targets loses nothing.

For each ordered pair of available targets (a backend to itself too), records holding every
value type both declare (the round-trip contract's ``sample_record`` and a few more) are saved
into the first, copied into the second, and from there into a memory storage; every record is
compared, key by key, at both steps. A backend a plugin adds joins through its test target.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest

import doqu
from doqu import Capabilities
from doqu._copy import target_key
from doqu._discovery import contract_targets
from doqu.contract import Target
from doqu.contract.suite.test_round_trip import EDGE_INTS, sample_record
from doqu.contract.suite.test_value_types import same
from doqu.memory import MemoryStorage

TARGETS = [target for target in contract_targets() if target.unavailable is None]
PAIRS = list(product(TARGETS, repeat=2))


def common(first: Capabilities, second: Capabilities) -> Capabilities:
    """What both backends declare: the data a copy between them must carry."""
    return Capabilities(
        **{name: getattr(first, name) and getattr(second, name) for name in Capabilities.names()}
    )


def dataset(capabilities: Capabilities) -> dict[str, dict[str, Any]]:
    """Records under str keys that every backend with ``capabilities`` holds."""
    records = {"all": sample_record(capabilities), "empty": {}}
    for number, value in enumerate(EDGE_INTS):
        records[f"int-{number}"] = {"n": value, "list": [value, {"n": value}], "s": str(value)}
    records["unicode 🔑/$x"] = {"name": "Åsa", "nested": {"deep": {"deeper": [1, "x", None]}}}
    return records


#: a test runs once for each ordered pair of test targets
over_pairs = pytest.mark.parametrize(
    ("source_target", "target_target"),
    PAIRS,
    ids=[f"{source.name}->{target.name}" for source, target in PAIRS],
)


@pytest.fixture
def storages() -> Iterator[list[doqu.StorageAdapter]]:
    made: list[doqu.StorageAdapter] = []
    yield made
    for storage in made:
        storage.close()


@over_pairs
def test_copy_between_targets_keeps_every_record(
    source_target: Target, target_target: Target, storages: list[doqu.StorageAdapter]
) -> None:
    source, target = source_target.factory(), target_target.factory()
    storages.extend([source, target])
    records = dataset(common(source.capabilities, target.capabilities))
    source.save_many(_Keyed(record, key) for key, record in records.items())
    assert doqu.copy(source, target) == len(records)
    memory = MemoryStorage()
    assert doqu.copy(target, memory) == len(records)
    for copy in (target, memory):
        assert sorted(copy) == sorted(records)
        for key, record in records.items():
            assert same(copy.get(dict, key), record), (copy, key)


class _Keyed:
    """A record and its key, as ``save_many`` takes one."""

    def __init__(self, record: dict[str, Any], key: str) -> None:
        self.record, self.pk = record, key

    @classmethod
    def from_record(cls, record: dict[str, Any], key: Any) -> _Keyed:
        return cls(record, key)

    def to_record(self) -> dict[str, Any]:
        return dict(self.record)


@over_pairs
def test_verify_copy_between_targets_maps_generated_keys(
    source_target: Target, target_target: Target, storages: list[doqu.StorageAdapter]
) -> None:
    # generated keys (ObjectIds on MongoDB) reach a target of str keys as their string form:
    # verify_copy follows them there and back
    source, target = source_target.factory(), target_target.factory()
    storages.extend([source, target])
    keys = source.save_many({"n": n} for n in range(5))
    assert doqu.copy(source, target) == 5
    assert doqu.verify_copy(source, target, batch_size=2).same
    target.delete(target_key(source, target, keys[1]))
    target.save({"n": 99}, "extra")
    verification = doqu.verify_copy(source, target, batch_size=2)
    assert (verification.missing, verification.changed, verification.extra) == (1, 0, 1)
    assert set(verification.examples) == {("missing", keys[1]), ("extra", "extra")}
