"""The dashboard's state as plain JSON (what lives in ``dcc.Store``), and back to frames.

No Dash here: callbacks convert at their edges, so the same functions serve tests and exports.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from dashboard.figures import events_by_stop
from dashboard.geocoding.resolver import GEOCODE_COLUMNS
from dashboard.itinerary import (
    EVENT_COLUMNS,
    EVENT_SEPARATOR,
    GEOCODED_CSV_COLUMNS,
    STOP_COLUMNS,
    TRIP_COLUMNS,
    Itinerary,
    frame_rows,
)
from dashboard.sources.csv_file import csv_event

DATE_COLUMNS = ("arrive", "depart")
EMPTY = {"stops": [], "events": [], "trips": []}


def _records(frame: pd.DataFrame) -> list[dict]:
    out = frame.copy()
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%S")
    out = out.astype(object).where(out.notna(), None)
    return out.to_dict("records")


def to_store(itinerary: Itinerary, geocoded_stops: pd.DataFrame) -> dict:
    return {"stops": _records(geocoded_stops), "events": _records(itinerary.events),
            "trips": _records(itinerary.trips)}


def frames(store: dict | None, trip_id: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Stops, events and trips frames from the store, narrowed to one trip when given."""
    store = store or EMPTY
    if trip_id is not None:
        # Narrowed before any frame is built: a collection holds tens of thousands of stops.
        store = {key: [r for r in store[key] if r["trip_id"] == trip_id] for key in ("stops", "events", "trips")}
    stops = pd.DataFrame(store["stops"], columns=STOP_COLUMNS + [c for c in GEOCODE_COLUMNS if c not in STOP_COLUMNS])
    events = pd.DataFrame(store["events"], columns=EVENT_COLUMNS)
    trips = pd.DataFrame(store["trips"], columns=TRIP_COLUMNS)
    for column in DATE_COLUMNS:
        stops[column] = pd.to_datetime(stops[column]).astype("datetime64[us]")
    for column in ("lat", "lon"):
        stops[column] = pd.to_numeric(stops[column]).astype(float)
    stops["stop_no"] = stops["stop_no"].astype("int64")
    events["stop_no"] = events["stop_no"].astype("int64")
    return stops, events, trips


def leader_frames(store: dict | None, leaders: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Stops, events and trips of the given travellers' trips. The records are narrowed before
    any frame is built: a collection holds tens of thousands of stops."""
    store = store or EMPTY
    wanted = {t["trip_id"] for t in store["trips"] if t["leader"] in leaders}
    narrowed = {key: [r for r in store[key] if r["trip_id"] in wanted] for key in ("stops", "events", "trips")}
    return frames(narrowed)


def traveller_options(store: dict | None) -> list[dict]:
    """The traveller picker's options: each traveller with their number of trips."""
    return [{"label": f"{name} ({count} trip{'s' if count != 1 else ''})", "value": name}
            for name, count in leaders(store)]


def leaders(store: dict | None) -> list[tuple[str, int]]:
    """Every traveller with the number of their trips, most trips first."""
    counts: dict[str, int] = {}
    for trip in (store or EMPTY)["trips"]:
        counts[trip["leader"]] = counts.get(trip["leader"], 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def years_of(store: dict | None, traveller: str | None) -> tuple[int, int, list[int], dict[int, str]]:
    """A traveller's first and last year, as the year slider's bounds, value and marks (each
    decade marked)."""
    starts = [s["arrive"][:4] for s in (store or EMPTY)["stops"] if s["leader"] == traveller and s.get("arrive")]
    if not starts:
        return 0, 1, [0, 1], {}
    ends = [s["depart"][:4] for s in (store or EMPTY)["stops"] if s["leader"] == traveller and s.get("depart")]
    first, last = int(min(starts)), int(max(ends + starts))
    last = max(last, first + 1)
    marks = {year: str(year) for year in range(first - first % 10 + 10, last, 10)}
    marks.update({first: str(first), last: str(last)})
    return first, last, [first, last], marks


def merge(current: dict | None, incoming: dict) -> dict:
    """Incoming trips replace trips with the same id; every other trip is kept."""
    current = current or EMPTY
    replaced = {t["trip_id"] for t in incoming["trips"]}
    return {key: [r for r in current[key] if r["trip_id"] not in replaced] + incoming[key]
            for key in ("stops", "events", "trips")}


def view(shipped: dict | None, own: dict | None) -> dict:
    """What a browser sees: the trips the server ships, with the browser's own uploads and
    edits (kept in its session storage) in place of a shipped trip of the same id."""
    return merge(shipped, own or EMPTY)


def keep_trip(own: dict | None, changed_view: dict, trip_id: str) -> dict:
    """The browser's own trips after one trip of its view changed (an edit, a pick)."""
    changed = {key: [r for r in changed_view[key] if r["trip_id"] == trip_id] for key in ("stops", "events", "trips")}
    return merge(own, changed)


def replace_stop(store: dict, trip_id: str, stop_no: int, updates: dict) -> dict:
    stops = [dict(s, **updates) if (s["trip_id"], int(s["stop_no"])) == (trip_id, int(stop_no)) else s
             for s in store["stops"]]
    return dict(store, stops=stops)


def trip_options(store: dict | None) -> list[dict]:
    return [{"label": f"{t['leader']}: {t['trip']}", "value": t["trip_id"]} for t in (store or EMPTY)["trips"]]


def geocoded_csv(stops: pd.DataFrame, events: pd.DataFrame, trips: pd.DataFrame) -> str:
    """One row per stop in the project's CSV itinerary format, with the coordinates and how each
    stop was placed: it opens in a spreadsheet and loads back as it was shown. Events keep their
    kind, time and text; people and per-event sources are only in the JSON download."""
    grouped = events_by_stop(events)
    trip_rows = {t["trip_id"]: t for t in frame_rows(trips)}
    rows = []
    for stop in frame_rows(stops):
        trip = trip_rows.get(stop["trip_id"], {})
        stop_events = grouped.get((stop["trip_id"], int(stop["stop_no"])), [])
        rows.append({
            "trip_id": stop["trip_id"], "trip": stop["trip"], "leader": stop["leader"],
            "leader_role": trip.get("leader_role"), "description": trip.get("description"),
            "place": stop["place"], "country": stop["country"],
            "arrive": _iso(stop["arrive"], stop["arrive_has_time"], stop["utc_offset"]),
            "depart": _iso(stop["depart"], stop["depart_has_time"], stop["utc_offset"]),
            "lat": stop["lat"], "lon": stop["lon"],
            "events": f" {EVENT_SEPARATOR} ".join(csv_event(e, stop["arrive"]) for e in stop_events),
            "source": stop["source"], "inferred": stop["inferred"].replace(", ", "|") if stop["inferred"] else None,
            "note": stop["note"], **{column: stop.get(column) for column in GEOCODED_CSV_COLUMNS},
        })
    out = io.StringIO()
    columns = ["trip_id", "trip", "leader", "leader_role", "description", "place", "country", "arrive", "depart",
               "lat", "lon", "events", "source", "inferred", "note", *GEOCODED_CSV_COLUMNS]
    pd.DataFrame(rows, columns=columns).to_csv(out, index=False, float_format="%.6f")
    return out.getvalue()


def itinerary_json(stops: pd.DataFrame, events: pd.DataFrame, trips: pd.DataFrame) -> str:
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
                "arrive": _iso(stop["arrive"], stop["arrive_has_time"], stop["utc_offset"]),
                "depart": _iso(stop["depart"], stop["depart_has_time"], stop["utc_offset"]),
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


def _iso(moment: pd.Timestamp, has_time: bool, offset: str | None) -> str:
    # isoformat, not strftime: strftime writes the year 999 as "999", which no ISO reader takes.
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes") + (offset or "")
