"""doqu-postgres: doqu's PostgreSQL backend on psycopg 3, one JSONB table per collection."""

from ._storage import PostgresStorage

__all__ = ["PostgresStorage"]
