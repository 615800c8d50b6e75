"""``doqu.Document`` on a backend: defaults, validation, nested documents, and records kept
whole, fields outside the schema included."""

from __future__ import annotations

import pytest

from ... import Document, Field
from ..._storage import StorageAdapter
from ...errors import ValidationError
from .._fixtures import Oracle, StorageFixtures
from ._support import keys, seed

__all__ = ["DocumentContract"]


class Address(Document):
    """A nested document."""

    city = Field(str, required=True)
    zip = Field(str)


class Person(Document):
    """A document with a required field, defaults and a nested document."""

    name = Field(str, required=True)
    age = Field(int, default=0)
    tags = Field(list[str], default=list)
    address = Field(Address)


class Owner(Document):
    """A document with a list and a dict of nested documents."""

    name = Field(str)
    pets = Field(list[Address])
    homes = Field(dict[str, Address])


class DocumentContract(StorageFixtures):
    """Saving, loading and querying ``Document`` subclasses."""

    def test_document_save_writes_defaults_and_binds_pk(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        ann = Person(name="Ann")
        key = storage.save(ann)
        assert ann.pk == key
        assert raw.get(key) == {"name": "Ann", "age": 0, "tags": []}

    def test_document_get_loads_fields_and_pk(self, storage: StorageAdapter, raw: Oracle) -> None:
        raw.put("ann", {"name": "Ann", "age": 37, "address": {"city": "Oslo"}})
        ann = storage.get(Person, "ann")
        assert (ann.pk, ann.name, ann.age, ann.tags) == ("ann", "Ann", 37, [])
        assert ann.address.city == "Oslo"

    def test_document_keeps_fields_outside_its_schema(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put(
            "ann",
            {"name": "Ann", "age": 37, "nickname": "Annie", "extra": {"x": [1, {"y": None}]}},
        )
        ann = storage.get(Person, "ann")
        ann.age = 38
        assert storage.save(ann) == "ann"
        assert raw.get("ann") == {
            "name": "Ann",
            "age": 38,
            "tags": [],
            "nickname": "Annie",
            "extra": {"x": [1, {"y": None}]},
        }
        assert len(storage) == 1

    def test_document_keeps_unknown_fields_of_nested_documents(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("ann", {"name": "Ann", "address": {"city": "Oslo", "floor": 3}})
        ann = storage.get(Person, "ann")
        ann.address.city = "Bergen"
        storage.save(ann)
        assert raw.get("ann") == {
            "name": "Ann",
            "age": 0,
            "tags": [],
            "address": {"city": "Bergen", "floor": 3},
        }

    def test_document_edits_to_a_list_of_documents_are_saved(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("ann", {"name": "Ann", "pets": [{"city": "Oslo"}]})
        ann = storage.get(Owner, "ann")
        ann.pets.append(Address(city="Bergen"))
        ann.pets[0].zip = "0150"
        ann.pets.insert(0, Address(city="Tromsø"))
        storage.save(ann)
        assert raw.get("ann") == {
            "name": "Ann",
            "pets": [{"city": "Tromsø"}, {"city": "Oslo", "zip": "0150"}, {"city": "Bergen"}],
        }
        del storage.get(Owner, "ann").pets[0]  # an edit never saved changes nothing
        assert [pet.city for pet in storage.get(Owner, "ann").pets] == ["Tromsø", "Oslo", "Bergen"]

    def test_document_edits_to_a_dict_of_documents_are_saved(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("ann", {"name": "Ann", "homes": {"old": {"city": "Oslo"}}})
        ann = storage.get(Owner, "ann")
        ann.homes["new"] = Address(city="Bergen")
        ann.homes["old"].zip = "0150"
        storage.save(ann)
        assert raw.get("ann") == {
            "name": "Ann",
            "homes": {"old": {"city": "Oslo", "zip": "0150"}, "new": {"city": "Bergen"}},
        }

    def test_document_fields_set_by_item_are_saved(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        ann = Person(name="Ann")
        ann["nickname"] = "Annie"
        key = storage.save(ann)
        assert raw.get(key) == {"name": "Ann", "age": 0, "tags": [], "nickname": "Annie"}

    def test_document_failing_validation_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        with pytest.raises(ValidationError, match="name"):
            storage.save(Person(age=5))
        raw.put("ann", {"name": "Ann", "age": 37})
        ann = storage.get(Person, "ann")
        ann["age"] = "old"
        with pytest.raises(ValidationError, match="age"):
            storage.save(ann)
        assert list(raw.keys()) == ["ann"]
        assert raw.get("ann") == {"name": "Ann", "age": 37}

    def test_document_nested_document_round_trips_and_is_queried(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        key = storage.save(Person(name="Ann", address=Address(city="Oslo", zip="0150")))
        storage.save(Person(name="Bob", address=Address(city="Bergen")))
        assert raw.get(key) == {
            "name": "Ann",
            "age": 0,
            "tags": [],
            "address": {"city": "Oslo", "zip": "0150"},
        }
        found = list(storage.find(Person, **{"address.city": "Oslo"}))
        assert [(person.pk, person.address.zip) for person in found] == [(key, "0150")]

    def test_document_query_loads_documents_with_keys(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "ann": {"name": "Ann", "age": 37},
                "bob": {"name": "Bob", "age": 25},
                "cy": {"name": "Cy"},
            },
        )
        found = storage.find(Person).where_not(age__gte=30).order_by("name")
        assert [(person.pk, person.name, person.age) for person in found] == [
            ("bob", "Bob", 25),
            ("cy", "Cy", 0),
        ]

    def test_document_get_or_create_applies_defaults(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        ann, created = storage.get_or_create(Person, name="Ann")
        assert created is True
        assert ann.age == 0
        assert raw.get(ann.pk) == {"name": "Ann", "age": 0, "tags": []}

    def test_document_get_or_create_finds_the_existing_document(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": {"name": "Ann", "age": 37, "nickname": "Annie"}})
        ann, created = storage.get_or_create(Person, name="Ann")
        assert created is False
        assert (ann.pk, ann.age, ann["nickname"]) == ("ann", 37, "Annie")

    def test_document_get_or_create_refuses_invalid_conditions(
        self, storage: StorageAdapter
    ) -> None:
        with pytest.raises(ValidationError, match="name"):
            storage.get_or_create(Person, age=5)
        assert len(storage) == 0

    def test_document_update_checks_the_schema(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, {"ann": {"name": "Ann", "age": 37}})
        with pytest.raises(ValidationError, match="age"):
            storage.find(Person).update(age="old")
        assert raw.get("ann") == {"name": "Ann", "age": 37}
        assert storage.find(Person, name="Ann").update(age=38, nickname="Annie") == 1
        assert raw.get("ann") == {"name": "Ann", "age": 38, "nickname": "Annie"}

    def test_document_delete_removes_its_record(self, storage: StorageAdapter) -> None:
        ann = Person(name="Ann")
        ann.save(storage)
        bob_key = Person(name="Bob").save(storage)
        ann.delete(storage)
        assert keys(storage.find()) == {bob_key}
