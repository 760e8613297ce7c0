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
