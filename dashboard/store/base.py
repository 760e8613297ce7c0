"""The store: saved trips (each version kept), geocoding choices and the online-lookup cache,
behind one interface, on SQLite (the embedded default) or PostgreSQL (a desk's shared server).

The schema is plain versioned SQL (``migrations/NNN_name.sql``, one set for both engines),
applied in order when a store opens and recorded in ``schema_version``. No ORM and no Alembic:
two small schemas in the SQL both engines read need neither, and one fewer dependency.

Concurrency. Saving a trip is optimistic: the caller says which version it started from and
the save fails with :class:`ConflictError` (naming who saved the newer version, and when) if
another save came first; a save is one transaction (the version row and the trip's head move
together or not at all). A place choice is last-writer-wins: choices are small and the latest
one is what the desk wants; each write is one atomic statement.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from importlib import resources

from dashboard.errors import TripvizError
from dashboard.placenames import key

PRECISIONS = ("venue", "city", "region", "country")
MAX_TRIP_BYTES = 20_000_000


class StoreError(TripvizError):
    """A user-facing store problem: unreachable database, unknown trip, bad input."""


class ConflictError(StoreError):
    """Someone saved a newer version of the trip since this one was opened."""


def valid_coordinates(lat, lon) -> tuple[float, float]:
    """Both as floats, or ValueError saying what is allowed (the text is meant for the user)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError("coordinates must be numbers: lat from -90 to 90, lon from -180 to 180") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN fails both comparisons too
        raise ValueError(f"coordinates out of range ({lat}, {lon}): lat goes from -90 to 90, lon from -180 to 180")
    return lat, lon


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every migration, in order."""
    out = []
    for entry in resources.files("dashboard.store").joinpath("migrations").iterdir():
        match = re.match(r"(\d+)_(.+)\.sql$", entry.name)
        if match:
            out.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(out)


def statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


class Store(ABC):
    """What the dashboard, the CLI and the geocoder keep between runs. Engines differ only in
    how they connect, lock for a migration and name their placeholders (``?`` here)."""

    engine = "abstract"

    def __init__(self):
        self._local = threading.local()  # one connection per thread (Flask and gunicorn threads)
        self._migrate()

    # -------------------------------------------------------------------- engine hooks

    @abstractmethod
    def _connect(self):
        """A new DB-API connection."""

    @abstractmethod
    def _begin(self, db, *, write: bool) -> None:
        """Start a transaction (SQLite: BEGIN IMMEDIATE for writes, so writers queue)."""

    @abstractmethod
    def _lock_for_migration(self, db) -> None:
        """Keep other processes from migrating at the same time (inside the transaction)."""

    def _sql(self, sql: str) -> str:
        return sql

    def _broken(self, exc: Exception) -> bool:
        """True when ``exc`` says the connection is gone (the server restarted): reconnect."""
        return False

    # -------------------------------------------------------------------- plumbing

    def _connection(self):
        db = getattr(self._local, "db", None)
        if db is not None and getattr(self._local, "pid", None) != os.getpid():
            db = None  # made before a fork (gunicorn --preload): that socket is the parent's
        if db is None:
            db = self._local.db = self._connect()
            self._local.pid = os.getpid()
        return db

    def _drop_connection(self) -> None:
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None:
            try:
                db.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                pass

    @contextmanager
    def transaction(self, *, write: bool = False):
        """A cursor in one transaction: committed when the block ends, rolled back on error. A
        connection found broken (the database restarted) is replaced once, then retried."""
        for attempt in (1, 2):
            db = self._connection()
            try:
                self._begin(db, write=write)
                cursor = db.cursor()
            except Exception as exc:
                self._drop_connection()
                if attempt == 1 and self._broken(exc):
                    continue
                raise StoreError(f"the {self.engine} store cannot be reached: {exc}") from exc
            break
        try:
            yield Cursor(cursor, self._sql)
            db.commit()
        except BaseException as exc:
            try:
                db.rollback()
            except Exception:  # noqa: BLE001
                self._drop_connection()
            if self._broken(exc):
                self._drop_connection()
            raise

    def _migrate(self) -> None:
        with self.transaction(write=True) as cur:
            self._lock_for_migration(cur.raw)
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                        "applied_at DOUBLE PRECISION NOT NULL)")
            cur.execute("SELECT version FROM schema_version")
            applied = {row[0] for row in cur.fetchall()}
            for version, name, sql in migrations():
                if version in applied:
                    continue
                for statement in statements(sql):
                    cur.execute(statement)
                cur.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (version, name, time.time()))

    def schema_version(self) -> int:
        with self.transaction() as cur:
            cur.execute("SELECT MAX(version) FROM schema_version")
            return int(cur.fetchone()[0] or 0)

    # -------------------------------------------------------------------- place choices

    @staticmethod
    def _keys(place: str, country: str | None) -> tuple[str, str]:
        return key(place), key(country or "")

    def save_override(self, place: str, country: str | None, lat: float, lon: float,
                      name: str | None = None, country_code: str | None = None,
                      precision: str = "venue", saved_by: str | None = None) -> None:
        """Remember a choice for every later lookup of this place (and country hint); the last
        writer wins. Checked here, where it is written, whatever the caller: a browser can send
        anything."""
        if not isinstance(place, str) or not key(place):
            raise ValueError("the place of a saved choice must not be empty")
        lat, lon = valid_coordinates(lat, lon)
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        with self.transaction(write=True) as cur:
            cur.execute("INSERT INTO override (place_key, country, lat, lon, name, country_code, precision, saved, saved_by) "
                        "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (place_key, country) DO UPDATE SET lat = excluded.lat, "
                        "lon = excluded.lon, name = excluded.name, country_code = excluded.country_code, "
                        "precision = excluded.precision, saved = excluded.saved, saved_by = excluded.saved_by",
                        (*self._keys(place, country), lat, lon, name or place, country_code, precision, time.time(),
                         saved_by))

    def override(self, place: str, country: str | None) -> dict | None:
        with self.transaction() as cur:
            cur.execute("SELECT lat, lon, name, country_code, precision FROM override WHERE place_key = ? AND country = ?",
                        self._keys(place, country))
            row = cur.fetchone()
        return None if row is None else dict(zip(("lat", "lon", "name", "country_code", "precision"), row))

    def forget_override(self, place: str, country: str | None) -> bool:
        """Drop a saved choice; True when there was one."""
        with self.transaction(write=True) as cur:
            cur.execute("DELETE FROM override WHERE place_key = ? AND country = ?", self._keys(place, country))
            return cur.rowcount > 0

    def overrides(self) -> list[dict]:
        """Every saved choice, newest first (place and country as normalised keys)."""
        columns = ("place_key", "country", "lat", "lon", "name", "country_code", "precision", "saved", "saved_by")
        with self.transaction() as cur:
            cur.execute(f"SELECT {', '.join(columns)} FROM override ORDER BY saved DESC")
            return [dict(zip(columns, row)) for row in cur.fetchall()]

    # -------------------------------------------------------------------- online cache

    def cached_answer(self, provider: str, place: str, country: str | None) -> dict | None:
        with self.transaction() as cur:
            cur.execute("SELECT answer FROM online_cache WHERE provider = ? AND place_key = ? AND country = ?",
                        (provider, *self._keys(place, country)))
            row = cur.fetchone()
        return None if row is None else json.loads(row[0])

    def cache_answer(self, provider: str, place: str, country: str | None, answer: dict) -> None:
        with self.transaction(write=True) as cur:
            cur.execute("INSERT INTO online_cache (provider, place_key, country, answer, saved) VALUES (?,?,?,?,?) "
                        "ON CONFLICT (provider, place_key, country) DO UPDATE SET answer = excluded.answer, "
                        "saved = excluded.saved", (provider, *self._keys(place, country), json.dumps(answer), time.time()))

    # -------------------------------------------------------------------- saved trips

    def save_trip(self, trip: dict, *, saved_by: str | None, expected_version: int | None = None,
                  action: str = "save") -> int:
        """Save ``trip`` (one trip in the project's JSON format, with an ``id``) as a new version
        and return its number. ``expected_version`` is the version the editor started from (None
        for a trip new to the store): if the store holds another, nothing is written and
        :class:`ConflictError` says who saved what, when."""
        trip_id = trip.get("id") if isinstance(trip, dict) else None
        if not isinstance(trip_id, str) or not trip_id.strip():
            raise StoreError("a saved trip needs an id (the 'id' field of its JSON)")
        payload = json.dumps(trip, ensure_ascii=False, sort_keys=True, allow_nan=False, default=str)
        if len(payload.encode("utf-8")) > MAX_TRIP_BYTES:
            raise StoreError(f"trip '{trip_id}' is {len(payload) / 1e6:.0f} MB as JSON; the store keeps trips up to "
                             f"{MAX_TRIP_BYTES / 1e6:.0f} MB: split it")
        now = time.time()
        title, leader = str(trip.get("title") or trip_id), trip.get("leader")
        with self.transaction(write=True) as cur:
            if expected_version is None:
                cur.execute("INSERT INTO trip (trip_id, title, leader, current_version, saved_by, saved_at, deleted) "
                            "VALUES (?,?,?,1,?,?,0) ON CONFLICT (trip_id) DO NOTHING",
                            (trip_id, title, leader, saved_by, now))
                version = 1
            else:
                cur.execute("UPDATE trip SET current_version = current_version + 1, title = ?, leader = ?, saved_by = ?, "
                            "saved_at = ?, deleted = ? WHERE trip_id = ? AND current_version = ?",
                            (title, leader, saved_by, now, 1 if action == "delete" else 0, trip_id, expected_version))
                version = expected_version + 1
            if cur.rowcount != 1:
                cur.execute("SELECT current_version, saved_by, saved_at, deleted FROM trip WHERE trip_id = ?", (trip_id,))
                row = cur.fetchone()
                if row is None:
                    raise StoreError(f"trip '{trip_id}' is not in the store; save it as a new trip")
                when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(row[2]))
                raise ConflictError(f"trip '{trip_id}' was saved as version {row[0]} by {row[1] or 'someone'} at {when} "
                                    f"since you opened version {expected_version if expected_version is not None else 'none'}"
                                    "; reopen it to see their changes, then make yours again")
            cur.execute("INSERT INTO trip_version (trip_id, version, payload, saved_by, saved_at, action) "
                        "VALUES (?,?,?,?,?,?)", (trip_id, version, payload, saved_by, now, action))
        return version

    def trips(self, *, include_deleted: bool = False) -> list[dict]:
        """The saved trips, newest save first: id, title, leader, version, who saved it and when."""
        columns = ("trip_id", "title", "leader", "version", "saved_by", "saved_at", "deleted")
        with self.transaction() as cur:
            cur.execute("SELECT trip_id, title, leader, current_version, saved_by, saved_at, deleted FROM trip "
                        + ("" if include_deleted else "WHERE deleted = 0 ") + "ORDER BY saved_at DESC, trip_id")
            return [dict(zip(columns, row), deleted=bool(row[6])) for row in cur.fetchall()]

    def trip(self, trip_id: str, version: int | None = None) -> tuple[dict, int]:
        """A saved trip (its latest version, or ``version``) and its version number."""
        with self.transaction() as cur:
            if version is None:
                cur.execute("SELECT current_version, deleted FROM trip WHERE trip_id = ?", (trip_id,))
                head = cur.fetchone()
                if head is None or head[1]:
                    raise StoreError(f"no saved trip '{trip_id}'" + (" (it was deleted; its history is kept)"
                                                                     if head else ""))
                version = head[0]
            cur.execute("SELECT payload, action FROM trip_version WHERE trip_id = ? AND version = ?", (trip_id, version))
            row = cur.fetchone()
        if row is None:
            raise StoreError(f"trip '{trip_id}' has no version {version}")
        return json.loads(row[0]), int(version)

    def history(self, trip_id: str) -> list[dict]:
        columns = ("version", "saved_by", "saved_at", "action")
        with self.transaction() as cur:
            cur.execute("SELECT version, saved_by, saved_at, action FROM trip_version WHERE trip_id = ? "
                        "ORDER BY version DESC", (trip_id,))
            rows = [dict(zip(columns, row)) for row in cur.fetchall()]
        if not rows:
            raise StoreError(f"no saved trip '{trip_id}'")
        return rows

    def restore(self, trip_id: str, version: int, *, saved_by: str | None) -> int:
        """Save an earlier version again as the newest (history is never rewritten)."""
        payload, _ = self.trip(trip_id, version)
        current = self.history(trip_id)[0]["version"]
        return self.save_trip(payload, saved_by=saved_by, expected_version=current, action=f"restore {version}")

    def delete_trip(self, trip_id: str, *, saved_by: str | None, expected_version: int | None = None) -> int:
        """Take a trip off the list; its history stays and ``restore`` brings it back."""
        history = self.history(trip_id)
        payload, _ = self.trip(trip_id, history[0]["version"])
        current = history[0]["version"] if expected_version is None else expected_version
        return self.save_trip(payload, saved_by=saved_by, expected_version=current, action="delete")

    def signature(self) -> tuple:
        """Changes whenever a trip is saved, restored or deleted (for caches of the catalogue)."""
        with self.transaction() as cur:
            cur.execute("SELECT COUNT(*), MAX(saved_at) FROM trip_version")
            return tuple(cur.fetchone())


class Cursor:
    """A DB-API cursor that takes ``?`` placeholders on every engine."""

    def __init__(self, cursor, translate):
        self.raw, self._translate = cursor, translate

    def execute(self, sql: str, params=()):
        return self.raw.execute(self._translate(sql), params)

    def fetchone(self):
        return self.raw.fetchone()

    def fetchall(self):
        return self.raw.fetchall()

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount
