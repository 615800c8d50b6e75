"""What a backend declares it can do, and the gaps it knows it has.

Capabilities gate behaviour, never backend names: core refuses an operation that needs an
undeclared capability with :class:`~doqu.errors.UnsupportedError`, and the contract suite
skips the tests that need it, saying which capability was missing. A backend that declares a
capability it cannot honour fails those tests.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from ._quirks import Quirk

__all__ = ["Capabilities", "KnownGap"]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Named, documented flags a backend opts into. The defaults describe the minimum.

    Every backend must support: ``str`` primary keys, the value types ``None``, ``bool``,
    ``int`` (64-bit), ``float``, ``str``, ``datetime`` (naive UTC, millisecond precision),
    lists and nested dicts, every lookup except those gated below, ordering, slicing,
    ``values()``, ``update()`` and ``delete()`` on queries.
    """

    #: ``matches`` and ``matches_caseless`` lookups (regular expressions).
    regex: bool = False
    #: ``year``, ``month`` and ``day`` lookups on datetime fields.
    date_parts: bool = False
    #: ``get_or_create`` never creates two records for the same conditions under
    #: concurrent callers.
    atomic_get_or_create: bool = False
    #: unique indexes declared on a document class are enforced with ``DuplicateKeyError``.
    unique_indexes: bool = False
    #: the storage may be used from several threads at once.
    thread_safe: bool = False
    #: records survive ``reconnect()`` and a second ``connect()`` to the same URL.
    persistent: bool = False
    #: every acknowledged write (a ``save`` or ``save_many`` that returned) survives a kill
    #: (SIGKILL) of the writing process, with nothing else corrupted.
    durable: bool = False
    #: ``int`` primary keys given to ``save(data, primary_key=...)``.
    integer_keys: bool = False
    #: ``decimal.Decimal`` values round-trip exactly.
    decimal_values: bool = False
    #: ``datetime.date`` values round-trip as ``date`` (not as a midnight ``datetime``).
    date_values: bool = False
    #: ``bytes`` values round-trip.
    bytes_values: bool = False
    #: ``uuid.UUID`` values round-trip.
    uuid_values: bool = False
    #: ``float('nan')`` can be stored.
    nan_values: bool = False
    #: ``float('inf')`` and ``float('-inf')`` round-trip, and sort beyond every finite number.
    infinity_values: bool = False
    #: datetimes keep microseconds (otherwise truncated to milliseconds).
    datetime_microseconds: bool = False
    #: lists directly inside lists (``[[1, 2], [3]]``) can be stored and queried.
    nested_lists: bool = False
    #: filtering, counting and ``values()`` run in the backend, not on the client.
    server_side_queries: bool = False
    #: further value types the backend stores natively (e.g. ``bson.ObjectId``), so records
    #: read from it can be written back; values of these types are opaque to other backends.
    native_types: tuple[type, ...] = ()
    #: the backend's declared differences from the reference semantics, each with its exact
    #: rule (see :class:`~doqu.Quirk`); the contract checks the rule where one is declared.
    quirks: frozenset[Quirk] = frozenset()

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every capability flag's name, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.type in ("bool", bool))

    def declared(self) -> tuple[str, ...]:
        """The names of the capabilities this backend declares."""
        return tuple(name for name in self.names() if getattr(self, name))

    def replace(self, **changes: Any) -> Capabilities:
        """A copy with some flags changed (for targets that lack a feature)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise TypeError(
                f"unknown capability name(s) {unknown!r}; valid names: {', '.join(self.names())}"
            )
        return dataclasses.replace(self, **changes)

    def has(self, quirk: Quirk) -> bool:
        """Whether the backend declares ``quirk``."""
        return quirk in self.quirks


@dataclass(frozen=True, slots=True)
class KnownGap:
    """A contract test a backend knows it fails, declared by the backend itself.

    The contract suite runs the test as a strict ``xfail``: it must fail with ``raises``, and
    when it starts passing the stale declaration fails the run. A gap names one test, never a
    whole class or file, and never a randomized test (the suite refuses those): a difference a
    randomized test finds is declared as a :class:`~doqu.Quirk` instead.
    """

    #: contract test id, ``"ClassName::test_name"`` (as ``doqu check --list`` prints it).
    test: str
    #: why the backend fails it, for the report.
    reason: str
    #: ``"not_yet"``: to be fixed; ``"never"``: a limit of the backend or server.
    kind: Literal["not_yet", "never"] = "never"
    #: the exception type the test is expected to fail with (required, and narrower than
    #: ``Exception``: a gap accepting any failure would hide a new one).
    raises: type[BaseException] = field(kw_only=True)

    def __post_init__(self) -> None:
        if not (isinstance(self.raises, type) and issubclass(self.raises, BaseException)):
            raise TypeError(
                f"KnownGap {self.test!r}: raises= takes the exception type the test fails "
                f"with, got {self.raises!r}; e.g. raises=AssertionError"
            )
        if self.raises in (Exception, BaseException):
            raise ValueError(
                f"KnownGap {self.test!r}: raises={self.raises.__name__} accepts any failure, "
                "so it would hide a new one; give the type the test fails with, e.g. "
                "raises=AssertionError for a wrong answer"
            )
        cls, _, name = self.test.partition("::")
        if not (cls and name.startswith("test") and "::" not in name and "/" not in cls):
            raise ValueError(
                f"KnownGap test {self.test!r} does not name one contract test: give "
                "'ClassName::test_name' (doqu check --list prints them); a gap never covers "
                "a whole class or file"
            )
