"""A traveller's whole record: every trip on one map (by trip or by year), trips per country,
trips across the years, a comparison with a second traveller, a search across both, a click on
a trip opens it above, and the record as one standalone HTML file."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import countries, state
from dashboard.export import standalone_html
from dashboard.features.common import blank_figure
from dashboard.figures import collection
from dashboard.itinerary import frame_rows, led_by, slugify


def collection_section(catalogue: dict, config: dict):
    """A traveller's whole record: every trip on one map, trips per country, trips across the
    years, a comparison with a second traveller and a search."""
    travellers = state.traveller_options(catalogue)
    first = travellers[0]["value"] if travellers else None
    # The year slider starts on the first traveller's years, so the record draws in the page's
    # first round of callbacks instead of waiting for the slider's own.
    low, high, span, marks = state.years_of(catalogue, first)
    return html.Section(className="collection", children=[
        html.H2("A traveller's record"),
        # Set by assets/below_fold.js once the trip's map is drawn, or sooner when the reader
        # scrolls near: the record's figures never compete with the first screen's map.
        dcc.Store(id="record-wanted", data=False),
        html.Div(className="collection-controls", children=[
            html.Label(["Traveller ", dcc.Dropdown(id="traveller", options=travellers, value=first, clearable=False,
                                                   className="traveller-picker")], className="picker-label"),
            html.Label(["Compare with ", dcc.Dropdown(id="compare-with", options=travellers, value=None,
                                                      placeholder="another traveller", className="traveller-picker")],
                       className="picker-label"),
            dcc.RadioItems(id="colour-by", options=[{"label": " colour by trip", "value": "tour"},
                                                    {"label": " colour by year", "value": "year"}],
                           value="tour", inline=True, className="view-options"),
            html.Label(["Search ", dcc.Input(id="collection-search", type="search", debounce=True,
                                             placeholder="place, country or person")], className="picker-label"),
            html.Button("This record as HTML", id="export-collection", n_clicks=0),
        ]),
        html.Div(className="years", children=[
            html.Span("Years", id="years-label"),
            dcc.RangeSlider(id="years", min=low, max=high, step=1, value=span, marks=marks, allowCross=False,
                            allow_direct_input=False,
                            tooltip={"placement": "bottom", "always_visible": False}),
        ]),
        html.P(id="collection-summary", className="summary"),
        html.Div(className="figures", children=[
            html.Div(className="figure map", children=dcc.Graph(
                id="collection-map", config=config, figure=blank_figure(), style={"height": "100%", "width": "100%"})),
            html.Div(className="figure map", children=dcc.Graph(
                id="visits-map", config=config, figure=blank_figure(), style={"height": "100%", "width": "100%"})),
        ]),
        dcc.Graph(id="tours-timeline", config=config, figure=blank_figure()),
        html.Div(id="comparison", className="comparisons"),
        html.Div(id="search-results", role="status", **{"aria-live": "polite"}),
    ])


SEARCH_RESULTS_SHOWN = 50


def traveller_options(shipped, own) -> list[dict]:
    return state.traveller_options(state.view(shipped, own))


def collection_years(traveller, shipped, own):
    """The year slider's bounds, value and marks for one traveller."""
    return state.years_of(state.view(shipped, own), traveller)


def render_collection(traveller, other, colour_by, years, query, shipped, own, iso3: dict, continents: dict) -> dict:
    """A traveller's record: every tour on one map, tours per country, the tours across the
    years, a comparison with a second traveller, and a search across both."""
    leaders = [t for t in dict.fromkeys([traveller, other]) if t]
    stops, events, _ = state.leader_frames(state.view(shipped, own), leaders)
    if stops.empty:
        return dict(record_map=collection.collection_map(stops), visits_map=collection.visits_map(stops, iso3),
                    tours_timeline=collection.tours_timeline(stops), summary="No traveller picked.", comparison=[],
                    search_results=[])
    if years and len(years) == 2:
        stops = collection.in_years(stops, int(years[0]), int(years[1]))
    own_stops = stops[stops["leader"] == traveller]
    tour_list = collection.tours(own_stops)
    countries = collection.visits_by_country(own_stops)
    span = collection.year_range(own_stops)
    summary = (f"{traveller}: {len(tour_list)} trip(s), {len(own_stops)} stop(s) in {len(countries)} countries"
               + (f", {span[0]} to {span[1]}" if span else "") + ". Click a trip on the map or the timeline "
               "to open it above.")
    comparison = []
    if other and other != traveller:
        for by in ("region", "country", "year"):
            table = collection.compare(stops, [traveller, other], by, continents)
            comparison.append(_table(f"Trips per {by}", table, limit=15 if by == "country" else None))
    results = []
    if query and str(query).strip():
        found = collection.search(stops, events, str(query))
        items = [html.Li(led_by(s['leader'], f"{s['trip']}, stop {s['stop_no']}: {s['place']} ({s['arrive']:%d %b %Y})"))
                 for s in frame_rows(found.head(SEARCH_RESULTS_SHOWN))]
        more = len(found) - SEARCH_RESULTS_SHOWN
        results = [html.P(f"{len(found)} stop(s) mention '{query}'" + (f"; the first {SEARCH_RESULTS_SHOWN}:" if more > 0 else ":")),
                   html.Ul(items)] if items else [html.P(f"No stop mentions '{query}'.")]
    return dict(record_map=collection.collection_map(own_stops, colour_by=colour_by or "tour"),
                visits_map=collection.visits_map(own_stops, iso3),
                tours_timeline=collection.tours_timeline(stops, colour_by=colour_by or "tour"),
                summary=summary, comparison=comparison, search_results=results)


def _table(caption: str, table: pd.DataFrame, limit: int | None = None):
    shown = table.head(limit) if limit else table
    header = html.Tr([html.Th(str(c)) for c in shown.columns])
    rows = [html.Tr([html.Td(str(v)) for v in row]) for row in shown.itertuples(index=False)]
    note = [html.Caption(caption + (f" (top {limit} of {len(table)})" if limit and len(table) > limit else ""))]
    return html.Table(note + [html.Thead(header), html.Tbody(rows)], className="comparison")


def tour_from_click(map_click, timeline_click):
    """The trip a click on the collection map or the tours timeline points at, else no change."""
    for click in (map_click, timeline_click) if ctx.triggered_id != "tours-timeline" else (timeline_click,):
        try:
            trip_id = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            continue
        if isinstance(trip_id, str):
            return trip_id
    return no_update


def export_collection(n_clicks, traveller, years, shipped, own):
    """The traveller's trips (within the years shown) as one standalone HTML file."""
    if not n_clicks or not traveller:
        return no_update
    stops, events, _ = state.leader_frames(state.view(shipped, own), [traveller])
    if years and len(years) == 2:
        stops = collection.in_years(stops, int(years[0]), int(years[1]))
        events = events[events["trip_id"].isin(set(stops["trip_id"]))]
    if stops.empty:
        return no_update
    title = f"{traveller}: {stops['trip_id'].nunique()} trips, {stops['arrive'].min():%Y} to {stops['depart'].max():%Y}"
    page = standalone_html(stops.reset_index(drop=True), events.reset_index(drop=True), title=title)
    return {"content": page, "filename": f"{slugify(traveller)}-trips.html", "type": "text/html"}


def register(app, services, shipped) -> None:
    @app.callback(Output("traveller", "options"), Output("compare-with", "options"), Input("catalogue", "data"))
    def _travellers(own):
        options = traveller_options(shipped(), own)
        return options, options

    @app.callback(Output("years", "min"), Output("years", "max"), Output("years", "value"), Output("years", "marks"),
                  Input("traveller", "value"), State("catalogue", "data"), prevent_initial_call=True)
    def _years(traveller, own):
        return collection_years(traveller, shipped(), own)

    @app.callback(output=dict(record_map=Output("collection-map", "figure"), visits_map=Output("visits-map", "figure"),
                              tours_timeline=Output("tours-timeline", "figure"),
                              summary=Output("collection-summary", "children"),
                              comparison=Output("comparison", "children"),
                              search_results=Output("search-results", "children")),
                  inputs=dict(traveller=Input("traveller", "value"), other=Input("compare-with", "value"),
                              colour_by=Input("colour-by", "value"), years=Input("years", "value"),
                              query=Input("collection-search", "value"), wanted=Input("record-wanted", "data"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _collection(traveller, other, colour_by, years, query, wanted, own):
        if not wanted:
            raise PreventUpdate
        return render_collection(traveller, other, colour_by, years, query, shipped(), own, countries.iso3_codes(),
                                 countries.continents())

    @app.callback(Output("trip-picker", "value", allow_duplicate=True), Input("collection-map", "clickData"),
                  Input("tours-timeline", "clickData"), prevent_initial_call=True)
    def _open_tour(map_click, timeline_click):
        return tour_from_click(map_click, timeline_click)

    @app.callback(Output("download", "data", allow_duplicate=True), Input("export-collection", "n_clicks"),
                  State("traveller", "value"), State("years", "value"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _export_collection(n_clicks, traveller, years, own):
        return export_collection(n_clicks, traveller, years, shipped(), own)
