"""Fixing where a trip's stops are: the stops grid (edit a place or country hint to geocode it
again, type coordinates to pin it), the "did you mean" candidates of the selected stop, and
forgetting a saved choice. A choice is saved to the store for everyone when this browser may
write to it, else it stays in this browser's session."""

from __future__ import annotations

import json

import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import figures, state
from dashboard.features.common import edit_problem, problem_list
from dashboard.geocoding.resolver import PlaceResolver, Resolution
from dashboard.itinerary import APPROXIMATE, frame_rows, is_missing, placement_confidence, text_or_none
from dashboard.store import PRECISIONS, valid_coordinates
from dashboard.store.access import ReadOnlyChoices

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


# ---------------------------------------------------------------------------- layout


def stops_section():
    return html.Section(className="stops", children=[
        html.H2("Stops"),
        html.P("Edit a place or country hint to geocode it again, or type coordinates to pin a stop. "
               "Choices are remembered.", className="hint"),
        # Columns as wide as their content (the grid scrolls sideways on a phone): a cut date or
        # note is a misread one.
        dag.AgGrid(id="stops-grid", columnDefs=GRID_COLUMNS, rowData=[], columnSize="autoSize",
                   defaultColDef={"resizable": True, "sortable": False},
                   getRowId="'' + params.data.stop_no",
                   dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                     "enableClickSelection": True},
                                    "domLayout": "autoHeight", "stopEditingWhenCellsLoseFocus": True},
                   className="ag-theme-alpine"),
    ])


def candidate_box():
    """Shown in the selected stop's panel once a stop with candidates is chosen."""
    return html.Div(id="candidate-box", hidden=True, children=[
        html.Label("Did you mean another place? ", htmlFor="candidate-picker"),
        dcc.Dropdown(id="candidate-picker", options=[], placeholder="Pick a candidate"),
        html.Button("Forget the saved choice for this place", id="forget-choice", n_clicks=0, className="secondary"),
    ])


def grid_rows(stops: pd.DataFrame) -> list[dict]:
    rows = []
    arrive = figures.date_labels(stops.assign(depart=stops["arrive"], depart_has_time=stops["arrive_has_time"],
                                              utc_offset=None))
    depart = figures.date_labels(stops.assign(arrive=stops["depart"], arrive_has_time=stops["depart_has_time"],
                                              utc_offset=None))
    for stop, arrive_label, depart_label in zip(frame_rows(stops), arrive, depart):
        rows.append({
            "stop_no": int(stop["stop_no"]), "place": stop["place"], "country": stop.get("country"),
            "arrive": arrive_label, "depart": depart_label,
            "lat": None if pd.isna(stop["lat"]) else round(float(stop["lat"]), 5),
            "lon": None if pd.isna(stop["lon"]) else round(float(stop["lon"]), 5),
            "precision": stop.get("precision"), "confidence": placement_confidence(stop) if stop.get("precision") else None,
            "matched_name": stop.get("matched_name"),
            "geo_source": stop.get("geo_source"), "geocode_note": stop.get("geocode_note"),
        })
    return rows


# ---------------------------------------------------------------------------- callbacks as plain functions


def apply_cell_edits(changes, trip_id, shipped, own, resolver: PlaceResolver) -> dict:
    """Re-geocode an edited place or country at once; typed coordinates pin the stop (saved).

    The grid sends what the browser holds, so every value is checked here: a change without a
    stop number, for a stop that is gone, or with text where a number belongs is reported and
    skipped, and the other changes still apply. Returns this browser's trips and messages.
    """
    catalogue = state.view(shipped, own)
    if not changes or not trip_id or not any(t["trip_id"] == trip_id for t in catalogue["trips"]):
        return dict(own=no_update, messages=no_update)
    messages = []
    for change in changes if isinstance(changes, list) else []:
        row = change.get("data") if isinstance(change, dict) else None
        column = change.get("colId") if isinstance(change, dict) else None
        try:
            stop_no = int((row or {}).get("stop_no"))
        except (TypeError, ValueError):
            messages.append(edit_problem(None, column, None, "this edit names no stop; reload the trip and edit again"))
            continue
        current = _stop(catalogue, trip_id, stop_no)
        if current is None:
            messages.append(edit_problem(stop_no, column, None, "this stop is no longer in the trip; reload the trip"))
            continue
        if column in ("place", "country"):
            place = text_or_none(row.get("place"))
            if place is None:
                messages.append(edit_problem(stop_no, "place", "", "the place is empty; type a place name"))
                continue
            country = text_or_none(row.get("country"))
            found = resolver.with_context(resolver.resolve(place, country), neighbours(catalogue, trip_id, stop_no))
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, resolution_fields(found, resolver, place=place,
                                                                                            country=country))
        elif column in ("lat", "lon"):
            try:
                lat, lon = valid_coordinates(row.get("lat"), row.get("lon"))
            except ValueError as exc:
                messages.append(edit_problem(stop_no, column, change.get("newValue"), str(exc)))
                continue
            if resolver.store is not None:
                resolver.store.save_override(current["place"], current.get("country"), lat, lon, current["place"],
                                             current.get("country_code"), "venue")
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, {
                "lat": lat, "lon": lon, "precision": "venue", "confidence": "high", "geo_source": "override",
                "matched_name": current["place"], "geo_match": "pinned by the user", "geocode_note": None})
    return dict(own=state.keep_trip(own, catalogue, trip_id), messages=problem_list(messages))


def pick_candidate(value, selection, shipped, own, resolver: PlaceResolver):
    """The user chose a "did you mean" candidate: use it now and remember it. Returns this
    browser's trips.

    The value comes back from the browser, so it is parsed and checked like any input: a value
    that is not one of the candidates we offered changes nothing.
    """
    catalogue = state.view(shipped, own)
    if not value or not selection:
        return no_update
    try:
        candidate = json.loads(value)
        lat, lon = valid_coordinates(candidate["latitude"], candidate["longitude"])
        name = text_or_none(candidate["name"])
        precision = candidate.get("precision")
        trip_id, stop_no = selection["trip_id"], int(selection["stop_no"])
    except (TypeError, ValueError, KeyError, AttributeError):
        return no_update
    if name is None or precision not in PRECISIONS:
        return no_update
    stop = _stop(catalogue, trip_id, stop_no)
    if stop is None:
        return no_update
    country_code = text_or_none(candidate.get("country_code"))
    if resolver.store is not None:
        resolver.store.save_override(stop["place"], stop.get("country"), lat, lon, name, country_code, precision)
    changed = state.replace_stop(catalogue, trip_id, stop_no, {
        "lat": lat, "lon": lon, "country_code": country_code, "precision": precision, "matched_name": name,
        "confidence": "approximate" if precision in APPROXIMATE else "high",
        "geo_source": "override", "geo_match": "chosen by the user", "geocode_note": None})
    return state.keep_trip(own, changed, trip_id)


def forget_choice(n_clicks, selection, shipped, own, resolver: PlaceResolver) -> dict:
    """Undo a saved choice for the selected stop's place and place it afresh."""
    unchanged = dict(own=no_update, messages=no_update)
    if not n_clicks or not selection or resolver.store is None:
        return unchanged
    catalogue = state.view(shipped, own)
    try:
        trip_id, stop_no = selection["trip_id"], int(selection["stop_no"])
    except (TypeError, ValueError, KeyError):
        return unchanged
    stop = _stop(catalogue, trip_id, stop_no)
    if stop is None:
        return unchanged
    if not resolver.store.forget_override(stop["place"], stop.get("country")):
        return dict(own=no_update, messages=problem_list([edit_problem(
            stop_no, "place", stop["place"], "no saved choice for this place; nothing to forget")]))
    found = resolver.with_context(resolver.resolve(stop["place"], stop.get("country")),
                                  neighbours(catalogue, trip_id, stop_no))
    changed = state.replace_stop(catalogue, trip_id, stop_no, resolution_fields(found, resolver))
    return dict(own=state.keep_trip(own, changed, trip_id),
                messages=[html.P(f"Forgot the saved choice for {stop['place']}.")])


def _stop(catalogue: dict, trip_id, stop_no: int) -> dict | None:
    return next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)


def neighbours(catalogue: dict, trip_id: str, stop_no: int) -> list[Resolution]:
    """The stops just before and after an edited one, as the resolver's context."""
    trip = sorted((s for s in catalogue["stops"] if s["trip_id"] == trip_id), key=lambda s: int(s["stop_no"]))
    numbers = [int(s["stop_no"]) for s in trip]
    at = numbers.index(stop_no) if stop_no in numbers else None
    if at is None:
        return []
    around = [s for s in (trip[at - 1] if at > 0 else None, trip[at + 1] if at + 1 < len(trip) else None)
              if s is not None and not is_missing(s.get("lat")) and not is_missing(s.get("lon"))]
    return [Resolution(float(s["lat"]), float(s["lon"]), s.get("country_code"), s.get("precision"),
                       s.get("matched_name"), s.get("geo_source"), confidence=placement_confidence(s)) for s in around]


def resolution_fields(found: Resolution, resolver: PlaceResolver, **extra) -> dict:
    """A stop's placing fields from a resolution, as ``geocode_stops`` gives a file's stops."""
    return dict(extra, lat=found.lat if found.resolved else None, lon=found.lon if found.resolved else None,
                country_code=found.country_code,
                country_name=resolver.gazetteer.country_name(found.country_code) if found.country_code else None, precision=found.precision, confidence=found.confidence,
                matched_name=found.matched_name, geo_source=found.source, geo_match=found.match,
                geocode_note=found.note, candidates=json.dumps(found.candidates, ensure_ascii=False))


def register(app, services, shipped) -> None:
    policy = services.write_policy

    def writer(token) -> PlaceResolver:
        """The resolver for this request: a reader without the right to write still uses the
        saved choices, but a new choice stays in their session."""
        resolver = services.resolver
        return resolver if policy.refusal(token) is None else resolver.with_store(ReadOnlyChoices(resolver.store))

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              messages=Output("messages", "children", allow_duplicate=True)),
                  inputs=dict(changes=Input("stops-grid", "cellValueChanged"), trip_id=State("trip-picker", "value"),
                              own=State("catalogue", "data"), token=State("editor-token", "value")),
                  prevent_initial_call=True)
    def _edit(changes, trip_id, own, token):
        return apply_cell_edits(changes, trip_id, shipped(), own, writer(token))

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Input("candidate-picker", "value"),
                  State("selection", "data"), State("catalogue", "data"), State("editor-token", "value"),
                  prevent_initial_call=True)
    def _pick(value, selection, own, token):
        return pick_candidate(value, selection, shipped(), own, writer(token))

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              messages=Output("messages", "children", allow_duplicate=True)),
                  inputs=dict(n_clicks=Input("forget-choice", "n_clicks"), selection=State("selection", "data"),
                              own=State("catalogue", "data"), token=State("editor-token", "value")),
                  prevent_initial_call=True)
    def _forget(n_clicks, selection, own, token):
        return forget_choice(n_clicks, selection, shipped(), own, writer(token))
