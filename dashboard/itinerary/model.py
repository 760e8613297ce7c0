"""The frame model: the columns of the stops, events and trips frames, how a stop's placement is
trusted, the problems a load reports, and the frames themselves (built, checked, combined)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

import pandas as pd

from dashboard.errors import TripvizError
from dashboard.itinerary.missing import frame_rows

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
                        "geocode_note", "timezone")
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


class ItineraryError(TripvizError):
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
    # How each file was read, in words (its columns' roles, encoding, date order).
    understood: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


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
    stops, events, trips, problems, dropped, understood = [], [], [], [], [], []
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
        understood += part.understood
    non_empty = [f for f in stops if len(f)]
    return Itinerary(
        stops=pd.concat(non_empty, ignore_index=True) if non_empty else stops_frame([]),
        events=pd.concat([e for e in events if len(e)] or [events_frame([])], ignore_index=True),
        trips=pd.concat([t for t in trips if len(t)] or [pd.DataFrame(columns=TRIP_COLUMNS)],
                        ignore_index=True),
        problems=problems,
        dropped=dropped,
        understood=understood,
    )


def events_by_stop(events: pd.DataFrame | None) -> dict[tuple[str, int], list[dict]]:
    """Events grouped once by (trip id, stop number), in their order."""
    grouped: dict[tuple[str, int], list[dict]] = {}
    if events is None or events.empty:
        return grouped
    keys = zip(events["trip_id"].tolist(), events["stop_no"].astype("int64").tolist())
    for key, event in zip(keys, frame_rows(events[[c for c in EVENT_COLUMNS if c in events]])):
        if key in grouped:
            grouped[key].append(event)
        else:
            grouped[key] = [event]
    return grouped


def rows_by_trip(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Each trip's rows (``frame_rows``), in order; one pass however many trips. Grouping with
    pandas costs a frame per trip, seconds for a collection of 10,000 tours."""
    by_trip: dict[str, list[dict[str, Any]]] = {}
    for row in frame_rows(frame):
        by_trip.setdefault(row["trip_id"], []).append(row)
    return by_trip
