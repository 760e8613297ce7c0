"""The embedded store: one SQLite file (by default in the cache folder)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dashboard import settings
from dashboard.store.base import Store


class SQLiteStore(Store):
    engine = "SQLite"

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else settings.load().store_file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__()

    def _connect(self):
        # WAL and the busy timeout let concurrent writers (Dash workers, the CLI) wait for each
        # other instead of failing; transactions are begun explicitly below.
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def _begin(self, db, *, write: bool) -> None:
        db.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def _lock_for_migration(self, db) -> None:
        pass  # BEGIN IMMEDIATE already holds the write lock

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"
