"""Saved choices and cached online answers, in SQLite so they survive restarts and several
processes (Dash workers, the CLI) can share them."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from dashboard.geocoding.normalise import key
from dashboard.paths import cache_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS override (
    place_key TEXT, country TEXT, lat REAL, lon REAL, name TEXT, country_code TEXT,
    precision TEXT, saved REAL, PRIMARY KEY (place_key, country));
CREATE TABLE IF NOT EXISTS online_cache (
    provider TEXT, place_key TEXT, country TEXT, answer TEXT, saved REAL,
    PRIMARY KEY (provider, place_key, country));
"""


PRECISIONS = ("venue", "city", "region", "country")


def valid_coordinates(lat, lon) -> tuple[float, float]:
    """Both as floats, or ValueError saying what is allowed (the text is meant for the user)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError("coordinates must be numbers: lat from -90 to 90, lon from -180 to 180") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN fails both comparisons too
        raise ValueError(f"coordinates out of range ({lat}, {lon}): lat goes from -90 to 90, lon from -180 to 180")
    return lat, lon


def default_store_path() -> Path:
    return cache_dir() / "geocoding-store.sqlite"


class GeocodeStore:
    """User overrides (a chosen candidate or a typed pin) and the online answer cache."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # One short-lived connection per call: safe across threads and processes; WAL and the
        # busy timeout let concurrent writers wait instead of failing.
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def _keys(place: str, country: str | None) -> tuple[str, str]:
        return key(place), key(country or "")

    def save_override(self, place: str, country: str | None, lat: float, lon: float,
                      name: str | None = None, country_code: str | None = None,
                      precision: str = "venue") -> None:
        """Remember a choice for every later lookup of this place (and country hint).

        Checked here, where it is written, whatever the caller: a browser can send anything.
        """
        if not isinstance(place, str) or not key(place):
            raise ValueError("the place of a saved choice must not be empty")
        lat, lon = valid_coordinates(lat, lon)
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO override VALUES (?,?,?,?,?,?,?,?)",
                       (*self._keys(place, country), lat, lon, name or place, country_code,
                        precision, time.time()))

    def override(self, place: str, country: str | None) -> dict | None:
        with self._connect() as db:
            row = db.execute("SELECT lat, lon, name, country_code, precision FROM override "
                             "WHERE place_key = ? AND country = ?", self._keys(place, country)).fetchone()
        if row is None:
            return None
        return dict(zip(("lat", "lon", "name", "country_code", "precision"), row))

    def forget_override(self, place: str, country: str | None) -> bool:
        """Drop a saved choice; True when there was one."""
        with self._connect() as db:
            cursor = db.execute("DELETE FROM override WHERE place_key = ? AND country = ?",
                                self._keys(place, country))
            return cursor.rowcount > 0

    def overrides(self) -> list[dict]:
        """Every saved choice, newest first (place and country as normalised keys)."""
        with self._connect() as db:
            rows = db.execute("SELECT place_key, country, lat, lon, name, country_code, precision, saved "
                              "FROM override ORDER BY saved DESC").fetchall()
        return [dict(zip(("place_key", "country", "lat", "lon", "name", "country_code", "precision", "saved"), r))
                for r in rows]

    def cached_answer(self, provider: str, place: str, country: str | None) -> dict | None:
        with self._connect() as db:
            row = db.execute("SELECT answer FROM online_cache WHERE provider = ? AND place_key = ? "
                             "AND country = ?", (provider, *self._keys(place, country))).fetchone()
        return None if row is None else json.loads(row[0])

    def cache_answer(self, provider: str, place: str, country: str | None, answer: dict) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO online_cache VALUES (?,?,?,?,?)",
                       (provider, *self._keys(place, country), json.dumps(answer), time.time()))
