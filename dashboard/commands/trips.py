"""`trips list|save FILE...|show ID|history ID|restore ID VERSION|delete ID`: the saved trips in
the configured store (``--database URL`` or $TRIPVIZ_DATABASE_URL; default the SQLite file in
the cache folder)."""

from __future__ import annotations

import json
import sys
import time

NAME = "trips"
HELP = "the saved trips in the store: list, save, show, history, restore, delete"
SETTINGS = ("database",)
SUBCOMMANDS = True  # the settings go on each action


def add_arguments(parser) -> None:
    from pathlib import Path

    from dashboard import settings

    actions = parser.add_subparsers(dest="trips_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the saved trips, newest first")
    listing.add_argument("--all", action="store_true", help="deleted trips too")
    save = actions.add_parser("save", help="save every trip of these itinerary files as a new version")
    save.add_argument("files", nargs="+", type=Path, metavar="FILE")
    save.add_argument("--expect-version", type=int, default=None, metavar="N",
                      help="refuse (conflict) unless the stored trip is at version N (default: save over the latest)")
    show = actions.add_parser("show", help="a saved trip as the project's JSON")
    show.add_argument("id")
    show.add_argument("--version", type=int, default=None, help="an earlier version (default: the latest)")
    history = actions.add_parser("history", help="every version of a trip: who saved it and when")
    history.add_argument("id")
    restore = actions.add_parser("restore", help="save an earlier version again as the newest")
    restore.add_argument("id")
    restore.add_argument("version", type=int)
    delete = actions.add_parser("delete", help="take a trip off the list (its history is kept)")
    delete.add_argument("id")
    for action in (listing, save, show, history, restore, delete):
        settings.add_options(action, *SETTINGS)
    for action in (save, restore, delete):
        settings.add_options(action, "by")


def trip_documents(path) -> tuple[list[dict], list]:
    """Each trip in an itinerary file (any format the project reads) as the project's JSON
    trip, and the problems found loading it."""
    from dashboard.sources import load_itinerary
    from dashboard.sources.json_file import write_json

    itinerary = load_itinerary(path)
    body = json.loads(write_json(itinerary.stops, itinerary.events, itinerary.trips))
    return (body["trips"] if "trips" in body else [body]), list(itinerary.problems)


def run(args, services) -> int:
    from dashboard.store import ConflictError

    store, by = services.store, services.settings.by
    action = args.trips_action
    if action == "list":
        rows = store.trips(include_deleted=args.all)
        if not rows:
            print("no saved trips" + ("" if args.all else " (--all lists deleted ones too)"))
        for row in rows:
            when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(row["saved_at"]))
            gone = " [deleted]" if row["deleted"] else ""
            print(f"{row['trip_id']}\tv{row['version']}\t{when} UTC\t{row['saved_by'] or '-'}\t"
                  f"{row['leader'] or '-'}: {row['title']}{gone}")
        return 0
    if action == "save":
        failed = 0
        for path in args.files:
            documents, problems = trip_documents(path)
            for problem in problems:
                print(f"{problem.severity}: {problem}", file=sys.stderr)
            for document in documents:
                current = next((r["version"] for r in store.trips(include_deleted=True)
                                if r["trip_id"] == document["id"]), None)
                expected = args.expect_version if args.expect_version is not None else current
                try:
                    version = store.save_trip(document, saved_by=by, expected_version=expected)
                except ConflictError as exc:
                    print(f"error: {exc}", file=sys.stderr)
                    failed += 1
                    continue
                print(f"saved {document['id']} as version {version} ({len(document['stops'])} stops) from {path}")
        return 1 if failed else 0
    if action == "show":
        document, version = store.trip(args.id, args.version)
        print(json.dumps(document, ensure_ascii=False, indent=2))
        print(f"(version {version})", file=sys.stderr)
        return 0
    if action == "history":
        for row in store.history(args.id):
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row["saved_at"]))
            print(f"v{row['version']}\t{when} UTC\t{row['saved_by'] or '-'}\t{row['action']}")
        return 0
    if action == "restore":
        version = store.restore(args.id, args.version, saved_by=by)
        print(f"restored {args.id} version {args.version} as version {version}")
        return 0
    version = store.delete_trip(args.id, saved_by=by)
    print(f"deleted {args.id} (history kept; 'trips restore {args.id} {version - 1}' brings it back)")
    return 0
