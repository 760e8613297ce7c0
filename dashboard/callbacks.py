"""Dash callbacks as plain functions (unit-testable without a server), plus their wiring.

Every piece of state travels through ``dcc.Store`` (the trip catalogue and the selection);
the only Python objects shared across requests are the geocoding services, which hold no
per-user state.
"""

from __future__ import annotations

import base64
import json
import math

import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import figures, state
from dashboard.export import SAFE_URL, standalone_html
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import ItineraryError, parse_itinerary
from dashboard.layout import problem_list

# Play the tour only where a frame per day stays light enough to send to the browser.
ANIMATE_MAX_STOPS = 300


# ---------------------------------------------------------------------------- plain functions


def render_trip(trip_id, catalogue, selection, view_options):
    """Everything shown for one trip: map, timeline, summary, itinerary, grid, stop details."""
    stops, events, _ = state.frames(catalogue, trip_id)
    if stops.empty:
        empty = figures.map_figure(stops, whole_world=True)
        return (empty, figures.timeline_figure(stops), "No trip loaded: drop an itinerary file above.",
                "", [], "Click a stop on the map or the timeline.", [])
    selected = _selected(selection, trip_id)
    whole_world = "world" in (view_options or [])
    map_fig = figures.map_figure(stops, events, whole_world=whole_world, selected=selected,
                                 animate=len(stops) <= ANIMATE_MAX_STOPS)
    timeline = figures.timeline_figure(stops, events, selected=selected)
    summaries = figures.trip_summaries(stops, events)
    summary = [html.P(f"{s.leader}: {s.trip}. {s.text()}.") for s in summaries]
    summary += [html.P(w, className="warning") for w in map_fig.layout.meta["warnings"]]
    text = figures.itinerary_text(stops, events, summaries)
    rows = grid_rows(stops)
    details, candidates = stop_details(stops, events, selected)
    return map_fig, timeline, summary, text, rows, details, candidates


def _selected(selection, trip_id):
    if selection and selection.get("trip_id") == trip_id:
        return selection["trip_id"], int(selection["stop_no"])
    return None


def grid_rows(stops: pd.DataFrame) -> list[dict]:
    rows = []
    arrive = figures.date_labels(stops.assign(depart=stops["arrive"], depart_has_time=stops["arrive_has_time"],
                                              utc_offset=None))
    depart = figures.date_labels(stops.assign(arrive=stops["depart"], arrive_has_time=stops["depart_has_time"],
                                              utc_offset=None))
    for stop, arrive_label, depart_label in zip(figures.frame_records(stops), arrive, depart):
        rows.append({
            "stop_no": int(stop["stop_no"]), "place": stop["place"], "country": stop.get("country"),
            "arrive": arrive_label, "depart": depart_label,
            "lat": None if pd.isna(stop["lat"]) else round(float(stop["lat"]), 5),
            "lon": None if pd.isna(stop["lon"]) else round(float(stop["lon"]), 5),
            "precision": stop.get("precision"), "matched_name": stop.get("matched_name"),
            "geo_source": stop.get("geo_source"), "geocode_note": stop.get("geocode_note"),
        })
    return rows


def stop_details(stops: pd.DataFrame, events: pd.DataFrame, selected):
    """The selected stop's events (who, what, source links) and its geocoding candidates."""
    if selected is None:
        return "Click a stop on the map or the timeline.", []
    match = stops[stops["stop_no"] == selected[1]]
    if match.empty:
        return "Click a stop on the map or the timeline.", []
    stop = match.iloc[0].to_dict()
    chosen = events[events["stop_no"] == selected[1]]
    items = []
    for event in figures.frame_records(chosen):
        parts = [html.Strong(event["kind"]), " "]
        if isinstance(event.get("time"), str) and event["time"]:
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
    placed = html.P(f"Placed by {stop.get('geo_source') or 'the itinerary'}: {stop.get('matched_name') or ''} "
                    f"({stop.get('precision') or 'exact'})" + (f"; {stop['geocode_note']}" if stop.get("geocode_note") else ""),
                    className="placed")
    note = html.P(f"Inferred: {stop['inferred']}. {stop.get('note') or ''}", className="inferred") \
        if stop.get("inferred") else None
    body = [header, placed] + ([note] if note else []) + [html.Ul(items) if items else html.P("No events recorded.")]
    candidates = []
    for candidate in json.loads(stop.get("candidates") or "[]"):
        label = f"{candidate['name']}, {candidate['country']} ({candidate['precision']})"
        candidates.append({"label": label, "value": json.dumps(candidate, sort_keys=True)})
    return body, candidates


def selection_from_click(trigger, map_click, timeline_click, grid_rows_selected, trip_id):
    if trigger == "map" and map_click:
        data = map_click["points"][0].get("customdata")
    elif trigger == "timeline" and timeline_click:
        data = timeline_click["points"][0].get("customdata")
    elif trigger == "stops-grid" and grid_rows_selected:
        data = [trip_id, grid_rows_selected[0]["stop_no"]]
    else:
        return no_update
    if not data:
        return no_update
    return {"trip_id": data[0], "stop_no": int(data[1])}


def load_upload(contents, filename, catalogue, resolver: PlaceResolver):
    """Parse, geocode and merge an uploaded itinerary; a bad file changes nothing on screen."""
    if not contents:
        return no_update, no_update, no_update, no_update
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
        itinerary = parse_itinerary(raw, filename or "upload")
    except ItineraryError as exc:
        problems = [p.as_dict() for p in exc.problems] or [
            {"severity": "error", "file": filename, "location": "", "column": None, "value": None, "message": str(exc)}]
        return no_update, no_update, no_update, problem_list(problems) + [
            html.P("Nothing was loaded from this file; the trips on screen are unchanged.", className="hint")]
    except (ValueError, IndexError):
        return no_update, no_update, no_update, problem_list([{
            "severity": "error", "file": filename, "location": "", "column": None, "value": None,
            "message": "the upload could not be read; try again or save the file as UTF-8 CSV or JSON"}])
    problems = [p.as_dict() for p in itinerary.problems]
    if itinerary.stops.empty:
        return no_update, no_update, no_update, problem_list(problems) + [
            html.P("No stop could be loaded from this file; the trips on screen are unchanged.", className="hint")]
    placed = resolver.geocode_stops(itinerary.stops)
    problems += geocoding_problems(placed)
    merged = state.merge(catalogue, state.to_store(itinerary, placed))
    summary = html.P(f"Loaded {len(itinerary.stops)} stop(s) in {len(itinerary.trips)} trip(s) from {filename}"
                     + (f"; {len(itinerary.dropped)} row(s) not loaded." if itinerary.dropped else "."))
    return merged, state.trip_options(merged), itinerary.trips["trip_id"].iloc[0], [summary] + problem_list(problems)


def geocoding_problems(placed: pd.DataFrame) -> list[dict]:
    out = []
    for stop in figures.frame_records(placed):
        if stop.get("geocode_note"):
            unresolved = pd.isna(stop["lat"])
            out.append({"severity": "error" if unresolved else "warning", "file": stop["file"],
                        "location": stop["location"], "column": "place", "value": stop["place"],
                        "message": stop["geocode_note"] + ("; the stop is left off the map" if unresolved else "")})
    return out


def apply_cell_edits(changes, trip_id, catalogue, resolver: PlaceResolver):
    """Re-geocode an edited place or country at once; typed coordinates pin the stop (saved)."""
    if not changes or not trip_id:
        return no_update, no_update
    messages = []
    for change in changes:
        row, column = change.get("data") or {}, change.get("colId")
        stop_no = int(row.get("stop_no"))
        current = next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)
        if current is None:
            continue
        if column in ("place", "country"):
            place = str(row.get("place") or "").strip()
            if not place:
                messages.append({"severity": "error", "file": None, "location": f"stop {stop_no}", "column": "place",
                                 "value": "", "message": "the place is empty; type a place name"})
                continue
            country = row.get("country") or None
            found = resolver.resolve(place, country)
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, _resolution_fields(found, place=place, country=country))
        elif column in ("lat", "lon"):
            try:
                lat, lon = float(row.get("lat")), float(row.get("lon"))
                if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
                    raise ValueError
            except (TypeError, ValueError):
                messages.append({"severity": "error", "file": None, "location": f"stop {stop_no}", "column": column,
                                 "value": change.get("newValue"),
                                 "message": "coordinates must be numbers: lat from -90 to 90, lon from -180 to 180"})
                continue
            if resolver.store is not None:
                resolver.store.save_override(current["place"], current.get("country"), lat, lon, current["place"],
                                             current.get("country_code"), "venue")
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, {
                "lat": lat, "lon": lon, "precision": "venue", "geo_source": "override",
                "matched_name": current["place"], "geo_match": "pinned by the user", "geocode_note": None})
    return catalogue, problem_list(messages)


def _resolution_fields(found, **extra) -> dict:
    return dict(extra, lat=found.lat if found.resolved else None, lon=found.lon if found.resolved else None,
                country_code=found.country_code, precision=found.precision, matched_name=found.matched_name,
                geo_source=found.source, geo_match=found.match, geocode_note=found.note,
                candidates=json.dumps(found.candidates, ensure_ascii=False))


def pick_candidate(value, selection, catalogue, resolver: PlaceResolver):
    """The user chose a "did you mean" candidate: use it now and remember it."""
    if not value or not selection:
        return no_update
    candidate = json.loads(value)
    trip_id, stop_no = selection["trip_id"], int(selection["stop_no"])
    stop = next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)
    if stop is None:
        return no_update
    if resolver.store is not None:
        resolver.store.save_override(stop["place"], stop.get("country"), candidate["latitude"], candidate["longitude"],
                                     candidate["name"], candidate["country_code"], candidate["precision"])
    return state.replace_stop(catalogue, trip_id, stop_no, {
        "lat": candidate["latitude"], "lon": candidate["longitude"], "country_code": candidate["country_code"],
        "precision": candidate["precision"], "matched_name": candidate["name"], "geo_source": "override",
        "geo_match": "chosen by the user", "geocode_note": None})


def export_download(trigger, trip_id, catalogue):
    stops, events, trips = state.frames(catalogue, trip_id)
    if stops.empty:
        return no_update
    if trigger == "export-html":
        return dcc.send_string(standalone_html(stops, events), f"{trip_id}.html")
    if trigger == "export-csv":
        return dcc.send_string(state.geocoded_csv(stops), f"{trip_id}-stops.csv")
    if trigger == "export-json":
        return dcc.send_string(state.itinerary_json(stops, events, trips), f"{trip_id}.json")
    return no_update


# ---------------------------------------------------------------------------- wiring


def register_callbacks(app, resolver: PlaceResolver) -> None:
    app.callback(
        Output("map", "figure"), Output("timeline", "figure"), Output("summary", "children"),
        Output("itinerary-text", "children"), Output("stops-grid", "rowData"), Output("stop-details", "children"),
        Output("candidate-picker", "options"),
        Input("trip-picker", "value"), Input("catalogue", "data"), Input("selection", "data"),
        Input("view-options", "value"),
    )(render_trip)

    @app.callback(Output("selection", "data"), Input("map", "clickData"), Input("timeline", "clickData"),
                  Input("stops-grid", "selectedRows"), State("trip-picker", "value"), prevent_initial_call=True)
    def _select(map_click, timeline_click, grid_selected, trip_id):
        return selection_from_click(ctx.triggered_id, map_click, timeline_click, grid_selected, trip_id)

    @app.callback(Output("catalogue", "data"), Output("trip-picker", "options"), Output("trip-picker", "value"),
                  Output("messages", "children"), Input("upload", "contents"), State("upload", "filename"),
                  State("catalogue", "data"), prevent_initial_call=True)
    def _upload(contents, filename, catalogue):
        return load_upload(contents, filename, catalogue, resolver)

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Output("messages", "children", allow_duplicate=True),
                  Input("stops-grid", "cellValueChanged"), State("trip-picker", "value"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _edit(changes, trip_id, catalogue):
        return apply_cell_edits(changes, trip_id, catalogue, resolver)

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Input("candidate-picker", "value"),
                  State("selection", "data"), State("catalogue", "data"), prevent_initial_call=True)
    def _pick(value, selection, catalogue):
        return pick_candidate(value, selection, catalogue, resolver)

    @app.callback(Output("download", "data"), Input("export-html", "n_clicks"), Input("export-csv", "n_clicks"),
                  Input("export-json", "n_clicks"), State("trip-picker", "value"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _download(_html, _csv, _json, trip_id, catalogue):
        return export_download(ctx.triggered_id, trip_id, catalogue)
