"""Saving to the shared store: the trip on screen (with this browser's edits) saved as a new
version everyone on this server sees, deleted, or an earlier version restored; its history with
who saved what, when. Saves are optimistic (a conflict says who saved since); the editor token,
when the server asks for one, is typed once per browser session."""

from __future__ import annotations

import json

import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import state
from dashboard.itinerary import text_or_none
from dashboard.sources.json_file import write_json
from dashboard.store import StoreError
from dashboard.store.access import WritePolicy


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


def save_trip_to_store(store, policy: WritePolicy, trip_id, shipped, own, opened, token, name):
    """Save the trip on screen (with this browser's edits) as a new version. The version the
    editor opened is the one the save builds on: if someone saved since, nothing is written and
    the message says who and when. Returns the status to show and the opened versions."""
    opened = dict(opened or {})
    refusal = policy.refusal(token)
    if refusal:
        return dict(status=html.P(refusal, className="warning"), opened=no_update)
    catalogue = state.view(shipped, own)
    if not trip_id or not any(t["trip_id"] == trip_id for t in catalogue["trips"]):
        return dict(status=html.P("Pick a trip to save."), opened=no_update)
    stops, events, trips = state.frames(catalogue, trip_id)
    document = json.loads(write_json(stops, events, trips))
    by = text_or_none(name) or "anonymous"
    try:
        version = store.save_trip(document, saved_by=by, expected_version=opened.get(trip_id))
    except StoreError as exc:  # a conflict (someone saved since) says who and when
        return dict(status=html.P(f"Not saved: {exc}.", className="error"), opened=no_update)
    opened[trip_id] = version
    return dict(status=html.P(f"Saved as version {version} by {by}: everyone using this server now sees it."),
                opened=opened)


def store_history(store, trip_id):
    """The saved versions of the trip on screen, each with a button that restores it."""
    if not trip_id:
        return []
    try:
        rows = store.history(trip_id)
    except StoreError:
        return [html.P("Not in the shared store yet.", className="hint")]
    items = []
    for row in rows[:50]:
        when = pd.Timestamp(row["saved_at"], unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
        items.append(html.Li([
            html.Span(f"v{row['version']} · {when} · {row['saved_by'] or 'someone'} · {row['action']}"), " ",
            html.Button(f"Restore v{row['version']}", id={"type": "restore-version", "index": int(row["version"])},
                        n_clicks=0, className="secondary")
            if row["version"] != rows[0]["version"] and row["action"] != "delete" else None]))
    return [html.Ol(items, className="history", reversed=True)]


def register(app, services, shipped) -> None:
    store, policy = services.store, services.write_policy

    @app.callback(Output("opened-versions", "data"), Input("trip-picker", "value"), State("opened-versions", "data"))
    def _opened(trip_id, opened):
        """The version of the trip this browser starts from: kept until it saves."""
        opened = dict(opened or {})
        if not trip_id or trip_id in opened:
            return no_update
        try:
            current = next((r["version"] for r in store.trips(include_deleted=True) if r["trip_id"] == trip_id), None)
        except StoreError:
            return no_update
        opened[trip_id] = current
        return opened

    @app.callback(output=dict(status=Output("store-status", "children"),
                              opened=Output("opened-versions", "data", allow_duplicate=True)),
                  inputs=dict(n_clicks=Input("save-trip", "n_clicks"), trip_id=State("trip-picker", "value"),
                              own=State("catalogue", "data"), opened=State("opened-versions", "data"),
                              token=State("editor-token", "value"), name=State("editor-name", "value")),
                  prevent_initial_call=True)
    def _save(n_clicks, trip_id, own, opened, token, name):
        if not n_clicks:
            return dict(status=no_update, opened=no_update)
        return save_trip_to_store(store, policy, trip_id, shipped(), own, opened, token, name)

    @app.callback(Output("store-status", "children", allow_duplicate=True),
                  Output("opened-versions", "data", allow_duplicate=True),
                  Input("delete-trip", "n_clicks"), State("trip-picker", "value"), State("opened-versions", "data"),
                  State("editor-token", "value"), State("editor-name", "value"), prevent_initial_call=True)
    def _delete(n_clicks, trip_id, opened, token, name):
        if not n_clicks or not trip_id:
            return no_update, no_update
        refusal = policy.refusal(token)
        if refusal:
            return html.P(refusal, className="warning"), no_update
        opened = dict(opened or {})
        try:
            version = store.delete_trip(trip_id, saved_by=text_or_none(name) or "anonymous",
                                        expected_version=opened.get(trip_id))
        except StoreError as exc:
            return html.P(f"Not deleted: {exc}.", className="error"), no_update
        opened[trip_id] = version
        return html.P(f"Deleted from the shared store (version {version}); its history is kept below."), opened

    @app.callback(Output("store-status", "children", allow_duplicate=True),
                  Output("opened-versions", "data", allow_duplicate=True),
                  Output("catalogue", "data", allow_duplicate=True),
                  Input({"type": "restore-version", "index": ALL}, "n_clicks"), State("trip-picker", "value"),
                  State("catalogue", "data"), State("opened-versions", "data"), State("editor-token", "value"),
                  State("editor-name", "value"), prevent_initial_call=True)
    def _restore(clicks, trip_id, own, opened, token, name):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []) or not trip_id:
            return no_update, no_update, no_update
        refusal = policy.refusal(token)
        if refusal:
            return html.P(refusal, className="warning"), no_update, no_update
        try:
            version = store.restore(trip_id, int(trigger["index"]), saved_by=text_or_none(name) or "anonymous")
        except StoreError as exc:
            return html.P(f"Not restored: {exc}.", className="error"), no_update, no_update
        opened = dict(opened or {}, **{trip_id: version})
        # This browser's own edits of the trip give way to the restored version.
        own = {k: [r for r in v if r.get("trip_id") != trip_id] for k, v in (own or state.EMPTY).items()}
        return html.P(f"Restored version {trigger['index']} as version {version}."), opened, own

    @app.callback(Output("trip-history", "children"), Input("trip-picker", "value"), Input("opened-versions", "data"))
    def _history(trip_id, _opened):  # a save, delete or restore changed the versions: list them again
        return store_history(store, trip_id)
