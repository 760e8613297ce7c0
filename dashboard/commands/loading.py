"""The step ``check``, ``convert`` and ``export`` share: load itinerary files, place their stops
with the configured resolver, and report every problem on stderr (file, row, column, what to
do); then each command decides, with ``--keep-going``, whether what was lost stops it."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

# The settings every command that places stops takes: the store (saved choices, online cache)
# and the opt-in online provider.
PLACING = ("database", "online", "online_domain", "online_scheme", "user_agent")
# How a table is read when detection should not decide (check, convert, export and serve's --data).
READING = ("columns", "date_order", "sheet", "trip_title", "leader")


@dataclass
class Loaded:
    itinerary: object  # dashboard.itinerary.Itinerary: every trip loaded, with its problems
    stops: object  # the chosen trips' stops, placed when asked
    events: object
    trips: object
    placement: list  # the placement problems (errors: stops left off the map)

    @property
    def unplaced(self) -> list:
        return [p for p in self.placement if p.severity == "error"]


def report(problems) -> None:
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)


def load_and_place(paths: list[Path], services, *, place: bool = True, trips: list[str] | None = None) -> Loaded:
    """The itineraries in ``paths`` as one (the first file naming a trip keeps it), narrowed to
    ``trips`` (ids) when given, their stops placed when ``place``; every problem reported."""
    from dashboard.errors import UserError
    from dashboard.geocoding.resolver import placement_problems
    from dashboard.itinerary import combine
    from dashboard.sources import load_itinerary

    hints = services.table_hints
    itinerary = combine([load_itinerary(path, hints) for path in paths]) if len(paths) > 1 \
        else load_itinerary(paths[0], hints)
    for line in itinerary.understood:
        print(f"read: {line}", file=sys.stderr)
    report(itinerary.problems)
    stops, events, trip_rows = itinerary.stops, itinerary.events, itinerary.trips
    if trips:
        available = list(itinerary.trips["trip_id"])
        unknown = [t for t in trips if t not in available]
        if unknown:
            raise UserError(f"unknown trip id(s) {', '.join(unknown)} in {', '.join(map(str, paths))}; "
                            f"trips there: {', '.join(available) or 'none'}")
        stops = stops[stops["trip_id"].isin(trips)].reset_index(drop=True)
        events = events[events["trip_id"].isin(trips)].reset_index(drop=True)
        trip_rows = trip_rows[trip_rows["trip_id"].isin(trips)].reset_index(drop=True)
    placement = []
    if place:
        stops = services.resolver.geocode_stops(stops)
        placement = placement_problems(stops)
        report(placement)
        for warning in services.resolver.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return Loaded(itinerary, stops, events, trip_rows, placement)


def stopped_by_losses(loaded: Loaded, keep_going: bool, *, count_unplaced: bool = True,
                      outcome: str = "nothing was written") -> bool:
    """True (after saying why) when rows were not loaded, or stops not placed, and
    ``--keep-going`` was not given."""
    dropped = loaded.itinerary.dropped
    unplaced = loaded.unplaced if count_unplaced else []
    if not (dropped or unplaced) or keep_going:
        return False
    lost = f"{len(dropped)} row(s) or record(s) not loaded" + (f" and {len(unplaced)} stop(s) not placed"
                                                              if count_unplaced else "")
    print(f"error: {lost} (listed above); {outcome}. Fix them, or pass --keep-going to go on with the rest.",
          file=sys.stderr)
    return True
