"""Files in and out of the dashboard: an uploaded itinerary (any table: CSV, TSV, Excel,
OpenDocument; the project's JSON; official travel records) joins this browser's trips; a table's
columns can be changed and the file reloaded ('Change columns'); the trip on screen downloads as
the standalone map page, the stops as CSV and the itinerary as JSON, each loading back as it was
shown."""

from __future__ import annotations

import base64

from pathlib import Path

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import state
from dashboard.export import standalone_html
from dashboard.features.common import SharedTripCache, own_copy, problem_list
from dashboard.geocoding.resolver import PlaceResolver, placement_problems
from dashboard.itinerary import ItineraryError
from dashboard.sources import NO_HINTS, ROLES, SOURCE_SUFFIXES, TableHints, parse_itinerary, table_columns
from dashboard.sources.table_files import WORKBOOK_SUFFIXES
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


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", *WORKBOOK_SUFFIXES)
DATE_ORDERS = [{"label": "Decide from the dates", "value": ""},
               {"label": "Day first (24/08/2025)", "value": "dmy"},
               {"label": "Month first (08/24/2025)", "value": "mdy"},
               {"label": "Year first (2025/08/24)", "value": "ymd"}]
NOT_USED = "not used"


def upload_area():
    return html.Div([
        dcc.Upload(id="upload", className="upload", multiple=False,
                   accept=",".join(sorted({*SOURCE_SUFFIXES, ".txt"})),
                   children=html.Div(["Drop a table (CSV, TSV, Excel, OpenDocument), a JSON itinerary or official "
                                      "travel records (XML) here, or ", html.Span("choose a file", className="choose")])),
        # The uploaded table, kept in this tab's memory so 'Change columns' can read it again.
        dcc.Store(id="table-upload", storage_type="memory"),
        columns_form(),
    ])


def columns_form():
    """'Change columns': a role per column of the uploaded table, the date order, the trip's title
    and traveller; hidden until a table is uploaded."""
    return html.Details(id="table-columns", className="table-columns", hidden=True, open=False, children=[
        html.Summary("Change columns"),
        html.P(id="table-columns-file", className="hint"),
        html.Div(id="table-column-roles", className="column-roles"),
        html.Label([html.Span("Date order", className="label-text"),
                    dcc.Dropdown(id="table-date-order", options=DATE_ORDERS, value="", clearable=False)]),
        html.Label([html.Span("Trip title", className="label-text"),
                    dcc.Input(id="table-trip-title", type="text", placeholder="from the file name")]),
        html.Label([html.Span("Traveller", className="label-text"),
                    dcc.Input(id="table-leader", type="text", placeholder="who travelled")]),
        html.Button("Reload with these columns", id="table-columns-apply", n_clicks=0),
    ])


def column_role_controls(columns: list[tuple[str, str | None]]):
    options = [{"label": NOT_USED, "value": ""}] + [{"label": f"{role}: {meaning}", "value": role}
                                                      for role, meaning in ROLES.items()]
    return [html.Label([html.Span(header, className="label-text"),
                        dcc.Dropdown(id={"type": "table-column-role", "index": index}, options=options,
                                     value=role or "", clearable=False)], className="column-role")
            for index, (header, role) in enumerate(columns)]


def hints_from_form(columns: list[tuple[str, str | None]], roles: list[str], date_order, trip_title,
                    leader) -> TableHints:
    """The form's answers as hints: the roles it lists are the whole mapping (a column left 'not
    used' is not detected again)."""
    chosen: dict[str, str] = {}
    for (header, _), role in zip(columns, roles):
        if role and role not in chosen:
            chosen[role] = header
    return TableHints(chosen, date_order or None, (trip_title or "").strip() or None,
                      (leader or "").strip() or None, detect=False)


def load_upload(contents, filename, shipped, own, resolver: PlaceResolver, hints: TableHints = NO_HINTS) -> dict:
    """Parse, geocode and merge an uploaded itinerary (``UPLOAD_OUTPUTS``' keys); a bad file
    changes nothing on screen."""
    unchanged = dict(own=no_update, options=no_update, trip_id=no_update)
    if not contents:
        return dict(unchanged, messages=no_update)
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
        itinerary = parse_itinerary(raw, filename or "upload", hints)
    except ItineraryError as exc:
        return dict(unchanged, messages=problem_list([p.as_dict() for p in exc.problems]) + [
            html.P("Nothing was loaded from this file; the trips on screen are unchanged.", className="hint")])
    except (ValueError, IndexError):
        return dict(unchanged, messages=problem_list([{
            "severity": "error", "file": filename, "location": "", "column": None, "value": None,
            "message": "the upload could not be read; try again, or save the file as CSV, "
                       "an Excel or OpenDocument workbook, or JSON"}]))
    problems = [p.as_dict() for p in itinerary.problems]
    if itinerary.stops.empty:
        return dict(unchanged, messages=problem_list(problems) + [
            html.P("No stop could be loaded from this file; the trips on screen are unchanged.", className="hint")])
    placed = resolver.geocode_stops(itinerary.stops)
    problems += [p.as_dict() for p in placement_problems(placed)]
    own = state.merge(own, state.to_store(itinerary, placed))
    summary = html.P(f"Loaded {len(itinerary.stops)} stop(s) in {len(itinerary.trips)} trip(s) from {filename}"
                     + (f"; {len(itinerary.dropped)} row(s) not loaded." if itinerary.dropped else "."))
    understood = [html.P(f"Read {line}", className="hint table-understood") for line in itinerary.understood]
    return dict(own=own, options=state.trip_options(state.view(shipped, own)),
                trip_id=itinerary.trips["trip_id"].iloc[0], messages=[summary, *understood] + problem_list(problems))


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


TABLE_OUTPUTS = dict(table=Output("table-upload", "data"), hidden=Output("table-columns", "hidden"),
                     open=Output("table-columns", "open"), file=Output("table-columns-file", "children"),
                     roles=Output("table-column-roles", "children"))


def load_table_upload(contents, filename, shipped, own, resolver, hints: TableHints = NO_HINTS,
                      earlier: dict | None = None) -> dict:
    """An upload (``UPLOAD_OUTPUTS`` and ``TABLE_OUTPUTS``' keys): a table keeps its file for
    'Change columns', which opens when the table could not be read as it is (dates of no clear
    order, no place column). A reload replaces the trips the same file gave before."""
    is_table = Path(filename or "").suffix.lower() in TABLE_SUFFIXES
    base = own
    if earlier and earlier.get("trip_ids") and own:
        gone = set(earlier["trip_ids"])
        base = {key: [r for r in own[key] if r["trip_id"] not in gone] for key in ("stops", "events", "trips")}
    result = load_upload(contents, filename, shipped, base, resolver, hints)
    if not is_table or not contents:
        return dict(result, table=None, hidden=True, open=False, file=no_update, roles=no_update)
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
    except (ValueError, IndexError):
        return dict(result, table=None, hidden=True, open=False, file=no_update, roles=no_update)
    columns = table_columns(raw, filename, hints)
    loaded = result["own"] is not no_update
    before = (base or {}).get("trips", [])
    trip_ids = [t["trip_id"] for t in result["own"]["trips"] if t not in before] if loaded else []
    if not loaded and earlier and earlier.get("trip_ids"):
        trip_ids = earlier["trip_ids"]  # nothing replaced them: the earlier trips stay on screen
        result = dict(result, own=no_update)
    note = (f"Columns of {filename} as read; change a role, the date order, the title or the traveller, "
            "then reload." if loaded else
            f"{filename} was not loaded as it is: say what its columns hold (the date order, the place column), "
            "then reload.")
    return dict(result, table={"contents": contents, "filename": filename, "columns": columns, "trip_ids": trip_ids},
                hidden=not columns, open=not loaded, file=note, roles=column_role_controls(columns))


def register(app, services, shipped) -> None:
    exports = SharedTripCache(EXPORT_CACHE_SIZE)

    # The first callback to write these outputs (the others add allow_duplicate).
    @app.callback(output=dict(UPLOAD_OUTPUTS, own=Output("catalogue", "data"), trip_id=Output("trip-picker", "value"),
                              messages=Output("messages", "children"), **TABLE_OUTPUTS),
                  inputs=dict(contents=Input("upload", "contents"), filename=State("upload", "filename"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _upload(contents, filename, own):
        return load_table_upload(contents, filename, shipped(), own, services.resolver)

    @app.callback(output=dict(UPLOAD_OUTPUTS, **{k: Output(o.component_id, o.component_property, allow_duplicate=True)
                                                 for k, o in TABLE_OUTPUTS.items()}),
                  inputs=dict(clicks=Input("table-columns-apply", "n_clicks"), table=State("table-upload", "data"),
                              roles=State({"type": "table-column-role", "index": ALL}, "value"),
                              date_order=State("table-date-order", "value"),
                              trip_title=State("table-trip-title", "value"), leader=State("table-leader", "value"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _reload_table(clicks, table, roles, date_order, trip_title, leader, own):
        if not clicks or not table:
            return {key: no_update for key in (*UPLOAD_OUTPUTS, *TABLE_OUTPUTS)}
        hints = hints_from_form([tuple(c) for c in table["columns"]], roles, date_order, trip_title, leader)
        return load_table_upload(table["contents"], table["filename"], shipped(), own, services.resolver, hints,
                                 earlier=table)

    @app.callback(Output("download", "data"), Input("export-html", "n_clicks"), Input("export-csv", "n_clicks"),
                  Input("export-json", "n_clicks"), State("trip-picker", "value"),
                  State("catalogue", "data"), prevent_initial_call=True)
    def _download(_html, _csv, _json, trip_id, own):
        catalogue = shipped()
        if own_copy(own, trip_id):
            return export_download(ctx.triggered_id, trip_id, catalogue, own)
        return exports.get(catalogue, (ctx.triggered_id, trip_id),
                           lambda: export_download(ctx.triggered_id, trip_id, catalogue, own))
