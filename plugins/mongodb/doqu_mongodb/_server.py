"""Which server a client talks to, and what doqu can do on it.

MongoDB itself has every capability the plugin offers. FerretDB speaks MongoDB's protocol with
gaps that would otherwise surface as dropped connections or refused commands, so a storage
on FerretDB narrows its capabilities (core then refuses such values and lookups up front, with
``UnsupportedError``) and declares the contract tests it is known to fail. mongomock, the
in-process stand-in, has gaps of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from bson.binary import Binary

from doqu import Capabilities, KnownGap, Quirk

from . import _mock
from ._compile import RegexOperator, server_regex

__all__ = ["MONGODB_CAPABILITIES", "ServerInfo", "detect", "mongomock_info"]

#: what the plugin does on MongoDB (the class-level declaration).
MONGODB_CAPABILITIES = Capabilities(
    regex=True,
    date_parts=True,
    atomic_get_or_create=True,
    unique_indexes=True,
    thread_safe=True,
    persistent=True,
    durable=True,  # acknowledged by the server: a client killed after the reply loses nothing
    integer_keys=True,
    decimal_values=True,
    bytes_values=True,
    uuid_values=True,
    nan_values=True,
    infinity_values=True,
    nested_lists=True,
    server_side_queries=True,
    # references between documents, and binary subtypes other than bytes (0) and UUID (4),
    # which pymongo reads as Binary: what the plugin reads, it writes back as it was
    native_types=(ObjectId, Binary),
)

_FERRETDB_CAPABILITIES = MONGODB_CAPABILITIES.replace(
    # Decimal128 and NaN make FerretDB v1 close the connection
    decimal_values=False,
    nan_values=False,
    # ±inf: FerretDB v1 refuses infinity in a document
    infinity_values=False,
    # $expr is not implemented ("The operator $eq is not implemented yet"): no $month/$dayOfMonth
    date_parts=False,
    # 'invalid value: { "t": [ [ "red" ] ] } (nested arrays are not supported)' (code 2)
    nested_lists=False,
    quirks=frozenset(
        {
            Quirk.NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL,
            Quirk.CONTAINS_ALL_THROUGH_A_LIST_IN_ONE_ELEMENT,
            Quirk.NE_THROUGH_A_LIST_NEEDS_ONE_DIFFERENT_ELEMENT,
            Quirk.SUBDOCUMENT_THROUGH_A_LIST_MATCHES_NOTHING,
            Quirk.ORDER_THROUGH_A_LIST_IS_THE_SERVERS,
            Quirk.NUMBERED_PATH_READS_ONLY_THAT_ELEMENT,
        }
    ),
)

_MONGOMOCK_CAPABILITIES = MONGODB_CAPABILITIES.replace(
    # mongomock's $expr lacks $type ("Unrecognized expression '$type'"), which guards $month
    date_parts=False,
    # it stores Decimal128 but cannot compare it ("does not know how to sort ... Decimal128")
    decimal_values=False,
    # a replace is not atomic for a reader in another thread: it can see the record emptied
    # (ConcurrencyContract::test_concurrent_readers_see_whole_records failed on 1 run in 5)
    thread_safe=False,
    # in the process's memory: a killed writer takes its records with it
    durable=False,
    # mongomock 4.3 compares values with Python's ==, and walks lists its own way
    quirks=frozenset(
        {
            Quirk.BOOL_EQUALS_NUMBER,
            Quirk.LIST_EQUALITY_SPLIT_BY_LOOKUP,
            Quirk.PATH_THROUGH_A_SCALAR_IS_NOT_MISSING,
            Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS,
            Quirk.NAN_IS_A_PYTHON_FLOAT,
            Quirk.SUBDOCUMENT_EQUALITY_IGNORES_KEY_ORDER,
            Quirk.CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD,
            Quirk.NUMBERED_PATH_REGEX_ENTERS_A_NESTED_LIST,
            Quirk.NUMBERED_PATH_READS_ONLY_THAT_ELEMENT,
        }
    ),
)


def _gaps(reason: str, raises: type[BaseException], *tests: str) -> list[KnownGap]:
    return [KnownGap(test, reason, "never", raises=raises) for test in tests]


# each observed on FerretDB v1.24.2 with its SQLite backend
_FERRETDB_GAPS = (
    KnownGap(
        "PartialWriteContract::test_save_many_retried_with_keys_writes_each_record_once",
        "FerretDB v1 leaves nModified out of a bulk upsert reply with a write error (a "
        "duplicate under a unique index), which pymongo cannot merge: a raw KeyError; to fix "
        "in the plugin (redoing the batch's upserts one by one hung FerretDB in a first try)",
        "not_yet",
        raises=KeyError,
    ),
    *_gaps(
        "FerretDB v1's $all on a dotted path through a list of records needs every value in "
        "one element ({'pets.kind': {'$all': ['cat', 'dog']}} matches nothing)",
        AssertionError,
        "NestedLookupContract::test_dotted_contains_all_gathers_values_from_several_elements",
    ),
    *_gaps(
        "FerretDB v1's unique index holds a list as one value (its SQLite unique index on the "
        "JSON), not each of its elements",
        AssertionError,
        "IndexContract::test_unique_index_on_a_list_refuses_a_shared_element",
        "IndexContract::test_unique_index_over_existing_shared_elements_is_refused",
    ),
    *_gaps(
        "FerretDB v1's unique index stores a missing field as SQL NULL, and NULLs never clash",
        AssertionError,
        "IndexContract::test_compound_unique_index_counts_a_missing_field_as_none",
    ),
)

# mongomock 4.3 compares values with Python's ==, and walks lists its own way
_MONGOMOCK_GAPS = (
    *_gaps(
        "mongomock compares with Python's ==, where True == 1",
        AssertionError,
        "GetOrCreateContract::test_get_or_create_does_not_take_true_for_one",
        "EqualityLookupContract::test_equals_keeps_bools_apart_from_numbers",
        "EqualityLookupContract::test_nin_matches_unlisted_values_and_missing",
        "DistinctValuesContract::test_values_count_equal_numbers_once",
        "IndexContract::test_unique_index_compares_values_as_equals_does",
    ),
    *_gaps(
        "mongomock's unique index holds a list as one value, not each of its elements",
        AssertionError,
        "IndexContract::test_unique_index_on_a_list_refuses_a_shared_element",
        "IndexContract::test_unique_index_over_existing_shared_elements_is_refused",
    ),
    *_gaps(
        "mongomock does not match a list against an element that is an equal list",
        AssertionError,
        "EqualityLookupContract::test_equals_with_a_list_matches_an_equal_element_list",
        "ListLookupContract::test_list_elements_are_not_flattened_twice",
    ),
    *_gaps(
        "mongomock does not treat a dotted path through a scalar as missing (None misses it)",
        AssertionError,
        "NestedLookupContract::test_dotted_none_matches_none_and_missing",
    ),
    *_gaps(
        "mongomock does not sort a list by its smallest (largest, descending) element",
        AssertionError,
        "OrderingContract::test_order_by_a_list_uses_its_smallest_then_largest_element",
    ),
    *_gaps(
        "mongomock does not sort NaN below the other numbers",
        AssertionError,
        "ValueTypeContract::test_nan_sorts_below_every_number",
    ),
)


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What a storage needs to know about its server."""

    #: ``"mongodb"``, ``"ferretdb"`` or ``"mongomock"``.
    kind: str
    version: str
    capabilities: Capabilities
    known_gaps: tuple[KnownGap, ...]
    #: the regular expression for "end of string" in the server's regex dialect.
    end_anchor: str = r"\z"
    #: how a ``matches`` pattern is sent (mongomock, matching in process, gets a linear one).
    regex: RegexOperator = server_regex


def detect(build_info: dict[str, Any]) -> ServerInfo:
    """The server described by a ``buildInfo`` reply."""
    if "ferretdbVersion" in build_info:
        return ServerInfo(
            "ferretdb",
            str(build_info["ferretdbVersion"]),
            _FERRETDB_CAPABILITIES,
            _FERRETDB_GAPS,
        )
    return ServerInfo("mongodb", str(build_info.get("version", "")), MONGODB_CAPABILITIES, ())


def mongomock_info(version: str) -> ServerInfo:
    """mongomock (regular expressions run on Python's ``re``, where ``\\z`` is ``\\Z``; a
    ``matches`` pattern goes to doqu's linear-time engine instead)."""
    return ServerInfo(
        "mongomock",
        version,
        _MONGOMOCK_CAPABILITIES,
        _MONGOMOCK_GAPS,
        end_anchor=r"\Z",
        regex=_mock.linear_regex,
    )
