"""Document classes as views: how ``__view__`` is declared and combined (the contract suite's
DocumentViewContract tests what every backend does with it)."""

from __future__ import annotations

import pytest

from doqu import And, Document, Q


class Person(Document):
    __view__ = Q(first_name__exists=True)


class User(Person):
    __view__ = Q(username__exists=True)


class Admin(User):
    level: int = 1


class Tagged(Document):
    __view__ = Q(tags__exists=True)


class TaggedUser(User, Tagged):
    pass


def test_a_class_without_view_sees_every_record() -> None:
    class Plain(Document):
        name: str

    assert Plain.__view__ is None


def test_subclasses_and_their_view_with_their_bases() -> None:
    assert Person.__view__ == Q(first_name__exists=True)
    assert User.__view__ == And((Q(first_name__exists=True), Q(username__exists=True)))
    assert Admin.__view__ == User.__view__
    assert TaggedUser.__view__ == And((User.__view__, Tagged.__view__))  # type: ignore[arg-type]


def test_a_view_must_be_a_condition() -> None:
    with pytest.raises(TypeError, match=r"^Bad\.__view__ must be a condition such as Q\("):

        class Bad(Document):
            __view__ = "kind=bad"  # type: ignore[assignment]


def test_convert_to_shares_the_record_and_key() -> None:
    person = Person.from_record({"first_name": "Ann"}, "k1")
    user = person.convert_to(User)
    user["username"] = "ann"
    assert (type(user), user.pk, person.record) == (
        User,
        "k1",
        {"first_name": "Ann", "username": "ann"},
    )


def test_convert_to_sets_the_given_values() -> None:
    class Named(User):
        nick: str

    person = Person.from_record({"first_name": "Ann"}, "k1")
    # nick is a declared field (set as an attribute), username and level are not (items)
    user = person.convert_to(Named, {"username": "ann", "nick": "A", "level": 2})
    assert (type(user), user.pk, user.nick, user["username"]) == (Named, "k1", "A", "ann")
    assert person.record == {"first_name": "Ann", "username": "ann", "nick": "A", "level": 2}
    assert user.record is person.record
    with pytest.raises(TypeError, match=r"values as a mapping of field names to values"):
        person.convert_to(User, ["username"])  # type: ignore[arg-type]
