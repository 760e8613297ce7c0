"""Load and validate itinerary files (CSV or JSON) into a stops frame and an events frame.

Validation never stops at the first problem: every problem is collected with the file, the
row as a spreadsheet user counts it (or the JSON path), the column, the bad value and what
was expected. Rows with errors are dropped and listed; every good row still loads. Only a
file that cannot be read as a table at all raises :class:`ItineraryError`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
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


class _Collector:
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


# ---------------------------------------------------------------------------- CSV


def _parse_csv(text: str, collector: _Collector) -> None:
    if not text.strip():
        raise ItineraryError(f"{collector.file}: the file is empty; expected a header row "
                             f"with the columns {', '.join(REQUIRED_CSV_COLUMNS)}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ItineraryError(f"{collector.file}: could not read the header row ({exc})") from None
    columns = {name.strip().lower(): index for index, name in enumerate(header) if name.strip()}
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
        message = (f"{collector.file}, row 1: missing required column(s) {', '.join(missing)}; "
                   f"columns found: {found}")
        raise ItineraryError(message, [Problem("error", collector.file, "row 1", missing[0], None, message)])
    unknown = [h for h in columns if h not in REQUIRED_CSV_COLUMNS + OPTIONAL_CSV_COLUMNS + GEOCODED_CSV_COLUMNS]
    for name in unknown:
        collector.problem("warning", "row 1", name, None,
                          "unknown column, ignored; known columns are "
                          + ", ".join(REQUIRED_CSV_COLUMNS + OPTIONAL_CSV_COLUMNS))
    row_number = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ItineraryError(f"{collector.file}, row {row_number + 1}: the CSV is malformed "
                                 f"({exc}); check for an unclosed quote") from None
        row_number += 1
        if not any(cell.strip() for cell in record):
            continue
        fields = {name: (record[i] if i < len(record) else "") for name, i in columns.items()}
        if "title" in fields and is_missing(fields.get("trip")):
            fields["trip"] = fields["title"]
        location = f"row {row_number}"
        events = [
            (f"{location} event {n}", _csv_event(piece))
            for n, piece in enumerate(_split_events(fields.get("events", "")), start=1)
        ]
        collector.add_stop(location, fields, events)


def _delimiter(text: str) -> str:
    """The separator the header row uses most: comma, semicolon or tab.

    Only the separator is guessed. The quote character is always the double quote that every
    spreadsheet writes: csv.Sniffer also guesses quotes, and takes the apostrophe of a name
    such as 's-Hertogenbosch for one, which silently drops rows.
    """
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    outside_quotes = re.sub(r'"[^"]*"', "", header)
    counts = {sep: outside_quotes.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


_EVENT_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{1,2}:\d{2})\s+")


def _split_events(cell: str) -> list[str]:
    """Split on '|' except where it is escaped as '\\|' (a pipe inside an event's text)."""
    if "\\" not in (cell or ""):  # nothing escaped: the common case, and much faster
        return [piece.strip() for piece in (cell or "").split(EVENT_SEPARATOR) if piece.strip()]
    pieces, current, chars = [], [], iter(cell or "")
    for char in chars:
        if char == "\\":
            current.append(char + next(chars, ""))
        elif char == EVENT_SEPARATOR:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _csv_event(piece: str) -> dict[str, Any]:
    """'[kind] HH:MM text' with kind and time optional, e.g. '[agreement] 14:00 Signed X'.

    The time may also be a date-time (an event on a later day of the stop). In the text a
    backslash escapes the next character: '\\|' is a pipe, '\\\\' a backslash.
    """
    event: dict[str, Any] = {}
    match = re.match(r"^\[([^\]]*)\]\s*", piece)
    if match:
        event["kind"] = match.group(1)
        piece = piece[match.end():]
    match = _EVENT_TIME.match(piece)
    if match:
        event["time"] = match.group(1)
        piece = piece[match.end():]
    event["text"] = re.sub(r"\\(.)", r"\1", piece, flags=re.DOTALL)
    return event


def csv_event(event: dict[str, Any], stop_arrive: datetime) -> str:
    """One event in the CSV events syntax that ``_csv_event`` reads back to the same event."""
    text = event["text"].replace("\\", "\\\\").replace(EVENT_SEPARATOR, "\\" + EVENT_SEPARATOR)
    if _EVENT_TIME.match(text) or text.startswith("["):
        text = "\\" + text  # not a time or a kind, even though it looks like one
    time = ""
    if event.get("time"):
        moment = datetime.fromisoformat(event["time"])
        time = (moment.strftime("%H:%M") if moment.date() == stop_arrive.date()
                else moment.isoformat(timespec="minutes")) + " "
    return f"[{event['kind']}] {time}{text}"


# ---------------------------------------------------------------------------- JSON


def _parse_json(text: str, collector: _Collector) -> None:
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


# ---------------------------------------------------------------------------- entry points


def parse_itinerary(content: str | bytes, name: str = "<upload>") -> Itinerary:
    """Parse one itinerary from its text; the format comes from the name, else the content."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ItineraryError(f"{name}: not UTF-8 text (byte {exc.start}); save the file "
                                 "as UTF-8 CSV or JSON") from None
    content = content.lstrip("\ufeff")
    collector = _Collector(name)
    suffix = Path(name).suffix.lower()
    looks_json = content.lstrip()[:1] in ("{", "[")
    try:
        if suffix == ".json" or (suffix not in (".csv", ".tsv", ".txt") and looks_json):
            _parse_json(content, collector)
        elif suffix in (".csv", ".tsv", ".txt") or not suffix or suffix == ".upload":
            _parse_csv(content, collector)
        else:
            raise ItineraryError(f"{name}: unsupported file type '{suffix}'; use .csv or .json")
    except RecursionError:
        raise ItineraryError(f"{name}: the JSON is nested too deeply to be an itinerary; a trip holds "
                             "stops, and a stop holds events, each a flat object") from None
    return collector.result()


def load_itinerary(path: str | Path) -> Itinerary:
    """Load a trip file, or every .csv/.json file in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".json"))
        if not files:
            raise ItineraryError(f"{path}: no .csv or .json trip files in this folder")
        parts, problems, skipped = [], [], []
        for file in files:
            try:
                parts.append(load_itinerary(file))
            except ItineraryError as exc:
                # One bad file is one listed problem; every other file still loads.
                problems += exc.problems
                skipped.append(f"{file} (whole file)")
        if not parts:
            raise ItineraryError(f"{path}: none of the {len(files)} trip file(s) could be read", problems)
        loaded = combine(parts)
        loaded.problems[:0] = problems
        loaded.dropped[:0] = skipped
        return loaded
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ItineraryError(f"{path}: no such file") from None
    except OSError as exc:
        raise ItineraryError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_itinerary(content, str(path))


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
