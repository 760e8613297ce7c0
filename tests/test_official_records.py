"""The official travel records (the Office of the Historian's XML) as a source like CSV and JSON."""

import base64
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from dashboard.features import files
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import ItineraryError
from dashboard.sources import load_itinerary, parse_itinerary
from dashboard.store import SQLiteStore
from tests.conftest import REPO

RECORDS_DIR = REPO.parent / "shared/datasets/hs-president-travels"
needs_records = pytest.mark.skipif(not RECORDS_DIR.is_dir(), reason="../shared/datasets is not beside the repository")


def record(record_id, start, end, country, locale="", remarks="", who="a-traveller", name="A Traveller",
           role="secretary"):
    return (f'<trip role="{role}" who="{who}"><id>{record_id}</id><role>{role}</role><name>{name}</name>'
            f"<start-date>{start}</start-date><end-date>{end}</end-date>"
            f'<country id="{country.lower()}">{country}</country><locale>{locale}</locale>'
            f"<remarks>{remarks}</remarks><created-by>x</created-by></trip>")


def records(*items):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<trips>' + "".join(items) + "</trips>\n"


# ---------------------------------------------------------------------------- the shipped presidents' files


def _expected(path: Path) -> dict:
    """Counts worked out from the file with the standard library, independently of the importer."""
    root = ET.parse(path).getroot()
    trips = root.findall("trip")
    stops = 0
    spans: dict[str, list[tuple[date, date]]] = {}
    for trip in trips:
        locale = " ".join((trip.findtext("locale") or "").split())
        places = [p for p in (part.strip(" .") for part in re.split(r",|;|\band\b|&", locale)) if p]
        stops += max(1, len(places))
        start = date.fromisoformat(trip.findtext("start-date"))
        end = date.fromisoformat(trip.findtext("end-date"))
        spans.setdefault(trip.get("who"), []).append((start, end))
    tours = 0
    for dates in spans.values():
        dates.sort()
        until = None
        for start, end in dates:
            if until is None or start > until + timedelta(days=1):
                tours += 1
                until = end
            else:
                until = max(until, end)
    remarks = sum(1 for t in trips if " ".join((t.findtext("remarks") or "").split()))
    return {"records": len(trips), "stops": stops, "tours": tours, "events": remarks}


@needs_records
@pytest.mark.parametrize("path", sorted(RECORDS_DIR.glob("*.xml")) if RECORDS_DIR.is_dir() else [],
                         ids=lambda p: p.stem)
def test_each_presidents_file_imports_whole(path):
    expected = _expected(path)
    loaded = load_itinerary(path)
    assert not loaded.errors and not loaded.dropped
    assert len(loaded.stops) == expected["stops"]
    assert len(loaded.trips) == expected["tours"]
    assert len(loaded.events) == expected["events"]
    record_ids = {t.findtext("id") for t in ET.parse(path).getroot().findall("trip")}
    cited = {re.search(r"record (\d+)", s).group(1) for s in loaded.stops["source"]}
    assert cited == record_ids  # every record became at least one stop, and each stop cites its record
    assert loaded.events["source"].str.startswith("Office of the Historian").all()


@needs_records
def test_the_whole_collection_loads_from_a_folder_and_is_placed():
    loaded = load_itinerary(RECORDS_DIR)
    total = sum(_expected(p)["records"] for p in RECORDS_DIR.glob("*.xml"))
    assert total == 832 and not loaded.errors
    placed = PlaceResolver().geocode_stops(loaded.stops)
    assert placed["lat"].notna().all()


# ---------------------------------------------------------------------------- records to stops


def test_a_locale_naming_several_places_becomes_several_stops_on_the_same_dates():
    loaded = parse_itinerary(records(
        record(1, "1990-05-01", "1990-05-03", "United Kingdom", "London, Cornwall", "Met the Prime Minister."),
        record(2, "1990-05-03", "1990-05-04", "Belgium", "Brussels and Bruges")), "r.xml")
    stops = loaded.stops
    assert list(stops["place"]) == ["London", "Cornwall", "Brussels", "Bruges"]
    assert stops["arrive"].iloc[0] == stops["arrive"].iloc[1] and stops["depart"].iloc[2] == stops["depart"].iloc[3]
    assert len(loaded.trips) == 1 and not loaded.problems  # same-record places overlap by design
    assert list(loaded.events["stop_no"]) == [1] and loaded.events["kind"].iloc[0] == "meeting"
    assert "record 1" in loaded.events["source"].iloc[0]


def test_an_empty_locale_is_a_country_level_stop():
    loaded = parse_itinerary(records(record(7, "1999-01-01", "1999-01-01", "Vatican City", "")), "r.xml")
    stop = loaded.stops.iloc[0]
    assert stop["place"] == "Vatican City" and stop["country"] == "Vatican City" and stop["inferred"] == "place"


def test_historical_and_colonial_countries_reach_todays_countries(tmp_path):
    loaded = parse_itinerary(records(
        record(1, "1972-05-22", "1972-05-30", "U.S.S.R.", "Kyiv"),
        record(2, "1970-01-01", "1970-01-02", "Germany, Federal Republic of", "Bonn"),
        record(3, "1950-01-01", "1950-01-02", "United Kingdom", "Bermuda"),
        record(4, "1999-06-01", "1999-06-01", "Yugoslavia (Kosovo)", "Pristina")), "r.xml")
    placed = PlaceResolver(store=SQLiteStore(tmp_path / "s.sqlite")).geocode_stops(loaded.stops)
    assert dict(zip(placed["place"], placed["country_code"])) == {"Kyiv": "UA", "Bonn": "DE", "Bermuda": "BM",
                                                                  "Pristina": "XK"}


def test_tours_are_cut_at_a_gap_and_per_traveller():
    loaded = parse_itinerary(records(
        record(1, "2001-03-01", "2001-03-02", "France", "Paris"),
        record(2, "2001-03-03", "2001-03-04", "Spain", "Madrid"),      # touching: same tour
        record(3, "2001-03-04", "2001-03-04", "Portugal", "Lisbon"),   # overlapping: same tour
        record(4, "2001-03-07", "2001-03-08", "Italy", "Rome"),        # a gap: a new tour
        record(5, "2001-03-01", "2001-03-02", "France", "Paris", who="another", name="Another Traveller")),
        "r.xml")
    tours = {t: list(g["place"]) for t, g in loaded.stops.groupby("trip_id", sort=False)}
    assert tours == {"a-traveller-2001-03-01": ["Paris", "Madrid", "Lisbon"], "a-traveller-2001-03-07": ["Rome"],
                     "another-2001-03-01": ["Paris"]}
    assert set(loaded.trips["leader_role"]) == {"secretary"}


def test_a_bad_record_names_file_record_and_element_and_the_rest_loads():
    loaded = parse_itinerary(records(
        record(10, "2001-13-01", "2001-13-02", "France", "Paris"),
        record(11, "2001-03-01", "2001-03-02", "Spain", "Madrid")), "bad-date.xml")
    assert list(loaded.stops["place"]) == ["Madrid"]
    problem = str(loaded.errors[0])
    assert "bad-date.xml" in problem and "record 10" in problem and "'start-date'" in problem


# ---------------------------------------------------------------------------- hostile and broken XML

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE trips [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<trips><trip role="president" who="x"><id>1</id><name>&c;</name></trip></trips>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE trips [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<trips><trip role="president" who="x"><id>1</id><name>&secret;</name></trip></trips>"""


@pytest.mark.parametrize("text, message", [
    (BILLION_LAUGHS, "declares a DTD or entities"),
    (EXTERNAL_ENTITY, "declares a DTD or entities"),
    ("<?xml version='1.0'?><html><body>not records</body></html>", "root element is <html>"),
    (records(record(1, "2001-03-01", "2001-03-02", "France", "Paris"))[:-40], "not well-formed XML"),
    ("<trips></trips>", "holds no <trip> record"),
])
def test_hostile_or_broken_xml_is_a_clear_error(text, message):
    with pytest.raises(ItineraryError, match=message) as raised:
        parse_itinerary(text, "records.xml")
    assert "records.xml" in str(raised.value) and "passwd" not in str(raised.value)


def test_a_broken_xml_file_in_a_folder_loses_nothing_else(tmp_path):
    (tmp_path / "good.xml").write_text(records(record(1, "2001-03-01", "2001-03-02", "France", "Paris")))
    (tmp_path / "bad.xml").write_text(BILLION_LAUGHS)
    (tmp_path / "trip.csv").write_text("trip,leader,place,arrive,depart\nT,L,Riga,2020-01-01,\n")
    loaded = load_itinerary(tmp_path)
    assert sorted(loaded.stops["place"]) == ["Paris", "Riga"]
    assert any("bad.xml" in str(p) for p in loaded.errors)


def test_records_are_recognised_by_content_in_an_upload(tmp_path):
    text = records(record(1, "2001-03-01", "2001-03-02", "France", "Paris", "Met the President."))
    contents = "data:application/octet-stream;base64," + base64.b64encode(text.encode()).decode()
    resolver = PlaceResolver(store=SQLiteStore(tmp_path / "s.sqlite"))
    loaded = files.load_upload(contents, "export", None, None, resolver)
    trip_id, messages = loaded["trip_id"], loaded["messages"]
    assert trip_id == "a-traveller-2001-03-01" and "Loaded 1 stop(s)" in str(messages)


# ---------------------------------------------------------------------------- convert


def run(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_convert_round_trip_xml_to_csv_loads_the_same_stops(tmp_path):
    source = tmp_path / "records.xml"
    source.write_text(records(
        record(1, "1990-05-01", "1990-05-03", "United Kingdom", "London, Cornwall", "Met the Prime Minister."),
        record(2, "1990-05-03", "1990-05-04", "Belgium", "", "Visited NATO; signed an accord."),
        record(3, "1991-01-01", "1991-01-02", "U.S.S.R.", "Moscow")))
    out = tmp_path / "records.csv"
    done = run("convert", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    columns = ["trip_id", "trip", "leader", "place", "country", "arrive", "depart", "source"]
    before, after = load_itinerary(source), load_itinerary(out)
    assert before.stops[columns].equals(after.stops[columns])
    assert before.events[["trip_id", "stop_no", "kind", "text"]].equals(after.events[["trip_id", "stop_no", "kind", "text"]])


def test_convert_with_geocode_adds_the_placement(tmp_path):
    source = tmp_path / "records.xml"
    source.write_text(records(record(1, "1990-05-01", "1990-05-03", "Germany, Federal Republic of", "Bonn")))
    out = tmp_path / "placed.json"
    done = run("convert", str(source), "-o", str(out), "--geocode")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert '"country_code": "DE"' in text and '"confidence": "high"' in text and '"lat": 50.7' in text
    assert load_itinerary(out).stops["lat"].iloc[0] == pytest.approx(50.73, abs=0.05)


def test_convert_refuses_an_unknown_output_type_and_a_bad_input(tmp_path):
    source = tmp_path / "records.xml"
    source.write_text(BILLION_LAUGHS)
    bad_output = run("convert", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert bad_output.returncode == 2 and "must end in .csv or .json" in bad_output.stderr
    bad_input = run("convert", str(source), "-o", str(tmp_path / "out.csv"))
    assert bad_input.returncode == 2 and "DTD or entities" in bad_input.stderr and "Traceback" not in bad_input.stderr
