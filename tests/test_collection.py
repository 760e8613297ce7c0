"""A traveller's record: every trip of a collection on one map, trips per country, trips across
the years, comparison and search; as pure builders, as callbacks and in the browser."""

import time

import plotly.graph_objects as go
import pytest

from dashboard import countries, state
from dashboard.features import traveller_record
from dashboard.figures import collection
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.sources import parse_itinerary
from dashboard.store import SQLiteStore
from tests.browser import click_drawn, count, make_driver, wait_until
from tests.test_official_records import record, records

# Two made-up travellers. A: 14 trips, one a year from 1990, each Paris then Bonn (a trip in
# 1995 also goes to Tokyo, with a remark naming a person). B: two trips.
A_TRIPS = []
for n, year in enumerate(range(1990, 2004)):
    A_TRIPS.append(record(100 + 2 * n, f"{year}-05-01", f"{year}-05-02", "France", "Paris", "Met the President.",
                          who="a", name="Ann Example"))
    A_TRIPS.append(record(101 + 2 * n, f"{year}-05-03", f"{year}-05-03", "Germany, Federal Republic of", "Bonn",
                          "", who="a", name="Ann Example"))
A_TRIPS.append(record(999, "1995-05-04", "1995-05-05", "Japan", "Tokyo", "Talks with Prime Minister Murayama.",
                      who="a", name="Ann Example"))
B_TRIPS = [record(500, "1996-02-01", "1996-02-02", "France", "Paris", who="b", name="Bo Example"),
           record(501, "2001-02-01", "2001-02-03", "Canada", "Ottawa, Québec", who="b", name="Bo Example")]
COLLECTION = records(*A_TRIPS, *B_TRIPS)


@pytest.fixture(scope="module")
def loaded():
    return parse_itinerary(COLLECTION, "collection.xml")


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    return PlaceResolver(store=SQLiteStore(tmp_path_factory.mktemp("store") / "s.sqlite"))


@pytest.fixture(scope="module")
def shipped(loaded, resolver):
    return state.to_store(loaded, resolver.geocode_stops(loaded.stops))


@pytest.fixture(scope="module")
def ann(shipped):
    return state.leader_frames(shipped, ["Ann Example"])


def test_trips_and_years_of_a_traveller(ann):
    stops, _, trips = ann
    tour_list = collection.tours(stops)
    assert len(tour_list) == len(trips) == 14
    assert tour_list[5].countries == ("France", "Germany", "Japan")
    assert collection.year_range(stops) == (1990, 2003)
    middle = collection.in_years(stops, 1995, 1996)
    assert sorted(middle["place"]) == ["Bonn", "Bonn", "Paris", "Paris", "Tokyo"]  # whole trips, never cut


def test_visits_count_trips_not_stops(ann, resolver):
    stops, _, _ = ann
    counts = collection.visits_by_country(stops).set_index("country_code")["tours"].to_dict()
    assert counts == {"FR": 14, "DE": 14, "JP": 1}
    fig = collection.visits_map(stops, countries.iso3_codes())
    go.Figure(fig.to_dict())  # valid in full
    trace = fig.data[0]
    assert dict(zip(trace.locations, trace.z)) == {"FRA": 14, "DEU": 14, "JPN": 1}


def test_collection_map_by_trip_groups_many_trips_by_decade_and_each_stop_opens_its_trip(ann):
    stops, _, _ = ann
    fig = collection.collection_map(stops, colour_by="tour")
    go.Figure(fig.to_dict())
    tours = [t for t in fig.data if t.meta and t.meta.get("role") == "tour"]
    assert len(tours) == 14
    assert sorted(t.name for t in tours if t.showlegend) == ["1990s", "2000s"]  # 14 trips > 12: decades
    assert all(c[0] == t.meta["trip_id"] for t in tours for c in t.customdata)


def test_collection_map_by_year_has_a_year_scale(ann):
    stops, _, _ = ann
    fig = collection.collection_map(stops, colour_by="year")
    scale = [t for t in fig.data if t.meta and t.meta.get("role") == "year-scale"]
    assert len(scale) == 1 and scale[0].marker.cmin == 1990 and scale[0].marker.cmax == 2003
    assert not any(t.showlegend for t in fig.data)
    with pytest.raises(ValueError, match="colour_by must be one of tour, year; received 'decade'"):
        collection.collection_map(stops, colour_by="decade")


def test_search_by_place_country_and_person(shipped):
    stops, events, _ = state.leader_frames(shipped, ["Ann Example", "Bo Example"])
    assert set(collection.search(stops, events, "québec")["place"]) == {"Québec"}
    assert set(collection.search(stops, events, "QUEBEC")["place"]) == {"Québec"}
    assert set(collection.search(stops, events, "japan")["place"]) == {"Tokyo"}
    assert list(collection.search(stops, events, "Murayama")["place"]) == ["Tokyo"]
    assert collection.search(stops, events, "  ").empty


def test_compare_two_travellers(shipped, resolver):
    stops, _, _ = state.leader_frames(shipped, ["Ann Example", "Bo Example"])
    by_region = collection.compare(stops, ["Ann Example", "Bo Example"], "region", countries.continents())
    assert by_region.set_index("region").to_dict("index") == {
        "Europe": {"Ann Example": 14, "Bo Example": 1}, "Asia": {"Ann Example": 1, "Bo Example": 0},
        "North America": {"Ann Example": 0, "Bo Example": 1}}
    by_year = collection.compare(stops, ["Ann Example", "Bo Example"], "year")
    assert list(by_year["year"])[:2] == ["1990", "1991"] and len(by_year) == 14


def test_render_collection_callback(shipped, resolver):
    iso3, continents = countries.iso3_codes(), countries.continents()
    started = time.perf_counter()
    out = traveller_record.render_collection("Ann Example", "Bo Example", "tour", [1990, 2003], "Tokyo", shipped,
                                             None, iso3, continents)
    assert time.perf_counter() - started < 5  # a sanity bound; the benchmark measures the real figure
    summary, comparison, results, timeline = out["summary"], out["comparison"], out["search_results"], out["tours_timeline"]
    assert summary.startswith("Ann Example: 14 trip(s), 29 stop(s) in 3 countries, 1990 to 2003")
    assert len(comparison) == 3 and "1 stop(s) mention 'Tokyo'" in str(results)
    assert [t.name for t in timeline.data] == ["Ann Example", "Bo Example"]
    assert traveller_record.collection_years("Bo Example", shipped, None)[:3] == (1996, 2001, [1996, 2001])


def test_export_of_a_traveller_record(shipped):
    download = traveller_record.export_collection(1, "Ann Example", [1995, 1996], shipped, None)
    assert download["filename"] == "ann-example-trips.html"
    assert "Ann Example: 2 trips, 1995 to 1996" in download["content"]


# ---------------------------------------------------------------------------- in the browser


@pytest.mark.browser
def test_collection_views_in_the_browser_and_a_click_opens_the_trip(live_server, tmp_path):
    (tmp_path / "collection.xml").write_text(COLLECTION, encoding="utf-8")
    url = live_server("--data", str(tmp_path / "collection.xml"))
    driver = make_driver(1400, 2400)
    try:
        driver.get(url + "/")
        wait_until(driver, "return document.querySelectorAll('#collection-map .scattergeo .point').length >= 29", 60)
        wait_until(driver, "return document.querySelectorAll('#visits-map .choroplethlocation').length >= 3", 30)
        assert "Ann Example: 14 trip(s)" in driver.find_element("id", "collection-summary").text
        trips = "#tours-timeline .scatterlayer .point"
        assert count(driver, trips) == 14  # Ann's trips; Bo only appears when compared
        # A real click on the sixth trip (1995, with Tokyo): the trip view above opens it.
        click_drawn(driver, lambda d: d.find_elements("css selector", trips)[5])
        wait_until(driver, "return document.querySelector('#trip-picker').innerText.includes('Japan')", 30)
        wait_until(driver, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                           ".map(t => t.textContent).includes('3 Tokyo')", 30)
    finally:
        driver.quit()
