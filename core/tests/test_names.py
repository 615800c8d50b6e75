"""Keyword lookups with ``__`` paths: ``address__city__in``, declared nested fields, the escape."""

from __future__ import annotations

from typing import Any

import pytest

import doqu
from doqu import Document, Field, Lookup
from doqu.errors import UnsupportedLookupError


class Address(Document):
    city = Field(str)
    year = Field(int, required=False)


class Person(Document):
    name = Field(str)
    address = Field(Address, required=False)


class Odd(Document):
    odd__name = Field(str)


@pytest.fixture
def storage() -> Any:
    s = doqu.connect("memory://")
    for name, city in [("Ann", "Oslo"), ("Bob", "Lima"), ("Cy", "Rome")]:
        Person(name=name, address=Address(city=city, year=2000)).save(s)
    return s


def names(query: Any) -> list[str]:
    return sorted(doc["name"] for doc in query)


def test_double_underscore_path_ending_in_a_lookup(storage: Any) -> None:
    assert names(storage.find(Person, address__city__in=["Oslo", "Lima"])) == ["Ann", "Bob"]
    # the same on dict queries, where no class declares anything
    assert names(storage.find(address__city__in=["Oslo", "Lima"])) == ["Ann", "Bob"]
    assert names(storage.find(Person, address__city__equals="Rome")) == ["Cy"]


def test_declared_nested_field_is_an_equality(storage: Any) -> None:
    assert names(storage.find(Person, address__city="Oslo")) == ["Ann"]


def test_dotted_names_keep_working(storage: Any) -> None:
    assert names(storage.find(Person, **{"address.city__in": ["Rome"]})) == ["Cy"]
    assert names(storage.find(**{"address.city": "Lima"})) == ["Bob"]


def test_undeclared_nested_equality_is_an_error_naming_the_dotted_form(storage: Any) -> None:
    with pytest.raises(UnsupportedLookupError, match=r"address__city__equals=\.\.\."):
        storage.find(address__city="Oslo")


def test_ambiguous_name_shows_both_readings(storage: Any) -> None:
    # ``year`` is a lookup (on dates) and a field Address declares
    with pytest.raises(UnsupportedLookupError) as raised:
        storage.find(Person, address__year=2000)
    message = str(raised.value)
    assert "doqu.Lookup('address', 'year', value)" in message
    assert "doqu.Lookup('address.year', 'equals', value)" in message
    assert names(storage.find(Person, address__year__equals=2000)) == ["Ann", "Bob", "Cy"]


def test_field_names_containing_double_underscore() -> None:
    s = doqu.connect("memory://")
    Odd(odd__name="x").save(s)
    s.save({"odd__name": "y"})
    # the escape: an explicit Lookup names the field exactly
    found = s.find().where(Lookup("odd__name", "in", ["x", "y"]))
    assert sorted(doc["odd__name"] for doc in found) == ["x", "y"]
    # a class that declares such a field reads its keywords literally
    assert [d["odd__name"] for d in s.find(Odd, odd__name="x")] == ["x"]
    assert [d["odd__name"] for d in s.find(Odd, odd__name__in=["x"])] == ["x"]
