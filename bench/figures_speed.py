"""Figure build time at 1,000 and 10,000 stops, and the first trip's figure JSON size.

    python3 bench/figures_speed.py

Stops are synthetic but realistic: tours of 20 stops hopping between real-world coordinates,
one event per stop. Build time covers the map (routes, arrows, markers, hover text) and the
timeline; median of 5 runs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import figures  # noqa: E402
from dashboard.geocoding.resolver import PlaceResolver  # noqa: E402
from dashboard.paths import DEFAULT_TRIP  # noqa: E402
from dashboard.sources import load_itinerary  # noqa: E402


def synthetic(n_stops: int, stops_per_trip: int = 20) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    rows, events = [], []
    start = pd.Timestamp("2020-01-01")
    for i in range(n_stops):
        trip = i // stops_per_trip
        day = start + pd.Timedelta(days=i)
        rows.append(dict(trip_id=f"t{trip}", trip=f"Tour {trip}", leader="Leader", stop_no=i % stops_per_trip + 1,
                         place=f"Place {i}", country=None, arrive=day, depart=day, arrive_has_time=False,
                         depart_has_time=False, utc_offset=None, lat=float(rng.uniform(-60, 70)),
                         lon=float(rng.uniform(-180, 180)), country_code="XX", country_name="Somewhere",
                         precision="city"))
        events.append(dict(trip_id=f"t{trip}", stop_no=i % stops_per_trip + 1, event_no=1, time=None,
                           text="Talks with the host government", kind="meeting", people="", source="x",
                           inferred=False))
    return pd.DataFrame(rows), pd.DataFrame(events)


def time_build(stops, events, runs=5) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        figures.map_figure(stops, events)
        figures.timeline_figure(stops, events)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    figures.map_figure(*synthetic(20))  # warm imports and plotly's validators
    for n in (1_000, 10_000):
        stops, events = synthetic(n)
        print(f"map + timeline for {n:,} stops: {time_build(stops, events, 5 if n < 5000 else 3) * 1000:.0f} ms (median)")
    itinerary = load_itinerary(DEFAULT_TRIP)
    placed = PlaceResolver().geocode_stops(itinerary.stops)
    map_json = figures.map_figure(placed, itinerary.events).to_json()
    animated_json = figures.map_figure(placed, itinerary.events, animate=True).to_json()
    timeline_json = figures.timeline_figure(placed, itinerary.events).to_json()
    print(f"first trip figure JSON (base map excluded): map {len(map_json) / 1024:.1f} KB, "
          f"map with animation {len(animated_json) / 1024:.1f} KB, timeline {len(timeline_json) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
