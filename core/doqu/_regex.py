"""Regular expressions: doqu's dialect for ``matches`` and a linear-time engine to run it.

Patterns come from users, often straight from a request, so a pattern must never stall the
process: Python's ``re`` backtracks (``(a+)+$`` on ``"a" * 40 + "b"`` runs for minutes while
holding the GIL). doqu's dialect is the syntax RE2 accepts, which MongoDB's PCRE and FerretDB's
RE2 both run the same way; back-references, look-around and possessive repeats are refused when
the query is built, on every backend. Client-side evaluation (the reference evaluator, and any
backend that filters in process) compiles patterns with :func:`compile_pattern`, whose matching
time grows linearly with the text.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2

from .errors import InvalidLookupValueError

__all__ = [
    "MAX_PATTERN_LENGTH",
    "MAX_PROGRAM_SIZE",
    "MAX_REPEAT",
    "check_pattern",
    "compile_pattern",
]

#: longest pattern accepted, in characters
MAX_PATTERN_LENGTH = 1000
#: largest count in ``{n}``, ``{n,}`` or ``{n,m}`` (RE2's own limit, and PCRE accepts it too)
MAX_REPEAT = 1000
#: most instructions a compiled pattern may have: RE2's time is linear in the text, times up
#: to the program's size, so ``(\w+\s*){1000}x`` (10,005 instructions) is refused
MAX_PROGRAM_SIZE = 2000

# an escape is consumed first, so ``\{5000}`` is a literal brace, not a repetition
_REPEAT = re.compile(r"\\.|\{(\d+)(?:,(\d*))?\}", re.DOTALL)

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print each refused pattern to stderr
_CASELESS = re2.Options()
_CASELESS.log_errors = False
_CASELESS.case_sensitive = False


def _refuse(lookup: str, field: str, pattern: str, why: str) -> InvalidLookupValueError:
    return InvalidLookupValueError(
        f"lookup {field}__{lookup} got pattern {pattern!r}, which {why}; doqu runs regular "
        "expressions in RE2 syntax (no back-references, look-ahead or look-behind)",
        lookup=lookup,
        field=field,
        value=pattern,
    )


def check_pattern(lookup: str, field: str, pattern: str) -> str:
    """Return ``pattern`` if doqu's regex dialect has it, else raise ``InvalidLookupValueError``."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise _refuse(
            lookup, field, pattern[:40] + "...", f"is longer than {MAX_PATTERN_LENGTH} characters"
        )
    for found in _REPEAT.finditer(pattern):
        counts = [int(n) for n in found.groups() if n]
        if any(n > MAX_REPEAT for n in counts):
            raise _refuse(
                lookup, field, pattern, f"repeats more than {MAX_REPEAT} times ({found[0]})"
            )
    if not pattern.isascii():
        try:
            pattern.encode("utf-8")
        except UnicodeEncodeError as e:
            raise _refuse(
                lookup, field, pattern, "holds a lone surrogate that UTF-8 cannot encode"
            ) from e
    try:
        size = compile_pattern(pattern).programsize
    except re2.error as e:
        reason = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        raise _refuse(lookup, field, pattern, f"is not valid ({reason})") from e
    if size > MAX_PROGRAM_SIZE:
        raise _refuse(
            lookup,
            field,
            pattern,
            f"compiles to {size:,} instructions, over the limit of {MAX_PROGRAM_SIZE:,}; "
            "repeat smaller groups fewer times",
        )
    return pattern


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str, *, caseless: bool = False) -> Any:
    """``pattern`` compiled by RE2: its ``search`` runs in time linear in the text."""
    return re2.compile(pattern, _CASELESS if caseless else _OPTIONS)
