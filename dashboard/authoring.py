"""Authoring a trip in the dashboard (issue 21), on the browser's own trips as ``dcc.Store``
holds them: a new trip, a stop added after another, deleted or moved, with the stops numbered
again and their events following them. Plain functions on plain JSON, no Dash: each returns a
new store, or raises ``EditError`` naming the field and what to do, and then nothing changes.

Stops' fields are checked as a file's rows are (``parse_when``: a real calendar date, ISO
8601), so that a trip drafted here reads back from its download the same.
"""

from __future__ import annotations

from dashboard.errors import UserError
from dashboard.itinerary import parse_when, slugify, text_or_none

EDITED_SOURCE = "typed in the dashboard"


class EditError(UserError):
    """A field that cannot be taken as typed: ``field`` is the label the form shows."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def new_trip(store: dict, title, traveller, role=None) -> tuple[dict, str]:
    """The store with a new, empty trip, and the trip's id (from its title, unique)."""
    title, traveller = text_or_none(title), text_or_none(traveller)
    if title is None:
        raise EditError("Trip title", "give the trip a title")
    taken = {t["trip_id"] for t in store["trips"]}
    base = slugify(title)
    trip_id, n = base, 2
    while trip_id in taken:
        trip_id, n = f"{base}-{n}", n + 1
    trip = {"trip_id": trip_id, "trip": title, "leader": traveller, "leader_role": text_or_none(role),
            "description": None}
    return dict(store, trips=store["trips"] + [trip]), trip_id


def stop_fields(place, country, arrive, depart, note=None) -> dict:
    """A stop's typed fields, checked: a place, an arrival (a real date, or date and time), a
    departure not before it (empty: the day of arrival)."""
    place = text_or_none(place)
    if place is None:
        raise EditError("Place", "name the place (a city, a venue, a base)")
    arrive_text, depart_text = text_or_none(arrive), text_or_none(depart)
    if arrive_text is None:
        raise EditError("Arrive", "give the date of arrival, as 2025-08-24 or 2025-08-24T09:30")
    try:
        start = parse_when(arrive_text)
    except ValueError as exc:
        raise EditError("Arrive", str(exc)) from None
    try:
        end = parse_when(depart_text) if depart_text is not None else start
    except ValueError as exc:
        raise EditError("Depart", str(exc)) from None
    if end.local < start.local:
        raise EditError("Depart", "the departure is before the arrival")
    return {"place": place, "country": text_or_none(country), "note": text_or_none(note),
            "arrive": start.local.strftime("%Y-%m-%dT%H:%M:%S"), "depart": end.local.strftime("%Y-%m-%dT%H:%M:%S"),
            "arrive_has_time": start.has_time, "depart_has_time": end.has_time,
            "utc_offset": start.utc_offset or end.utc_offset}


def add_stop(store: dict, trip_id: str, fields: dict, after: int | None = None) -> tuple[dict, int]:
    """The store with a stop inserted after stop ``after`` (at the end when None), and its number."""
    trip = _trip(store, trip_id)
    stops = _stops_of(store, trip_id)
    at = len(stops) if after is None else min(len(stops), max(0, int(after)))
    record = {"trip_id": trip_id, "trip": trip["trip"], "leader": trip["leader"], "stop_no": at + 1,
              "lat": None, "lon": None, "source": EDITED_SOURCE, "inferred": None, "file": None, "location": None,
              **fields}
    order = [s["stop_no"] for s in stops]
    order.insert(at, None)
    return _renumbered(store, trip_id, order, record), at + 1


def delete_stop(store: dict, trip_id: str, stop_no: int) -> dict:
    """The store without the stop and its events; the stops after it move up a number."""
    order = [s["stop_no"] for s in _stops_of(store, trip_id) if int(s["stop_no"]) != int(stop_no)]
    events = [e for e in store["events"] if not (e["trip_id"] == trip_id and int(e["stop_no"]) == int(stop_no))]
    return _renumbered(dict(store, events=events), trip_id, order)


def move_stop(store: dict, trip_id: str, stop_no: int, by: int) -> tuple[dict, int]:
    """The store with the stop moved ``by`` places (-1: up, 1: down), and its new number; a
    stop already first (or last) stays."""
    order = [int(s["stop_no"]) for s in _stops_of(store, trip_id)]
    at = order.index(int(stop_no))
    to = min(len(order) - 1, max(0, at + by))
    order.insert(to, order.pop(at))
    return _renumbered(store, trip_id, order), to + 1


def _trip(store: dict, trip_id: str) -> dict:
    trip = next((t for t in store["trips"] if t["trip_id"] == trip_id), None)
    if trip is None:
        raise EditError("Trip", f"no trip '{trip_id}' here; pick a trip or start a new one")
    return trip


def _stops_of(store: dict, trip_id: str) -> list[dict]:
    return sorted((s for s in store["stops"] if s["trip_id"] == trip_id), key=lambda s: int(s["stop_no"]))


def _renumbered(store: dict, trip_id: str, order: list, inserted: dict | None = None) -> dict:
    """The trip's stops in ``order`` (old numbers; None where ``inserted`` goes), numbered 1..n,
    with each event following its stop's new number."""
    old = {int(s["stop_no"]): s for s in _stops_of(store, trip_id)}
    new_number = {}
    stops = []
    for number, was in enumerate(order, start=1):
        if was is None:
            stops.append(dict(inserted, stop_no=number))
        else:
            new_number[int(was)] = number
            stops.append(dict(old[int(was)], stop_no=number))
    events = [dict(e, stop_no=new_number[int(e["stop_no"])]) if e["trip_id"] == trip_id else e
              for e in store["events"] if e["trip_id"] != trip_id or int(e["stop_no"]) in new_number]
    others = [s for s in store["stops"] if s["trip_id"] != trip_id]
    return dict(store, stops=others + stops, events=events)
