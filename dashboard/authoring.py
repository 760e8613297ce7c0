"""Authoring a trip in the dashboard (issue 21), on the browser's own trips as ``dcc.Store``
holds them: a new trip, a stop added after another, deleted or moved, with the stops numbered
again and their events following them. Plain functions on plain JSON, no Dash: each returns a
new store, or raises ``EditError`` naming the field and what to do, and then nothing changes.

Stops' fields are checked as a file's rows are (``parse_when``: a real calendar date, ISO
8601), so that a trip drafted here reads back from its download the same.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from dashboard.errors import UserError
from dashboard.itinerary import EVENT_KINDS, SAFE_URL, parse_when, slugify, text_or_none
from dashboard.itinerary.values import normalise_event_time, zone_offset

UNTITLED = "Untitled trip"
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})$")

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


def trip_details(store: dict, trip_id: str, title, traveller, role) -> dict:
    """The store with the trip's title, traveller and role as typed (its stops carry the title
    and traveller too, as a file's rows do)."""
    title, traveller, role = text_or_none(title), text_or_none(traveller), text_or_none(role)
    if title is None:
        raise EditError("Trip title", "give the trip a title")
    _trip(store, trip_id)
    trips = [dict(t, trip=title, leader=traveller, leader_role=role) if t["trip_id"] == trip_id else t
             for t in store["trips"]]
    stops = [dict(s, trip=title, leader=traveller) if s["trip_id"] == trip_id else s for s in store["stops"]]
    return dict(store, trips=trips, stops=stops)


def stop_fields(place, country, arrive, depart, note=None, arrive_time=None, depart_time=None) -> dict:
    """A stop's typed fields, checked: a place, an arrival (a real date, or date and time), a
    departure not before it (empty: the day of arrival). ``arrive_time`` and ``depart_time``:
    an optional local time of day (HH:MM) for a date typed alone."""
    place = text_or_none(place)
    if place is None:
        raise EditError("Place", "name the place (a city, a venue, a base)")
    arrive_text, depart_text = text_or_none(arrive), text_or_none(depart)
    if arrive_text is None:
        raise EditError("Arrive", "give the date of arrival, as 2025-08-24 or 2025-08-24T09:30")
    start = _when("Arrive", arrive_text, "Arrival time", arrive_time)
    if depart_text is None and text_or_none(depart_time) is None:
        end = start
    else:  # a departure time alone is on the day of arrival
        end = _when("Depart", depart_text or arrive_text, "Departure time", depart_time)
    # A date without a time of day is the whole day: left on the day of a 07:30 arrival is fine.
    both_timed = start.has_time and end.has_time
    if (end.local < start.local) if both_timed else (end.local.date() < start.local.date()):
        raise EditError("Depart", "the departure is before the arrival")
    return {"place": place, "country": text_or_none(country), "note": text_or_none(note),
            "arrive": start.local.strftime("%Y-%m-%dT%H:%M:%S"), "depart": end.local.strftime("%Y-%m-%dT%H:%M:%S"),
            "arrive_has_time": start.has_time, "depart_has_time": end.has_time,
            "utc_offset": start.utc_offset or end.utc_offset}


def _when(field: str, text: str, time_field: str, time_text):
    """A date (or date-time) field with its optional time-of-day field, as ``parse_when`` reads it."""
    try:
        when = parse_when(text)
    except ValueError as exc:
        raise EditError(field, str(exc)) from None
    time_text = text_or_none(time_text)
    if time_text is None:
        return when
    match = _TIME_OF_DAY.match(time_text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise EditError(time_field, f"{time_text} is not a time of day; write it as 09:30 (local time at the stop)")
    return parse_when(f"{when.local.date().isoformat()}T{int(match[1]):02d}:{match[2]}"
                      + (when.utc_offset or ""))


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


def event_fields(text, kind, people, time, link, stop: dict) -> dict:
    """An event's typed fields, checked: what happened, a known kind, a time (HH:MM on the
    stop's first day, or a date-time) and a link that is plain http(s) or nothing."""
    text = text_or_none(text)
    if text is None:
        raise EditError("What happened", "say what happened (a meeting, a speech, an agreement)")
    kind = (text_or_none(kind) or "other").lower()
    if kind not in EVENT_KINDS:
        raise EditError("Kind", f"pick one of {', '.join(EVENT_KINDS)}")
    time_text = text_or_none(time)
    if time_text is not None:
        try:
            time_text = normalise_event_time(time_text, date.fromisoformat(str(stop["arrive"])[:10]))
        except ValueError as exc:
            raise EditError("Time", str(exc)) from None
    link = text_or_none(link)
    if link is not None and not SAFE_URL.match(link):
        raise EditError("Source link", "a link starts with https:// or http:// (leave it empty when there is none)")
    return {"time": time_text, "text": text, "kind": kind, "people": text_or_none(people), "source": link,
            "inferred": False}


def add_event(store: dict, trip_id: str, stop_no: int, fields: dict) -> dict:
    """The store with an event added last to the stop's events."""
    stop_of(store, trip_id, stop_no)
    numbers = [int(e["event_no"]) for e in _events_of(store, trip_id, stop_no)]
    event = dict(fields, trip_id=trip_id, stop_no=int(stop_no), event_no=max(numbers, default=0) + 1)
    return dict(store, events=store["events"] + [event])


def replace_event(store: dict, trip_id: str, stop_no: int, event_no: int, fields: dict) -> dict:
    _event(store, trip_id, stop_no, event_no)
    return dict(store, events=[dict(e, **fields) if _is_event(e, trip_id, stop_no, event_no) else e
                               for e in store["events"]])


def delete_event(store: dict, trip_id: str, stop_no: int, event_no: int) -> dict:
    """The store without the event; the stop's other events are numbered again from 1."""
    _event(store, trip_id, stop_no, event_no)
    kept = [e for e in store["events"] if not _is_event(e, trip_id, stop_no, event_no)]
    mine = sorted((e for e in kept if e["trip_id"] == trip_id and int(e["stop_no"]) == int(stop_no)),
                  key=lambda e: int(e["event_no"]))
    renumbered = {id(e): n for n, e in enumerate(mine, start=1)}
    return dict(store, events=[dict(e, event_no=renumbered[id(e)]) if id(e) in renumbered else e for e in kept])


def order_warnings(store: dict, trip_id: str, stop_no: int) -> list[str]:
    """How the stop sits against the stops before and after it, in real instants (each time
    read in its own stop's zone): an arrival before the previous stop's departure is a
    warning. Dates without a time of day compare by day."""
    stops = _stops_of(store, trip_id)
    at = next((i for i, s in enumerate(stops) if int(s["stop_no"]) == int(stop_no)), None)
    if at is None:
        return []
    out = []
    for before, after in ((stops[at - 1] if at else None, stops[at]),
                          (stops[at], stops[at + 1] if at + 1 < len(stops) else None)):
        if before is None or after is None:
            continue
        left, right = _instant(before, "depart"), _instant(after, "arrive")
        if left is None or right is None:  # a date alone: by day, local to each stop
            left, right = _local(before, "depart").date(), _local(after, "arrive").date()
        if right < left:
            out.append(f"stop {after['stop_no']} ({after['place']}) arrives before stop {before['stop_no']} "
                       f"({before['place']}) is left, in real time; check the dates, times or the order")
    return out


def _local(stop: dict, which: str) -> datetime:
    return datetime.fromisoformat(str(stop[which]))


def _instant(stop: dict, which: str) -> datetime | None:
    """A stop's arrival or departure as a real instant (UTC), when it has a time of day and a
    known offset (stated, else its zone's on that date)."""
    if not stop.get(f"{which}_has_time"):
        return None
    local = _local(stop, which)
    offset = stop.get("utc_offset") or zone_offset(local, stop.get("timezone"))
    if offset is None:
        return None
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = (int(p) for p in offset[1:].split(":"))
    return (local - sign * timedelta(hours=hours, minutes=minutes)).replace(tzinfo=timezone.utc)


def find_stop(store: dict, trip_id: str, stop_no) -> dict | None:
    return next((s for s in store["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == int(stop_no)), None)


def stop_of(store: dict, trip_id: str, stop_no) -> dict:
    """The stop, or an ``EditError`` saying it is gone (another tab, an undo)."""
    stop = find_stop(store, trip_id, stop_no)
    if stop is None:
        raise EditError("Stop", f"stop {stop_no} is no longer in this trip; pick a stop again")
    return stop


def _events_of(store: dict, trip_id: str, stop_no) -> list[dict]:
    return [e for e in store["events"] if e["trip_id"] == trip_id and int(e["stop_no"]) == int(stop_no)]


def _is_event(event: dict, trip_id: str, stop_no, event_no) -> bool:
    return event["trip_id"] == trip_id and int(event["stop_no"]) == int(stop_no) and int(event["event_no"]) == int(event_no)


def _event(store: dict, trip_id: str, stop_no, event_no) -> dict:
    event = next((e for e in store["events"] if _is_event(e, trip_id, stop_no, event_no)), None)
    if event is None:
        raise EditError("Event", "this event is no longer there; pick the stop again")
    return event


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
