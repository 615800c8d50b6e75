"""The contract classes, assembled: :class:`ContractSuite` and the ids of its tests."""

from __future__ import annotations

from .suite.test_composition import CompositionContract
from .suite.test_container import ContainerContract, LifecycleContract
from .suite.test_date_lookups import DatePartLookupContract
from .suite.test_delete import ClearContract, DeleteContract
from .suite.test_find import FindContract, QueryReadContract
from .suite.test_get import GetContract, GetManyContract
from .suite.test_get_or_create import GetOrCreateContract
from .suite.test_keys import KeyContract
from .suite.test_large import LargeDocumentContract
from .suite.test_list_lookups import ListLookupContract
from .suite.test_lookups import ComparisonLookupContract, EqualityLookupContract
from .suite.test_nested import NestedLookupContract
from .suite.test_ordering import OrderingContract
from .suite.test_query_writes import QueryDeleteContract, QueryUpdateContract
from .suite.test_save import SaveContract, SaveManyContract
from .suite.test_slicing import SlicingContract
from .suite.test_target import TargetContract
from .suite.test_text_lookups import RegexLookupContract, StringLookupContract
from .suite.test_unicode import UnicodeContract
from .suite.test_value_types import ValueTypeContract
from .suite.test_values import DistinctValuesContract

__all__ = ["CONTRACT_CLASSES", "ContractSuite", "contract_test_ids"]

class ContractSuite(
    TargetContract,
    SaveContract,
    SaveManyContract,
    GetContract,
    GetManyContract,
    GetOrCreateContract,
    DeleteContract,
    ClearContract,
    ContainerContract,
    LifecycleContract,
    FindContract,
    QueryReadContract,
    CompositionContract,
    EqualityLookupContract,
    ComparisonLookupContract,
    StringLookupContract,
    RegexLookupContract,
    ListLookupContract,
    DatePartLookupContract,
    NestedLookupContract,
    OrderingContract,
    SlicingContract,
    DistinctValuesContract,
    QueryDeleteContract,
    QueryUpdateContract,
    ValueTypeContract,
    UnicodeContract,
    LargeDocumentContract,
    KeyContract,
):
    """Every contract test in one class: subclass it as ``Test...`` and override
    ``storage_factory`` (see :mod:`doqu.contract`). Test names are unique across the suite, so
    no feature class hides another's tests."""


#: every contract class, one per feature, in the order the suite runs them.
CONTRACT_CLASSES: tuple[type, ...] = ContractSuite.__bases__


def contract_test_ids() -> list[str]:
    """Every contract test's id, ``"ClassName::test_name"``, as ``KnownGap.test`` takes it."""
    return [
        f"{cls.__name__}::{name}"
        for cls in CONTRACT_CLASSES
        for name in vars(cls)
        if name.startswith("test")
    ]
