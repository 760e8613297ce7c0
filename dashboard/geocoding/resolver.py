"""Place every stop: coordinates in the itinerary, then the user's saved choice, then the
offline gazetteer, then (opt in, for what the gazetteer could not place well) an online
provider through its cache. Each answer says where it came from and how far to trust it
(``high``, ``check`` or ``approximate``, with the reason in ``note``).

A trip is a route: when a name is ambiguous, the candidate near the neighbouring stops wins,
and the note says that the trip's context decided."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Protocol

from geopy.exc import GeocoderServiceError

from dashboard.geocoding.errors import GeocodingError, UnknownCountryError
from dashboard.geocoding.gazetteer import AMBIGUOUS_PREFIX, Gazetteer, km
from dashboard.geocoding.online import OnlineProvider
from dashboard.geocoding.time_zones import zone_at
from dashboard.itinerary import (
    APPROXIMATE,
    NEEDS_REVIEW,
    Problem,
    frame_rows,
    is_missing,
    placement_confidence,
    placement_note,
    text_or_none,
)

GEOCODE_COLUMNS = ["lat", "lon", "country_code", "country_name", "precision", "confidence", "matched_name",
                   "geo_source", "geo_match", "candidates", "geocode_note", "timezone"]
# Context decides between namesakes only when one is near a neighbouring stop and the others
# clearly are not: within this distance of a neighbour ...
CONTEXT_NEAR_KM = 1500.0
# ... and every other namesake at least this many times farther and this much farther away.
CONTEXT_RATIO = 3.0
CONTEXT_MIN_GAP_KM = 300.0
# Namesakes inside one country are often a few hundred km apart; a neighbouring stop close by
# still decides: within this distance of it, every other namesake the ratio times as far and
# at least the gap farther.
CONTEXT_LOCAL_KM = 100.0
CONTEXT_LOCAL_GAP_KM = 100.0
# Neighbours are looked for this many stops away at most: a route says little about a stop
# far along it (and a long run of uncertain stops must not make the search quadratic).
CONTEXT_MAX_STEPS = 3


@dataclass
class Resolution:
    lat: float | None
    lon: float | None
    country_code: str | None
    precision: str | None
    matched_name: str | None
    source: str | None
    match: str | None = None
    candidates: list[dict] = field(default_factory=list)
    note: str | None = None
    confidence: str | None = None
    ambiguous: bool = False  # several places of similar weight carry the name: context may decide

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


class PlaceChoices(Protocol):
    """What the resolver keeps between runs: the users' place choices and the online cache.
    ``dashboard.store.Store`` is one; the geocoder never imports the store, it is handed one."""

    def override(self, place: str, country: str | None) -> dict | None: ...

    def save_override(self, place: str, country: str | None, lat: float, lon: float, name: str | None = None,
                      country_code: str | None = None, precision: str = "venue",
                      saved_by: str | None = None) -> None: ...

    def forget_override(self, place: str, country: str | None) -> bool: ...

    def cached_answer(self, provider: str, place: str, country: str | None) -> dict | None: ...

    def cache_answer(self, provider: str, place: str, country: str | None, answer: dict) -> None: ...


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer | None = None, store: PlaceChoices | None = None,
                 online: OnlineProvider | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        self.store = store
        self.online = online
        self.warnings: list[str] = []

    def with_store(self, store) -> "PlaceResolver":
        """The same resolver (gazetteer, online provider) over another store, e.g. read-only."""
        return PlaceResolver(self.gazetteer, store, self.online)

    def resolve(self, place: str, country: str | None = None,
                lat: float | None = None, lon: float | None = None) -> Resolution:
        codes, hint_note = self._codes(country)
        single_code = codes[0] if codes and len(codes) == 1 else None
        if _given(lat) and _given(lon):
            return Resolution(lat, lon, single_code, "venue", place, "override", "coordinates in the itinerary",
                              confidence="high")
        if self.store is not None:
            saved = self.store.override(place, country)
            if saved:
                return Resolution(saved["lat"], saved["lon"], saved["country_code"] or single_code,
                                  saved["precision"], saved["name"], "override", "saved choice",
                                  confidence="approximate" if saved["precision"] in APPROXIMATE else "high")
        codes, colony_note = self._own_country(place, codes)
        hint_note = _join(hint_note, colony_note)
        found = self.gazetteer.geocode(place, country=codes)
        resolution = self._from_location(found, hint_note)
        if self.online is not None and (not resolution.resolved or _weak(found)):
            resolution = self._online(place, single_code, resolution)
        return resolution

    def _codes(self, country: str | None) -> tuple[tuple[str, ...] | None, str | None]:
        """The ISO codes a country hint stands for. Records qualify a country in brackets
        ("United Kingdom (Wales)", "Yugoslavia (Kosovo)"): each part that names a country counts."""
        if not country or not str(country).strip():
            return None, None
        try:
            return self.gazetteer.country_codes(country), None
        except UnknownCountryError as exc:
            parts = [p.strip() for p in re.split(r"[()]", str(country)) if p.strip()]
            codes: list[str] = []
            for part in parts if len(parts) > 1 else []:
                try:
                    codes += [c for c in self.gazetteer.country_codes(part) if c not in codes]
                except UnknownCountryError:
                    continue
            if codes:
                return tuple(codes), None
            return None, f"{exc}; looked up without a country"

    def _own_country(self, place: str, codes):
        """A place that is a country (or territory) of its own today wins over the hint: records
        list Bermuda under the United Kingdom and Guam-era colonies under their ruler."""
        if not codes:
            return codes, None
        try:
            own = self.gazetteer.country_codes(place)
        except UnknownCountryError:
            return codes, None
        if set(own) & set(codes):
            return codes, None
        return own, f"{place} is a country or territory of its own today; the stated country was left aside"

    def _from_location(self, best, hint_note: str | None) -> Resolution:
        if best is None:
            return Resolution(None, None, None, None, None, None, None, [],
                              _join(hint_note, "not found in the offline gazetteer; pick a "
                                               "candidate, type coordinates, or check the spelling"))
        raw = best.raw
        candidates = raw["candidates"]
        confidence = raw["confidence"]
        return Resolution(best.latitude, best.longitude, raw["country_code"], raw["precision"],
                          raw["matched_name"], "gazetteer", raw["match"],
                          [_slim(c) for c in candidates],
                          _join(hint_note, raw["reason"] if confidence != "high" else None),
                          "check" if hint_note and confidence == "high" else confidence,
                          ambiguous=raw["reason"].startswith(AMBIGUOUS_PREFIX))

    def with_context(self, found: Resolution, neighbours: list[Resolution]) -> Resolution:
        """The namesake nearest the neighbouring stops, when the trip's route makes it clear.

        Only confident neighbours count: an ambiguous stop must not steer another one.
        """
        anchors = [n for n in neighbours if n.resolved and n.confidence == "high"]
        if not found.ambiguous or not anchors:
            return found
        options = [dict(name=found.matched_name, country_code=found.country_code, latitude=found.lat,
                        longitude=found.lon, precision=found.precision, match=found.match)]
        options += [c for c in found.candidates if c.get("namesake")]
        distances = sorted((min(km(o["latitude"], o["longitude"], a.lat, a.lon) for a in anchors), i)
                           for i, o in enumerate(options))
        (nearest, index), runner_up = distances[0], distances[1][0] if len(distances) > 1 else math.inf
        far_apart = nearest <= CONTEXT_NEAR_KM and runner_up >= max(CONTEXT_RATIO * nearest,
                                                                   nearest + CONTEXT_MIN_GAP_KM)
        close_by = nearest <= CONTEXT_LOCAL_KM and runner_up >= max(CONTEXT_RATIO * nearest,
                                                                   nearest + CONTEXT_LOCAL_GAP_KM)
        if not (far_apart or close_by):
            return found
        chosen = options[index]
        names = ", ".join(dict.fromkeys(a.matched_name for a in anchors if a.matched_name))
        where = f"{chosen['name']}, {self.gazetteer.country_name(chosen['country_code'])}"
        note = (f"the trip decided: of the places with this name, {where} is the one near the "
                f"neighbouring stops ({names}; {nearest:,.0f} km)")
        others = [o for i, o in enumerate(options) if i != index]
        return Resolution(chosen["latitude"], chosen["longitude"], chosen["country_code"], chosen["precision"],
                          chosen["name"], found.source, "trip context", others, note, "high")

    def _online(self, place: str, code: str | None, offline: Resolution) -> Resolution:
        provider = self.online
        answer = self.store.cached_answer(provider.name, place, code) if self.store else None
        source = "cache"
        if answer is None:
            try:
                location = provider.geocode(place, code)
            except GeocoderServiceError as exc:
                self.warnings.append(f"online geocoder '{provider.name}' unreachable ({exc}); "
                                     "using the offline gazetteer for the rest of this run")
                self.online = None
                return offline
            if location is None:
                return offline
            answer = {"lat": location.latitude, "lon": location.longitude, "address": location.address}
            if self.store is not None:
                self.store.cache_answer(provider.name, place, code, answer)
            source = "online"
        return Resolution(answer["lat"], answer["lon"], code or offline.country_code, "venue",
                          answer["address"], source, provider.name, offline.candidates,
                          f"placed by the online provider {provider.name}; check it", "check")

    def geocode_stops(self, stops):
        """The stops frame with the geocoding columns filled in (a new frame).

        Each distinct (place, country, lat, lon) is resolved once: a collection names the same
        capitals thousands of times. Then each ambiguous stop looks at its trip's neighbours.
        """
        resolved: dict[tuple, Resolution] = {}
        rows = []
        for stop in zip(stops["place"].tolist(), stops["country"].tolist(),
                        stops["lat"].tolist(), stops["lon"].tolist()):
            place, country, lat, lon = (text_or_none(stop[0]), text_or_none(stop[1]),
                                        None if is_missing(stop[2]) else stop[2],
                                        None if is_missing(stop[3]) else stop[3])
            key = (place, country, lat, lon)
            if key not in resolved:
                resolved[key] = self.resolve(place, country, lat, lon)
            rows.append(resolved[key])
        trips = stops["trip_id"].tolist() if "trip_id" in stops else [None] * len(rows)
        rows = self.in_context(rows, trips)
        out = stops.copy()
        out["lat"] = [r.lat if r.resolved else math.nan for r in rows]
        out["lon"] = [r.lon if r.resolved else math.nan for r in rows]
        out["country_code"] = [r.country_code for r in rows]
        out["country_name"] = [self.gazetteer.country_name(r.country_code) if r.country_code else None
                               for r in rows]
        out["precision"] = [r.precision for r in rows]
        out["confidence"] = [r.confidence for r in rows]
        out["matched_name"] = [r.matched_name for r in rows]
        out["geo_source"] = [r.source for r in rows]
        out["geo_match"] = [r.match for r in rows]
        out["candidates"] = [json.dumps(r.candidates, ensure_ascii=False) for r in rows]
        out["geocode_note"] = [r.note for r in rows]
        # Each stop's IANA zone from its coordinates (for its local times, DST-correct on its dates).
        out["timezone"] = [zone_at(lat, lon) for lat, lon in zip(out["lat"].tolist(), out["lon"].tolist())]
        return out

    def in_context(self, rows: list[Resolution], trips: list) -> list[Resolution]:
        """Each ambiguous row decided by the nearest confident rows before and after it in the
        same trip (rows in travel order; ``trips`` names each row's trip, None for no trip)."""
        out = list(rows)
        for i, found in enumerate(rows):
            if not found.ambiguous or trips[i] is None:
                continue
            neighbours = []
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(rows) and trips[j] == trips[i] and abs(j - i) <= CONTEXT_MAX_STEPS:
                    if rows[j].resolved and rows[j].confidence == "high":
                        neighbours.append(rows[j])
                        break
                    j += step
            out[i] = self.with_context(found, neighbours)
        return out


def placement_problems(placed) -> list[Problem]:
    """What a reader must know about where the stops of a geocoded frame were put: stops left
    off the map (errors), and stops to check or placed only approximately (warnings)."""
    out = []
    columns = ["trip", "stop_no", "place", "lat", "precision", "confidence", "matched_name", "geocode_note",
               "file", "location"]
    for stop in frame_rows(placed[[c for c in columns if c in placed]]):
        where = f"stop {stop['stop_no']} of '{stop['trip']}'"
        if stop["lat"] is None:
            message = (f"{where} was not placed and is left off the map"
                       + (f" ({stop['geocode_note']})" if stop["geocode_note"] else "")
                       + "; give a country hint, fix the spelling, or type coordinates")
            out.append(Problem("error", stop.get("file") or "", stop.get("location") or "", "place", stop["place"], message))
            continue
        note = placement_note(stop) if stop["precision"] else None
        if note:
            advice = "; pick a candidate or give a country hint" if placement_confidence(stop) == NEEDS_REVIEW else ""
            out.append(Problem("warning", stop.get("file") or "", stop.get("location") or "", "place", stop["place"],
                               f"{where}: {note}{advice}"))
    return out


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _weak(found) -> bool:
    """Worth asking the online provider: a guess, or only the country's centre."""
    return found is not None and (found.raw["confidence"] == "check" or found.raw["match"].startswith("not found"))


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _slim(candidate: dict) -> dict:
    return {k: candidate.get(k) for k in ("name", "country_code", "country", "latitude", "longitude",
                                          "precision", "match", "namesake")}


__all__ = ["GEOCODE_COLUMNS", "GeocodingError", "PlaceChoices", "PlaceResolver", "Resolution", "placement_problems"]
