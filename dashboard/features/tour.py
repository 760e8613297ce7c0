"""'Play the tour' and the day slider under the map: they drive the map figure's frames in the
browser (``assets/tour.js``), and never sit on the map."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dcc, html


def tour_controls():
    return html.Div(className="tour", children=[
        html.Button("▶ Play the tour", id="tour-play", n_clicks=0, className="tour-play"),
        html.Div(className="tour-slider", children=[
            html.Span("Day", id="tour-day-name", className="visually-hidden"),
            dcc.Slider(id="tour-day", min=0, max=0, step=1, value=0, marks=None, included=True, updatemode="drag",
                       allow_direct_input=False, tooltip=None),
        ]),
        html.Output(id="tour-day-label", className="tour-day", **{"aria-live": "polite"}),
        dcc.Interval(id="tour-clock", interval=800, disabled=True),
    ])


def register(app) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="tour", function_name="slider"),
        Output("tour-day", "max"), Output("tour-day", "value"), Output("tour-day", "marks"),
        Output("tour-play", "disabled"), Input("map", "figure"))
    app.clientside_callback(
        ClientsideFunction(namespace="tour", function_name="showDay"),
        Output("tour-day-label", "children"), Input("tour-day", "value"), State("map", "figure"))
    app.clientside_callback(
        ClientsideFunction(namespace="tour", function_name="play"),
        Output("tour-clock", "disabled"), Output("tour-play", "children"), Output("tour-day", "value", allow_duplicate=True),
        Input("tour-play", "n_clicks"), Input("tour-clock", "n_intervals"),
        State("tour-clock", "disabled"), State("tour-day", "value"), State("tour-day", "max"),
        prevent_initial_call=True)
