"""The shared store: a PostgreSQL database (``postgresql://user@host:port/dbname``)."""

from __future__ import annotations

from dashboard.store.base import Store, StoreError

MIGRATION_LOCK = 7_274_800  # pg_advisory_xact_lock key: one process migrates at a time


class PostgresStore(Store):
    engine = "PostgreSQL"

    def __init__(self, url: str):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError("a PostgreSQL store needs psycopg: python3 -m pip install -r requirements.txt") from None
        self.url = url
        super().__init__()

    def _connect(self):
        import psycopg

        try:
            return psycopg.connect(self.url, connect_timeout=5, application_name="tripviz")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_safe(self.url)}: {str(exc).strip()}") from exc

    def _begin(self, db, *, write: bool) -> None:
        # psycopg opens the transaction on the first statement; this one also finds out at once
        # whether the server went away since the connection was made (then: reconnect, retry).
        db.execute("SELECT 1")

    def _lock_for_migration(self, cursor) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _broken(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))

    def __repr__(self) -> str:
        return f"PostgresStore({_safe(self.url)!r})"


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
