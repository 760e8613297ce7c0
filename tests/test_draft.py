"""Drafting an itinerary from a news article: the date rules one by one against fixed
publication dates, stops versus mere mentions on short texts of our own, the seed report end to
end, and bad input."""

import json
import subprocess
import sys
from datetime import date

import pytest

from dashboard.geocoding import Gazetteer
from dashboard.itinerary import ItineraryError
from dashboard.sources import load_itinerary
from dashboard.sources.article import draft_article, find_date, published_date_in, resolve_weekday
from tests.conftest import REPO

SEED = REPO.parent / "shared/seed/carney-europe-trip-report.txt"
MONDAY = date(2025, 8, 25)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(progress=False)


def stops(text, gazetteer, published=MONDAY):
    return [(s.place, s.country_code, s.day.isoformat() if s.day else None, "arrive" in s.inferred)
            for s in draft_article(text, published, gazetteer).stops]


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize("weekday, tense, expected", [
    ("Monday", "past", "2025-08-25"), ("Sunday", "past", "2025-08-24"), ("Wednesday", "past", "2025-08-20"),
    ("Wednesday", "future", "2025-08-27"), ("Monday", "future", "2025-08-25"), ("Sunday", "future", "2025-08-31"),
])
def test_weekdays_resolve_in_the_direction_of_the_tense(weekday, tense, expected):
    assert resolve_weekday(weekday, MONDAY, tense).isoformat() == expected


@pytest.mark.parametrize("text, tense, expected", [
    ("on May 14", "future", "2025-05-14"), ("from 14 May to 16 May", "future", "2025-05-14"),
    ("on 3 March 1999", "past", "1999-03-03"), ("on the 20th", "past", "2025-08-20"),
    ("on the 20th", "future", "2025-09-20"), ("next Monday", "past", "2025-09-01"),
    ("last Friday", "future", "2025-08-22"), ("on Friday, August 29", "past", "2025-08-29"),
    ("tomorrow", "future", "2025-08-26"), ("yesterday", "past", "2025-08-24"),
])
def test_date_expressions(text, tense, expected):
    day, _ = find_date(text, MONDAY, tense)
    assert day.isoformat() == expected


def test_no_date_is_no_date():
    assert find_date("next month, to be announced", MONDAY, "future") == (None, None)


def test_relative_days_follow_the_previous_stop(gazetteer):
    text = ("The Prime Minister Ann Example travelled to Madrid on Friday. She flew to Lisbon the same evening "
            "and went on to Rabat the next day.")
    assert stops(text, gazetteer) == [("Madrid", "ES", "2025-08-22", False), ("Lisbon", "PT", "2025-08-22", False),
                                      ("Rabat", "MA", "2025-08-23", False)]


def test_publication_date_from_the_text():
    assert published_date_in("OTTAWA, August 25, 2025 - The Prime Minister ...") == MONDAY
    assert published_date_in("Published 25 August 2025") == MONDAY
    assert published_date_in("On Monday he left.") is None


# ---------------------------------------------------------------------------- stops, not mentions


def test_home_country_past_and_quoted_places_are_not_stops(gazetteer):
    text = ("Canada's Prime Minister Ann Example travelled to Norway on Tuesday. "
            "Since 2015, Canada has sent troops to Latvia. "
            "\"We stand with Ukraine,\" she said in Oslo. "
            "She is then scheduled to travel to Denmark on Thursday.")
    assert [s[:2] for s in stops(text, gazetteer)] == [("Norway", "NO"), ("Denmark", "DK")]


def test_a_city_named_later_refines_its_country(gazetteer):
    text = ("French President Ann Example will travel to Germany on Wednesday. "
            "In Munich, she is expected to meet business leaders.")
    assert stops(text, gazetteer) == [("Munich", "DE", "2025-08-27", False)]


def test_after_visiting_puts_the_earlier_stop_first(gazetteer):
    text = "Japanese Prime Minister Ann Example arrived in Hanoi on Monday after visiting Manila."
    assert [s[0] for s in stops(text, gazetteer)] == ["Manila", "Hanoi"]


def test_a_dateline_is_not_a_stop(gazetteer):
    text = "ROME, May 2 - German Chancellor Ann Example will travel to Athens on Tuesday."
    draft = draft_article(text, date(2025, 5, 2), gazetteer)
    assert [s.place for s in draft.stops] == ["Athens"] and any("dateline Rome" in n for n in draft.notes)


def test_a_dated_list_gives_each_place_its_day(gazetteer):
    text = ("Swedish Prime Minister Ann Example will meet the president in Lisbon on Tuesday, "
            "the prime minister in Madrid on Wednesday and the king in Rabat on Thursday.")
    assert stops(text, gazetteer) == [("Lisbon", "PT", "2025-08-26", False), ("Madrid", "ES", "2025-08-27", False),
                                      ("Rabat", "MA", "2025-08-28", False)]


def test_the_start_of_a_list_dates_only_its_first_place(gazetteer):
    text = ("Indian Prime Minister Ann Example sets off on Wednesday on a tour, visiting Peru, Chile and Argentina. "
            "She will be in Lima on Wednesday, Santiago on Friday and Buenos Aires on Saturday.")
    assert stops(text, gazetteer) == [("Lima", "PE", "2025-08-27", False), ("Santiago", "CL", "2025-08-29", False),
                                      ("Buenos Aires", "AR", "2025-08-30", False)]


def test_the_way_home_is_not_a_stop_and_names_the_home_country(gazetteer):
    text = ("Prime Minister Ann Example returned to Wellington on Monday after a week in Asia. "
            "She arrived in Hanoi on Tuesday, August 19, and flew to Manila on Friday.")
    draft = draft_article(text, MONDAY, gazetteer)
    assert draft.home_country == "NZ" and [s.place for s in draft.stops] == ["Hanoi", "Manila"]
    assert any("home taken as New Zealand" in n for n in draft.notes)


def test_returning_to_a_country_of_the_trip_is_a_stop(gazetteer):
    text = ("Austrian Chancellor Ann Example returned to Jordan on Saturday after a tour of the region. "
            "She arrived in Amman on Tuesday, August 19, and travelled to Cairo on Wednesday.")
    assert [s[:3] for s in stops(text, gazetteer)] == [("Amman", "JO", "2025-08-19"), ("Cairo", "EG", "2025-08-20"),
                                                      ("Jordan", "JO", "2025-08-23")]


def test_called_off_refused_and_past_stops_are_not_stops(gazetteer):
    text = ("Irish President Ann Example arrived in Nairobi on Monday. "
            "She had planned to visit Kampala as well, but the stop was cancelled. "
            "She refused to travel to Khartoum. "
            "She last went to Africa in 2019, for a visit to Lagos.")
    assert [s[0] for s in stops(text, gazetteer)] == ["Nairobi"]


def test_things_done_at_a_place_make_it_a_stop_but_not_a_country_named_in_passing(gazetteer):
    text = ("Polish President Ann Example toured a car factory in Turin on Monday and held talks about the war "
            "in Ukraine with the mayor. At the Vatican she met the pope.")
    assert [s[:2] for s in stops(text, gazetteer)] == [("Turin", "IT"), ("Vatican", "VA")]


def test_after_at_only_a_venue_or_country_is_a_place(gazetteer):
    # "White House" is also a translated name of Casablanca: after "at" it must not become a stop.
    text = "Danish Prime Minister Ann Example will be in Washington on Friday, meeting the president at the White House."
    assert [s[:2] for s in stops(text, gazetteer)] == [("Washington", "US")]


def test_present_tense_is_the_schedule(gazetteer):
    text = "Norwegian Prime Minister Ann Example and her husband fly to Tokyo on Thursday."
    assert stops(text, gazetteer) == [("Tokyo", "JP", "2025-08-28", False)]


def test_a_name_several_places_carry_takes_the_one_near_the_route(gazetteer):
    text = ("Greek Prime Minister Ann Example arrived in Amman on Tuesday, August 19, "
            "travelled to Jerusalem on Wednesday and visited Bethlehem on Thursday.")
    assert [s[:2] for s in stops(text, gazetteer)][-1] == ("Bethlehem", "PS")


def test_a_venue_in_a_stop_city_joins_that_stop(gazetteer):
    text = "Spanish Prime Minister Ann Example arrived in Paris on Monday and met the president at the Elysee Palace."
    assert [s[0] for s in stops(text, gazetteer)] == ["Paris"]


def test_the_date_leading_into_the_verb_beats_a_later_one(gazetteer):
    text = ("Dutch Prime Minister Ann Example will arrive in Seoul on Monday. "
            "On Wednesday she flies to Manila to meet the president, and on Friday she will speak to students.")
    assert stops(text, gazetteer)[-1][:3] == ("Manila", "PH", "2025-08-27")


def test_travel_by_train_and_a_possessive_name(gazetteer):
    text = ("Czech President Ann Example visited troops in Kharkiv on Tuesday before travelling by train to Lviv. "
            "She attended a service at St Peter's Cathedral on Thursday.")
    assert [s[:2] for s in stops(text, gazetteer)] == [("Kharkiv", "UA"), ("Lviv", "UA")]


def test_a_time_that_is_not_a_day_leaves_the_date_inferred_with_a_reason(gazetteer):
    draft = draft_article("German Chancellor Ann Example will travel to Chile next month.", MONDAY, gazetteer)
    assert "arrive" in draft.stops[0].inferred
    assert any("'next month', not a day" in note for note in draft.notes)


def test_an_arrival_stated_relative_to_the_last_stop_beats_a_later_activity_date(gazetteer):
    text = ("Finnish President Ann Example visited Kyiv on Monday. She was back in Poland the same evening. "
            "In Warsaw, she gave a speech on Tuesday.")
    assert stops(text, gazetteer, published=date(2025, 8, 27))[-1][:3] == ("Warsaw", "PL", "2025-08-25")


def test_a_stop_without_a_date_gets_one_from_its_neighbours_marked_inferred(gazetteer):
    text = ("Indian Prime Minister Ann Example flew to Paris on Monday. She will then travel to Brussels "
            "before ending her trip in Berlin on Wednesday.")
    assert stops(text, gazetteer) == [("Paris", "FR", "2025-08-25", False), ("Brussels", "BE", "2025-08-26", True),
                                      ("Berlin", "DE", "2025-08-27", False)]


def test_the_traveller_and_events_with_people_and_evidence(gazetteer):
    text = ("Polish President Ann Example travelled to Vilnius on Monday. "
            "She met Lithuanian President Gitanas Nauseda and signed an agreement on energy security.")
    draft = draft_article(text, MONDAY, gazetteer)
    assert draft.traveller == "Ann Example" and draft.home_country == "PL"
    events = draft.stops[0].events
    assert [(e["kind"], e["text"]) for e in events] == [("agreement", "Signed an agreement on energy security"),
                                                        ("meeting", "Met Gitanas Nauseda")]
    place = draft.stops[0].evidence
    assert text[place.start:place.end] == "Vilnius"
    evidence = events[0]["evidence"]
    assert "agreement" in text[evidence["start"]:evidence["end"]]


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text, message", [
    ("", "the article is empty"), ("   \n ", "the article is empty"),
    ("x" * 200_001, "characters long"), ("\x01\x02\x03\x04" * 100, "does not look like text"),
])
def test_bad_text_is_a_clear_error(gazetteer, text, message):
    with pytest.raises(ItineraryError, match=message):
        draft_article(text, MONDAY, gazetteer)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "dashboard", "draft", *args], cwd=REPO, capture_output=True,
                          input=stdin, timeout=120)


def test_cli_bad_input(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 5_000_001)
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    nothing = tmp_path / "nothing.txt"
    nothing.write_text("The weather was fine on Monday. Markets rose.", encoding="utf-8")
    for path, message in ((big, b"more than 5 MB"), (junk, b"binary data"), (nothing, b"no stop found"),
                          (tmp_path / "missing.txt", b"no such file")):
        done = run(str(path), "--published", "2025-08-25")
        assert done.returncode == 2 and message in done.stderr and b"Traceback" not in done.stderr
    no_date = run("-", stdin=b"Ann Example travelled to Paris on Monday.")
    assert no_date.returncode == 2 and b"--published" in no_date.stderr


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the repository")
def test_seed_report_end_to_end(tmp_path):
    out = tmp_path / "trip.json"
    done = run(str(SEED), "--published", "2025-08-25", "-o", str(out))
    assert done.returncode == 0, done.stderr
    trip = json.loads(out.read_text(encoding="utf-8"))
    assert trip["leader"] == "Mark Carney"
    assert [(s["place"], s["country"]) for s in trip["stops"]] == [("Kyiv", "UA"), ("Warsaw", "PL"), ("Germany", "DE"),
                                                                    ("Latvia", "LV")]
    assert [s["arrive"] for s in trip["stops"]] == ["2025-08-24", "2025-08-25", "2025-08-26", "2025-08-27"]
    assert "arrive" in trip["stops"][2]["inferred"] and "arrive" not in trip["stops"][3]["inferred"]
    text = SEED.read_text(encoding="utf-8")
    for stop in trip["stops"]:
        evidence = stop["evidence"]["place"]
        assert text[evidence["start"]:evidence["end"]] in (stop["place"], "Poland")  # Warsaw refines Poland
    # Short summaries in our words, never the article's sentences.
    events = [e["text"] for s in trip["stops"] for e in s["events"]]
    assert "Met Donald Tusk" in events and all(len(e.split()) <= 8 and e not in text for e in events)
    loaded = load_itinerary(out)
    assert list(loaded.stops["place"]) == ["Kyiv", "Warsaw", "Germany", "Latvia"] and not loaded.errors
    csv_out = tmp_path / "trip.csv"
    assert run(str(SEED), "--published", "2025-08-25", "-o", str(csv_out)).returncode == 0
    assert list(load_itinerary(csv_out).stops["place"]) == ["Kyiv", "Warsaw", "Germany", "Latvia"]


@pytest.mark.browser
@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the repository")
def test_draft_panel_in_the_browser(live_server):
    from tests.browser import make_driver, wait_until

    driver = make_driver(1400, 1800)
    try:
        driver.get(live_server() + "/")
        wait_until(driver, "return document.querySelectorAll('#map .scattergeo .point').length >= 4", 60)
        driver.find_element("css selector", ".draft summary").click()
        driver.execute_script("window.dash_clientside.set_props('article-text', {value: arguments[0]});"
                              "window.dash_clientside.set_props('article-published', {value: '2025-08-25'});",
                              SEED.read_text(encoding="utf-8"))
        driver.find_element("id", "draft-button").click()
        wait_until(driver, "return document.getElementById('draft-result').innerText.includes('Traveller: Mark Carney')", 30)
        result = driver.find_element("id", "draft-result").text
        assert "Kyiv (UA), 2025-08-24" in result and "Germany (DE), 2025-08-26 (date inferred" in result
        marked = driver.execute_script("return Array.from(document.querySelectorAll('#draft-result mark'))"
                                       ".map(m => [m.className, m.innerText])")
        assert ["evidence-place", "Kyiv"] in marked and ["evidence-date", "on Wednesday"] in marked
        driver.find_element("id", "draft-add").click()
        wait_until(driver, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                           ".map(t => t.textContent).includes('4 Latvia')", 30)
        assert "Loaded 4 stop(s)" in driver.find_element("id", "messages").text
    finally:
        driver.quit()
