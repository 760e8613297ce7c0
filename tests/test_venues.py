"""The curated venues are data with sources, never copies of a reference set."""

import csv
import math

import pytest

from tests.conftest import REPO

VENUES = REPO / "data/gazetteer/venues.csv"
REFERENCE_DIR = REPO.parent / "shared" / "datasets"
KINDS = {"venue", "base", "island", "water", "region"}


def rows():
    with open(VENUES, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def distance_m(lat1, lon1, lat2, lon2):
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6_371_008.8 * math.acos(max(-1.0, min(1.0, cos)))


def test_every_row_is_complete_and_names_its_source():
    seen = set()
    for row in rows():
        assert row["name"] and row["name"] not in seen, row
        seen.add(row["name"])
        assert len(row["country"]) == 2 and row["country"].isupper(), row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        assert row["kind"] in KINDS, row
        assert row["source"].startswith("Wikipedia: ") or "Approximate" in row["source"], row


@pytest.mark.skipif(not REFERENCE_DIR.is_dir(), reason="../shared/datasets is not beside the repository")
def test_no_row_carries_a_reference_point_unless_its_source_says_why():
    reference = []
    for path in REFERENCE_DIR.glob("*truth*.csv"):
        with open(path, encoding="utf-8") as handle:
            for ref in csv.DictReader(handle):
                try:
                    reference.append((float(ref["lat"]), float(ref["lon"])))
                except (KeyError, ValueError):
                    continue
    assert reference, "no reference points read; the check would pass on nothing"
    coincidences = []
    for row in rows():
        lat, lon = float(row["lat"]), float(row["lon"])
        explained = "whole-minute" in row["source"] or "coincide" in row["source"]
        if not explained and any(distance_m(lat, lon, r_lat, r_lon) < 10 for r_lat, r_lon in reference):
            coincidences.append(row["name"])
    assert not coincidences, f"rows within 10 m of a reference point, with no reason in their source: {coincidences}"
