"""`check FILE...`: validate itinerary files, place their stops and list every problem."""

from __future__ import annotations

import sys

from dashboard.commands.loading import PLACING, READING, load_and_place

NAME = "check"
HELP = "validate itinerary files, place their stops and list every problem"
SETTINGS = (*PLACING, *READING)


def add_arguments(parser) -> None:
    from pathlib import Path

    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--keep-going", action="store_true",
                        help="accept rows that could not be loaded and stops that could not be placed: list them "
                             "and go on (exit 0) instead of stopping with exit status 1")


def run(args, services) -> int:
    from dashboard.itinerary import ItineraryError, frame_rows, led_by, rows_by_trip

    failed = False
    for path in args.files:
        try:
            loaded = load_and_place([path], services)
        except ItineraryError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            failed = True
            continue
        result = loaded.itinerary
        # Counted once for all stops: comparing the whole events frame per stop is quadratic.
        event_counts = result.events.groupby(["trip_id", "stop_no"]).size().to_dict()
        stops_by_trip = rows_by_trip(loaded.stops)
        lines = []
        for trip in frame_rows(result.trips):
            trip_stops = stops_by_trip.get(trip["trip_id"], [])
            lines.append(f"{trip['file']}: trip '{trip['trip_id']}' - {led_by(trip['leader'], trip['trip'])} "
                         f"({len(trip_stops)} stops)")
            for stop in trip_stops:
                lines.append(_stop_line(stop, event_counts.get((trip["trip_id"], stop["stop_no"]), 0)))
        print("\n".join(lines))
        if result.dropped:
            print(f"{path}: {len(result.dropped)} row(s) not loaded: {', '.join(result.dropped)}", file=sys.stderr)
        failed |= bool(result.errors or result.dropped or loaded.unplaced)
    if failed and args.keep_going:
        print("--keep-going: the rows and stops listed above were left out", file=sys.stderr)
        return 0
    return 1 if failed else 0


def _stop_line(stop: dict, n_events: int) -> str:
    when = stop["arrive"].date().isoformat()
    if stop["depart"].date() != stop["arrive"].date():
        when += f" to {stop['depart'].date().isoformat()}"
    placed_at = (f"{stop['precision'] or 'exact'}, {stop['confidence'] or 'high'}: {stop['matched_name']}"
                 if stop["lat"] is not None else "not placed")
    if stop["lat"] is not None and stop["confidence"] == "high" and stop["geocode_note"]:
        placed_at += f" ({stop['geocode_note']})"
    return f"  {stop['stop_no']}. {stop['place']} ({stop['country'] or '?'}), {when}, {n_events} event(s); {placed_at}"
