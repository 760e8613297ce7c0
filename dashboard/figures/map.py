"""The route map: great-circle legs with arrows, numbered stops, the fitted view, the tour animation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    ARC_POINTS,
    ARROW_SIZE,
    BASE_MAP_ATTRIBUTION,
    EUROPE_BOUNDS,
    EUROPE_ROTATION_LON,
    EUROPE_VIEW,
    FIT_MARGIN,
    FRAME_COORDINATE_BUDGET,
    MAP_ASPECT,
    MAX_LEGEND_TRIPS,
    MAX_TOUR_FRAMES,
    MIN_VIEW_SPAN_DEG,
    ROUTE_COLOUR,
    _hover_columns,
    chosen_rows,
    date_labels,
    drawable_stops,
    great_circle_points,
    hover_texts,
    map_marker_style,
    plotly_text,
    stop_colours,
    trip_colour,
)
from dashboard.itinerary import NEEDS_REVIEW, events_by_stop, frame_rows, placement_confidence

MODE_BAR_BAND = 28  # px above the map
# The narrowest map a stop's label must fit in: a 320 px phone less the page's margins; a
# label's width reckoned per character of 12 px text, its gap from the marker, its line height.
NARROWEST_MAP_PX = 300
LABEL_CHAR_PX = 7.0
LABEL_GAP_PX = 8.0
LABEL_LINE_PX = 16.0


def base_map_name(fig: go.Figure) -> str:
    """The TopoJSON file plotly.js will ask for: ``<scope>_<resolution>m``."""
    scope = fig.layout.geo.scope or "world"
    resolution = int(fig.layout.geo.resolution or 110)
    return f"{scope.replace(' ', '-')}_{resolution}m"


def map_view(stops: pd.DataFrame, whole_world: bool, aspect: float = MAP_ASPECT) -> dict:
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
        return dict(base, scope="world", resolution=110, lonaxis=dict(range=[-180, 180]), lataxis=dict(range=[-90, 90]),
                    projection=dict(type="natural earth", rotation=dict(lon=0, lat=0), scale=1), center=dict(lon=0, lat=0))
    centre_lon, half_span = _lon_centre_and_half_span(lons)
    centre = dict(lon=round(centre_lon, 4), lat=round(float((lats.max() + lats.min()) / 2), 4))
    in_europe = (lons.min() >= EUROPE_BOUNDS["lon"][0] and lons.max() <= EUROPE_BOUNDS["lon"][1]
                 and lats.min() >= EUROPE_BOUNDS["lat"][0] and lats.max() <= EUROPE_BOUNDS["lat"][1])
    lon_range, lat_range = _framed_ranges(lats, centre_lon, half_span, europe=in_europe, aspect=aspect)
    # The route's box, widened to the map's aspect: plotly.js draws the box as large as the
    # figure allows, so a wide figure gets a wide map rather than a square one with margins.
    axes = dict(lonaxis=dict(range=lon_range), lataxis=dict(range=lat_range))
    if in_europe:
        return dict(base, scope="europe", resolution=50, **axes,
                    projection=dict(type="conic conformal", rotation=dict(lon=EUROPE_ROTATION_LON, lat=0), scale=1),
                    center=centre)
    return dict(base, scope="world", resolution=110, **axes,
                projection=dict(type="natural earth", rotation=dict(lon=centre["lon"], lat=0), scale=1), center=centre)


def _framed_ranges(lats: np.ndarray, centre_lon: float, half_span: float, *, europe: bool,
                   aspect: float = MAP_ASPECT) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges around the route (with a margin) in the map's aspect
    (width over height of the map's own area), reckoning a degree of longitude as cos(latitude) of a
    degree of latitude, as the conic and Natural Earth projections roughly draw it there."""
    lat_mid = float((lats.max() + lats.min()) / 2)
    squeeze = max(float(np.cos(np.radians(lat_mid))), 0.25)
    lon_half = max(half_span * FIT_MARGIN, MIN_VIEW_SPAN_DEG / 2)
    lat_half = max(float(lats.max() - lats.min()) / 2 * FIT_MARGIN, MIN_VIEW_SPAN_DEG / 4)
    if lon_half * squeeze / lat_half < aspect:
        lon_half = aspect * lat_half / squeeze
    else:
        lat_half = lon_half * squeeze / aspect
    lon_half, lat_half = min(lon_half, 180.0), min(lat_half, 85.0)
    lat_low, lat_high = max(lat_mid - lat_half, -85.0), min(lat_mid + lat_half, 85.0)
    if europe:  # the Europe base map stops at its scope's edge
        lat_low, lat_high = max(lat_low, EUROPE_VIEW["lat"][0]), min(lat_high, EUROPE_VIEW["lat"][1])
        return ([round(max(centre_lon - lon_half, EUROPE_VIEW["lon"][0]), 3),
                 round(min(centre_lon + lon_half, EUROPE_VIEW["lon"][1]), 3)], [round(lat_low, 3), round(lat_high, 3)])
    return [round(centre_lon - lon_half, 3), round(centre_lon + lon_half, 3)], [round(lat_low, 3), round(lat_high, 3)]


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
    """'1 Kyiv'; a place visited twice in a trip shows both numbers: '1, 5 Kyiv'. Plain text:
    escaped for plotly.js once fitted to the frame."""
    spots = [(r["trip_id"], round(r["lat"], 3), round(r["lon"], 3)) for r in records]
    numbers: dict[tuple, list[str]] = {}
    for spot, record in zip(spots, records):
        numbers.setdefault(spot, []).append(str(record["stop_no"]))
    return [f"{', '.join(numbers[spot])} {r['place']}" for spot, r in zip(spots, records)]


def _fit_labels(labels: list[str], positions: list[str], lats: np.ndarray, lons: np.ndarray,
                view: dict) -> tuple[list[str], list[str]]:
    """Labels kept inside the map's frame on the narrowest map they are drawn on (a phone): a
    label that would cross the frame's side goes to the other side of its stop when there is
    more room there, and is shortened with an ellipsis when neither side holds it (the whole
    name stays in the hover text and the itinerary); a label that would cross the top or the
    bottom goes under or over its stop. Positions along the frame are reckoned linearly in
    longitude and latitude, which the map's projections draw nearly so at a route's scale."""
    lon_low, lon_high = view["lonaxis"]["range"]
    lat_low, lat_high = view["lataxis"]["range"]
    width, height = NARROWEST_MAP_PX, NARROWEST_MAP_PX / MAP_ASPECT
    fitted_labels, fitted_positions = [], []
    for label, position, lat, lon in zip(labels, positions, lats, lons):
        x = ((lon - lon_low) % 360.0) / max(lon_high - lon_low, 1e-9) * width
        y = (lat_high - lat) / max(lat_high - lat_low, 1e-9) * height
        vertical, horizontal = position.split()
        needed = LABEL_CHAR_PX * len(label)
        room = {"right": width - x - LABEL_GAP_PX, "left": x - LABEL_GAP_PX}
        other = "left" if horizontal == "right" else "right"
        if needed > room[horizontal] and room[other] > room[horizontal]:
            horizontal = other
        if needed > room[horizontal]:
            keep = max(int(room[horizontal] / LABEL_CHAR_PX) - 1, 1)
            label = label[:keep].rstrip() + "…"
        if vertical == "top" and y < LABEL_LINE_PX:
            vertical = "bottom"
        elif vertical == "bottom" and y > height - LABEL_LINE_PX:
            vertical = "top"
        fitted_labels.append(label)
        fitted_positions.append(f"{vertical} {horizontal}")
    return fitted_labels, fitted_positions


def _label_positions(data: pd.DataFrame) -> list[str]:
    """Where each stop's label goes: on the side away from the legs that meet the stop and
    from its nearest neighbouring stop, so labels keep off the route and off each other."""
    lats, lons = data["lat"].to_numpy(float), data["lon"].to_numpy(float)
    trips = data["trip_id"].to_numpy()
    squeeze = np.cos(np.radians(lats))
    out = []
    for i in range(len(data)):
        pull_x = pull_y = 0.0
        others = [j for j in (i - 1, i + 1) if 0 <= j < len(data) and trips[j] == trips[i]]
        near = np.hypot((lons - lons[i]) * squeeze[i], lats - lats[i])
        near[i] = np.inf
        if len(data) > 1 and np.isfinite(near.min()):
            others.append(int(near.argmin()))
        for j in others:
            dx, dy = (lons[j] - lons[i]) * squeeze[i], lats[j] - lats[i]
            length = float(np.hypot(dx, dy))
            if length > 0:
                pull_x, pull_y = pull_x + dx / length, pull_y + dy / length
        vertical = "bottom" if pull_y > 0.25 else "top"
        horizontal = "left" if pull_x > 0.25 else "right" if pull_x < -0.25 else ("right" if vertical == "top" else "left")
        out.append(f"{vertical} {horizontal}")
    return out


def _route_groups(trip_ids: list[str]) -> list[tuple[str, list[str]]]:
    """Which trips share a route trace: one each for a legible legend, else one per colour."""
    if len(trip_ids) <= MAX_LEGEND_TRIPS:
        return [(trip_colour(i) if len(trip_ids) > 1 else ROUTE_COLOUR, [t]) for i, t in enumerate(trip_ids)]
    groups: dict[str, list[str]] = {}
    for index, trip_id in enumerate(trip_ids):
        groups.setdefault(trip_colour(index), []).append(trip_id)
    return list(groups.items())


def _map_traces(data: pd.DataFrame, trip_ids: list[str], trip_names: dict[str, str], colours: list[str],
                grouped_events: dict, selected, label_limit: int, view: dict) -> tuple[list[dict], list[np.ndarray]]:
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
    chosen = chosen_rows(data, selected)
    per_trip = max((data["trip_id"].value_counts().max() if len(data) else 0), 0)
    labelled = per_trip <= label_limit and len(data) <= 4 * label_limit
    labels, label_positions = (_fit_labels(_marker_labels(records), _label_positions(data), lats, lons, view)
                               if labelled else (None, "top right"))
    traces.append(dict(
        type="scattergeo", lat=data["lat"].round(5).to_numpy(), lon=data["lon"].round(5).to_numpy(),
        mode="markers+text" if labelled else "markers",
        # Labels that are not drawn are not sent: a collection's page would carry 100,000 of them.
        text=[plotly_text(label) for label in labels] if labelled else None,
        textposition=label_positions,
        textfont=dict(size=12, color="#1a1a1a"),
        hovertext=hover_texts(records, grouped_events, date_labels(data)), hoverinfo="text",
        customdata=[[r["trip_id"], int(r["stop_no"])] for r in records],
        marker=dict(
            size=map_marker_style(chosen, colours)["size"],
            color=[c if p else "rgba(255,255,255,0.6)" for c, p in zip(colours, precise)],
            # A stop to check is a diamond: a different shape, not only a colour, so it reads
            # in greyscale print and for colour-blind readers.
            symbol=["circle-open-dot" if c == "approximate" else "diamond" if c == NEEDS_REVIEW else "circle"
                    for c in confidence],
            line=map_marker_style(chosen, colours)["line"],
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
    view = map_view(data, whole_world)
    traces, legs = _map_traces(data, trip_ids, trip_names, stop_colours(data) if len(data) else [],
                               grouped, selected, label_limit, view)
    # Plotly's per-element validation costs seconds at 10,000 stops; these traces are built
    # here, and tests re-validate them in full (go.Figure(fig.to_dict())).
    fig = go.Figure(data=traces, _validate=False)
    several = len(trip_ids) > 1
    fig.update_layout(
        geo=view,
        # A band above the map for the mode bar: it must not sit on the map.
        margin=dict(l=0, r=0, t=40 if title else MODE_BAR_BAND, b=30),
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


def map_selection_patch(stops: pd.DataFrame, selected: tuple[str, int] | None) -> dict[tuple, object] | None:
    """What changes on ``map_figure(stops, ...)`` when only the selected stop changes, as
    (path in the figure -> new value): the stop markers' sizes and rings. The stops trace comes
    after the route traces (one per group of ``_route_groups``). None when no stop is drawn."""
    data = drawable_stops(stops).stops
    if not len(data):
        return None
    index = len(_route_groups(list(dict.fromkeys(data["trip_id"]))))
    style = map_marker_style(chosen_rows(data, selected), stop_colours(data))
    return {("data", index, "marker", "size"): style["size"], ("data", index, "marker", "line"): style["line"]}


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
    pick = lambda values: values[reached] if isinstance(values, np.ndarray) else (
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
    # The play button and the day slider are the page's own controls under the map (the
    # dashboard's, in its layout): plotly.js's would sit in the figure and crowd a phone's map.
    fig.update_layout(meta=dict(fig.layout.meta or {}, tour_days=[day.strftime("%a %d %b") for day in days]))
