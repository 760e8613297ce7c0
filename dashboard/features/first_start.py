"""A first start: the offline gazetteer is built in the background (once per installation,
``geocoding.index.BackgroundBuild``) and the dashboard answers at once. Until a first, smaller
index is ready (a few seconds) the page shows the build's progress, then reloads itself with
the trips placed on that smaller index and a notice; when the whole index is built, the notice
offers to place them again with it (the reader's own work is kept: it is in session storage)."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dcc, html

POLL_MS = 1000


def preparing_page(status: dict):
    return html.Div(className="app", children=[
        html.Header(className="toolbar", children=[html.P("Trip timeline", className="brand")]),
        html.Main(className="content first-start", children=[
            html.H1("Preparing the offline place index"),
            html.P("The first start of this installation builds the index that places trips on the map "
                   "without the internet. The trips appear here in a few seconds, placed with a first, smaller "
                   "index; the whole index takes about 20 seconds more. Later starts skip this step."),
            *_progress(status, "preparing"),
        ]),
    ])


def provisional_notice(status: dict):
    return html.Aside(className="notice first-start", children=[
        html.P(["Placed provisionally: the whole offline place index is still being built (first start "
                "only), so places are looked up among towns of 15,000 people or more, without airfields."]),
        *_progress(status, "provisional"),
    ])


def _progress(status: dict, kind: str) -> list:
    return [
        html.Progress(id="first-start-bar", max=1, value=status["fraction"], className="first-start-bar",
                      **{"aria-label": "The whole offline place index"}),
        html.P(status_text(status, kind), id="first-start-status", role="status", **{"aria-live": "polite"}),
        dcc.Store(id="first-start-kind", data=kind),
        dcc.Store(id="first-start-ready", data=False),
        dcc.Interval(id="first-start-poll", interval=POLL_MS),
    ]


def status_text(status: dict, kind: str):
    if status["failed"]:
        return status["failed"].capitalize() + "."
    if kind == "preparing" and status["first_stage"]:
        return "The first index is ready: showing the trips."
    if status["ready"]:
        if kind == "preparing":
            return "Done: showing the trips."
        return ["The whole index is ready. ", html.A("Place the trips again with it", href="./")]
    seconds = f" ({status['seconds']:.0f} s)" if status.get("seconds") is not None else ""
    return f"Building {status['label']}, {status['fraction']:.0%}{seconds}."


def poll(build, kind: str) -> tuple:
    """The status line, the bar, whether the preparing page may now show the trips, and whether
    to stop asking."""
    status = build.status()
    done = status["ready"] or bool(status["failed"])
    show_trips = kind == "preparing" and (status["ready"] or status["first_stage"] is not None)
    return status_text(status, kind), status["fraction"], show_trips, done or show_trips


def register(app, build) -> None:
    app.callback(Output("first-start-status", "children"), Output("first-start-bar", "value"),
                 Output("first-start-ready", "data"), Output("first-start-poll", "disabled"),
                 Input("first-start-poll", "n_intervals"), State("first-start-kind", "data"))(
        lambda _, kind: poll(build, kind))
    app.clientside_callback(ClientsideFunction(namespace="firstStart", function_name="showTrips"),
                            Output("first-start-poll", "interval"), Input("first-start-ready", "data"),
                            prevent_initial_call=True)
