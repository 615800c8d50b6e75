"""Values are data, never operators: operator-looking values match only themselves, literally.

No record can hold a dict with ``$``-names (``save()`` refuses them), so such a dict used as a
lookup value equals nothing; strings with ``$`` or regex characters are compared as text.
"""

from __future__ import annotations

from typing import Any

import pytest

from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures
from ._support import keys, seed

__all__ = ["InjectionContract"]

RECORDS = {
    "a": {"name": "Ann", "v": 1},
    "b": {"name": "$where", "v": None},
    "c": {"name": ".*x", "v": "$gt"},
    "d": {"name": "a+b(c)", "nested": {"k": "$ne"}},
    "e": {},
    "f": {"name": "a\\d"},
    "g": {"name": "a1"},
}
EVERY_KEY = set(RECORDS)

OPERATORS = {
    "ne-null": {"$ne": None},
    "gt-empty": {"$gt": ""},
    "where": {"$where": "sleep(1000)"},
    "regex": {"$regex": ".*"},
    "exists": {"$exists": True},
    "in": {"$in": ["Ann", None]},
    "expr": {"$expr": {"$eq": [1, 1]}},
    "nested": {"a": {"$exists": False}},
}


class InjectionContract(StorageFixtures):
    """Operator-shaped values and regex-shaped strings."""

    @pytest.mark.parametrize("value", OPERATORS.values(), ids=OPERATORS)
    def test_operator_dict_equals_nothing(self, storage: StorageAdapter, value: Any) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name=value)) == set()
        assert keys(storage.find(v=value)) == set()
        assert keys(storage.find(name__in=[value])) == set()
        assert keys(storage.find(name__contains_any=[value])) == set()
        assert keys(storage.find(name__contains_all=[value])) == set()

    @pytest.mark.parametrize("value", OPERATORS.values(), ids=OPERATORS)
    def test_operator_dict_is_unequal_to_everything(
        self, storage: StorageAdapter, value: Any
    ) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name__ne=value)) == EVERY_KEY
        assert keys(storage.find(name__nin=[value, "Ann"])) == EVERY_KEY - {"a"}
        assert storage.find().where_not(name=value).count() == len(RECORDS)

    @pytest.mark.parametrize("value", OPERATORS.values(), ids=OPERATORS)
    def test_operator_dict_does_not_widen_an_update_or_delete(
        self, storage: StorageAdapter, raw: Oracle, value: Any
    ) -> None:
        seed(storage, RECORDS)
        assert storage.find(name=value).update(v="changed") == 0
        assert storage.find(name=value).delete() == 0
        assert {key: raw.get(key) for key in RECORDS} == RECORDS

    def test_operator_strings_match_as_text(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name="$where")) == {"b"}
        assert keys(storage.find(v="$gt")) == {"c"}
        assert keys(storage.find().where(**{"nested.k": "$ne"})) == {"d"}
        assert keys(storage.find(name__in=["$where", "$exists"])) == {"b"}

    def test_startswith_treats_regex_characters_as_text(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name__startswith=".*")) == {"c"}
        assert keys(storage.find(name__startswith=".")) == {"c"}
        assert keys(storage.find(name__startswith="$")) == {"b"}
        assert keys(storage.find(name__startswith="^")) == set()

    def test_contains_treats_regex_characters_as_text(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name__contains="+b(")) == {"d"}
        assert keys(storage.find(name__contains=".")) == {"c"}
        assert keys(storage.find(name__contains="*")) == {"c"}
        assert keys(storage.find(name__contains="\\d")) == {"f"}
        assert keys(storage.find(name__contains="|")) == set()
        assert keys(storage.find(name__contains="[a-z]")) == set()

    def test_endswith_treats_regex_characters_as_text(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        assert keys(storage.find(name__endswith=")")) == {"d"}
        assert keys(storage.find(name__endswith="$")) == set()
        assert keys(storage.find(name__endswith="x")) == {"c"}
        assert keys(storage.find(name__endswith="\\d")) == {"f"}

    def test_operator_looking_text_is_stored_as_is(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        record = {"s": "$inc", "nested": {"op": "$set"}, "l": ["$unset", {"x": "$where"}]}
        key = storage.save(record)
        assert raw.get(key) == record
        storage.find(s="$inc").update(s="$rename", nested={"op": "$push"})
        assert raw.get(key) == {**record, "s": "$rename", "nested": {"op": "$push"}}

    def test_operator_shaped_key_reads_only_itself(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        storage.save({"name": "odd"}, '{"$ne": null}')
        assert storage.get(dict, '{"$ne": null}') == {"name": "odd"}
        assert '{"$gt": ""}' not in storage
        assert {"$gt": ""} not in storage
