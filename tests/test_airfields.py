"""Airfields in the offline gazetteer (issue 23): by name, by code, by name without 'Airport' or
'Air Base', never instead of a town of the same name, and a code that is also a place says so.

The airfields come from the airportsdata package; the names here are its entries, chosen away
from the places the benchmark measures."""

import pytest

from dashboard.geocoding import Gazetteer
from dashboard.geocoding.airfields import airfield_variant, airfields, bare_name, is_military, without_city
from dashboard.geocoding.resolver import PlaceResolver

pytest.importorskip("airportsdata")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(progress=False)


@pytest.mark.parametrize("name, bare", [
    ("Spangdahlem Air Base", "Spangdahlem"),
    ("RAF Lakenheath", "Lakenheath"),
    ("Dover Afb Airport", "Dover"),
    ("Misawa AB", "Misawa"),
    ("Powidz Military Air Base", "Powidz"),
    ("Gander International Airport", "Gander"),
    ("Airport", "Airport"),  # nothing but airfield words: the name stays
])
def test_bare_name_drops_the_words_that_say_airfield(name, bare):
    assert bare_name(name) == bare


def test_name_without_the_city_it_serves_only_when_something_of_its_own_is_left():
    assert without_city("London Heathrow Airport", "London") == "Heathrow Airport"
    assert without_city("Amsterdam Airport Schiphol", "Amsterdam") == "Schiphol Airport"
    assert without_city("Paris-Orly Airport", "Paris") == "Orly Airport"
    assert without_city("Columbus Municipal Airport", "Columbus") is None
    assert without_city("Parisville Airport", "Paris") is None


def test_military_words_and_spelling_variants():
    assert is_military("Misawa Air Base") and is_military("RAF Akrotiri")
    assert not is_military("London Heathrow Airport")
    # One name read as one word on both sides, so a doubled letter or a hyphen does not matter.
    assert airfield_variant("Al-Uddeid") == airfield_variant("Al Udeid")


def test_the_package_gives_tens_of_thousands_with_codes():
    fields = list(airfields())
    assert len(fields) > 20_000
    assert sum(1 for f in fields if f.iata) > 5_000
    assert all(len(f.cc) == 2 and -90 <= f.lat <= 90 and -180 <= f.lon <= 180 for f in fields)


@pytest.mark.parametrize("query, country", [("Misawa Air Base", None), ("Kunsan Air Base", "South Korea")])
def test_an_airfield_by_its_full_name(gazetteer, query, country):
    found = gazetteer.geocode(query, country=country)
    assert found.raw["kind"] == "airfield" and found.raw["precision"] == "venue"
    assert found.raw["confidence"] == "high"
    assert found.raw["reason"].startswith("an airfield, ") and "by its exact name" in found.raw["reason"]


def test_an_airfield_by_its_icao_and_iata_codes(gazetteer):
    by_iata, by_icao = gazetteer.geocode("LHR"), gazetteer.geocode("EGLL")
    assert by_iata.point == by_icao.point
    assert by_iata.raw["matched_name"] == "London Heathrow Airport" and by_iata.raw["country_code"] == "GB"
    assert by_iata.raw["confidence"] == "high" and by_iata.raw["reason"].endswith("by its code")


@pytest.mark.parametrize("query, matched", [
    ("Schiphol Airport", "Amsterdam Airport Schiphol"),
    ("Dulles Airport", "Washington Dulles International Airport"),
    # A private strip in Texas is called exactly this; the airport a traveller means is London's.
    ("Heathrow Airport", "London Heathrow Airport"),
    ("Powidz Air Base", "Powidz Military Air Base"),
    ("Akrotiri Air Base", "RAF Akrotiri"),
    ("Misawa AB", "Misawa Air Base"),
])
def test_an_airfield_by_the_name_people_use(gazetteer, query, matched):
    found = gazetteer.geocode(query)
    assert found.raw["matched_name"] == matched
    assert found.raw["kind"] == "airfield" and found.raw["confidence"] == "high"


def test_a_bare_airfield_name_no_place_has_is_found_but_checked(gazetteer):
    found = gazetteer.geocode("Amari")
    assert found.raw["matched_name"] == "Amari Air Base" and found.raw["country_code"] == "EE"
    assert found.raw["confidence"] == "check" and "airfield" in found.raw["reason"]


@pytest.mark.parametrize("town, country", [("Gander", "Canada"), ("Powidz", "Poland"), ("Misawa", "Japan"),
                                          ("Šiauliai", "Lithuania")])
def test_a_town_with_an_airfield_of_its_name_stays_the_town(gazetteer, town, country):
    found = gazetteer.geocode(town, country=country)
    assert found.raw["kind"] == "city" and found.raw["confidence"] == "high"


def test_a_code_that_is_also_a_place_says_so(gazetteer):
    found = gazetteer.geocode("RMS")
    assert found.raw["confidence"] == "check"
    assert "code of the airfield Ramstein Air Base" in found.raw["reason"]
    assert "say which" in found.raw["reason"]


def test_lowercase_words_are_not_read_as_codes(gazetteer):
    # 'Rome' is a city, not an airfield code lookup; only capitals typed as a code are codes.
    found = gazetteer.geocode("Rome")
    assert found.raw["kind"] == "city" and found.raw["confidence"] == "high"


def test_the_resolver_places_an_airfield_as_a_venue_with_its_reason(tmp_path):
    found = PlaceResolver().resolve("Misawa Air Base", "Japan")
    assert found.precision == "venue" and found.confidence == "high"
    assert found.lat == pytest.approx(40.70, abs=0.05) and found.lon == pytest.approx(141.37, abs=0.05)


@pytest.mark.parametrize("query", ["Wrigley Field", "Naval Station Norfolk"])
def test_a_word_that_also_names_stadiums_and_stations_makes_an_airfield_only_a_guess(gazetteer, query):
    found = gazetteer.geocode(query)
    assert found.raw["confidence"] != "high"


def test_a_town_found_only_by_another_name_that_reads_as_a_buildings_is_a_guess(gazetteer):
    # 'Union Station' is among the other names of a town called Union: the station is meant.
    found = gazetteer.geocode("Union Station")
    assert found.raw["confidence"] == "check"
    assert "station's name" in found.raw["reason"]
    # A place whose own name ends so is not touched.
    assert gazetteer.geocode("Camp David").raw["confidence"] == "high"
