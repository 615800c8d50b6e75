"""doqu-mongodb: MongoDB collections as doqu storages, through pymongo.

Installed, it serves ``doqu.connect("mongodb://host/app/people")`` (and ``mongodb+srv://``,
and ``mongomock://`` for an in-process store); ``MongoStorage`` can also be built directly,
with the original doqu's ``host``/``port``/``database``/``collection`` keywords.
"""

from ._server import ServerInfo
from ._storage import MongoStorage

#: the original doqu's name for a backend's adapter class.
StorageAdapter = MongoStorage

__version__ = "1.0.0a1"

__all__ = ["MongoStorage", "ServerInfo", "StorageAdapter", "__version__"]
