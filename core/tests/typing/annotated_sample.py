"""Checked by mypy --strict in test_annotations.py: every ``# type:`` comment is a revealed type,
every ``# error:`` comment an error code mypy must report on that line."""

from __future__ import annotations

from typing import reveal_type

from doqu import DeclaredField, Document, Field


def not_empty(value: str) -> bool:
    return bool(value)


class Address(Document):
    city: str
    country: str = "NO"


class Person(Document):
    name: str = Field(validators=[not_empty])
    age: int = 0
    tags: list[str] = Field(default=list)
    address: Address | None = None
    friends: list[Address] = Field(default=list)


class Legacy(Document):
    name = Field(str, required=True)


ann = Person(name="Ann", address=Address(city="Oslo"))
Person(name="Bo", age=3, tags=["x"], address=None, friends=[Address(city="Lima")])
reveal_type(ann.age)  # type: int
reveal_type(ann.tags)  # type: list[str]
reveal_type(ann.address)  # type: annotated_sample.Address | None
reveal_type(ann.friends)  # type: list[annotated_sample.Address]
reveal_type(Person.from_record({}, None))  # type: annotated_sample.Person
reveal_type(Legacy(name="x").name)  # type: str
reveal_type(Legacy.name)  # type: doqu._fields.DeclaredField[str]
ann.age = "old"  # error: assignment
Person(age=3)  # error: call-arg
Person(name="Bo", age="3")  # error: arg-type
Person(name="Bo", nickname="B")  # error: call-arg
field: DeclaredField[str] = Legacy.name
