"""The dashboard's page, built per page load from the current catalogue of trips: the page's
frame, with each feature's own pieces (``dashboard.features``) in their places."""

from __future__ import annotations

from dash import dcc, html

from dashboard.features import draft_panel, editing, files, shared_store, traveller_record, trip_editor, trip_view
from dashboard.features.common import graph_config, problem_list
from dashboard.features.first_paint import AfterFirstPaint
from dashboard.state import trip_options


def build_layout(catalogue: dict, problems: list[dict], topojson_url: str, sharing: dict | None = None,
                 notice=None, first_figures=None):
    """Title and summary, then the map as the hero with the selected stop and the itinerary
    beside it, the timeline under them, then the tools: add or draft a trip, save it to the
    shared store, the stops grid, a traveller's record. The editor (new trip, undo, redo in the
    toolbar; the trip's stops and events under the figures) works on the trip on screen.

    ``notice``: shown first (a first start's provisional placing). ``first_figures(catalogue,
    trip_id)``: the figures and title of the trip the page opens on, drawn with the page."""
    options = trip_options(catalogue)
    config = graph_config(topojson_url)
    opening = first_trip(options)
    first = first_figures(catalogue, opening) if first_figures is not None and opening is not None else {}
    return html.Div(className="app", children=[
        html.Header(className="toolbar", children=[
            html.P("Trip timeline", className="brand"),
            html.Label([html.Span("Trip", className="label-text"),
                        dcc.Dropdown(id="trip-picker", options=options, value=opening,
                                     clearable=False, placeholder="Pick a trip", className="trip-picker")],
                       className="picker-label trip-label"),
            trip_editor.toolbar_buttons(),
            dcc.Checklist(id="view-options", options=[{"label": " Whole world", "value": "world"}], value=[],
                          className="view-options"),
            files.download_buttons(),
        ]),
        html.Main(className="content", children=[
            *([notice] if notice is not None else []),
            html.Div(id="messages", role="status", **{"aria-live": "polite"}, children=problem_list(problems)),
            html.Div(id="summary", className="trip-header", children=first.get("header")),
            trip_view.figures_section(config, first),
            # The tools and the record below the first screen come a frame after the map.
            AfterFirstPaint([
                trip_editor.editor_section(next((t for t in catalogue["trips"] if t["trip_id"] == opening), None)),
                html.Section(className="add-trip", children=[
                    html.H2("Add a trip"),
                    files.upload_area(),
                    draft_panel.draft_section(),
                ]),
                shared_store.share_section(sharing or {"asks_token": False, "refusal": None}),
                editing.stops_section(),
                traveller_record.collection_section(catalogue, config),
            ]),
        ]),
        html.Footer("Base map: UN Geospatial (boundaries), Natural Earth (lakes, rivers), via plotly.js. "
                    "Served by this app; nothing is fetched from the internet."),
        # This browser's own uploads and edits, in session storage so a reload keeps them.
        # Both stores start with data (empty: no trips of its own, no stop chosen): a store that
        # starts without any sets it when the page loads, which Dash takes for a change and
        # would draw the trip again over the figures the page came with.
        dcc.Store(id="catalogue", storage_type="session", data={}),
        dcc.Store(id="selection", data={}),
        dcc.Store(id="open-trip", storage_type="session", data=""),
    ])


def first_trip(options: list[dict]) -> str | None:
    """The trip the page opens on: the first of the picker's options (``state.trip_options``)."""
    return options[0]["value"] if options else None
