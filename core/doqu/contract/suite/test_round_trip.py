"""What a backend returns, it and any other backend accept back, unchanged.

Every record read (as a ``dict``, or through a ``Document`` view) is saved again under its key
and into a memory storage; both read back equal to what was first written, with the same types
(``same``: an ``int`` may come back as an ``int`` subclass, bson's ``Int64``, which core stores
as a plain ``int`` on the next save). A hypothesis property draws records whose ints cross
2**31 and reach 2**63 - 1, with nested lists and records and every value type the backend
declares; strings hold no NUL (what a NUL does is the bad-input contract's business).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ... import Document, Field
from ..._capabilities import Capabilities
from ..._records import Record
from ..._storage import StorageAdapter
from ...memory import MemoryStorage
from .._fixtures import Oracle, StorageFixtures
from .test_differential import examples
from .test_value_types import BASE_VALUES, same

__all__ = ["RoundTripContract", "sample_record"]

#: ints at and across the widths drivers switch types at (int32, double's 2**53, int64)
EDGE_INTS = [2**31 - 1, 2**31, -(2**31) - 1, 2**32, 2**53 + 1, 2**63 - 1, -(2**63), 1700000000000]
NAMES = st.sampled_from(["a", "b", "é", "with space"])  # not Bag's fields


def sample_record(capabilities: Capabilities) -> Record:
    """One record holding every value type ``capabilities`` declares, ints of every width."""
    record: Record = {name.replace("-", "_"): value for name, value in BASE_VALUES.items()}
    record["ints"] = list(EDGE_INTS)
    record["deep"] = {"big": 2**40, "items": [{"n": 2**62}, {"n": -(2**33)}], "when": 2**31}
    if capabilities.date_values:
        record["date"] = date(2024, 2, 29)
    if capabilities.decimal_values:
        record["decimal"] = Decimal("12345678901234567890.125")
    if capabilities.bytes_values:
        record["bytes"] = b"\x00\xff binary"
    if capabilities.uuid_values:
        record["uuid"] = uuid.UUID(int=2**127 + 5)
    if capabilities.nested_lists:
        record["grid"] = [[1, 2**40], [], [[2**63 - 1]]]
    if capabilities.datetime_microseconds:
        record["micros"] = datetime(2024, 1, 1, 0, 0, 0, 123456)
    return record


def _datetimes(capabilities: Capabilities) -> st.SearchStrategy[datetime]:
    found = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31))
    if capabilities.datetime_microseconds:
        return found
    return found.map(lambda when: when.replace(microsecond=when.microsecond // 1000 * 1000))


def scalars(capabilities: Capabilities) -> st.SearchStrategy[Any]:
    """Every scalar type ``capabilities`` declares."""
    kinds: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.sampled_from(EDGE_INTS),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(
            st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=6
        ),
        _datetimes(capabilities),
    ]
    if capabilities.date_values:
        kinds.append(st.dates())
    if capabilities.decimal_values:
        kinds.append(st.decimals(-(10**12), 10**12, allow_nan=False, places=6))
    if capabilities.bytes_values:
        kinds.append(st.binary(max_size=6))
    if capabilities.uuid_values:
        kinds.append(st.uuids())
    return st.one_of(kinds)


def records(capabilities: Capabilities) -> st.SearchStrategy[Record]:
    """Records of nested lists and records over :func:`scalars`."""

    def nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        items = children
        if not capabilities.nested_lists:
            items = children.filter(lambda value: not isinstance(value, list))
        return st.lists(items, max_size=3) | st.dictionaries(NAMES, children, max_size=3)

    values = st.recursive(scalars(capabilities), nest, max_leaves=8)
    subs = st.lists(st.fixed_dictionaries({"n": st.sampled_from(EDGE_INTS)}), max_size=2)
    return st.dictionaries(NAMES, values, max_size=5) | st.fixed_dictionaries(
        {"big": st.sampled_from(EDGE_INTS), "subs": subs}
    )


class Sub(Document):
    """A nested document with an int field."""

    n = Field(int)


class Bag(Document):
    """A document declaring an int and a list of documents, viewing fields it does not declare."""

    big = Field(int)
    subs = Field(list[Sub])


def read_back(storage: StorageAdapter, key: Any, record: Record, copy: StorageAdapter) -> None:
    """``record``, saved under ``key``, reads back; saved again here and into ``copy``, too."""
    first = storage.get(dict, key)
    assert same(first, record)
    storage.save(first, key)
    assert same(storage.get(dict, key), record)
    copy.save(storage.get(dict, key), key)
    assert same(copy.get(dict, key), record)
    document = storage.get(Bag, key)
    storage.save(document)
    assert same(storage.get(dict, key), record)
    copy.save(storage.get(Bag, key))
    assert same(copy.get(dict, key), record)


_keys = count()


@examples
@given(data=st.data())
def generated_records_read_back(storage: StorageAdapter, data: st.DataObject) -> None:
    """A random record read back through every path :func:`read_back` takes."""
    record = data.draw(records(storage.capabilities), label="record")
    key = f"r{next(_keys)}"
    storage.save(record, key)
    read_back(storage, key, record, MemoryStorage())


class RoundTripContract(StorageFixtures):
    """Records read from the backend are accepted back by it and by any other backend."""

    def test_round_trip_of_every_value_type(self, storage: StorageAdapter) -> None:
        record = sample_record(storage.capabilities)
        storage.save(record, "all")
        read_back(storage, "all", record, MemoryStorage())

    def test_round_trip_of_query_results(self, storage: StorageAdapter, raw: Oracle) -> None:
        record = sample_record(storage.capabilities)
        raw.put("a", record)
        raw.put("b", {"big": 2**31, "subs": [{"n": 2**63 - 1}]})
        copy = MemoryStorage()
        for key, found in storage.find().items():
            storage.save(found, key)
            copy.save(found, key)
        for document in storage.find(Bag):
            document.save(storage)
            copy.save(document)
        assert same(raw.get("a"), record)
        assert same(copy.get(dict, "a"), record)
        assert same(copy.get(dict, "b"), {"big": 2**31, "subs": [{"n": 2**63 - 1}]})

    def test_round_trip_of_generated_records(self, storage: StorageAdapter) -> None:
        generated_records_read_back(storage)
