"""The Dash application factory.

    TRIPVIZ_DATABASE_URL=postgresql://... TRIPVIZ_EDITOR_TOKEN=... \
        gunicorn -w 4 -b 0.0.0.0:8050 'dashboard.app:create_server()'

runs it under several workers (and the same on several hosts behind a load balancer): each
reader's own state lives in their browser (``dcc.Store``), what is shared lives in the store;
a worker keeps only bounded caches (the last catalogue it loaded).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from dash import Dash
from flask import abort, send_file, send_from_directory

from dashboard import settings
from dashboard.callbacks import register_callbacks
from dashboard.export.packing import GEO_BUNDLE, GEO_BUNDLE_VERSION, bundled_plotly_version
from dashboard.features import first_start
from dashboard.geocoding.index import BackgroundBuild, index_ready
from dashboard.geocoding import Gazetteer
from dashboard.geocoding.resolver import PlaceResolver, placement_problems
from dashboard.itinerary import ItineraryError
from dashboard.figures import base_map_name
from dashboard.layout import build_layout, first_trip
from dashboard.paths import GEODATA_DIR, PACKAGE_DIR
from dashboard.services import Services
from dashboard.sources import load_itinerary, parse_itinerary
from dashboard.state import EMPTY, to_store, trip_options
from dashboard.state import merge as state_merge
from dashboard.store import StoreError


# Component libraries loaded after the first screen's map (assets/below_fold.js stands in for
# their components until then), by namespace: the components the page uses. AG Grid's bundle
# is 1.3 MB, and running it before Dash's renderer delayed the map by about half a second.
DEFERRED_LIBRARIES = {"dash_ag_grid": ("AgGrid",)}


# Dash's own lazily loaded pieces that the first screen's components use (the graph, the trip
# picker, the sliders, the upload area), run with the page's scripts instead of fetched when a
# component first renders (an upload area fetched its piece only after the layout had
# rendered). They are webpack chunks that register themselves, in any order;
# assets/first_screen.js then settles the components that use them before the layout arrives.
FIRST_SCREEN_CHUNKS = ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js", "dash/dcc/async-slider.js",
                       "dash/dcc/async-upload.js")


class _Dash(Dash):
    # The base maps (TopoJSON names) of the figures the page opens with; set by create_app.
    def first_base_maps(self) -> tuple[str, ...]:
        return ()

    def interpolate_index(self, **kwargs):
        chunks = "".join(f'<script src="{self.get_relative_path("/_dash-component-suites/" + chunk)}"></script>'
                         for chunk in FIRST_SCREEN_CHUNKS)
        kwargs["scripts"] = chunks + defer_libraries(kwargs["scripts"])
        # Fetched with the page's scripts and handed to plotly.js before the layout arrives
        # (assets/first_screen.js): otherwise plotly.js asks for it only once plotting.
        kwargs["css"] += "".join(
            f'<link rel="preload" as="fetch" crossorigin="anonymous" data-base-map="{name}" '
            f'href="{self.get_relative_path(f"/geodata/{name}.json")}">' for name in self.first_base_maps())
        return super().interpolate_index(**kwargs)


def defer_libraries(scripts: str) -> str:
    """The page's script tags with each deferred library's bundle turned into an inert marker
    that names its address (``<script type="text/x-deferred">``): the browser neither fetches
    nor runs it until below_fold.js does."""
    for namespace, components in DEFERRED_LIBRARIES.items():
        tag = re.compile(rf'<script src="([^"]*/_dash-component-suites/{namespace}/{namespace}[^"/]*\.js)"></script>')
        scripts = tag.sub(lambda m: f'<script type="text/x-deferred" data-namespace="{namespace}" '
                                    f'data-components="{" ".join(components)}" data-src="{m.group(1)}"></script>',
                          scripts)
    return scripts


def create_app(data: str | Path | None = None, *, services: Services | None = None,
               index_in_background: bool = False, **given) -> Dash:
    """The dashboard for the trips in ``data`` (a trip file or a folder of them; default the
    ``data`` setting) and the trips saved in the store. Without ``services``, they are built
    from the settings: ``given`` names any of them (``database=``, ``editor_token=``, ``host=``:
    the address the server is bound to, where writes need the editor token unless it is this
    machine alone), the rest come from the environment and the defaults.

    ``index_in_background``: when the offline gazetteer is not built yet, build it in another
    process and answer meanwhile with its progress (a first start); otherwise the first page
    waits for the build."""
    services = services or Services(settings.load(dict(given, data=data)))
    # The resolver is taken when a trip is placed, not here: on a first start it waits for the
    # gazetteer, which is then built in the background.
    store, policy = services.store, services.write_policy
    # compress: plotly.js, AG Grid and Dash's bundles are 8.9 MB as sent plain, under a quarter
    # of that compressed (bench/first_screen.py), which decides the first screen on a slow line.
    app = _Dash(__name__, title="Trip timeline", serve_locally=True, update_title=None, compress=True,
               assets_folder=str(PACKAGE_DIR / "assets"))
    # Whole responses, not streamed ones: flask-compress streams only with zstd, brotli or deflate,
    # so a client that asks for gzip alone would get the base maps plain.
    app.server.config["COMPRESS_STREAMS"] = False
    # The page's language, for screen readers and hyphenation (Dash's default page has none).
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)

    # plotly.js's geo build (1.4 MB, 0.46 MB as sent) instead of the full build Dash would fetch
    # (4.8 MB, 1.4 MB compressed): it draws every trace the dashboard's figures use (the same
    # as the export's pages; tests/test_dashboard.py checks the figures keep to them). dcc.Graph
    # uses a plotly.js already on the page. Only when plotly.py ships this very version.
    if bundled_plotly_version() == GEO_BUNDLE_VERSION:
        plotly_path = f"/vendor/plotly-geo-{GEO_BUNDLE_VERSION}.min.js"

        @app.server.route(plotly_path)
        def plotly_geo_build():
            # Stored gzipped: sent as it is, and cached for a year (the version is in its name).
            response = send_file(GEO_BUNDLE, mimetype="text/javascript", max_age=31_536_000)
            response.headers["Content-Encoding"] = "gzip"
            return response

        app.config.external_scripts.append({"src": app.get_relative_path(plotly_path)})

    @app.server.route("/geodata/<name>")
    def base_map(name: str):
        if not name.endswith(".json"):
            abort(404)
        response = send_from_directory(GEODATA_DIR, name, max_age=86400)
        # Read whole (a base map is a few hundred kB) so that it is compressed like the rest.
        response.direct_passthrough = False
        response.get_data()
        return response

    data_path = Path(data) if data is not None else services.settings.data
    index_build = BackgroundBuild() if index_in_background and not index_ready() else None
    # Once the whole index is built, the build is forgotten: every callback asks for the trips,
    # and its status would otherwise be read from disk each time.
    building = {"build": index_build} if index_build is not None else {}

    def build_status() -> dict | None:
        if not building:
            return None
        status = building["build"].status()
        if status["ready"]:
            building.clear()
        return status
    # While a first start builds the whole gazetteer, trips are placed on the first, smaller one.
    provisional: dict[Path, PlaceResolver] = {}

    def placing() -> tuple[PlaceResolver, str]:
        """The resolver that places trips now, and its name: "provisional" on a first start's
        first, smaller index, else "whole" (the services' resolver)."""
        status = build_status()
        if status is None or status["ready"] or status["first_stage"] is None:
            provisional.clear()
            return services.resolver, "whole"
        path = status["first_stage"]
        if path not in provisional:
            provisional.clear()
            provisional[path] = PlaceResolver(Gazetteer(index=path), services.store)
        return provisional[path], "provisional"

    # Loaded trips are the same for every visitor until the files change: keep the last load
    # for this process, keyed by the files' modification times.
    loaded: dict = {}

    def catalogue() -> tuple[dict, list[dict]]:
        """The files' trips (loaded and placed once per change of the files) with the saved
        trips; a save reloads only the trips whose version changed (they carry their
        coordinates). A saved trip replaces a file's trip of the same id."""
        resolver, stage = placing()
        if loaded.get("stage") != stage:  # placed anew on the whole index
            loaded.clear()
            loaded["stage"] = stage
        files_signature = _signature(data_path)
        if loaded.get("files_signature") != files_signature:
            try:
                itinerary = load_itinerary(data_path, services.table_hints)
            except ItineraryError as exc:
                files = (EMPTY, [p.as_dict() for p in exc.problems])
            else:
                placed = resolver.geocode_stops(itinerary.stops)
                files = (to_store(itinerary, placed), [p.as_dict() for p in itinerary.problems + placement_problems(placed)])
            loaded.update(files_signature=files_signature, files=files, value=None)
        try:
            saved_signature = store.signature()
        except StoreError as exc:  # the shared database is down: keep serving what we have
            if loaded.get("value") is not None:
                return loaded["value"]
            saved_signature = ("unreachable", str(exc))
        if loaded.get("value") is None or loaded.get("saved_signature") != saved_signature:
            saved, saved_problems = _saved_trips(store, resolver, loaded.setdefault("saved", {}))
            files, problems = loaded["files"]
            loaded.update(saved_signature=saved_signature,
                          value=(state_merge(files, saved), problems + saved_problems))
        return loaded["value"]

    sharing = {"asks_token": policy.asks_for_token, "refusal": policy.refusal(None)}

    def page():
        status = build_status()
        notice = None
        if status is not None and not status["ready"]:
            if status["first_stage"] is None:
                return first_start.preparing_page(status)
            notice = first_start.provisional_notice(status)
        return build_layout(*catalogue(), topojson_url=app.get_relative_path("/geodata/"), sharing=sharing,
                            notice=notice, first_figures=first_figures)

    first_figures = register_callbacks(app, services, lambda: catalogue()[0])

    def first_base_maps() -> tuple[str, ...]:
        status = build_status()
        if status is not None and status["first_stage"] is None:  # the page of progress: no map
            return ()
        shipped = catalogue()[0]
        trip_id = first_trip(trip_options(shipped))
        return (base_map_name(first_figures(shipped, trip_id)["map"]),) if trip_id is not None else ()

    app.first_base_maps = first_base_maps
    app.layout = page  # Dash calls it once here: the trips are loaded and placed at start
    # Dash sends the layout it checked at start with every page, though only its debug mode
    # reads it: without the first trip's figures the page is 23 kB, not 53.
    app.validation_layout = build_layout(EMPTY, [], topojson_url=app.get_relative_path("/geodata/"), sharing=sharing)
    if index_build is not None:
        first_start.register(app, index_build)
        # The page of progress has none of the trip's components; the browser would report each
        # callback's missing ids. Only for this first start's process: later starts check them.
        app.config.suppress_callback_exceptions = True
    return app


def _saved_trips(store, resolver, cache: dict) -> tuple[dict, list[dict]]:
    """The trips saved in the store as one catalogue. ``cache`` holds each trip's catalogue by
    (id, version): only a trip saved since the last call is fetched, read and placed."""
    try:
        current = {row["trip_id"]: row["version"] for row in store.trips()}
    except StoreError as exc:
        return EMPTY, [{"severity": "warning", "file": "shared store", "location": None, "column": None,
                        "value": None, "message": f"{exc}; showing the trip files only"}]
    problems = []
    for trip_id in list(cache):
        if trip_id not in current:
            del cache[trip_id]
    for trip_id, version in current.items():
        if cache.get(trip_id, (None,))[0] == version:
            continue
        try:
            document, _ = store.trip(trip_id, version)
        except StoreError as exc:
            problems.append({"severity": "warning", "file": "shared store", "location": trip_id, "column": None,
                             "value": None, "message": str(exc)})
            continue
        saved = parse_itinerary(json.dumps(document, ensure_ascii=False), f"shared store: {trip_id}.json")
        cache[trip_id] = (version, to_store(saved, resolver.geocode_stops(saved.stops)))
        problems += [p.as_dict() for p in saved.problems]
    catalogue = EMPTY
    for _, part in cache.values():
        catalogue = state_merge(catalogue, part)
    return catalogue, problems


def create_server(data: str | Path | None = None):
    """The Flask server, for WSGI servers such as gunicorn. Settings come from the environment
    (``dashboard.settings``: TRIPVIZ_DATA, TRIPVIZ_DATABASE_URL, TRIPVIZ_EDITOR_TOKEN...);
    TRIPVIZ_HOST says where gunicorn is bound (default here: taken as open to the network, so
    writes need the token)."""
    app = create_app(services=Services(settings.load({"data": data}, defaults={"host": "0.0.0.0"})))
    # Load and place the trips now: under 'gunicorn --preload' every worker, and every worker
    # started to replace one, begins with them instead of placing them on its first request.
    app.layout()
    return app.server


def _signature(path: Path) -> tuple:
    if path.is_dir():
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in path.iterdir() if p.is_file()))
    return ((path.name, path.stat().st_mtime_ns),) if path.exists() else ()
