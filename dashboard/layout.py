"""The dashboard's layout, built per page load from the current catalogue of trips."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.state import traveller_options, trip_options, years_of

GRID_COLUMNS = [
    {"field": "stop_no", "headerName": "#", "width": 60, "editable": False},
    {"field": "place", "headerName": "Place", "editable": True, "minWidth": 160},
    {"field": "country", "headerName": "Country hint", "editable": True, "width": 120},
    # Wide enough for "Sun 24 Aug 2025": a date cut short is a date misread.
    {"field": "arrive", "headerName": "Arrive", "editable": False, "minWidth": 150},
    {"field": "depart", "headerName": "Depart", "editable": False, "minWidth": 150},
    {"field": "lat", "headerName": "Lat", "editable": True, "minWidth": 115, "cellDataType": "number"},
    {"field": "lon", "headerName": "Lon", "editable": True, "minWidth": 115, "cellDataType": "number"},
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


def build_layout(catalogue: dict, problems: list[dict], topojson_url: str, sharing: dict | None = None):
    """Title and summary, then the map as the hero with the selected stop and the itinerary
    beside it, the timeline under them, then the tools: add or draft a trip, the stops grid,
    a traveller's record."""
    options = trip_options(catalogue)
    first = options[0]["value"] if options else None
    config = graph_config(topojson_url)
    return html.Div(className="app", children=[
        html.Header(className="toolbar", children=[
            html.P("Trip timeline", className="brand"),
            html.Label([html.Span("Trip", className="label-text"),
                        dcc.Dropdown(id="trip-picker", options=options, value=first, clearable=False,
                                     placeholder="Pick a trip", className="trip-picker")],
                       className="picker-label trip-label"),
            dcc.Checklist(id="view-options", options=[{"label": " Whole world", "value": "world"}], value=[],
                          className="view-options"),
            html.Div(className="exports", role="group", **{"aria-label": "Download this trip"}, children=[
                html.Button("Map as HTML", id="export-html", n_clicks=0),
                html.Button("Stops as CSV", id="export-csv", n_clicks=0),
                html.Button("Itinerary as JSON", id="export-json", n_clicks=0),
                dcc.Download(id="download"),
            ]),
        ]),
        html.Main(className="content", children=[
            html.Div(id="messages", role="status", **{"aria-live": "polite"}, children=problem_list(problems)),
            html.Div(id="summary", className="trip-header"),
            # The figures stay visible (dimmed) while a callback runs: a hidden graph measures
            # 0 px, and plotly.js would then redraw the map 2 px tall. The map's size belongs to
            # its frame (the map's aspect, as tall as the first screen allows), which the
            # responsive graph fills; the timeline's height comes from its figure.
            dcc.Loading(id="loading", type="circle", delay_show=250,
                        overlay_style={"visibility": "visible", "opacity": 0.6},
                        children=html.Div(className="figures", children=[
                            html.Div(className="hero", children=[
                                html.Div(className="map-column", children=[
                                    html.Div(className="figure map", role="region", **{
                                        "aria-label": "Route map: the numbered stops, in order, with the route "
                                                      "between them; every stop is listed in the itinerary"},
                                             children=dcc.Graph(id="map", config=config, figure=_blank(),
                                                                style={"height": "100%", "width": "100%"})),
                                    tour_controls(),
                                ]),
                                html.Aside(className="side", **{"aria-label": "Selected stop and itinerary"}, children=[
                                    html.Section(className="panel stop-panel", children=[
                                        html.H2("Selected stop"),
                                        html.Div(id="stop-details", children=NO_STOP, **{"aria-live": "polite"}),
                                        html.Div(id="candidate-box", hidden=True, children=[
                                            html.Label("Did you mean another place? ", htmlFor="candidate-picker"),
                                            dcc.Dropdown(id="candidate-picker", options=[], placeholder="Pick a candidate"),
                                            html.Button("Forget the saved choice for this place", id="forget-choice",
                                                        n_clicks=0, className="secondary"),
                                        ]),
                                    ]),
                                    html.Section(className="panel story-panel", children=[
                                        html.H2("Itinerary"),
                                        html.Div(id="itinerary-story"),
                                        html.Details(className="plain-text", children=[
                                            html.Summary("Plain text, for copying and screen readers"),
                                            html.Pre(id="itinerary-text", className="itinerary"),
                                        ]),
                                    ]),
                                ]),
                            ]),
                            html.Section(className="figure timeline", **{
                                "aria-label": "Timeline: a bar per stop with its events; the same is in the itinerary"},
                                children=[
                                dcc.Graph(id="timeline", config=config, figure=_blank())]),
                        ])),
            html.Section(className="add-trip", children=[
                html.H2("Add a trip"),
                dcc.Upload(id="upload", className="upload", multiple=False, accept=".csv,.json,.txt,.xml",
                           children=html.Div(["Drop a CSV or JSON itinerary or official travel records (XML) here, "
                                              "or ", html.Span("choose a file", className="choose")])),
                draft_section(),
            ]),
            share_section(sharing or {"asks_token": False, "refusal": None}),
            html.Section(className="stops", children=[
                html.H2("Stops"),
                html.P("Edit a place or country hint to geocode it again, or type coordinates to pin a stop. "
                       "Choices are remembered.", className="hint"),
                # Columns as wide as their content (the grid scrolls sideways on a phone): a cut
                # date or note is a misread one.
                dag.AgGrid(id="stops-grid", columnDefs=GRID_COLUMNS, rowData=[], columnSize="autoSize",
                           defaultColDef={"resizable": True, "sortable": False},
                           getRowId="params.data.stop_no",
                           dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                             "enableClickSelection": True},
                                            "domLayout": "autoHeight", "stopEditingWhenCellsLoseFocus": True},
                           className="ag-theme-alpine"),
            ]),
            collection_section(catalogue, config),
        ]),
        html.Footer("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), via plotly.js. "
                    "Served by this app; nothing is fetched from the internet."),
        dcc.Store(id="catalogue", storage_type="session"),
        dcc.Store(id="selection", data=None),
    ])


def share_section(sharing: dict):
    """Save the trip on screen (with this browser's edits) to the store everyone on this server
    sees; delete it; its history, each version restorable. The editor token, when the server
    asks for one, is typed once per browser session."""
    token_field = html.Label(["Editor token ", dcc.Input(id="editor-token", type="password", persistence=True,
                                                         persistence_type="session", autoComplete="off")],
                             className="picker-label")
    note = (html.P("Saving needs the editor token from whoever runs this server.", className="hint")
            if sharing["asks_token"] else html.P(sharing["refusal"], className="hint") if sharing["refusal"] else
            html.P("Saved trips are kept with their history in this server's store.", className="hint"))
    return html.Section(className="share", children=[
        html.H2("Save to the shared store"),
        note,
        html.Div(className="share-controls", children=[
            html.Label(["Your name ", dcc.Input(id="editor-name", type="text", persistence=True,
                                                persistence_type="session", placeholder="shown in the history")],
                       className="picker-label"),
            html.Div(token_field, hidden=not sharing["asks_token"]),
            html.Button("Save this trip", id="save-trip", n_clicks=0),
            html.Button("Delete it from the store", id="delete-trip", n_clicks=0, className="secondary"),
        ]),
        html.Div(id="store-status", role="status", **{"aria-live": "polite"}),
        html.Details(className="history-box", children=[html.Summary("Saved versions of this trip"),
                                                        html.Div(id="trip-history")]),
        dcc.Store(id="opened-versions", storage_type="session"),
    ])


def tour_controls():
    """'Play the tour' and the day slider, under the map: they drive the map figure's frames in
    the browser (clientside), and never sit on the map."""
    return html.Div(className="tour", children=[
        html.Button("▶ Play the tour", id="tour-play", n_clicks=0, className="tour-play"),
        html.Div(className="tour-slider", children=[
            html.Span("Day", id="tour-day-name", className="visually-hidden"),
            dcc.Slider(id="tour-day", min=0, max=0, step=1, value=0, marks=None, included=True, updatemode="drag",
                       allow_direct_input=False,
                       tooltip=None),
        ]),
        html.Output(id="tour-day-label", className="tour-day", **{"aria-live": "polite"}),
        dcc.Interval(id="tour-clock", interval=800, disabled=True),
    ])


def trip_header(summaries, warnings: list[str]):
    """The trip's title and its one-line summary (the dek), as a newsroom page opens."""
    if not summaries:
        return [html.H1("No trip loaded"), html.P("Drop an itinerary file under 'Add a trip'.", className="dek")]
    if len(summaries) == 1:
        title, dek = summaries[0].trip, f"{summaries[0].leader}: {summaries[0].text()}."
    else:
        title = f"{len(summaries)} trips"
        dek = " ".join(f"{s.leader}: {s.trip}. {s.text()}." for s in summaries)
    return [html.H1(title), html.P(dek, className="dek")] + [html.P(w, className="warning") for w in warnings]


def story_view(story: list[dict], selected_key: str | None = None):
    """The itinerary as a story: numbered stops in the map's colours, their dates, where they
    were placed when uncertain, and their events with sources. Each stop's name is a button that
    selects it (the keyboard way to a stop)."""
    out = []
    for trip in story:
        items = []
        for stop in trip["stops"]:
            events = [html.Li([html.Span(e["kind"], className="kind"), " ",
                               *([html.Time(e["time"], className="time"), " "] if e["time"] else []), e["text"],
                               *([" ", html.Span(f"({e['people']})", className="people")] if e["people"] else []),
                               *([" ", html.Span(["Source: ", html.A(e["source"], href=e["link"], target="_blank",
                                                                     rel="noopener noreferrer") if e["link"] else e["source"]],
                                                 className="source")] if e["source"] else
                                 [" ", html.Span("(no source given)", className="source")])])
                      for e in stop["events"]]
            pressed = stop["key"] == selected_key
            items.append(html.Li(className="story-stop" + (" selected" if pressed else ""),
                                 style={"--stop-colour": stop["colour"]}, children=[
                html.Button(id={"type": "story-stop", "index": stop["number"]}, n_clicks=0, className="stop-select",
                            **{"aria-pressed": "true" if pressed else "false"}, children=[
                    html.Span(str(stop["number"]), className="stop-number", **{"aria-hidden": "true"}),
                    html.Span([html.Span(f"Stop {stop['number']}: ", className="visually-hidden"), stop["place"],
                               *([html.Span(f", {stop['country']}", className="country")] if stop["country"] else [])]),
                ]),
                html.P(html.Time(stop["dates"], dateTime=stop["arrive"]), className="stop-dates"),
                *([html.P(stop["note"], className="stop-note")] if stop["note"] else []),
                *([html.Ul(events, className="events")] if events else []),
            ]))
        out.append(html.Ol(items, className="story-stops", **{"aria-label": f"{trip['leader']}: {trip['trip']}"}))
    return out


NO_STOP = "Select a stop on the map, the timeline or in the itinerary."


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
                            allow_direct_input=False,
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
