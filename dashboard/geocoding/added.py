"""Gazetteers a user adds: GeoNames dump files (``allCountries.txt``, ``cities1000.txt``, a country
file such as ``DE.txt``; zipped or not), each imported into its own SQLite file beside the
built-in index, with the same tables, so the gazetteer reads them all the same way.

Every feature class is imported (villages, bases, palaces, parks, archaeological sites,
waters), so places below the built-in data's 500-people threshold become findable. Places the
built-in index already holds (same GeoNames id) are skipped. One file per import keeps removal
simple and exact: ``remove`` deletes that file and nothing else.
"""

from __future__ import annotations

import io
import math
import os
import re
import sqlite3
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from dashboard import settings
from dashboard.geocoding.airfields import AIRFIELD_KIND
from dashboard.geocoding.errors import GeocodingError
from dashboard.geocoding.index import (
    MAJOR_REGION_IMPORTANCE,
    MINOR_REGION_IMPORTANCE,
    NOTABILITY_WEIGHT,
    SCHEMA,
    ensure_index,
)
from dashboard.placenames import key, variant_key

# Place ids of added places: GeoNames' own id above this offset, so the same place imported from
# two files (cities1000.txt and DE.txt) is one candidate, never two.
ADDED_ID_OFFSET = 1_000_000_000
# SQLite attaches at most 10 databases to one connection by default; one is kept spare.
MAX_ADDED = 9
GEONAMES_COLUMNS = 19
FUZZY_KINDS = ("city", "base", "heritage", "island")
BATCH_ROWS = 20_000
_SAFE_NAME = re.compile(r"[^a-z0-9]+")


class GazetteerImportError(GeocodingError):
    """An added gazetteer file could not be read; the message names the file and line."""


@dataclass(frozen=True)
class AddedGazetteer:
    name: str
    path: Path
    source: str
    places: int
    added: str


def added_dir() -> Path:
    return settings.load().cache_dir / "gazetteers"


def added_gazetteers() -> list[AddedGazetteer]:
    """Every added gazetteer, by name. A file that cannot be read is skipped, not fatal."""
    folder = added_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.sqlite")):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                meta = dict(db.execute("SELECT k, v FROM meta"))
            out.append(AddedGazetteer(path.stem, path, meta.get("source", "?"), int(meta.get("places", 0)),
                                      meta.get("added", "?")))
        except (sqlite3.Error, ValueError):
            continue
    return out


def remove_gazetteer(name: str) -> bool:
    path = added_dir() / f"{name}.sqlite"
    if not path.exists():
        return False
    path.unlink()
    return True


def _kind(feature_class: str, feature_code: str) -> str | None:
    """GeoNames feature class and code -> the gazetteer's kind (None: not imported)."""
    if feature_class == "P":
        return "city"
    if feature_class == "A":
        # Countries are built in, with their capitals and every historical alias.
        return None if feature_code.startswith("PCL") else "region"
    if feature_class in ("H", "U"):
        return "water"
    if feature_class == "T":
        return "island" if feature_code.startswith("ISL") else "venue"
    if feature_class == "S":
        if feature_code in ("AIRB", "AIRF", "AIRP", "AIRH", "AIRQ"):
            return AIRFIELD_KIND  # named like the built-in airfields, with the same reasons
        return "base" if feature_code in ("MILB", "INSM", "NVB") else (
            "heritage" if feature_code in ("ANS", "RUIN", "HSTS", "MNMT") else "venue")
    if feature_class in ("L", "V"):
        return "region"
    if feature_class == "R":
        return "venue"
    return None


def _importance(kind: str, feature_code: str, population: int, alternates: int) -> tuple[float, float]:
    notability = NOTABILITY_WEIGHT * math.log10(1 + alternates)
    if kind == "region" and feature_code in ("ADM1", "ADM1H"):
        return MAJOR_REGION_IMPORTANCE, notability
    if kind == "region" and feature_code.startswith("ADM"):
        return MINOR_REGION_IMPORTANCE, notability
    # Same scale as the built-in cities: log10 of the population plus fame in languages.
    return math.log10(population + 10) + notability, notability


def _lines(path: Path) -> Iterator[tuple[str, int, str]]:
    """(member name, line number, line) of a GeoNames text file or of every data file in a zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist()
                       if m.endswith(".txt") and not Path(m).name.lower().startswith(("readme", "iso-", "feature"))]
            if not members:
                raise GazetteerImportError(f"{path}: the zip holds no GeoNames .txt file")
            for member in members:
                with archive.open(member) as raw:
                    for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
                        yield f"{path.name}:{member}", number, line
        return
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            yield path.name, number, line


def _text_size(path: Path) -> int:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return sum(i.file_size for i in archive.infolist() if i.filename.endswith(".txt"))
    return path.stat().st_size


def add_gazetteer(path: Path, *, name: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> AddedGazetteer:
    """Import a GeoNames dump file into its own SQLite file; returns what was added."""
    path = Path(path)
    if not path.is_file():
        raise GazetteerImportError(f"{path}: no such file; give a GeoNames dump such as DE.txt, DE.zip "
                                   "or cities1000.zip (https://download.geonames.org/export/dump/)")
    name = _SAFE_NAME.sub("-", (name or path.name.split(".")[0]).lower()).strip("-") or "gazetteer"
    folder = added_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.sqlite"
    if not target.exists() and len(added_gazetteers()) >= MAX_ADDED:
        raise GazetteerImportError(f"{MAX_ADDED} gazetteers are added already; remove one first "
                                   "(python3 -m dashboard gazetteer list)")
    built_in = _built_in_geonames_ids()
    size = _text_size(path)
    tmp = target.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        places = _import_rows(db, path, built_in, size, progress)
        if places == 0:
            raise GazetteerImportError(f"{path}: no place could be read; is it a GeoNames dump "
                                       f"({GEONAMES_COLUMNS} tab-separated columns per line)?")
        db.executescript("CREATE INDEX name_k ON name (k); CREATE INDEX fuzzy_cc ON fuzzy (cc, k); "
                         "CREATE INDEX variant_k ON variant (k);")
        added = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("source", str(path.resolve())), ("places", str(places)), ("added", added)])
        db.commit()
        db.close()
        os.replace(tmp, target)
    except BaseException:
        db.close()
        if tmp.exists():
            tmp.unlink()
        raise
    return AddedGazetteer(name, target, str(path.resolve()), places, added)


def _import_rows(db: sqlite3.Connection, path: Path, built_in: set[int], size: int,
                 progress: Callable[[int, int], None] | None) -> int:
    places: list[tuple] = []
    names: list[tuple] = []
    fuzzy: list[tuple] = []
    variants: list[tuple] = []
    count = done_bytes = 0

    def flush():
        db.executemany("INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
        db.executemany("INSERT INTO name VALUES (?,?,?)", names)
        db.executemany("INSERT INTO fuzzy VALUES (?,?,?)", fuzzy)
        db.executemany("INSERT INTO variant VALUES (?,?)", variants)
        places.clear(), names.clear(), fuzzy.clear(), variants.clear()

    for where, number, line in _lines(path):
        done_bytes += len(line)
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if len(cells) < 15:
            raise GazetteerImportError(
                f"{where}, line {number}: {len(cells)} column(s), expected {GEONAMES_COLUMNS} tab-separated "
                "GeoNames columns (geonameid, name, asciiname, alternatenames, latitude, longitude, "
                "feature class, feature code, country code, ...)")
        try:
            geonameid, lat, lon = int(cells[0]), float(cells[4]), float(cells[5])
            population = int(cells[14] or 0)
        except ValueError:
            raise GazetteerImportError(f"{where}, line {number}: geonameid, latitude, longitude or "
                                       "population is not a number") from None
        if geonameid in built_in or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        kind = _kind(cells[6], cells[7])
        if kind is None:
            continue
        alternates = [a for a in cells[3].split(",") if a] if cells[3] else []
        importance, notability = _importance(kind, cells[7], population, len(alternates))
        place_id = ADDED_ID_OFFSET + geonameid
        places.append((place_id, cells[1], cells[8].upper(), lat, lon, kind, importance, 0, notability,
                       f"geonames:{geonameid}"))
        seen = set()
        for is_primary, text in [(1, cells[1]), (1, cells[2])] + [(0, a) for a in alternates]:
            if len(text) <= 3 and text.isupper() and not is_primary:
                continue  # airport and other codes
            k = key(text)
            if len(k) < 2 or k in seen:
                continue
            seen.add(k)
            names.append((k, place_id, is_primary))
            # Only the own names of settlements, bases, sites and islands take part in spelling
            # matches: a country file's streams, hills and forests would slow every
            # near-spelling lookup in that country, for places a leader rarely visits.
            if is_primary and kind in FUZZY_KINDS and k.isascii() and len(k) >= 4:
                fuzzy.append((k, cells[8].upper(), importance))
                variant = variant_key(text)
                if variant:
                    variants.append((variant, place_id))
        count += 1
        if len(places) >= BATCH_ROWS:
            flush()
            if progress:
                progress(min(done_bytes, size), size)
    flush()
    if progress:
        progress(size, size)
    return count


def _built_in_geonames_ids() -> set[int]:
    with sqlite3.connect(f"file:{ensure_index()}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT ref FROM place WHERE ref LIKE 'geonames:%'").fetchall()
    return {int(ref.split(":", 1)[1]) for (ref,) in rows if ref.split(":", 1)[1].isdigit()}


class ProgressBar:
    """Bytes read of the dump file, as a bar on stderr (only when it is a terminal)."""

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = int(30 * done / total)
        print(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {100 * done / total:5.1f}% "
              f"{time.monotonic() - self.started:6.1f}s", end="\n" if done >= total else "", file=sys.stderr)
