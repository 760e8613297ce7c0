"""The offline gazetteer as one more geopy geocoder: ``geocode(query)`` -> ``Location``.

Ranking, in order: exact names and alternate names (after normalisation); then, when nothing
matches exactly, part of the name with generic words such as "Air Base" set aside, then
spellings one or two edits away. The country hint filters every step. Among the candidates
that remain, importance decides: country names, capitals, regions, venues and population.
Every result says how it was found (``raw``), lists the runners-up, and carries a confidence a
reader can act on: ``high`` (one place clearly carries this name), ``check`` (the evidence is weak:
only a near spelling or part of the name matched, or several places of similar weight share the
name) or ``approximate`` (a country or region centre), with the reason in words.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from dashboard.geocoding.added import added_gazetteers
from dashboard.geocoding.airfields import (
    AIRFIELD_KIND,
    AIRFIELD_WORDS,
    LOOSE_AIRFIELD_WORDS,
    airfield_variant,
    is_military,
)
from dashboard.geocoding.errors import EmptyPlaceError, UnknownCountryError
from dashboard.geocoding.index import CAPITAL_BONUS, FUZZY_WORLD_MIN_IMPORTANCE, KIND_PRECISION, ensure_index
from dashboard.placenames import key, short_forms, variant_key, words

PRIMARY_NAME_BONUS = 1.0
PARTIAL_PENALTY = 2.0
FUZZY_PENALTY_PER_EDIT = 1.0
EPONYMOUS_REGION_PENALTY = 3.0
MAX_CANDIDATES = 5
MAX_NAMESAKES = 20
# A namesake whose weight (log10 of population plus fame) is within this of the winner's makes
# the pick a guess: 1.5 is a factor of about 30 in population. Brest (France) and Brest
# (Belarus) are within it; Paris (France) and Paris (Texas) are not.
AMBIGUITY_MARGIN = 1.5
# Two same-name candidates closer than this are the same place for a map reader.
NAMESAKE_MIN_KM = 50.0
AIRFIELD_MATCH = "an airfield's name without 'Air Base' or 'Airport'"
# 'Al Udeid' alone, where no place has the name, or 'Wrigley Field' (a stadium; 'field' also
# names airfields): an airfield may be meant, but the query did not say so: the user checks.
AIRFIELD_GUESS_MATCH = "an airfield's name, though the place was not clearly called an airfield"
STRONG_MATCHES = ("exact", "alternate name", "name without 'city' or 'town'", AIRFIELD_MATCH)
# 'Homburg' for Bad Homburg, 'Frankfurt' for Frankfurt (Oder): the place's name without its
# qualifier. It ranks below a town called exactly that, never becomes confident on its own, and
# makes an exact winner doubtful when it is nearly as big (half the usual margin: a qualified
# name is weaker evidence than an exact one).
SHORT_FORM_MATCH = "its name without a qualifier such as 'am Main', '-sur-Mer' or 'Bad'"
SHORT_FORM_PENALTY = 1.0
SHORT_FORM_MARGIN = AMBIGUITY_MARGIN / 2
# A query that asks for a military airfield ('... Air Force Base') prefers one over an airport.
MILITARY_BONUS = 0.5
# How ICAO (4) and IATA (3) codes are written: capitals and digits, as typed.
CODE_PATTERN = re.compile(r"^[A-Z0-9]{3,4}$")
# The reason given when same-name places compete; the resolver lets the trip's route decide those.
AMBIGUOUS_PREFIX = "several places of similar size carry this name"
MEMO_LIMIT = 50_000
# Words that describe a kind of place rather than name it: set aside to find the named part.
GENERIC_WORDS = {
    "air", "airbase", "airfield", "airport", "base", "ab", "afb", "force", "field", "naval", "station", "camp",
    "castle", "palace", "schloss", "chateau", "island", "islands", "isle", "bay", "beach", "city",
    "memorial", "cemetery", "hotel", "resort", "park", "national", "village", "town", "international",
    "the", "of", "de", "la", "le", "el", "port", "harbour", "harbor", "military", "army", "garrison",
}
ARTICLES = {"the", "of", "de", "la", "le", "el"}
# Words that end the name of a building or ground rather than a settlement ('Union Station',
# 'Wrigley Field'). A town may carry such a name among its others (a former railway halt's):
# found only by it, the town is a guess.
FACILITY_WORDS = {"station", "field", "stadium", "square", "palace", "hall", "castle", "base", "camp", "bridge",
                  "street", "house", "cathedral", "church", "museum", "memorial", "arena", "hotel", "embassy"}
# Words that only say the name is a settlement: "Shima City" is Shima.
SETTLEMENT_WORDS = {"city", "town", "village"}
SETTLEMENT_MATCH = "name without 'city' or 'town'"
VARIANT_MATCH = "another spelling of the name"
VARIANT_PENALTY = 2.0
# A base, castle or bay placed at the town it is named after: near, not at, the place meant.
STAND_IN_MATCH = "the town it is named after"


@dataclass(frozen=True)
class _Candidate:
    place_id: int
    name: str
    cc: str
    lat: float
    lon: float
    kind: str
    score: float
    match: str
    weight: float = 0.0  # the place's own importance: no capital bonus, no match penalty
    primary: bool = False  # the query is the place's own name (or a curated name of it)
    short: bool = False  # the query is the place's own name without its qualifier ('Frankfurt')

    def describe(self, country_names: dict[str, str]) -> dict:
        return {
            "name": self.name,
            "country_code": self.cc,
            "country": country_names.get(self.cc, self.cc),
            "latitude": self.lat,
            "longitude": self.lon,
            "precision": KIND_PRECISION[self.kind],
            "kind": self.kind,
            "match": self.match,
            "score": round(self.score, 3),
        }

    @property
    def precision(self) -> str:
        return KIND_PRECISION[self.kind]


def _prefer_eponymous_cities(candidates: list[_Candidate]) -> list[_Candidate]:
    """A region named like a city of its own country ranks below that city.

    Salzburg, Granada, L'Aquila or Colón name both a province and its capital; a stop there
    is the city. The region stays a candidate for the user to pick.
    """
    city_countries = {c.cc for c in candidates if c.kind == "city" and c.match != SHORT_FORM_MATCH}
    return [
        replace(c, score=c.score - EPONYMOUS_REGION_PENALTY)
        if c.kind == "region" and c.cc in city_countries else c
        for c in candidates
    ]


class Gazetteer(Geocoder):
    """Offline geocoder over the embedded GeoNames, ISO 3166-2 and curated venue data.

    ``geocode(query, exactly_one=True, country=None)``: ``country`` is a hint in any common
    form (name, ISO 3166-1 alpha-2 or alpha-3, or a historical name such as "U.S.S.R.") that
    filters the candidates. Returns a :class:`geopy.location.Location` (or a list of them),
    or ``None`` when nothing fits. No network, ever.
    """

    def __init__(self, index: str | Path | None = None, progress: bool | None = None):
        super().__init__()
        self._path = Path(index) if index else ensure_index(progress)
        # Gazetteers the user added (GeoNames dumps), read like the built-in one: the same tables
        # in attached files, queried together.
        self.added = [] if index else added_gazetteers()
        self._connection, self._pid = None, None
        schemas = ["main"] + [f"added{number}" for number in range(len(self.added))]
        self._exact_sql = " UNION ALL ".join(
            "SELECT p.id, p.name, p.cc, p.lat, p.lon, p.kind, p.importance, p.capital, p.notability, "
            f"n.is_primary FROM {s}.name n JOIN {s}.place p ON p.id = n.place_id WHERE n.k = ?1" for s in schemas)
        self._variant_sql = " UNION ALL ".join(
            "SELECT p.id, p.name, p.cc, p.lat, p.lon, p.kind, p.importance, p.capital, p.notability, 0 "
            f"FROM {s}.variant v JOIN {s}.place p ON p.id = v.place_id WHERE v.k = ?1" for s in schemas)
        self._fuzzy_sql = {
            None: " UNION ".join(f"SELECT k FROM {s}.fuzzy WHERE importance >= ?1" for s in schemas),
            "cc": " UNION ALL ".join(f"SELECT k FROM {s}.fuzzy WHERE cc = ?1 AND k >= ?2 AND k < ?3 "
                                     "AND length(k) BETWEEN ?4 AND ?5" for s in schemas),
        }
        self._memo: dict[tuple, object] = {}
        self._hints: dict[str, tuple[str, ...]] = {}
        self._fuzzy_keys: dict[str | None, dict[str, list[str]]] = {}
        self._country_names = dict(self._db.execute("SELECT cc, name FROM country"))

    @property
    def _db(self) -> sqlite3.Connection:
        """The read-only connection, opened in this process: a process forked from one that had
        it open (gunicorn --preload) opens its own, as SQLite requires."""
        if self._connection is None or self._pid != os.getpid():
            # check_same_thread=False: Dash serves callbacks from a thread pool; reads only.
            db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            for number, extra in enumerate(self.added):
                db.execute(f"ATTACH DATABASE ? AS added{number}", (f"file:{extra.path}?mode=ro",))
            self._connection, self._pid = db, os.getpid()
        return self._connection

    # -------------------------------------------------------------------- geopy interface

    def geocode(self, query, *, exactly_one=True, country=None, timeout=None):
        if not isinstance(query, str) or not query.strip():
            raise EmptyPlaceError(f"nothing to look up: the place is empty ({query!r}); "
                                  "give a city, venue, region or country name")
        memo_key = (query, country, exactly_one)
        if memo_key in self._memo:
            return self._memo[memo_key]
        # A hint in words ("U.S.S.R.", "Germany") or, from the resolver, the ISO codes themselves.
        codes = tuple(country) if isinstance(country, (tuple, list)) else (
            self.country_codes(country) if country else None)
        ranked = self._rank(query, codes)
        if exactly_one:
            result = self._location(query, ranked, 0) if ranked else None
        else:
            result = [self._location(query, ranked, i) for i in range(min(len(ranked), MAX_CANDIDATES))]
        if len(self._memo) >= MEMO_LIMIT:  # a server runs for weeks: keep the memo bounded
            self._memo.clear()
        self._memo[memo_key] = result
        return result

    def reverse(self, query, *, exactly_one=True, timeout=None):
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")

    # -------------------------------------------------------------------- countries

    def country_codes(self, hint: str) -> tuple[str, ...]:
        """ISO 3166-1 alpha-2 codes a country hint stands for (several for U.S.S.R. and the like)."""
        if hint in self._hints:
            return self._hints[hint]
        rows = self._db.execute("SELECT codes FROM country_name WHERE k = ?", (key(hint),)).fetchall()
        if not rows:
            raise UnknownCountryError(
                f"unknown country {hint!r}: give a country name (e.g. Germany), an ISO 3166-1 "
                "alpha-2 code (DE) or alpha-3 code (DEU), or leave the country empty")
        codes: list[str] = []
        for (joined,) in rows:
            codes += [c for c in joined.split("|") if c not in codes]
        self._hints[hint] = tuple(codes)
        return self._hints[hint]

    def country_name(self, code: str) -> str:
        return self._country_names.get(code, code)

    # -------------------------------------------------------------------- ranking

    def _rank(self, query: str, codes: tuple[str, ...] | None) -> list[_Candidate]:
        query_key = key(query)
        candidates = self._exact(query_key, codes)
        candidates += self._short_forms(query_key, codes)
        if not candidates:
            candidates = self._without_generic_words(query, codes)
        if not candidates:
            candidates = self._airfields(query, words(query), codes, AIRFIELD_GUESS_MATCH, spellings=False)
        if not candidates:
            candidates = self._fuzzy(query_key, codes)
        if not candidates:
            candidates = self._variants(query, codes)
        if not candidates:
            candidates = self._partial(query, codes)
        if not candidates and codes and len(codes) == 1:
            candidates = self._country_fallback(codes[0])
        candidates = _prefer_eponymous_cities(candidates)
        # GeoNames often lists the short form among a place's other names: still a short form.
        candidates = [replace(c, short=True) if c.match == "alternate name" and c.kind == "city"
                      and query_key in {key(f) for f in short_forms(c.name)} else c for c in candidates]
        best: dict[int, _Candidate] = {}
        for candidate in candidates:
            if candidate.place_id not in best or candidate.score > best[candidate.place_id].score:
                best[candidate.place_id] = candidate
        return sorted(best.values(), key=lambda c: (-c.score, c.place_id))

    def _rows(self, sql: str, params) -> list[tuple]:
        return self._db.execute(sql, params).fetchall()

    def _exact(self, query_key: str, codes, match: str = "exact", penalty: float = 0.0) -> list[_Candidate]:
        rows = self._rows(self._exact_sql if match != VARIANT_MATCH else self._variant_sql, (query_key,))
        out = []
        for place_id, name, cc, lat, lon, kind, importance, capital, notability, is_primary in rows:
            if codes and cc not in codes:
                continue
            score = importance - penalty
            if is_primary:
                score += PRIMARY_NAME_BONUS + (CAPITAL_BONUS if capital else 0.0)
            elif kind == "city":
                # Half the fame counts under another name: Newcastle upon Tyne is "Newcastle",
                # but "Bali" as a foreign name of Paris must not outrank the island.
                score -= notability / 2
            label = match if match != "exact" else ("exact" if is_primary else "alternate name")
            out.append(_Candidate(place_id, name, cc, lat, lon, kind, score, label, importance,
                                  bool(is_primary)))
        return out

    def _short_forms(self, query_key: str, codes) -> list[_Candidate]:
        rows = self._rows("SELECT p.id, p.name, p.cc, p.lat, p.lon, p.kind, p.importance FROM short_name s "
                          "JOIN place p ON p.id = s.place_id WHERE s.k = ?", (query_key,))
        return [_Candidate(place_id, name, cc, lat, lon, kind, importance - SHORT_FORM_PENALTY, SHORT_FORM_MATCH,
                           importance, short=True)
                for place_id, name, cc, lat, lon, kind, importance in rows if not codes or cc in codes]

    def _without_generic_words(self, query: str, codes) -> list[_Candidate]:
        """'Shima City' -> 'Shima' (the town itself); 'Bagram Airfield' -> Bagram Air Base (an
        airfield by its bare name); 'Spangdahlem Air Base' with no such airfield -> 'Spangdahlem'
        (the town the base is named after: a stand-in, so the match says so)."""
        tokens = words(query)
        named = [t for t in tokens if t not in GENERIC_WORDS]
        if not named or named == tokens:
            return []
        if any(t in AIRFIELD_WORDS | LOOSE_AIRFIELD_WORDS for t in tokens):
            sure = any(t in AIRFIELD_WORDS for t in tokens)
            found = self._airfields(query, named, codes, AIRFIELD_MATCH if sure else AIRFIELD_GUESS_MATCH)
            if found:
                return found
        set_aside = [t for t in tokens if t in GENERIC_WORDS and t not in ARTICLES]
        match = (SETTLEMENT_MATCH if set_aside and all(t in SETTLEMENT_WORDS for t in set_aside)
                 else STAND_IN_MATCH)
        return self._exact("".join(named), codes, match, PARTIAL_PENALTY / 2)

    def _airfields(self, query: str, named: list[str], codes, match: str, spellings: bool = True) -> list[_Candidate]:
        """Airfields whose name without 'Air Base', 'Airport'... is the query's named part,
        spelled alike or (with spellings) as another romanisation; a base asked for prefers a
        military one."""
        if not named:
            return []
        military = is_military(query) or "base" in words(query)
        found = []
        keys = [(key(" ".join(named)), 0)] + ([(airfield_variant(" ".join(named)), 1)] if spellings else [])
        for text, is_variant in keys:
            if not text:
                continue
            rows = self._rows("SELECT p.id, p.name, p.cc, p.lat, p.lon, p.kind, p.importance FROM airfield_name a "
                              "JOIN place p ON p.id = a.place_id WHERE a.k = ? AND a.is_variant = ?",
                              (text, is_variant))
            for place_id, name, cc, lat, lon, kind, importance in rows:
                if codes and cc not in codes:
                    continue
                score = importance + (MILITARY_BONUS if military and is_military(name) else 0.0)
                found.append(_Candidate(place_id, name, cc, lat, lon, kind, score - VARIANT_PENALTY * is_variant,
                                        VARIANT_MATCH if is_variant else match, importance, True))
            if found:
                return found
        return found

    def _partial(self, query: str, codes) -> list[_Candidate]:
        """Try the named part of a longer name, longest first: 'Jurata Hel.' -> 'Hel'."""
        parts = [p for p in (query.split(",") if "," in query else [query]) if p.strip()]
        tried: set[str] = {key(query)}
        for part in parts:
            tokens = words(part)
            phrases = []
            for length in range(len(tokens) - 1, 0, -1):
                for start in range(len(tokens) - length + 1):
                    phrases.append(tokens[start:start + length])
            for phrase in phrases:
                phrase_key = "".join(phrase)
                if phrase_key in tried or len(phrase_key) < 3 or all(t in GENERIC_WORDS for t in phrase):
                    continue
                tried.add(phrase_key)
                dropped = len(tokens) - len(phrase)
                found = self._exact(phrase_key, codes, "partial name", PARTIAL_PENALTY + 0.2 * dropped)
                if found:
                    return found
        return []

    def _fuzzy(self, query_key: str, codes) -> list[_Candidate]:
        if len(query_key) < 4 or not query_key.isascii():
            return []
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        max_edits = 1 if len(query_key) < 9 else 2
        scopes = codes or (None,)
        found = []
        for scope in scopes:
            # Misspellings rarely touch the first letter; other towns do. So only names with
            # the same first letter are compared, which also keeps this fast.
            choices = self._fuzzy_choices(scope, query_key[0], len(query_key))
            for match_key, distance, _ in process.extract(
                query_key, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=10
            ):
                penalty = FUZZY_PENALTY_PER_EDIT * distance
                found += self._exact(match_key, codes, f"spelling {distance} edit(s) away", penalty)
        return found

    def _variants(self, query: str, codes) -> list[_Candidate]:
        """Another romanisation of the name: 'Tubruq' -> Tobruk, 'Al-Qatif' -> Qatif. Without a
        country hint only places of some weight count: skeletons of small places collide."""
        variant = variant_key(query)
        if not variant:
            return []
        found = self._exact(variant, codes, VARIANT_MATCH, VARIANT_PENALTY)
        return found if codes else [c for c in found if c.weight >= FUZZY_WORLD_MIN_IMPORTANCE]

    def _fuzzy_choices(self, scope: str | None, first_letter: str, length: int) -> list[str]:
        """Names to compare a misspelling with. Within a country, only those with its first
        letter are read (an index range): an added country file holds hundreds of thousands."""
        if scope is None:
            if None not in self._fuzzy_keys:
                by_letter: dict[str, list[str]] = {}
                for (name_key,) in self._rows(self._fuzzy_sql[None], (FUZZY_WORLD_MIN_IMPORTANCE,)):
                    by_letter.setdefault(name_key[0], []).append(name_key)
                self._fuzzy_keys[None] = by_letter
            return self._fuzzy_keys[None].get(first_letter, [])
        cached = self._fuzzy_keys.setdefault(scope, {})
        slot = (first_letter, length)
        if slot not in cached:
            upper = chr(ord(first_letter) + 1)
            # Two edits change the length by two at most: shorter or longer names cannot match.
            rows = self._rows(self._fuzzy_sql["cc"], (scope, first_letter, upper, length - 2, length + 2))
            cached[slot] = list({k for (k,) in rows})
        return cached[slot]

    def _country_fallback(self, code: str) -> list[_Candidate]:
        rows = self._rows(
            "SELECT p.id, p.name, p.cc, p.lat, p.lon, p.kind, p.importance FROM country c "
            "JOIN place p ON p.id = c.place_id WHERE c.cc = ?", (code,))
        return [_Candidate(r[0], r[1], r[2], r[3], r[4], r[5], 0.0, "not found: country centre", r[6], False)
                for r in rows]

    # -------------------------------------------------------------------- results

    def _location(self, query: str, ranked: list[_Candidate], index: int) -> Location:
        chosen = ranked[index]
        others = [c for c in ranked if c is not chosen]
        namesakes = self._namesakes(chosen, others)  # used by both the confidence and the runners-up
        confidence, reason = self._confidence(query, chosen, others, namesakes) if index == 0 else (
            "check", "a runner-up: not the best match for this name")
        country = self.country_name(chosen.cc)
        address = chosen.name if chosen.kind == "country" else f"{chosen.name}, {country}"
        raw = chosen.describe(self._country_names)
        raw.update(
            query=query,
            matched_name=chosen.name,
            source="gazetteer",
            confidence=confidence,
            reason=reason,
            close_call=confidence != "high",
            candidates=self._runners_up(others, namesakes),
        )
        return Location(address, (chosen.lat, chosen.lon), raw)

    def _runners_up(self, others: list[_Candidate], namesakes: list[_Candidate]) -> list[dict]:
        """The best few others, plus every namesake of similar weight (up to MAX_NAMESAKES), so
        that the trip's route and the reader can choose among them; namesakes say so."""
        shown = others[: MAX_CANDIDATES - 1]
        shown += [c for c in namesakes if c not in shown][: max(0, MAX_NAMESAKES - len(shown))]
        return [dict(c.describe(self._country_names), namesake=c in namesakes) for c in shown]

    def _namesakes(self, chosen: _Candidate, others: list[_Candidate]) -> list[_Candidate]:
        """Other cities and venues of similar weight that carry the winner's name, away from it.

        GeoNames' alternate names hold stray translations ("Alexandria" is also a name of
        Mashhad): a place only known by this name elsewhere counts if it outweighs the winner.
        """
        if chosen.match not in STRONG_MATCHES or chosen.precision not in ("city", "venue"):
            return []
        same_name = [c for c in others
                     if c.match in STRONG_MATCHES + (STAND_IN_MATCH, SHORT_FORM_MATCH)
                     and c.precision in ("city", "venue") and km(c.lat, c.lon, chosen.lat, chosen.lon) > NAMESAKE_MIN_KM]
        # Measured from the heaviest of them: a small capital (Hamilton, Bermuda) wins on its
        # capital bonus, but the places it competes with are Hamilton (Canada) and its peers.
        heaviest = max([chosen.weight] + [c.weight for c in same_name if c.primary])
        return [c for c in same_name
                if (c.weight >= heaviest - AMBIGUITY_MARGIN if c.primary else
                    c.weight >= heaviest - SHORT_FORM_MARGIN if c.short else c.weight > heaviest)]

    def _confidence(self, query: str, chosen: _Candidate, others: list[_Candidate],
                    namesakes: list[_Candidate]) -> tuple[str, str]:
        """How far a reader can trust the winner, and why, from the evidence the ranking had."""
        where = f"{chosen.name}, {self.country_name(chosen.cc)}"
        if chosen.match.startswith("not found"):
            return "approximate", "not found; placed at the country's capital until you pick a place"
        if chosen.precision == "country":
            return "approximate", f"the whole country ({chosen.name}): drawn at its capital"
        if chosen.precision == "region":
            return "approximate", f"a region, island or water: placed at the centre of {where}"
        if chosen.match == STAND_IN_MATCH:
            if self._namesakes(replace(chosen, match="exact"), others):
                return "check", f"placed at {where}, one of several places of similar size with the name it carries"
            return "approximate", f"placed at {where}, the place it is named after; no point for the {query} itself"
        code_clash = self._code_clash(query, chosen, others)
        if code_clash:
            return "check", code_clash
        if chosen.match not in STRONG_MATCHES:
            return "check", f"not an exact match ({chosen.match}): {where}"
        if all(t in GENERIC_WORDS for t in words(query)):
            return "check", f"the name is a generic word; matched {where}"
        if namesakes:
            also = "; ".join(f"{c.name}, {self.country_name(c.cc)} ({c.lat:.2f}, {c.lon:.2f}; "
                             f"{km(c.lat, c.lon, chosen.lat, chosen.lon):,.0f} km away)" for c in namesakes[:3])
            return "check", f"{AMBIGUOUS_PREFIX} ({len(namesakes) + 1}): picked {where}; also {also}"
        if not chosen.primary:
            # Matched by another of its names, while a place of some weight is called exactly that.
            # Two places both called this for short ('Frankfurt'): the usual margin for short forms.
            margin = SHORT_FORM_MARGIN if chosen.short else AMBIGUITY_MARGIN
            named = [c for c in others if (c.primary and c.match == "exact" or c.short)
                     and c.precision in ("city", "venue")
                     and c.weight >= chosen.weight - margin
                     and km(c.lat, c.lon, chosen.lat, chosen.lon) > NAMESAKE_MIN_KM]
            if named:
                called = "is called that for short" if named[0].short else "is called exactly that"
                return "check", (f"'{query}' is another name of {where}, but {named[0].name}, "
                                 f"{self.country_name(named[0].cc)} {called}")
            facility = words(query)[-1:]
            if chosen.kind != AIRFIELD_KIND and facility and facility[0] in FACILITY_WORDS \
                    and facility[0] not in words(chosen.name):
                return "check", (f"'{query}' reads as a {facility[0]}'s name; it is another name of {where}: "
                                 "check that the town is the place meant")
        if chosen.kind == AIRFIELD_KIND:
            how = ("its code" if CODE_PATTERN.match(query.strip()) else
                   "its exact name" if chosen.match == "exact" else chosen.match)
            return "high", f"an airfield, {chosen.name} ({self.country_name(chosen.cc)}), by {how}"
        return "high", "exact name" if chosen.primary else f"another name of {where}"

    def _code_clash(self, query: str, chosen: _Candidate, others: list[_Candidate]) -> str | None:
        """A code typed as one ('RMS', 'ETAR') that is an airfield's and also a place's name."""
        if not CODE_PATTERN.match(query.strip()):
            return None
        exact = [c for c in [chosen, *others] if c.match in ("exact", "alternate name")]
        fields = [c for c in exact if c.kind == AIRFIELD_KIND]
        places = [c for c in exact if c.kind != AIRFIELD_KIND]
        if not fields or not places:
            return None
        return (f"'{query.strip()}' is the code of the airfield {fields[0].name} ({self.country_name(fields[0].cc)}) "
                f"and the name of {places[0].name} ({self.country_name(places[0].cc)}); picked "
                f"{chosen.name}: say which with the place's full name or a country")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; the haversine is plenty for telling namesakes apart."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12_742.0 * math.asin(min(1.0, math.sqrt(a)))
