"""Geocoding choices and the online cache live in the project's store (``dashboard.store``);
these names are kept for the geocoder and its callers: ``GeocodeStore(path)`` is the embedded
SQLite store, ``GeocodeStore()`` the default one."""

from __future__ import annotations

from dashboard.store import SQLiteStore, valid_coordinates
from dashboard.store.base import PRECISIONS
from dashboard.store.sqlite import default_path as default_store_path

GeocodeStore = SQLiteStore

__all__ = ["PRECISIONS", "GeocodeStore", "default_store_path", "valid_coordinates"]
