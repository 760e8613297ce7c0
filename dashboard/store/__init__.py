"""Where the project keeps what outlives a run: saved trips with their history, geocoding
choices and the online-lookup cache. ``open_store`` picks the engine from a URL: none (or a
file path, or ``sqlite:///path``) for the embedded SQLite file, ``postgresql://...`` for a
shared PostgreSQL server."""

from __future__ import annotations

import os

from dashboard.store.base import ConflictError, Store, StoreError, valid_coordinates
from dashboard.store.sqlite import SQLiteStore, default_path

DATABASE_ENV = "TRIPVIZ_DATABASE_URL"

__all__ = ["ConflictError", "DATABASE_ENV", "SQLiteStore", "Store", "StoreError", "default_path", "open_store",
           "valid_coordinates"]


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: $TRIPVIZ_DATABASE_URL, else the SQLite file in the cache)."""
    url = url or os.environ.get(DATABASE_ENV) or None
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
