"""Views of a collection: every tour of one traveller (or two, compared) at once.

Pure builders like the trip figures: frames and options in, figure or table out; no Dash.
``stops`` is a geocoded stops frame holding several tours (``trip_id``), each in travel order.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import BASE_MAP_ATTRIBUTION, PALETTE, plotly_text
from dashboard.figures.map import map_view

COLOUR_BY = ("tour", "year")
YEAR_SCALE = "Viridis"  # perceptually even and readable for colour-blind readers
# Above this many tours, colouring by tour names decades in the legend, not tours.
LEGEND_TOURS = 12
MAX_HOVER_COUNTRIES = 6


@dataclass(frozen=True)
class Tour:
    trip_id: str
    title: str
    leader: str
    start: pd.Timestamp
    end: pd.Timestamp
    stops: int
    countries: tuple[str, ...]

    @property
    def year(self) -> int:
        return int(self.start.year)


def tours(stops: pd.DataFrame) -> list[Tour]:
    """One summary per tour, in the order of their start dates."""
    if stops.empty:
        return []
    country = stops["country_name"] if "country_name" in stops else stops["country"]
    frame = stops.assign(_country=country.fillna(stops["country"]).fillna(""))
    out = []
    for trip_id, group in frame.groupby("trip_id", sort=False):
        out.append(Tour(trip_id, str(group["trip"].iloc[0]), str(group["leader"].iloc[0]),
                        group["arrive"].min(), group["depart"].max(), len(group),
                        tuple(c for c in dict.fromkeys(group["_country"]) if c)))
    return sorted(out, key=lambda t: (t.start, t.trip_id))


def year_range(stops: pd.DataFrame) -> tuple[int, int] | None:
    if stops.empty:
        return None
    return int(stops["arrive"].min().year), int(stops["depart"].max().year)


def in_years(stops: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The tours that start within [first, last] (whole tours: a tour is never cut in two)."""
    starts = stops.groupby("trip_id")["arrive"].transform("min").dt.year
    return stops[(starts >= first) & (starts <= last)]


def search(stops: pd.DataFrame, events: pd.DataFrame, text: str) -> pd.DataFrame:
    """The stops whose place, country, matched name, events or people mention ``text``
    (case- and accent-insensitive)."""
    needle = _fold(text)
    if not needle:
        return stops.iloc[0:0]
    fields = [stops[c].fillna("").astype(str) for c in ("place", "country", "country_name", "matched_name")
              if c in stops]
    haystack = fields[0].map(_fold)
    for field in fields[1:]:
        haystack = haystack + " " + field.map(_fold)
    hit = haystack.str.contains(needle, regex=False)
    if events is not None and not events.empty:
        said = (events["text"].fillna("") + " " + events["people"].fillna("")).map(_fold)
        keys = set(zip(events.loc[said.str.contains(needle, regex=False), "trip_id"],
                       events.loc[said.str.contains(needle, regex=False), "stop_no"]))
        hit |= pd.Series([k in keys for k in zip(stops["trip_id"], stops["stop_no"])], index=stops.index)
    return stops[hit]


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def _tour_colours(tour_list: list[Tour], colour_by: str) -> dict[str, str]:
    if colour_by == "year" and tour_list:
        from plotly.colors import sample_colorscale

        first, last = tour_list[0].year, max(t.year for t in tour_list)
        span = max(last - first, 1)
        samples = sample_colorscale(YEAR_SCALE, [(t.year - first) / span for t in tour_list])
        return {t.trip_id: c for t, c in zip(tour_list, samples)}
    return {t.trip_id: PALETTE[i % len(PALETTE)] for i, t in enumerate(tour_list)}


def collection_map(stops: pd.DataFrame, *, colour_by: str = "tour", whole_world: bool = False,
                   title: str | None = None) -> go.Figure:
    """Every tour's route and stops on one map, coloured by tour or by year.

    A legend entry per tour stays readable up to LEGEND_TOURS tours; beyond that tours are
    grouped by decade in the legend (a click hides a decade), and by year the colour bar is the
    legend. Each stop's customdata is [trip_id, stop_no]: a click opens that tour.
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}; received {colour_by!r}")
    data = stops[stops["lat"].notna() & stops["lon"].notna()]
    tour_list = tours(data)
    colours = _tour_colours(tour_list, colour_by)
    by_decade = colour_by == "tour" and len(tour_list) > LEGEND_TOURS
    positions = data.groupby("trip_id", sort=False).indices if len(data) else {}
    lats, lons = data["lat"].to_numpy(float), data["lon"].to_numpy(float)
    traces, seen_groups = [], set()
    for tour in tour_list:
        rows = positions[tour.trip_id]
        group = f"{tour.year // 10 * 10}s" if by_decade else tour.trip_id
        name = group if by_decade else f"{tour.start:%Y-%m} {tour.title}"
        hover = plotly_text(f"{tour.title} ({tour.start:%d %b %Y} to {tour.end:%d %b %Y})")
        traces.append(dict(
            type="scattergeo", lat=lats[rows], lon=lons[rows], mode="lines+markers",
            line=dict(width=1.5, color=colours[tour.trip_id]),
            marker=dict(size=6, color=colours[tour.trip_id], line=dict(width=0.5, color="#ffffff")),
            customdata=[[tour.trip_id, int(n)] for n in data["stop_no"].to_numpy()[rows]],
            hovertext=[f"<b>{plotly_text(p)}</b><br>{hover}" for p in data["place"].to_numpy()[rows]],
            hoverinfo="text", name=plotly_text(name), legendgroup=group,
            showlegend=colour_by == "tour" and group not in seen_groups,
            meta=dict(role="tour", trip_id=tour.trip_id)))
        seen_groups.add(group)
    if colour_by == "year" and tour_list:
        years = [t.year for t in tour_list]
        traces.append(dict(
            type="scattergeo", lat=[None], lon=[None], mode="markers", hoverinfo="skip", showlegend=False,
            marker=dict(color=[min(years)], colorscale=YEAR_SCALE, cmin=min(years), cmax=max(max(years), min(years) + 1),
                        showscale=True, colorbar=dict(title=dict(text="Year"), thickness=12, len=0.6)),
            meta=dict(role="year-scale")))
    fig = go.Figure(data=traces, _validate=False)
    fig.update_layout(
        geo=map_view(data, whole_world), margin=dict(l=0, r=0, t=40 if title else 10, b=30),
        title=dict(text=plotly_text(title), x=0.01) if title else None,
        legend=dict(title=dict(text="Decade" if by_decade else "Tour"), itemclick="toggle",
                    bgcolor="rgba(255,255,255,0.7)"),
        annotations=[dict(text=BASE_MAP_ATTRIBUTION, showarrow=False, xref="paper", yref="paper",
                          x=1, y=0, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))],
        uirevision="collection|" + "|".join(t.trip_id for t in tour_list[:1]) + colour_by,
    )
    return fig


def visits_by_country(stops: pd.DataFrame) -> pd.DataFrame:
    """Tours per country (a tour with three stops in France counts once), with the years."""
    placed = stops[stops["country_code"].notna()] if "country_code" in stops else stops.iloc[0:0]
    if placed.empty:
        return pd.DataFrame(columns=["country_code", "country", "tours", "years"])
    name = placed["country_name"].fillna(placed["country_code"]) if "country_name" in placed else placed["country_code"]
    frame = placed.assign(_name=name, _year=placed["arrive"].dt.year)
    rows = []
    for code, group in frame.groupby("country_code"):
        years = sorted(set(group["_year"]))
        rows.append({"country_code": code, "country": group["_name"].iloc[0], "tours": group["trip_id"].nunique(),
                     "years": ", ".join(str(y) for y in years)})
    return pd.DataFrame(rows, columns=["country_code", "country", "tours", "years"]).sort_values(
        ["tours", "country"], ascending=[False, True], ignore_index=True)


def visits_map(stops: pd.DataFrame, iso3: dict[str, str], *, title: str | None = None) -> go.Figure:
    """A choropleth of tours per country on the shipped world base map (ISO 3166-1 alpha-3
    locations, which the base map carries)."""
    counts = visits_by_country(stops)
    counts = counts[counts["country_code"].isin(list(iso3))]
    hover = [plotly_text(f"{c}: {n} tour{'s' if n != 1 else ''} ({y})") for c, n, y in
             zip(counts["country"], counts["tours"], counts["years"])]
    trace = dict(type="choropleth", locationmode="ISO-3", locations=[iso3[c] for c in counts["country_code"]],
                 z=counts["tours"].tolist(), colorscale="Blues", reversescale=True, zmin=0, marker=dict(line=dict(color="#777", width=0.4)),
                 colorbar=dict(title=dict(text="Tours"), thickness=12, len=0.6), hovertext=hover, hoverinfo="text",
                 meta=dict(role="visits"))
    fig = go.Figure(data=[trace], _validate=False)
    fig.update_layout(
        geo=dict(map_view(stops.iloc[0:0], True), showcountries=True),
        margin=dict(l=0, r=0, t=40 if title else 10, b=30),
        title=dict(text=plotly_text(title), x=0.01) if title else None,
        annotations=[dict(text=BASE_MAP_ATTRIBUTION, showarrow=False, xref="paper", yref="paper",
                          x=1, y=0, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))])
    return fig


def tours_timeline(stops: pd.DataFrame, *, colour_by: str = "tour") -> go.Figure:
    """Every tour as a mark on a line of years, one line per traveller; the mark's size is the
    tour's number of stops, its colour the map's. customdata is [trip_id]: a click opens it."""
    tour_list = tours(stops)
    colours = _tour_colours(tour_list, colour_by)
    leaders = list(dict.fromkeys(t.leader for t in tour_list))
    traces = []
    for leader in leaders:
        own = [t for t in tour_list if t.leader == leader]
        traces.append(dict(
            type="scatter", mode="markers", x=[t.start.isoformat() for t in own], y=[plotly_text(leader)] * len(own),
            marker=dict(size=[min(8 + 2 * t.stops, 30) for t in own], color=[colours[t.trip_id] for t in own],
                        line=dict(width=1, color="#333"), opacity=0.85),
            customdata=[[t.trip_id] for t in own],
            hovertext=[f"<b>{plotly_text(t.title)}</b><br>"
                       + plotly_text(f"{t.start:%d %b %Y} to {t.end:%d %b %Y}, {t.stops} stop(s): "
                                     f"{', '.join(t.countries[:MAX_HOVER_COUNTRIES])}"
                                     + (" ..." if len(t.countries) > MAX_HOVER_COUNTRIES else "")) for t in own],
            hoverinfo="text", name=plotly_text(leader), showlegend=False, meta=dict(role="tours")))
    fig = go.Figure(data=traces, _validate=False)
    fig.update_layout(height=140 + 40 * max(len(leaders), 1), margin=dict(l=10, r=10, t=10, b=40),
                      xaxis=dict(type="date", title=None), yaxis=dict(title=None, automargin=True),
                      plot_bgcolor="white", hovermode="closest")
    return fig


def compare(stops: pd.DataFrame, leaders: list[str], by: str, continents: dict[str, str] | None = None) -> pd.DataFrame:
    """Tours per country, region (continent) or year for each of ``leaders``: one column each."""
    if by not in ("country", "region", "year"):
        raise ValueError(f"by must be country, region or year; received {by!r}")
    frame = stops[stops["leader"].isin(leaders)]
    if by == "year":
        key = frame["arrive"].dt.year.astype(str)
    elif by == "region":
        key = frame["country_code"].map(lambda c: (continents or {}).get(c, "unknown") if isinstance(c, str) else "unknown")
    else:
        key = frame["country_name"].fillna(frame["country"]) if "country_name" in frame else frame["country"]
    counted = (frame.assign(_key=key.fillna("unknown")).groupby(["_key", "leader"])["trip_id"].nunique()
               .unstack(fill_value=0).reindex(columns=leaders, fill_value=0))
    counted.index.name = by
    order = counted.sum(axis=1).sort_values(ascending=False).index if by != "year" else sorted(counted.index)
    return counted.loc[order].reset_index()


__all__ = ["COLOUR_BY", "Tour", "collection_map", "compare", "in_years", "search", "tours", "tours_timeline",
           "visits_by_country", "visits_map", "year_range"]
