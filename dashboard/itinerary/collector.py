"""Validation every source shares: :class:`StopCollector` takes one stop at a time, whatever
the format, and keeps every problem with the file, row, column and what to do."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from dashboard.itinerary.missing import is_missing, text_or_none
from dashboard.itinerary.model import (
    EVENT_KINDS,
    TRIP_COLUMNS,
    Itinerary,
    Problem,
    events_frame,
    stops_frame,
)
from dashboard.itinerary.values import (
    DATE_HELP,
    Unread,
    When,
    normalise_event_time,
    parse_coordinate,
    parse_when,
    slugify,
)


class StopCollector:
    """Accumulates rows and problems from one file, whichever its format."""

    def __init__(self, file_label: str):
        self.file = file_label
        self.problems: list[Problem] = []
        self.dropped: list[str] = []
        self.stops: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.trips: dict[str, dict[str, Any]] = {}
        self._stop_counts: dict[str, int] = {}
        self._event_counts: dict[tuple[str, int], int] = {}
        self.error_count = 0
        # What a source understood of a file, in words (which column became which role, the
        # encoding, the date order), for check, convert and the dashboard to say.
        self.understood: list[str] = []

    def problem(self, severity, location, column, value, message) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(severity, self.file, location, column, shown, message))
        self.error_count += severity == "error"

    def add_stop(self, location: str, fields: dict[str, Any], events: list[tuple[str, dict]]) -> None:
        """Validate one stop; keep it when it has no errors, otherwise record it as dropped."""
        errors_before = self.error_count
        trip_title = text_or_none(fields.get("trip"))
        leader = text_or_none(fields.get("leader"))
        place = text_or_none(fields.get("place"))
        col = fields.get("_columns", {})

        def name(key: str) -> str:
            return col.get(key, key)

        if trip_title is None:
            self.problem("error", location, name("trip"), fields.get("trip"),
                         "the trip name is empty; give the trip this stop belongs to")
        if leader is None and fields.get("_no_leader"):
            leader = ""  # the table names no traveller; said once, in what was understood
        elif leader is None:
            self.problem("error", location, name("leader"), fields.get("leader"),
                         "the leader is empty; name who travelled")
        if place is None:
            self.problem("error", location, name("place"), fields.get("place"),
                         "the place is empty; give a city, venue, region or country")

        whens: dict[str, When | None] = {}
        for key in ("arrive", "depart"):
            raw = fields.get(key)
            if isinstance(raw, When):
                whens[key] = raw
                continue
            if isinstance(raw, Unread):
                self.problem("error", location, name(key), raw.text, raw.reason)
                whens[key] = None
                continue
            if is_missing(raw):
                if key == "arrive":
                    self.problem("error", location, name(key), raw,
                                 f"the arrival date is empty; expected {DATE_HELP}")
                whens[key] = None
                continue
            try:
                whens[key] = parse_when(str(raw))
            except ValueError as exc:
                self.problem("error", location, name(key), raw, str(exc))
                whens[key] = None
        arrive, depart = whens["arrive"], whens["depart"]
        if arrive is not None and depart is None and not isinstance(fields.get("depart"), Unread) \
                and is_missing(fields.get("depart")):
            depart = arrive  # a one-day stop may leave depart empty
        if arrive is not None and depart is not None:
            if _ends_before(depart, arrive):
                self.problem("error", location, name("depart"), _shown(fields.get("depart")),
                             f"departure is before arrival ({_shown(fields.get('arrive'))}); "
                             "swap the dates or correct one of them")

        lat_raw, lon_raw = fields.get("lat"), fields.get("lon")
        lat = lon = math.nan
        if is_missing(lat_raw) != is_missing(lon_raw):
            missing = "lon" if is_missing(lon_raw) else "lat"
            self.problem("error", location, name(missing), None,
                         "only half a coordinate was given; fill both lat and lon, or neither "
                         "to let the geocoder place the stop")
        elif not is_missing(lat_raw):
            for key, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
                try:
                    value = parse_coordinate(fields[key], low, high)
                except ValueError as exc:
                    self.problem("error", location, name(key), fields[key], str(exc))
                    continue
                if key == "lat":
                    lat = value
                else:
                    lon = value

        if self.error_count > errors_before:
            self.dropped.append(location)
            return

        trip_id = text_or_none(fields.get("trip_id")) or slugify(f"{leader} {trip_title}")
        trip = self.trips.setdefault(
            trip_id,
            {
                "trip_id": trip_id,
                "trip": trip_title,
                "leader": leader,
                "leader_role": text_or_none(fields.get("leader_role")),
                "description": text_or_none(fields.get("description")),
                "file": self.file,
            },
        )
        stop_no = self._stop_counts[trip_id] = self._stop_counts.get(trip_id, 0) + 1
        inferred = fields.get("inferred") or []
        if isinstance(inferred, str):
            inferred = [part.strip() for part in re.split(r"[|,;]", inferred) if part.strip()]
        self.stops.append(
            {
                "trip_id": trip_id,
                "trip": trip["trip"],
                "leader": trip["leader"],
                "stop_no": stop_no,
                "place": place,
                "country": text_or_none(fields.get("country")),
                "arrive": arrive.local,
                "depart": depart.local,
                "arrive_has_time": arrive.has_time,
                "depart_has_time": depart.has_time,
                "utc_offset": arrive.utc_offset or depart.utc_offset,
                "lat": lat,
                "lon": lon,
                "source": text_or_none(fields.get("source")),
                "inferred": ", ".join(str(i) for i in inferred),
                "note": text_or_none(fields.get("note")),
                "file": self.file,
                "location": location,
                # Stops of one source record (several places named on the same dates) overlap
                # by design; the sequence check leaves them be. Not a frame column.
                "_visit": fields.get("_visit"),
            }
        )
        stop_day = arrive.local.date()
        for event_location, event in events:
            self._add_event(event_location, trip_id, stop_no, stop_day, event, fields)

    def _add_event(self, location, trip_id, stop_no, stop_day, event, stop_fields) -> None:
        text = text_or_none(event.get("text"))
        if text is None:
            self.problem("error", location, "text", event.get("text"),
                         "the event has no text; say what happened, or remove the event")
            self.dropped.append(location)
            return
        kind = (text_or_none(event.get("kind")) or "other").lower()
        if kind not in EVENT_KINDS:
            self.problem("warning", location, "kind", event.get("kind"),
                         f"unknown event kind, shown as 'other'; use one of {', '.join(EVENT_KINDS)}")
            kind = "other"
        time_text = text_or_none(event.get("time"))
        if time_text is not None:
            try:
                time_text = normalise_event_time(time_text, stop_day)
            except ValueError as exc:
                self.problem("warning", location, "time", event.get("time"),
                             f"{exc}; the event is kept without a time")
                time_text = None
        people = event.get("people") or []
        if isinstance(people, str):
            people = [p.strip() for p in people.split(";") if p.strip()]
        event_no = self._event_counts[trip_id, stop_no] = self._event_counts.get((trip_id, stop_no), 0) + 1
        self.events.append(
            {
                "trip_id": trip_id,
                "stop_no": stop_no,
                "event_no": event_no,
                "time": time_text,
                "text": text,
                "kind": kind,
                "people": "; ".join(str(p) for p in people),
                "source": text_or_none(event.get("source")) or text_or_none(stop_fields.get("source")),
                "inferred": bool(event.get("inferred", False)),
            }
        )

    def check_sequence(self) -> None:
        """Overlaps and gaps between consecutive stops of one trip are warnings, not errors."""
        by_trip: dict[str, list[dict]] = {}
        for stop in self.stops:
            by_trip.setdefault(stop["trip_id"], []).append(stop)
        for stops in by_trip.values():
            covered_until = stops[0]["depart"].date()
            for before, after in zip(stops, stops[1:]):
                if before["_visit"] is not None and before["_visit"] == after["_visit"]:
                    continue
                end = _end_of(before["depart"], before["depart_has_time"])
                start = after["arrive"]
                if start < end - (timedelta(days=1) if not after["arrive_has_time"] else timedelta(0)):
                    self.problem("warning", after["location"], "arrive", after["arrive"].isoformat(),
                                 f"this stop starts before stop {before['stop_no']} "
                                 f"({before['place']}) ends; check the dates or the order of stops")
                elif (start.date() - covered_until).days > 1:
                    gap = (start.date() - covered_until).days - 1
                    self.problem("warning", after["location"], "arrive", after["arrive"].isoformat(),
                                 f"{gap} day(s) with no stop after {before['place']}; "
                                 "add the missing stop if the tour went on")
                covered_until = max(covered_until, after["depart"].date())

    def result(self) -> Itinerary:
        self.check_sequence()
        return Itinerary(
            stops=stops_frame(self.stops),
            events=events_frame(self.events),
            trips=pd.DataFrame(list(self.trips.values()), columns=TRIP_COLUMNS),
            problems=self.problems,
            dropped=self.dropped,
            understood=self.understood,
        )


def _shown(value: Any) -> Any:
    """A cell as the user wrote it, or as ISO when a source already read it as a date."""
    if isinstance(value, When):
        return value.local.isoformat(timespec="minutes") if value.has_time else value.local.date().isoformat()
    return value


def _end_of(moment: datetime, has_time: bool) -> datetime:
    if has_time:
        return moment
    try:
        return moment + timedelta(days=1)
    except OverflowError:  # a date-only stop on 9999-12-31 ends with the calendar
        return datetime.max


def _ends_before(depart: When, arrive: When) -> bool:
    if depart.has_time and arrive.has_time:
        return depart.local < arrive.local
    return depart.local.date() < arrive.local.date()
