"""The quirks mongomock and the real server declare are what keeps the contract green: with one
taken away, the contract fails.

A storage here declares every quirk of its server but one. Where the randomized differential
test reaches the quirk at its default example count, it fails; for every quirk, the
``QuirkContract`` test named for it fails, and passes again with the quirk declared.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from doqu import Capabilities, Quirk
from doqu.contract.suite.test_differential import (
    agrees_on_fields_and_records,
    agrees_through_lists,
)
from doqu.contract.suite.test_quirks import QuirkContract
from doqu_mongodb import MongoStorage

#: the ``QuirkContract`` test that checks each quirk's rule
QUIRK_TESTS = {
    Quirk.BOOL_EQUALS_NUMBER: "test_quirk_true_is_not_one",
    Quirk.LIST_EQUALITY_SPLIT_BY_LOOKUP: (
        "test_quirk_a_list_matches_an_equal_list_and_an_element_list"
    ),
    Quirk.PATH_THROUGH_A_SCALAR_IS_NOT_MISSING: "test_quirk_a_path_through_a_scalar_is_missing",
    Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS: (
        "test_quirk_order_by_a_list_uses_its_smallest_or_largest_element"
    ),
    Quirk.ORDER_THROUGH_A_LIST_IS_THE_SERVERS: "test_quirk_order_through_a_list_of_records_by_name",
    Quirk.NAN_IS_A_PYTHON_FLOAT: "test_quirk_nan_equals_nan_and_is_not_less_than_a_number",
    Quirk.SUBDOCUMENT_EQUALITY_IGNORES_KEY_ORDER: (
        "test_quirk_subdocument_equality_is_key_order_sensitive"
    ),
    Quirk.CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD: (
        "test_quirk_contains_all_none_matches_a_missing_field"
    ),
    Quirk.NUMBERED_PATH_REGEX_ENTERS_A_NESTED_LIST: (
        "test_quirk_numbered_path_regex_inside_a_nested_list"
    ),
    Quirk.NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL: "test_quirk_null_through_a_list_of_records",
    Quirk.CONTAINS_ALL_THROUGH_A_LIST_IN_ONE_ELEMENT: (
        "test_quirk_contains_all_through_a_list_of_records"
    ),
    Quirk.NE_THROUGH_A_LIST_NEEDS_ONE_DIFFERENT_ELEMENT: (
        "test_quirk_ne_through_a_list_of_records_needs_every_element_to_differ"
    ),
    Quirk.SUBDOCUMENT_THROUGH_A_LIST_MATCHES_NOTHING: (
        "test_quirk_equals_a_whole_subdocument_through_a_list"
    ),
    Quirk.NUMBERED_PATH_READS_ONLY_THAT_ELEMENT: (
        "test_quirk_a_numbered_path_also_names_a_field_of_each_record"
    ),
}

#: the quirks the differential finds undeclared on mongomock in its default 60 examples (which
#: ones depends on the strategies: order_by_a_list_compares_whole_lists needs 120 examples since
#: the space grew, so its QuirkContract test alone pins it at the default)
DIFFERENTIAL_CATCHES = [
    (Quirk.BOOL_EQUALS_NUMBER, agrees_on_fields_and_records),
    (Quirk.CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD, agrees_through_lists),
]


def _undeclaring(quirk: Quirk | None) -> type[MongoStorage]:
    class Undeclaring(MongoStorage):
        """Declares its server's quirks but ``quirk``."""

        @property  # type: ignore[override]
        def capabilities(self) -> Capabilities:
            declared = self.server.capabilities
            return declared.replace(quirks=declared.quirks - {quirk})

    return Undeclaring


@pytest.fixture
def make(location: tuple[str, str | None]) -> Iterator[Callable[[Quirk | None], MongoStorage]]:
    """Makes a storage on a fresh collection declaring every quirk of its server but one."""
    made: list[MongoStorage] = []
    url, database = location

    def build(quirk: Quirk | None) -> MongoStorage:
        name = f"q_{uuid.uuid4().hex}"
        storage = _undeclaring(quirk)(url, database=database, collection=name)
        made.append(storage)
        return storage

    yield build
    for storage in made:
        storage.collection.drop()
        storage.close()


def test_every_quirk_has_a_quirk_contract_test() -> None:
    assert set(QUIRK_TESTS) == set(Quirk)
    assert all(hasattr(QuirkContract, name) for name in QUIRK_TESTS.values())


@pytest.mark.parametrize("target", ["mongomock"])
@pytest.mark.parametrize(("quirk", "differential"), DIFFERENTIAL_CATCHES)
def test_the_differential_fails_on_a_quirk_mongomock_does_not_declare(
    quirk: Quirk,
    differential: Callable[[MongoStorage], None],
    make: Callable[[Quirk | None], MongoStorage],
) -> None:
    assert quirk in make(None).capabilities.quirks
    with pytest.raises(AssertionError):
        differential(make(quirk))


def test_each_declared_quirk_is_what_its_quirk_contract_test_needs(
    target: str, make: Callable[[Quirk | None], MongoStorage]
) -> None:
    quirks = sorted(make(None).capabilities.quirks)
    assert len(quirks) >= {"mongomock": 9, "mongodb": 6}[target]
    failed: list[Quirk] = []
    for quirk in quirks:
        check: Callable[[MongoStorage], Any] = getattr(QuirkContract(), QUIRK_TESTS[quirk])
        check(make(None))  # declared: the rule holds
        try:
            check(make(quirk))
        except AssertionError:
            failed.append(quirk)
    assert failed == quirks
