"""The entries of a unique index and their canonical text: equal exactly for values doqu's
``equals`` finds equal, so a SQL backend's side table keeps them unique."""

from __future__ import annotations

import decimal

import pytest

from doqu.backend import entry_text, unique_entries


def test_entries_unwind_lists_and_fill_missing_fields_with_none() -> None:
    entries = unique_entries({"a": [1, 2], "c": 3}, ("a", "b"))
    assert list(entries.values()) == [(1, None), (2, None)]
    assert unique_entries({"c": 3}, ("a", "b")) == {}


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (1, 1.0, True),
        (1, decimal.Decimal("1.00"), True),
        (0.0, -0.0, True),
        (float("inf"), decimal.Decimal("Infinity"), True),
        (2**53 + 1, float(2**53), False),
        (True, 1, False),
        ("1", 1, False),
        (b"ab", "ab", False),
        ({"a": 1}, {"a": 1.0}, True),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # MongoDB: documents keep their order
        ({"l": [1, [2]]}, {"l": [1.0, [2.0]]}, True),
        (float("nan"), decimal.Decimal("nan"), True),
    ],
)
def test_entry_text_is_equal_exactly_for_equal_values(
    left: object, right: object, same: bool
) -> None:
    (left_key,) = unique_entries({"v": left}, ("v",))
    (right_key,) = unique_entries({"v": right}, ("v",))
    assert (left_key == right_key) is same  # doqu's equality
    assert (entry_text(left_key) == entry_text(right_key)) is same
