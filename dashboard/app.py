"""The Dash application factory.

    gunicorn -w 4 -b 127.0.0.1:8050 'dashboard.app:create_server()'

runs it under several workers: all per-user state lives in the browser (``dcc.Store``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dash import Dash
from flask import abort, send_from_directory

from dashboard.callbacks import geocoding_problems, register_callbacks
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.geocoding.store import GeocodeStore
from dashboard.itinerary import ItineraryError
from dashboard.layout import build_layout
from dashboard.paths import GEODATA_DIR, PACKAGE_DIR, TRIPS_DIR
from dashboard.sources import load_itinerary
from dashboard.state import EMPTY, to_store


def create_app(data: str | Path = TRIPS_DIR, online: str | None = None, user_agent: str | None = None,
               online_domain: str | None = None, online_scheme: str | None = None) -> Dash:
    """The dashboard for the trips in ``data`` (a trip file or a folder of them)."""
    provider = None
    if online:
        from dashboard.geocoding.online import OnlineProvider

        provider = OnlineProvider(online, user_agent, domain=online_domain, scheme=online_scheme)
    resolver = PlaceResolver(store=GeocodeStore(), online=provider)
    app = Dash(__name__, title="Trip timeline", serve_locally=True, update_title=None,
               assets_folder=str(PACKAGE_DIR / "assets"))
    # The page's language, for screen readers and hyphenation (Dash's default page has none).
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)

    @app.server.route("/geodata/<name>")
    def base_map(name: str):
        if not name.endswith(".json"):
            abort(404)
        return send_from_directory(GEODATA_DIR, name, max_age=86400)

    data_path = Path(data)
    # Loaded trips are the same for every visitor until the files change: keep the last load
    # for this process, keyed by the files' modification times.
    loaded: dict = {}

    def catalogue() -> tuple[dict, list[dict]]:
        signature = _signature(data_path)
        if loaded.get("signature") != signature:
            try:
                itinerary = load_itinerary(data_path)
            except ItineraryError as exc:
                problems = [p.as_dict() for p in exc.problems]
                loaded.update(signature=signature, value=(EMPTY, problems))
                return loaded["value"]
            placed = resolver.geocode_stops(itinerary.stops)
            problems = [p.as_dict() for p in itinerary.problems] + geocoding_problems(placed)
            loaded.update(signature=signature, value=(to_store(itinerary, placed), problems))
        return loaded["value"]

    app.layout = lambda: build_layout(*catalogue(), topojson_url=app.get_relative_path("/geodata/"))
    register_callbacks(app, resolver, lambda: catalogue()[0])
    return app


def create_server(data: str | Path | None = None):
    """The Flask server, for WSGI servers such as gunicorn."""
    return create_app(data or os.environ.get("TRIPVIZ_DATA") or TRIPS_DIR).server


def _signature(path: Path) -> tuple:
    if path.is_dir():
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in path.iterdir() if p.is_file()))
    return ((path.name, path.stat().st_mtime_ns),) if path.exists() else ()
