"""What every figure shares: constants, colours, geometry, stop and event text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.errors import TripvizError
from dashboard.itinerary import (
    NEEDS_REVIEW,
    frame_rows,
    placement_confidence,
    placement_note,
    zone_abbreviation,
    zone_offset,
)

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
ARC_POINTS = 24
ARROW_SIZE = 13
MAX_TOUR_FRAMES = 120  # "Play the tour": a frame per day up to this many, then one per arrival
# Coordinates all frames of a tour animation may carry together (about 0.7 MB as JSON).
FRAME_COORDINATE_BUDGET = 80_000
MAX_LEGEND_TRIPS = 10
# Okabe-Ito and Tableau-like colours that stay apart for colour-blind readers.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
           "#F0E442", "#7F7F7F", "#1B9E77"]
ROUTE_COLOUR = "#333333"
# Fitting the view to a route: it spans the route times this margin, at least this many degrees
# of longitude (a one-city trip still shows its region).
FIT_MARGIN = 1.5
MIN_VIEW_SPAN_DEG = 12.0
EUROPE_ROTATION_LON = 15.0  # plotly.js's own rotation for the europe scope
EUROPE_BOUNDS = {"lon": (-25.0, 45.0), "lat": (34.0, 72.0)}
EUROPE_VIEW = {"lon": (-30.0, 60.0), "lat": (30.0, 80.0)}  # what the Europe base map covers
# Width over height of the map: the dashboard and the export size its box to this.
MAP_ASPECT = 1.6
# The system font stack: no web-font service, the reader's own interface font.
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
BASE_MAP_ATTRIBUTION = ("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), "
                        "via plotly.js")
REQUIRED_COLUMNS = ("trip_id", "trip", "stop_no", "place", "arrive", "depart", "lat", "lon")


class FigureInputError(TripvizError, ValueError):
    """The frame handed to a builder lacks what it needs; says which argument and what."""


@dataclass(frozen=True)
class Drawable:
    """The stops that can be drawn, and a warning for each stop left out."""

    stops: pd.DataFrame
    warnings: list[str]


def _require_columns(stops, required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in getattr(stops, "columns", ())]
    if missing:
        got = list(stops.columns) if isinstance(stops, pd.DataFrame) else type(stops).__name__
        raise FigureInputError(f"argument 'stops': expected a stops frame with columns {', '.join(required)}; "
                               f"missing {', '.join(missing)} (received {got})")


def drawable_stops(stops: pd.DataFrame) -> Drawable:
    _require_columns(stops, REQUIRED_COLUMNS)
    located = stops["lat"].notna() & stops["lon"].notna()
    warnings = [f"stop {s.stop_no} ({s.place}) of '{s.trip}' has no coordinates and is left off the map"
                for s in stops[~located].itertuples()]
    return Drawable(stops[located].reset_index(drop=True), warnings)


# ---------------------------------------------------------------------------- geometry


def _unit_vectors(lats, lons) -> np.ndarray:
    phi, lam = np.radians(np.atleast_1d(lats)), np.radians(np.atleast_1d(lons))
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def great_circle_points(lat1, lon1, lat2, lon2, n: int = ARC_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points along the great circle from each start to each end (spherical linear
    interpolation). Scalars give one leg as 1-D arrays; arrays give one row per leg."""
    p1, p2 = _unit_vectors(lat1, lon1), _unit_vectors(lat2, lon2)
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", p1, p2), -1.0, 1.0))[:, None, None]
    t = np.linspace(0.0, 1.0, n)[None, :, None]
    sin_omega = np.sin(omega)
    same = sin_omega < 1e-12
    points = np.where(same, p1[:, None, :] + 0 * t,
                      (np.sin((1 - t) * omega) * p1[:, None, :] + np.sin(t * omega) * p2[:, None, :])
                      / np.where(same, 1.0, sin_omega))
    lats = np.degrees(np.arcsin(np.clip(points[..., 2], -1, 1)))
    lons = np.degrees(np.arctan2(points[..., 1], points[..., 0]))
    return (lats[0], lons[0]) if np.ndim(lat1) == 0 else (lats, lons)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance; scalars give a float, arrays an array (one per leg)."""
    p1, p2 = _unit_vectors(lat1, lon1), _unit_vectors(lat2, lon2)
    km = EARTH_RADIUS_KM * np.arccos(np.clip(np.einsum("ij,ij->i", p1, p2), -1.0, 1.0))
    return float(km[0]) if np.ndim(lat1) == 0 else km


# ---------------------------------------------------------------------------- colours


def stop_colours(stops: pd.DataFrame) -> list[str]:
    """One colour per stop, shared by the map and the timeline.

    With one trip each stop gets its own colour; with several, a trip's stops share its colour
    so tours can be told apart.
    """
    order = {trip_id: index for index, trip_id in enumerate(dict.fromkeys(stops["trip_id"]))}
    if len(order) == 1:
        return [PALETTE[(n - 1) % len(PALETTE)] for n in stops["stop_no"]]
    return [trip_colour(order[t]) for t in stops["trip_id"]]


def trip_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# ---------------------------------------------------------------------------- text


def plotly_text(value) -> str:
    """User text made inert for plotly.js, which renders a subset of HTML (``<a href>``,
    ``<span style>``, ``<b>``, ``<br>``) in everything it draws: marker labels, tick labels,
    legend names, titles and hover labels. plotly.js decodes the entities again, so the reader
    sees the text exactly as typed. (html.escape would also turn quotes into ``&quot;``, which
    plotly.js does not decode.)"""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _when(moment: pd.Timestamp, has_time: bool) -> str:
    text = moment.strftime("%a %d %b %Y")
    return text + moment.strftime(" %H:%M") if has_time else text


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _moment_labels(moments: pd.Series, has_time: pd.Series) -> pd.Series:
    """'Sun 24 Aug 2025', with ' 14:30' when the time is known: what ``_when`` writes, built
    from the date parts (pandas' strftime takes seconds on a collection)."""
    parts = zip(moments.dt.day_of_week.tolist(), moments.dt.day.tolist(), moments.dt.month.tolist(),
                moments.dt.year.tolist(), moments.dt.hour.tolist(), moments.dt.minute.tolist(),
                has_time.astype(bool).tolist())
    return pd.Series([f"{_WEEKDAYS[w]} {d:02d} {_MONTHS[m]} {y}" + (f" {h:02d}:{mi:02d}" if timed else "")
                      for w, d, m, y, h, mi, timed in parts], index=moments.index, dtype=object)


def date_labels(stops: pd.DataFrame) -> list[str]:
    """stop_dates for a whole frame at once (the same text, vectorised)."""
    if stops.empty:
        return []
    start = _moment_labels(stops["arrive"], stops["arrive_has_time"])
    end = _moment_labels(stops["depart"], stops["depart_has_time"])
    text = start.where(start == end, start + " to " + end)
    none = pd.Series(None, index=stops.index, dtype=object)
    offsets = stops["utc_offset"] if "utc_offset" in stops else none
    zones = stops["timezone"] if "timezone" in stops else none
    timed = (stops["arrive_has_time"].astype(bool) | stops["depart_has_time"].astype(bool)).tolist()
    return [label + local_time_note(moment, offset, zone, has_time)
            for label, moment, offset, zone, has_time in zip(text.tolist(), stops["arrive"].tolist(), offsets.tolist(),
                                                             zones.tolist(), timed)]


def stop_dates(stop: dict) -> str:
    start = _when(stop["arrive"], bool(stop.get("arrive_has_time", False)))
    end = _when(stop["depart"], bool(stop.get("depart_has_time", False)))
    text = start if start == end else f"{start} to {end}"
    timed = bool(stop.get("arrive_has_time", False)) or bool(stop.get("depart_has_time", False))
    return text + local_time_note(stop["arrive"], stop.get("utc_offset"), stop.get("timezone"), timed)


def local_time_note(moment, offset, zone, timed: bool) -> str:
    """What the times of a stop are: the offset the itinerary states, else, when a time of day
    is given, the stop's zone on that day (DST included); with the zone's abbreviation where it
    has one and agrees (a file written with the zone's offset reads back the same)."""
    if not timed:
        return ""
    stated = offset if isinstance(offset, str) and offset else None
    by_zone = zone_offset(moment, zone)
    shown = stated or by_zone
    if shown is None:
        return ""
    name = zone_abbreviation(moment, zone) if shown == by_zone else None
    return f" (local time, {name}, UTC{shown})" if name else f" (local time, UTC{shown})"


def _country_label(stop: dict) -> str:
    for column in ("country_name", "country_code", "country"):
        value = stop.get(column)
        if isinstance(value, str) and value:
            return value
    return "country unknown"


def _precision_label(stop: dict) -> str:
    precision = stop.get("precision")
    if not isinstance(precision, str) or not precision:
        return "position given in the itinerary"
    confidence = placement_confidence(stop)
    if confidence == NEEDS_REVIEW:
        return f"{precision}, needs checking"
    if confidence == "approximate":
        return f"approximate ({precision})"
    return precision


def placement_notes(stops: pd.DataFrame, limit: int = 200) -> list[str]:
    """One line per stop whose placement is not certain, for the export's notes and `check`."""
    wanted = [c for c in ("trip", "stop_no", "place", "precision", "confidence", "geocode_note") if c in stops]
    lines = []
    for stop in frame_rows(stops[wanted]):
        note = placement_note(stop)
        if note:
            lines.append(f"{stop['trip']}, stop {stop['stop_no']} ({stop['place']}): {note}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit:,} more"]
    return lines


def _hover_columns(stops: pd.DataFrame) -> pd.DataFrame:
    """Only what labels and hover text read: rows of a collection are built 100,000 at a time."""
    wanted = ("trip_id", "trip", "stop_no", "place", "lat", "lon", "precision", "confidence", "geocode_note",
              "country_name", "country_code", "country")
    return stops[[c for c in wanted if c in stops]]


def hover_text(stop: dict, stop_events: list[dict], dates: str | None = None) -> str:
    """Hover label; every piece of user text is escaped so it shows as text, never markup."""
    e = plotly_text
    lines = [f"<b>{e(str(stop['stop_no']))}. {e(stop['place'])}</b>", e(_country_label(stop)),
             e(dates if dates is not None else stop_dates(stop)), f"Placed: {e(_precision_label(stop))}"]
    note = placement_note(stop) if stop.get("precision") else None
    if note:
        lines.append(f"<i>{e(note if len(note) <= 120 else note[:117] + '...')}</i>")
    for event in stop_events[:8]:
        text = event["text"] if len(event["text"]) <= 90 else event["text"][:87] + "..."
        lines.append(f"• [{e(event['kind'])}] {e(text)}")
    if len(stop_events) > 8:
        lines.append(f"… and {len(stop_events) - 8} more event(s)")
    return "<br>".join(lines)


def hover_texts(records: list[dict], grouped: dict, dates: list[str]) -> list[str]:
    return [hover_text(r, grouped.get((r["trip_id"], int(r["stop_no"])), []), d) for r, d in zip(records, dates)]


# ---------------------------------------------------------------------------- selection

MAP_MARKER_LIMIT = 2000  # beyond this many stops the map's markers are small dots, all alike


def chosen_rows(stops: pd.DataFrame, selected) -> list[bool]:
    """For each row of ``stops``, whether it is the selected stop (trip id, stop number)."""
    if selected is None or not len(stops):
        return [False] * len(stops)
    return ((stops["trip_id"] == selected[0]) & (stops["stop_no"].astype(int) == int(selected[1]))).tolist()


def map_marker_style(chosen: list[bool], colours: list[str]) -> dict:
    """The map's stop markers: the selected one larger with a black ring."""
    return {"size": [18 if c else 12 for c in chosen] if len(chosen) <= MAP_MARKER_LIMIT else 6,
            "line": {"width": [3 if c else 1.5 for c in chosen],
                     "color": ["#000000" if c else colour for c, colour in zip(chosen, colours)]}}


def badge_style(chosen: list[bool], colours: list[str]) -> dict:
    """The timeline's stop numbers: the selected one ringed in black."""
    return {"line": {"width": [3 if c else 2 for c in chosen],
                     "color": ["#000000" if c else colour for c, colour in zip(chosen, colours)]}}
