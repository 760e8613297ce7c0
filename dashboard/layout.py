"""The dashboard's layout, built per page load from the current catalogue of trips."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.state import traveller_options, trip_options, years_of

GRID_COLUMNS = [
    {"field": "stop_no", "headerName": "#", "width": 60, "editable": False},
    {"field": "place", "headerName": "Place", "editable": True, "minWidth": 160},
    {"field": "country", "headerName": "Country hint", "editable": True, "width": 120},
    {"field": "arrive", "headerName": "Arrive", "editable": False, "width": 120},
    {"field": "depart", "headerName": "Depart", "editable": False, "width": 120},
    {"field": "lat", "headerName": "Lat", "editable": True, "width": 100, "cellDataType": "number"},
    {"field": "lon", "headerName": "Lon", "editable": True, "width": 100, "cellDataType": "number"},
    {"field": "precision", "headerName": "Precision", "editable": False, "width": 110},
    # "check" stands out: the stop's dot is a guess between same-name places or a near spelling.
    {"field": "confidence", "headerName": "Confidence", "editable": False, "width": 120,
     "cellClassRules": {"needs-review": "params.value === 'check'", "approximate": "params.value === 'approximate'"}},
    {"field": "matched_name", "headerName": "Matched", "editable": False, "minWidth": 150},
    {"field": "geo_source", "headerName": "Source", "editable": False, "width": 110},
    {"field": "geocode_note", "headerName": "Geocoding note", "editable": False, "minWidth": 220},
]


def graph_config(topojson_url: str) -> dict:
    # topojsonURL: plotly.js fetches the base map from the app itself, never from a CDN.
    return {"topojsonURL": topojson_url, "displaylogo": False, "responsive": True, "scrollZoom": False,
            "toImageButtonOptions": {"format": "png", "filename": "trip-map", "scale": 2}}


def build_layout(catalogue: dict, problems: list[dict], topojson_url: str):
    options = trip_options(catalogue)
    first = options[0]["value"] if options else None
    config = graph_config(topojson_url)
    return html.Div(className="app", children=[
        html.Header(className="toolbar", children=[
            html.H1("Trip timeline"),
            html.Label(["Trip ", dcc.Dropdown(id="trip-picker", options=options, value=first, clearable=False,
                                              placeholder="Pick a trip", className="trip-picker")],
                       className="picker-label"),
            dcc.Upload(id="upload", className="upload", multiple=False, accept=".csv,.json,.txt,.xml",
                       children=html.Div(["Drop a CSV or JSON itinerary or official travel records (XML) here, or ", html.A("choose a file")])),
            dcc.Checklist(id="view-options", options=[{"label": " Whole world", "value": "world"}], value=[],
                          className="view-options"),
            html.Div(className="exports", children=[
                html.Button("Map as HTML", id="export-html", n_clicks=0),
                html.Button("Stops as CSV", id="export-csv", n_clicks=0),
                html.Button("Itinerary as JSON", id="export-json", n_clicks=0),
                dcc.Download(id="download"),
            ]),
        ]),
        draft_section(),
        html.Div(id="messages", role="status", **{"aria-live": "polite"},
                 children=problem_list(problems)),
        # The figures stay visible (dimmed) while a callback runs: a hidden graph measures 0 px,
        # and plotly.js would then redraw the map 2 px tall. The map's height belongs to its
        # frame, which the responsive graph fills; the timeline's height comes from its figure.
        dcc.Loading(id="loading", type="circle", delay_show=250,
                    overlay_style={"visibility": "visible", "opacity": 0.6},
                    children=html.Div(className="figures", children=[
                        html.Div(className="figure map", children=dcc.Graph(
                            id="map", config=config, figure=_blank(), style={"height": "100%", "width": "100%"})),
                        html.Div(className="figure timeline", children=dcc.Graph(
                            id="timeline", config=config, figure=_blank())),
                    ])),
        html.Div(className="panels", children=[
            html.Section(className="panel", children=[html.H2("Summary"), html.Div(id="summary")]),
            html.Section(className="panel", children=[
                html.H2("Selected stop"),
                html.Div(id="stop-details", children="Click a stop on the map or the timeline."),
                html.Div(id="candidate-box", children=[
                    html.Label("Did you mean another place? ", htmlFor="candidate-picker"),
                    dcc.Dropdown(id="candidate-picker", options=[], placeholder="Pick a candidate"),
                    html.Button("Forget the saved choice for this place", id="forget-choice", n_clicks=0,
                                className="secondary"),
                ]),
            ]),
            html.Section(className="panel", children=[
                html.H2("Itinerary"), html.Pre(id="itinerary-text", className="itinerary")]),
        ]),
        html.Section(children=[
            html.H2("Stops"),
            html.P("Edit a place or country hint to geocode it again, or type coordinates to pin a stop. "
                   "Choices are remembered.", className="hint"),
            dag.AgGrid(id="stops-grid", columnDefs=GRID_COLUMNS, rowData=[], columnSize="responsiveSizeToFit",
                       defaultColDef={"resizable": True, "sortable": False},
                       getRowId="params.data.stop_no",
                       dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                         "enableClickSelection": True},
                                        "domLayout": "autoHeight", "stopEditingWhenCellsLoseFocus": True},
                       className="ag-theme-alpine"),
        ]),
        collection_section(catalogue, config),
        html.Footer("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), via plotly.js. "
                    "Served by this app; nothing is fetched from the internet."),
        dcc.Store(id="catalogue", storage_type="session"),
        dcc.Store(id="selection", data=None),
    ])


def draft_section():
    """Paste a news report, get a draft itinerary with its evidence, add it to this browser's trips."""
    return html.Details(className="draft", children=[
        html.Summary("Draft a trip from a news article"),
        html.Label("Article text", htmlFor="article-text"),
        dcc.Textarea(id="article-text", placeholder="Paste the report here", className="article-text"),
        html.Div(className="draft-controls", children=[
            html.Label(["Published ", dcc.Input(id="article-published", type="date", debounce=True)]),
            html.Button("Draft", id="draft-button", n_clicks=0),
            html.Button("Add to my trips", id="draft-add", n_clicks=0, className="secondary"),
        ]),
        html.Div(id="draft-result", role="status", **{"aria-live": "polite"}),
        dcc.Store(id="draft-store"),
    ])


def collection_section(catalogue: dict, config: dict):
    """A traveller's whole record: every trip on one map, trips per country, trips across the
    years, a comparison with a second traveller and a search."""
    travellers = traveller_options(catalogue)
    first = travellers[0]["value"] if travellers else None
    # The year slider starts on the first traveller's years, so the record draws in the page's
    # first round of callbacks instead of waiting for the slider's own.
    low, high, span, marks = years_of(catalogue, first)
    return html.Section(className="collection", children=[
        html.H2("A traveller's record"),
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
                            tooltip={"placement": "bottom", "always_visible": False}),
        ]),
        html.P(id="collection-summary", className="summary"),
        html.Div(className="figures", children=[
            html.Div(className="figure map", children=dcc.Graph(
                id="collection-map", config=config, figure=_blank(), style={"height": "100%", "width": "100%"})),
            html.Div(className="figure map", children=dcc.Graph(
                id="visits-map", config=config, figure=_blank(), style={"height": "100%", "width": "100%"})),
        ]),
        dcc.Graph(id="tours-timeline", config=config, figure=_blank()),
        html.Div(id="comparison", className="comparisons"),
        html.Div(id="search-results", role="status", **{"aria-live": "polite"}),
    ])


def problem_list(problems: list[dict]):
    if not problems:
        return []
    items = [html.Li(f"{p['severity']}: {problem_text(p)}", className=p["severity"]) for p in problems[:200]]
    if len(problems) > 200:
        items.append(html.Li(f"... and {len(problems) - 200} more"))
    return [html.Ul(items, className="problems")]


def problem_text(problem: dict) -> str:
    where = ", ".join(x for x in (problem.get("file"), problem.get("location"),
                                  f"column '{problem['column']}'" if problem.get("column") else None) if x)
    text = f"{where}: {problem['message']}" if where else problem["message"]
    if problem.get("value") is not None:
        text += f" (found {problem['value']!r})"
    return text


def _blank():
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 300}}
