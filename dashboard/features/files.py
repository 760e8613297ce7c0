"""Files in and out of the dashboard: an uploaded itinerary (CSV, JSON, official travel records)
joins this browser's trips; the trip on screen downloads as the standalone map page, the stops
as CSV and the itinerary as JSON, each loading back as it was shown."""

from __future__ import annotations

import base64

from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import state
from dashboard.export import standalone_html
from dashboard.features.common import SharedTripCache, own_copy, problem_list
from dashboard.geocoding.resolver import PlaceResolver, placement_problems
from dashboard.itinerary import ItineraryError
from dashboard.sources import parse_itinerary
from dashboard.sources.csv_file import write_csv
from dashboard.sources.json_file import write_json

EXPORT_CACHE_SIZE = 16  # a page is about 0.7 MB
UPLOAD_OUTPUTS = dict(own=Output("catalogue", "data", allow_duplicate=True),
                      options=Output("trip-picker", "options", allow_duplicate=True),
                      trip_id=Output("trip-picker", "value", allow_duplicate=True),
                      messages=Output("messages", "children", allow_duplicate=True))


def download_buttons():
    return html.Div(className="exports", role="group", **{"aria-label": "Download this trip"}, children=[
        html.Button("Map as HTML", id="export-html", n_clicks=0),
        html.Button("Stops as CSV", id="export-csv", n_clicks=0),
        html.Button("Itinerary as JSON", id="export-json", n_clicks=0),
        dcc.Download(id="download"),
    ])


def upload_area():
    return dcc.Upload(id="upload", className="upload", multiple=False, accept=".csv,.json,.txt,.xml",
                      children=html.Div(["Drop a CSV or JSON itinerary or official travel records (XML) here, "
                                         "or ", html.Span("choose a file", className="choose")]))


def load_upload(contents, filename, shipped, own, resolver: PlaceResolver) -> dict:
    """Parse, geocode and merge an uploaded itinerary (``UPLOAD_OUTPUTS``' keys); a bad file
    changes nothing on screen."""
    unchanged = dict(own=no_update, options=no_update, trip_id=no_update)
    if not contents:
        return dict(unchanged, messages=no_update)
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
        itinerary = parse_itinerary(raw, filename or "upload")
    except ItineraryError as exc:
        return dict(unchanged, messages=problem_list([p.as_dict() for p in exc.problems]) + [
            html.P("Nothing was loaded from this file; the trips on screen are unchanged.", className="hint")])
    except (ValueError, IndexError):
        return dict(unchanged, messages=problem_list([{
            "severity": "error", "file": filename, "location": "", "column": None, "value": None,
            "message": "the upload could not be read; try again or save the file as UTF-8 CSV or JSON"}]))
    problems = [p.as_dict() for p in itinerary.problems]
    if itinerary.stops.empty:
        return dict(unchanged, messages=problem_list(problems) + [
            html.P("No stop could be loaded from this file; the trips on screen are unchanged.", className="hint")])
    placed = resolver.geocode_stops(itinerary.stops)
    problems += [p.as_dict() for p in placement_problems(placed)]
    own = state.merge(own, state.to_store(itinerary, placed))
    summary = html.P(f"Loaded {len(itinerary.stops)} stop(s) in {len(itinerary.trips)} trip(s) from {filename}"
                     + (f"; {len(itinerary.dropped)} row(s) not loaded." if itinerary.dropped else "."))
    return dict(own=own, options=state.trip_options(state.view(shipped, own)),
                trip_id=itinerary.trips["trip_id"].iloc[0], messages=[summary] + problem_list(problems))


def export_download(trigger, trip_id, shipped, own):
    """The file a download button asks for (``trigger`` is the button's id)."""
    stops, events, trips = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return no_update
    if trigger == "export-html":
        return dcc.send_string(standalone_html(stops, events), f"{trip_id}.html")
    if trigger == "export-csv":
        return dcc.send_string(write_csv(stops, events, trips), f"{trip_id}-stops.csv")
    if trigger == "export-json":
        return dcc.send_string(write_json(stops, events, trips), f"{trip_id}.json")
    return no_update


def register(app, services, shipped) -> None:
    exports = SharedTripCache(EXPORT_CACHE_SIZE)

    # The first callback to write these outputs (the others add allow_duplicate).
    @app.callback(output=dict(UPLOAD_OUTPUTS, own=Output("catalogue", "data"), trip_id=Output("trip-picker", "value"),
                              messages=Output("messages", "children")),
                  inputs=dict(contents=Input("upload", "contents"), filename=State("upload", "filename"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _upload(contents, filename, own):
        return load_upload(contents, filename, shipped(), own, services.resolver)

    @app.callback(Output("download", "data"), Input("export-html", "n_clicks"), Input("export-csv", "n_clicks"),
                  Input("export-json", "n_clicks"), State("trip-picker", "value"),
                  State("catalogue", "data"), prevent_initial_call=True)
    def _download(_html, _csv, _json, trip_id, own):
        catalogue = shipped()
        if own_copy(own, trip_id):
            return export_download(ctx.triggered_id, trip_id, catalogue, own)
        return exports.get(catalogue, (ctx.triggered_id, trip_id),
                           lambda: export_download(ctx.triggered_id, trip_id, catalogue, own))
