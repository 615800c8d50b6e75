"""Unicode in values, field names and keys: stored, found and ordered as code points."""

from __future__ import annotations

import pytest

from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures
from ._support import keys, ordered, seed

__all__ = ["UnicodeContract"]

TEXTS = {
    "latin": "Ærøskøbing straße",
    "cjk": "東京都渋谷区",
    "emoji": "😀🎉👩‍👩‍👧",
    "rtl": "مرحبا بالعالم",
    "mixed-direction": "abc \u200fעברית\u200e def",  # noqa: RUF001 - on purpose
    "combining": "e\u0301",
    "astral": "𝕏𝔸𝕄",  # noqa: RUF001 - on purpose
    "private-use": "\ue000",
    "bom": "\ufeffbom",
    "controls": "tab\tnew\nline\r\x1b",
    "quotes": "'\"`\\",
    "last-code-point": "\U0010ffff",
}

KEYS = [
    "ключ",
    "🔑",
    "مفتاح",
    "e\u0301",
    "a b",
    "with/slash",
    "dot.ted",
    "$where",
    '{"$ne": null}',
    "percent%20",
    "#hash?q=1&r=2",
    "back\\slash",
]


class UnicodeContract(StorageFixtures):
    """Non-ASCII text everywhere text may appear (NUL excepted in names)."""

    @pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
    def test_unicode_value_round_trips_and_matches(
        self, storage: StorageAdapter, raw: Oracle, text: str
    ) -> None:
        key = storage.save({"s": text, "l": [text]})
        storage.save({"s": "other"})
        assert storage.get(dict, key) == {"s": text, "l": [text]}
        assert raw.get(key) == {"s": text, "l": [text]}
        assert keys(storage.find(s=text)) == {key}
        assert keys(storage.find(l__startswith=text[:1])) == {key}

    def test_unicode_field_names_round_trip(self, storage: StorageAdapter, raw: Oracle) -> None:
        record = {"név": 1, "名前": {"姓": "山田"}, "😀": True, "مفتاح": [1], "e\u0301": "x"}
        key = storage.save(record)
        assert storage.get(dict, key) == record
        assert raw.get(key) == record
        assert keys(storage.find().where(**{"名前.姓": "山田"})) == {key}
        assert storage.find().values("名前.姓") == ["山田"]

    @pytest.mark.parametrize("key", KEYS)
    def test_unusual_str_keys_round_trip(
        self, storage: StorageAdapter, raw: Oracle, key: str
    ) -> None:
        assert storage.save({"k": key}, key) == key
        storage.save({"k": "other"}, "other")
        assert storage.get(dict, key) == {"k": key}
        assert raw.get(key) == {"k": key}
        assert key in storage
        assert key in set(storage)
        assert storage.key_from_str(storage.key_to_str(key)) == key
        storage.delete(key)
        assert list(storage) == ["other"]

    def test_text_is_not_normalised(self, storage: StorageAdapter) -> None:
        seed(storage, {"composed": {"s": "\u00e9"}, "decomposed": {"s": "e\u0301"}})
        assert keys(storage.find(s="\u00e9")) == {"composed"}
        assert keys(storage.find(s="e\u0301")) == {"decomposed"}

    def test_text_orders_by_code_point_beyond_the_bmp(self, storage: StorageAdapter) -> None:
        # UTF-16 order would put the emoji (a surrogate pair) before U+E000
        seed(
            storage, {"a": {"s": "😀"}, "b": {"s": "\ue000"}, "c": {"s": "\uffff"}, "d": {"s": "z"}}
        )
        assert ordered(storage.find().order_by("s")) == ["d", "b", "c", "a"]

    def test_unicode_string_lookups(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": "😀 smile"}, "b": {"s": "frown 🙁"}, "c": {"s": "Straße"}})
        assert keys(storage.find(s__startswith="😀")) == {"a"}
        assert keys(storage.find(s__endswith="🙁")) == {"b"}
        assert keys(storage.find(s__contains="ß")) == {"c"}
