"""`gazetteer add|list|remove`: GeoNames dump files imported into the offline gazetteer.

The dump is written here, in GeoNames' own format (19 tab-separated columns), with made-up
places, so the test knows exactly what the file holds."""

import os
import subprocess
import sys
import zipfile

import pytest

from dashboard.geocoding import Gazetteer, index
from dashboard.geocoding.added import GazetteerImportError, add_gazetteer, added_gazetteers, remove_gazetteer
from tests.conftest import REPO


def geonames_row(geonameid, name, lat, lon, feature_class, feature_code, cc, population=0, alternates=""):
    ascii_name = name.encode("ascii", "ignore").decode()
    return "\t".join([str(geonameid), name, ascii_name, alternates, str(lat), str(lon), feature_class,
                      feature_code, cc, "", "00", "", "", "", str(population), "", "100", "Europe/Berlin",
                      "2024-01-01"])


DUMP = "\n".join([
    geonames_row(990000001, "Quellbrunnhausen", 50.5, 9.7, "P", "PPL", "DE", 120),
    geonames_row(990000002, "Schloss Quellbrunn", 50.51, 9.71, "S", "CSTL", "DE"),
    geonames_row(990000003, "Quellbrunner See", 50.49, 9.69, "H", "LK", "DE"),
    geonames_row(990000004, "Kaserne Quellbrunn", 50.52, 9.72, "S", "MILB", "DE", alternates="Quellbrunn Barracks"),
    geonames_row(990000005, "Tell Umm Imaginar", 31.9, 35.9, "S", "ANS", "JO"),
    geonames_row(990000006, "Federal Republic of Somewhere", 51.0, 10.0, "A", "PCLI", "DE"),
    geonames_row(990000007, "Qasr al-Mukhtar", 31.5, 36.1, "P", "PPL", "JO", 300),
    geonames_row(990000008, "Imaginary Isles", 57.0, -7.5, "T", "ISLS", "GB", alternates="Na h-Eileanan Meallta"),
    geonames_row(990000009, "Flugplatz Quellbrunn-Nord", 50.55, 9.75, "S", "AIRF", "DE"),
    geonames_row(2950159, "Berlin", 52.52437, 13.41053, "P", "PPLC", "DE", 3426354),  # built in already
]) + "\n"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder of its own (added gazetteers are per cache), with the built index linked
    in so that it is not built again."""
    built = index.ensure_index(progress=False)
    cache = tmp_path / "cache"
    cache.mkdir()
    os.link(built, cache / built.name)
    monkeypatch.setenv("TRIPVIZ_CACHE_DIR", str(cache))
    return cache


def test_round_trip_add_find_list_remove(own_cache, tmp_path):
    dump = tmp_path / "XX.txt"
    dump.write_text(DUMP, encoding="utf-8")
    before = Gazetteer(progress=False).geocode("Quellbrunnhausen", country="DE")
    assert before.raw["match"].startswith("not found")

    added = add_gazetteer(dump)
    assert added.name == "xx" and added.places == 8  # the country row and the built-in Berlin are skipped
    assert [g.name for g in added_gazetteers()] == ["xx"]

    gazetteer = Gazetteer(progress=False)
    village = gazetteer.geocode("Quellbrunnhausen", country="DE")
    assert village.raw["precision"] == "city" and village.raw["confidence"] == "high"
    assert village.point.latitude == pytest.approx(50.5)
    castle = gazetteer.geocode("Schloss Quellbrunn")
    assert castle.raw["precision"] == "venue" and castle.point.longitude == pytest.approx(9.71)
    assert gazetteer.geocode("Quellbrunner See").raw["kind"] == "water"
    assert gazetteer.geocode("Quellbrunn Barracks", country="Germany").raw["kind"] == "base"
    assert gazetteer.geocode("Tell Umm Imaginar", country="JO").raw["kind"] == "heritage"
    # An airfield of the added file is one like the built-in ones: its kind, a venue, its reason.
    airstrip = gazetteer.geocode("Flugplatz Quellbrunn-Nord")
    assert airstrip.raw["kind"] == "airfield" and airstrip.raw["precision"] == "venue"
    assert airstrip.raw["confidence"] == "high" and airstrip.raw["reason"].startswith("an airfield")
    # ...and the built-in airfields are still there beside it.
    assert gazetteer.geocode("EGLL").raw["kind"] == "airfield"
    # An island group by its group name, in either language: a region-sized, approximate point.
    isles = gazetteer.geocode("Na h-Eileanan Meallta")
    assert isles.raw["kind"] == "island" and isles.raw["confidence"] == "approximate"
    # Another romanisation of the same name: found, and flagged for a person to confirm.
    variant = gazetteer.geocode("Kasr el-Moukhtar", country="JO")
    assert variant.raw["matched_name"] == "Qasr al-Mukhtar" and variant.raw["confidence"] == "check"
    assert "another spelling" in variant.raw["reason"]
    # The built-in Berlin is still one place, not two.
    assert not any(c["name"] == "Berlin" and c["country_code"] == "DE" and c["precision"] == "city"
                   for c in gazetteer.geocode("Berlin").raw["candidates"])

    assert remove_gazetteer("xx") and added_gazetteers() == []
    assert Gazetteer(progress=False).geocode("Quellbrunnhausen", country="DE").raw["match"].startswith("not found")


def test_zipped_dump_with_readme_imports(own_cache, tmp_path):
    archive = tmp_path / "XX.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("readme.txt", "not data\tat all\n")
        handle.writestr("XX.txt", DUMP)
    assert add_gazetteer(archive).places == 8
    assert Gazetteer(progress=False).geocode("Quellbrunnhausen").raw["matched_name"] == "Quellbrunnhausen"


def test_a_file_that_is_not_a_geonames_dump_is_refused_and_leaves_nothing(own_cache, tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text("place,country\nKyiv,UA\n", encoding="utf-8")
    with pytest.raises(GazetteerImportError, match=r"places.csv, line 1: 1 column\(s\), expected 19"):
        add_gazetteer(bad)
    assert added_gazetteers() == []
    assert not any(own_cache.joinpath("gazetteers").glob("*.tmp"))


def test_cli_add_list_remove(own_cache, tmp_path):
    dump = tmp_path / "DE.txt"
    dump.write_text(DUMP, encoding="utf-8")
    env = dict(os.environ, TRIPVIZ_CACHE_DIR=str(own_cache))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "dashboard", "gazetteer", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)

    added = run("add", str(dump))
    assert added.returncode == 0 and "added 'de': 8 places" in added.stderr
    listed = run("list")
    assert listed.stdout.splitlines()[1].startswith("de\t8\t")
    places = tmp_path / "places.csv"
    places.write_text("place,country\nSchloss Quellbrunn,DE\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    geocoded = subprocess.run([sys.executable, "-m", "dashboard", "geocode", str(places), "-o", str(out)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert geocoded.returncode == 0 and "50.51000,9.71000,DE,venue,high" in out.read_text(encoding="utf-8")
    assert run("remove", "de").returncode == 0
    missing = run("remove", "de")
    assert missing.returncode == 2 and "no added gazetteer named 'de'" in missing.stderr
    bad = run("add", str(tmp_path / "nothing.txt"))
    assert bad.returncode == 2 and "no such file" in bad.stderr and "Traceback" not in bad.stderr
