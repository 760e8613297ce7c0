"""Pure figure builders: a geocoded stops frame in, a ``plotly.graph_objects.Figure`` out.

No Dash and no I/O here. The base map is drawn from the shipped TopoJSON (``data/geodata``);
which file a figure needs is ``base_map_name(fig)``, and each output path (Dash, standalone
HTML, images) points plotly.js at the shipped copy.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
ARC_POINTS = 24
ARROW_SIZE = 13
# Okabe-Ito and Tableau-like colours that stay apart for colour-blind readers.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
           "#F0E442", "#7F7F7F", "#1B9E77"]
ROUTE_COLOUR = "#333333"
APPROXIMATE = {"country", "region"}
EUROPE_BOUNDS = {"lon": (-25.0, 45.0), "lat": (34.0, 72.0)}
BASE_MAP_ATTRIBUTION = ("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), "
                        "via plotly.js")
REQUIRED_COLUMNS = ("trip_id", "trip", "stop_no", "place", "arrive", "depart", "lat", "lon")


class FigureInputError(ValueError):
    """The frame handed to a builder lacks what it needs; says which argument and what."""


@dataclass(frozen=True)
class Drawable:
    """The stops that can be drawn, and a warning for each stop left out."""

    stops: pd.DataFrame
    warnings: list[str]


def drawable_stops(stops: pd.DataFrame) -> Drawable:
    missing = [c for c in REQUIRED_COLUMNS if c not in getattr(stops, "columns", ())]
    if missing:
        got = list(getattr(stops, "columns", [])) if isinstance(stops, pd.DataFrame) else type(stops).__name__
        raise FigureInputError(f"argument 'stops': expected a geocoded stops frame with columns "
                               f"{', '.join(REQUIRED_COLUMNS)}; missing {', '.join(missing)} (received {got})")
    located = stops["lat"].notna() & stops["lon"].notna()
    warnings = [f"stop {s.stop_no} ({s.place}) of '{s.trip}' has no coordinates and is left off the map"
                for s in stops[~located].itertuples()]
    return Drawable(stops[located].reset_index(drop=True), warnings)


# ---------------------------------------------------------------------------- geometry


def great_circle_points(lat1, lon1, lat2, lon2, n: int = ARC_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points from the first position to the second along the great circle (slerp)."""
    p1, p2 = _unit_vector(lat1, lon1), _unit_vector(lat2, lon2)
    omega = math.acos(max(-1.0, min(1.0, float(np.dot(p1, p2)))))
    t = np.linspace(0.0, 1.0, n)
    if omega < 1e-9:
        points = np.outer(np.ones(n), p1)
    else:
        points = (np.outer(np.sin((1 - t) * omega), p1) + np.outer(np.sin(t * omega), p2)) / math.sin(omega)
    lats = np.degrees(np.arcsin(np.clip(points[:, 2], -1, 1)))
    lons = np.degrees(np.arctan2(points[:, 1], points[:, 0]))
    return lats, lons


def _unit_vector(lat, lon) -> np.ndarray:
    phi, lam = math.radians(lat), math.radians(lon)
    return np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])


def distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = _unit_vector(lat1, lon1), _unit_vector(lat2, lon2)
    return EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, float(np.dot(p1, p2)))))


def initial_bearing(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlam = math.radians(lon2 - lon1)
    x = math.sin(dlam) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlam)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


# ---------------------------------------------------------------------------- colours


def stop_colours(stops: pd.DataFrame) -> list[str]:
    """One colour per stop, shared by the map and the timeline.

    With one trip each stop gets its own colour; with several, a trip's stops share its colour
    so tours can be told apart.
    """
    trip_ids = list(dict.fromkeys(stops["trip_id"]))
    if len(trip_ids) == 1:
        return [PALETTE[(n - 1) % len(PALETTE)] for n in stops["stop_no"]]
    return [trip_colour(trip_ids.index(t)) for t in stops["trip_id"]]


def trip_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# ---------------------------------------------------------------------------- text


def _when(moment: pd.Timestamp, has_time: bool) -> str:
    text = moment.strftime("%a %d %b %Y")
    return text + moment.strftime(" %H:%M") if has_time else text


def stop_dates(stop) -> str:
    start = _when(stop.arrive, bool(getattr(stop, "arrive_has_time", False)))
    end = _when(stop.depart, bool(getattr(stop, "depart_has_time", False)))
    text = start if start == end else f"{start} to {end}"
    offset = getattr(stop, "utc_offset", None)
    return f"{text} (local time, UTC{offset})" if isinstance(offset, str) and offset else text


def _country_label(stop) -> str:
    for attr in ("country_name", "country_code", "country"):
        value = getattr(stop, attr, None)
        if isinstance(value, str) and value:
            return value
    return "country unknown"


def _precision_label(stop) -> str:
    precision = getattr(stop, "precision", None)
    if not isinstance(precision, str) or not precision:
        return "position given in the itinerary"
    if precision in APPROXIMATE:
        return f"approximate: {precision} centre"
    return precision


def _events_of(events: pd.DataFrame | None, trip_id: str, stop_no: int) -> pd.DataFrame:
    if events is None or events.empty:
        return pd.DataFrame(columns=["text", "kind", "time", "source"])
    return events[(events["trip_id"] == trip_id) & (events["stop_no"] == stop_no)]


def hover_text(stop, events: pd.DataFrame | None) -> str:
    """Hover label; every piece of user text is escaped so it shows as text, never markup."""
    e = html.escape
    lines = [f"<b>{e(str(stop.stop_no))}. {e(stop.place)}</b>", e(_country_label(stop)),
             e(stop_dates(stop)), f"Placed: {e(_precision_label(stop))}"]
    stop_events = _events_of(events, stop.trip_id, stop.stop_no)
    for event in stop_events.head(8).itertuples():
        text = event.text if len(event.text) <= 90 else event.text[:87] + "..."
        lines.append(f"• [{e(event.kind)}] {e(text)}")
    if len(stop_events) > 8:
        lines.append(f"… and {len(stop_events) - 8} more event(s)")
    return "<br>".join(lines)


# ---------------------------------------------------------------------------- map


def base_map_name(fig: go.Figure) -> str:
    """The TopoJSON file plotly.js will ask for: ``<scope>_<resolution>m``."""
    scope = fig.layout.geo.scope or "world"
    resolution = int(fig.layout.geo.resolution or 110)
    return f"{scope.replace(' ', '-')}_{resolution}m"


def _view(stops: pd.DataFrame, whole_world: bool) -> dict:
    lats, lons = stops["lat"].to_numpy(float), stops["lon"].to_numpy(float)
    base = dict(showcountries=True, countrycolor="#9a9a9a", showland=True, landcolor="#f2efe9",
                showocean=True, oceancolor="#dfe9f3", showlakes=True, lakecolor="#dfe9f3",
                showcoastlines=True, coastlinecolor="#8c8c8c", showframe=False, bgcolor="white")
    if whole_world or len(stops) == 0:
        return dict(base, scope="world", resolution=110, projection=dict(type="natural earth"))
    in_europe = (lons.min() >= EUROPE_BOUNDS["lon"][0] and lons.max() <= EUROPE_BOUNDS["lon"][1]
                 and lats.min() >= EUROPE_BOUNDS["lat"][0] and lats.max() <= EUROPE_BOUNDS["lat"][1])
    centre_lon, _ = _lon_centre_and_half_span(lons)
    if in_europe:
        return dict(base, scope="europe", resolution=50, projection=dict(type="conic conformal"),
                    fitbounds="locations")
    return dict(base, scope="world", resolution=110,
                projection=dict(type="natural earth", rotation=dict(lon=centre_lon)), fitbounds="locations")


def _padding_frame(stops: pd.DataFrame) -> go.Scattergeo:
    """Invisible points around the route so that fitting the view leaves a margin for labels."""
    lats, lons = stops["lat"].to_numpy(float), stops["lon"].to_numpy(float)
    centre, half_span = _lon_centre_and_half_span(lons)
    pad_lat = max(2.5, (lats.max() - lats.min()) * 0.2)
    pad_lon = max(4.0, half_span * 0.45)
    west, east = centre - half_span - pad_lon, centre + half_span + pad_lon
    frame_lon = [((x + 180.0) % 360.0) - 180.0 for x in (west, east, west, east, centre, centre)]
    frame_lat = [max(-85.0, lats.min() - pad_lat)] * 2 + [min(85.0, lats.max() + pad_lat)] * 2 + \
        [max(-85.0, lats.min() - pad_lat), min(85.0, lats.max() + pad_lat)]
    return go.Scattergeo(lat=frame_lat, lon=frame_lon, mode="markers", marker=dict(size=1, opacity=0),
                         hoverinfo="skip", showlegend=False, name="view", meta=dict(role="view"))


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


def _route_arcs(trip_stops: pd.DataFrame) -> tuple[list, list, list]:
    """Arc coordinates, None between legs, and a marker size per point: an arrow at the middle
    of each leg (oriented by plotly along the path itself), nothing elsewhere."""
    arc_lat, arc_lon, sizes = [], [], []
    rows = trip_stops[["lat", "lon"]].to_numpy(float)
    for (lat1, lon1), (lat2, lon2) in zip(rows, rows[1:]):
        if lat1 == lat2 and lon1 == lon2:
            continue
        lats, lons = great_circle_points(lat1, lon1, lat2, lon2)
        arc_lat += [*lats.round(4).tolist(), None]
        arc_lon += [*lons.round(4).tolist(), None]
        leg_sizes = [0] * (len(lats) + 1)
        leg_sizes[len(lats) // 2 + 1] = ARROW_SIZE
        sizes += leg_sizes
    return arc_lat, arc_lon, sizes


def _marker_labels(trip_stops: pd.DataFrame) -> list[str]:
    """'1 Kyiv'; a place visited twice shows both numbers on each of its markers: '1, 5 Kyiv'."""
    where = list(zip(trip_stops["lat"].round(3), trip_stops["lon"].round(3)))
    numbers: dict[tuple, list[str]] = {}
    for spot, number in zip(where, trip_stops["stop_no"]):
        numbers.setdefault(spot, []).append(str(number))
    return [f"{', '.join(numbers[spot])} {place}" for spot, place in zip(where, trip_stops["place"])]


def map_figure(stops: pd.DataFrame, events: pd.DataFrame | None = None, *, whole_world: bool = False,
               animate: bool = False, selected: tuple[str, int] | None = None,
               title: str | None = None, label_limit: int = 60) -> go.Figure:
    """The route map: great-circle legs with direction arrows and numbered stop markers.

    ``selected`` (trip id, stop number) is drawn highlighted; ``animate`` adds day-by-day
    frames with a play button. Labels are written on the map for up to ``label_limit`` stops
    per trip (beyond that they would hide the map) and stay in the hover text.
    """
    drawable = drawable_stops(stops)
    data = drawable.stops
    colours = stop_colours(data)
    trip_ids = list(dict.fromkeys(data["trip_id"]))
    several = len(trip_ids) > 1
    traces = []
    for index, trip_id in enumerate(trip_ids):
        mask = (data["trip_id"] == trip_id).to_numpy()
        trip_stops = data[mask]
        trip_name = str(trip_stops["trip"].iloc[0])
        colour = trip_colour(index) if several else ROUTE_COLOUR
        arc_lat, arc_lon, arrow_sizes = _route_arcs(trip_stops)
        traces.append(go.Scattergeo(
            lat=arc_lat, lon=arc_lon, mode="lines+markers", line=dict(width=2, color=colour),
            marker=dict(symbol="arrow", size=arrow_sizes, color=colour, angleref="previous", line=dict(width=0)),
            name=trip_name, legendgroup=trip_id, showlegend=True, hoverinfo="skip",
            meta=dict(role="route", trip_id=trip_id)))
        precise = ~trip_stops.get("precision", pd.Series(index=trip_stops.index, dtype=object)).isin(APPROXIMATE)
        trip_colours = [c for c, m in zip(colours, mask) if m]
        is_selected = [selected is not None and (trip_id, int(n)) == (selected[0], int(selected[1]))
                       for n in trip_stops["stop_no"]]
        labels = _marker_labels(trip_stops)
        traces.append(go.Scattergeo(
            lat=trip_stops["lat"].round(5).tolist(), lon=trip_stops["lon"].round(5).tolist(),
            mode="markers+text" if len(trip_stops) <= label_limit else "markers",
            text=labels, textposition="top right", textfont=dict(size=12, color="#1a1a1a"),
            hovertext=[hover_text(s, events) for s in trip_stops.itertuples()], hoverinfo="text",
            customdata=[[trip_id, int(n)] for n in trip_stops["stop_no"]],
            marker=dict(
                size=[18 if s else 12 for s in is_selected],
                color=[c if p else "rgba(255,255,255,0.6)" for c, p in zip(trip_colours, precise)],
                symbol=["circle" if p else "circle-open-dot" for p in precise],
                line=dict(width=[3 if s else 1.5 for s in is_selected],
                          color=["#000000" if s else c for s, c in zip(is_selected, trip_colours)]),
            ),
            name=f"{trip_name}: stops", legendgroup=trip_id, showlegend=False,
            meta=dict(role="stops", trip_id=trip_id)))
    if len(data) and not whole_world:
        traces.append(_padding_frame(data))
    fig = go.Figure(traces)
    fig.update_layout(
        geo=_view(data, whole_world),
        margin=dict(l=0, r=0, t=40 if title else 10, b=30),
        title=dict(text=html.escape(title), x=0.01) if title else None,
        legend=dict(orientation="h", yanchor="bottom", y=0.0, x=0.01, bgcolor="rgba(255,255,255,0.7)"),
        showlegend=several,
        uirevision="map",
        annotations=[dict(text=BASE_MAP_ATTRIBUTION, showarrow=False, xref="paper", yref="paper",
                          x=1, y=0, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))],
        meta=dict(warnings=drawable.warnings),
    )
    if animate and len(data):
        _add_tour_animation(fig, data)
    return fig


def _add_tour_animation(fig: go.Figure, data: pd.DataFrame) -> None:
    """Day-by-day frames: on each day, the legs and stops reached by then."""
    first, last = data["arrive"].min().normalize(), data["depart"].max().normalize()
    days = pd.date_range(first, last, freq="D")
    if len(days) > 400:  # a frame per day stops being readable; step by weeks instead
        days = pd.date_range(first, last, freq="7D")
    base = fig.data
    frames = []
    for day in days:
        reached = data[data["arrive"].dt.normalize() <= day]
        frame_traces = []
        animated = [i for i, trace in enumerate(base) if trace.meta["role"] != "view"]
        for trace in (base[i] for i in animated):
            trip_id = trace.meta["trip_id"]
            trip_reached = reached[reached["trip_id"] == trip_id]
            role = trace.meta["role"]
            if role == "route":
                arc_lat, arc_lon, sizes = _route_arcs(trip_reached)
                frame_traces.append(go.Scattergeo(lat=arc_lat, lon=arc_lon, marker=dict(size=sizes)))
            else:
                count = len(trip_reached)
                frame_traces.append(go.Scattergeo(
                    lat=list(trace.lat[:count]), lon=list(trace.lon[:count]),
                    text=list(trace.text[:count]), hovertext=list(trace.hovertext[:count]),
                    customdata=list(trace.customdata[:count]),
                    marker=dict(size=_head(trace.marker.size, count), color=_head(trace.marker.color, count),
                                symbol=_head(trace.marker.symbol, count),
                                line=dict(width=_head(trace.marker.line.width, count),
                                          color=_head(trace.marker.line.color, count)))))
        frames.append(go.Frame(data=frame_traces, name=day.strftime("%Y-%m-%d"), traces=animated))
    fig.frames = frames
    step_args = dict(mode="immediate", frame=dict(duration=700, redraw=True), transition=dict(duration=0))
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="left", x=0.01, y=1.0, xanchor="left", yanchor="top",
                          pad=dict(t=4, r=4), showactive=False, buttons=[
                              dict(label="▶ Play the tour", method="animate", args=[None, dict(step_args, fromcurrent=True)]),
                              dict(label="❚❚ Pause", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))]),
                          ])],
        sliders=[dict(active=len(frames) - 1, x=0.2, len=0.78, y=1.0, yanchor="top", pad=dict(t=4),
                      currentvalue=dict(prefix="Day: "),
                      steps=[dict(label=f.name, method="animate", args=[[f.name], step_args]) for f in frames])],
    )


def _head(values, count):
    return list(values[:count]) if isinstance(values, (list, tuple)) else values


# ---------------------------------------------------------------------------- timeline


def _bar_end(stop) -> pd.Timestamp:
    """A date-only departure means the whole of that day."""
    if bool(getattr(stop, "depart_has_time", False)):
        return stop.depart
    return stop.depart.normalize() + pd.Timedelta(days=1)


def timeline_figure(stops: pd.DataFrame, events: pd.DataFrame | None = None, *,
                    selected: tuple[str, int] | None = None, title: str | None = None) -> go.Figure:
    """A Gantt-style bar per stop on a day axis with weekdays, events as markers at their time.

    Stops are listed top-down in travel order and grouped by trip when there are several.
    Dates are local to each stop. Stops without coordinates still appear here.
    """
    drawable_stops(stops.assign(lat=0.0, lon=0.0) if len(stops) else stops)  # column check only
    colours = stop_colours(stops)
    several = stops["trip_id"].nunique() > 1
    starts = [s.arrive.normalize() if not s.arrive_has_time else s.arrive for s in stops.itertuples()] \
        if len(stops) else []
    ends = [_bar_end(s) for s in stops.itertuples()]
    labels = [f"{s.stop_no} {s.place}" for s in stops.itertuples()]
    y = [list(stops["trip"].astype(str)), labels] if several else labels
    is_selected = [selected is not None and (s.trip_id, int(s.stop_no)) == (selected[0], int(selected[1]))
                   for s in stops.itertuples()]
    durations_ms = [(end - start) / pd.Timedelta(milliseconds=1) for start, end in zip(starts, ends)]
    fig = go.Figure(go.Bar(
        base=[s.isoformat() for s in starts], x=durations_ms, y=y, orientation="h",
        marker=dict(color=colours, line=dict(width=[3 if s else 0 for s in is_selected], color="#000000"),
                    opacity=1.0),
        hovertext=[hover_text(s, events) for s in stops.itertuples()], hoverinfo="text",
        customdata=[[s.trip_id, int(s.stop_no)] for s in stops.itertuples()],
        name="stops", showlegend=False, meta=dict(role="stops"),
    ))
    timed = _timed_events(stops, events)
    if len(timed):
        fig.add_trace(go.Scatter(
            x=timed["time"], y=[list(timed["trip"]), list(timed["label"])] if several else list(timed["label"]),
            mode="markers", marker=dict(symbol="diamond", size=11, color="#111111", line=dict(color="white", width=1)),
            hovertext=timed["hover"], hoverinfo="text", name="events", showlegend=False,
            customdata=timed[["trip_id", "stop_no"]].values.tolist(), meta=dict(role="events")))
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(type="date", tickformat="%a<br>%d %b", dtick=86400000.0 if _span_days(starts, ends) <= 31 else None,
                   showgrid=True, gridcolor="#e5e5e5"),
        yaxis=dict(autorange="reversed", type="multicategory" if several else "category"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        title=dict(text=html.escape(title), x=0.01) if title else None,
        plot_bgcolor="white", height=max(220, 60 + 28 * len(stops)) if len(stops) <= 60 else 60 + 8 * len(stops),
        uirevision="timeline",
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
        label=[f"{n} {p}" for n, p in zip(timed["stop_no"], timed["place"])],
        hover=[f"{html.escape(t)}<br>[{html.escape(k)}] {html.escape(x)}"
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
    out = []
    for trip_id, trip_stops in stops.groupby("trip_id", sort=False):
        located = trip_stops.dropna(subset=["lat", "lon"])
        legs = []
        rows = list(located.itertuples())
        for a, b in zip(rows, rows[1:]):
            legs.append((a.place, b.place, distance_km(a.lat, a.lon, b.lat, b.lon)))
        country_column = "country_name" if "country_name" in trip_stops else (
            "country_code" if "country_code" in trip_stops else "country")
        countries = [c for c in dict.fromkeys(trip_stops[country_column]) if isinstance(c, str) and c]
        first, last = trip_stops["arrive"].min(), trip_stops["depart"].max()
        n_events = 0 if events is None else int((events["trip_id"] == trip_id).sum())
        out.append(TripSummary(
            trip_id=str(trip_id), trip=str(trip_stops["trip"].iloc[0]), leader=str(trip_stops["leader"].iloc[0]),
            stops=len(trip_stops), days=int((last.normalize() - first.normalize()).days) + 1,
            countries=countries, events=n_events, distance_km=sum(leg[2] for leg in legs), legs=legs))
    return out


def itinerary_text(stops: pd.DataFrame, events: pd.DataFrame | None = None) -> str:
    """A plain-text itinerary, one line per stop: the figures' alt text and the screen-reader view."""
    lines = []
    for summary in trip_summaries(stops, events):
        lines.append(f"{summary.leader}: {summary.trip}. {summary.text()}.")
        trip_stops = stops[stops["trip_id"] == summary.trip_id]
        for stop in trip_stops.itertuples():
            stop_events = _events_of(events, stop.trip_id, stop.stop_no)
            what = "; ".join(f"{e.kind}: {e.text.rstrip('.')}" for e in stop_events.itertuples())
            where = stop.place if not isinstance(getattr(stop, "country_name", None), str) \
                else f"{stop.place}, {stop.country_name}"
            line = f"{stop.stop_no}. {where}, {stop_dates(stop)}"
            if isinstance(getattr(stop, "precision", None), str) and stop.precision in APPROXIMATE:
                line += f" (placed approximately, at the {stop.precision} centre)"
            lines.append(line + (f". {what}" if what else "."))
    return "\n".join(lines)
