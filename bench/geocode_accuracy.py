"""Accuracy of the offline gazetteer on the presidential travel places (461 with a reference
point and a tolerance). Reads ../shared; prints the share within tolerance, the share in the
right country, and every miss.

    python3 bench/geocode_accuracy.py [--truth PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import great_circle  # noqa: E402

from dashboard.geocoding import Gazetteer  # noqa: E402

DEFAULT_TRUTH = Path(__file__).resolve().parents[2] / "shared/datasets/hs-president-places-truth.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.truth, encoding="utf-8")))
    gazetteer = Gazetteer(progress=True)
    started = time.perf_counter()
    within = right_country = 0
    misses = []
    for row in rows:
        found = gazetteer.geocode(row["place"], country=row["country"])
        if found is None:
            misses.append((row, None, None))
            continue
        distance = great_circle((float(row["lat"]), float(row["lon"])), found.point).km
        right_country += found.raw["country_code"] == row["country"]
        if distance <= float(row["tolerance_km"]):
            within += 1
        else:
            misses.append((row, found, distance))
    elapsed = time.perf_counter() - started
    total = len(rows)
    print(f"places: {total}")
    print(f"within tolerance: {within} ({100 * within / total:.1f}%)")
    print(f"in the right country: {right_country} ({100 * right_country / total:.1f}%)")
    print(f"lookup time: {elapsed * 1000:.0f} ms ({elapsed / total * 1e6:.0f} us per place, cold memo)")
    for row, found, distance in misses:
        got = "nothing" if found is None else (
            f"{found.address} ({found.raw['match']}, {distance:.0f} km off, tolerance {row['tolerance_km']})")
        print(f"  miss: {row['place']} [{row['country']}, {row['kind']}] -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
