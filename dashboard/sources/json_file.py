"""The project's JSON itineraries, read (``parse_json``) and written (``write_json``): a trip (or a
list of trips) with nested stops and events."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from dashboard.itinerary import (
    GEOCODED_CSV_COLUMNS,
    ItineraryError,
    StopCollector,
    events_by_stop,
    frame_rows,
    iso_moment,
)


def parse_json(text: str, collector: StopCollector) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItineraryError(f"{collector.file}, line {exc.lineno} column {exc.colno}: "
                             f"not valid JSON ({exc.msg})") from None
    if isinstance(document, dict) and "trips" in document:
        trips, base = document["trips"], "$.trips"
    elif isinstance(document, list):
        trips, base = document, "$"
    else:
        trips, base = [document], None
    if not isinstance(trips, list):
        raise ItineraryError(f"{collector.file}, {base}: expected a list of trips")
    for index, trip in enumerate(trips):
        path = "$" if base is None else f"{base}[{index}]"
        if not isinstance(trip, dict):
            collector.problem("error", path, None, _short(trip),
                              "expected a trip object with leader, title and stops")
            collector.dropped.append(path)
            continue
        stops = trip.get("stops")
        if not isinstance(stops, list):
            collector.problem("error", f"{path}.stops", "stops", _short(stops),
                              "expected a list of stops")
            collector.dropped.append(path)
            continue
        trip_fields = {
            "trip": trip.get("title"),
            "trip_id": trip.get("id"),
            "leader": trip.get("leader"),
            "leader_role": trip.get("leader_role"),
            "description": trip.get("description"),
            # "leader": null says no traveller is named (a trip drafted in the dashboard before
            # its traveller, as this module writes it); a trip without the key misses one.
            "_no_leader": "leader" in trip and trip["leader"] is None,
            "_columns": {"trip": "title"},
        }
        for stop_index, stop in enumerate(stops):
            stop_path = f"{path}.stops[{stop_index}]"
            if not isinstance(stop, dict):
                collector.problem("error", stop_path, None, _short(stop),
                                  "expected a stop object with place, arrive and depart")
                collector.dropped.append(stop_path)
                continue
            fields = dict(trip_fields)
            fields.update({k: _scalar(v) for k, v in stop.items() if k not in ("events", "inferred")})
            fields["inferred"] = stop.get("inferred") if isinstance(stop.get("inferred"), list) else []
            raw_events = stop.get("events") or []
            events = []
            if not isinstance(raw_events, list):
                collector.problem("error", f"{stop_path}.events", "events", _short(raw_events),
                                  "expected a list of events")
                raw_events = []
            for event_index, event in enumerate(raw_events):
                event_path = f"{stop_path}.events[{event_index}]"
                if isinstance(event, str):
                    event = {"text": event}
                if not isinstance(event, dict):
                    collector.problem("error", event_path, None, _short(event),
                                      "expected an event object with text")
                    collector.dropped.append(event_path)
                    continue
                events.append((event_path, {k: _event_value(k, v) for k, v in event.items()}))
            collector.add_stop(stop_path, fields, events)


def _scalar(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _event_value(key: str, value: Any) -> Any:
    if key == "people" and isinstance(value, list):
        return [str(v) for v in value]
    if key == "inferred":
        return bool(value)
    return _scalar(value)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def write_json(stops: pd.DataFrame, events: pd.DataFrame, trips: pd.DataFrame) -> str:
    """The trips in the project's JSON itinerary format, coordinates included, so a download
    loads back as it was shown."""
    grouped = events_by_stop(events)
    stops_by_trip: dict[str, list[dict]] = {}
    for stop in frame_rows(stops):
        stops_by_trip.setdefault(stop["trip_id"], []).append(stop)
    documents = []
    for trip in frame_rows(trips):
        stop_documents = []
        for stop in stops_by_trip.get(trip["trip_id"], []):
            stop_documents.append({
                "place": stop["place"], "country": stop["country"],
                "arrive": iso_moment(stop["arrive"], stop["arrive_has_time"], stop["utc_offset"], stop.get("timezone")),
                "depart": iso_moment(stop["depart"], stop["depart_has_time"], stop["utc_offset"], stop.get("timezone")),
                "lat": stop["lat"], "lon": stop["lon"],
                "inferred": [p.strip() for p in (stop["inferred"] or "").split(",") if p.strip()],
                "note": stop["note"], "source": stop["source"],
                **({"placed": {column: stop.get(column) for column in GEOCODED_CSV_COLUMNS}}
                   if stop.get("precision") else {}),
                "events": [{"kind": e["kind"], "text": e["text"], "time": e["time"],
                            "people": [p for p in (e["people"] or "").split("; ") if p],
                            "source": e["source"], "inferred": bool(e["inferred"])}
                           for e in grouped.get((trip["trip_id"], int(stop["stop_no"])), [])],
            })
        documents.append({"id": trip["trip_id"], "title": trip["trip"], "leader": trip["leader"],
                          "leader_role": trip["leader_role"], "description": trip["description"],
                          "stops": stop_documents})
    body = documents[0] if len(documents) == 1 else {"trips": documents}
    # allow_nan=False: a NaN that slipped through is a bug to see, not a token that breaks JSON readers.
    return json.dumps(body, ensure_ascii=False, indent=2, default=str, allow_nan=False)
