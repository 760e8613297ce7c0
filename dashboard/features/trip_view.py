"""One trip on screen: its title and dek, the map as the hero with the selected stop and the
itinerary as a story beside it, the timeline under them. Drawn whole when the trip, this
browser's copy of it or the view changes; when only the selected stop changes, the figures on
screen are patched (their highlight) instead of sent again."""

from __future__ import annotations

import json

from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from dashboard import figures, state
from dashboard.features import editing, tour
from dashboard.features.first_paint import AfterFirstPaint
from dashboard.features.story import ItineraryStory
from dashboard.features.common import SharedTripCache, as_patch, blank_figure, own_copy
from dashboard.itinerary import SAFE_URL, events_by_stop, frame_rows, led_by

# Play the tour only where a frame per day stays light enough to send to the browser.
ANIMATE_MAX_STOPS = 300
RENDER_CACHE_SIZE = 64
NO_STOP = "Select a stop on the map, the timeline or in the itinerary."

# The first screen (map, timeline, title) and the panels beside and below it are drawn by two
# callbacks: the page carries the first trip's figures in its layout, so the map is drawn with
# no callback before it, while the panels arrive by the first callback meanwhile.
FIGURE_OUTPUTS = dict(map=Output("map", "figure"), timeline=Output("timeline", "figure"),
                      header=Output("summary", "children"))
PANEL_OUTPUTS = dict(
    text=Output("itinerary-text", "children"), grid_rows=Output("stops-grid", "rowData"),
    details=Output("stop-details", "children"), candidates=Output("candidate-picker", "options"),
    story=Output("itinerary-story", "data"), candidates_hidden=Output("candidate-box", "hidden"),
)
OUTPUTS = dict(FIGURE_OUTPUTS, **PANEL_OUTPUTS)


# ---------------------------------------------------------------------------- layout


def figures_section(config: dict, first: dict | None = None):
    """``first``: the first trip's figures (``render_figures``), drawn with the page."""
    first = first or {}
    # The figures stay visible (dimmed) while a callback runs: a hidden graph measures 0 px, and
    # plotly.js would then redraw the map 2 px tall. The map's size belongs to its frame (the
    # map's aspect, as tall as the first screen allows), which the responsive graph fills; the
    # timeline's height comes from its figure.
    return dcc.Loading(id="loading", type="circle", delay_show=250,
                       overlay_style={"visibility": "visible", "opacity": 0.6},
                       children=html.Div(className="figures", children=[
                           html.Div(className="hero", children=[
                               html.Div(className="map-column", children=[
                                   html.Div(className="figure map", role="region", **{
                                       "aria-label": "Route map: the numbered stops, in order, with the route "
                                                     "between them; every stop is listed in the itinerary"},
                                            children=dcc.Graph(id="map", config=config, figure=first.get("map", blank_figure()),
                                                               style={"height": "100%", "width": "100%"})),
                                   tour.tour_controls(),
                               ]),
                               html.Aside(className="side", **{"aria-label": "Selected stop and itinerary"}, children=[
                                   html.Section(className="panel stop-panel", children=[
                                       html.H2("Selected stop"),
                                       html.Div(id="stop-details", children=NO_STOP, **{"aria-live": "polite"}),
                                       editing.candidate_box(),
                                   ]),
                                   html.Section(className="panel story-panel", children=[
                                       html.H2("Itinerary"),
                                       ItineraryStory(id="itinerary-story"),
                                       html.Details(className="plain-text", children=[
                                           html.Summary("Plain text, for copying and screen readers"),
                                           html.Pre(id="itinerary-text", className="itinerary"),
                                       ]),
                                   ]),
                               ]),
                           ]),
                           AfterFirstPaint(html.Section(className="figure timeline", **{
                               "aria-label": "Timeline: a bar per stop with its events; the same is in the itinerary"},
                               children=[dcc.Graph(id="timeline", config=config,
                                                   figure=first.get("timeline", blank_figure()))])),
                       ]))


def trip_header(summaries, warnings: list[str]):
    """The trip's title and its one-line summary (the dek), as a newsroom page opens."""
    if not summaries:
        return [html.H1("No trip loaded"), html.P("Drop an itinerary file under 'Add a trip'.", className="dek")]
    if len(summaries) == 1:
        title, dek = summaries[0].trip, led_by(summaries[0].leader, f"{summaries[0].text()}.")
    else:
        title = f"{len(summaries)} trips"
        dek = " ".join(led_by(s.leader, f"{s.trip}. {s.text()}.") for s in summaries)
    return [html.H1(title), html.P(dek, className="dek")] + [html.P(w, className="warning") for w in warnings]


def stop_details(stops, events, selected):
    """The selected stop's events (who, what, source links) and its geocoding candidates."""
    if selected is None:
        return NO_STOP, []
    match = stops[stops["stop_no"] == selected[1]]
    if match.empty:
        return NO_STOP, []
    stop = frame_rows(match.head(1))[0]
    chosen = events[events["stop_no"] == selected[1]]
    items = []
    for event in frame_rows(chosen):
        parts = [html.Strong(event["kind"]), " "]
        if event["time"]:
            parts += [event["time"], " "]
        parts.append(event["text"])
        if event.get("people"):
            parts.append(f" (with {event['people']})")
        if event.get("source"):
            source = event["source"]
            link = html.A(source, href=source, target="_blank", rel="noopener noreferrer") \
                if SAFE_URL.match(source.strip()) else source
            parts += [html.Br(), html.Span(["Source: ", link], className="source")]
        items.append(html.Li(parts))
    header = html.H3(f"{stop['stop_no']}. {stop['place']}, {figures.stop_dates(stop)}")
    placed = html.P(f"Placed by {stop.get('geo_source') or 'the itinerary'}: {stop.get('matched_name') or stop['place']} "
                    f"({stop.get('precision') or 'exact'})" + (f"; {stop['geocode_note']}" if stop.get("geocode_note") else ""),
                    className="placed")
    notes = [f"Inferred: {stop['inferred']}." if stop["inferred"] else None, stop["note"]]
    note = html.P(" ".join(n for n in notes if n), className="inferred") if any(notes) else None
    body = [header, placed] + ([note] if note else []) + [html.Ul(items) if items else html.P("No events recorded.")]
    candidates = []
    for candidate in json.loads(stop.get("candidates") or "[]"):
        label = f"{candidate['name']}, {candidate['country']} ({candidate['precision']})"
        candidates.append({"label": label, "value": json.dumps(candidate, sort_keys=True)})
    return body, candidates


# ---------------------------------------------------------------------------- callbacks as plain functions


def selected_stop(selection, trip_id):
    """(trip id, stop number) of the selection when it is a stop of this trip, else None."""
    if selection and selection.get("trip_id") == trip_id:
        return selection["trip_id"], int(selection["stop_no"])
    return None




def render_trip(trip_id, shipped, own, selection, view_options) -> dict:
    """Everything shown for one trip (``OUTPUTS``' keys): ``render_figures`` and
    ``render_panels`` together."""
    return dict(render_figures(trip_id, shipped, own, selection, view_options),
                **render_panels(trip_id, shipped, own, selection))


def render_figures(trip_id, shipped, own, selection, view_options) -> dict:
    """The first screen (``FIGURE_OUTPUTS``' keys): map, timeline, title and summary."""
    stops, events, trips = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        header = trip_header([], []) if trips.empty else [
            html.H1(trips["trip"].iloc[0]),
            html.P("No stops yet: add the first under 'Edit the trip'.", className="dek")]
        return dict(map=figures.map_figure(stops, whole_world=True), timeline=figures.timeline_figure(stops),
                    header=header)
    selected = selected_stop(selection, trip_id)
    map_fig = figures.map_figure(stops, events, whole_world="world" in (view_options or []), selected=selected,
                                 animate=len(stops) <= ANIMATE_MAX_STOPS)
    return dict(map=map_fig, timeline=figures.timeline_figure(stops, events, selected=selected),
                header=trip_header(figures.trip_summaries(stops, events), map_fig.layout.meta["warnings"]))


def render_panels(trip_id, shipped, own, selection) -> dict:
    """The panels (``PANEL_OUTPUTS``' keys): itinerary (text and story), grid, stop details,
    the other places the selected stop's name could be (and whether to show that picker at all:
    only once a stop is chosen and it has candidates)."""
    stops, events, _ = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return dict(text="", grid_rows=[], details=NO_STOP, candidates=[], story=[], candidates_hidden=True)
    selected = selected_stop(selection, trip_id)
    summaries = figures.trip_summaries(stops, events)
    grouped = events_by_stop(events)
    details, candidates = stop_details(stops, events, selected)
    return dict(text=figures.itinerary_text(stops, events, summaries, grouped), grid_rows=editing.grid_rows(stops),
                details=details, candidates=candidates,
                story=figures.itinerary_story(stops, events, summaries, grouped),
                candidates_hidden=not candidates)


def select_in_figures(trip_id, shipped, own, selection) -> dict | None:
    """When only the chosen stop changes, the figures on screen are patched (``FIGURE_OUTPUTS``'
    keys): the highlight on the map and the timeline, as the figure builders describe it. None
    when no stop is drawn to patch."""
    stops, _, _ = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return None
    selected = selected_stop(selection, trip_id)
    map_changes = figures.map_selection_patch(stops, selected)
    if map_changes is None:
        return None
    return dict(map=as_patch(map_changes), timeline=as_patch(figures.timeline_selection_patch(stops, selected)),
                header=no_update)


def select_in_panels(trip_id, shipped, own, selection) -> dict | None:
    """When only the chosen stop changes (``PANEL_OUTPUTS``' keys): the stop's details and its
    candidates; the text, the grid and the story's data stay (the browser marks the chosen stop
    in the story itself). None for a trip with no stops."""
    stops, events, _ = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return None
    selected = selected_stop(selection, trip_id)
    details, candidates = stop_details(stops, events, selected)
    return dict(text=no_update, grid_rows=no_update, details=details, candidates=candidates, story=no_update,
                candidates_hidden=not candidates)


def picker_value(trip_ids: list[str], open_trip, shown):
    """The trip the picker should show: the one the reader had open when it exists, else the
    one shown, else the first (a trip gone leaves no empty view); ``no_update`` when unchanged."""
    for wanted in (open_trip, shown):
        if wanted and wanted in trip_ids:
            return wanted if wanted != shown else no_update
    return trip_ids[0] if trip_ids else None


def register(app, shipped):
    """The trip's callbacks; returns ``first_figures(catalogue, trip_id)``, the figures the page
    carries for the trip it opens on (the same drawing the callbacks would send)."""
    # Readers open the same trips over and over: each worker keeps its latest drawings of the
    # server's trips (bounded; dropped when the server's trips change).
    renders = SharedTripCache(RENDER_CACHE_SIZE)
    inputs = dict(trip_id=Input("trip-picker", "value"), own=Input("catalogue", "data"),
                  selection=Input("selection", "data"), view_options=Input("view-options", "value"))

    def figures_of(trip_id, catalogue, own, selection, view_options) -> dict:
        if own_copy(own, trip_id):  # this browser's own version of the trip: drawn for it alone
            return render_figures(trip_id, catalogue, own, selection, view_options)
        key = ("figures", trip_id, selected_stop(selection, trip_id), tuple(view_options or ()))
        return renders.get(catalogue, key, lambda: render_figures(trip_id, catalogue, own, selection, view_options))

    def selection_only() -> bool:
        return len(ctx.triggered) == 1 and ctx.triggered_id == "selection"

    # Not at the page's first load: the page carries these figures (``first_figures``).
    @app.callback(output=FIGURE_OUTPUTS, inputs=inputs, prevent_initial_call=True)
    def _figures(trip_id, own, selection, view_options):
        catalogue = shipped()
        if selection_only():
            patched = select_in_figures(trip_id, catalogue, own, selection)
            if patched is not None:
                return patched
        return figures_of(trip_id, catalogue, own, selection, view_options)

    @app.callback(output=PANEL_OUTPUTS, inputs={key: given for key, given in inputs.items() if key != "view_options"})
    def _panels(trip_id, own, selection):
        catalogue = shipped()
        if selection_only():
            patched = select_in_panels(trip_id, catalogue, own, selection)
            if patched is not None:
                return patched
        if own_copy(own, trip_id):
            return render_panels(trip_id, catalogue, own, selection)
        key = ("panels", trip_id, selected_stop(selection, trip_id))
        return renders.get(catalogue, key, lambda: render_panels(trip_id, catalogue, own, selection))

    # Not at the first load (the page carries the options). After a reload the trip the reader
    # had open comes back ('open-trip', in session storage, as their own trips are); a trip
    # that is gone (an undo took back its upload) leaves the picker on the first trip.
    @app.callback(Output("trip-picker", "options"), Output("trip-picker", "value", allow_duplicate=True),
                  Input("catalogue", "data"), Input("open-trip", "data"), State("trip-picker", "value"),
                  prevent_initial_call=True)
    def _options(own, open_trip, trip_id):
        options = state.trip_options(state.view(shipped(), own))
        return options, picker_value([option["value"] for option in options], open_trip, trip_id)

    app.clientside_callback(ClientsideFunction("authoring", "keepOpen"), Output("open-trip", "data"),
                            Input("trip-picker", "value"), State("open-trip", "data"), prevent_initial_call=True)

    app.clientside_callback(ClientsideFunction("story", "selected"), Output("itinerary-story", "selected"),
                            Input("selection", "data"), Input("trip-picker", "value"))
    tour.register(app)

    def first_figures(catalogue, trip_id) -> dict:
        return figures_of(trip_id, catalogue, None, None, [])
    return first_figures
