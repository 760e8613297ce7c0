"""Trip summaries and the itinerary as text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.figures.common import (
    KM_PER_MILE,
    date_labels,
    distance_km,
    stop_colours,
)
from dashboard.itinerary import events_by_stop, frame_rows, led_by, placement_note, rows_by_trip, safe_url, text_or_none


@dataclass(frozen=True)
class TripSummary:
    trip_id: str
    trip: str
    leader: str | None  # None: a trip drafted before its traveller was named
    stops: int
    days: int
    countries: list[str]
    events: int
    distance_km: float
    legs: list[tuple[str, str, float]]

    @property
    def distance_miles(self) -> float:
        return self.distance_km / KM_PER_MILE

    def text(self) -> str:
        return (f"{self.stops} stops over {self.days} day(s) in {len(self.countries)} "
                f"countr{'y' if len(self.countries) == 1 else 'ies'} ({', '.join(self.countries)}); "
                f"{self.events} event(s); {self.distance_km:,.0f} km ({self.distance_miles:,.0f} mi) "
                "by great circle")


def trip_summaries(stops: pd.DataFrame, events: pd.DataFrame | None = None) -> list[TripSummary]:
    if stops.empty:
        return []
    country_column = next((c for c in ("country_name", "country_code", "country") if c in stops), None)
    event_counts = events.groupby("trip_id").size().to_dict() if events is not None and len(events) else {}
    # Every leg of every trip at once: consecutive placed stops of the same trip.
    located = stops[stops["lat"].notna() & stops["lon"].notna()]
    trip_of = located["trip_id"].to_numpy()
    same_trip = trip_of[:-1] == trip_of[1:]
    lats, lons = located["lat"].to_numpy(float), located["lon"].to_numpy(float)
    lengths = distance_km(lats[:-1], lons[:-1], lats[1:], lons[1:]) if len(located) > 1 else np.empty(0)
    places = located["place"].tolist()
    legs: dict[str, list[tuple[str, str, float]]] = {}
    for index in np.flatnonzero(same_trip).tolist():
        legs.setdefault(trip_of[index], []).append((places[index], places[index + 1], float(lengths[index])))
    spans = stops.groupby("trip_id", sort=False).agg(first=("arrive", "min"), last=("depart", "max"),
                                                   count=("stop_no", "size"), trip=("trip", "first"),
                                                   leader=("leader", "first"))
    countries: dict[str, list[str]] = {}
    if country_column:
        for trip_id, country in zip(stops["trip_id"].tolist(), stops[country_column].tolist()):
            if isinstance(country, str) and country and country not in countries.setdefault(trip_id, []):
                countries[trip_id].append(country)
    out = []
    for trip_id, span in zip(spans.index.tolist(), frame_rows(spans)):
        trip_legs = legs.get(trip_id, [])
        out.append(TripSummary(
            trip_id=str(trip_id), trip=str(span["trip"]), leader=text_or_none(span["leader"]), stops=int(span["count"]),
            days=int((span["last"].normalize() - span["first"].normalize()).days) + 1,
            countries=countries.get(trip_id, []), events=int(event_counts.get(trip_id, 0)),
            distance_km=sum(leg[2] for leg in trip_legs), legs=trip_legs))
    return out


def itinerary_text(stops: pd.DataFrame, events: pd.DataFrame | None = None,
                   summaries: list[TripSummary] | None = None,
                   grouped: dict[tuple[str, int], list[dict]] | None = None) -> str:
    """A plain-text itinerary, one line per stop: the screen-reader and copy-paste view.
    ``summaries`` and ``grouped`` (``events_by_stop``) may be passed when already at hand."""
    grouped = events_by_stop(events) if grouped is None else grouped
    dates = dict(zip(zip(stops["trip_id"], stops["stop_no"]), date_labels(stops)))
    by_trip = rows_by_trip(stops[[c for c in ("trip_id", "stop_no", "place", "country_name", "precision", "confidence",
                                              "geocode_note") if c in stops]])
    lines = []
    for summary in summaries if summaries is not None else trip_summaries(stops, events):
        lines.append(led_by(summary.leader, f"{summary.trip}. {summary.text()}."))
        for stop in by_trip.get(summary.trip_id, []):
            stop_events = grouped.get((stop["trip_id"], int(stop["stop_no"])), [])
            what = "; ".join(f"{e['kind']}: {e['text'].rstrip('.')}" for e in stop_events)
            country = stop.get("country_name")
            where = f"{stop['place']}, {country}" if country else stop["place"]
            line = f"{stop['stop_no']}. {where}, {dates[stop['trip_id'], stop['stop_no']]}"
            note = placement_note(stop) if stop.get("precision") else None
            if note:
                line += f" ({note})"
            lines.append(line + (f". {what}" if what else "."))
    return "\n".join(lines)


def itinerary_story(stops: pd.DataFrame, events: pd.DataFrame | None = None,
                    summaries: list[TripSummary] | None = None,
                    grouped: dict[tuple[str, int], list[dict]] | None = None) -> list[dict]:
    """The itinerary as a story, per trip: its summary, then each stop numbered as on the map,
    in the map's colour, with its dates, where it was placed when that is uncertain, and its
    events with their sources. Plain values only: a page or a layout renders it (and escapes it)."""
    grouped = events_by_stop(events) if grouped is None else grouped
    summaries = trip_summaries(stops, events) if summaries is None else summaries
    labels = date_labels(stops)
    colours = stop_colours(stops) if len(stops) else []
    columns = [c for c in ("trip_id", "stop_no", "place", "country_name", "precision", "confidence", "geocode_note",
                           "arrive", "depart") if c in stops]
    by_trip: dict[str, list[dict]] = {}
    for record, label, colour in zip(frame_rows(stops[columns]), labels, colours):
        key = (record["trip_id"], int(record["stop_no"]))
        by_trip.setdefault(record["trip_id"], []).append({
            "key": f"{key[0]}|{key[1]}", "number": key[1], "place": record["place"],
            "country": record.get("country_name") or None, "dates": label,
            "arrive": record["arrive"].strftime("%Y-%m-%d"), "depart": record["depart"].strftime("%Y-%m-%d"),
            "colour": colour, "note": placement_note(record) if record.get("precision") else None,
            "events": [{"kind": e["kind"], "text": e["text"], "time": e["time"] or None, "people": e["people"] or None,
                        "source": e["source"] or None, "link": safe_url(e["source"])}
                       for e in grouped.get(key, [])],
        })
    return [{"trip_id": s.trip_id, "trip": s.trip, "leader": s.leader, "heading": led_by(s.leader, s.trip),
             "summary": s.text(),
             "stops": by_trip.get(s.trip_id, [])} for s in summaries]
