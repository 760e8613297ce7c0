"""The timeline: a bar per stop on a day axis, events as marks on it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    FONT_FAMILY,
    REQUIRED_COLUMNS,
    _hover_columns,
    _require_columns,
    badge_style,
    chosen_rows,
    date_labels,
    hover_texts,
    plotly_text,
    stop_colours,
)
from dashboard.itinerary import events_by_stop, frame_rows

BAR_HALF_HEIGHT = 0.3  # of a row: the bar leaves room between rows for the legs
ROW_PX = 34
LEG_COLOUR = "#767676"  # 4.5:1 on white: the legs read, but stay behind the stops


def timeline_figure(stops: pd.DataFrame, events: pd.DataFrame | None = None, *,
                    selected: tuple[str, int] | None = None, title: str | None = None,
                    marker_date=None, marker_label: str = "Published") -> go.Figure:
    """A bar per stop on a day axis with weekday dates, the stop's number on it in the map's
    colour, its events as marks on the bar (at their time, else spread along it), and a thin
    line for each travel leg from one stop to the next. ``marker_date`` (publication, today)
    draws a labelled line.

    Stops are listed top-down in travel order and grouped by trip when there are several. Dates
    are local to each stop. Stops without coordinates still appear here. Only scatter traces
    and shapes: the export's small geo build of plotly.js draws it too.
    """
    _require_columns(stops, tuple(c for c in REQUIRED_COLUMNS if c not in ("lat", "lon")))
    records = frame_rows(_hover_columns(stops))
    colours = stop_colours(stops) if records else []
    several = stops["trip_id"].nunique() > 1
    start_series = stops["arrive"].where(stops["arrive_has_time"].astype(bool), stops["arrive"].dt.normalize())
    end_series = stops["depart"].where(stops["depart_has_time"].astype(bool),
                                       stops["depart"].dt.normalize() + pd.Timedelta(days=1))
    starts, ends = list(start_series), list(end_series)
    labels = [plotly_text(f"{r['stop_no']} {r['place']}") for r in records]
    trip_labels = [plotly_text(r["trip"]) for r in records]
    y = [trip_labels, labels] if several else labels
    chosen = chosen_rows(stops, selected)
    iso = lambda moments: [_iso(m) for m in moments]  # noqa: E731
    # Legs: along the stop's row to where the next stop of the same trip begins, then down to
    # it; stops given by date overlap on the travel day, and the leg is then a drop on that day.
    leg_x, leg_rows = [], []
    for i in range(len(records) - 1):
        if records[i]["trip_id"] == records[i + 1]["trip_id"]:
            turn = iso([starts[i + 1]])[0]
            leg_x += [iso([min(ends[i], starts[i + 1])])[0], turn, turn, None]
            leg_rows += [i, i, i + 1, None]
    fig = go.Figure(_validate=False)
    if leg_x:
        pick = lambda values: [values[i] if i is not None else None for i in leg_rows]  # noqa: E731
        fig.add_trace(dict(
            type="scatter", x=leg_x, y=[pick(trip_labels), pick(labels)] if several else pick(labels), mode="lines",
            line=dict(color=LEG_COLOUR, width=1.5, dash="dot"), hoverinfo="skip", showlegend=False,
            name="legs", meta=dict(role="legs")))
    fig.add_trace(dict(
        type="scatter", x=iso(starts), y=y, mode="markers+text",
        text=[str(r["stop_no"]) for r in records], textfont=dict(size=11, color="#1a1a1a"),
        marker=dict(symbol="circle", size=20, color="white",
                    line=badge_style(chosen, colours)["line"]),
        hovertext=hover_texts(records, events_by_stop(events), date_labels(stops)), hoverinfo="text",
        customdata=[[r["trip_id"], int(r["stop_no"])] for r in records],
        name="stops", showlegend=False, meta=dict(role="stops", colours=colours)))
    marks = _event_marks(stops, events, starts, ends, y)
    if len(marks["x"]):
        fig.add_trace(dict(
            type="scatter", x=marks["x"], y=marks["y"], mode="markers",
            marker=dict(symbol="diamond", size=10, color="#111111", line=dict(color="white", width=1.5)),
            hovertext=marks["hover"], hoverinfo="text", name="events", showlegend=False,
            customdata=marks["customdata"], meta=dict(role="events")))
    shapes = [dict(type="rect", xref="x", yref="y", x0=iso([a])[0], x1=iso([b])[0],
                   y0=i - BAR_HALF_HEIGHT, y1=i + BAR_HALF_HEIGHT, fillcolor=colour, line=dict(width=0),
                   layer="below") for i, (a, b, colour) in enumerate(zip(starts, ends, colours))]
    annotations = []
    if marker_date is not None:
        day = pd.Timestamp(marker_date).strftime("%Y-%m-%dT00:00:00")
        shapes.append(dict(type="line", xref="x", yref="paper", x0=day, x1=day, y0=0, y1=1,
                           line=dict(color="#1a1a1a", width=1, dash="dash"), layer="below"))
        annotations.append(dict(x=day, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                                text=plotly_text(f"{marker_label} {pd.Timestamp(marker_date):%a %d %b}"),
                                font=dict(size=11, color="#1a1a1a")))
    rows = len(records)
    pad = pd.Timedelta(hours=3)
    x_range = iso([min(starts) - pad, max(ends) + pad]) if records else None
    fig.update_layout(
        shapes=shapes, annotations=annotations,
        xaxis=dict(type="date", tickformat="%a<br>%d %b", dtick=86400000.0 if _span_days(starts, ends) <= 31 else None,
                   showgrid=True, gridcolor="#e5e5e5", automargin=True, range=x_range),
        yaxis=dict(autorange="reversed", type="multicategory" if several else "category", automargin=True,
                   showgrid=False, fixedrange=True),
        margin=dict(l=10, r=10, t=40 if title or marker_date is not None else 10, b=10),
        title=dict(text=plotly_text(title), x=0.01) if title else None,
        plot_bgcolor="white", paper_bgcolor="white", font=dict(family=FONT_FAMILY, color="#1a1a1a"),
        height=max(200, 70 + ROW_PX * rows) if rows <= 60 else 70 + 10 * rows,
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        uirevision="|".join(dict.fromkeys(stops["trip_id"].astype(str))),
    )
    return fig


def timeline_selection_patch(stops: pd.DataFrame, selected: tuple[str, int] | None) -> dict[tuple, object]:
    """What changes on ``timeline_figure(stops, ...)`` when only the selected stop changes, as
    (path in the figure -> new value): the rings of the stop numbers. Their trace comes after
    the legs' trace, which exists when two consecutive stops belong to one trip."""
    trip_ids = stops["trip_id"].tolist()
    index = 1 if any(a == b for a, b in zip(trip_ids, trip_ids[1:])) else 0
    return {("data", index, "marker", "line"): badge_style(chosen_rows(stops, selected), stop_colours(stops))["line"]}


def _event_marks(stops: pd.DataFrame, events: pd.DataFrame | None, starts, ends, y) -> dict:
    """Each event on its stop's bar: at its time when it has one, else spread evenly along the bar."""
    out = {"x": [], "y": [], "hover": [], "customdata": []}
    if events is None or events.empty:
        return out
    row_of = {(t, int(n)): i for i, (t, n) in enumerate(zip(stops["trip_id"], stops["stop_no"]))}
    grouped = events_by_stop(events)
    multi = isinstance(y[0], list) if y else False
    for key, stop_events in grouped.items():
        row = row_of.get((key[0], int(key[1])))
        if row is None:
            continue
        untimed = [e for e in stop_events if not _has_time(e)]
        for k, event in enumerate(stop_events):
            if _has_time(event):
                moment = pd.Timestamp(str(event["time"]))
                if moment.tzinfo is not None:
                    moment = moment.tz_localize(None)
            else:
                # Clear of the stop's number at the bar's start.
                share = 0.15 + 0.8 * (untimed.index(event) + 1) / (len(untimed) + 1)
                moment = starts[row] + (ends[row] - starts[row]) * share
            out["x"].append(_iso(moment)[:16])
            out["y"].append([y[0][row], y[1][row]] if multi else y[row])
            when = f"{plotly_text(event['time'])}<br>" if _has_time(event) else ""
            out["hover"].append(f"{when}[{plotly_text(event['kind'])}] {plotly_text(event['text'])}")
            out["customdata"].append([key[0], int(key[1])])
    if multi:
        out["y"] = [[v[0] for v in out["y"]], [v[1] for v in out["y"]]]
    return out


def _iso(moment: pd.Timestamp) -> str:
    """ISO text from the parts: strftime refuses the end of the calendar (9999-12-31 + 1 day)."""
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
            f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")


def _has_time(event: dict) -> bool:
    value = event.get("time")
    return isinstance(value, str) and len(value) >= 16 and value[10] == "T"


def _span_days(starts, ends) -> float:
    if not starts:
        return 0.0
    return (max(ends) - min(starts)) / pd.Timedelta(days=1)
