"""A tour of doqu on a real dataset: the 118 chemical elements.

    python examples/tour.py                       # in memory, no server needed
    python examples/tour.py mongodb://localhost/tour/elements
    python examples/tour.py shelve:///tmp/elements.db

The same code runs on every backend: only the URL changes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import doqu
from doqu import Document, Field, Index, Q

DATA = Path(__file__).parent / "data" / "elements.csv"


def known_element(number: int) -> bool:
    return 1 <= number <= 118


class Element(Document):
    """One chemical element, as listed in ``data/elements.csv``."""

    # the records this class sees: other kinds of record may share the collection
    __view__ = Q(number__exists=True, symbol__exists=True)

    number: int = Field(validators=[known_element])  # no default: required
    symbol: str
    name: str
    mass: float | None = None
    period: int | None = None
    group: int | None = None  # lanthanides and actinides have no group
    block: str | None = Field(default=None, choices=("s", "p", "d", "f"))
    state: str | None = Field(default=None, choices=("solid", "liquid", "gas", "unknown"))

    __indexes__ = (Index("symbol", unique=True),)


class Source(Document):
    """Where the data comes from: a second class of record in the same collection."""

    __view__ = Q(kind="source")

    kind: str = "source"
    title: str
    url: str


def load_elements() -> list[Element]:
    with DATA.open(newline="", encoding="utf-8") as f:
        return [
            Element(
                number=int(row["number"]),
                symbol=row["symbol"],
                name=row["name"],
                mass=float(row["mass"]),
                period=int(row["period"]),
                group=int(row["group"]) if row["group"] else None,
                block=row["block"],
                state=row["state"],
            )
            for row in csv.DictReader(f)
        ]


def show(title: str, value: object) -> None:
    print(f"  {title:<52} {value}")


def main(url: str) -> None:
    with doqu.connect(url, collection="elements") as elements:
        print(f"doqu {doqu.__version__} on {url} ({elements.backend} backend)")
        print(f"  declares: {', '.join(elements.capabilities.declared())}\n")
        elements.clear()
        if elements.capabilities.unique_indexes:
            elements.ensure_indexes(Element)

        print("Store")
        keys = elements.save_many(load_elements())
        show("saved elements", len(keys))
        show("len(storage)", len(elements))

        print("\nQuery (lazy: nothing runs until read)")
        noble = elements.find(Element, group=18).order_by("number")
        show("noble gases", ", ".join(e.symbol for e in noble))
        show("d-block elements", elements.find(Element, block="d").count())
        heaviest = elements.find(Element).order_by("-mass")[:3]
        show("three heaviest", [e.name for e in heaviest])
        liquids = elements.find(Element, state="liquid").order_by("name")
        show("liquid at room temperature", [e.name for e in liquids])
        c_names = elements.find(Element).where(Q(name__startswith="C") & Q(period__in=[4, 5]))
        show("names starting with C in periods 4-5", sorted(e.name for e in c_names))
        either = elements.find(Element).where(Q(block="f") | Q(state="gas"))
        show("f-block or gas", either.count())
        show("states present", sorted(elements.find(Element).values("state")))
        show(
            "first non-solid by number",
            elements.find(Element).where_not(state="solid").order_by("number").first().name,
        )  # type: ignore[union-attr]

        print("\nChange")
        marked = elements.find(Element, number__gt=94).update(synthetic=True)
        show("marked synthetic (a field Element does not declare)", marked)
        fermium = elements.find(Element, symbol="Fm").first()
        assert fermium is not None
        show("Fm keeps the undeclared field", fermium["synthetic"])
        fermium.name = "Fermium"
        fermium.save(elements)
        show("after load-modify-save, still there", elements.get(Element, fermium.pk)["synthetic"])
        _, created = elements.get_or_create(Element, symbol="Au", number=79, name="Gold")
        show("get_or_create(symbol='Au', ...) created a record", created)

        print("\nTwo classes over one collection (each class is a view)")
        source = Source(title="Periodic table", url="https://en.wikipedia.org/wiki/Periodic_table")
        source.save(elements)
        show("len(storage): every record", len(elements))
        show("find(Element).count(): elements only", elements.find(Element).count())
        show("Source.objects(storage)", [s.title for s in Source.objects(elements)])
        try:
            elements.get(Element, source.pk)
        except doqu.errors.DocumentNotFoundError as e:
            show("get(Element, source.pk)", f"not found: {str(e)[:50]}...")
        show("Source.objects(storage).delete(): sources only", Source.objects(elements).delete())
        show("elements still there", elements.find(Element).count())

        print("\nBad input gets a clear error and writes nothing")
        try:
            Element(number=200, symbol="Xx", name="Nope").save(elements)
        except doqu.errors.ValidationError as e:
            show("Element(number=200)", f"ValidationError: {e}")
        try:
            elements.find(Element, mass__gtt=1)
        except doqu.errors.QueryError as e:
            show("find(mass__gtt=1)", f"{type(e).__name__}: {str(e)[:60]}...")
        hostile = {"name": {"$ne": None}}  # e.g. JSON from an HTTP request
        show("find(**{'name': {'$ne': None}}) matches (literal)", elements.find(**hostile).count())
        show("len(storage)", len(elements))

        print("\nSwap backends: copy everything to a fresh in-memory store")
        with doqu.connect("memory://") as copy:
            show("copied", doqu.copy(elements, copy))
            show(
                "same noble gases there",
                [e.symbol for e in copy.find(Element, group=18).order_by("number")]
                == [e.symbol for e in noble],
            )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "memory://")
