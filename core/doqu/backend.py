"""The toolkit for backend authors: what a plugin needs beyond the user-facing API.

A backend subclasses :class:`StorageAdapter` and implements the backend protocol,
:class:`BackendProtocol`: the methods core calls and users need not (``add_record``,
``query_items``, ...). One that cannot filter or sort itself hands ``(key, record)`` pairs to
:func:`run`, which applies a :class:`QuerySpec` with doqu's reference semantics; one that
can, compiles the condition tree (:class:`Lookup`, :class:`And`, :class:`Or`, :class:`Not`) to
its native query language. See ``docs/plugin-guide.md``.
"""

from ._capabilities import Capabilities, KnownGap
from ._conditions import LOOKUPS, MATCH_ALL, And, Condition, Lookup, Not, Or
from ._evaluate import matcher, run, sort_records
from ._hookspecs import BackendSpec, Target, hookimpl
from ._indexes import entry_text, unique_entries
from ._inserts import duplicate_of
from ._limits import MAX_DOCUMENT_BYTES
from ._paths import apply_changes, change_growth, path_values, set_path, unwound
from ._protocol import BackendProtocol
from ._query import Key, QuerySpec
from ._quirks import Quirk
from ._records import Record, check_record, copied
from ._regex import compile_pattern
from ._storage import StorageAdapter
from ._url import URL, mask_password, parse_url
from ._values import sort_key

__all__ = [
    "LOOKUPS",
    "MATCH_ALL",
    "MAX_DOCUMENT_BYTES",
    "URL",
    "And",
    "BackendProtocol",
    "BackendSpec",
    "Capabilities",
    "Condition",
    "Key",
    "KnownGap",
    "Quirk",
    "Lookup",
    "Not",
    "Or",
    "QuerySpec",
    "Record",
    "StorageAdapter",
    "Target",
    "apply_changes",
    "change_growth",
    "check_record",
    "compile_pattern",
    "copied",
    "duplicate_of",
    "entry_text",
    "hookimpl",
    "mask_password",
    "matcher",
    "parse_url",
    "path_values",
    "run",
    "set_path",
    "sort_key",
    "sort_records",
    "unique_entries",
    "unwound",
]
