"""Random records and random queries: the backend must answer as the reference does.

Hypothesis generates small collections of records with mixed types (missing fields, ``None``,
ints and floats of equal value, bools, strings with regex characters, datetimes, lists and
nested records) and queries built from every lookup the backend declares, composed with AND,
OR and NOT, ordered and sliced. Each query runs on the backend and on a fresh memory storage,
whose evaluator (``doqu._evaluate``) is the reference. Records are saved under keys the test
chooses, so the key tie-break of ordered queries is defined and orders compare exactly; an
unordered window can hold any of the matches, so only its size is compared.

Two tests split the space: queries on top-level fields and nested records, and queries whose
dotted paths step through lists (``"p.x"`` over ``p: [{"x": 1}, ...]``), where MongoDB-like
servers differ most, so a backend can declare a gap in the second without losing the first.
Lists inside lists are generated only for backends that declare ``nested_lists``.

It runs 60 examples of four queries each, the same examples on every run (derandomized) so a
result never depends on luck; set ``DOQU_CONTRACT_EXAMPLES`` for more and
``DOQU_CONTRACT_RANDOM=1`` for fresh examples (a nightly run). Failing examples are reported as
found, unshrunk: shrinking can take hypothesis's budget of five minutes on a slow backend, on
every run when the failure is a declared known gap. Set ``DOQU_CONTRACT_SHRINK=1`` to shrink
them while debugging.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

try:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("doqu's contract suite needs hypothesis: pip install 'doqu[contract]'") from e

from ... import And, Condition, Index, Lookup, Not, Or
from ..._capabilities import Capabilities
from ..._conditions import LOOKUPS
from ..._query import Query
from ..._quirks import Quirk
from ..._storage import StorageAdapter
from ..._values import sort_key
from ...memory import MemoryStorage
from .._fixtures import StorageFixtures
from .._requirements import randomized

__all__ = ["DifferentialContract"]

DATES = [datetime(1999, 12, 31, 23, 59, 59, 999000), datetime(2024, 1, 1), datetime(2024, 6, 15)]
#: paths that never step through a list, and those that may
PATHS = ["a", "b", "c", "d", "d.x", "d.y", "p"]
THROUGH_LISTS = [*PATHS, "p.x", "p.0.x", "a.x"]
PATTERNS = ["a", "^a", "b$", "a.", "[ab]", "A", "é", "^$", "a|\\*"]
EXAMPLES = int(os.environ.get("DOQU_CONTRACT_EXAMPLES", "60"))
#: queries compared per example: records are saved once and read many times
QUERIES = 4
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
if os.environ.get("DOQU_CONTRACT_SHRINK"):
    PHASES.append(Phase.shrink)

#: the paths that step through a list (``p`` always holds one, ``a`` may)
STEP_THROUGH_LISTS = frozenset({"p.x", "p.0.x", "a.x"})
#: the paths whose values are never lists, the only ones to order by under
#: ``Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS``
NEVER_LISTS = ["c", "d.y"]
#: the paths with a numbered part
NUMBERED = frozenset({"p.0.x"})
#: lookups comparing for equality, whose values a quirk may restrict
EQUALITY = frozenset({"equals", "ne", "in", "nin"})


class Space:
    """The records and queries the differential draws for a backend: everything the reference
    answers, minus the inputs whose answer a quirk the backend declares changes."""

    def __init__(self, capabilities: Capabilities, paths: list[str]) -> None:
        self.capabilities = capabilities
        self.lookups = declared_lookups(capabilities)
        has = capabilities.has
        if has(Quirk.PATH_THROUGH_A_SCALAR_IS_NOT_MISSING):
            paths = [path for path in paths if path != "a.x"]
        self.paths = paths
        self.order_paths = (
            [path for path in paths if path in NEVER_LISTS]
            if has(Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS)
            else paths
        )
        if has(Quirk.ORDER_THROUGH_A_LIST_IS_THE_SERVERS):
            self.order_paths = [path for path in self.order_paths if path not in STEP_THROUGH_LISTS]
        # True == 1 and False == 0 there: draw no number a bool equals
        numbers = [-3, -2, -1, 0, 1, 2, 3, 0.5, 1.0, -2.5, 3.0]
        if has(Quirk.BOOL_EQUALS_NUMBER):
            numbers = [number for number in numbers if number not in (0, 1)]
        self.comparable = st.one_of(
            st.sampled_from(numbers), st.text("aAb.*$é", max_size=3), st.sampled_from(DATES)
        )
        self.scalar = st.one_of(st.none(), st.booleans(), self.comparable)
        self.small_record = st.fixed_dictionaries({}, optional={"x": self.scalar, "y": self.scalar})
        self.value = st.one_of(self.scalar, st.lists(self.scalar, max_size=3), self.small_record)
        # a value that is not a list (an element of a list, without nesting lists)
        self.element = st.one_of(self.scalar, self.small_record)

    def record(self) -> st.SearchStrategy[dict[str, Any]]:
        """A record with some of the fields the paths name."""
        return st.fixed_dictionaries(
            {},
            optional={
                "a": self.value,
                "b": self.value,
                "c": self.scalar,
                "d": st.fixed_dictionaries({}, optional={"x": self.value, "y": self.scalar}),
                "p": st.lists(st.fixed_dictionaries({}, optional={"x": self.scalar}), max_size=2),
            },
        )

    def lookup_value(self, name: str, path: str) -> st.SearchStrategy[Any]:
        """The value of lookup ``name`` on ``path``."""
        has = self.capabilities.has
        through = path in STEP_THROUGH_LISTS
        scalar, value, element = self.scalar, self.value, self.element
        if name in EQUALITY:
            if (through and has(Quirk.NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL)) or (
                path in NUMBERED and has(Quirk.NUMBERED_PATH_READS_ONLY_THAT_ELEMENT)
            ):
                scalar = self.comparable | st.booleans()
            small = st.fixed_dictionaries({}, optional={"x": scalar, "y": scalar})
            if has(Quirk.SUBDOCUMENT_EQUALITY_IGNORES_KEY_ORDER):
                small = small.filter(lambda record: len(record) < 2)
            element = scalar | small
            # a list as a value compares with whole lists and element lists
            split = has(Quirk.LIST_EQUALITY_SPLIT_BY_LOOKUP)
            value = element if split else element | st.lists(scalar, max_size=3)
            if not self.capabilities.nested_lists:
                return element if name in ("equals", "ne") else st.lists(element, max_size=3)
            return value if name in ("equals", "ne") else st.lists(value, max_size=3)
        if name == "contains_all":
            if has(Quirk.CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD) or (
                through and has(Quirk.NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL)
            ):
                scalar = self.comparable | st.booleans()
            one = through and has(Quirk.CONTAINS_ALL_THROUGH_A_LIST_IN_ONE_ELEMENT)
            return st.lists(scalar, max_size=1 if one else 3)
        simple: dict[str, st.SearchStrategy[Any]] = {
            "gt": self.comparable,
            "gte": self.comparable,
            "lt": self.comparable,
            "lte": self.comparable,
            "between": st.tuples(self.comparable, self.comparable),
            "exists": st.booleans(),
            "startswith": st.text("aAb.*$é", max_size=2),
            "endswith": st.text("aAb.*$é", max_size=2),
            "contains": st.text("aAb.*$é", max_size=2),
            "contains_any": st.lists(scalar, max_size=3),
            "matches": st.sampled_from(PATTERNS),
            "matches_caseless": st.sampled_from(PATTERNS),
            "year": st.sampled_from([1999, 2024]),
            "month": st.sampled_from([1, 6, 12]),
            "day": st.sampled_from([1, 15, 31]),
        }
        return simple[name]

    def lookups_on(self, path: str) -> list[str]:
        """The lookups drawn on ``path``."""
        if path in STEP_THROUGH_LISTS and self.capabilities.has(
            Quirk.NE_THROUGH_A_LIST_NEEDS_ONE_DIFFERENT_ELEMENT
        ):
            return [name for name in self.lookups if name not in ("ne", "nin")]
        return self.lookups

    def conditions(self, *, indexed: bool = False) -> st.SearchStrategy[Condition]:
        """Condition trees of up to five lookups the backend declares, under AND, OR and NOT.

        With ``indexed``, half are lookups alone or under one AND: the shapes an index serves.
        """

        @st.composite
        def lookup(draw: st.DrawFn) -> Condition:
            path = draw(st.sampled_from(self.paths))
            name = draw(st.sampled_from(self.lookups_on(path)))
            return Lookup(path, name, draw(self.lookup_value(name, path)))

        def composed(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
            several = st.lists(children, min_size=1, max_size=3).map(tuple)
            return st.one_of(several.map(And), several.map(Or), children.map(Not))

        trees = st.recursive(lookup(), composed, max_leaves=5)
        if not indexed:
            return trees
        conjunctions = st.lists(lookup(), min_size=1, max_size=3).map(tuple).map(And)
        return st.one_of(lookup(), conjunctions, trees)


def declared_lookups(capabilities: Capabilities) -> list[str]:
    """The lookups a backend with ``capabilities`` runs."""
    return [
        name
        for name, (_, needed) in LOOKUPS.items()
        if needed is None or getattr(capabilities, needed)
    ]


def orders(paths: list[str]) -> st.SearchStrategy[list[tuple[str, bool]]]:
    """Up to two distinct fields to order by, each ascending or descending."""
    return st.lists(
        st.tuples(st.sampled_from(paths), st.booleans()), max_size=2, unique_by=lambda o: o[0]
    )


windows = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(0, 8))),
)


def build(
    storage: StorageAdapter,
    condition: Condition,
    order: list[tuple[str, bool]],
    window: tuple[int, int | None] | None,
) -> Query[dict[str, Any]]:
    """The query the example describes, on ``storage``."""
    query = storage.find().where(condition)
    if order:
        query = query.order_by(*(f"-{field}" if desc else field for field, desc in order))
    if window is not None:
        query = query[window[0] : window[1]]
    return query


def distinct(values: list[Any]) -> list[tuple[Any, ...]]:
    """Distinct values compared in doqu's order, whatever order the backend gave them in."""
    return sorted({sort_key(item) for item in values})


def compare(
    storage: StorageAdapter,
    reference: StorageAdapter,
    data: st.DataObject,
    keys: set[str],
    space: Space,
    *,
    indexed: bool = False,
) -> None:
    """Draw one query and compare every way of reading it on the two storages."""
    condition = data.draw(space.conditions(indexed=indexed), label="where")
    order = data.draw(orders(space.order_paths), label="order_by")
    window = data.draw(windows, label="slice")
    query = build(storage, condition, order, window)
    expected = build(reference, condition, order, window)
    assert query.count() == expected.count()
    assert query.exists() == expected.exists()
    if order:
        assert list(query.items()) == list(expected.items())
    elif window is None:
        assert sorted(query.keys()) == sorted(expected.keys())
    else:
        assert set(query.keys()) <= keys
    if window is None:
        field = data.draw(st.sampled_from(space.paths), label="values")
        assert distinct(query.values(field)) == distinct(expected.values(field))


def agrees_with_the_reference(
    storage: StorageAdapter, data: st.DataObject, paths: list[str], *, indexed: bool = False
) -> None:
    """One random example: records, then several queries read in every way, then a delete.

    With ``indexed``, the storage has an index on every path (some created before the records
    are saved, some after, and records are then rewritten and deleted), the reference none.
    """
    storage.clear()  # the storage is shared by every example
    reference = MemoryStorage()
    space = Space(storage.capabilities, paths)
    records = data.draw(st.lists(space.record(), max_size=10), label="records")
    if indexed:
        for path in paths[::2]:
            storage.ensure_index(Index(path, name=f"diff_{path.replace('.', '_')}"))
    for number, item in enumerate(records):
        storage.save(item, f"k{number}")
        reference.save(item, f"k{number}")
    if indexed:
        for path in paths[1::2]:
            storage.ensure_index(Index(path, name=f"diff_{path.replace('.', '_')}"))
        rewrites = data.draw(st.lists(space.record(), max_size=4), label="rewrites")
        for number, item in enumerate(rewrites):
            storage.save(item, f"k{number}")
            reference.save(item, f"k{number}")
        if records:
            storage.delete("k0")
            reference.delete("k0")
    keys = {str(key) for key in reference}
    for _ in range(QUERIES):
        compare(storage, reference, data, keys, space, indexed=indexed)
    condition = data.draw(space.conditions(), label="delete")
    assert storage.find().where(condition).delete() == reference.find().where(condition).delete()
    assert sorted(storage) == sorted(reference)


# Module functions rather than the test methods themselves, so that hypothesis sees one function
# however many contract classes (one per backend) run them.
examples = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=PHASES,
    derandomize=not os.environ.get("DOQU_CONTRACT_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@examples
@given(data=st.data())
def agrees_on_fields_and_records(storage: StorageAdapter, data: st.DataObject) -> None:
    """Queries on top-level fields and on fields of nested records."""
    agrees_with_the_reference(storage, data, PATHS)


@examples
@given(data=st.data())
def agrees_through_lists(storage: StorageAdapter, data: st.DataObject) -> None:
    """Queries whose paths may step through lists of values and of records."""
    agrees_with_the_reference(storage, data, THROUGH_LISTS)


@examples
@given(data=st.data())
def agrees_when_indexed(storage: StorageAdapter, data: st.DataObject) -> None:
    """Queries on indexed paths (lists among the values), after rewrites and a delete."""
    agrees_with_the_reference(storage, data, PATHS, indexed=True)


class DifferentialContract(StorageFixtures):
    """The backend against the reference evaluator, on random input."""

    @randomized
    def test_differential_queries_match_the_reference(self, storage: StorageAdapter) -> None:
        agrees_on_fields_and_records(storage)

    @randomized
    def test_differential_queries_through_lists_match_the_reference(
        self, storage: StorageAdapter
    ) -> None:
        agrees_through_lists(storage)

    @randomized
    def test_differential_queries_on_indexed_fields_match_the_reference(
        self, storage: StorageAdapter
    ) -> None:
        agrees_when_indexed(storage)
