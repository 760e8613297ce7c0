"""Tables people keep, read at speed: ``check`` of a 20,000-row day-first table with its own
headers (target: under 10 s), a 100,000-row one against the project's own CSV of the same size
(target: within 1.5x of the CSV figure before tables were read), and the workbook readers.

    python3 bench/table_speed.py [--baseline PATH] [--rows 20000 100000]

``--baseline PATH`` is a checkout of the project from before the table reader (for example
``git worktree add /tmp/base 3fde8ca``): its ``check`` of the project CSV is timed beside ours, so
the ratio is measured in one run, on one machine. Without it, the ratio is to today's CSV figure.

The tables are synthetic, shaped like a researcher's list: headers ``Date;City;Country;Notes``
(semicolon separated, as a European Excel saves), dates ``24/08/2025`` day-first (the column has
days over 12, so the order is decided, as in a real list), country names written out, notes on
one row in three. Times are wall clock, ``check`` as the command a user runs (process start,
reading, geocoding offline, report), load in-process.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from scale import PLACES, write_collection  # noqa: E402

from dashboard.sources import load_itinerary  # noqa: E402

COUNTRY_NAMES = {"GB": "United Kingdom", "FR": "France", "DE": "Germany", "IT": "Italy", "ES": "Spain",
                 "PT": "Portugal", "PL": "Poland", "UA": "Ukraine", "AT": "Austria", "CZ": "Czechia",
                 "US": "United States", "JP": "Japan", "CN": "China", "IN": "India", "BR": "Brazil"}


def table_rows(rows: int):
    rng = random.Random(rows)
    day = date(1990, 1, 1)
    for index in range(rows):
        place, code = PLACES[index % len(PLACES)]
        country = COUNTRY_NAMES.get(code or "", code or "")
        note = "Talks with the host; joint statement" if index % 3 == 0 else ""
        yield day, place, country, note
        day += timedelta(days=rng.randint(1, 3))


def write_day_first_table(path: Path, rows: int) -> None:
    lines = ["Date;City;Country;Notes\n"]
    lines += [f"{day:%d/%m/%Y};{place};{country};{note}\n" for day, place, country, note in table_rows(rows)]
    path.write_text("".join(lines), encoding="utf-8")


def write_workbook(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Trips")
    sheet.append(["Date", "City", "Country", "Notes"])
    for day, place, country, note in table_rows(rows):
        sheet.append([day, place, country, note or None])
    book.save(path)


def timed_check(repo: Path, path: Path, cache: Path | None = None) -> float:
    env = dict(os.environ, TRIPVIZ_CACHE_DIR=str(cache)) if cache else None
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dashboard", "check", str(path), "--keep-going"], cwd=repo,
                            capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: the report found stops to check, still a full run
        raise SystemExit(f"check {path.name} in {repo} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def timed_load(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    loaded = load_itinerary(path)
    return time.perf_counter() - started, len(loaded.stops)


def workbook_readers(path: Path) -> tuple[float, float]:
    """Seconds to read every cell of the workbook with python-calamine and with openpyxl."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    calamine = time.perf_counter() - started
    started = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        list(sheet.iter_rows(values_only=True))
    openpyxl_seconds = time.perf_counter() - started
    return calamine, openpyxl_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--baseline", type=Path, help="a checkout of the project before the table reader")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        # Each checkout builds its own gazetteer index before timing, in a cache of its own: an
        # index of another version is replaced when built, and the build (about 30 s) is not
        # what is measured here.
        warm_up = folder / "warm-up.csv"
        write_day_first_table(warm_up, 10)
        baseline_cache = folder / "baseline-cache"
        timed_check(REPO, warm_up)
        if args.baseline:
            baseline_collection = folder / "warm-up-collection.csv"
            write_collection(baseline_collection, 10)
            timed_check(args.baseline, baseline_collection, baseline_cache)
        print(f"{'rows':>8} {'table check':>12} {'table load':>11} {'CSV check':>10} {'CSV load':>9}"
              + (f" {'CSV check before':>17} {'table/before':>13} {'CSV/before':>11}"
                 if args.baseline else ""))
        for rows in args.rows:
            table = folder / f"trips-{rows}.csv"
            write_day_first_table(table, rows)
            collection = folder / f"collection-{rows}.csv"
            write_collection(collection, rows)
            table_load, stops = timed_load(table)
            if stops != rows:
                raise SystemExit(f"the table loaded {stops} stops of {rows}")
            csv_load, _ = timed_load(collection)
            table_check, csv_check = timed_check(REPO, table), timed_check(REPO, collection)
            line = (f"{rows:>8,} {table_check:>11.2f}s {table_load:>10.2f}s {csv_check:>9.2f}s "
                    f"{csv_load:>8.2f}s")
            if args.baseline:
                before = timed_check(args.baseline, collection, baseline_cache)
                line += f" {before:>16.2f}s {table_check / before:>12.2f}x {csv_check / before:>10.2f}x"
            print(line, flush=True)
        book = folder / "trips.xlsx"
        write_workbook(book, 20_000)
        calamine, openpyxl_seconds = workbook_readers(book)
        print(f"\nreading a 20,000-row .xlsx ({book.stat().st_size / 1e6:.1f} MB): python-calamine "
              f"{calamine:.2f}s, openpyxl (read-only) {openpyxl_seconds:.2f}s")
        started = time.perf_counter()
        load_itinerary(book)
        print(f"load of that workbook as a trip: {time.perf_counter() - started:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
