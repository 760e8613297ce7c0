"""Accuracy of the offline gazetteer on the 461 places of the presidential travel records that
have a reference point and a tolerance (../shared/datasets/hs-president-places-truth.csv).

Four runs: with and without the reference's country as a hint, each with the curated venue file
on and off. Per run:
- within tolerance: the answer lies within the place's tolerance of its reference point;
- right country: the answer's country is the reference's (only meaningful without the hint,
  since the hint filters the candidates to that country);
- confident but wrong: the answer claims venue or city precision and lies outside the tolerance,
  the worst failure (a dot drawn as if certain, in the wrong place);
- approximate: placed only at a country or region centre; not found: no answer.

The reference is used only to score; nothing here feeds back into the gazetteer.

    python3 bench/geocode_accuracy.py [--truth PATH] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import great_circle  # noqa: E402

from dashboard.geocoding import Gazetteer, index  # noqa: E402

DEFAULT_TRUTH = Path(__file__).resolve().parents[2] / "shared/datasets/hs-president-places-truth.csv"
CONFIDENT = {"venue", "city"}


def score(gazetteer: Gazetteer, rows: list[dict], with_hint: bool) -> dict:
    counts = dict(within=0, right_country=0, confident_wrong=0, approximate=0, not_found=0)
    misses = []
    started = time.perf_counter()
    for row in rows:
        found = gazetteer.geocode(row["place"], country=row["country"] if with_hint else None)
        if found is None:
            counts["not_found"] += 1
            misses.append((row, None, None))
            continue
        distance = great_circle((float(row["lat"]), float(row["lon"])), found.point).km
        counts["right_country"] += found.raw["country_code"] == row["country"]
        counts["approximate"] += found.raw["precision"] not in CONFIDENT
        if distance <= float(row["tolerance_km"]):
            counts["within"] += 1
        else:
            counts["confident_wrong"] += found.raw["precision"] in CONFIDENT
            misses.append((row, found, distance))
    counts["seconds"] = time.perf_counter() - started
    counts["misses"] = misses
    return counts


def without_curated_venues(workdir: Path) -> Gazetteer:
    """A gazetteer built from the same packages with an empty venues.csv, in its own cache."""
    curated = workdir / "gazetteer"
    shutil.copytree(index.GAZETTEER_DIR, curated)
    header = (curated / "venues.csv").read_text(encoding="utf-8").splitlines()[0]
    (curated / "venues.csv").write_text(header + "\n", encoding="utf-8")
    index.GAZETTEER_DIR = curated
    os.environ["TRIPVIZ_CACHE_DIR"] = str(workdir / "cache")
    return Gazetteer(progress=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    parser.add_argument("--misses", action="store_true", help="also list every miss of each run")
    args = parser.parse_args()
    with open(args.truth, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = len(rows)
    results = {}
    curated_on = Gazetteer(progress=True)
    for hint in (True, False):
        results[("on", hint)] = score(curated_on, rows, hint)
    with tempfile.TemporaryDirectory() as workdir:
        curated_off = without_curated_venues(Path(workdir))
        for hint in (True, False):
            results[("off", hint)] = score(curated_off, rows, hint)

    print(f"places: {total}")
    print(f"{'run':<40} {'within tol.':>12} {'right country':>14} {'confident wrong':>16} "
          f"{'approximate':>12} {'not found':>10}")
    for (curated, hint), r in results.items():
        label = f"{'country hint' if hint else 'no hint'}, curated venues {curated}"
        pct = lambda n: f"{n} ({100 * n / total:.1f}%)"  # noqa: E731
        print(f"{label:<40} {pct(r['within']):>12} {pct(r['right_country']) if not hint else 'by hint':>14} "
              f"{pct(r['confident_wrong']):>16} {pct(r['approximate']):>12} {pct(r['not_found']):>10}")
    print(f"lookup time, hint, curated on: {results[('on', True)]['seconds'] * 1000:.0f} ms for {total} places")
    if args.misses:
        for (curated, hint), r in results.items():
            print(f"\nmisses: {'hint' if hint else 'no hint'}, curated {curated}")
            for row, found, distance in r["misses"]:
                got = "nothing" if found is None else (
                    f"{found.address} ({found.raw['precision']}, {found.raw['match']}, {distance:.0f} km off, "
                    f"tolerance {row['tolerance_km']})")
                print(f"  {row['place']} [{row['country']}, {row['kind']}] -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
