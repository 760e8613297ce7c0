"""Pure figure builders: a geocoded stops frame in, a ``plotly.graph_objects.Figure`` out.

No Dash and no I/O here. The base map is drawn from the shipped TopoJSON (``data/geodata``);
which file a figure needs is ``base_map_name(fig)``, and each output path (Dash, standalone
HTML, images) points plotly.js at the shipped copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.itinerary import NEEDS_REVIEW, frame_rows, placement_confidence, placement_note, rows_by_trip

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
# of longitude (a one-city trip still shows its region), and zooms in at most this far. At scale 1
# plotly.js shows a scope's whole span (lon, lat): 360 x 180 for the world, 90 x 55 for Europe.
FIT_MARGIN = 1.5
MIN_VIEW_SPAN_DEG = 12.0
MAX_SCALE = 30.0
WORLD_SCOPE_SPAN = (360.0, 180.0)
EUROPE_SCOPE_SPAN = (90.0, 55.0)
EUROPE_ROTATION_LON = 15.0  # plotly.js's own rotation for the europe scope
EUROPE_BOUNDS = {"lon": (-25.0, 45.0), "lat": (34.0, 72.0)}
BASE_MAP_ATTRIBUTION = ("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), "
                        "via plotly.js")
# The event columns that labels, panels and pages show.
EVENTS_SHOWN = ("trip_id", "stop_no", "event_no", "time", "text", "kind", "people", "source", "inferred")
REQUIRED_COLUMNS = ("trip_id", "trip", "stop_no", "place", "arrive", "depart", "lat", "lon")


class FigureInputError(ValueError):
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
    offsets = stops["utc_offset"] if "utc_offset" in stops else pd.Series(None, index=stops.index, dtype=object)
    labels = []
    for label, offset in zip(text.tolist(), offsets.tolist()):
        labels.append(f"{label} (local time, UTC{offset})" if isinstance(offset, str) and offset else label)
    return labels


def stop_dates(stop: dict) -> str:
    start = _when(stop["arrive"], bool(stop.get("arrive_has_time", False)))
    end = _when(stop["depart"], bool(stop.get("depart_has_time", False)))
    text = start if start == end else f"{start} to {end}"
    offset = stop.get("utc_offset")
    return f"{text} (local time, UTC{offset})" if isinstance(offset, str) and offset else text


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


def events_by_stop(events: pd.DataFrame | None) -> dict[tuple[str, int], list[dict]]:
    """Events grouped once by (trip id, stop number), in their order."""
    grouped: dict[tuple[str, int], list[dict]] = {}
    if events is None or events.empty:
        return grouped
    keys = zip(events["trip_id"].tolist(), events["stop_no"].astype("int64").tolist())
    for key, event in zip(keys, frame_rows(events[[c for c in EVENTS_SHOWN if c in events]])):
        if key in grouped:
            grouped[key].append(event)
        else:
            grouped[key] = [event]
    return grouped


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


# ---------------------------------------------------------------------------- map


def base_map_name(fig: go.Figure) -> str:
    """The TopoJSON file plotly.js will ask for: ``<scope>_<resolution>m``."""
    scope = fig.layout.geo.scope or "world"
    resolution = int(fig.layout.geo.resolution or 110)
    return f"{scope.replace(' ', '-')}_{resolution}m"


def _view(stops: pd.DataFrame, whole_world: bool) -> dict:
    """The map's view, every part of it stated: scope, projection, rotation, centre and scale.

    Fitted here rather than by plotly.js's ``fitbounds``, which turns itself off when a rotation
    is given (a route across the antimeridian needs one), and stated in full because
    ``Plotly.react`` keeps a previous figure's scale and centre when the new layout leaves them
    out: a trip would open on the last trip's view, and "Whole world" on a crop of the route.
    """
    lats, lons = stops["lat"].to_numpy(float), stops["lon"].to_numpy(float)
    base = dict(showcountries=True, countrycolor="#9a9a9a", showland=True, landcolor="#f2efe9",
                showocean=True, oceancolor="#dfe9f3", showlakes=True, lakecolor="#dfe9f3",
                showcoastlines=True, coastlinecolor="#8c8c8c", showframe=False, bgcolor="white")
    if whole_world or len(stops) == 0:
        return dict(base, scope="world", resolution=110,
                    projection=dict(type="natural earth", rotation=dict(lon=0, lat=0), scale=1), center=dict(lon=0, lat=0))
    centre_lon, half_span = _lon_centre_and_half_span(lons)
    centre = dict(lon=round(centre_lon, 4), lat=round(float((lats.max() + lats.min()) / 2), 4))
    in_europe = (lons.min() >= EUROPE_BOUNDS["lon"][0] and lons.max() <= EUROPE_BOUNDS["lon"][1]
                 and lats.min() >= EUROPE_BOUNDS["lat"][0] and lats.max() <= EUROPE_BOUNDS["lat"][1])
    if in_europe:
        scale = _fit_scale(half_span, lats, EUROPE_SCOPE_SPAN)
        return dict(base, scope="europe", resolution=50,
                    projection=dict(type="conic conformal", rotation=dict(lon=EUROPE_ROTATION_LON, lat=0), scale=scale),
                    center=centre)
    scale = _fit_scale(half_span, lats, WORLD_SCOPE_SPAN)
    return dict(base, scope="world", resolution=110,
                projection=dict(type="natural earth", rotation=dict(lon=centre["lon"], lat=0), scale=scale), center=centre)


def _fit_scale(half_span: float, lats: np.ndarray, scope_span: tuple[float, float]) -> float:
    """How far to zoom so the route, with a margin, fills the view. At scale 1 plotly.js shows
    the scope's whole span of longitude and latitude; at scale s, 1/s of each."""
    lon_span = max(2 * half_span * FIT_MARGIN, MIN_VIEW_SPAN_DEG)
    lat_span = max((lats.max() - lats.min()) * FIT_MARGIN, MIN_VIEW_SPAN_DEG / 2)
    scale = min(scope_span[0] / lon_span, scope_span[1] / lat_span)
    return round(float(np.clip(scale, 1.0, MAX_SCALE)), 3)


def _lon_centre_and_half_span(lons: np.ndarray) -> tuple[float, float]:
    """Centre and half width of the smallest arc of longitude holding every point, so a tour
    across the antimeridian is framed across it rather than around the whole world."""
    ordered = np.sort(np.mod(lons, 360.0))
    gaps = np.diff(np.concatenate([ordered, [ordered[0] + 360.0]]))
    widest = int(np.argmax(gaps))
    start = ordered[(widest + 1) % len(ordered)]
    span = 360.0 - gaps[widest]
    centre = (start + span / 2 + 180.0) % 360.0 - 180.0
    return float(centre), float(span / 2)


def _route_arcs(lats: np.ndarray, lons: np.ndarray, rows: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Great-circle points for every leg of the given trips at once (``rows``: each trip's row
    positions, in order), NaN between legs (a gap in the line), a marker size per point (an
    arrow in the middle of each leg, oriented by plotly along the path itself with angleref
    'previous', nothing elsewhere), and for each drawn leg the row of the stop it arrives at."""
    starts = np.concatenate([r[:-1] for r in rows]) if rows else np.empty(0, int)
    ends = np.concatenate([r[1:] for r in rows]) if rows else np.empty(0, int)
    moving = (lats[starts] != lats[ends]) | (lons[starts] != lons[ends])
    starts, ends = starts[moving], ends[moving]
    if not len(starts):
        return np.empty(0), np.empty(0), np.empty(0), np.empty(0, dtype=int)
    arc_lat, arc_lon = great_circle_points(lats[starts], lons[starts], lats[ends], lons[ends])
    gap = np.full((len(starts), 1), np.nan)
    sizes = np.zeros((len(starts), ARC_POINTS + 1))
    sizes[:, ARC_POINTS // 2 + 1] = ARROW_SIZE
    return (np.hstack([arc_lat, gap]).ravel().round(4), np.hstack([arc_lon, gap]).ravel().round(4),
            sizes.ravel(), ends)


def _marker_labels(records: list[dict]) -> list[str]:
    """'1 Kyiv'; a place visited twice in a trip shows both numbers: '1, 5 Kyiv'."""
    spots = [(r["trip_id"], round(r["lat"], 3), round(r["lon"], 3)) for r in records]
    numbers: dict[tuple, list[str]] = {}
    for spot, record in zip(spots, records):
        numbers.setdefault(spot, []).append(str(record["stop_no"]))
    return [plotly_text(f"{', '.join(numbers[spot])} {r['place']}") for spot, r in zip(spots, records)]


def _route_groups(trip_ids: list[str]) -> list[tuple[str, list[str]]]:
    """Which trips share a route trace: one each for a legible legend, else one per colour."""
    if len(trip_ids) <= MAX_LEGEND_TRIPS:
        return [(trip_colour(i) if len(trip_ids) > 1 else ROUTE_COLOUR, [t]) for i, t in enumerate(trip_ids)]
    groups: dict[str, list[str]] = {}
    for index, trip_id in enumerate(trip_ids):
        groups.setdefault(trip_colour(index), []).append(trip_id)
    return list(groups.items())


def _map_traces(data: pd.DataFrame, trip_ids: list[str], trip_names: dict[str, str], colours: list[str],
                grouped_events: dict, selected, label_limit: int) -> tuple[list[dict], list[np.ndarray]]:
    """The traces, and per route trace the row of the stop each of its legs arrives at."""
    traces, legs = [], []
    groups = _route_groups(trip_ids)
    # Row positions of each trip, found once: comparing the trip column per trip is quadratic.
    positions = data.groupby("trip_id", sort=False).indices if len(data) else {}
    lats, lons = data["lat"].to_numpy(float), data["lon"].to_numpy(float)
    for colour, members in groups:
        arc_lat, arc_lon, sizes, dest = _route_arcs(lats, lons, [positions[t] for t in members])
        legs.append(dest)
        name = trip_names[members[0]] if len(members) == 1 else f"{len(members)} trips"
        traces.append(dict(
            type="scattergeo", lat=arc_lat, lon=arc_lon, mode="lines+markers",
            line=dict(width=2 if len(data) <= 500 else 1, color=colour),
            marker=dict(symbol="arrow", size=sizes, color=colour, angleref="previous", line=dict(width=0)),
            name=name, legendgroup=members[0], showlegend=len(groups) > 1 and len(members) == 1,
            hoverinfo="skip", meta=dict(role="route", trip_ids=members)))
    records = frame_rows(_hover_columns(data))
    confidence = [placement_confidence(r) for r in records]
    precise = [c != "approximate" for c in confidence]
    chosen = [selected is not None and (r["trip_id"], int(r["stop_no"])) == (selected[0], int(selected[1]))
              for r in records]
    per_trip = max((data["trip_id"].value_counts().max() if len(data) else 0), 0)
    labelled = per_trip <= label_limit and len(data) <= 4 * label_limit
    traces.append(dict(
        type="scattergeo", lat=data["lat"].round(5).to_numpy(), lon=data["lon"].round(5).to_numpy(),
        mode="markers+text" if labelled else "markers",
        # Labels that are not drawn are not sent: a collection's page would carry 100,000 of them.
        text=_marker_labels(records) if labelled else None, textposition="top right",
        textfont=dict(size=12, color="#1a1a1a"),
        hovertext=hover_texts(records, grouped_events, date_labels(data)), hoverinfo="text",
        customdata=[[r["trip_id"], int(r["stop_no"])] for r in records],
        marker=dict(
            size=[18 if c else 12 for c in chosen] if len(data) <= 2000 else 6,
            color=[c if p else "rgba(255,255,255,0.6)" for c, p in zip(colours, precise)],
            # A stop to check is a diamond: a different shape, not only a colour, so it reads
            # in greyscale print and for colour-blind readers.
            symbol=["circle-open-dot" if c == "approximate" else "diamond" if c == NEEDS_REVIEW else "circle"
                    for c in confidence],
            line=dict(width=[3 if c else 1.5 for c in chosen], color=["#000000" if c else col for c, col in zip(chosen, colours)]),
        ),
        name="stops", showlegend=False, meta=dict(role="stops")))
    return traces, legs


def map_figure(stops: pd.DataFrame, events: pd.DataFrame | None = None, *, whole_world: bool = False,
               animate: bool = False, selected: tuple[str, int] | None = None,
               title: str | None = None, label_limit: int = 60) -> go.Figure:
    """The route map: great-circle legs with direction arrows and numbered stop markers.

    ``selected`` (trip id, stop number) is drawn highlighted; ``animate`` adds day-by-day
    frames with a play button. Labels are written on the map up to ``label_limit`` stops per
    trip (beyond that they would hide the map) and stay in the hover text.
    """
    drawable = drawable_stops(stops)
    data = drawable.stops
    trip_ids = list(dict.fromkeys(data["trip_id"]))
    trip_names = {trip_id: plotly_text(name) for trip_id, name in zip(data["trip_id"], data["trip"])}
    grouped = events_by_stop(events)
    traces, legs = _map_traces(data, trip_ids, trip_names, stop_colours(data) if len(data) else [],
                               grouped, selected, label_limit)
    # Plotly's per-element validation costs seconds at 10,000 stops; these traces are built
    # here, and tests re-validate them in full (go.Figure(fig.to_dict())).
    fig = go.Figure(data=traces, _validate=False)
    several = len(trip_ids) > 1
    fig.update_layout(
        geo=_view(data, whole_world),
        margin=dict(l=0, r=0, t=40 if title else 10, b=30),
        title=dict(text=plotly_text(title), x=0.01) if title else None,
        legend=dict(orientation="h", yanchor="bottom", y=0.0, x=0.01, bgcolor="rgba(255,255,255,0.7)"),
        showlegend=several and len(trip_ids) <= MAX_LEGEND_TRIPS,
        # Keeps a reader's zoom while a stop is highlighted, but a new trip or view starts
        # fitted: one revision for all trips would carry one trip's view over to the next.
        uirevision="|".join(trip_ids + ["world" if whole_world else "route"]),
        annotations=[dict(text=BASE_MAP_ATTRIBUTION, showarrow=False, xref="paper", yref="paper",
                          x=1, y=0, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))],
        meta=dict(warnings=drawable.warnings),
    )
    if animate and len(data):
        _add_tour_animation(fig, data, traces, legs)
    return fig


def _frame_traces(traces: list[dict], legs: list[np.ndarray], reached: np.ndarray) -> list[dict]:
    """What changes on one day of the tour. When the stops reached are the first n (the usual
    case: stops in travel order), a frame sends only coordinates: every other per-point array of
    the full trace (labels, hover text, sizes) lines up with that prefix as it is, and a frame
    that repeated them made a 215-stop trip's figure 13 MB."""
    out = []
    prefix = bool(reached.all() or not reached[int(reached.argmin()):].any())
    for trace, dest in zip(traces, legs):  # route traces first, one leg list each
        points = np.repeat(reached[dest], ARC_POINTS + 1)
        frame = dict(type="scattergeo", lat=trace["lat"][points], lon=trace["lon"][points])
        if not prefix or not bool(points.all() or not points[int(points.argmin()):].any()):
            frame["marker"] = dict(size=trace["marker"]["size"][points])
        out.append(frame)
    stops = traces[len(legs)]
    if prefix:
        out.append(dict(type="scattergeo", lat=stops["lat"][reached], lon=stops["lon"][reached]))
        return out
    pick = lambda values: values[reached] if isinstance(values, np.ndarray) else (  # noqa: E731
        [v for v, keep in zip(values, reached) if keep] if isinstance(values, list) else values)
    marker, line = stops["marker"], stops["marker"]["line"]
    out.append(dict(type="scattergeo", lat=pick(stops["lat"]), lon=pick(stops["lon"]), text=pick(stops["text"]) if stops["text"] is not None else None,
                    hovertext=pick(stops["hovertext"]), customdata=pick(stops["customdata"]),
                    marker=dict(size=pick(marker["size"]), color=pick(marker["color"]), symbol=pick(marker["symbol"]),
                                line=dict(width=pick(line["width"]), color=pick(line["color"])))))
    return out


def _add_tour_animation(fig: go.Figure, data: pd.DataFrame, traces: list[dict], legs: list[np.ndarray]) -> None:
    """Day-by-day frames: on each day, the legs and stops reached by then (masks over the
    full traces, so a frame can never differ from the still map)."""
    first, last = data["arrive"].min().normalize(), data["depart"].max().normalize()
    arrive_day = data["arrive"].dt.normalize().to_numpy()
    days = pd.date_range(first, last, freq="D")
    # Every frame carries the route so far: a long trip gets fewer, longer steps, so the
    # figure stays small enough to send on every click (about 1 MB at most).
    coordinates = 2 * (sum(len(t["lat"]) for t in traces[:len(legs)]) + len(data))
    max_frames = int(np.clip(FRAME_COORDINATE_BUDGET // max(coordinates, 1), 2, MAX_TOUR_FRAMES))
    if len(days) > max_frames:
        # A collection spans years: a frame per day would be thousands of frames of nothing.
        # Step from arrival to arrival instead, evenly thinned to the limit, always ending on the last.
        arrivals = np.unique(arrive_day)
        if len(arrivals) > max_frames:
            arrivals = arrivals[np.unique(np.linspace(0, len(arrivals) - 1, max_frames).round().astype(int))]
        days = pd.DatetimeIndex(arrivals)
    animated = list(range(len(fig.data)))
    frames = [dict(data=_frame_traces(traces, legs, arrive_day <= day.to_datetime64()), name=day.strftime("%Y-%m-%d"),
                   traces=animated) for day in days]
    fig.frames = frames
    step_args = dict(mode="immediate", frame=dict(duration=700, redraw=True), transition=dict(duration=0))
    fig.update_layout(
        geo=dict(domain=dict(x=[0, 1], y=[0, 0.86])),  # a band above the map for the controls
        updatemenus=[dict(type="buttons", direction="left", x=0.01, y=1.0, xanchor="left", yanchor="top",
                          pad=dict(t=4, r=4), showactive=False, buttons=[
                              dict(label="▶ Play the tour", method="animate", args=[None, dict(step_args, fromcurrent=True)]),
                              dict(label="❚❚ Pause", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))]),
                          ])],
        sliders=[dict(active=len(frames) - 1, x=0.3, len=0.68, y=1.04, yanchor="top", pad=dict(t=0, b=0),
                      currentvalue=dict(prefix="Day: ", font=dict(size=12)), font=dict(size=10),
                      steps=[dict(label=f["name"], method="animate", args=[[f["name"]], step_args]) for f in frames])],
    )


# ---------------------------------------------------------------------------- timeline


def timeline_figure(stops: pd.DataFrame, events: pd.DataFrame | None = None, *,
                    selected: tuple[str, int] | None = None, title: str | None = None) -> go.Figure:
    """A Gantt-style bar per stop on a day axis with weekdays, events as markers at their time.

    Stops are listed top-down in travel order and grouped by trip when there are several.
    Dates are local to each stop. Stops without coordinates still appear here.
    """
    _require_columns(stops, tuple(c for c in REQUIRED_COLUMNS if c not in ("lat", "lon")))
    records = frame_rows(_hover_columns(stops))
    colours = stop_colours(stops) if records else []
    several = stops["trip_id"].nunique() > 1
    start_series = stops["arrive"].where(stops["arrive_has_time"].astype(bool), stops["arrive"].dt.normalize())
    end_series = stops["depart"].where(stops["depart_has_time"].astype(bool),
                                       stops["depart"].dt.normalize() + pd.Timedelta(days=1))
    starts, ends = list(start_series), list(end_series)
    durations_ms = ((end_series - start_series) / pd.Timedelta(milliseconds=1)).tolist()
    labels = [plotly_text(f"{r['stop_no']} {r['place']}") for r in records]
    y = [[plotly_text(r["trip"]) for r in records], labels] if several else labels
    chosen = [selected is not None and (r["trip_id"], int(r["stop_no"])) == (selected[0], int(selected[1]))
              for r in records]
    fig = go.Figure(data=[dict(
        type="bar", base=start_series.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(), x=durations_ms, y=y, orientation="h",
        marker=dict(color=colours, line=dict(width=[3 if c else 0 for c in chosen], color="#000000")),
        hovertext=hover_texts(records, events_by_stop(events), date_labels(stops)), hoverinfo="text",
        customdata=[[r["trip_id"], int(r["stop_no"])] for r in records],
        name="stops", showlegend=False, meta=dict(role="stops"),
    )], _validate=False)
    timed = _timed_events(stops, events)
    if len(timed):
        fig.add_trace(dict(
            type="scatter", x=timed["time"], y=[[plotly_text(t) for t in timed["trip"]], list(timed["label"])] if several
            else list(timed["label"]),
            mode="markers", marker=dict(symbol="diamond", size=11, color="#111111", line=dict(color="white", width=1)),
            hovertext=timed["hover"], hoverinfo="text", name="events", showlegend=False,
            customdata=timed[["trip_id", "stop_no"]].values.tolist(), meta=dict(role="events")))
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(type="date", tickformat="%a<br>%d %b", dtick=86400000.0 if _span_days(starts, ends) <= 31 else None,
                   showgrid=True, gridcolor="#e5e5e5"),
        yaxis=dict(autorange="reversed", type="multicategory" if several else "category"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        title=dict(text=plotly_text(title), x=0.01) if title else None,
        plot_bgcolor="white", height=max(220, 60 + 28 * len(records)) if len(records) <= 60 else 60 + 8 * len(records),
        uirevision="|".join(dict.fromkeys(stops["trip_id"].astype(str))),
    )
    return fig


def _span_days(starts, ends) -> float:
    if not starts:
        return 0.0
    return (max(ends) - min(starts)) / pd.Timedelta(days=1)


def _timed_events(stops: pd.DataFrame, events: pd.DataFrame | None) -> pd.DataFrame:
    if events is None or events.empty or "time" not in events:
        return pd.DataFrame(columns=["time", "trip", "trip_id", "stop_no", "label", "hover"])
    timed = events[events["time"].notna()].merge(
        stops[["trip_id", "stop_no", "trip", "place"]], on=["trip_id", "stop_no"], how="inner")
    timed = timed.assign(
        label=[plotly_text(f"{n} {p}") for n, p in zip(timed["stop_no"], timed["place"])],
        hover=[f"{plotly_text(t)}<br>[{plotly_text(k)}] {plotly_text(x)}"
               for t, k, x in zip(timed["time"], timed["kind"], timed["text"])],
    )
    return timed


# ---------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class TripSummary:
    trip_id: str
    trip: str
    leader: str
    stops: int
    days: int
    countries: list[str]
    events: int
    distance_km: float
    legs: list[tuple[str, str, float]]

    @property
    def distance_miles(self) -> float:
        return self.distance_km / KM_PER_MILE

    def text(self) -> str:
        return (f"{self.stops} stops over {self.days} day(s) in {len(self.countries)} "
                f"countr{'y' if len(self.countries) == 1 else 'ies'} ({', '.join(self.countries)}); "
                f"{self.events} event(s); {self.distance_km:,.0f} km ({self.distance_miles:,.0f} mi) "
                "by great circle")


def trip_summaries(stops: pd.DataFrame, events: pd.DataFrame | None = None) -> list[TripSummary]:
    if stops.empty:
        return []
    country_column = next((c for c in ("country_name", "country_code", "country") if c in stops), None)
    event_counts = events.groupby("trip_id").size().to_dict() if events is not None and len(events) else {}
    # Every leg of every trip at once: consecutive placed stops of the same trip.
    located = stops[stops["lat"].notna() & stops["lon"].notna()]
    trip_of = located["trip_id"].to_numpy()
    same_trip = trip_of[:-1] == trip_of[1:]
    lats, lons = located["lat"].to_numpy(float), located["lon"].to_numpy(float)
    lengths = distance_km(lats[:-1], lons[:-1], lats[1:], lons[1:]) if len(located) > 1 else np.empty(0)
    places = located["place"].tolist()
    legs: dict[str, list[tuple[str, str, float]]] = {}
    for index in np.flatnonzero(same_trip).tolist():
        legs.setdefault(trip_of[index], []).append((places[index], places[index + 1], float(lengths[index])))
    spans = stops.groupby("trip_id", sort=False).agg(first=("arrive", "min"), last=("depart", "max"),
                                                   count=("stop_no", "size"), trip=("trip", "first"),
                                                   leader=("leader", "first"))
    countries: dict[str, list[str]] = {}
    if country_column:
        for trip_id, country in zip(stops["trip_id"].tolist(), stops[country_column].tolist()):
            if isinstance(country, str) and country and country not in countries.setdefault(trip_id, []):
                countries[trip_id].append(country)
    out = []
    for trip_id, span in zip(spans.index.tolist(), frame_rows(spans)):
        trip_legs = legs.get(trip_id, [])
        out.append(TripSummary(
            trip_id=str(trip_id), trip=str(span["trip"]), leader=str(span["leader"]), stops=int(span["count"]),
            days=int((span["last"].normalize() - span["first"].normalize()).days) + 1,
            countries=countries.get(trip_id, []), events=int(event_counts.get(trip_id, 0)),
            distance_km=sum(leg[2] for leg in trip_legs), legs=trip_legs))
    return out


def itinerary_text(stops: pd.DataFrame, events: pd.DataFrame | None = None,
                   summaries: list[TripSummary] | None = None,
                   grouped: dict[tuple[str, int], list[dict]] | None = None) -> str:
    """A plain-text itinerary, one line per stop: the screen-reader and copy-paste view.
    ``summaries`` and ``grouped`` (``events_by_stop``) may be passed when already at hand."""
    grouped = events_by_stop(events) if grouped is None else grouped
    dates = dict(zip(zip(stops["trip_id"], stops["stop_no"]), date_labels(stops)))
    by_trip = rows_by_trip(stops[[c for c in ("trip_id", "stop_no", "place", "country_name", "precision", "confidence",
                                              "geocode_note") if c in stops]])
    lines = []
    for summary in summaries if summaries is not None else trip_summaries(stops, events):
        lines.append(f"{summary.leader}: {summary.trip}. {summary.text()}.")
        for stop in by_trip.get(summary.trip_id, []):
            stop_events = grouped.get((stop["trip_id"], int(stop["stop_no"])), [])
            what = "; ".join(f"{e['kind']}: {e['text'].rstrip('.')}" for e in stop_events)
            country = stop.get("country_name")
            where = f"{stop['place']}, {country}" if country else stop["place"]
            line = f"{stop['stop_no']}. {where}, {dates[stop['trip_id'], stop['stop_no']]}"
            note = placement_note(stop) if stop.get("precision") else None
            if note:
                line += f" ({note})"
            lines.append(line + (f". {what}" if what else "."))
    return "\n".join(lines)
