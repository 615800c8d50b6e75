"""Hostile and careless input: limits, wrong argument types, regexes that could stall.

Every case raises the same doqu class on every backend, with a message naming the bad thing,
and the back door confirms that nothing stored changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from ... import Q
from ..._storage import StorageAdapter
from ...errors import (
    DocumentNotFoundError,
    DoquError,
    InvalidArgumentError,
    InvalidDocumentError,
    InvalidFieldNameError,
    InvalidLookupValueError,
)
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires
from ._support import keys, seed
from .test_bad_input import shown

__all__ = ["HostileInputContract"]

ANN = {"name": "Ann", "age": 37}


def _cyclic_dict() -> dict[str, Any]:
    record: dict[str, Any] = {"a": 1}
    record["self"] = record
    return record


def _cyclic_list() -> dict[str, Any]:
    items: list[Any] = [1]
    items.append(items)
    return {"l": items}


def _deep(levels: int) -> dict[str, Any]:
    record: dict[str, Any] = {"v": 1}
    for _ in range(levels):
        record = {"n": record}
    return record


def _nest(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = {"p": value}
    return value


# name -> (record, error, text the message shows)
OVER_LIMITS: dict[str, tuple[Callable[[], Any], type[DoquError], str]] = {
    "cyclic-dict": (_cyclic_dict, InvalidDocumentError, "cyclic"),
    "cyclic-list": (_cyclic_list, InvalidDocumentError, "cyclic"),
    "101-levels": (lambda: _deep(101), InvalidDocumentError, "100 levels"),
    "5000-levels": (lambda: _deep(5000), InvalidDocumentError, "100 levels"),
    "surrogate-value": (lambda: {"s": "a\ud800"}, InvalidDocumentError, "'a\\ud800'"),
    "surrogate-in-list": (lambda: {"l": ["ok", "\udfff"]}, InvalidDocumentError, "'\\udfff'"),
    "surrogate-name": (lambda: {"\ud800": 1}, InvalidFieldNameError, "'\\ud800'"),
    "surrogate-nested-name": (lambda: {"a": {"b\udc00": 1}}, InvalidFieldNameError, "'b\\udc00'"),
    "17-megabytes": (lambda: {"s": "x" * (17 * 1024 * 1024)}, InvalidDocumentError, "16 MB"),
}

BAD_TYPED_KEYS = {"surrogate": "k\ud800", "int-too-big": 2**64, "int-too-small": -(2**63) - 1}

# name -> (call on the storage, typed Any as careless code is; text the message shows)
WRONG_ARGUMENTS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "find-int": (lambda s: s.find(int), "doc_class"),
    "get-str": (lambda s: s.get(str, "ann"), "doc_class"),
    "get_many-str-class": (lambda s: s.get_many(str, ["ann"]), "doc_class"),
    "get_or_create-int": (lambda s: s.get_or_create(5, name="x"), "doc_class"),
    "get_many-none": (lambda s: s.get_many(dict, None), "primary_keys"),
    "get_many-int": (lambda s: s.get_many(dict, 5), "primary_keys"),
    "get_many-str": (lambda s: s.get_many(dict, "ann"), "primary_keys"),
    "get_many-dict": (lambda s: s.get_many(dict, {"ann": 1}), "primary_keys"),
    "save_many-int": (lambda s: s.save_many(5), "items"),
    "save_many-dict": (lambda s: s.save_many({"name": "Bo"}), "items"),
    "save_many-str": (lambda s: s.save_many("ab"), "items"),
    "Q-or-int": (lambda s: Q(a=1) | 5, "int 5"),  # type: ignore[operator]
    "Q-and-str": (lambda s: Q(a=1) & "b=1", "str 'b=1'"),  # type: ignore[operator]
    "query-or-int": (lambda s: s.find() | 5, "int 5"),
    "query-and-none": (lambda s: s.find() & None, "NoneType None"),
    "where-str": (lambda s: s.find().where("age=1"), "'age=1'"),
    "where_not-str": (lambda s: s.find().where_not("age=1"), "'age=1'"),
    "index-str": (lambda s: s.find()["a"], "'a'"),
    "index-float": (lambda s: s.find()[1.5], "1.5"),
    "index-none": (lambda s: s.find()[None], "None"),
    "slice-float": (lambda s: s.find()[1.5:], "1.5"),
    "slice-str": (lambda s: s.find()[:"9"], "'9'"),
}

REFUSED_PATTERNS = {
    "back-reference": r"(a)\1",
    "named-back-reference": r"(?P<x>a)(?P=x)",
    "look-ahead": r"a(?=b)",
    "negative-look-ahead": r"a(?!b)",
    "look-behind": r"(?<=a)b",
    "negative-look-behind": r"(?<!a)b",
    "possessive": r"a++b",
    "atomic-group": r"(?>a+)b",
    "repeat-overflow": r"a{4294967296}",
    "repeat-over-1000": r"a{1001}",
    "range-over-1000": r"a{2,5000}",
    "too-long": "a" * 1001,
    "program-too-big": r"(\w+\s*){1000}x",
    "alternation-too-big": r"(a|b|c|d|e){1000}x",
    "lone-surrogate": "a\ud800",
}


def _elapsed(storage: StorageAdapter, pattern: str) -> float:
    start = time.perf_counter()
    assert keys(storage.find(s__matches=pattern)) == set()
    return time.perf_counter() - start


class HostileInputContract(StorageFixtures):
    """Limits, argument types and regex safety hold on every backend, before anything is run."""

    @pytest.mark.parametrize(("make", "error", "text"), OVER_LIMITS.values(), ids=OVER_LIMITS)
    def test_save_refuses_a_record_over_the_limits(
        self,
        storage: StorageAdapter,
        raw: Oracle,
        make: Callable[[], Any],
        error: type[DoquError],
        text: str,
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(error, match=shown(text)):
            storage.save(make())
        with pytest.raises(error, match=shown(text)):
            storage.save(make(), "ann")
        with pytest.raises(error, match=shown(text)):
            storage.save_many([{"n": 1}, make()])
        assert list(raw.keys()) == ["ann"]
        assert raw.get("ann") == ANN

    @pytest.mark.parametrize(("make", "error", "text"), OVER_LIMITS.values(), ids=OVER_LIMITS)
    def test_update_and_get_or_create_refuse_a_value_over_the_limits(
        self,
        storage: StorageAdapter,
        raw: Oracle,
        make: Callable[[], Any],
        error: type[DoquError],
        text: str,
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(error, match=shown(text)):
            storage.find().update(v=make())
        with pytest.raises(error, match=shown(text)):
            storage.get_or_create(dict, name="Bo", v=make())
        assert list(raw.keys()) == ["ann"]
        assert raw.get("ann") == ANN

    def test_update_counts_the_dotted_path_in_the_depth(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"ann": ANN})
        path = ".".join(["p"] * 80)  # the value sits 80 levels down
        with pytest.raises(InvalidDocumentError, match=shown("100 levels")):
            storage.find().update(**{path: _deep(20)})
        assert raw.get("ann") == ANN
        storage.find().update(**{path: _deep(18)})  # 80 + 19 levels, and the record: 100
        assert raw.get("ann") == {**ANN, "p": _nest(_deep(18), 79)}

    def test_update_refuses_a_record_it_would_make_too_big(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        big = {"name": "Big", "a": "x" * (10 * 1024 * 1024)}
        seed(storage, {"ann": ANN, "big": big})
        with pytest.raises(InvalidDocumentError, match=shown("16 MB")):
            storage.find().update(b="y" * (7 * 1024 * 1024))
        assert raw.get("ann") == ANN
        assert raw.get("big") == big
        storage.find(name="Ann").update(b="y" * (7 * 1024 * 1024))  # Ann's record stays small
        assert raw.get("big") == big

    def test_get_many_of_many_missing_keys_shows_the_first_few(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(DocumentNotFoundError) as caught:
            storage.get_many(dict, ["ann", *(f"k{n}" for n in range(200_000))])
        message = str(caught.value)
        assert "['k0', 'k1', 'k2', 'k3', 'k4'] (the first 5 of 200,000)" in message
        assert "'k5'" not in message
        assert len(message) < 1000

    def test_one_hundred_levels_are_accepted(self, storage: StorageAdapter, raw: Oracle) -> None:
        key = storage.save(_deep(99))  # the record itself is the hundredth level
        assert raw.get(key) == _deep(99)

    @pytest.mark.parametrize("key", BAD_TYPED_KEYS.values(), ids=BAD_TYPED_KEYS)
    def test_keys_outside_what_every_backend_stores_are_refused(
        self, storage: StorageAdapter, raw: Oracle, key: Any
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.save({"n": 1}, key)
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.get(dict, key)
        assert list(raw.keys()) == ["ann"]

    @pytest.mark.parametrize(("call", "text"), WRONG_ARGUMENTS.values(), ids=WRONG_ARGUMENTS)
    def test_an_argument_of_the_wrong_type_is_a_doqu_type_error(
        self,
        storage: StorageAdapter,
        raw: Oracle,
        call: Callable[[Any], Any],
        text: str,
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(InvalidArgumentError, match=shown(text)) as caught:
            call(storage)
        assert isinstance(caught.value, TypeError)
        assert list(raw.keys()) == ["ann"]
        assert raw.get("ann") == ANN

    @pytest.mark.parametrize("name", ["--age", "---age", "--"])
    def test_order_by_refuses_more_than_one_minus(self, storage: StorageAdapter, name: str) -> None:
        with pytest.raises(InvalidFieldNameError, match=shown(repr(name))):
            storage.find().order_by(name)

    @pytest.mark.parametrize("name", ["+age", " age", "age ", "- age"])
    def test_order_by_refuses_a_plus_or_spaces(self, storage: StorageAdapter, name: str) -> None:
        with pytest.raises(InvalidFieldNameError, match=shown(repr(name))):
            storage.find().order_by(name)

    def test_huge_slice_bounds_are_past_the_end(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN, "bo": {"name": "Bo", "age": 5}})
        query = storage.find().order_by("age")
        assert list(query[10**20 :]) == []
        assert [doc["name"] for doc in query[: 10**20]] == ["Bo", "Ann"]
        assert [doc["name"] for doc in query[1 : 2**63]] == ["Ann"]
        assert query[10**20 :].count() == 0
        assert query[: 10**20].count() == 2
        with pytest.raises(IndexError, match=str(10**20)):
            query[10**20]

    @pytest.mark.parametrize("pattern", REFUSED_PATTERNS.values(), ids=REFUSED_PATTERNS)
    def test_a_pattern_outside_the_dialect_is_refused_when_built(
        self, storage: StorageAdapter, pattern: str
    ) -> None:
        for lookup in ("matches", "matches_caseless"):
            with pytest.raises(InvalidLookupValueError, match=f"s__{lookup}.*RE2"):
                storage.find().where(**{f"s__{lookup}": pattern})

    @requires("regex")
    def test_a_catastrophic_pattern_runs_in_linear_time(self, storage: StorageAdapter) -> None:
        # backtracking engines take exponential time on these; RE2's time is linear in the text
        seed(storage, {"short": {"s": "a" * 40 + "b"}, "long": {"s": "a" * 80 + "b"}})
        for pattern in ("(a+)+$", "(a|aa)+$", "(a*)*c", "^(a|a?)+$"):
            small = _elapsed(storage, pattern)
            storage.save({"s": "a" * 4000 + "b"}, "longer")
            large = _elapsed(storage, pattern)
            assert small < 2, (pattern, small)
            assert large < 2, (pattern, large)
        assert keys(storage.find(s__matches="^(a+)+b$")) == {"short", "long", "longer"}
