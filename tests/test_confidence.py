"""Calibrated confidence and the trip's context. Every case is written from general knowledge of
places (same-name cities on different continents, misspellings, bases named after their town),
never taken from a reference file."""

import subprocess
import sys

import pandas as pd
import pytest

from dashboard import figures
from dashboard.export import standalone_html
from dashboard.features import editing
from dashboard.geocoding import Gazetteer
from dashboard.geocoding.resolver import PlaceResolver, placement_problems
from dashboard.placenames import variant_key
from dashboard.sources import parse_itinerary
from tests.conftest import REPO


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(progress=False)


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return PlaceResolver(gazetteer)


# ---------------------------------------------------------------------------- the gazetteer alone


@pytest.mark.parametrize("name, other_country", [
    ("Cordoba", "Spain"), ("Valencia", None), ("Hamilton", "Canada"), ("Brest", "France"),
    ("Saint-Denis", "France"), ("Tripoli", "Lebanon"), ("Birmingham", None),
])
def test_same_name_cities_on_different_continents_are_flagged_not_guessed(gazetteer, name, other_country):
    found = gazetteer.geocode(name)
    assert found.raw["confidence"] == "check"
    assert found.raw["reason"].startswith("several places of similar size carry this name")
    if other_country:
        assert other_country in found.address + found.raw["reason"]
    # The reader can pick each of them.
    assert sum(c.get("namesake", False) for c in found.raw["candidates"]) >= 1


@pytest.mark.parametrize("name, hint, code", [
    ("Cordoba", "Spain", "ES"), ("Cordoba", "AR", "AR"), ("Brest", "BY", "BY"), ("Brest", "France", "FR"),
    ("Saint-Denis", "FR", "FR"), ("Hamilton", "NZ", "NZ"), ("Valencia", "ES", "ES"),
])
def test_a_country_hint_settles_a_same_name_city(gazetteer, name, hint, code):
    found = gazetteer.geocode(name, country=hint)
    assert found.raw["country_code"] == code and found.raw["confidence"] == "high"


@pytest.mark.parametrize("name, code", [("Paris", "FR"), ("London", "GB"), ("Kyiv", "UA"), ("Warsaw", "PL"),
                                        ("Riga", "LV"), ("Frankfurt", "DE"), ("Alexandria", "EG")])
def test_a_clear_winner_stays_high(gazetteer, name, code):
    """Paris (Texas) and Alexandria (Virginia) exist, but are far lighter: no false alarm."""
    found = gazetteer.geocode(name)
    assert found.raw["country_code"] == code and found.raw["confidence"] == "high"


def test_a_near_spelling_is_checked_never_high(gazetteer):
    found = gazetteer.geocode("Warszawaa", country="PL")
    assert found.raw["matched_name"] == "Warsaw" and found.raw["confidence"] == "check"
    assert "spelling" in found.raw["reason"]


@pytest.mark.parametrize("one, other", [("Tobruk", "Tubruq"), ("Jeddah", "Jiddah"), ("Qatif", "Al-Qatif"),
                                        ("Bad Godesberg", "Godesberg"), ("Sankt Gallen", "Saint-Gallen"),
                                        ("Kasr al-Moukhtar", "Qasr al Mukhtar")])
def test_romanisations_share_a_variant_key(one, other):
    assert variant_key(one) == variant_key(other) != ""


@pytest.mark.parametrize("one, other", [("Bonn", "Benin"), ("Burnaby", "Bonne Bay"), ("Kharkiv", "Kherson")])
def test_different_names_keep_different_variant_keys(one, other):
    assert variant_key(one) != variant_key(other)


def test_part_of_a_name_is_checked(gazetteer):
    found = gazetteer.geocode("Old Town Warsaw", country="PL")
    assert found.raw["matched_name"] == "Warsaw" and found.raw["confidence"] == "check"
    assert "partial" in found.raw["reason"]


def test_a_generic_word_is_checked(gazetteer):
    found = gazetteer.geocode("Camp")
    assert found is None or found.raw["confidence"] != "high"


def test_a_base_named_after_a_town_is_approximate_and_says_so(gazetteer):
    # A camp has no entry of its own (airfields do: "Fairford Air Base" is RAF Fairford).
    found = gazetteer.geocode("Fairford Camp", country="GB")
    assert found.raw["matched_name"] == "Fairford"
    assert found.raw["confidence"] == "approximate" and "named after" in found.raw["reason"]
    base = gazetteer.geocode("Fairford Air Base", country="GB")
    assert base.raw["matched_name"] == "RAF Fairford" and base.raw["kind"] == "airfield"


def test_city_after_the_name_is_the_city_itself(gazetteer):
    found = gazetteer.geocode("Brest City", country="FR")
    assert found.raw["matched_name"] == "Brest" and found.raw["confidence"] == "high"


def test_countries_and_regions_are_approximate(gazetteer):
    assert gazetteer.geocode("Germany").raw["confidence"] == "approximate"
    assert gazetteer.geocode("Bavaria", country="DE").raw["confidence"] == "approximate"


# ---------------------------------------------------------------------------- context from the trip


def _trip(*places, trip_id="t"):
    rows = [dict(trip_id=trip_id, place=p if isinstance(p, str) else p[0],
                 country=None if isinstance(p, str) else p[1], lat=None, lon=None) for p in places]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("route, ambiguous_at, code", [
    (["Toronto", "Hamilton", "Ottawa"], 1, "CA"),
    (["Auckland", "Hamilton", "Wellington"], 1, "NZ"),
    (["Madrid", "Cordoba", "Lisbon"], 1, "ES"),
    (["Buenos Aires", "Córdoba", "Mendoza"], 1, "AR"),
    (["Minsk", "Brest", "Warsaw"], 1, "BY"),
    (["Rennes", "Brest"], 1, "FR"),
    (["Paris", "Saint-Denis", "Lyon"], 1, "FR"),
    (["Beirut", "Tripoli"], 1, "LB"),
])
def test_an_ambiguous_name_takes_the_candidate_near_its_neighbours(resolver, route, ambiguous_at, code):
    placed = resolver.geocode_stops(_trip(*route))
    stop = placed.iloc[ambiguous_at]
    assert stop["country_code"] == code
    assert stop["confidence"] == "high" and stop["geocode_note"].startswith("the trip decided")
    assert route[ambiguous_at - 1] in stop["geocode_note"] or "neighbouring stops" in stop["geocode_note"]


@pytest.mark.parametrize("route, picked", [
    # Namesakes in one country, a few hundred km apart: a neighbour close by decides.
    ([("Leipzig", "DE"), ("Halle", "DE"), ("Magdeburg", "DE")], "Halle (Saale)"),
    ([("Bielefeld", "DE"), ("Halle", "DE"), ("Gütersloh", "DE")], "Halle"),
    ([("Frankfurt am Main", "DE"), ("Homburg", "DE")], "Bad Homburg vor der Höhe"),
    ([("Saarbrücken", "DE"), ("Homburg", "DE")], "Homburg"),
])
def test_a_close_neighbour_decides_between_namesakes_in_one_country(resolver, route, picked):
    stop = resolver.geocode_stops(_trip(*route)).iloc[1]
    assert stop["matched_name"] == picked
    assert stop["confidence"] == "high" and stop["geocode_note"].startswith("the trip decided")


def test_a_neighbour_a_few_hundred_km_away_does_not_decide_inside_one_country(resolver):
    """Berlin is 150 km from Halle (Saale) and 350 km from Halle (Westfalen): not close enough."""
    assert resolver.geocode_stops(_trip(("Berlin", "DE"), ("Halle", "DE"))).iloc[1]["confidence"] == "check"


def test_context_needs_a_confident_neighbour(resolver):
    """Two ambiguous names side by side do not steer each other: both stay flagged."""
    placed = resolver.geocode_stops(_trip("Hamilton", "Brest"))
    assert list(placed["confidence"]) == ["check", "check"]


def test_context_never_crosses_into_another_trip(resolver):
    stops = pd.concat([_trip("Toronto", trip_id="a"), _trip("Hamilton", trip_id="b")], ignore_index=True)
    assert resolver.geocode_stops(stops).iloc[1]["confidence"] == "check"


def test_context_does_not_decide_when_the_route_is_no_help(resolver):
    """Between Nairobi and Kampala no Hamilton is near: the flag stays."""
    placed = resolver.geocode_stops(_trip("Nairobi", "Hamilton", "Kampala"))
    assert placed.iloc[1]["confidence"] == "check"


# ---------------------------------------------------------------------------- flags reach the reader

AMBIGUOUS_TRIP = """trip,leader,place,country,arrive,depart
Tour,A Leader,Nairobi,,2025-05-01,2025-05-01
Tour,A Leader,Hamilton,,2025-05-02,2025-05-02
Tour,A Leader,Kampala,,2025-05-03,2025-05-03
"""


@pytest.fixture(scope="module")
def flagged(resolver):
    itinerary = parse_itinerary(AMBIGUOUS_TRIP, "tour.csv")
    return resolver.geocode_stops(itinerary.stops), itinerary.events


def test_flag_in_the_grid(flagged):
    stops, _ = flagged
    rows = editing.grid_rows(stops)
    assert [r["confidence"] for r in rows] == ["high", "check", "high"]


def test_flag_in_placement_problems(flagged):
    stops, _ = flagged
    problems = [str(p) for p in placement_problems(stops)]
    assert len(problems) == 1 and "Hamilton" in problems[0] and "needs checking" in problems[0]


def test_flag_on_the_map_and_in_the_export(flagged):
    stops, events = flagged
    fig = figures.map_figure(stops, events)
    markers = next(t for t in fig.data if t.meta and t.meta.get("role") == "stops")
    assert list(markers.marker.symbol) == ["circle", "diamond", "circle"]
    assert "needs checking" in markers.hovertext[1]
    page = standalone_html(stops, events)
    assert "Where the stops were placed" in page
    assert "Tour, stop 2 (Hamilton): needs checking: several places of similar size" in page


def test_flag_in_check_and_geocode_commands(tmp_path):
    trip = tmp_path / "tour.csv"
    trip.write_text(AMBIGUOUS_TRIP, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "dashboard", "check", str(trip)], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert "city, check: Hamilton" in checked.stdout and "needs checking" in checked.stderr
    places = tmp_path / "places.csv"
    places.write_text("trip,place\nx,Toronto\nx,Hamilton\n,Brest\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, "-m", "dashboard", "geocode", str(places), "-o", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(out, keep_default_na=False)
    assert list(rows["confidence"]) == ["high", "high", "check"]
    assert rows.loc[1, "country_code"] == "CA" and "trip decided" in rows.loc[1, "reason"]
    assert "1 to check" in done.stderr
