"""Command line: a thin layer over the app factory, the loader, the geocoder and the exporter.

Each subcommand imports what it needs when it runs, so `check` and `geocode` start without
paying for Dash or Plotly. User mistakes print one clear message on stderr and exit non-zero,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dashboard import __version__
from dashboard.paths import DEFAULT_TRIP, TRIPS_DIR


class UserError(Exception):
    """A mistake in what the user asked for; shown as a one-line message."""


# Settings shared by several subcommands, declared once with their help text.
SETTINGS = {
    "host": dict(default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)"),
    "port": dict(type=int, default=8050, help="port to listen on (default: %(default)s)"),
    "data": dict(type=Path, default=None, metavar="PATH",
                 help=f"a trip file or a folder of them (default: the shipped trips in {TRIPS_DIR})"),
    "debug": dict(action="store_true", help="Dash debug mode with reloader; never on a shared machine"),
    "online": dict(default=None, metavar="PROVIDER",
                   help="also ask an online geocoder (a geopy provider name such as nominatim) "
                        "for places the offline gazetteer cannot place; needs --user-agent"),
    "online_domain": dict(default=None, metavar="HOST[:PORT]",
                          help="the online provider's server, e.g. your own Nominatim or Photon "
                               "(default: the provider's public server)"),
    "online_scheme": dict(default=None, choices=("http", "https"),
                          help="http for your own server without TLS (default: https)"),
    "user_agent": dict(default=None, metavar="TEXT",
                       help="identify this application to the online provider (required by Nominatim)"),
    "database": dict(default=None, metavar="URL",
                     help="the store for saved trips, place choices and the online cache: postgresql://user@host:port/db "
                          "for a shared server, or a SQLite file (default: $TRIPVIZ_DATABASE_URL, else the SQLite "
                          "file in the cache folder)"),
    "editor_token": dict(default=None, metavar="TOKEN",
                         help="the token editors give to save to the shared store when the server is bound to "
                              "anything but localhost (default: $TRIPVIZ_EDITOR_TOKEN)"),
    "by": dict(default=None, metavar="NAME", help="who saves (default: your login name)"),
    "keep_going": dict(action="store_true",
                       help="accept rows that could not be loaded and stops that could not be placed: "
                            "list them and go on (exit 0) instead of stopping with exit status 1"),
}


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; give it as YYYY-MM-DD, e.g. 2025-08-25") from None


def _add(parser: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        parser.add_argument("--" + name.replace("_", "-"), dest=name, **SETTINGS[name])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m dashboard",
        description="Diplomatic trip timeline visualiser. With no subcommand, runs 'serve'.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="start the dashboard on http://HOST:PORT")
    _add(serve, "host", "port", "data", "debug", "online", "online_domain", "online_scheme", "user_agent", "database",
         "editor_token")

    check = sub.add_parser("check", help="validate itinerary files, place their stops and list every problem")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add(check, "keep_going")

    geocode = sub.add_parser("geocode", help="add coordinates to a CSV with a 'place' column")
    geocode.add_argument("input", type=Path, metavar="INPUT.csv")
    geocode.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT.csv")
    geocode.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    _add(geocode, "online", "online_domain", "online_scheme", "user_agent")

    overrides = sub.add_parser("overrides", help="list or forget the saved place choices (shared by every user "
                                                   "of this machine's cache folder)")
    overrides_sub = overrides.add_subparsers(dest="action", metavar="ACTION", required=True)
    overrides_sub.add_parser("list", help="every saved choice, newest first")
    forget = overrides_sub.add_parser("forget", help="forget the choice for one place")
    forget.add_argument("place")
    forget.add_argument("--country", default=None, help="the country hint the choice was saved with, if any")

    convert = sub.add_parser("convert", help="write any loadable input (CSV, JSON, official travel records, "
                                             "folders) as the project's CSV or JSON")
    convert.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    convert.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.csv|OUT.json")
    convert.add_argument("--geocode", action="store_true",
                         help="add lat, lon, country code, precision, confidence and matched name per stop")
    _add(convert, "keep_going")

    draft = sub.add_parser("draft", help="draft an itinerary from a news article, with the evidence for each field")
    draft.add_argument("article", metavar="ARTICLE.txt", help="the article's text, or - for standard input")
    draft.add_argument("--published", default=None, metavar="YYYY-MM-DD",
                       help="the publication date (default: a full date found in the text)")
    draft.add_argument("-o", "--output", type=Path, default=None, metavar="trip.json|trip.csv",
                       help="where to write the draft (default: JSON on standard output)")

    gazetteer = sub.add_parser("gazetteer", help="add, list or remove GeoNames dump files in the offline gazetteer")
    gazetteer_sub = gazetteer.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = gazetteer_sub.add_parser(
        "add", help="import a GeoNames dump (allCountries, cities1000, a country file such as DE.txt; "
                    "zipped or not) that you downloaded from https://download.geonames.org/export/dump/")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--name", default=None, help="its name in 'gazetteer list' (default: the file name, e.g. de)")
    add.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    gazetteer_sub.add_parser("list", help="the added gazetteers")
    remove = gazetteer_sub.add_parser("remove", help="remove an added gazetteer by name")
    remove.add_argument("name")

    export = sub.add_parser("export", help="write a trip's map as one standalone HTML, PNG or SVG file")
    export.add_argument("tripfile", type=Path, metavar="TRIPFILE", nargs="?", default=DEFAULT_TRIP,
                        help="a trip file or folder (default: the shipped first trip)")
    export.add_argument("-o", "--output", type=Path, required=True,
                        help="the file to write; .html, .png or .svg")
    export.add_argument("--trip", action="append", default=None, metavar="ID",
                        help="a trip id to include (repeat for several; default: every trip in the file)")
    export.add_argument("--variant", choices=("full", "map"), default="full",
                        help="full (default): map, timeline, itinerary, placement, sources; map: title, summary "
                             "and map, for embedding")
    export.add_argument("--theme", choices=("auto", "light", "dark"), default="auto",
                        help="auto (default) follows the reader's light or dark setting")
    export.add_argument("--published", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="mark this date (publication, today) on the timeline")
    export.add_argument("--preview", action="store_true",
                        help="also write a PNG of the map beside the page (same name, .png) and name it as the "
                             "page's social-preview image (needs Chromium)")
    export.add_argument("--base-url", default=None, metavar="URL",
                        help="where the page will be published (https://example.org/maps/): makes its canonical "
                             "and preview-image addresses absolute, as social networks require")
    export.add_argument("--plotlyjs", choices=("inline", "cdn"), default="inline",
                        help="inline (default): plotly.js inside the file, opens offline for ever; "
                             "cdn: a smaller file that needs the network to open")
    _add(export, "keep_going")
    trips = sub.add_parser("trips", help="the saved trips in the store: list, save, show, history, restore, delete")
    trips_sub = trips.add_subparsers(dest="trips_action", metavar="ACTION", required=True)
    listing = trips_sub.add_parser("list", help="the saved trips, newest first")
    listing.add_argument("--all", action="store_true", help="deleted trips too")
    save = trips_sub.add_parser("save", help="save every trip of these itinerary files as a new version")
    save.add_argument("files", nargs="+", type=Path, metavar="FILE")
    save.add_argument("--expect-version", type=int, default=None, metavar="N",
                      help="refuse (conflict) unless the stored trip is at version N (default: save over the latest)")
    show = trips_sub.add_parser("show", help="a saved trip as the project's JSON")
    show.add_argument("id")
    show.add_argument("--version", type=int, default=None, help="an earlier version (default: the latest)")
    history = trips_sub.add_parser("history", help="every version of a trip: who saved it and when")
    history.add_argument("id")
    restore = trips_sub.add_parser("restore", help="save an earlier version again as the newest")
    restore.add_argument("id")
    restore.add_argument("version", type=int)
    delete = trips_sub.add_parser("delete", help="take a trip off the list (its history is kept)")
    delete.add_argument("id")
    for parser_ in (listing, save, show, history, restore, delete):
        _add(parser_, "database")
    for parser_ in (save, restore, delete):
        _add(parser_, "by")
    return parser


COMMANDS = ("serve", "check", "geocode", "export", "overrides", "gazetteer", "convert", "draft", "trips")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["serve", *argv]  # no subcommand means serve, options included
    args = parser.parse_args(argv)
    handler = {"serve": _serve, "check": _check, "geocode": _geocode, "export": _export,
               "overrides": _overrides, "gazetteer": _gazetteer, "convert": _convert,
               "draft": _draft, "trips": _trips}[args.command]
    try:
        return handler(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - our own error types carry user-facing text
        from dashboard.export import ExportError
        from dashboard.geocoding import GeocodingError
        from dashboard.itinerary import ItineraryError
        from dashboard.store import StoreError

        if isinstance(exc, (ItineraryError, GeocodingError, ExportError, StoreError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


def _serve(args) -> int:
    from dashboard.app import create_app

    data = args.data or TRIPS_DIR
    if not data.exists():
        raise UserError(f"--data {data}: no such file or folder")
    app = create_app(data, online=args.online, user_agent=args.user_agent, online_domain=args.online_domain,
                     online_scheme=args.online_scheme, database=args.database, editor_token=args.editor_token,
                     host=args.host)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def _trips(args) -> int:
    from dashboard.store.command import trips_command

    return trips_command(args)


def _check(args) -> int:
    from dashboard.geocoding.resolver import PlaceResolver, placement_problems
    from dashboard.geocoding.store import GeocodeStore
    from dashboard.itinerary import ItineraryError, frame_rows, rows_by_trip
    from dashboard.sources import load_itinerary

    resolver = PlaceResolver(store=GeocodeStore())
    failed = False
    for path in args.files:
        try:
            result = load_itinerary(path)
        except ItineraryError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            failed = True
            continue
        placed = resolver.geocode_stops(result.stops)
        # Counted once for all stops: comparing the whole events frame per stop is quadratic.
        event_counts = result.events.groupby(["trip_id", "stop_no"]).size().to_dict()
        stops_by_trip = rows_by_trip(placed)
        lines = []
        for trip in frame_rows(result.trips):
            trip_stops = stops_by_trip.get(trip["trip_id"], [])
            lines.append(f"{trip['file']}: trip '{trip['trip_id']}' - {trip['leader']}: {trip['trip']} "
                         f"({len(trip_stops)} stops)")
            for stop in trip_stops:
                when = stop["arrive"].date().isoformat()
                if stop["depart"].date() != stop["arrive"].date():
                    when += f" to {stop['depart'].date().isoformat()}"
                placed_at = (f"{stop['precision'] or 'exact'}, {stop['confidence'] or 'high'}: {stop['matched_name']}"
                             if stop["lat"] is not None else "not placed")
                if stop["lat"] is not None and stop["confidence"] == "high" and stop["geocode_note"]:
                    placed_at += f" ({stop['geocode_note']})"
                n_events = event_counts.get((trip["trip_id"], stop["stop_no"]), 0)
                lines.append(f"  {stop['stop_no']}. {stop['place']} ({stop['country'] or '?'}), {when}, "
                             f"{n_events} event(s); {placed_at}")
        print("\n".join(lines))
        placement = placement_problems(placed)
        for problem in result.problems + placement:
            print(f"{problem.severity}: {problem}", file=sys.stderr)
        left_off = [p for p in placement if p.severity == "error"]
        if result.dropped:
            print(f"{path}: {len(result.dropped)} row(s) not loaded: {', '.join(result.dropped)}", file=sys.stderr)
        failed |= bool(result.errors or result.dropped or left_off)
    if failed and args.keep_going:
        print("--keep-going: the rows and stops listed above were left out", file=sys.stderr)
        return 0
    return 1 if failed else 0


def _geocode(args) -> int:
    from dashboard.geocode_csv import geocode_csv

    return geocode_csv(args.input, args.output, online=args.online, user_agent=args.user_agent,
                       online_domain=args.online_domain, online_scheme=args.online_scheme,
                       progress=not args.no_progress)


def _overrides(args) -> int:
    import datetime as dt

    from dashboard.geocoding.store import GeocodeStore

    store = GeocodeStore()
    if args.action == "forget":
        if not store.forget_override(args.place, args.country):
            raise UserError(f"no saved choice for {args.place!r}" + (f" with country {args.country!r}" if args.country
                                                                     else " without a country hint")
                            + "; 'overrides list' shows them all")
        print(f"forgot the saved choice for {args.place!r}", file=sys.stderr)
        return 0
    saved = store.overrides()
    print("place\tcountry hint\tlat\tlon\tchosen\tcountry code\tprecision\tsaved (UTC)")
    for row in saved:
        when = dt.datetime.fromtimestamp(row["saved"], tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        print("\t".join(str(v) for v in (row["place_key"], row["country"] or "-", f"{row['lat']:.5f}",
                                        f"{row['lon']:.5f}", row["name"], row["country_code"] or "-",
                                        row["precision"], when)))
    print(f"{len(saved)} saved choice(s) in {store.path}", file=sys.stderr)
    return 0


def _draft(args) -> int:
    from dashboard.draft import draft_command

    return draft_command(args.article, args.published, args.output)


def _convert(args) -> int:
    from dashboard.convert import convert

    return convert(args.inputs, args.output, geocode=args.geocode, keep_going=args.keep_going)


def _gazetteer(args) -> int:
    from dashboard.geocoding import added

    if args.action == "add":
        bar = added.ProgressBar(f"adding {args.file.name}", enabled=None if not args.no_progress else False)
        started = time.monotonic()
        result = added.add_gazetteer(args.file, name=args.name, progress=bar)
        print(f"added '{result.name}': {result.places:,} places from {args.file} in "
              f"{time.monotonic() - started:.1f} s ({result.path.stat().st_size / 1e6:,.0f} MB in {result.path.parent}). "
              "Restart a running dashboard to use it.", file=sys.stderr)
        return 0
    if args.action == "remove":
        if not added.remove_gazetteer(args.name):
            names = ", ".join(g.name for g in added.added_gazetteers()) or "none"
            raise UserError(f"no added gazetteer named {args.name!r} (added: {names})")
        print(f"removed '{args.name}'", file=sys.stderr)
        return 0
    listed = added.added_gazetteers()
    print("name	places	added	source")
    for g in listed:
        print(f"{g.name}	{g.places}	{g.added}	{g.source}")
    print(f"{len(listed)} added gazetteer(s) in {added.added_dir()}; the built-in one is always used",
          file=sys.stderr)
    return 0


def _export(args) -> int:
    from dashboard.export import export_command

    return export_command(args)
