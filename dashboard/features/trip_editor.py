"""Authoring a trip in the dashboard (issue 21): "New trip", the trip's title, traveller and
role, a stop form ("Add a stop" after the selected stop, "Save stop", "Delete stop", "Move stop
up/down") and the selected stop's events. Every edit goes to this browser's own trips (session
storage, as uploads do) and the trip view follows; "Undo" and "Redo" (Ctrl+Z, Ctrl+Shift+Z)
step through the session's edits in the browser (``assets/authoring.js``).

The store operations are ``dashboard.authoring`` (no Dash); a field that cannot be taken as
typed gets its message beside it and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from dashboard import authoring, state
from dashboard.authoring import EditError
from dashboard.features.editing import neighbours, resolution_fields
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.geocoding.time_zones import is_nautical
from dashboard.itinerary import EVENT_KINDS, text_or_none
from dashboard.itinerary.values import zone_offset

# Each form field: (id, visible label, input type, hint). The labels are the accessible names
# the issue asks for; an error for a field is shown beside it (id + "-error").
TRIP_FIELDS = (("trip-title", "Trip title", "text", None), ("trip-traveller", "Traveller", "text", None),
               ("trip-role", "Role", "text", "optional: Prime Minister, Secretary of State"))
STOP_FIELDS = (("stop-place", "Place", "text", "a city, a venue, a base"),
               ("stop-country", "Country", "text", "optional: helps the place be found"),
               ("stop-arrive", "Arrive", "text", "2025-08-24"),
               ("stop-arrive-time", "Arrival time", "text", "optional, local: 09:30"),
               ("stop-depart", "Depart", "text", "empty: the day of arrival"),
               ("stop-depart-time", "Departure time", "text", "optional, local: 18:00"),
               ("stop-note", "Note", "textarea", None))
EVENT_FIELDS = (("event-text", "What happened", "textarea", None), ("event-people", "People", "text", "optional"),
                ("event-time", "Time", "text", "optional, local: 14:30"),
                ("event-link", "Source link", "text", "https://…"))
LABEL_IDS = {label: field_id for fields in (TRIP_FIELDS, STOP_FIELDS, EVENT_FIELDS)
             for field_id, label, _, _ in fields} | {"Kind": "event-kind"}
EVENT_FIELD_IDS = (*(field_id for field_id, *_ in EVENT_FIELDS), "event-kind")
BLANK_EVENT = {field_id: "" for field_id in EVENT_FIELD_IDS} | {"event-kind": "meeting"}
STOP_ACTIONS = ("add-stop", "save-stop", "delete-stop", "move-stop-up", "move-stop-down")
ERROR_IDS = [f"{field_id}-error" for field_id in LABEL_IDS.values()]
NO_STOP_CHOSEN = "No stop chosen: 'Add a stop' adds one at the end."


# ---------------------------------------------------------------------------- layout


def toolbar_buttons():
    """In the page's toolbar beside the trip picker: start a trip, step back and forth."""
    return html.Div(className="authoring-buttons", role="group", **{"aria-label": "Authoring"}, children=[
        html.Button("New trip", id="new-trip", n_clicks=0),
        html.Button("Undo", id="undo", n_clicks=0, disabled=True, title="Undo (Ctrl+Z)",
                    **{"aria-keyshortcuts": "Control+Z"}),
        html.Button("Redo", id="redo", n_clicks=0, disabled=True, title="Redo (Ctrl+Shift+Z)",
                    **{"aria-keyshortcuts": "Control+Shift+Z"}),
        # The session's edits, in this tab's memory: the stores before and after each edit.
        dcc.Store(id="history", storage_type="memory", data={"past": [], "future": [], "present": None}),
    ])


def _field(field_id: str, label: str, kind: str, hint: str | None, value: str = ""):
    described = f"{field_id}-error"
    control = (dcc.Textarea(id=field_id, value=value, rows=2) if kind == "textarea"
               else dcc.Input(id=field_id, type=kind, value=value, placeholder=hint or ""))
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=field_id),
        control,
        html.P(id=described, className="field-error", role="alert"),
    ])


def editor_section(trip: dict | None = None):
    """The trip's details (of ``trip``, the one the page opens on), the stop form and the
    selected stop's events."""
    trip = trip or {}
    details = {"trip-title": trip.get("trip"), "trip-traveller": trip.get("leader"), "trip-role": trip.get("leader_role")}
    return html.Section(className="editor", **{"aria-labelledby": "editor-title"}, children=[
        html.H2("Edit the trip", id="editor-title"),
        html.P("Changes show at once on the map, the timeline and the itinerary, and stay in this browser "
               "until you download them or save them to the shared store. Times are local to each stop.",
               className="hint"),
        html.Fieldset(className="trip-fields", children=[
            html.Legend("Trip"),
            html.Div(className="fields", children=[_field(*f, value=text_or_none(details[f[0]]) or "")
                                                   for f in TRIP_FIELDS]),
            html.Button("Save trip details", id="save-trip-details", n_clicks=0),
        ]),
        html.Fieldset(className="stop-fields", children=[
            html.Legend(id="stop-form-title", children="Stop"),
            html.P(NO_STOP_CHOSEN, id="stop-form-hint", className="hint"),
            html.Div(className="fields", children=[_field(*f) for f in STOP_FIELDS]),
            html.P(id="stop-warnings", className="field-warning", role="status"),
            html.Div(className="editor-actions", children=[
                html.Button("Add a stop", id="add-stop", n_clicks=0),
                html.Button("Save stop", id="save-stop", n_clicks=0, disabled=True),
                html.Button("Delete stop", id="delete-stop", n_clicks=0, disabled=True, className="danger"),
                html.Button("Move stop up", id="move-stop-up", n_clicks=0, disabled=True),
                html.Button("Move stop down", id="move-stop-down", n_clicks=0, disabled=True),
            ]),
        ]),
        html.Fieldset(className="event-fields", children=[
            html.Legend("Events of the chosen stop"),
            html.Ul(id="event-list", className="event-list"),
            html.Div(className="fields", children=[
                _field(*EVENT_FIELDS[0]),
                html.Div(className="field", children=[
                    html.Label("Kind", htmlFor="event-kind"),
                    dcc.Dropdown(id="event-kind", options=list(EVENT_KINDS), value="meeting", clearable=False,
                                 searchable=False),
                    html.P(id="event-kind-error", className="field-error", role="alert"),
                ]),
                *[_field(*f) for f in EVENT_FIELDS[1:]],
            ]),
            html.Div(className="editor-actions", children=[
                html.Button("Add an event", id="add-event", n_clicks=0, disabled=True),
                html.Button("Save event", id="save-event", n_clicks=0, disabled=True),
            ]),
            dcc.Store(id="event-editing", data=None),  # the event number the form holds, or None
        ]),
    ])


# ---------------------------------------------------------------------------- callbacks as plain functions


def errors_for(problem: EditError | None) -> dict:
    """Every field's message (``ERROR_IDS`` order): the problem's field gets it, others none."""
    wanted = f"{LABEL_IDS.get(problem.field, '')}-error" if problem is not None else None
    return {error_id: (problem.message if error_id == wanted else "") for error_id in ERROR_IDS}


def start_trip(shipped, own) -> dict:
    """'New trip': an empty trip of this browser's own, shown at once."""
    catalogue = state.view(shipped, own)
    changed, trip_id = authoring.new_trip(catalogue, authoring.UNTITLED, None)
    return dict(own=state.keep_trip(own, changed, trip_id), options=state.trip_options(changed), trip_id=trip_id,
                selection={})


def save_trip_details(trip_id, title, traveller, role, shipped, own) -> dict:
    try:
        changed = authoring.trip_details(state.view(shipped, own), trip_id, title, traveller, role)
    except EditError as problem:
        return dict(own=no_update, options=no_update, errors=errors_for(problem))
    return dict(own=state.keep_trip(own, changed, trip_id), options=state.trip_options(changed),
                errors=errors_for(None))


def stop_action(action, trip_id, selection, typed: dict, shipped, own, resolver: PlaceResolver) -> dict:
    """One of ``STOP_ACTIONS`` on the trip: returns this browser's trips, the selection, every
    field's message and the warnings (order in real time, a stop at sea)."""
    catalogue = state.view(shipped, own)
    selected = _selected_number(selection, trip_id)
    try:
        if not trip_id or not any(t["trip_id"] == trip_id for t in catalogue["trips"]):
            raise EditError("Trip title", "pick a trip or start one with 'New trip'")
        if action == "add-stop":
            changed, number = authoring.add_stop(catalogue, trip_id, authoring.stop_fields(**typed), after=selected)
            changed = _place(changed, trip_id, number, resolver)
        elif selected is None:
            raise EditError("Place", "choose a stop first (on the map, the timeline or in the itinerary)")
        elif action == "save-stop":
            fields = authoring.stop_fields(**typed)
            before = authoring.stop_of(catalogue, trip_id, selected)
            changed, number = state.replace_stop(catalogue, trip_id, selected, fields), selected
            if (before["place"], before.get("country")) != (fields["place"], fields["country"]):
                changed = _place(changed, trip_id, number, resolver)
        elif action == "delete-stop":
            changed = authoring.delete_stop(catalogue, trip_id, selected)
            remaining = sum(s["trip_id"] == trip_id for s in changed["stops"])
            number = min(selected, remaining) if remaining else None
        else:
            changed, number = authoring.move_stop(catalogue, trip_id, selected, -1 if action == "move-stop-up" else 1)
    except EditError as problem:
        return dict(own=no_update, selection=no_update, errors=errors_for(problem), warnings=no_update)
    warnings = authoring.order_warnings(changed, trip_id, number) if number else []
    warnings += _sea_warning(changed, trip_id, number) if number else []
    return dict(own=state.keep_trip(own, changed, trip_id),
                selection={"trip_id": trip_id, "stop_no": number} if number else {},
                errors=errors_for(None), warnings="; ".join(warnings).capitalize() if warnings else "")


def event_action(trigger, trip_id, selection, editing, typed: dict, shipped, own) -> dict:
    """'Add an event', 'Save event' (the one the form holds) or a 'Delete' beside an event."""
    catalogue = state.view(shipped, own)
    selected = _selected_number(selection, trip_id)
    unchanged = dict(own=no_update, editing=no_update)
    try:
        if selected is None:
            raise EditError("What happened", "choose a stop first; its events are edited here")
        stop = authoring.stop_of(catalogue, trip_id, selected)
        if isinstance(trigger, dict) and trigger.get("type") == "event-delete":
            changed = authoring.delete_event(catalogue, trip_id, selected, int(trigger["index"]))
            editing = None
        elif trigger == "save-event" and editing is not None:
            changed = authoring.replace_event(catalogue, trip_id, selected, int(editing),
                                              authoring.event_fields(stop=stop, **typed))
        elif trigger in ("add-event", "save-event"):
            changed = authoring.add_event(catalogue, trip_id, selected, authoring.event_fields(stop=stop, **typed))
            editing = None
        else:
            return dict(unchanged, errors={k: no_update for k in ERROR_IDS})
    except EditError as problem:
        return dict(unchanged, errors=errors_for(problem))
    return dict(own=state.keep_trip(own, changed, trip_id), editing=editing, errors=errors_for(None))


def form_values(trip_id, selection, shipped, own) -> dict:
    """The forms filled from the trip and its chosen stop: the trip's details, the stop's fields
    (its dates and local times as typed), its events with their buttons, and which buttons can
    act."""
    catalogue = state.view(shipped, own)
    trip = next((t for t in catalogue["trips"] if t["trip_id"] == trip_id), None)
    selected = _selected_number(selection, trip_id)
    stop = authoring.find_stop(catalogue, trip_id, selected) if selected is not None else None
    values = {"trip-title": (trip or {}).get("trip") or "", "trip-traveller": (trip or {}).get("leader") or "",
              "trip-role": (trip or {}).get("leader_role") or ""}
    values.update(_stop_values(stop), **BLANK_EVENT)
    events = sorted((e for e in catalogue["events"] if stop and e["trip_id"] == trip_id
                     and int(e["stop_no"]) == selected), key=lambda e: int(e["event_no"]))
    count = sum(s["trip_id"] == trip_id for s in catalogue["stops"])
    return dict(
        values=values, editing=None,
        title=f"Stop {selected}: {stop['place']}" if stop else "Stop",
        hint=(f"Editing stop {selected}. 'Add a stop' adds a new one after it." if stop else NO_STOP_CHOSEN),
        events=_event_items(events, stop),
        disabled={"save-stop": stop is None, "delete-stop": stop is None,
                  "move-stop-up": stop is None or selected <= 1, "move-stop-down": stop is None or selected >= count,
                  "add-event": stop is None, "save-event": stop is None},
    )


def event_form(event_no, trip_id, selection, shipped, own) -> dict:
    """An event's 'Edit' pressed: the event form holds it until saved."""
    catalogue = state.view(shipped, own)
    selected = _selected_number(selection, trip_id)
    event = next((e for e in catalogue["events"] if selected is not None and e["trip_id"] == trip_id
                  and int(e["stop_no"]) == selected and int(e["event_no"]) == int(event_no)), None)
    if event is None:
        return dict(values=no_update, editing=None)
    time = event.get("time") or ""
    return dict(values={"event-text": event.get("text") or "", "event-kind": event.get("kind") or "other",
                        "event-people": event.get("people") or "", "event-time": time[11:16] if len(time) > 11 else time,
                        "event-link": event.get("source") or ""}, editing=int(event_no))


def _stop_values(stop: dict | None) -> dict:
    if stop is None:
        return {field_id: "" for field_id, *_ in STOP_FIELDS}
    arrive, depart = str(stop["arrive"]), str(stop["depart"])
    return {"stop-place": stop.get("place") or "", "stop-country": text_or_none(stop.get("country")) or "",
            "stop-arrive": arrive[:10], "stop-arrive-time": arrive[11:16] if stop.get("arrive_has_time") else "",
            "stop-depart": depart[:10], "stop-depart-time": depart[11:16] if stop.get("depart_has_time") else "",
            "stop-note": text_or_none(stop.get("note")) or ""}


def _event_items(events: list[dict], stop: dict | None):
    if stop is None:
        return [html.Li("Choose a stop to see and edit its events.", className="hint")]
    if not events:
        return [html.Li("No events yet.", className="hint")]
    items = []
    for event in events:
        number = int(event["event_no"])
        time = f"{event['time'][11:16]} " if event.get("time") and len(event["time"]) > 11 else ""
        items.append(html.Li([
            html.Span(f"{event['kind']} ", className="kind"), time, event["text"],
            html.Button("Edit", id={"type": "event-edit", "index": number}, n_clicks=0, className="secondary",
                        **{"aria-label": f"Edit event {number}: {event['text'][:60]}"}),
            html.Button("Delete", id={"type": "event-delete", "index": number}, n_clicks=0, className="secondary",
                        **{"aria-label": f"Delete event {number}: {event['text'][:60]}"}),
        ]))
    return items


def _selected_number(selection, trip_id) -> int | None:
    try:
        return int(selection["stop_no"]) if selection and selection.get("trip_id") == trip_id else None
    except (KeyError, TypeError, ValueError):
        return None


def _place(store: dict, trip_id: str, stop_no: int, resolver: PlaceResolver) -> dict:
    """Geocode the stop as a file's stop is, with its neighbours as context (and its zone)."""
    stop = authoring.stop_of(store, trip_id, stop_no)
    found = resolver.with_context(resolver.resolve(stop["place"], stop.get("country")),
                                  neighbours(store, trip_id, stop_no))
    return state.replace_stop(store, trip_id, stop_no, resolution_fields(found, resolver))


def _sea_warning(store: dict, trip_id: str, stop_no: int) -> list[str]:
    stop = authoring.stop_of(store, trip_id, stop_no)
    zone = stop.get("timezone")
    if stop.get("lat") is None:
        return [f"{stop['place']} was not found, so its time zone is unknown: pin it in the stops grid, "
                "or write times with their offset (2025-08-24T09:30+03:00)"]
    if is_nautical(zone):
        offset = zone_offset(datetime.fromisoformat(str(stop["arrive"])), zone)
        return [f"{stop['place']} is at sea: its times are read in the nautical zone (UTC{offset}); "
                "write an offset (2025-08-24T09:30+02:00) to use the ship's clock"]
    return []


def register(app, services, shipped) -> None:

    typed_stop = {name: State(field_id, "value") for name, field_id in (
        ("place", "stop-place"), ("country", "stop-country"), ("arrive", "stop-arrive"),
        ("arrive_time", "stop-arrive-time"), ("depart", "stop-depart"), ("depart_time", "stop-depart-time"),
        ("note", "stop-note"))}
    typed_event = {name: State(field_id, "value") for name, field_id in (
        ("text", "event-text"), ("kind", "event-kind"), ("people", "event-people"), ("time", "event-time"),
        ("link", "event-link"))}
    error_outputs = {error_id: Output(error_id, "children", allow_duplicate=True) for error_id in ERROR_IDS}
    picked = dict(options=Output("trip-picker", "options", allow_duplicate=True),
                  trip_id=Output("trip-picker", "value", allow_duplicate=True))

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              selection=Output("selection", "data", allow_duplicate=True), **picked),
                  inputs=dict(clicks=Input("new-trip", "n_clicks"), own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _new_trip(clicks, own):
        return start_trip(shipped(), own) if clicks else dict(own=no_update, selection=no_update, options=no_update,
                                                              trip_id=no_update)

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              options=Output("trip-picker", "options", allow_duplicate=True), errors=error_outputs),
                  inputs=dict(clicks=Input("save-trip-details", "n_clicks"), trip_id=State("trip-picker", "value"),
                              title=State("trip-title", "value"), traveller=State("trip-traveller", "value"),
                              role=State("trip-role", "value"), own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _save_trip(clicks, trip_id, title, traveller, role, own):
        return save_trip_details(trip_id, title, traveller, role, shipped(), own)

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              selection=Output("selection", "data", allow_duplicate=True),
                              errors=error_outputs, warnings=Output("stop-warnings", "children")),
                  inputs=dict(clicks=[Input(action, "n_clicks") for action in STOP_ACTIONS],
                              trip_id=State("trip-picker", "value"), selection=State("selection", "data"),
                              typed=typed_stop, own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _stop_action(clicks, trip_id, selection, typed, own):
        return stop_action(ctx.triggered_id, trip_id, selection, typed, shipped(), own, services.resolver)

    @app.callback(output=dict(own=Output("catalogue", "data", allow_duplicate=True),
                              editing=Output("event-editing", "data", allow_duplicate=True), errors=error_outputs),
                  inputs=dict(add=Input("add-event", "n_clicks"), save=Input("save-event", "n_clicks"),
                              delete=Input({"type": "event-delete", "index": ALL}, "n_clicks"),
                              trip_id=State("trip-picker", "value"), selection=State("selection", "data"),
                              editing=State("event-editing", "data"), typed=typed_event,
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _event_action(add, save, delete, trip_id, selection, editing, typed, own):
        if not ctx.triggered or not ctx.triggered[0]["value"]:  # a list drawn afresh: no click
            return dict(own=no_update, editing=no_update, errors={k: no_update for k in ERROR_IDS})
        return event_action(ctx.triggered_id, trip_id, selection, editing, typed, shipped(), own)

    form_outputs = dict(
        values={field_id: Output(field_id, "value", allow_duplicate=field_id in EVENT_FIELD_IDS)
                for field_id in [f[0] for f in TRIP_FIELDS + STOP_FIELDS] + list(EVENT_FIELD_IDS)},
        editing=Output("event-editing", "data", allow_duplicate=True),
        title=Output("stop-form-title", "children"), hint=Output("stop-form-hint", "children"),
        events=Output("event-list", "children"),
        disabled={action: Output(action, "disabled") for action in
                  ("save-stop", "delete-stop", "move-stop-up", "move-stop-down", "add-event", "save-event")})

    @app.callback(output=form_outputs, inputs=dict(trip_id=Input("trip-picker", "value"),
                                                   selection=Input("selection", "data"),
                                                   own=Input("catalogue", "data")),
                  prevent_initial_call=True)
    def _fill(trip_id, selection, own):
        return form_values(trip_id, selection, shipped(), own)

    @app.callback(output=dict(values={field_id: Output(field_id, "value", allow_duplicate=True)
                                      for field_id in EVENT_FIELD_IDS},
                              editing=Output("event-editing", "data", allow_duplicate=True)),
                  inputs=dict(clicks=Input({"type": "event-edit", "index": ALL}, "n_clicks"),
                              trip_id=State("trip-picker", "value"), selection=State("selection", "data"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _edit_event(clicks, trip_id, selection, own):
        if not ctx.triggered or not ctx.triggered[0]["value"] or not isinstance(ctx.triggered_id, dict):
            return dict(values={k: no_update for k in EVENT_FIELD_IDS}, editing=no_update)
        return event_form(ctx.triggered_id["index"], trip_id, selection, shipped(), own)

    # Undo and redo never reach the server: the history is the stores the browser already holds.
    app.clientside_callback(ClientsideFunction("authoring", "remember"),
                            Output("history", "data"), Output("undo", "disabled"), Output("redo", "disabled"),
                            Input("catalogue", "data"), State("history", "data"))
    app.clientside_callback(ClientsideFunction("authoring", "step"),
                            Output("catalogue", "data", allow_duplicate=True),
                            Output("history", "data", allow_duplicate=True),
                            Input("undo", "n_clicks"), Input("redo", "n_clicks"), State("history", "data"),
                            prevent_initial_call=True)
