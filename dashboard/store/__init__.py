"""Where the project keeps what outlives a run: saved trips with their history, geocoding
choices and the online-lookup cache. ``open_store`` picks the engine from a URL: none (or a
file path, or ``sqlite:///path``) for the embedded SQLite file, ``postgresql://...`` for a
shared PostgreSQL server. The URL comes from the settings (``--database`` or
``TRIPVIZ_DATABASE_URL``); this package never reads the environment.

A new engine is a subclass of :class:`Store` (how it connects, begins a transaction, locks for
a migration and writes placeholders) and one branch in :func:`open_store`."""

from __future__ import annotations

from pathlib import Path

from dashboard.store.base import PRECISIONS, ConflictError, Store, StoreError, valid_coordinates
from dashboard.store.sqlite import SQLiteStore

__all__ = ["PRECISIONS", "ConflictError", "SQLiteStore", "Store", "StoreError", "open_store", "valid_coordinates"]


def open_store(url: str | Path | None = None) -> Store:
    """The store at ``url`` (None: the SQLite file in the cache folder)."""
    url = str(url) if url else None
    if url is None:
        return SQLiteStore()
    if url.startswith(("postgresql://", "postgres://")):
        from dashboard.store.postgresql import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        return SQLiteStore(url[len("sqlite:///") - 1:] if url.startswith("sqlite:////") else url[len("sqlite:///"):])
    if "://" in url:
        raise StoreError(f"unknown database URL {url.split('://')[0]}://...: use postgresql://user@host:port/db, "
                         "sqlite:///path/to/file.sqlite or a file path")
    return SQLiteStore(url)
