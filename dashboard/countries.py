"""Country names as people write them in English, French, German, Spanish, Portuguese and Italian,
with the ISO 3166-1 codes: pycountry's names and its translations (the iso-codes project's). Shared
by the gazetteer's index (a country hint in any of these languages) and the table reader (a
column of country names, a 'City, Country' cell)."""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

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
