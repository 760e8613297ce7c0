"""`gazetteer add|list|remove`: GeoNames dump files imported beside the built-in index."""

from __future__ import annotations

import sys
import time

NAME = "gazetteer"
HELP = "add, list or remove GeoNames dump files in the offline gazetteer"
SETTINGS = ("database",)
SUBCOMMANDS = True  # the settings go on each action


def add_arguments(parser) -> None:
    from pathlib import Path

    from dashboard import settings

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="import a GeoNames dump (allCountries, cities1000, a country file such as DE.txt; "
                    "zipped or not) that you downloaded from https://download.geonames.org/export/dump/")
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--name", default=None, help="its name in 'gazetteer list' (default: the file name, e.g. de)")
    add.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    listing = actions.add_parser("list", help="the added gazetteers")
    remove = actions.add_parser("remove", help="remove an added gazetteer by name")
    remove.add_argument("name")
    for action in (add, listing, remove):
        settings.add_options(action, *SETTINGS)


def run(args, services) -> int:
    from dashboard.errors import UserError
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
    print("name\tplaces\tadded\tsource")
    for g in listed:
        print(f"{g.name}\t{g.places}\t{g.added}\t{g.source}")
    print(f"{len(listed)} added gazetteer(s) in {added.added_dir()}; the built-in one is always used",
          file=sys.stderr)
    return 0
