"""Accuracy of the offline gazetteer on the 461 places of the presidential travel records that
have a reference point and a tolerance (../shared/datasets/hs-president-places-truth.csv).

Six runs: with and without the reference's country as a hint, each with the curated venue file
on and off, and with the airfields (airportsdata) left out. Per run:
- within tolerance: the answer lies within the place's tolerance of its reference point;
- right country: the answer's country is the reference's (only meaningful without the hint,
  since the hint filters the candidates to that country);
- high but wrong: the answer's confidence is "high" and it lies outside the tolerance, the worst
  failure (a dot drawn as certain, in the wrong place, with no flag);
- city/venue but wrong: the answer claims venue or city precision and lies outside the tolerance,
  whatever its confidence (the older, stricter definition: flagged answers count too);
- flagged: confidence "check" (drawn and listed as "check this"), and how many of those were right;
- approximate: placed only at a country or region centre; not found: no answer.

Then the records' stops: the presidents' travel records loaded and placed as the dashboard does
(load, then the resolver with each trip's route as context), each stop whose place has a
reference point scored against it; and the time that takes, process start excluded.

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
RECORDS = Path(__file__).resolve().parents[2] / "shared/datasets/hs-president-travels"
CONFIDENT = {"venue", "city"}


def score(gazetteer: Gazetteer, rows: list[dict], with_hint: bool) -> dict:
    counts = dict(within=0, right_country=0, high_wrong=0, confident_wrong=0, flagged=0, flagged_right=0,
                  approximate=0, not_found=0)
    misses = []
    started = time.perf_counter()
    for row in rows:
        found = gazetteer.geocode(row["place"], country=row["country"] if with_hint else None)
        if found is None:
            counts["not_found"] += 1
            misses.append((row, None, None))
            continue
        distance = great_circle((float(row["lat"]), float(row["lon"])), found.point).km
        right = distance <= float(row["tolerance_km"])
        counts["right_country"] += found.raw["country_code"] == row["country"]
        counts["approximate"] += found.raw["confidence"] == "approximate"
        counts["flagged"] += found.raw["confidence"] == "check"
        counts["flagged_right"] += found.raw["confidence"] == "check" and right
        if right:
            counts["within"] += 1
        else:
            counts["confident_wrong"] += found.raw["precision"] in CONFIDENT
            counts["high_wrong"] += found.raw["confidence"] == "high"
            misses.append((row, found, distance))
    counts["seconds"] = time.perf_counter() - started
    counts["misses"] = misses
    return counts


def score_records(rows: list[dict], gazetteer: Gazetteer) -> dict:
    """The records' stops placed by the resolver (trip context included), scored where the
    reference has their place."""
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.sources import load_itinerary

    started = time.perf_counter()
    stops = load_itinerary(RECORDS).stops
    loaded = time.perf_counter()
    placed = PlaceResolver(gazetteer).geocode_stops(stops)
    done = time.perf_counter()
    reference = {(row["place"], row["country"]): row for row in rows}
    scored = within = high_wrong = 0
    for place, code, lat, lon, confidence in zip(placed["place"], placed["country_code"], placed["lat"],
                                                 placed["lon"], placed["confidence"]):
        row = reference.get((place, code))
        if row is None or lat != lat:
            continue
        scored += 1
        right = great_circle((float(row["lat"]), float(row["lon"])), (lat, lon)).km <= float(row["tolerance_km"])
        within += right
        high_wrong += not right and confidence == "high"
    return dict(stops=len(placed), scored=scored, within=within, high_wrong=high_wrong,
                load=loaded - started, place=done - loaded)


def without_curated_venues(workdir: Path) -> Gazetteer:
    """A gazetteer built from the same packages with an empty venues.csv, in its own cache."""
    curated = workdir / "gazetteer"
    shutil.copytree(index.GAZETTEER_DIR, curated)
    header = (curated / "venues.csv").read_text(encoding="utf-8").splitlines()[0]
    (curated / "venues.csv").write_text(header + "\n", encoding="utf-8")
    index.GAZETTEER_DIR = curated
    os.environ["TRIPVIZ_CACHE_DIR"] = str(workdir / "cache")
    return Gazetteer(progress=True)


def without_airfields(workdir: Path) -> Gazetteer:
    """A gazetteer built without the airfields, in its own cache."""
    kept, cache = index.airfields, os.environ.get("TRIPVIZ_CACHE_DIR")
    index.airfields = lambda: iter(())
    os.environ["TRIPVIZ_CACHE_DIR"] = str(workdir / "cache-no-airfields")
    try:
        return Gazetteer(progress=True)  # the index is built here, then only read
    finally:
        index.airfields = kept
        if cache is None:
            os.environ.pop("TRIPVIZ_CACHE_DIR", None)
        else:
            os.environ["TRIPVIZ_CACHE_DIR"] = cache


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
    records = {"": score_records(rows, curated_on)} if RECORDS.is_dir() else {}
    with tempfile.TemporaryDirectory() as workdir:
        airfields_off = without_airfields(Path(workdir))
        for hint in (True, False):
            results[("on, no airfields", hint)] = score(airfields_off, rows, hint)
        if records:
            records[", no airfields"] = score_records(rows, airfields_off)
        curated_off = without_curated_venues(Path(workdir))
        for hint in (True, False):
            results[("off", hint)] = score(curated_off, rows, hint)

    print(f"places: {total}")
    columns = ("within", "right_country", "high_wrong", "confident_wrong", "flagged", "flagged_right",
               "approximate", "not_found")
    headers = ("within tol.", "right country", "high but wrong", "city/venue wrong", "flagged",
               "flagged, right", "approximate", "not found")
    print(f"{'run':<52}" + "".join(f"{h:>17}" for h in headers))
    for (curated, hint), r in results.items():
        label = f"{'country hint' if hint else 'no hint'}, curated venues {curated}"
        cells = []
        for column in columns:
            if column == "right_country" and hint:
                cells.append("by hint")
            else:
                cells.append(f"{r[column]} ({100 * r[column] / total:.1f}%)")
        print(f"{label:<52}" + "".join(f"{c:>17}" for c in cells))
    print(f"lookup time, hint, curated on: {results[('on', True)]['seconds'] * 1000:.0f} ms for {total} places")
    for label, run in records.items():
        print(f"records' stops{label} (loaded and placed as the dashboard does, trip context included): "
              f"{run['within']} of {run['scored']} scored stops within tolerance "
              f"({100 * run['within'] / run['scored']:.1f}%), high but wrong {run['high_wrong']} "
              f"({100 * run['high_wrong'] / run['scored']:.1f}%); {run['stops']} stops loaded in "
              f"{run['load']:.2f} s, placed in {run['place']:.2f} s")
    if args.misses:
        for (curated, hint), r in results.items():
            print(f"\nmisses: {'hint' if hint else 'no hint'}, curated {curated}")
            for row, found, distance in r["misses"]:
                got = "nothing" if found is None else (
                    f"{found.address} ({found.raw['precision']}, {found.raw['confidence']}, {found.raw['match']}, {distance:.0f} km off, "
                    f"tolerance {row['tolerance_km']})")
                print(f"  {row['place']} [{row['country']}, {row['kind']}] -> {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
