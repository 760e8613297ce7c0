"""The Dash application factory."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, dash_table, dcc, html

from dashboard.itinerary import ItineraryError, load_itinerary
from dashboard.paths import TRIPS_DIR


def create_app(data: str | Path = TRIPS_DIR, online: str | None = None,
               user_agent: str | None = None) -> Dash:
    """Build the dashboard for the trips in ``data`` (a trip file or a folder of them)."""
    app = Dash(__name__, title="Trip timeline", serve_locally=True)

    def layout():
        try:
            itinerary = load_itinerary(data)
            stops = itinerary.stops
            problems = [str(p) for p in itinerary.problems]
        except ItineraryError as exc:
            stops, problems = None, [str(exc)]
        table = dash_table.DataTable(
            data=[] if stops is None else stops[["trip", "stop_no", "place", "country"]]
            .assign(arrive=stops["arrive"].dt.strftime("%Y-%m-%d"),
                    depart=stops["depart"].dt.strftime("%Y-%m-%d")).to_dict("records"),
            id="stops-table",
        )
        return html.Div([html.H1("Trip timeline"), table,
                         html.Ul([html.Li(p) for p in problems], id="problems"),
                         dcc.Store(id="trip-store")])

    app.layout = layout
    return app
