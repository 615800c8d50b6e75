"""The person model, declared twice: as a doqu Document and as a mongoengine Document.

Both declare the same eight fields with the same types; each library validates them its own
way when it saves.
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

import mongoengine
from bson import ObjectId

from doqu import Document, Field

__all__ = ["Address", "Person", "mongoengine_person", "mongoengine_row"]


class Address(Document):
    """A person's address, nested in the person's record."""

    city: str
    zip: str | None = None


class Person(Document):
    """A person, as the doqu Document contender reads and writes it."""

    name: str
    email: str
    age: int
    score: float = 0.0
    active: bool = True
    created: datetime.datetime | None = None
    tags: list[str] = Field(default=list)
    address: Address | None = None


class _MongoAddress(mongoengine.EmbeddedDocument):  # type: ignore[misc]
    city = mongoengine.StringField(required=True)
    zip = mongoengine.StringField()


def _new_key() -> str:
    return str(ObjectId())


@cache
def mongoengine_person(collection: str, alias: str) -> type[Any]:
    """The mongoengine person model bound to ``collection`` of the connection ``alias``.

    Keys are strings, as in the stored data; new documents get one generated on the client.
    """
    fields: dict[str, Any] = {
        "key": mongoengine.StringField(primary_key=True, default=_new_key),
        "name": mongoengine.StringField(required=True),
        "email": mongoengine.StringField(required=True),
        "age": mongoengine.IntField(required=True),
        "score": mongoengine.FloatField(default=0.0),
        "active": mongoengine.BooleanField(default=True),
        "created": mongoengine.DateTimeField(),
        "tags": mongoengine.ListField(mongoengine.StringField()),
        "address": mongoengine.EmbeddedDocumentField(_MongoAddress),
        # the other contenders create no index either
        "meta": {"collection": collection, "db_alias": alias, "auto_create_index": False},
    }
    return type(f"MongoPerson_{alias}_{collection}", (mongoengine.Document,), fields)


def mongoengine_row(model: type[Any], row: dict[str, Any]) -> Any:
    """A mongoengine person built from a row, as a user builds one."""
    return model(**{**row, "address": _MongoAddress(**row["address"])})
