"""`python3 -m dashboard trips list|save FILE...|show ID|history ID|restore ID VERSION|delete ID`
against the configured store (``--database URL`` or $TRIPVIZ_DATABASE_URL; default the SQLite
file in the cache folder)."""

from __future__ import annotations

import getpass
import json
import sys
import time
from pathlib import Path

from dashboard.store import ConflictError, StoreError, open_store


def trip_documents(path: Path) -> tuple[list[dict], list]:
    """Each trip in an itinerary file (any format the project reads) as the project's JSON
    trip, and the problems found loading it."""
    from dashboard import state
    from dashboard.sources import load_itinerary

    itinerary = load_itinerary(path)
    text = state.itinerary_json(itinerary.stops, itinerary.events, itinerary.trips)
    body = json.loads(text)
    return (body["trips"] if "trips" in body else [body]), list(itinerary.problems)


def author(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


def trips_command(args) -> int:
    store = open_store(args.database)
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
        by = author(args.by)
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
        version = store.restore(args.id, args.version, saved_by=author(args.by))
        print(f"restored {args.id} version {args.version} as version {version}")
        return 0
    if action == "delete":
        version = store.delete_trip(args.id, saved_by=author(args.by))
        print(f"deleted {args.id} (history kept; 'trips restore {args.id} {version - 1}' brings it back)")
        return 0
    raise StoreError(f"unknown trips action {action!r}")
