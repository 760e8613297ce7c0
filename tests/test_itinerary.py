import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.itinerary import ItineraryError, parse_when, stops_schema
from dashboard.paths import DEFAULT_TRIP
from dashboard.sources import load_itinerary, parse_itinerary

HEADER = "trip,leader,place,country,arrive,depart,lat,lon,events,source\n"


def csv_of(*rows: str) -> str:
    return HEADER + "\n".join(rows) + "\n"


GOOD_CSV = csv_of(
    'Tour,A Leader,Kyiv,UA,2025-08-24,2025-08-24,,,"[ceremony] Independence Day | [agreement] 14:00 Drone deal",report',
    "Tour,A Leader,Warsaw,Poland,2025-08-25T09:00+02:00,2025-08-25T18:00+02:00,52.23,21.01,,report",
    "Other tour,B Leader,Rome,IT,2024-01-02,2024-01-03,,,Talks,paper",
)


def test_good_csv_loads_every_row_with_events_and_two_trips():
    result = parse_itinerary(GOOD_CSV, "good.csv")
    assert result.problems == []
    assert list(result.stops["place"]) == ["Kyiv", "Warsaw", "Rome"]
    assert result.trips["trip_id"].nunique() == 2
    assert list(result.stops["stop_no"]) == [1, 2, 1]
    kyiv_events = result.events[result.events["stop_no"] == 1].iloc[:2]
    assert list(kyiv_events["kind"]) == ["ceremony", "agreement"]
    assert kyiv_events["time"].iloc[1] == "2025-08-24T14:00"
    warsaw = result.stops.iloc[1]
    assert warsaw["utc_offset"] == "+02:00" and warsaw["arrive_has_time"]
    assert warsaw["lat"] == pytest.approx(52.23)
    stops_schema().validate(result.stops, lazy=True)


def test_shipped_first_trip_loads_cleanly():
    result = load_itinerary(DEFAULT_TRIP)
    assert result.problems == []
    assert list(result.stops["place"]) == ["Kyiv", "Warsaw", "Berlin", "Ādaži Military Base"]
    assert result.stops["arrive"].iloc[0].strftime("%A %d %B %Y") == "Sunday 24 August 2025"
    assert result.stops["arrive"].iloc[1].day_name() == "Monday"
    assert result.stops["arrive"].iloc[3].day_name() == "Wednesday"
    kinds = set(result.events["kind"])
    assert {"agreement", "announcement", "press", "meeting", "ceremony", "visit"} <= kinds
    assert result.events["source"].notna().all()
    assert "place" in result.stops["inferred"].iloc[2] and "arrive" in result.stops["inferred"].iloc[2]
    stops_schema().validate(result.stops, lazy=True)


def test_shipped_first_trip_does_not_copy_the_report():
    from pathlib import Path

    report = Path(__file__).resolve().parents[2] / "shared/seed/carney-europe-trip-report.txt"
    if not report.exists():
        pytest.skip("the seed report is not beside the repository")
    words = report.read_text().split()
    shingles = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    ours = " ".join(DEFAULT_TRIP.read_text().split())
    assert not [s for s in shingles if s in ours]


@pytest.mark.parametrize(
    "row, column, words",
    [
        ("Tour,L,Kyiv,UA,around noon,2025-08-24,,,,", "arrive", "not a date this reader knows"),
        ("Tour,L,Kyiv,UA,2025-02-30,2025-03-01,,,,", "arrive", "not a real calendar date"),
        ("Tour,L,Kyiv,UA,2025-08-24,2025-08-20,,,,", "depart", "departure is before arrival"),
        ("Tour,L,Kyiv,UA,2025-08-24,2025-08-24,50.4,,,", "lon", "half a coordinate"),
        ("Tour,L,Kyiv,UA,2025-08-24,2025-08-24,95,30,,", "lat", "out of range"),
        ("Tour,L,Kyiv,UA,2025-08-24,2025-08-24,abc,30,,", "lat", "expected a number"),
        ("Tour,L,,UA,2025-08-24,2025-08-24,,,,", "place", "place is empty"),
    ],
)
def test_each_bad_csv_row_is_named_and_the_good_rows_still_load(row, column, words):
    text = csv_of("Tour,L,Riga,LV,2025-08-20,2025-08-20,,,,", row, "Tour,L,Oslo,NO,2025-08-28,2025-08-28,,,,")
    result = parse_itinerary(text, "trip.csv")
    assert [p.location for p in result.errors] == ["row 3"]
    problem = result.errors[0]
    assert problem.column == column and words in problem.message
    assert "trip.csv" in str(problem) and "row 3" in str(problem) and column in str(problem)
    assert result.dropped == ["row 3"]
    assert list(result.stops["place"]) == ["Riga", "Oslo"]


def test_every_problem_is_reported_at_once():
    text = csv_of(
        "Tour,L,,UA,nope,2025-08-24,,,,",
        "Tour,L,Kyiv,UA,2025-08-24,2025-08-24,91,181,,",
    )
    result = parse_itinerary(text, "t.csv")
    cells = {(p.location, p.column) for p in result.errors}
    assert cells == {("row 2", "place"), ("row 2", "arrive"), ("row 3", "lat"), ("row 3", "lon")}
    assert result.stops.empty


def test_a_table_with_no_date_column_lists_the_columns_found():
    with pytest.raises(ItineraryError) as info:
        parse_itinerary("trip,leader,place,hotel\nT,L,Kyiv,Hyatt\n", "t.csv")
    message = str(info.value)
    assert "no column of dates" in message and "row 1" in message and "'place'" in message and "--columns" in message


def test_a_table_with_no_depart_column_has_one_day_stops():
    result = parse_itinerary("trip,leader,place,arrive\nT,L,Kyiv,2025-08-24\n", "t.csv")
    assert result.errors == [] and (result.stops["arrive"] == result.stops["depart"]).all()


def test_overlap_and_gap_are_warnings_not_errors():
    text = csv_of(
        "Tour,L,A,,2025-08-20,2025-08-22,,,,",
        "Tour,L,B,,2025-08-21,2025-08-21,,,,",
        "Tour,L,C,,2025-08-27,2025-08-27,,,,",
    )
    result = parse_itinerary(text, "t.csv")
    assert result.errors == []
    assert [(p.location, p.column) for p in result.warnings] == [("row 3", "arrive"), ("row 4", "arrive")]
    assert "starts before" in result.warnings[0].message
    assert "4 day(s)" in result.warnings[1].message
    assert len(result.stops) == 3


def test_same_day_travel_between_date_only_stops_is_not_an_overlap():
    text = csv_of("Tour,L,A,,2025-08-24,2025-08-25,,,,", "Tour,L,B,,2025-08-25,2025-08-25,,,,")
    assert parse_itinerary(text, "t.csv").problems == []


def test_json_bad_values_are_named_by_json_path():
    trip = {
        "title": "T", "leader": "L",
        "stops": [
            {"place": "Kyiv", "arrive": "2025-08-24", "depart": "2025-08-24",
             "events": [{"text": "x", "kind": "party"}, {"kind": "meeting"}]},
            {"place": "Warsaw", "arrive": "yesterday", "depart": "2025-08-25"},
            "not a stop",
        ],
    }
    result = parse_itinerary(json.dumps(trip), "t.json")
    locations = {(p.severity, p.location, p.column) for p in result.problems}
    assert ("error", "$.stops[1]", "arrive") in locations
    assert ("error", "$.stops[2]", None) in locations
    assert ("error", "$.stops[0].events[1]", "text") in locations
    assert ("warning", "$.stops[0].events[0]", "kind") in locations
    assert list(result.stops["place"]) == ["Kyiv"]
    assert set(result.dropped) >= {"$.stops[1]", "$.stops[2]"}


def test_malformed_json_names_the_line():
    with pytest.raises(ItineraryError, match=r"line 2 column"):
        parse_itinerary('{"title": "T",\n "stops": [}', "t.json")


def test_binary_content_and_unknown_suffix_are_itinerary_errors():
    with pytest.raises(ItineraryError, match="not a text table"):
        parse_itinerary(b"\x00\x01\x02\x03bad\x00\x00", "t.csv")
    with pytest.raises(ItineraryError, match="not a readable workbook"):
        parse_itinerary(b"x", "t.xlsx")
    with pytest.raises(ItineraryError, match="unsupported"):
        parse_itinerary("x", "t.pdf")


def test_semicolon_csv_from_a_european_spreadsheet():
    text = "trip;leader;place;arrive;depart\nTour;L;Riga;2025-08-27;2025-08-27\n"
    assert list(parse_itinerary(text, "t.csv").stops["place"]) == ["Riga"]


def test_parse_when_keeps_local_time_and_offset():
    when = parse_when("2025-08-24T14:30+03:00")
    assert when.local.hour == 14 and when.utc_offset == "+03:00" and when.has_time
    assert parse_when("2025-08-24T14:30Z").utc_offset == "+00:00"
    with pytest.raises(ValueError):
        parse_when("2025-13-01")


def test_folder_load_combines_files(tmp_path):
    (tmp_path / "a.csv").write_text(GOOD_CSV)
    (tmp_path / "b.json").write_text(DEFAULT_TRIP.read_text())
    result = load_itinerary(tmp_path)
    assert result.trips["trip_id"].nunique() == 3


def test_missing_file_is_an_itinerary_error(tmp_path):
    with pytest.raises(ItineraryError, match="no such file"):
        load_itinerary(tmp_path / "nope.csv")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.json", "upload"]))
def test_random_bytes_only_raise_itinerary_error(blob, name):
    try:
        parse_itinerary(blob, name)
    except ItineraryError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["csv", "json"]))
def test_truncated_files_only_raise_itinerary_error(cut, kind):
    text = GOOD_CSV if kind == "csv" else DEFAULT_TRIP.read_text()
    try:
        parse_itinerary(text[: cut % (len(text) + 1)], f"cut.{kind}")
    except ItineraryError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=5, max_size=10), max_size=6))
def test_random_csv_cells_only_raise_itinerary_error(rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["trip", "leader", "place", "arrive", "depart", "lat", "lon", "events", "country", "source"])
    writer.writerows(rows)
    try:
        parse_itinerary(out.getvalue(), "r.csv")
    except ItineraryError:
        pass
