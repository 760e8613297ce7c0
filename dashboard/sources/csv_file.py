"""The project's CSV itineraries, written (``write_csv``): one row per stop, events in one cell
separated by '|' (``read_events_cell`` reads that cell back). Reading a CSV is reading a table
(``dashboard.sources.table``): the project's own columns are names that table knows."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pandas as pd

from dashboard.itinerary import (
    EVENT_SEPARATOR,
    GEOCODED_CSV_COLUMNS,
    events_by_stop,
    frame_rows,
    iso_moment,
)

_EVENT_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{1,2}:\d{2})\s+")


def read_events_cell(cell: str) -> list[dict[str, Any]]:
    """The events of one cell: '[kind] HH:MM text | [kind] text', each part optional but the text."""
    return [_csv_event(piece) for piece in _split_events(cell)]


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


def write_csv(stops: pd.DataFrame, events: pd.DataFrame, trips: pd.DataFrame) -> str:
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
            "arrive": iso_moment(stop["arrive"], stop["arrive_has_time"], stop["utc_offset"], stop.get("timezone")),
            "depart": iso_moment(stop["depart"], stop["depart_has_time"], stop["utc_offset"], stop.get("timezone")),
            "lat": stop["lat"], "lon": stop["lon"],
            "events": f" {EVENT_SEPARATOR} ".join(csv_event(e, stop["arrive"]) for e in stop_events),
            "source": stop["source"], "inferred": stop["inferred"].replace(", ", "|") if stop["inferred"] else None,
            "note": stop["note"], **{column: stop.get(column) for column in GEOCODED_CSV_COLUMNS},
        })
    out = io.StringIO()
    # Trips that name no traveller (drafted in the dashboard before the traveller) are written
    # without the column: a table without one loads with the traveller left empty, as it was.
    named = any(row["leader"] is not None for row in rows)
    columns = ["trip_id", "trip", *(["leader"] if named else []), "leader_role", "description", "place", "country",
               "arrive", "depart", "lat", "lon", "events", "source", "inferred", "note", *GEOCODED_CSV_COLUMNS]
    pd.DataFrame(rows, columns=columns).to_csv(out, index=False, float_format="%.6f")
    return out.getvalue()
