"""doqu: one API to model, validate, store and query documents, whatever stores them.

Connect by URL, query lazily, swap backends by changing the URL::

    import doqu

    with doqu.connect("memory://") as people:
        key = people.save({"name": "Ann", "age": 37})
        adults = people.find(age__gte=18).order_by("-age")
"""

from . import errors
from ._capabilities import Capabilities, KnownGap
from ._conditions import And, Condition, Lookup, Not, Or, Q
from ._connect import connect
from ._conversion import Convertible
from ._copy import CopyProgress, copy
from ._discovery import (
    BackendInfo,
    PluginFailure,
    PluginWarning,
    backends,
    plugin_failures,
    refresh_backends,
    register_plugin,
    unregister_plugin,
)
from ._documents import Document
from ._fields import DeclaredField, Field
from ._hookspecs import BackendSpec, Target, hookimpl
from ._indexes import Index
from ._query import Query, QuerySpec
from ._quirks import Quirk
from ._storage import StorageAdapter
from ._verify import CopyVerification, verify_copy

__version__ = "1.0.0a1"

__all__ = [
    "And",
    "BackendInfo",
    "backends",
    "BackendSpec",
    "Capabilities",
    "Condition",
    "connect",
    "Convertible",
    "copy",
    "CopyProgress",
    "CopyVerification",
    "DeclaredField",
    "Document",
    "errors",
    "Field",
    "hookimpl",
    "Index",
    "KnownGap",
    "Quirk",
    "Lookup",
    "Not",
    "Or",
    "plugin_failures",
    "PluginFailure",
    "PluginWarning",
    "Q",
    "Query",
    "QuerySpec",
    "refresh_backends",
    "register_plugin",
    "StorageAdapter",
    "Target",
    "unregister_plugin",
    "verify_copy",
    "__version__",
]
