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
from ._conversion import Convertible
from ._indexes import Index
from ._query import Query
from ._storage import QuerySpec, StorageAdapter

__version__ = "0.1.0"

__all__ = [
    "And",
    "Capabilities",
    "Condition",
    "Convertible",
    "Index",
    "KnownGap",
    "Lookup",
    "Not",
    "Or",
    "Q",
    "Query",
    "QuerySpec",
    "StorageAdapter",
    "__version__",
    "errors",
]
