"""Authoring a trip in the dashboard (issue 21), in headless Chromium: a three-stop trip built
from nothing by the controls' visible names, an event, undo and redo, a reload, a stop deleted,
and the exported page holding exactly what is on screen."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import wait_until

from dash import no_update

from dashboard import state
from dashboard.features import trip_editor
from dashboard.geocoding.resolver import PlaceResolver


@pytest.fixture
def resolver():
    return PlaceResolver()


def _typed(place="Kyiv", country="Ukraine", arrive="2025-08-23", arrive_time="07:30", depart="2025-08-24",
           depart_time="", note=""):
    return dict(place=place, country=country, arrive=arrive, arrive_time=arrive_time, depart=depart,
                depart_time=depart_time, note=note)


def _started():
    started = trip_editor.start_trip(state.EMPTY, None)
    return started["own"], started["trip_id"]


def test_new_trip_is_the_browsers_own_and_shown_at_once():
    started = trip_editor.start_trip(state.EMPTY, None)
    assert started["trip_id"] == "untitled-trip" and started["selection"] == {}
    assert [o["value"] for o in started["options"]] == ["untitled-trip"]
    assert started["own"]["trips"][0]["trip"] == "Untitled trip" and started["own"]["stops"] == []


def test_a_stop_added_is_placed_with_its_zone_and_country_and_chosen(resolver):
    own, trip_id = _started()
    done = trip_editor.stop_action("add-stop", trip_id, {}, _typed(), state.EMPTY, own, resolver)
    stop = done["own"]["stops"][0]
    assert (stop["place"], stop["country_name"], stop["timezone"], stop["stop_no"]) == ("Kyiv", "Ukraine", "Europe/Kyiv", 1)
    assert stop["arrive"] == "2025-08-23T07:30:00" and stop["arrive_has_time"] and not stop["depart_has_time"]
    assert done["selection"] == {"trip_id": trip_id, "stop_no": 1} and done["warnings"] == ""
    assert set(done["errors"].values()) == {""}
    # After the chosen stop, then saved with a new place: placed again.
    done = trip_editor.stop_action("add-stop", trip_id, {"trip_id": trip_id, "stop_no": 1},
                                   _typed("Riga", "Latvia", "2025-08-26", "", ""), state.EMPTY, done["own"], resolver)
    done = trip_editor.stop_action("save-stop", trip_id, {"trip_id": trip_id, "stop_no": 2},
                                   _typed("Warsaw", "Poland", "2025-08-24", ""), state.EMPTY, done["own"], resolver)
    saved = trip_editor.form_values(trip_id, {"trip_id": trip_id, "stop_no": 2}, state.EMPTY, done["own"])
    assert saved["values"]["stop-place"] == "Warsaw" and saved["title"] == "Stop 2: Warsaw"
    assert next(s for s in done["own"]["stops"] if s["stop_no"] == 2)["timezone"] == "Europe/Warsaw"
    assert saved["disabled"] == {"save-stop": False, "delete-stop": False, "move-stop-up": False,
                                 "move-stop-down": True, "add-event": False, "save-event": False}


@pytest.mark.parametrize("typed, error_id", [
    (_typed(place="  "), "stop-place-error"), (_typed(arrive="2025-02-30"), "stop-arrive-error"),
    (_typed(depart="2025-08-22"), "stop-depart-error"), (_typed(arrive_time="7h30"), "stop-arrive-time-error"),
])
def test_a_field_that_cannot_be_taken_saves_nothing_and_says_so_beside_it(resolver, typed, error_id):
    own, trip_id = _started()
    done = trip_editor.stop_action("add-stop", trip_id, {}, typed, state.EMPTY, own, resolver)
    assert done["own"] is no_update and done["selection"] is no_update
    assert [k for k, v in done["errors"].items() if v] == [error_id]


def test_a_stop_at_sea_and_a_stop_out_of_order_are_warned_about_and_kept(resolver):
    own, trip_id = _started()
    done = trip_editor.stop_action("add-stop", trip_id, {}, _typed(arrive_time="", depart="2025-08-25"),
                                   state.EMPTY, own, resolver)
    done = trip_editor.stop_action("add-stop", trip_id, {"trip_id": trip_id, "stop_no": 1},
                                   _typed("Warsaw", "Poland", "2025-08-24", ""), state.EMPTY, done["own"], resolver)
    assert "arrives before stop 1 (kyiv) is left" in done["warnings"].lower() and len(done["own"]["stops"]) == 2
    at_sea = state.replace_stop(done["own"], trip_id, 2, {"lat": 43.0, "lon": -30.0})
    assert at_sea["stops"][1]["timezone"].startswith("Etc/GMT")
    assert "at sea" in trip_editor._sea_warning(at_sea, trip_id, 2)[0]


def test_delete_and_move_keep_a_stop_chosen(resolver):
    own, trip_id = _started()
    for place, day in (("Kyiv", "2025-08-23"), ("Warsaw", "2025-08-24"), ("Riga", "2025-08-26")):
        own = trip_editor.stop_action("add-stop", trip_id, None, _typed(place, "", day, "", day), state.EMPTY,
                                      own, resolver)["own"]
    moved = trip_editor.stop_action("move-stop-up", trip_id, {"trip_id": trip_id, "stop_no": 3}, _typed(),
                                    state.EMPTY, own, resolver)
    assert [s["place"] for s in moved["own"]["stops"]] == ["Kyiv", "Riga", "Warsaw"]
    assert moved["selection"]["stop_no"] == 2 and "arrives before" in moved["warnings"]
    deleted = trip_editor.stop_action("delete-stop", trip_id, {"trip_id": trip_id, "stop_no": 3}, _typed(),
                                      state.EMPTY, moved["own"], resolver)
    assert [s["place"] for s in deleted["own"]["stops"]] == ["Kyiv", "Riga"] and deleted["selection"]["stop_no"] == 2
    nothing = trip_editor.stop_action("delete-stop", trip_id, {}, _typed(), state.EMPTY, deleted["own"], resolver)
    assert nothing["own"] is no_update and nothing["errors"]["stop-place-error"].startswith("choose a stop")


def test_events_through_the_editor_and_the_forms(resolver):
    own, trip_id = _started()
    own = trip_editor.stop_action("add-stop", trip_id, {}, _typed(), state.EMPTY, own, resolver)["own"]
    chosen = {"trip_id": trip_id, "stop_no": 1}
    typed = dict(text="Met <script>x</script>", kind="meeting", people="", time="09:00", link="")
    done = trip_editor.event_action("add-event", trip_id, chosen, None, typed, state.EMPTY, own)
    assert done["own"]["events"][0]["text"] == "Met <script>x</script>"
    form = trip_editor.event_form(1, trip_id, chosen, state.EMPTY, done["own"])
    assert form["editing"] == 1 and form["values"]["event-time"] == "09:00"
    saved = trip_editor.event_action("save-event", trip_id, chosen, 1, dict(typed, link="ftp://x"), state.EMPTY,
                                     done["own"])
    assert saved["own"] is no_update and saved["errors"]["event-link-error"]
    gone = trip_editor.event_action({"type": "event-delete", "index": 1}, trip_id, chosen, None, typed,
                                    state.EMPTY, done["own"])
    assert gone["own"]["events"] == []


def test_an_authored_trip_downloads_reloads_and_saves_as_shown(resolver, tmp_path):
    """Every output of a trip typed in the editor: the CSV and JSON downloads read back with
    the same stops, times and events, and "Save this trip" stores it like any other."""
    import json

    from dashboard.features import files, shared_store
    from dashboard.sources import parse_itinerary
    from dashboard.store import open_store
    from dashboard.store.access import WritePolicy

    own, trip_id = _started()
    own = trip_editor.save_trip_details(trip_id, "Baltic reporting trip", "Ann Example", "", state.EMPTY, own)["own"]
    for place, day, time_of_day in (("Kyiv", "2025-08-23", "07:30"), ("Riga", "2025-08-26", "")):
        own = trip_editor.stop_action("add-stop", trip_id, None, _typed(place, "", day, time_of_day, day),
                                      state.EMPTY, own, resolver)["own"]
    own = trip_editor.event_action("add-event", trip_id, {"trip_id": trip_id, "stop_no": 2}, None,
                                   dict(text="Talks", kind="meeting", people="A; B", time="", link="https://example.org"),
                                   state.EMPTY, own)["own"]
    for trigger, name in (("export-csv", "trip.csv"), ("export-json", "trip.json")):
        download = files.export_download(trigger, trip_id, state.EMPTY, own)
        again = parse_itinerary(download["content"].encode("utf-8"), name)
        assert list(again.stops["place"]) == ["Kyiv", "Riga"], trigger
        assert again.stops["arrive"].iloc[0].strftime("%H:%M") == "07:30" and again.stops["utc_offset"].iloc[0] == "+03:00"
        assert list(again.events["text"]) == ["Talks"] and again.trips["trip"].iloc[0] == "Baltic reporting trip"
    assert "Baltic reporting trip" in files.export_download("export-html", trip_id, state.EMPTY, own)["content"]
    store = open_store(str(tmp_path / "store.sqlite"))
    saved = shared_store.save_trip_to_store(store, WritePolicy(None, "127.0.0.1"), trip_id, state.EMPTY, own, {},
                                            None, "test")
    assert saved["opened"] == {trip_id: 1}
    assert [s["place"] for s in json.loads(json.dumps(store.trip(trip_id)[0]))["stops"]] == ["Kyiv", "Riga"]


STORY_PLACES = ("return Array.from(document.querySelectorAll('#itinerary-story .story-stop .stop-select'))"
                ".map(b => b.innerText.replace(/\\s+/g, ' ').trim())")
MAP_LABELS = ("return Array.from(document.querySelectorAll('#map .scattergeo text')).map(t => t.textContent)"
              ".filter(t => /^\\d+ /.test(t))")
STORY_EVENTS = "return Array.from(document.querySelectorAll('#itinerary-story .events li')).map(li => li.innerText)"


def field(driver, label: str):
    """The control a visible label names (its ``for``), as a reader using a screen reader finds
    it (the upload's hidden 'Change columns' form has a 'Trip title' of its own)."""
    labels = [x for x in driver.find_elements(By.XPATH, f"//label[normalize-space()='{label}']") if x.is_displayed()]
    assert len(labels) == 1, f"expected one visible label '{label}', found {len(labels)}"
    return driver.find_element(By.ID, labels[0].get_attribute("for"))


def type_into(driver, label: str, text: str) -> None:
    control = field(driver, label)
    control.send_keys(Keys.CONTROL, "a")
    control.send_keys(Keys.DELETE)
    if text:
        control.send_keys(text)


def press(driver, name: str) -> None:
    """Click the button of that visible name once it is enabled (the form enables a stop's
    buttons when a stop is chosen)."""
    button = driver.find_element(By.XPATH, f"//button[normalize-space()='{name}']")
    deadline = time.monotonic() + 20
    while button.get_attribute("disabled") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not button.get_attribute("disabled"), f"'{name}' stays disabled"
    button.click()


def story(driver) -> list[str]:
    return driver.execute_script(STORY_PLACES)


def wait_for_story(driver, expected: list[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while story(driver) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert story(driver) == expected


def add_stop(driver, place: str, country: str, arrive: str, depart: str = "", arrival_time: str = "") -> None:
    type_into(driver, "Place", place)
    type_into(driver, "Country", country)
    type_into(driver, "Arrive", arrive)
    type_into(driver, "Arrival time", arrival_time)
    type_into(driver, "Depart", depart)
    type_into(driver, "Departure time", "")
    press(driver, "Add a stop")


@pytest.mark.browser
def test_a_trip_built_from_nothing_edited_undone_reloaded_and_exported(live_server, browser, tmp_path):
    browser.get(live_server() + "/")
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo .point').length >= 4", 60)

    press(browser, "New trip")
    wait_until(browser, "return document.querySelector('#summary h1').innerText === 'Untitled trip'", 30)
    assert story(browser) == []
    type_into(browser, "Trip title", "Baltic reporting trip")
    type_into(browser, "Traveller", "Ann Example")
    type_into(browser, "Role", "Correspondent")
    press(browser, "Save trip details")
    wait_until(browser, "return document.querySelector('#trip-picker').innerText.includes('Baltic reporting trip')", 30)

    # A field that cannot be taken: its message beside it, nothing added.
    add_stop(browser, "Kyiv", "Ukraine", "2025-02-30")
    wait_until(browser, "return document.querySelector('#stop-arrive-error').innerText.includes('not a real calendar date')", 30)
    assert story(browser) == []

    add_stop(browser, "Kyiv", "Ukraine", "2025-08-23", "2025-08-24", arrival_time="07:30")
    wait_for_story(browser, ["1 Stop 1: Kyiv, Ukraine"])
    assert browser.find_element(By.ID, "stop-arrive-error").text == ""
    # Shown in the stop's local time, with its zone.
    wait_until(browser, "return document.querySelector('#itinerary-story .stop-dates').innerText.includes('EEST')", 30)
    add_stop(browser, "Warsaw", "Poland", "2025-08-24", "2025-08-25")
    wait_for_story(browser, ["1 Stop 1: Kyiv, Ukraine", "2 Stop 2: Warsaw, Poland"])
    add_stop(browser, "Riga", "Latvia", "2025-08-26")
    wait_for_story(browser, ["1 Stop 1: Kyiv, Ukraine", "2 Stop 2: Warsaw, Poland", "3 Stop 3: Riga, Latvia"])
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo .point').length >= 3", 30)
    assert browser.execute_script(MAP_LABELS) == ["1 Kyiv", "2 Warsaw", "3 Riga"]

    # An event on the chosen stop (Riga, the last added); a link that is not http(s) refused first.
    type_into(browser, "What happened", "Met the <b>president</b>")
    type_into(browser, "Source link", "javascript:alert(1)")
    press(browser, "Add an event")
    wait_until(browser, "return document.querySelector('#event-link-error').innerText.includes('https://')", 30)
    assert browser.execute_script(STORY_EVENTS) == []
    type_into(browser, "Source link", "https://example.org/riga")
    press(browser, "Add an event")
    wait_until(browser, STORY_EVENTS.replace(".map(li => li.innerText)", ".length === 1"), 30)
    assert "Met the <b>president</b>" in browser.execute_script(STORY_EVENTS)[0]  # text, never markup

    # Undo with the keyboard (outside a text field), redo with the button.
    browser.find_element(By.ID, "summary").click()
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "z")
    wait_until(browser, STORY_EVENTS.replace(".map(li => li.innerText)", ".length === 0"), 30)
    press(browser, "Redo")
    wait_until(browser, STORY_EVENTS.replace(".map(li => li.innerText)", ".length === 1"), 30)

    # A reload keeps the work.
    browser.refresh()
    wait_for_story(browser, ["1 Stop 1: Kyiv, Ukraine", "2 Stop 2: Warsaw, Poland", "3 Stop 3: Riga, Latvia"], 60)
    assert "Baltic reporting trip" in browser.find_element(By.ID, "trip-picker").text

    # Delete the middle stop: the others are numbered again and the event follows Riga.
    browser.find_element(By.XPATH, "//button[contains(@class, 'stop-select')][contains(., 'Warsaw')]").click()
    wait_until(browser, "return document.querySelector('#stop-form-title').innerText.startsWith('Stop 2: Warsaw')", 30)
    press(browser, "Delete stop")
    wait_for_story(browser, ["1 Stop 1: Kyiv, Ukraine", "2 Stop 2: Riga, Latvia"])
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo text').length > 0", 30)
    on_screen = browser.execute_script(MAP_LABELS)
    assert on_screen == ["1 Kyiv", "2 Riga"]
    assert len(browser.execute_script(STORY_EVENTS)) == 1

    # The exported page holds exactly what is on screen.
    browser.find_element(By.ID, "export-html").click()
    target = tmp_path / "untitled-trip.html"
    deadline = time.monotonic() + 30
    while not (target.exists() and target.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    browser.get(Path(target).as_uri())
    wait_until(browser, "return document.body.getAttribute('data-ready') === 'true'", 30)
    exported = browser.execute_script(
        "return Array.from(document.querySelectorAll('#trip-map .scattergeo text')).map(t => t.textContent)"
        ".filter(t => /^\\d+ /.test(t))")
    assert exported == on_screen
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Baltic reporting trip" in page and "Met the <b>president</b>" in page and "Warsaw" not in page


@pytest.mark.browser
def test_a_stop_is_authored_with_the_keyboard_alone(live_server, browser):
    """Tab from field to field in the form's order, Enter on 'Add a stop', then Ctrl+Z and
    Ctrl+Shift+Z from the button (outside a text field) undo and redo it."""
    from selenium.webdriver.common.action_chains import ActionChains

    def keys(*sequence):
        ActionChains(browser).send_keys(*sequence).perform()

    browser.get(live_server() + "/")
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo .point').length >= 4", 60)
    browser.execute_script("document.getElementById('new-trip').focus()")  # as Tab would reach it
    keys(Keys.ENTER)
    wait_until(browser, "return document.querySelector('#summary h1').innerText === 'Untitled trip'", 30)
    browser.execute_script("document.getElementById('stop-place').focus()")
    for text in ("Vilnius", "Lithuania", "2025-09-01", "10:00", "2025-09-02", "", "Summit"):
        keys(text, Keys.TAB) if text else keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Add a stop"
    keys(Keys.ENTER)
    wait_for_story(browser, ["1 Stop 1: Vilnius, Lithuania"])
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    wait_for_story(browser, [])
    ActionChains(browser).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT) \
        .key_up(Keys.CONTROL).perform()
    wait_for_story(browser, ["1 Stop 1: Vilnius, Lithuania"])
