"""`overrides list|set|forget`: the place choices saved in the store, the command-line twin of
picking a candidate or typing coordinates in the dashboard. Every user of the same store (a
desk's PostgreSQL, or this machine's SQLite file) shares them."""

from __future__ import annotations

import sys

NAME = "overrides"
HELP = "list, set or forget the saved place choices (shared by every user of the store)"
SETTINGS = ("database",)
SUBCOMMANDS = True  # the settings go on each action


def add_arguments(parser) -> None:
    from dashboard import settings

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every saved choice, newest first: place, hint, point, who and when")
    choose = actions.add_parser("set", help="place PLACE (with this country hint) at LAT, LON from now on")
    choose.add_argument("place", metavar="PLACE")
    choose.add_argument("--lat", type=float, required=True, help="latitude, -90 to 90")
    choose.add_argument("--lon", type=float, required=True, help="longitude, -180 to 180")
    choose.add_argument("--country", default=None, metavar="HINT",
                        help="the country hint of the stops this choice is for, as the itinerary gives it "
                             "(default: stops without a country)")
    choose.add_argument("--name", default=None, help="the name shown for the chosen point (default: PLACE)")
    choose.add_argument("--precision", choices=("venue", "city", "region", "country"), default="venue",
                        help="how precise the point is (default: venue)")
    settings.add_options(choose, "by")
    forget = actions.add_parser("forget", help="forget the choice for one place")
    forget.add_argument("place", metavar="PLACE")
    forget.add_argument("--country", default=None, metavar="HINT",
                        help="the country hint the choice was saved with, if any")
    for action in (listing, choose, forget):
        settings.add_options(action, *SETTINGS)


def run(args, services) -> int:
    from dashboard.errors import UserError

    store = services.store
    if args.action == "set":
        if not args.place.strip():
            raise UserError("the place is empty; give the place name as the itinerary writes it")
        try:
            store.save_override(args.place, args.country, args.lat, args.lon, args.name or args.place.strip(), None,
                                args.precision, saved_by=services.settings.by)
        except ValueError as exc:
            raise UserError(f"{exc}; nothing was saved") from None
        print(f"saved: {args.place!r}" + (f" with country {args.country!r}" if args.country else "")
              + f" is placed at {float(args.lat):.5f}, {float(args.lon):.5f} from now on (by {services.settings.by})",
              file=sys.stderr)
        return 0
    if args.action == "forget":
        if not store.forget_override(args.place, args.country):
            raise UserError(f"no saved choice for {args.place!r}" + (f" with country {args.country!r}" if args.country
                                                                     else " without a country hint")
                            + "; 'overrides list' shows them all")
        print(f"forgot the saved choice for {args.place!r}", file=sys.stderr)
        return 0
    return _list(store)


def _list(store) -> int:
    import datetime as dt

    saved = store.overrides()
    print("place\tcountry hint\tlat\tlon\tchosen\tcountry code\tprecision\tsaved by\tsaved (UTC)")
    for row in saved:
        when = dt.datetime.fromtimestamp(row["saved"], tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        print("\t".join(str(v) for v in (row["place_key"], row["country"] or "-", f"{row['lat']:.5f}",
                                        f"{row['lon']:.5f}", row["name"], row["country_code"] or "-",
                                        row["precision"], row["saved_by"] or "-", when)))
    print(f"{len(saved)} saved choice(s) in {store!r}", file=sys.stderr)
    return 0
