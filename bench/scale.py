"""Does any step grow faster than the input? ``check``, load, geocode and export of a CSV
collection at 1,000, 10,000 and 100,000 rows (the target: each under 15 s at 100,000).

    python3 bench/scale.py [--sizes 1000 10000 100000]

The CSV is synthetic but shaped like a real collection converted from travel records: tours of
8 stops across the years, half of the places to geocode by name (with a country hint on most),
half with coordinates, events on about half of the rows, notes and sources on some (so the
optional columns are partly empty, NaN in pandas). Place names cycle through 60 capitals and
regions, as a president's record repeats the same capitals.

Times are wall clock on this machine: ``check`` and ``export`` as the command a user runs
(process start included, export with --keep-going to the HTML page); load and geocode
in-process (load = parse and validate; geocode = the resolver over every stop, offline).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard.geocoding.resolver import PlaceResolver  # noqa: E402
from dashboard.store import SQLiteStore  # noqa: E402
from dashboard.sources import load_itinerary  # noqa: E402

PLACES = [("London", "GB"), ("Paris", "FR"), ("Berlin", "DE"), ("Rome", "IT"), ("Madrid", "ES"),
          ("Lisbon", "PT"), ("Warsaw", "PL"), ("Kyiv", "UA"), ("Vienna", "AT"), ("Prague", "CZ"),
          ("Budapest", "HU"), ("Athens", "GR"), ("Ankara", "TR"), ("Cairo", "EG"), ("Riyadh", "SA"),
          ("Tehran", "IR"), ("New Delhi", "IN"), ("Beijing", "CN"), ("Tokyo", "JP"), ("Seoul", "KR"),
          ("Manila", "PH"), ("Jakarta", "ID"), ("Canberra", "AU"), ("Wellington", "NZ"), ("Ottawa", "CA"),
          ("Mexico City", "MX"), ("Brasilia", "BR"), ("Buenos Aires", "AR"), ("Santiago", "CL"), ("Lima", "PE"),
          ("Bogota", "CO"), ("Caracas", "VE"), ("Havana", "CU"), ("Nairobi", "KE"), ("Lagos", "NG"),
          ("Dakar", "SN"), ("Pretoria", "ZA"), ("Addis Ababa", "ET"), ("Rabat", "MA"), ("Algiers", "DZ"),
          ("Bavaria", "DE"), ("Normandy", "FR"), ("Tuscany", "IT"), ("Cornwall", "GB"), ("Crimea", "UA"),
          ("Germany", None), ("Japan", None), ("Vatican City", None), ("Brussels", None), ("Geneva", "CH"),
          ("Reykjavik", "IS"), ("Oslo", "NO"), ("Stockholm", "SE"), ("Helsinki", "FI"), ("Copenhagen", "DK"),
          ("Dublin", "IE"), ("Riga", "LV"), ("Vilnius", "LT"), ("Tallinn", "EE"), ("Bucharest", "RO")]
COLUMNS = "trip,leader,place,country,arrive,depart,lat,lon,events,source,note\n"


def write_collection(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    day = date(1950, 1, 1)
    lines = [COLUMNS]
    for index in range(rows):
        tour = index // 8
        place, country = PLACES[index % len(PLACES)]
        length = rng.randint(0, 2)
        lat = lon = ""
        if index % 2:
            lat, lon = f"{rng.uniform(-60, 70):.4f}", f"{rng.uniform(-179, 179):.4f}"
        events = "[meeting] 10:00 Talks with the host | [press] Joint statement" if index % 3 == 0 else (
            "[visit] Wreath laying" if index % 3 == 1 else "")
        source = "https://history.example.org/travels/%d" % tour if index % 4 == 0 else ""
        note = "Stop inferred from the schedule" if index % 5 == 0 else ""
        lines.append(f"Tour {tour},Leader {tour % 12},{place},{country or ''},{day.isoformat()},"
                     f"{(day + timedelta(days=length)).isoformat()},{lat},{lon},{events},{source},{note}\n")
        day += timedelta(days=length + (rng.randint(20, 90) if index % 8 == 7 else 0))
        if day.year > 9000:
            day = date(1950, 1, 1)
    path.write_text("".join(lines), encoding="utf-8")


def timed_command(*args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    # The offline index is built before timing (once per machine, about 15 s), as a user's first
    # run would have done; the store is a fresh one, so no saved choice helps.
    resolver = PlaceResolver(store=SQLiteStore(Path(tempfile.mkdtemp()) / "store.sqlite"))
    print(f"{'rows':>8} {'check (cmd)':>12} {'load':>8} {'geocode':>8} {'export (cmd)':>13} {'page size':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.sizes:
            csv_path = Path(folder) / f"collection-{rows}.csv"
            write_collection(csv_path, rows)
            check = timed_command("check", str(csv_path), "--keep-going")
            started = time.perf_counter()
            loaded = load_itinerary(csv_path)
            load = time.perf_counter() - started
            started = time.perf_counter()
            resolver.geocode_stops(loaded.stops)
            geocode = time.perf_counter() - started
            page = Path(folder) / f"collection-{rows}.html"
            export = timed_command("export", str(csv_path), "-o", str(page), "--keep-going")
            print(f"{rows:>8,} {check:>11.2f}s {load:>7.2f}s {geocode:>7.2f}s {export:>12.2f}s "
                  f"{page.stat().st_size / 1e6:>8.1f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
