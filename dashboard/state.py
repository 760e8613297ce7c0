"""The dashboard's state as plain JSON (what lives in ``dcc.Store``), and back to frames.

No Dash here: callbacks convert at their edges, so the same functions serve tests and exports.
"""

from __future__ import annotations

import pandas as pd

from dashboard.geocoding.resolver import GEOCODE_COLUMNS
from dashboard.geocoding.time_zones import zone_at
from dashboard.itinerary import EVENT_COLUMNS, STOP_COLUMNS, TRIP_COLUMNS, Itinerary, led_by

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
    """The store with one stop's fields updated; a stop that moves gets its new time zone."""
    def updated(stop: dict) -> dict:
        stop = dict(stop, **updates)
        if "lat" in updates or "lon" in updates:
            stop["timezone"] = zone_at(stop.get("lat"), stop.get("lon"))
        return stop

    stops = [updated(s) if (s["trip_id"], int(s["stop_no"])) == (trip_id, int(stop_no)) else s for s in store["stops"]]
    return dict(store, stops=stops)


def trip_options(store: dict | None) -> list[dict]:
    return [{"label": led_by(t['leader'], t['trip']), "value": t["trip_id"]} for t in (store or EMPTY)["trips"]]
