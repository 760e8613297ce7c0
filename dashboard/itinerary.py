"""The itinerary model: the stops, events and trips frames, problems, and the validation every
source shares (:class:`StopCollector`). The sources (``dashboard.sources``: CSV, JSON, official
travel records) turn their input into fields and hand them to a collector.

Validation never stops at the first problem: every problem is collected with the file, the
row as a spreadsheet user counts it (or the JSON path), the column, the bad value and what
was expected. Rows with errors are dropped and listed; every good row still loads. Only a
file that cannot be read as a table at all raises :class:`ItineraryError`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Literal

import pandas as pd

# Several events in one CSV cell are separated by this character; commas and semicolons are
# too common inside the text of an event to serve.
EVENT_SEPARATOR = "|"
EVENT_KINDS = (
    "meeting",
    "ceremony",
    "agreement",
    "announcement",
    "visit",
    "press",
    "speech",
    "statement",
    "travel",
    "other",
)
REQUIRED_CSV_COLUMNS = ("trip", "leader", "place", "arrive", "depart")
OPTIONAL_CSV_COLUMNS = (
    "trip_id",
    "description",
    "title",
    "country",
    "lat",
    "lon",
    "events",
    "source",
    "inferred",
    "note",
    "leader_role",
)
# Written by the dashboard's CSV download (how each stop was placed); loading ignores them, since
# lat and lon already carry the placement.
GEOCODED_CSV_COLUMNS = ("country_code", "country_name", "precision", "confidence", "matched_name", "geo_source",
                        "geocode_note")
STOP_COLUMNS = [
    "trip_id",
    "trip",
    "leader",
    "stop_no",
    "place",
    "country",
    "arrive",
    "depart",
    "arrive_has_time",
    "depart_has_time",
    "utc_offset",
    "lat",
    "lon",
    "source",
    "inferred",
    "note",
    "file",
    "location",
]
EVENT_COLUMNS = [
    "trip_id",
    "stop_no",
    "event_no",
    "time",
    "text",
    "kind",
    "people",
    "source",
    "inferred",
]
TRIP_COLUMNS = ["trip_id", "trip", "leader", "leader_role", "description", "file"]
# Geocoding precisions that only say which country or region a stop is in.
APPROXIMATE = ("country", "region")
# How far a placement can be trusted: "check" asks a person to look (several same-name places,
# only a near spelling); "approximate" is a country, region or stand-in point.
NEEDS_REVIEW = "check"


def placement_confidence(stop: dict) -> str:
    """A stop's confidence; stops placed before confidence existed (or given coordinates in the
    file) fall back on their precision."""
    confidence = stop.get("confidence")
    if isinstance(confidence, str) and confidence in ("high", NEEDS_REVIEW, "approximate"):
        return confidence
    return "approximate" if stop.get("precision") in APPROXIMATE else "high"


def placement_note(stop: dict) -> str | None:
    """Why a stop's dot is not to be taken as certain, or None when it is."""
    confidence = placement_confidence(stop)
    if confidence == "high":
        return None
    note = stop.get("geocode_note")
    reason = note if isinstance(note, str) and note else (
        f"placed at the {stop.get('precision')} centre" if confidence == "approximate" else "check the place")
    return f"{'needs checking' if confidence == NEEDS_REVIEW else 'approximate'}: {reason}"


# A source that may be shown as a link: plain http(s) only (never javascript:, data: and the like).
SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(value) -> str | None:
    """``value`` when it is a link a page may show, else None."""
    return value.strip() if isinstance(value, str) and SAFE_URL.match(value.strip()) else None


DATE_HELP = "an ISO 8601 date such as 2025-08-24 or a date-time such as 2025-08-24T14:30+03:00"


class ItineraryError(Exception):
    """An itinerary could not be read at all. ``problems`` lists why, as for a partial load."""

    def __init__(self, message: str, problems: Iterable["Problem"] = ()):
        super().__init__(message)
        # Always at least one problem, so every caller lists problems the same way.
        self.problems = list(problems) or [Problem("error", "", "", None, None, message)]


@dataclass(frozen=True)
class Problem:
    severity: Literal["error", "warning"]
    file: str
    location: str
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.location]
        if self.column:
            parts.append(f"column '{self.column}'")
        where = ", ".join(p for p in parts if p)
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" (found {self.value!r})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "location": self.location,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Itinerary:
    """What a load produced: the good stops, their events, the trips, and every problem."""

    stops: pd.DataFrame
    events: pd.DataFrame
    trips: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def trip(self, trip_id: str) -> "Itinerary":
        """The same itinerary narrowed to one trip."""
        return Itinerary(
            stops=self.stops[self.stops["trip_id"] == trip_id].reset_index(drop=True),
            events=self.events[self.events["trip_id"] == trip_id].reset_index(drop=True),
            trips=self.trips[self.trips["trip_id"] == trip_id].reset_index(drop=True),
            problems=self.problems,
            dropped=self.dropped,
        )


# ---------------------------------------------------------------------------- values


@dataclass(frozen=True)
class _When:
    local: datetime
    has_time: bool
    utc_offset: str | None


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_when(text: str) -> _When:
    """Parse an ISO 8601 date or date-time; the clock is local time at the stop.

    Raises ValueError with a message meant for the user.
    """
    raw = text.strip()
    if _DATE_ONLY.match(raw):
        try:
            return _When(datetime.combine(date.fromisoformat(raw), datetime.min.time()), False, None)
        except ValueError:
            raise ValueError(f"{raw} is not a real calendar date") from None
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", raw):
        raise ValueError(f"unknown date format; expected {DATE_HELP}")
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"not a real date and time; expected {DATE_HELP}") from None
    offset = None
    if parsed.tzinfo is not None:
        delta = parsed.utcoffset() or timedelta(0)
        minutes = int(delta.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return _When(parsed.replace(tzinfo=None), True, offset)


def _parse_coordinate(text: Any, low: float, high: float) -> float:
    if isinstance(text, bool):
        raise ValueError("expected a number")
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"out of range; expected a number from {low:g} to {high:g}")
    return value


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "trip"


# ---------------------------------------------------------------------------- missing values
#
# The one place that says what "missing" is. With pandas 3 a partly filled text column holds
# NaN (not None), dates NaT and nullable columns pd.NA; a cell from a file is "" or spaces. Every
# step where frames become records, text, HTML or JSON goes through ``frame_rows`` or
# ``text_or_none``, so none of them ever sees NaN or writes "nan".


def is_missing(value: Any) -> bool:
    """None, NaN, NaT, pd.NA, or text that is empty or only spaces."""
    if isinstance(value, str):  # first: a file's cells are all text, 100,000 rows of them
        return not value.strip()
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: present
        return False


def text_or_none(value: Any) -> str | None:
    """Stripped text, or None for any missing value."""
    if is_missing(value):
        return None
    return str(value).strip()


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with every missing value as None (NaN, NaT and pd.NA included).

    Much cheaper than ``DataFrame.to_dict('records')`` in pandas 3, which matters at 100,000 rows.
    """
    columns = list(frame.columns)
    values = []
    for column in columns:
        series = frame[column]
        cells = series.tolist()
        if len(cells) and series.isna().any():
            missing = series.isna().tolist()
            cells = [None if gone else cell for cell, gone in zip(cells, missing)]
        values.append(cells)
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]



def rows_by_trip(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Each trip's rows (``frame_rows``), in order; one pass however many trips. Grouping with
    pandas costs a frame per trip, seconds for a collection of 10,000 tours."""
    by_trip: dict[str, list[dict[str, Any]]] = {}
    for row in frame_rows(frame):
        by_trip.setdefault(row["trip_id"], []).append(row)
    return by_trip


# ---------------------------------------------------------------------------- collector


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
        if leader is None:
            self.problem("error", location, name("leader"), fields.get("leader"),
                         "the leader is empty; name who travelled")
        if place is None:
            self.problem("error", location, name("place"), fields.get("place"),
                         "the place is empty; give a city, venue, region or country")

        whens: dict[str, _When | None] = {}
        for key in ("arrive", "depart"):
            raw = fields.get(key)
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
        if arrive is not None and depart is None and is_missing(fields.get("depart")):
            depart = arrive  # a one-day stop may leave depart empty
        if arrive is not None and depart is not None:
            if _ends_before(depart, arrive):
                self.problem("error", location, name("depart"), fields.get("depart"),
                             f"departure is before arrival ({fields.get('arrive')}); "
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
                    value = _parse_coordinate(fields[key], low, high)
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
                time_text = _normalise_event_time(time_text, stop_day)
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
        )


def _end_of(moment: datetime, has_time: bool) -> datetime:
    if has_time:
        return moment
    try:
        return moment + timedelta(days=1)
    except OverflowError:  # a date-only stop on 9999-12-31 ends with the calendar
        return datetime.max


def _ends_before(depart: _When, arrive: _When) -> bool:
    if depart.has_time and arrive.has_time:
        return depart.local < arrive.local
    return depart.local.date() < arrive.local.date()


def _normalise_event_time(text: str, stop_day: date) -> str:
    """An event time is 'HH:MM' on the stop's first day, or a full ISO date-time."""
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hours, minutes = (int(p) for p in text.split(":"))
        if hours > 23 or minutes > 59:
            raise ValueError("not a real time of day; expected HH:MM such as 14:30")
        return datetime.combine(stop_day, datetime.min.time()).replace(
            hour=hours, minute=minutes
        ).isoformat(timespec="minutes")
    try:
        return parse_when(text).local.isoformat(timespec="minutes")
    except ValueError as exc:
        raise ValueError(f"{exc}, or HH:MM") from None


# ---------------------------------------------------------------------------- frames


def stops_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=STOP_COLUMNS)
    frame["stop_no"] = frame["stop_no"].astype("int64")
    for column in ("arrive", "depart"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    for column in ("lat", "lon"):
        frame[column] = frame[column].astype("float64")
    for column in ("arrive_has_time", "depart_has_time"):
        frame[column] = frame[column].astype(bool)
    return frame


def events_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["stop_no"] = frame["stop_no"].astype("int64")
    frame["event_no"] = frame["event_no"].astype("int64")
    frame["inferred"] = frame["inferred"].astype(bool)
    return frame


def stops_schema():
    """The declared schema of the validated stops frame (pandera, imported on demand)."""
    import pandera.pandas as pa

    text = {"nullable": True}
    return pa.DataFrameSchema(
        {
            "trip_id": pa.Column(str, pa.Check.str_length(min_value=1)),
            "trip": pa.Column(str),
            "leader": pa.Column(str),
            "stop_no": pa.Column("int64", pa.Check.ge(1)),
            "place": pa.Column(str, pa.Check.str_length(min_value=1)),
            "country": pa.Column(str, **text),
            "arrive": pa.Column("datetime64[us]"),
            "depart": pa.Column("datetime64[us]"),
            "arrive_has_time": pa.Column(bool),
            "depart_has_time": pa.Column(bool),
            "utc_offset": pa.Column(str, pa.Check.str_matches(r"^[+-]\d{2}:\d{2}$"), **text),
            "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
            "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
            "source": pa.Column(str, **text),
            "inferred": pa.Column(str),
            "note": pa.Column(str, **text),
            "file": pa.Column(str),
            "location": pa.Column(str),
        },
        checks=[pa.Check(lambda df: df["depart"].dt.normalize() >= df["arrive"].dt.normalize(),
                         error="depart must not be before arrive")],
        strict=True,
        ordered=True,
    )


def combine(parts: list[Itinerary]) -> Itinerary:
    """Several loads as one; the first file that names a trip id keeps it."""
    seen: set[str] = set()
    stops, events, trips, problems, dropped = [], [], [], [], []
    for part in parts:
        clash = set(part.trips["trip_id"]) & seen
        for trip_id in sorted(clash):
            problems.append(Problem("warning", str(part.trips["file"].iloc[0]), "", "trip", trip_id,
                                    "a trip with this id was already loaded from another file; "
                                    "this copy is ignored"))
        keep = ~part.stops["trip_id"].isin(clash)
        stops.append(part.stops[keep])
        events.append(part.events[~part.events["trip_id"].isin(clash)])
        trips.append(part.trips[~part.trips["trip_id"].isin(clash)])
        seen |= set(part.trips["trip_id"])
        problems += part.problems
        dropped += part.dropped
    non_empty = [f for f in stops if len(f)]
    return Itinerary(
        stops=pd.concat(non_empty, ignore_index=True) if non_empty else stops_frame([]),
        events=pd.concat([e for e in events if len(e)] or [events_frame([])], ignore_index=True),
        trips=pd.concat([t for t in trips if len(t)] or [pd.DataFrame(columns=TRIP_COLUMNS)],
                        ignore_index=True),
        problems=problems,
        dropped=dropped,
    )
