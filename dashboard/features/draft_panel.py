"""'Draft a trip from a news article': paste a report, get a draft itinerary with the evidence
highlighted in the article, add it to this browser's trips (as an upload would)."""

from __future__ import annotations

import base64
import json
from datetime import date

from dash import Input, Output, State, dcc, html, no_update

from dashboard.features.files import UPLOAD_OUTPUTS, load_upload
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import ItineraryError, StopCollector


def draft_section():
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


def draft_from_text(n_clicks, text, published, gazetteer) -> dict:
    """Draft the pasted article: the draft to keep and what the panel shows."""
    from dashboard.sources.article import parse_article, published_date_in

    if not n_clicks:
        return dict(draft=no_update, view=no_update)
    text = text or ""
    try:
        day = date.fromisoformat(published) if published else published_date_in(text)
    except ValueError:
        day = None
    if day is None:
        return dict(draft=None, view=[html.P("Give the article's publication date: weekdays such as 'on Monday' are "
                                             "read against it.", className="warning")])
    try:
        trip = parse_article(text, StopCollector("<article>"), day, gazetteer,
                             source=f"news article, published {day.isoformat()}")
    except ItineraryError as exc:
        return dict(draft=None, view=[html.P(str(exc), className="warning")])
    if not trip["stops"]:
        return dict(draft=None, view=[html.P("No stop found: the article never says where the traveller goes or is.",
                                             className="warning"), _highlighted(text, trip)])
    return dict(draft={"trip": trip, "text": text}, view=_draft_view(trip, text))


def _draft_view(trip: dict, text: str):
    items = []
    for stop in trip["stops"]:
        guessed = " (date inferred: not in the text)" if "arrive" in stop["inferred"] else ""
        events = [html.Li(f"[{e['kind']}] {e['text']}") for e in stop["events"]]
        items.append(html.Li([html.Strong(f"{stop['place']}"), f" ({stop['country'] or '?'}), {stop['arrive']}{guessed}",
                              html.Ul(events) if events else None]))
    notes = [html.P(n, className="hint") for n in trip["notes"]]
    return [html.P(f"Traveller: {trip['leader']}" + (f", {trip['leader_role']}" if trip["leader_role"] else "")),
            html.Ol(items, className="draft-stops"), *notes,
            html.P("In the article: places, dates and events the draft used are highlighted.", className="hint"),
            _highlighted(text, trip)]


def _highlighted(text: str, trip: dict):
    """The article with the evidence marked: places, dates and events, each as <mark>."""
    spans = []
    for stop in trip["stops"]:
        for kind, evidence in stop.get("evidence", {}).items():
            spans.append((evidence["start"], evidence["end"], f"evidence-{kind}", stop["place"]))
        for event in stop["events"]:
            spans.append((event["evidence"]["start"], event["evidence"]["end"], "evidence-event", event["text"]))
    leader = trip.get("evidence", {}).get("leader")
    if leader:
        spans.append((leader["start"], leader["end"], "evidence-leader", trip["leader"]))
    children, at = [], 0
    for start, end, class_name, title in sorted(spans):
        if start < at:
            continue  # overlapping evidence: the first span wins
        children += [text[at:start], html.Mark(text[start:end], className=class_name, title=title)]
        at = end
    children.append(text[at:])
    return html.Div(children, className="article-evidence")


def add_draft(n_clicks, draft, shipped, own, resolver: PlaceResolver) -> dict:
    """The reviewed draft joins this browser's trips, like an uploaded file."""
    if not n_clicks or not draft:
        return dict(own=no_update, options=no_update, trip_id=no_update, messages=no_update)
    document = json.dumps(draft["trip"], ensure_ascii=False).encode("utf-8")
    contents = "data:application/json;base64," + base64.b64encode(document).decode()
    return load_upload(contents, "drafted trip.json", shipped, own, resolver)


def register(app, services, shipped) -> None:
    @app.callback(output=dict(draft=Output("draft-store", "data"), view=Output("draft-result", "children")),
                  inputs=dict(n_clicks=Input("draft-button", "n_clicks"), text=State("article-text", "value"),
                              published=State("article-published", "value")),
                  prevent_initial_call=True)
    def _draft(n_clicks, text, published):
        return draft_from_text(n_clicks, text, published, services.gazetteer)

    @app.callback(output=UPLOAD_OUTPUTS,
                  inputs=dict(n_clicks=Input("draft-add", "n_clicks"), draft=State("draft-store", "data"),
                              own=State("catalogue", "data")),
                  prevent_initial_call=True)
    def _add_draft(n_clicks, draft, own):
        return add_draft(n_clicks, draft, shipped(), own, services.resolver)
