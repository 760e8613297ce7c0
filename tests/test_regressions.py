"""One test for each failure reported in the trust issue: ordinary input that used to end in a
traceback, lose work, or show the wrong thing."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest
from dash import no_update

from dashboard import figures, state
from dashboard.app import create_app
from dashboard.features import editing, files, selection, trip_view
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import ItineraryError
from dashboard.sources import load_itinerary, parse_itinerary
from dashboard.sources.json_file import write_json
from dashboard.store import SQLiteStore
from tests.conftest import REPO

HALF_SOURCED = ("trip,leader,place,arrive,depart,lat,lon,events,source\n"
                "T,L,Kyiv,2025-08-24,2025-08-24,50.45,30.52,[meeting] Talks,https://example.org\n"
                "T,L,Warsaw,2025-08-25,2025-08-25,52.23,21.01,[meeting] Lunch,\n")
# The shape of a president's record converted to CSV: some stops placed exactly, some only at
# a country, notes on some rows and not others.
RECORDS = ("trip,leader,place,country,arrive,depart,lat,lon,note\n"
           "Europe 1985,A President,Bonn,DE,1985-05-01,1985-05-03,50.73,7.10,Economic summit\n"
           "Europe 1985,A President,Spain,ES,1985-05-06,1985-05-08,,,\n"
           "Europe 1985,A President,Strasbourg,France,1985-05-08,1985-05-08,,,Speech to Parliament\n"
           "Europe 1985,A President,Portugal,PT,1985-05-08,1985-05-10,,,\n")


def cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=180)


@pytest.fixture
def resolver(tmp_path):
    return PlaceResolver(store=SQLiteStore(tmp_path / "store.sqlite"))


def upload(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def test_export_of_a_half_sourced_csv_writes_the_page(tmp_path):
    (tmp_path / "two.csv").write_text(HALF_SOURCED)
    result = cli("export", tmp_path / "two.csv", "-o", tmp_path / "two.html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "two.html").read_text(encoding="utf-8")
    assert "no source given" in page and "Traceback" not in result.stderr


def test_itinerary_json_download_has_no_nan_tokens(resolver):
    loaded = load_itinerary(REPO / "data/examples/two-trips.csv")
    text = write_json(resolver.geocode_stops(loaded.stops), loaded.events, loaded.trips)
    json.loads(text, parse_constant=lambda token: pytest.fail(f"{token} in the JSON download"))


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    text = ('{"title":"t","leader":"l","stops":[{"place":"Kyiv","arrive":"2025-01-01","note":'
            + "[" * 5000 + "]" * 5000 + "}]}")
    with pytest.raises(ItineraryError, match="nested too deeply"):
        parse_itinerary(text, "deep.json")
    (tmp_path / "deep.json").write_text(text)
    result = cli("check", tmp_path / "deep.json")
    assert result.returncode == 1 and "nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_stops_at_the_end_of_the_calendar(tmp_path):
    text = "trip,leader,place,arrive,depart,lat,lon\nT,L,Kyiv,9999-12-30,9999-12-31,50.45,30.52\nT,L,Lviv,9999-12-31,,49.84,24.03\n"
    loaded = parse_itinerary(text, "far.csv")
    assert not loaded.errors and len(loaded.stops) == 2
    figures.timeline_figure(loaded.stops, loaded.events)
    (tmp_path / "far.csv").write_text(text)
    assert cli("export", tmp_path / "far.csv", "-o", tmp_path / "far.html").returncode == 0


def test_a_leading_apostrophe_is_text_not_a_quote():
    # csv.Sniffer takes the apostrophes here for quotes and merges two cells of the first row.
    text = ("trip,leader,place,note,arrive,depart\n"
            "T,L,'s-Hertogenbosch,The leaders',2025-01-01,2025-01-02\n"
            "T,L,Utrecht,,2025-01-02,2025-01-02\n"
            "T,L,'t Zandt,'t Hooft's talk,2025-01-03,2025-01-03\n")
    loaded = parse_itinerary(text, "nl.csv")
    assert not loaded.errors
    assert list(loaded.stops["place"]) == ["'s-Hertogenbosch", "Utrecht", "'t Zandt"]
    assert list(loaded.stops["note"].fillna("")) == ["The leaders'", "", "'t Hooft's talk"]


def test_one_unreadable_file_in_a_folder_is_a_listed_problem(tmp_path):
    (tmp_path / "good.csv").write_text(HALF_SOURCED)
    (tmp_path / "broken.json").write_text("{oops")
    loaded = load_itinerary(tmp_path)
    assert list(loaded.stops["place"]) == ["Kyiv", "Warsaw"]
    assert any("broken.json" in str(p) and "not valid JSON" in str(p) for p in loaded.errors)
    app = create_app(tmp_path)
    layout = app.layout()
    # The good file's trip is offered (its stops stay on the server), the broken file is listed.
    assert "broken.json" in str(layout) and "'label': 'L: T'" in str(layout)


def test_real_records_with_country_only_stops_upload_and_serve(tmp_path, resolver):
    loaded = files.load_upload(upload(RECORDS), "records.csv", None, None, resolver)
    own, trip_id, messages = loaded["own"], loaded["trip_id"], loaded["messages"]
    assert trip_id == "a-president-europe-1985" and "approximate: the whole country (Portugal)" in str(messages)
    rendered = trip_view.render_trip(trip_id, None, own, None, [])
    assert len(rendered["grid_rows"]) == 4
    (tmp_path / "records.csv").write_text(RECORDS)
    app = create_app(tmp_path / "records.csv")
    assert "Portugal" in json.dumps(app.layout().to_plotly_json(), default=str)


def test_export_and_check_refuse_dropped_rows_unless_asked_and_list_approximate_stops(tmp_path):
    (tmp_path / "records.csv").write_text(RECORDS + "Europe 1985,A President,Lisbon,PT,1985-05-32,,,,\n")
    refused = cli("export", tmp_path / "records.csv", "-o", tmp_path / "out.html")
    assert refused.returncode == 1 and not (tmp_path / "out.html").exists()
    assert "not a real calendar date" in refused.stderr and "--keep-going" in refused.stderr
    assert "approximate: the whole country (Spain)" in refused.stderr
    accepted = cli("export", tmp_path / "records.csv", "-o", tmp_path / "out.html", "--keep-going")
    assert accepted.returncode == 0 and (tmp_path / "out.html").exists()
    checked = cli("check", tmp_path / "records.csv")
    assert checked.returncode == 1 and "row 6" in checked.stderr and "the whole country (Portugal)" in checked.stderr
    assert cli("check", tmp_path / "records.csv", "--keep-going").returncode == 0


def test_grid_edits_without_a_stop_or_with_junk_change_nothing_else(resolver):
    loaded = parse_itinerary(HALF_SOURCED, "two.csv")
    shipped = state.to_store(loaded, resolver.geocode_stops(loaded.stops))
    trip_id = shipped["trips"][0]["trip_id"]
    outcome = editing.apply_cell_edits(
        [{"colId": "place", "data": {"place": "Lviv"}}, {"colId": "place", "data": {"stop_no": None}},
         {"colId": "lat", "data": {"stop_no": 2, "lat": float("nan"), "lon": 21.0}},
         {"colId": "lat", "data": {"stop_no": 2, "lat": 95, "lon": 21.0}}, None, 7], trip_id, shipped, None, resolver)
    own, messages = outcome["own"], outcome["messages"]
    text = str(messages)
    assert text.count("names no stop") == 4 and "out of range" in text
    assert state.view(shipped, own) == shipped


@pytest.mark.parametrize("value", ["{not json", "[]", json.dumps({"name": "X"}), json.dumps(
    {"name": "X", "latitude": 200, "longitude": 0, "precision": "city", "country_code": "UA"}), json.dumps(
    {"name": "", "latitude": 1, "longitude": 2, "precision": "city"}), json.dumps(
    {"name": "X", "latitude": 1, "longitude": 2, "precision": "galaxy"})])
def test_a_malformed_candidate_pick_changes_nothing(value, resolver):
    loaded = parse_itinerary(HALF_SOURCED, "two.csv")
    shipped = state.to_store(loaded, resolver.geocode_stops(loaded.stops))
    selection = {"trip_id": shipped["trips"][0]["trip_id"], "stop_no": 1}
    assert editing.pick_candidate(value, selection, shipped, None, resolver) is no_update
    assert resolver.store.overrides() == []


def test_user_text_is_inert_wherever_plotly_draws_it(resolver):
    text = ("trip,leader,place,arrive,depart,lat,lon,events\n"
            'T <a href="https://evil.example">x</a>,L,<span style="font-size:90px">Kyiv</span>,2025-08-24,,50.45,30.52,'
            '[meeting] 10:00 <a href="https://evil.example">click</a>\n'
            'T2 <b>b</b>,L,<i>Warsaw</i>,2025-08-25,,52.23,21.01,\n')
    loaded = parse_itinerary(text, "markup.csv")
    stops = resolver.geocode_stops(loaded.stops)
    for fig in (figures.map_figure(stops, loaded.events), figures.timeline_figure(stops, loaded.events)):
        for trace in fig.data:
            labels = [str(v) for v in (getattr(trace, "text", None) or [])] + [str(trace.name or "")]
            labels += [str(v) for v in (list(trace.y[0]) + list(trace.y[1]) if trace.type == "bar" else [])]
            labels += [str(v) for v in (getattr(trace, "hovertext", None) or [])]
            assert not any("<a " in label or "<span" in label or "<i>" in label for label in labels), labels
    assert "&lt;span style=" in str(figures.map_figure(stops, loaded.events).data[-1].text)


def test_saved_choices_are_checked_listed_and_forgotten(tmp_path, resolver, monkeypatch):
    store = resolver.store
    for bad in [("", None, 1, 2), ("Kyiv", None, 91, 2), ("Kyiv", None, float("nan"), 2), ("Kyiv", None, 1, "east")]:
        with pytest.raises(ValueError):
            store.save_override(*bad)
    store.save_override("Kyiv", "UA", 50.45, 30.52, "Kyiv", "UA", "city")
    assert [o["place_key"] for o in store.overrides()] == ["kyiv"]
    monkeypatch.setenv("TRIPVIZ_CACHE_DIR", str(tmp_path / "cli-cache"))
    SQLiteStore().save_override("Kyiv", "UA", 50.45, 30.52, "Kyiv", "UA", "city")
    listed = cli("overrides", "list")
    assert listed.returncode == 0 and "kyiv\tua\t50.45000" in listed.stdout
    assert cli("overrides", "forget", "Kyiv", "--country", "UA").returncode == 0
    assert cli("overrides", "forget", "Kyiv", "--country", "UA").returncode == 2
    assert SQLiteStore().overrides() == []


def test_forgetting_a_choice_in_the_dashboard_places_the_stop_afresh(resolver):
    loaded = parse_itinerary("trip,leader,place,country,arrive,depart\nT,L,Lviv,UA,2025-01-01,\n", "one.csv")
    shipped = state.to_store(loaded, resolver.geocode_stops(loaded.stops))
    trip_id = shipped["trips"][0]["trip_id"]
    pin = [{"colId": "lat", "data": {"stop_no": 1, "lat": 10.0, "lon": 10.0}, "newValue": 10.0}]
    own = editing.apply_cell_edits(pin, trip_id, shipped, None, resolver)["own"]
    assert resolver.resolve("Lviv", "UA").source == "override"
    forgotten = editing.forget_choice(1, {"trip_id": trip_id, "stop_no": 1}, shipped, own, resolver)
    own, message = forgotten["own"], forgotten["messages"]
    stop = state.frames(state.view(shipped, own), trip_id)[0].iloc[0]
    assert stop["geo_source"] == "gazetteer" and stop["lat"] == pytest.approx(49.84, abs=0.1)
    assert resolver.store.overrides() == [] and "Forgot" in str(message)


@pytest.mark.parametrize("click", [{"points": []}, {"points": [{}]}, {"points": [{"customdata": ["t"]}]},
                                   {"points": [{"customdata": ["t", "two"]}]}, {"nothing": 1}, {"points": None}])
def test_a_click_on_no_stop_changes_nothing(click):
    for trigger in ("map", "timeline"):
        assert selection.selection_from_click(trigger, click, click, None, "t") is no_update
    assert selection.selection_from_click("stops-grid", None, None, [{"place": "x"}], "t") is no_update
