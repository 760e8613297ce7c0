"""Valid itineraries (tests/strategies.py) through the outputs that need a browser: the
standalone HTML page opened offline in headless Chromium, and the PNG drawn by kaleido."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from dashboard.export import standalone_html, write_image
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.sources import parse_itinerary
from dashboard.store import SQLiteStore
from tests.browser import make_offline_driver, timeline_badges, wait_until
from tests.strategies import as_json, itineraries

BROWSER_SETTINGS = settings(max_examples=int(os.environ.get("TRIPVIZ_BROWSER_EXAMPLES", "6")), deadline=None,
                            derandomize=True, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    return PlaceResolver(store=SQLiteStore(tmp_path_factory.mktemp("store") / "store.sqlite"))


@pytest.fixture(scope="module")
def offline_driver():
    driver = make_offline_driver()
    yield driver
    driver.quit()


def placed(trips, resolver):
    loaded = parse_itinerary(as_json(trips), "trips.json")
    assert not loaded.errors
    return resolver.geocode_stops(loaded.stops), loaded.events


@pytest.mark.browser
@BROWSER_SETTINGS
@given(trips=itineraries())
def test_exported_page_draws_offline_without_console_errors(trips, resolver, offline_driver, tmp_path_factory):
    stops, events = placed(trips, resolver)
    page = tmp_path_factory.mktemp("page") / "tour.html"
    page.write_text(standalone_html(stops, events), encoding="utf-8")
    offline_driver.get_log("browser")  # drop what earlier pages logged
    offline_driver.get(page.as_uri())
    wait_until(offline_driver, "return document.body.getAttribute('data-ready') === 'true'", 30)
    assert offline_driver.execute_script("return window.__pwned === undefined")
    drawn = offline_driver.execute_script(
        "return document.getElementById('trip-timeline').data.filter(t => t.meta && t.meta.role === 'stops')[0].x.length")
    badges = len(timeline_badges(offline_driver, "#trip-timeline"))
    assert drawn == badges == len(stops)
    assert offline_driver.execute_script("return document.querySelectorAll('.stop-select').length") == len(stops)
    errors = [e for e in offline_driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


@pytest.mark.browser
@settings(BROWSER_SETTINGS, max_examples=3)
@given(trips=itineraries())
def test_png_export_draws_any_valid_itinerary(trips, resolver, tmp_path_factory):
    stops, events = placed(trips, resolver)
    output = tmp_path_factory.mktemp("png") / "tour.png"
    write_image(stops, events, Path(output))
    data = output.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
