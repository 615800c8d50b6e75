"""The contract classes, assembled: :class:`ContractSuite` and the ids of its tests."""

from __future__ import annotations

from ._requirements import declared_capabilities, is_randomized
from .suite.test_bad_input import BadQueryInputContract, BadWriteInputContract
from .suite.test_composition import CompositionContract
from .suite.test_concurrency import ConcurrencyContract
from .suite.test_container import ContainerContract, LifecycleContract
from .suite.test_corners import CornerContract
from .suite.test_date_lookups import DatePartLookupContract
from .suite.test_delete import ClearContract, DeleteContract
from .suite.test_differential import DifferentialContract
from .suite.test_documents import DocumentContract
from .suite.test_durability import DurabilityContract
from .suite.test_find import FindContract, QueryReadContract
from .suite.test_get import GetContract, GetManyContract
from .suite.test_get_or_create import GetOrCreateContract
from .suite.test_hostile_input import HostileInputContract
from .suite.test_hostile_queries import HostileQueryContract
from .suite.test_indexes import IndexContract
from .suite.test_injection import InjectionContract
from .suite.test_insert import CopyIntoContract, InsertRecordsContract
from .suite.test_keys import KeyContract
from .suite.test_large import LargeDocumentContract
from .suite.test_list_lookups import ListLookupContract
from .suite.test_lookups import ComparisonLookupContract, EqualityLookupContract
from .suite.test_nested import NestedLookupContract
from .suite.test_ordering import OrderingContract
from .suite.test_query_writes import QueryDeleteContract, QueryUpdateContract
from .suite.test_quirks import QuirkContract
from .suite.test_round_trip import RoundTripContract
from .suite.test_save import PartialWriteContract, SaveContract, SaveManyContract
from .suite.test_slicing import SlicingContract
from .suite.test_target import TargetContract
from .suite.test_text_lookups import RegexLookupContract, StringLookupContract
from .suite.test_unicode import UnicodeContract
from .suite.test_urls import URLContract
from .suite.test_value_types import ValueTypeContract
from .suite.test_values import DistinctValuesContract
from .suite.test_views import DocumentViewContract

__all__ = [
    "CONTRACT_CLASSES",
    "ContractSuite",
    "contract_item_count",
    "contract_requirements",
    "contract_test_ids",
    "randomized_test_ids",
]


class ContractSuite(
    URLContract,
    CopyIntoContract,
    InsertRecordsContract,
    DocumentViewContract,
    DurabilityContract,
    RoundTripContract,
    DifferentialContract,
    QuirkContract,
    CornerContract,
    ConcurrencyContract,
    HostileQueryContract,
    HostileInputContract,
    BadQueryInputContract,
    BadWriteInputContract,
    InjectionContract,
    IndexContract,
    DocumentContract,
    KeyContract,
    LargeDocumentContract,
    UnicodeContract,
    ValueTypeContract,
    QueryUpdateContract,
    QueryDeleteContract,
    DistinctValuesContract,
    SlicingContract,
    OrderingContract,
    NestedLookupContract,
    DatePartLookupContract,
    ListLookupContract,
    RegexLookupContract,
    StringLookupContract,
    ComparisonLookupContract,
    EqualityLookupContract,
    CompositionContract,
    QueryReadContract,
    FindContract,
    LifecycleContract,
    ContainerContract,
    ClearContract,
    DeleteContract,
    GetOrCreateContract,
    GetManyContract,
    GetContract,
    PartialWriteContract,
    SaveManyContract,
    SaveContract,
    TargetContract,
):
    """Every contract test in one class: subclass it as ``Test...`` and override
    ``storage_factory`` (see :mod:`doqu.contract`). Test names are unique across the suite, so
    no feature class hides another's tests."""


#: every contract class, one per feature, in the order the suite runs them (pytest runs
#: inherited tests in reverse MRO order, so ContractSuite lists its bases last to first).
CONTRACT_CLASSES: tuple[type, ...] = tuple(reversed(ContractSuite.__bases__))


def contract_test_ids() -> list[str]:
    """Every contract test's id, ``"ClassName::test_name"``, as ``KnownGap.test`` takes it."""
    return [test for test, _ in contract_requirements()]


def randomized_test_ids() -> list[str]:
    """The ids of the randomized contract tests, which no ``KnownGap`` may cover."""
    return [
        f"{cls.__name__}::{name}"
        for cls in CONTRACT_CLASSES
        for name, test in vars(cls).items()
        if name.startswith("test") and is_randomized(test)
    ]


def contract_item_count() -> int:
    """How many items a run of the whole suite reports: one per case of a parametrised test."""
    total = 0
    for cls in CONTRACT_CLASSES:
        for name, test in vars(cls).items():
            if name.startswith("test"):
                cases = 1
                for mark in getattr(test, "pytestmark", ()):
                    if mark.name == "parametrize":
                        cases *= len(mark.args[1])
                total += cases
    return total


def contract_requirements() -> list[tuple[str, tuple[str, ...]]]:
    """Every contract test's id with the capabilities it requires, as ``doqu check --list``
    shows them."""
    return [
        (f"{cls.__name__}::{name}", declared_capabilities(cls, name))
        for cls in CONTRACT_CLASSES
        for name in vars(cls)
        if name.startswith("test")
    ]
