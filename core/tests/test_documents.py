"""Documents and fields: defaults, rules, nested views, record preservation, conversion."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import re
import uuid
from typing import Any, Self

import pytest

from doqu._conversion import Convertible, codec_for, to_record
from doqu._documents import Document
from doqu._fields import Field
from doqu._indexes import Index
from doqu.errors import DocumentNotFoundError, QueryError, ValidationError
from doqu.memory import MemoryStorage


def is_not_negative(value: int) -> bool:
    return value >= 0


def must_be_lowercase(value: str) -> None:
    if value != value.lower():
        raise ValueError("use lowercase letters")


class Address(Document):
    city = Field(str, required=True)
    country = Field(str, default="NO")


class Pet(Document):
    name = Field(str, required=True)
    kind = Field(str, choices=("cat", "dog"))


class Person(Document):
    __indexes__ = (Index("name"),)

    name = Field(str, required=True)
    age = Field(int, default=0, validators=[is_not_negative])
    tags = Field(list[str], default=[])
    scores = Field(dict[str, float], default=dict)
    address = Field(Address)
    pets = Field(list[Pet], default=list)


def raises(message: str) -> Any:
    """``pytest.raises`` for a ValidationError whose message is exactly ``message``."""
    return pytest.raises(ValidationError, match=f"^{re.escape(message)}$")


class TestDefaults:
    def test_value_default_is_set_on_creation(self) -> None:
        assert Person(name="Ann").record == {
            "name": "Ann",
            "age": 0,
            "tags": [],
            "scores": {},
            "pets": [],
        }

    def test_given_values_win_over_defaults(self) -> None:
        assert Person(name="Ann", age=3).age == 3

    def test_mutable_value_default_is_copied_per_document(self) -> None:
        first, second = Person(name="Ann"), Person(name="Bob")
        first.tags.append("x")
        assert second.tags == []
        assert Person.__fields__["tags"].default == []

    def test_callable_default_is_called_per_document(self) -> None:
        first, second = Person(name="Ann"), Person(name="Bob")
        first.scores["math"] = 1.0
        assert second.scores == {}

    def test_default_is_applied_on_read_and_stored_once(self) -> None:
        calls = []

        def stamp() -> list[int]:
            calls.append(1)
            return [len(calls)]

        class Stamped(Document):
            mark = Field(list[int], default=stamp)

        loaded = Stamped.from_record({}, "k")
        assert "mark" not in loaded
        assert loaded.mark == [1]
        assert loaded.mark == [1]
        assert loaded.record == {"mark": [1]}
        assert len(calls) == 1

    def test_to_record_fills_missing_defaults_nested_too(self) -> None:
        loaded = Person.from_record({"name": "Ann", "address": {"city": "Oslo"}}, "k")
        assert loaded.to_record() == {
            "name": "Ann",
            "address": {"city": "Oslo", "country": "NO"},
            "age": 0,
            "tags": [],
            "scores": {},
            "pets": [],
        }

    def test_document_class_as_default_stores_a_record(self) -> None:
        class Holder(Document):
            place = Field(Address, default=lambda: Address(city="Oslo"))

        holder = Holder()
        assert holder.record == {"place": {"city": "Oslo", "country": "NO"}}
        assert isinstance(holder.place, Address)

    def test_missing_field_without_default_reads_none_and_stays_missing(self) -> None:
        person = Person(name="Ann")
        assert person.address is None
        assert "address" not in person

    def test_invalid_default_fails_at_class_definition(self) -> None:
        with raises("Bad.size: expected int, got str 'big' (in the field's default)"):

            class Bad(Document):
                size = Field(int, default="big")


class TestRequired:
    def test_missing_required_field(self) -> None:
        with raises("Person.name: required field is missing (expected str)"):
            Person().validate()

    def test_required_field_set_to_none(self) -> None:
        with raises("Person.name: required field is None (expected str)") as caught:
            Person(name=None).validate()
        assert (caught.value.field, caught.value.rule) == ("name", "required")

    def test_optional_fields_accept_none_and_absence(self) -> None:
        Person(name="Ann", address=None).validate()
        Person(name="Ann").validate()


class Typed(Document):
    text = Field(str)
    count = Field(int)
    ratio = Field(float)
    flag = Field(bool)
    moment = Field(datetime.datetime)
    day = Field(datetime.date)
    money = Field(decimal.Decimal)
    blob = Field(bytes)
    ident = Field(uuid.UUID)
    mapping = Field(dict)
    items = Field(list)
    numbers = Field(list[int])
    maybe_numbers = Field(list[int | None])
    table = Field(dict[str, int])
    maybe = Field(int | None)
    anything = Field()


class TestTypes:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("text", "a"),
            ("count", 3),
            ("ratio", 1.5),
            ("ratio", 2),
            ("flag", False),
            ("moment", datetime.datetime(2024, 1, 2, 3, 4)),
            ("day", datetime.date(2024, 1, 2)),
            ("money", decimal.Decimal("1.10")),
            ("blob", b"\x00"),
            ("ident", uuid.UUID(int=1)),
            ("mapping", {"a": [1]}),
            ("items", [1, "a"]),
            ("numbers", [1, 2]),
            ("maybe_numbers", [1, None]),
            ("table", {"a": 1}),
            ("maybe", None),
            ("anything", {"x": [None]}),
        ],
    )
    def test_accepted(self, name: str, value: Any) -> None:
        Typed(**{name: value}).validate()

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("count", "3", "Typed.count: expected int, got str '3'"),
            ("count", True, "Typed.count: expected int, got bool True"),
            ("count", 1.0, "Typed.count: expected int, got float 1.0"),
            ("ratio", False, "Typed.ratio: expected float, got bool False"),
            ("flag", 1, "Typed.flag: expected bool, got int 1"),
            ("text", b"a", "Typed.text: expected str, got bytes b'a'"),
            (
                "day",
                datetime.datetime(2024, 1, 2),
                "Typed.day: expected date, got datetime datetime.datetime(2024, 1, 2, 0, 0)",
            ),
            ("money", 1.1, "Typed.money: expected Decimal, got float 1.1"),
            ("ident", str(uuid.UUID(int=1)), "Typed.ident: expected UUID, got str"),
            ("items", (1, 2), "Typed.items: expected list, got tuple (1, 2)"),
            ("numbers", [1, "2"], "Typed.numbers[1]: expected int, got str '2'"),
            ("numbers", [1, None], "Typed.numbers[1]: expected int, got None"),
            ("table", {"a": 1, "b": 2.5}, "Typed.table.b: expected int, got float 2.5"),
            ("maybe", "x", "Typed.maybe: expected int | None, got str 'x'"),
        ],
    )
    def test_refused(self, name: str, value: Any, message: str) -> None:
        with pytest.raises(ValidationError, match=f"^{re.escape(message)}") as caught:
            Typed(**{name: value}).validate()
        assert caught.value.rule == "type"
        assert caught.value.field == message.split(":")[0].removeprefix("Typed.")

    def test_long_values_are_shortened_in_messages(self) -> None:
        with pytest.raises(ValidationError) as caught:
            Typed(count="x" * 10_000).validate()
        assert len(str(caught.value)) < 200
        assert caught.value.value == "x" * 10_000

    @pytest.mark.parametrize("type_", [set, tuple, dict[int, str], int | str, object])
    def test_unsupported_types_fail_at_declaration(self, type_: Any) -> None:
        with pytest.raises(TypeError, match=r"Field\(\) cannot check type .*; use str, int"):
            Field(type_)


class TestChoices:
    def test_value_in_choices(self) -> None:
        Pet(name="Rex", kind="dog").validate()

    def test_value_not_in_choices(self) -> None:
        with raises("Pet.kind: 'cow' is not one of the choices 'cat', 'dog'") as caught:
            Pet(name="Rex", kind="cow").validate()
        assert (caught.value.rule, caught.value.value) == ("choices", "cow")

    def test_choices_compare_as_doqu_values(self) -> None:
        class Level(Document):
            value = Field(choices=(1, 2))

        Level(value=1.0).validate()
        with raises("Level.value: True is not one of the choices 1, 2"):
            Level(value=True).validate()


class TestValidators:
    def test_validator_returning_false(self) -> None:
        with raises("Person.age: validator is_not_negative rejected -1") as caught:
            Person(name="Ann", age=-1).validate()
        assert (caught.value.rule, caught.value.field, caught.value.value) == (
            "validator",
            "age",
            -1,
        )

    def test_validator_raising_value_error(self) -> None:
        class Login(Document):
            user = Field(str, validators=[must_be_lowercase])

        Login(user="ann").validate()
        with raises(
            "Login.user: validator must_be_lowercase rejected 'Ann': use lowercase letters"
        ):
            Login(user="Ann").validate()

    def test_validators_see_nested_documents_as_views(self) -> None:
        seen: list[Any] = []

        class Letter(Document):
            to = Field(Address, validators=[seen.append])

        Letter(to={"city": "Oslo"}).validate()
        assert isinstance(seen[0], Address)
        assert seen[0].city == "Oslo"

    def test_validators_are_skipped_for_missing_values(self) -> None:
        class Strict(Document):
            value = Field(int, validators=[is_not_negative])

        Strict().validate()


class TestNestedDocuments:
    def test_nested_field_is_a_view_on_the_parent_record(self) -> None:
        person = Person(name="Ann", address={"city": "Oslo"})
        person.address.city = "Bergen"
        assert person.record["address"] == {"city": "Bergen"}

    def test_assigning_a_document_stores_its_record(self) -> None:
        address = Address(city="Oslo")
        person = Person(name="Ann", address=address)
        assert person.record["address"] is address.record
        address.city = "Bergen"
        assert person.address.city == "Bergen"

    def test_list_of_documents_reads_as_views(self) -> None:
        person = Person(name="Ann", pets=[Pet(name="Rex"), {"name": "Tom"}])
        assert [pet.name for pet in person.pets] == ["Rex", "Tom"]
        person.pets[1].name = "Tim"
        assert person.record["pets"] == [{"name": "Rex"}, {"name": "Tim"}]

    def test_list_of_documents_writes_through(self) -> None:
        person = Person(name="Ann")
        person.pets.append(Pet(name="Rex"))
        person.pets.insert(0, {"name": "Tom"})
        person.pets += [Pet(name="Max")]
        assert person.record["pets"] == [{"name": "Tom"}, {"name": "Rex"}, {"name": "Max"}]
        person.pets[0] = Pet(name="Tim")
        del person.pets[1]
        assert person.pets.pop().name == "Max"
        assert person.record["pets"] == [{"name": "Tim"}]
        person.pets[0:1] = [Pet(name="Ida"), Pet(name="Bo")]
        person.pets.sort(key=lambda pet: pet.name)  # reads views, writes their records back
        assert person.record["pets"] == [{"name": "Bo"}, {"name": "Ida"}]

    def test_appended_document_is_saved_and_reads_back(self) -> None:
        storage = MemoryStorage()
        person = Person(name="Ann")
        key = person.save(storage)
        person.pets.append(Pet(name="Rex"))
        person.save(storage)
        loaded = storage.get(Person, key)
        assert [pet.name for pet in loaded.pets] == ["Rex"]
        loaded.pets.append(Pet(name="Tom"))
        loaded.save(storage)
        assert storage.get(dict, key)["pets"] == [{"name": "Rex"}, {"name": "Tom"}]

    def test_dict_of_documents_writes_through(self) -> None:
        class Owner(Document):
            pets = Field(dict[str, Pet], default=dict)

        owner = Owner()
        owner.pets["rex"] = Pet(name="Rex")
        owner.pets.setdefault("tom", Pet(name="Tom"))
        owner.pets["rex"].name = "Rexy"
        assert owner.record["pets"] == {"rex": {"name": "Rexy"}, "tom": {"name": "Tom"}}
        del owner.pets["tom"]
        owner.pets.update(max=Pet(name="Max"))
        assert owner.record["pets"] == {"rex": {"name": "Rexy"}, "max": {"name": "Max"}}
        assert owner.pets == {"rex": Pet(name="Rexy"), "max": Pet(name="Max")}

    def test_nested_list_of_documents_writes_through(self) -> None:
        class Kennel(Document):
            rows = Field(list[list[Pet]], default=list)

        kennel = Kennel()
        kennel.rows.append([])
        kennel.rows[0].append(Pet(name="Rex"))
        assert kennel.record["rows"] == [[{"name": "Rex"}]]

    def test_nested_validation_paths(self) -> None:
        with raises("Person.address.city: expected str, got int 3"):
            Person(name="Ann", address={"city": 3}).validate()
        with raises("Person.pets[1].name: required field is missing (expected str)") as caught:
            Person(name="Ann", pets=[{"name": "Rex"}, {}]).validate()
        assert caught.value.field == "pets[1].name"

    def test_nested_value_must_be_a_record(self) -> None:
        with raises("Person.address: expected Address, got str 'Oslo'"):
            Person(name="Ann", address="Oslo").validate()

    def test_wrong_document_class_is_stored_as_its_record(self) -> None:
        with raises("Person.address.city: required field is missing (expected str)"):
            Person(name="Ann", address=Pet(name="Rex")).validate()

    def test_optional_nested_document(self) -> None:
        class Letter(Document):
            to = Field(Address | None)

        assert Letter().to is None
        assert Letter(to=Address(city="Oslo")).to.city == "Oslo"
        with raises("Letter.to.city: expected str, got int 1"):
            Letter(to={"city": 1}).validate()

    def test_dict_of_documents(self) -> None:
        class Office(Document):
            sites = Field(dict[str, Address])

        office = Office(sites={"main": Address(city="Oslo")})
        office.sites["main"].city = "Bergen"
        assert office.record == {"sites": {"main": {"city": "Bergen", "country": "NO"}}}
        with raises("Office.sites.annex.city: required field is missing (expected str)"):
            Office(sites={"annex": {}}).validate()


class TestRecordView:
    def test_unknown_fields_survive_load_modify_save(self) -> None:
        record = {"name": "Ann", "legacy": {"x": [1]}, "age": 3}
        person = Person.from_record(record, "k1")
        person.age = 4
        saved = person.to_record()
        assert saved["legacy"] == {"x": [1]}
        assert saved["age"] == 4
        assert record["age"] == 4  # the document is a view on the loaded record

    def test_from_record_neither_copies_nor_validates(self) -> None:
        record = {"name": 5}
        person = Person.from_record(record, "k1")
        assert person.record is record
        assert person.pk == "k1"
        assert person["name"] == 5
        with raises("Person.name: expected str, got int 5"):
            person.to_record()

    def test_item_access_reads_and_writes_the_record(self) -> None:
        person = Person.from_record({"name": "Ann", "extra": 1}, None)
        assert person["extra"] == 1
        assert "extra" in person
        assert "age" not in person  # item access does not apply defaults
        assert person.get("missing", "none") == "none"
        person["extra"] = Address(city="Oslo")
        assert person.record["extra"] == {"city": "Oslo", "country": "NO"}
        del person["extra"]
        assert "extra" not in person
        with pytest.raises(KeyError):
            person["extra"]

    def test_deleting_a_field_removes_it_from_the_record(self) -> None:
        person = Person(name="Ann", age=5)
        del person.age
        assert "age" not in person.record
        assert person.age == 0

    def test_to_record_is_a_copy(self) -> None:
        person = Person(name="Ann")
        saved = person.to_record()
        saved["name"] = "Bob"
        assert person.name == "Ann"

    def test_unknown_keyword(self) -> None:
        message = (
            "Person() got unknown field(s) 'nick'; declared fields: 'name', 'age', 'tags', "
            "'scores', 'address', 'pets'. Set fields outside the schema with "
            "doc['nick'] = value"
        )
        with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
            Person(name="Ann", nick="A")

    def test_unknown_attribute_assignment_is_refused(self) -> None:
        person = Person(name="Ann")
        with pytest.raises(AttributeError, match=r"^Person has no field 'nmae'; declared"):
            person.nmae = "Bob"  # type: ignore[attr-defined]
        assert "nmae" not in person


class TestCheckChanges:
    def test_declared_fields_are_checked(self) -> None:
        with raises("Person.age: expected int, got str '3'"):
            Person.check_changes({"age": "3"})
        with raises("Person.age: validator is_not_negative rejected -5"):
            Person.check_changes({"age": -5})
        with raises("Person.pets.0.kind: 'cow' is not one of the choices 'cat', 'dog'"):
            Person.check_changes({"pets.0.kind": "cow"})

    def test_required_fields_cannot_be_set_to_none(self) -> None:
        with raises("Person.name: required field is None (expected str)"):
            Person.check_changes({"name": None})
        Person.check_changes({"age": None})

    def test_dotted_names_are_checked_against_nested_classes(self) -> None:
        with raises("Person.address.city: expected str, got int 1"):
            Person.check_changes({"address.city": 1})
        with raises("Person.address.city: required field is missing (expected str)"):
            Person.check_changes({"address": {"country": "SE"}})
        with raises("Person.tags.2: expected str, got int 1"):
            Person.check_changes({"tags.2": 1})

    def test_valid_and_unknown_changes_pass(self) -> None:
        record = {"city": "Oslo"}
        Person.check_changes(
            {"age": 3, "address": record, "address.zip": 1, "legacy": object(), "pets.x": 1}
        )
        assert record == {"city": "Oslo"}  # checking fills in no defaults


class TestDeclaration:
    def test_fields_collect_through_inheritance(self) -> None:
        class Employee(Person):
            name = Field(str, choices=("Ann", "Bob"))
            salary = Field(decimal.Decimal)

        assert list(Employee.__fields__) == [
            "name",
            "age",
            "tags",
            "scores",
            "address",
            "pets",
            "salary",
        ]
        assert Employee.__fields__["name"].required is False
        assert Person.__fields__["name"].required is True
        assert Employee.__indexes__ == (Index("name"),)

    def test_subclass_can_remove_a_field(self) -> None:
        class Anonymous(Pet):
            name = None  # type: ignore[assignment]

        assert list(Anonymous.__fields__) == ["kind"]

    @pytest.mark.parametrize("name", ["pk", "save", "record", "_id"])
    def test_reserved_names(self, name: str) -> None:
        with pytest.raises(TypeError, match=f"^Bad.{name}: '{name}' is reserved by doqu"):
            type("Bad", (Document,), {name: Field()})

    def test_one_field_object_per_name(self) -> None:
        shared: Field[Any] = Field()
        with pytest.raises(TypeError, match=r"^Bad\.b is the Field already declared as 'a'"):
            type("Bad", (Document,), {"a": shared, "b": shared})

    def test_field_repr(self) -> None:
        assert repr(Person.__fields__["tags"]) == "Field(list[str], default=[])"
        assert repr(Pet.__fields__["name"]) == "Field(str, required=True)"


class TestIdentity:
    def test_equality_needs_class_pk_and_record(self) -> None:
        assert Pet.from_record({"name": "Rex"}, "k") == Pet.from_record({"name": "Rex"}, "k")
        assert Pet.from_record({"name": "Rex"}, "k") != Pet.from_record({"name": "Rex"}, "j")
        assert Pet.from_record({"name": "Rex"}, "k") != Pet.from_record({"name": "Tom"}, "k")
        assert Pet.from_record({"name": "Rex"}, "k") != Address.from_record({"name": "Rex"}, "k")
        assert Pet(name="Rex") != {"name": "Rex"}

    def test_documents_are_unhashable(self) -> None:
        with pytest.raises(TypeError, match="unhashable"):
            hash(Pet(name="Rex"))

    def test_repr_shows_pk_and_declared_fields(self) -> None:
        pet = Pet.from_record({"name": "Rex", "extra": 1}, "k1")
        assert repr(pet) == "<Pet pk='k1' name='Rex'>"


class TestStorage:
    def test_save_load_and_delete(self) -> None:
        storage = MemoryStorage()
        person = Person(name="Ann", address=Address(city="Oslo"))
        person["legacy"] = True
        key = person.save(storage)
        assert person.pk == key
        loaded = storage.get(Person, key)
        assert loaded == person
        assert loaded.address.city == "Oslo"
        assert loaded["legacy"] is True
        assert [found.name for found in Person.objects(storage)] == ["Ann"]
        loaded.delete(storage)
        assert key not in storage

    def test_save_validates_and_writes_nothing_when_invalid(self) -> None:
        storage = MemoryStorage()
        with raises("Person.age: expected int, got str 'old'"):
            Person(name="Ann", age="old").save(storage)
        assert len(storage) == 0

    def test_update_is_checked_against_the_schema(self) -> None:
        storage = MemoryStorage()
        Person(name="Ann").save(storage)
        with raises("Person.age: expected int, got str 'old'"):
            Person.objects(storage).update(age="old")
        assert Person.objects(storage).update(age=40) == 1

    def test_deleting_an_unsaved_document(self) -> None:
        with pytest.raises(DocumentNotFoundError, match="it has no pk, so it was never saved"):
            Pet(name="Rex").delete(MemoryStorage())


class TestConversion:
    def test_document_classes_are_convertible(self) -> None:
        assert issubclass(Person, Convertible)
        person = Person.from_record({"name": "Ann"}, "k1")
        assert isinstance(person, Convertible)
        record, key = to_record(person)
        assert key == "k1"
        assert record["name"] == "Ann"
        codec = codec_for(Person)
        assert codec.load({"name": "Bob"}, "k2") == Person.from_record({"name": "Bob"}, "k2")
        with raises("Person.age: expected int, got str 'x'"):
            codec.check_changes({"age": "x"})

    def test_dataclasses(self) -> None:
        @dataclasses.dataclass
        class Point:
            x: int
            y: int
            pk: str | None = None

        point = codec_for(Point).load({"x": 1, "y": 2, "extra": 3}, "k")
        assert point == Point(1, 2, "k")
        assert to_record(point) == ({"x": 1, "y": 2}, "k")

    def test_custom_convertible(self) -> None:
        class Celsius:
            def __init__(self, degrees: float) -> None:
                self.degrees = degrees
                self.pk: str | None = None

            @classmethod
            def from_record(cls, record: dict[str, Any], key: Any) -> Self:
                loaded = cls(record["kelvin"] - 273.15)
                loaded.pk = key
                return loaded

            def to_record(self) -> dict[str, Any]:
                return {"kelvin": self.degrees + 273.15}

        loaded = codec_for(Celsius).load({"kelvin": 273.15}, "k")
        assert (loaded.degrees, loaded.pk) == (0.0, "k")
        assert to_record(Celsius(10.0)) == ({"kelvin": 283.15}, None)
        storage = MemoryStorage()
        key = storage.save(Celsius(1.0))
        assert storage.get(Celsius, key).degrees == pytest.approx(1.0)


class _Named(Document):
    name = Field(str, required=True)


def test_get_or_create_on_an_undeclared_field_is_a_query_error_and_writes_nothing() -> None:
    storage = MemoryStorage()
    with pytest.raises(QueryError, match=r"_Named\(\*\*conditions\), which failed: .*'nick'"):
        storage.get_or_create(_Named, name="Ann", nick="A")
    assert len(storage) == 0
    created, was_created = storage.get_or_create(_Named, name="Ann")
    assert (created.name, was_created, len(storage)) == ("Ann", True, 1)
