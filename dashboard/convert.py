"""`python3 -m dashboard convert INPUT... -o OUT.csv|OUT.json [--geocode]`: any loadable input
(CSV, JSON, official travel records, a folder of them) written as the project's own CSV or
JSON, so that a collection can be fixed up in a spreadsheet and loaded back."""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.itinerary import ItineraryError, combine
from dashboard.sources import load_itinerary

FORMATS = (".csv", ".json")


def convert(inputs: list[Path], output: Path, *, geocode: bool = False, keep_going: bool = False) -> int:
    from dashboard import state

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise ItineraryError(f"{output}: the output must end in .csv or .json")
    loaded = combine([load_itinerary(path) for path in inputs])
    for problem in loaded.problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    if loaded.dropped and not keep_going:
        print(f"error: {len(loaded.dropped)} row(s) or record(s) could not be loaded (listed above); nothing "
              "was written. Fix them, or pass --keep-going to convert the rest.", file=sys.stderr)
        return 1
    stops = loaded.stops
    if geocode:
        from dashboard.geocoding.resolver import PlaceResolver, placement_problems
        from dashboard.geocoding.store import GeocodeStore

        stops = PlaceResolver(store=GeocodeStore()).geocode_stops(stops)
        for problem in placement_problems(stops):
            print(f"{problem.severity}: {problem}", file=sys.stderr)
    write = state.geocoded_csv if suffix == ".csv" else state.itinerary_json
    output.write_text(write(stops, loaded.events, loaded.trips), encoding="utf-8")
    print(f"wrote {output}: {len(loaded.trips):,} trip(s), {len(stops):,} stop(s), {len(loaded.events):,} event(s)",
          file=sys.stderr)
    return 0
