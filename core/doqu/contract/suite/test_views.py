"""Document classes as views (``__view__``): several classes over one collection, each reading
and writing only the records that meet its conditions, subclasses ANDing theirs."""

from __future__ import annotations

import datetime

import pytest

from ... import Document, Q
from ..._storage import StorageAdapter
from ...errors import DocumentNotFoundError, QueryError
from .._fixtures import Oracle, StorageFixtures
from ._support import keys, seed

__all__ = ["DocumentViewContract"]


class Person(Document):
    """The original doqu's must_have: a person has a first and a last name."""

    __view__ = Q(first_name__exists=True, last_name__exists=True)

    first_name: str
    last_name: str


class User(Person):
    """A person with a username: ANDed with Person's view."""

    __view__ = Q(username__exists=True)

    username: str


class Draft(Document):
    """A post whose pub_date exists and is None; it stops being a draft once it has a date."""

    __view__ = Q(pub_date__exists=True) & Q(pub_date=None)

    title: str
    pub_date: datetime.datetime | None


class BlogPost(Document):
    """The original doqu's inheritance chain: every post has a title."""

    __view__ = Q(title__exists=True)

    title: str


class DraftPost(BlogPost):
    """A post whose pub_date exists and is None."""

    __view__ = Q(pub_date__exists=True) & Q(pub_date=None)

    pub_date: datetime.datetime | None


class Publication(BlogPost):
    """A post with a date."""

    __view__ = Q(pub_date__ne=None)

    pub_date: datetime.datetime


class CategorizedPublication(Publication):
    """A publication with categories."""

    __view__ = Q(categories__exists=True)

    categories: list[str]


POSTS = {
    "intro": {"title": "Intro", "pub_date": None},
    "launch": {"title": "Launch", "pub_date": datetime.datetime(2020, 1, 2)},
    "cats": {"title": "Cats", "pub_date": datetime.datetime(2021, 3, 4), "categories": ["pets"]},
    "idea": {"title": "Idea"},  # a post, neither a draft nor a publication
    "untitled": {"pub_date": None},  # not a post, so not a draft
    "oslo": {"name": "Oslo", "type": "city"},
}
CHAIN = (BlogPost, DraftPost, Publication, CategorizedPublication)


def chain_counts(storage: StorageAdapter) -> list[int]:
    """How many records each class of the chain sees."""
    return [cls.objects(storage).count() for cls in CHAIN]


RECORDS = {
    "ann": {"first_name": "Ann", "last_name": "Lee"},
    "bob": {"first_name": "Bob", "last_name": "Ray", "username": "bob"},
    "no": {"name": "Norway", "type": "country"},
    "half": {"first_name": "Half"},
}


class DocumentViewContract(StorageFixtures):
    """A class's ``__view__`` applies to every read and write through it, on the backend."""

    def test_view_reads_see_only_records_in_the_view(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        people = Person.objects(storage)
        assert keys(people) == {"ann", "bob"}
        assert keys(storage.find(Person, first_name="Half")) == set()
        assert people.count() == 2
        assert storage.find(Person, last_name="Ray").exists()
        assert not storage.find(Person, first_name="Half").exists()
        assert sorted(people.values("first_name")) == ["Ann", "Bob"]
        ordered = people.order_by("first_name")
        first = ordered.first()
        assert first is not None
        assert first.pk == "ann"
        assert [p.pk for p in ordered[1:]] == ["bob"]
        assert sorted(p.first_name for p in people) == ["Ann", "Bob"]

    def test_view_of_a_subclass_is_anded_with_its_bases(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS | {"nameless": {"username": "ghost"}})
        assert keys(User.objects(storage)) == {"bob"}
        assert User.objects(storage).count() == 1

    def test_view_queries_combined_with_or_stay_inside(self, storage: StorageAdapter) -> None:
        seed(storage, RECORDS)
        either = storage.find(Person, first_name="Ann") | storage.find(Person, name="Norway")
        assert keys(either) == {"ann"}
        assert keys(storage.find(Person).where_not(first_name="Ann")) == {"bob"}

    def test_view_delete_through_a_query_never_touches_records_outside(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, RECORDS)
        assert Person.objects(storage).delete() == 2
        assert sorted(raw.keys()) == ["half", "no"]
        assert raw.get("no") == RECORDS["no"]

    def test_view_update_through_a_query_never_touches_records_outside(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, RECORDS)
        assert storage.find(User).update(last_name="Changed") == 1
        assert raw.get("bob") == RECORDS["bob"] | {"last_name": "Changed"}
        for key in ("ann", "no", "half"):
            assert raw.get(key) == RECORDS[key]

    def test_view_get_of_a_record_outside_is_not_found_saying_why(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, RECORDS)
        assert storage.get(Person, "ann").first_name == "Ann"
        with pytest.raises(DocumentNotFoundError, match=r"'no' exists but is not a Person"):
            storage.get(Person, "no")
        with pytest.raises(DocumentNotFoundError, match=r"'ann' exists but is not a User"):
            storage.get_many(User, ["bob", "ann"])
        with pytest.raises(DocumentNotFoundError, match=r"no record with key 'zed'"):
            storage.get(Person, "zed")
        assert storage.get(dict, "no") == RECORDS["no"]  # plain dicts see every record

    def test_view_get_or_create_finds_and_creates_inside_the_view(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, RECORDS)
        found, created = storage.get_or_create(Person, first_name="Bob", last_name="Ray")
        assert (found.pk, created) == ("bob", False)
        # the country's name is not a person's name: a new person is made, the country stays
        made, created = storage.get_or_create(User, first_name="Ann", last_name="Lee", username="a")
        assert created
        assert made.pk not in RECORDS
        assert raw.get(made.pk) == {"first_name": "Ann", "last_name": "Lee", "username": "a"}
        assert storage.get(User, made.pk).username == "a"

    def test_view_get_or_create_refuses_a_record_outside_the_view(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        class Titled(Document):
            __view__ = Q(title__exists=True)

            name: str

        with pytest.raises(QueryError, match=r"is not a Titled: it does not meet Titled\.__view__"):
            storage.get_or_create(Titled, name="x")
        assert list(raw.keys()) == []

    def test_view_converting_a_record_from_one_view_to_another(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, RECORDS)
        ann = storage.get(Person, "ann")
        user = ann.convert_to(User)
        user.username = "ann"
        assert user.save(storage) == "ann"
        assert raw.get("ann") == RECORDS["ann"] | {"username": "ann"}
        assert keys(User.objects(storage)) == {"ann", "bob"}

    def test_view_draft_stops_being_one_once_it_has_a_date(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"title": "A", "pub_date": None},
                "b": {"title": "B", "pub_date": datetime.datetime(2020, 1, 2)},
                "c": {"title": "C"},
            },
        )
        assert keys(Draft.objects(storage)) == {"a"}
        draft = storage.get(Draft, "a")
        draft.pub_date = datetime.datetime(2021, 5, 6)
        draft.save(storage)
        assert keys(Draft.objects(storage)) == set()
        with pytest.raises(DocumentNotFoundError, match="exists but is not a Draft"):
            storage.get(Draft, "a")

    def test_view_chain_base_classes_see_their_subclasses_records(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, POSTS)
        assert chain_counts(storage) == [4, 1, 2, 1]
        assert keys(BlogPost.objects(storage)) == {"intro", "launch", "cats", "idea"}
        assert keys(DraftPost.objects(storage)) == {"intro"}
        assert [p.pk for p in Publication.objects(storage).order_by("-pub_date")] == [
            "cats",
            "launch",
        ]
        assert keys(CategorizedPublication.objects(storage)) == {"cats"}
        assert sorted(BlogPost.objects(storage).values("title")) == [
            "Cats",
            "Idea",
            "Intro",
            "Launch",
        ]
        assert keys(storage.find(BlogPost, title__startswith="I")) == {"intro", "idea"}
        assert storage.get(BlogPost, "cats").title == "Cats"  # a base class loads any post
        with pytest.raises(DocumentNotFoundError, match="exists but is not a Publication"):
            storage.get(Publication, "intro")
        with pytest.raises(DocumentNotFoundError, match="exists but is not a DraftPost"):
            storage.get(DraftPost, "untitled")

    def test_view_chain_a_draft_becomes_a_publication_when_dated(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, POSTS)
        draft = storage.get(DraftPost, "intro")
        draft.pub_date = datetime.datetime(2022, 7, 8)
        draft.save(storage)
        assert chain_counts(storage) == [4, 0, 3, 1]
        assert storage.get(Publication, "intro").pub_date == datetime.datetime(2022, 7, 8)
        # categories given through a query of publications make it a categorized one
        assert storage.find(Publication, title="Intro").update(categories=["news"]) == 1
        assert chain_counts(storage) == [4, 0, 3, 2]
        # a new draft; deleting the drafts leaves every publication and plain post
        storage.save({"title": "Next", "pub_date": None}, "next")
        assert chain_counts(storage) == [5, 1, 3, 2]
        assert DraftPost.objects(storage).delete() == 1
        assert chain_counts(storage) == [4, 0, 3, 2]
        assert sorted(raw.keys()) == ["cats", "idea", "intro", "launch", "oslo", "untitled"]
