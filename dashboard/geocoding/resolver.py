"""Place every stop: coordinates in the itinerary, then the user's saved choice, then the
offline gazetteer, then (opt in, for what the gazetteer could not place well) an online
provider through its cache. Each answer says where it came from."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from geopy.exc import GeocoderServiceError

from dashboard.geocoding.errors import GeocodingError, UnknownCountryError
from dashboard.geocoding.gazetteer import Gazetteer
from dashboard.geocoding.online import OnlineProvider
from dashboard.geocoding.store import GeocodeStore
from dashboard.itinerary import APPROXIMATE, Problem, frame_rows, is_missing, text_or_none

GEOCODE_COLUMNS = ["lat", "lon", "country_code", "country_name", "precision", "matched_name", "geo_source",
                   "geo_match", "candidates", "geocode_note"]


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

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer | None = None, store: GeocodeStore | None = None,
                 online: OnlineProvider | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        self.store = store
        self.online = online
        self.warnings: list[str] = []

    def resolve(self, place: str, country: str | None = None,
                lat: float | None = None, lon: float | None = None) -> Resolution:
        codes, hint_note = self._codes(country)
        single_code = codes[0] if codes and len(codes) == 1 else None
        if _given(lat) and _given(lon):
            return Resolution(lat, lon, single_code, "venue", place, "override", "coordinates in the itinerary")
        if self.store is not None:
            saved = self.store.override(place, country)
            if saved:
                return Resolution(saved["lat"], saved["lon"], saved["country_code"] or single_code,
                                  saved["precision"], saved["name"], "override", "saved choice")
        found = self.gazetteer.geocode(place, country=country if codes else None, exactly_one=False)
        resolution = self._from_location(found, hint_note)
        if self.online is not None and (not resolution.resolved or _weak(found)):
            resolution = self._online(place, single_code, resolution)
        return resolution

    def _codes(self, country: str | None) -> tuple[tuple[str, ...] | None, str | None]:
        if not country or not str(country).strip():
            return None, None
        try:
            return self.gazetteer.country_codes(country), None
        except UnknownCountryError as exc:
            return None, f"{exc}; looked up without a country"

    def _from_location(self, locations, hint_note: str | None) -> Resolution:
        if not locations:
            return Resolution(None, None, None, None, None, None, None, [],
                              _join(hint_note, "not found in the offline gazetteer; pick a "
                                               "candidate, type coordinates, or check the spelling"))
        best = locations[0]
        raw = best.raw
        candidates = raw["candidates"] if len(locations) == 1 else [loc.raw for loc in locations[1:5]]
        note = None
        if raw["match"].startswith("not found"):
            note = "not found; shown at the country's capital until you pick a place"
        elif raw["close_call"]:
            note = f"close call ({raw['match']}); check the candidates"
        return Resolution(best.latitude, best.longitude, raw["country_code"], raw["precision"],
                          raw["matched_name"], "gazetteer", raw["match"],
                          [_slim(c) for c in candidates], _join(hint_note, note))

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
                          "placed by the online provider")

    def geocode_stops(self, stops):
        """The stops frame with the geocoding columns filled in (a new frame).

        Each distinct (place, country, lat, lon) is resolved once: a collection names the same
        capitals thousands of times.
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
        out = stops.copy()
        out["lat"] = [r.lat if r.resolved else math.nan for r in rows]
        out["lon"] = [r.lon if r.resolved else math.nan for r in rows]
        out["country_code"] = [r.country_code for r in rows]
        out["country_name"] = [self.gazetteer.country_name(r.country_code) if r.country_code else None
                               for r in rows]
        out["precision"] = [r.precision for r in rows]
        out["matched_name"] = [r.matched_name for r in rows]
        out["geo_source"] = [r.source for r in rows]
        out["geo_match"] = [r.match for r in rows]
        out["candidates"] = [json.dumps(r.candidates, ensure_ascii=False) for r in rows]
        out["geocode_note"] = [r.note for r in rows]
        return out


def placement_problems(placed) -> list[Problem]:
    """What a reader must know about where the stops of a geocoded frame were put: stops left
    off the map (errors), stops placed only at a country or region centre, and every
    geocoding note (warnings)."""
    out = []
    for stop in frame_rows(placed[["trip", "stop_no", "place", "lat", "precision", "matched_name",
                                "geocode_note", "file", "location"]]):
        where = f"stop {stop['stop_no']} of '{stop['trip']}'"
        if stop["lat"] is None:
            message = (f"{where} was not placed and is left off the map"
                       + (f" ({stop['geocode_note']})" if stop["geocode_note"] else "")
                       + "; give a country hint, fix the spelling, or type coordinates")
            out.append(Problem("error", stop["file"] or "", stop["location"] or "", "place", stop["place"], message))
            continue
        notes = []
        if stop["precision"] in APPROXIMATE:
            notes.append(f"placed approximately, at the {stop['precision']} centre of {stop['matched_name']}")
        if stop["geocode_note"]:
            notes.append(stop["geocode_note"])
        if notes:
            out.append(Problem("warning", stop["file"] or "", stop["location"] or "", "place", stop["place"],
                               f"{where}: " + "; ".join(notes)))
    return out


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _weak(locations) -> bool:
    return bool(locations) and locations[0].raw["match"].startswith(("not found", "spelling", "partial"))


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def _slim(candidate: dict) -> dict:
    return {k: candidate[k] for k in ("name", "country_code", "country", "latitude", "longitude",
                                      "precision", "match")}


__all__ = ["GEOCODE_COLUMNS", "GeocodingError", "PlaceResolver", "Resolution", "placement_problems"]
