"""Fields declared as annotations: the same schema at runtime, and typed for mypy (PEP 681)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
from mypy import api

from doqu import Document, Field
from doqu.errors import ValidationError

SAMPLE = Path(__file__).parent / "typing" / "annotated_sample.py"


def not_negative(value: int) -> bool:
    return value >= 0


class Address(Document):
    city: str
    country: str = "NO"


class Person(Document):
    counter: ClassVar[int] = 0

    name: str
    age: int = Field(default=0, validators=[not_negative])
    tags: list[str] = Field(default=list)
    kind: str = Field(default="human", choices=("human", "robot"))
    address: Address | None = None
    nickname: str | None
    email = Field(str)


class TestRuntime:
    def test_fields_in_annotation_order_with_their_types(self) -> None:
        assert {name: repr(field) for name, field in Person.__fields__.items()} == {
            "name": "Field(str, required=True)",
            "age": "Field(int, default=0, validators=(<function not_negative at "
            f"{hex(id(not_negative))}>,))",
            "tags": "Field(list[str], default=<class 'list'>)",
            "kind": "Field(str, default='human', choices=('human', 'robot'))",
            "address": "Field(Address | None, default=None)",
            "nickname": "Field(str | None)",
            "email": "Field(str)",
        }

    def test_class_variables_are_not_fields(self) -> None:
        assert "counter" not in Person.__fields__
        assert Person.counter == 0

    def test_defaults_and_nested_documents(self) -> None:
        bo = Person(name="Bo", address=Address(city="Oslo"))
        assert bo.record == {
            "name": "Bo",
            "age": 0,
            "tags": [],
            "kind": "human",
            "address": {"city": "Oslo", "country": "NO"},
        }
        assert bo.address is not None
        assert bo.address.city == "Oslo"
        assert Person(name="Cy").tags is not Person(name="Di").tags

    def test_no_default_means_required_unless_none_is_allowed(self) -> None:
        with pytest.raises(ValidationError, match=r"^Person\.name: required field is missing"):
            Person().validate()
        with pytest.raises(ValidationError, match=r"^Address\.city: required field is None"):
            Address(city=None).validate()
        Person(name="Ed", nickname=None).validate()  # str | None without default: optional

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"age": "3"}, "Person.age: expected int, got str '3'"),
            ({"age": -1}, "Person.age: validator not_negative rejected -1"),
            ({"kind": "cat"}, "Person.kind: 'cat' is not one of the choices 'human', 'robot'"),
            ({"address": {"country": "SE"}}, "Person.address.city: required field is missing"),
            ({"tags": ["a", 1]}, "Person.tags[1]: expected str, got int 1"),
        ],
    )
    def test_rules_are_checked(self, values: dict[str, Any], message: str) -> None:
        with pytest.raises(ValidationError, match=f"^{re.escape(message)}"):
            Person(name="Fay", **values).validate()

    def test_subclass_adds_and_overrides_annotated_fields(self) -> None:
        class Robot(Person):
            kind: str = "robot"
            serial: int

        assert list(Robot.__fields__)[-1] == "serial"
        assert Robot(name="R2", serial=2).record["kind"] == "robot"
        assert Person.__fields__["kind"].default == "human"

    def test_unsupported_annotation_names_the_field(self) -> None:
        with pytest.raises(TypeError, match=r"^Bad\.when: Field\(\) cannot check type"):

            class Bad(Document):
                when: set[int]

    def test_unresolvable_annotation_says_how_to_declare_it(self) -> None:
        with pytest.raises(TypeError, match=r"^Later: cannot resolve a field's annotation"):

            class Later(Document):
                other: Undefined  # type: ignore[name-defined]  # noqa: F821

    def test_slots_are_not_fields(self) -> None:
        class Cached(Document):
            __slots__ = ("cache",)
            cache: dict[str, int]
            name: str

        assert list(Cached.__fields__) == ["name"]


def test_mypy_types_annotated_documents(tmp_path: Path) -> None:
    """mypy --strict on the sample reports exactly the revealed types and errors it declares."""
    stdout, stderr, status = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path), str(SAMPLE)]
    )
    assert stderr == ""
    expected: set[tuple[int, str]] = set()
    for number, line in enumerate(SAMPLE.read_text().splitlines(), start=1):
        code, sep, want = line.partition("  # type: ")
        if sep:
            expected.add((number, f'note: Revealed type is "{want}"'))
        code, sep, want = line.partition("  # error: ")
        if sep:
            expected.add((number, f"error: [{want}]"))
    reported: set[tuple[int, str]] = set()
    for line in stdout.splitlines():
        match = re.match(r"^.*sample\.py:(\d+): (note|error): (.*?)(?:  \[(.+)\])?$", line)
        assert match, line
        number, level, text, code = match.groups()
        shown = f"error: [{code}]" if level == "error" else f"note: {text}"
        reported.add((int(number), shown))
    assert reported == expected
    assert status == 1  # the declared errors
