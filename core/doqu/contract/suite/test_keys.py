"""Primary keys: generated and given, their string forms, and ``int`` keys where declared."""

from __future__ import annotations

import pytest

from ..._storage import StorageAdapter
from ...errors import DocumentNotFoundError, InvalidDocumentError
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires
from ._support import ordered, seed

__all__ = ["KeyContract"]


class KeyContract(StorageFixtures):
    """Keys round-trip through the adapter and through their string form."""

    def test_generated_key_is_accepted_everywhere(self, storage: StorageAdapter) -> None:
        key = storage.save({"n": 1})
        assert storage.get_many(dict, [key]) == [{"n": 1}]
        assert key in storage
        assert list(storage.find().keys()) == [key]
        storage.delete(key)
        assert key not in storage

    def test_generated_key_round_trips_through_its_string_form(
        self, storage: StorageAdapter
    ) -> None:
        key = storage.save({"n": 1})
        text = storage.key_to_str(key)
        assert isinstance(text, str)
        assert storage.key_from_str(text) == key
        assert storage.get(dict, storage.key_from_str(text)) == {"n": 1}

    def test_given_str_key_is_its_own_string_form(self, storage: StorageAdapter) -> None:
        assert storage.save({"n": 1}, "ann") == "ann"
        assert storage.key_to_str("ann") == "ann"
        assert storage.key_from_str("ann") == "ann"

    def test_str_key_starting_with_a_tilde_round_trips(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        assert storage.save({"n": 1}, "~i5") == "~i5"
        text = storage.key_to_str("~i5")
        assert text != "~i5"
        assert storage.key_from_str(text) == "~i5"
        assert raw.get("~i5") == {"n": 1}
        assert storage.get(dict, "~i5") == {"n": 1}

    def test_str_key_that_looks_like_a_number_stays_a_str(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        key = storage.save({"n": 1}, "42")
        assert key == "42"
        assert type(key) is str
        assert storage.key_from_str(storage.key_to_str("42")) == "42"
        assert list(storage) == ["42"]
        assert raw.get("42") == {"n": 1}

    def test_str_keys_are_case_and_space_sensitive(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 1}, "A": {"n": 2}, "a ": {"n": 3}, " a": {"n": 4}})
        assert storage.get_many(dict, ["a", "A", "a ", " a"]) == [
            {"n": 1},
            {"n": 2},
            {"n": 3},
            {"n": 4},
        ]

    def test_string_forms_of_distinct_keys_differ(self, storage: StorageAdapter) -> None:
        generated = storage.save({})
        given = ["x", "~x", "~s", "~sx", "~i1", "1"]
        forms = [storage.key_to_str(key) for key in [generated, *given]]
        assert len(set(forms)) == 7
        assert [storage.key_from_str(form) for form in forms] == [generated, *given]

    def test_malformed_string_form_is_refused(self, storage: StorageAdapter) -> None:
        with pytest.raises(InvalidDocumentError, match="'~x1'"):
            storage.key_from_str("~x1")
        with pytest.raises(InvalidDocumentError):
            storage.key_from_str("")

    def test_not_found_says_text_is_the_string_form_of_another_key(
        self, storage: StorageAdapter
    ) -> None:
        # a generated key of a non-str kind (e.g. an ObjectId), or the int 7 where int keys
        # exist: passing its string form to get() misses, and the error says how to reach it
        others = [k for k in [storage.save({"n": 1})] if type(k) is not str]
        if storage.capabilities.integer_keys:
            others.append(storage.save({"n": 2}, 7))
        for key in others:
            text = storage.key_to_str(key)
            with pytest.raises(DocumentNotFoundError) as missed:
                storage.get(dict, text)
            assert f"pass storage.key_from_str({text!r})" in str(missed.value)
            assert storage.get(dict, storage.key_from_str(text)) == storage.get(dict, key)
        with pytest.raises(DocumentNotFoundError) as plain:
            storage.get(dict, "no-such-key")
        assert "key_from_str" not in str(plain.value)

    def test_query_keys_are_the_keys_save_returned(self, storage: StorageAdapter) -> None:
        saved = [storage.save({"n": n}) for n in range(3)]
        assert ordered(storage.find().order_by("n")) == saved

    @requires("integer_keys")
    def test_int_key_round_trips(self, storage: StorageAdapter, raw: Oracle) -> None:
        assert storage.save({"n": 1}, 7) == 7
        assert storage.get(dict, 7) == {"n": 1}
        assert raw.get(7) == {"n": 1}
        assert 7 in storage
        assert list(storage) == [7]
        assert type(next(iter(storage))) is int

    @requires("integer_keys")
    def test_int_and_str_keys_are_distinct(self, storage: StorageAdapter) -> None:
        storage.save({"kind": "int"}, 1)
        storage.save({"kind": "str"}, "1")
        assert len(storage) == 2
        assert storage.get(dict, 1) == {"kind": "int"}
        assert storage.get(dict, "1") == {"kind": "str"}
        storage.delete(1)
        assert list(storage) == ["1"]

    @requires("integer_keys")
    def test_int_keys_string_form_is_tagged(self, storage: StorageAdapter) -> None:
        assert storage.key_to_str(42) == "~i42"
        assert storage.key_to_str(-7) == "~i-7"
        assert storage.key_from_str("~i42") == 42
        assert storage.key_from_str("~i-7") == -7
        assert storage.key_from_str(storage.key_to_str("~i42")) == "~i42"

    @requires("integer_keys")
    def test_int_keys_at_the_edges(self, storage: StorageAdapter) -> None:
        edges = [0, -1, 2**63 - 1, -(2**63)]
        for key in edges:
            storage.save({"k": key}, key)
        assert storage.get_many(dict, edges) == [{"k": key} for key in edges]

    @requires("integer_keys")
    def test_int_keys_break_ties_in_numeric_order(self, storage: StorageAdapter) -> None:
        for key in (10, 2, 33):
            storage.save({"n": 0}, key)
        assert ordered(storage.find().order_by("n")) == [2, 10, 33]
