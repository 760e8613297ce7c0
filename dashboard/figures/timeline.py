"""The timeline: a bar per stop on a day axis, events as marks on it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    REQUIRED_COLUMNS,
    _hover_columns,
    _require_columns,
    date_labels,
    events_by_stop,
    hover_texts,
    plotly_text,
    stop_colours,
)
from dashboard.itinerary import frame_rows


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
