"""Airports, air bases and airstrips, where leaders land, from the ``airportsdata`` package
(Mike Borsetti's database of about 28,000 airfields with ICAO/IATA codes, coordinates and time
zones; MIT licence), as gazetteer entries of their own kind.

An airfield is findable by its full name ("Ramstein Air Base"), by its ICAO and IATA codes, and by
its name without the words that say it is an airfield ("Bagram" for "Bagram Air Base") when a
query says it means an airfield ("Bagram Airfield", "Andrews Air Force Base"). Its importance is
below any town's, so a stop named by a town that also has an airfield stays the town.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from dashboard.placenames import key, variant_key

AIRFIELD_KIND = "airfield"
# Below the smallest town (log10 of 500 people is 2.7): a town and an airfield of one name is the
# town. An airfield with an IATA code (scheduled flights, the larger bases) weighs more than an
# airstrip, a military one more again when the query asks for a base.
AIRFIELD_IMPORTANCE = 0.5
IATA_BONUS = 2.0
MILITARY_WORDS = {"air base", "afb", "air force", "air force base", "raf", "naval air station", "nas",
                  "army airfield", "aaf", "joint base", "mcas", "marine corps air station", "air station",
                  "military", "base aerea", "base aerienne", "fliegerhorst"}
# Words a query uses to mean an airfield; with one of them, airfields are looked up by bare name.
AIRFIELD_WORDS = {"air", "ab", "airport", "airfield", "airbase", "afb", "aerodrome", "airstrip", "aeroporto",
                  "aeropuerto", "aeroport", "flughafen", "flugplatz", "fliegerhorst", "raf", "nas", "aaf", "mcas"}
# Words that name airfields too, but also stations, stadiums and camps ('Union Station',
# 'Wrigley Field'): an airfield found with one of them alone is only a guess, flagged check.
LOOSE_AIRFIELD_WORDS = {"base", "field", "station"}
# What a name carries to say it is an airfield, stripped from its end (repeatedly) and start.
_SUFFIX = re.compile(
    r"[\s,/-]*\b(?:international|intl|regional|municipal|national|domestic|civil|military|county|"
    r"airport|airfield|air\s*field|airstrip|air\s*strip|landing\s*strip|strip|aerodrome|airpark|air\s*park|"
    r"heliport|air\s*base|air\s*force\s*base|afb|air\s*station|naval\s*air\s*station|army\s*air\s*field|"
    r"army\s*airfield|aaf|ab|field)\s*\)?$", re.IGNORECASE)
# Words that describe an airfield rather than name it: "Columbus Municipal Airport" less its city
# leaves no name of its own.
_DESCRIPTORS = {"municipal", "international", "intl", "regional", "county", "state", "executive", "memorial",
                "glider", "city", "industrial", "east", "north", "south", "west", "downtown", "metro", "area",
                "community", "national", "ntl", "air", "flying", "sky", "skypark", "military", "afb", "usfs",
                "lrrs", "landing", "field", "island", "park", "new", "old", "main", "airport", "de", "the"}
_PREFIX = re.compile(r"^(?:raf|nas|mcas|joint\s+base|naval\s+air\s+station|usaf\s+academy)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Airfield:
    name: str
    cc: str
    lat: float
    lon: float
    icao: str
    iata: str
    importance: float
    bare_names: tuple[str, ...]  # the name without the words that say it is an airfield
    aliases: tuple[str, ...] = ()  # the full name without the city it serves: 'Heathrow Airport'


def bare_name(name: str) -> str:
    """'Ramstein Air Base' -> 'Ramstein'; 'Dover Afb Airport' -> 'Dover'; 'RAF Mildenhall' ->
    'Mildenhall'; a name that is all airfield words stays as it is."""
    text = name.strip()
    while True:
        shorter = _SUFFIX.sub("", text).strip(" ,-/(")
        if shorter == text or not shorter:
            break
        text = shorter
    stripped = _PREFIX.sub("", text).strip()
    return stripped or text


def without_city(name: str, city: str) -> str | None:
    """'London Heathrow Airport' served by London -> 'Heathrow Airport'; 'Amsterdam Airport
    Schiphol' -> 'Schiphol Airport'; None when what is left only describes ('Columbus Municipal
    Airport' -> 'Municipal Airport' says nothing of its own)."""
    city = city.strip()
    if not city or not name.lower().startswith(city.lower()) or len(name) <= len(city):
        return None
    rest = name[len(city):]
    if rest[0] not in " -/":
        return None  # 'Parisville Airport' is not served by Paris
    rest = rest.strip(" -/,")
    inverted = re.match(r"^(airport|airfield|air base)\s+(.+)$", rest, re.IGNORECASE)
    if inverted:
        rest = f"{inverted.group(2)} {inverted.group(1)}"
    rest = re.sub(r"[()]", "", rest).strip()
    own = [w for w in re.findall(r"[^\W\d_]+", bare_name(rest).lower()) if w not in _DESCRIPTORS]
    if not own or len("".join(own)) < 3 or bare_name(rest) == rest:
        return None
    return rest


def airfield_variant(text: str) -> str:
    """The spelling-variant key of a whole airfield name read as one word, alike on both sides:
    'Al-Assad' and 'Al Asad' meet ('Al' is not dropped as an article, which would leave too short
    a name to compare)."""
    return variant_key(key(text))


def is_military(name: str) -> bool:
    folded = " " + re.sub(r"[^a-z]+", " ", name.lower()) + " "
    return any(f" {word} " in folded for word in MILITARY_WORDS)


def airfields() -> Iterator[Airfield]:
    """Every airfield in airportsdata, or none when the package is missing (the index says so in
    its name, so installing it later rebuilds the index)."""
    try:
        import airportsdata
    except ImportError:
        return
    for code, row in airportsdata.load("ICAO").items():
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            continue
        name = (row.get("name") or "").strip()
        cc = (row.get("country") or "").strip().upper()
        if not name or len(cc) != 2:
            continue
        iata = (row.get("iata") or "").strip().upper()
        importance = AIRFIELD_IMPORTANCE + (IATA_BONUS if iata else 0.0)
        # 'Winnipeg / St. Andrews Airport': each side of a slash names the airfield too.
        parts = [p.strip() for p in name.split(" / ") if p.strip()]
        alias = without_city(name, row.get("city") or "")
        aliases = (alias,) if alias else ()
        bare = tuple(dict.fromkeys(b for b in (bare_name(p) for p in [name, *parts, *aliases])
                                   if b and b != name))
        yield Airfield(name, cc, lat, lon, code.upper(), iata, importance, bare, aliases)
