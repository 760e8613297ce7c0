"""How the gazetteer index's rows are made fast and lean: GeoNames' JSON read one value at a
time, rows inserted in batches, and names folded by worker processes that write their rows to
staging databases of their own (``geocoding.index`` says what the rows are)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from dashboard.geocoding.errors import GazetteerBuildError
from dashboard.placenames import key, short_forms, variant_key

STAGING_SCHEMA = """
CREATE TABLE name_all (k TEXT, place_id INTEGER, is_primary INTEGER);
CREATE TABLE fuzzy_all (k TEXT, cc TEXT, importance REAL);
CREATE TABLE variant_all (k TEXT, place_id INTEGER);
"""


def _name_rows(places: list[tuple]) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    """For places (id, name, cc, importance, alternates, curated_alternates, short_names): their
    rows of the name, fuzzy and variant tables and their short names, a list for each."""
    names, fuzzy, variants, short = [], [], [], []
    for place_id, name, cc, importance, alternates, curated_alternates, wants_short in places:
        seen = set()
        alternate_rank = 1 if curated_alternates else 0
        for is_primary, text in [(1, name)] + [(alternate_rank, a) for a in alternates]:
            if not text or (len(text) <= 3 and text.isupper() and not is_primary):
                continue  # three-letter airport codes in GeoNames' alternate names
            k = key(text)
            if len(k) < 2 or k in seen:
                continue
            seen.add(k)
            names.append((k, place_id, is_primary))
            if k.isascii() and len(k) >= 4:
                fuzzy.append((k, cc, importance))
                variant = variant_key(text)
                if variant:
                    variants.append((variant, place_id))
        if wants_short:
            # 'Frankfurt' for Frankfurt am Main, 'Homburg' for Bad Homburg: a name of the place,
            # but not its own, so it competes with the towns called exactly that instead of
            # beating them.
            shorter = short_forms(name)
            if shorter:
                own_names = {key(a) for a in alternates}
                short += [(key(s), place_id) for s in shorter if key(s) not in own_names]
    return names, fuzzy, variants, short


def _write_name_rows(db: sqlite3.Connection, places: list[tuple]) -> list[tuple]:
    """Folds the places' names into ``db``'s staging tables; returns their short names."""
    names, fuzzy, variants, short = _name_rows(places)
    db.executemany("INSERT INTO name_all VALUES (?,?,?)", names)
    db.executemany("INSERT INTO fuzzy_all VALUES (?,?,?)", fuzzy)
    db.executemany("INSERT INTO variant_all VALUES (?,?)", variants)
    db.commit()
    return short


# A worker process's own staging database (one per worker, for the life of the build's pool).
_shard: sqlite3.Connection | None = None


def _open_shard(prefix: str) -> None:
    global _shard
    _shard = sqlite3.connect(f"{prefix}{os.getpid()}")
    _shard.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + STAGING_SCHEMA)


def _fold_in_worker(places: list[tuple]) -> list[tuple]:
    return _write_name_rows(_shard, places)


class PlaceWriter:
    """Numbers places and writes their rows. Folding their names is most of the build's time:
    worker processes (one per core; this process mostly reads and waits) fold them and write
    the rows to staging databases of their own (sending rows back would cost as much as
    folding them), which the build then copies in place order."""

    CHUNK = 4_000

    def __init__(self, batch: Batches, path: Path, parallel: bool = True):
        self.batch = batch
        self.count = 0
        self.pending: list[tuple] = []
        self.running: list = []
        self.short_names: list[tuple[str, int]] = []
        self.shard_prefix = f"{path}.shard-"
        workers = min(4, os.cpu_count() or 1) if parallel else 1
        self.pool = None
        if workers >= 2:
            import multiprocessing

            self.pool = multiprocessing.get_context("spawn").Pool(workers, _open_shard, (self.shard_prefix,))

    def add(self, name, cc, lat, lon, kind, importance, ref, alternates=(), capital=False,
            curated_alternates=True, notability=0.0, short_names=False) -> int:
        """Curated alternates (ISO 3166-2 English names, venue aliases, country forms) are
        names of the place in their own right; GeoNames' alternate names are noisy
        translations and transliterations, so they rank below a place's own name."""
        self.count += 1
        self.batch.add("place", (self.count, name, cc, lat, lon, kind, importance, int(capital), notability, ref))
        self.pending.append((self.count, name, cc, importance, tuple(alternates), curated_alternates, short_names))
        if len(self.pending) >= self.CHUNK:
            self._submit()
        return self.count

    def _submit(self) -> None:
        chunk, self.pending = self.pending, []
        if self.pool is None:
            self.batch.flush()
            self.short_names += _write_name_rows(self.batch.db, chunk)
            return
        self.running.append(self.pool.apply_async(_fold_in_worker, (chunk,)))
        # A few chunks in flight, no more: each waits in memory until a worker takes it.
        while len(self.running) > 8 or (self.running and self.running[0].ready()):
            self.short_names += self.running.pop(0).get()

    def close(self) -> None:
        """Waits for every chunk; the workers end, their staging databases whole."""
        if self.pending:
            self._submit()
        while self.running:
            self.short_names += self.running.pop(0).get()
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def shards(self) -> list[Path]:
        folder, prefix = Path(self.shard_prefix).parent, Path(self.shard_prefix).name
        return sorted(folder.glob(f"{prefix}*"))

    def stop(self) -> None:
        """Ends the workers and removes their staging databases, also when the build failed."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        for shard in self.shards():
            shard.unlink(missing_ok=True)


class Batches:
    """Rows waiting to be inserted, by table, written every ``size`` rows of a table."""

    def __init__(self, db: sqlite3.Connection, size: int = 50_000):
        self.db, self.size = db, size
        self.rows: dict[str, list[tuple]] = {}

    def add(self, table: str, row: tuple) -> None:
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= self.size:
            self._write(table)

    def flush(self) -> None:
        for table in list(self.rows):
            self._write(table)

    def _write(self, table: str) -> None:
        rows = self.rows.pop(table, [])
        if rows:
            marks = ",".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


_BETWEEN_VALUES = re.compile(r"[\s,:]*")


def object_values(path: Path, on_read: Callable[[float], None] | None = None, chunk: int = 1 << 20):
    """The values of the JSON object in ``path``, one at a time (its keys set aside), reading
    ``chunk`` characters at a time: a value must be whole in what is read, so a partial one
    asks for the next chunk. ``on_read`` hears the fraction of the file read at each chunk."""
    decoder = json.JSONDecoder()
    size, read = max(path.stat().st_size, 1), 0

    def more_text() -> str:
        nonlocal read
        text = handle.read(chunk)
        read += len(text)
        if on_read is not None:
            on_read(min(read / size, 1.0))
        return text

    with open(path, encoding="utf-8") as handle:
        text = more_text()
        start = text.find("{")
        if start < 0:
            raise GazetteerBuildError(f"{path} does not hold a JSON object")
        pos, at_end = start + 1, False
        expect_key = True
        while True:
            pos = _BETWEEN_VALUES.match(text, pos).end()
            if pos < len(text) and text[pos] == "}":
                return
            try:
                item, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError:
                if at_end:
                    raise GazetteerBuildError(f"{path} is not whole JSON near character {pos}") from None
                more = more_text()
                at_end = not more
                text, pos = text[pos:] + more, 0
                continue
            if end == len(text) and not at_end:  # a number may go on in the next chunk
                more = more_text()
                at_end = not more
                text, pos = text[pos:] + more, 0
                continue
            pos = end
            if not expect_key:
                yield item
            expect_key = not expect_key
