"""doqu-sqlite: the durable embedded backend for doqu, on the standard library's ``sqlite3``.

``doqu.connect("sqlite:///app.db", collection="people")``; see the README for URL forms,
options, what runs in SQL and what on the client.
"""

from ._storage import SQLiteStorage
from ._unique import register_functions

__all__ = ["SQLiteStorage", "register_functions"]
