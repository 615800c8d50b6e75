"""The one-walk check of plain records counts as the limits do and gives up on the rest."""

from __future__ import annotations

import datetime
import decimal
import enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doqu import Capabilities
from doqu._limits import _size
from doqu._plain import NotPlain, plain_size
from doqu._records import check_record
from doqu.errors import DoquError

CAPABILITIES = Capabilities(decimal_values=True, bytes_values=True)


def _deep(levels: int) -> dict[str, Any]:
    record: dict[str, Any] = {"v": 1}
    for _ in range(levels - 1):
        record = {"a": record}
    return record


def _cyclic() -> dict[str, Any]:
    record: dict[str, Any] = {"name": "loop"}
    record["self"] = record
    return record


PLAIN: dict[str, dict[str, Any]] = {
    "scalars": {"s": "x", "i": -5, "f": 1.5, "b": True, "n": None},
    "non-ascii": {"name": "Zoë", "city": "Zürich ✓"},
    "dates": {"when": datetime.datetime(2024, 1, 2, 3, 4)},
    "declared": {"price": decimal.Decimal("1.5"), "blob": b"\x00\x01"},
    "long-list": {"l": list(range(123)), "t": ["a", "bé", None, 2.0, False]},
    "records-in-lists": {"people": [{"name": "Ann", "_id": 1}, {"tags": ["x"]}]},
    "nested-key-field": {"a": {"_id": "inner"}},
    "100-levels": _deep(100),
}

NOT_PLAIN: dict[str, dict[str, Any]] = {
    "dollar-name": {"$set": 1},
    "dotted-name": {"a.b": 1},
    "top-key-field": {"_id": 1},
    "int-name": {1: "one"},
    "aware-datetime": {"t": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},
    "nan": {"f": float("nan")},
    "big-int": {"i": 2**63},
    "int-subclass": {"b": True, "i": enum.IntEnum("E", "A").A},
    "tuple": {"t": (1, 2)},
    "list-in-list": {"l": [[1]]},
    "surrogate-value": {"s": "a\ud800"},
    "surrogate-in-list": {"l": ["\udfff"]},
    "undeclared-type": {"d": datetime.date(2024, 1, 1)},
    "cyclic": _cyclic(),
    "101-levels": _deep(101),
}


@pytest.mark.parametrize("record", PLAIN.values(), ids=PLAIN)
def test_a_plain_record_is_counted_as_the_limits_count_it(record: dict[str, Any]) -> None:
    check_record(record, CAPABILITIES)  # names seen once by the full check, as in use
    assert plain_size(record, CAPABILITIES) == _size(record, "", 0, set())


@pytest.mark.parametrize("record", NOT_PLAIN.values(), ids=NOT_PLAIN)
def test_anything_else_goes_to_the_full_checks(record: dict[str, Any]) -> None:
    with pytest.raises(NotPlain):
        plain_size(record, CAPABILITIES)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.datetimes(),
    st.binary(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False),
)
_NAMES = st.text(st.characters(blacklist_characters="$.\x00"), min_size=1, max_size=8).filter(
    lambda name: name != "_id"
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=12) | st.dictionaries(_NAMES, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_NAMES, _VALUES, max_size=6))
def test_any_record_the_one_walk_accepts_is_counted_as_the_limits_count_it(
    record: dict[str, Any],
) -> None:
    # the one walk is a second count of the same sizes: it must never drift from the limits'
    try:
        check_record(record, CAPABILITIES)
    except DoquError:
        return  # refused by the full checks (a list in a list, say): nothing to compare
    try:
        size = plain_size(record, CAPABILITIES)
    except NotPlain:
        return
    assert size == _size(record, "", 0, set())
