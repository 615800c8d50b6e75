"""``find()`` and reading a query: laziness, ``count()``, ``exists()``, ``first()``, items."""

from __future__ import annotations

from dataclasses import dataclass

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from ._support import keys, ordered, seed

__all__ = ["FindContract", "QueryReadContract"]

PEOPLE = {
    "ann": {"name": "Ann", "age": 37, "city": "Oslo"},
    "bob": {"name": "Bob", "age": 25, "city": "Bergen"},
    "cy": {"name": "Cy", "age": 25, "city": "Oslo"},
    "dee": {"name": "Dee", "age": 51},
}


@dataclass
class Person:
    """A dataclass to load query results into."""

    name: str
    age: int
    city: str | None = None


class FindContract(StorageFixtures):
    """``find(doc_class, **conditions)`` and ``where()`` chaining."""

    def test_find_without_conditions_selects_every_record(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find()) == {"ann", "bob", "cy", "dee"}

    def test_find_with_a_condition_selects_the_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(city="Oslo")) == {"ann", "cy"}

    def test_find_with_several_conditions_needs_all(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(city="Oslo", age=25)) == {"cy"}

    def test_find_without_a_match_is_empty(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert list(storage.find(city="Rome")) == []

    def test_find_of_an_empty_storage_is_empty(self, storage: StorageAdapter) -> None:
        assert list(storage.find()) == []

    def test_find_yields_records_as_dicts_by_default(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert list(storage.find(name="Ann")) == [{"name": "Ann", "age": 37, "city": "Oslo"}]

    def test_find_loads_the_doc_class(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        found = list(storage.find(Person, age__gt=30).order_by("age"))
        assert found == [Person("Ann", 37, "Oslo"), Person("Dee", 51)]

    def test_find_runs_when_read_not_when_built(self, storage: StorageAdapter) -> None:
        query = storage.find(city="Oslo")
        seed(storage, PEOPLE)
        assert keys(query) == {"ann", "cy"}

    def test_find_query_reads_the_same_twice(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        query = storage.find(age=25).order_by("name")
        assert ordered(query) == ["bob", "cy"]
        assert ordered(query) == ["bob", "cy"]

    def test_where_returns_a_new_query(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        everyone = storage.find()
        everyone.where(city="Oslo")
        assert keys(everyone) == {"ann", "bob", "cy", "dee"}

    def test_where_chains_with_and(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(city="Oslo").where(age__gt=30)) == {"ann"}

    def test_where_without_conditions_changes_nothing(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(city="Oslo").where()) == {"ann", "cy"}

    def test_items_pairs_keys_with_documents(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert dict(storage.find(city="Oslo").items()) == {
            "ann": {"name": "Ann", "age": 37, "city": "Oslo"},
            "cy": {"name": "Cy", "age": 25, "city": "Oslo"},
        }


class QueryReadContract(StorageFixtures):
    """``count()``, ``exists()``, ``bool()`` and ``first()``."""

    def test_count_counts_the_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").count() == 2
        assert storage.find().count() == 4

    def test_count_without_a_match_is_zero(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Rome").count() == 0

    def test_exists_is_true_when_something_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(age=51).exists() is True

    def test_exists_is_false_when_nothing_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(age=52).exists() is False

    def test_bool_of_a_query_says_whether_it_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert bool(storage.find(city="Oslo")) is True
        assert bool(storage.find(city="Rome")) is False

    def test_first_returns_the_first_in_order(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        first = storage.find().order_by("age", "-name").first()
        assert first == {"name": "Cy", "age": 25, "city": "Oslo"}

    def test_first_without_a_match_is_none(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Rome").first() is None

    def test_first_of_an_unordered_query_is_a_match(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").first() in (PEOPLE["ann"], PEOPLE["cy"])
