"""Speed and memory of the offline geocoder.

    python3 bench/geocode_speed.py

Prints: the one-off index build (only when no index exists yet), the geocode command on the
461 presidential places with process start (median of 5), the first lookup in a fresh process,
warm lookups per second (repeated queries, and distinct queries with the memo cleared), and
the command's peak RSS. Reads ../shared for the place list.
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TRUTH = REPO.parent / "shared/datasets/hs-president-places-truth.csv"


def main() -> int:
    from dashboard.geocoding.index import ensure_index, index_path

    if not index_path().exists():
        started = time.perf_counter()
        ensure_index(progress=True)
        print(f"index build (once): {time.perf_counter() - started:.1f} s, "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    work = Path(tempfile.mkdtemp())
    places = work / "places.csv"
    with open(TRUTH, encoding="utf-8") as src, open(places, "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(["place", "country"])
        for row in csv.DictReader(src):
            writer.writerow([row["place"], row["country"]])

    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dashboard", "geocode", str(places), "-o", str(work / "out.csv"),
                        "--no-progress"], cwd=REPO, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"geocode command, 461 places, process start included: median {statistics.median(runs):.2f} s "
          f"(min {min(runs):.2f}, max {max(runs):.2f})")
    print(f"geocode command peak RSS: {peak:.0f} MB")

    first = subprocess.run(
        [sys.executable, "-c",
         "import time; t = time.perf_counter(); from dashboard.geocoding import Gazetteer; "
         "g = Gazetteer(); g.geocode('Warsaw'); print(time.perf_counter() - t)"],
        cwd=REPO, check=True, capture_output=True, text=True, env=dict(os.environ))
    print(f"first lookup in a fresh process (import + open + lookup): {float(first.stdout) * 1000:.0f} ms")

    from dashboard.geocoding import Gazetteer

    gazetteer = Gazetteer()
    rows = list(csv.DictReader(open(places, encoding="utf-8")))
    for row in rows:
        gazetteer.geocode(row["place"], country=row["country"])
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 1.0:
        for row in rows:
            gazetteer.geocode(row["place"], country=row["country"])
        count += len(rows)
    warm = count / (time.perf_counter() - started)
    print(f"warm lookups (repeated places, memo hit): {warm:,.0f} per second")
    started = time.perf_counter()
    rounds = 3
    for _ in range(rounds):
        gazetteer._memo.clear()
        for row in rows:
            gazetteer.geocode(row["place"], country=row["country"])
    distinct = rounds * len(rows) / (time.perf_counter() - started)
    print(f"warm lookups (memo cleared, index and fuzzy lists loaded): {distinct:,.0f} per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
