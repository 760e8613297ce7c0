"""The first screen comes first (issue 22): the page carries the first trip's figures, so its
map is drawn with no callback before it; AG Grid's bundle and the traveller's record are asked
for only once the map is drawn, and then still arrive whole."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser import make_driver, wait_until

MAP_DRAWN = "return document.querySelectorAll('#map .scattergeo text').length >= 4"
# Noted in the page's own clock, on the animation frame the map is first seen drawn.
NOTE_MAP_DRAWN = """(function () {
  // What plotly.js asks the server for itself (it fetches base maps with XMLHttpRequest).
  window.plotlyAsked = [];
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) { window.plotlyAsked.push(String(url)); return open.apply(this, arguments); };
  function check() {
    if (document.querySelectorAll('#map .scattergeo text').length >= 4) {
      window.mapDrawnAt = performance.now();
      window.askedBeforeTheMap = window.plotlyAsked.slice();
      window.builtWithTheMap = ['#timeline', 'section.add-trip', 'section.collection']
        .filter(function (s) { return document.querySelector(s); });
    }
    else { requestAnimationFrame(check); }
  }
  requestAnimationFrame(check);
})();"""


def test_the_page_marks_ag_grid_deferred_instead_of_loading_it():
    from dashboard.app import DEFERRED_LIBRARIES, create_app

    page = create_app().server.test_client().get("/").get_data(as_text=True)
    assert 'type="text/x-deferred" data-namespace="dash_ag_grid" data-components="AgGrid"' in page
    assert '<script src="/_dash-component-suites/dash_ag_grid/' not in page
    assert set(DEFERRED_LIBRARIES) == {"dash_ag_grid"}


def test_the_page_runs_the_lazy_parts_of_its_components_and_names_the_first_maps_base_map():
    from dashboard.app import FIRST_SCREEN_CHUNKS, create_app
    from dashboard.paths import GEODATA_DIR

    client = create_app().server.test_client()
    page = client.get("/").get_data(as_text=True)
    for chunk in FIRST_SCREEN_CHUNKS:  # run with the page's scripts, not fetched on first render
        assert f'<script src="/_dash-component-suites/{chunk}"></script>' in page
        assert client.get(f"/_dash-component-suites/{chunk}").status_code == 200
    names = re.findall(r'<link rel="preload" as="fetch" crossorigin="anonymous" data-base-map="([^"]+)" '
                       r'href="/geodata/\1\.json">', page)
    layout = client.get("/_dash-layout").get_json()
    # The base map named is the one the first trip's map figure asks plotly.js for.
    assert len(names) == 1 and f'"scope": "{names[0].rsplit("_", 1)[0]}"' in json.dumps(layout)
    assert (GEODATA_DIR / f"{names[0]}.json").exists()


def test_the_layout_carries_the_first_trips_figures_and_the_page_config_does_not():
    from dashboard.app import create_app

    client = create_app().server.test_client()
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert '"scattergeo"' in layout and "Warsaw" in layout
    # Dash's copy of the layout for its debug mode stays light: no figure in every page.
    assert '"scattergeo"' not in client.get("/").get_data(as_text=True)


def _posted_outputs(driver) -> list[list[str]]:
    """Each callback posted, as the outputs it asked for ("component.property")."""
    outputs = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        request = message.get("params", {}).get("request", {})
        if message.get("method") == "Network.requestWillBeSent" and "_dash-update-component" in request.get("url", ""):
            output = json.loads(request.get("postData") or "{}").get("output", "")
            outputs.append(output.strip(".").split("..."))
    return outputs


@pytest.mark.browser
def test_the_map_is_drawn_before_the_grid_and_the_record_load_and_they_still_arrive(live_server):
    url = live_server()
    driver = make_driver(1400, 900)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NOTE_MAP_DRAWN})
        driver.get(url + "/")
        wait_until(driver, MAP_DRAWN, 30)
        # The grid and the record come after, whole: the shipped trip's four rows, its record map.
        wait_until(driver, "return document.querySelectorAll('#stops-grid .ag-row').length == 4", 30)
        wait_until(driver, "return document.querySelectorAll('#collection-map .scattergeo').length > 0", 30)
        drawn_at = driver.execute_script("return window.mapDrawnAt")
        grid_asked_at = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('dash_ag_grid.v'))"
            ".map(e => e.startTime)[0]")
        assert drawn_at is not None and grid_asked_at is not None
        assert grid_asked_at > drawn_at, (grid_asked_at, drawn_at)
        # The map was drawn in the page's first render: its base map was in hand (fetched once,
        # by the page's preload, not asked for by plotly.js) and nothing below it built yet.
        assert driver.execute_script("return window.builtWithTheMap") == []
        assert driver.execute_script("return window.askedBeforeTheMap") == []
        base_maps = driver.execute_script("return performance.getEntriesByType('resource')"
                                          ".filter(e => e.name.includes('/geodata/') && !e.name.includes('world_110m'))"
                                          ".map(e => e.initiatorType)")
        assert base_maps == ["link"], base_maps
        posted = _posted_outputs(driver)
        # No callback drew the map at load: the page came with it.
        assert not any("map.figure" in outputs for outputs in posted), posted
        assert any("collection-map.figure" in outputs for outputs in posted), posted
        cells = driver.execute_script("return Array.from(document.querySelectorAll('#stops-grid [col-id=place]'))"
                                      ".map(c => c.innerText)")
        assert "Kyiv" in cells and "Warsaw" in cells
        assert not driver.find_elements("css selector", ".deferred-component")
    finally:
        driver.quit()


@pytest.mark.browser
def test_a_reader_who_scrolls_at_once_gets_the_grid_and_the_record(live_server):
    url = live_server()
    driver = make_driver(390, 844)
    try:
        driver.get(url + "/")
        wait_until(driver, "return !!document.querySelector('section.stops')", 30)
        driver.execute_script("document.querySelector('section.collection').scrollIntoView()")
        wait_until(driver, "return document.querySelectorAll('#collection-map .scattergeo').length > 0", 30)
        driver.execute_script("document.querySelector('section.stops').scrollIntoView()")
        wait_until(driver, "return document.querySelectorAll('#stops-grid .ag-row').length == 4", 30)
    finally:
        driver.quit()


@pytest.mark.browser
def test_a_reload_draws_the_readers_own_copy_of_the_first_trip_over_the_one_the_page_brings(live_server, tmp_path):
    """The page comes with the server's drawing of its first trip; a reader who edited that trip
    (their copy in session storage) gets their copy drawn after a reload."""
    from dashboard import state
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.paths import DEFAULT_TRIP
    from dashboard.sources import load_itinerary
    from dashboard.store import SQLiteStore

    itinerary = load_itinerary(DEFAULT_TRIP)
    resolver = PlaceResolver(store=SQLiteStore(tmp_path / "own.sqlite"))
    own = state.to_store(itinerary, resolver.geocode_stops(itinerary.stops))
    first = next(stop for stop in own["stops"] if stop["stop_no"] == 1)
    first["place"] = "Kyiv, as edited"
    url = live_server()
    driver = make_driver(1400, 900)
    try:
        driver.get(url + "/")
        wait_until(driver, MAP_DRAWN, 30)
        labels = "return Array.from(document.querySelectorAll('#map .scattergeo text')).map(t => t.textContent)"
        assert not any("as edited" in label for label in driver.execute_script(labels))
        driver.execute_script("sessionStorage.setItem('catalogue', arguments[0])", json.dumps(own))
        driver.refresh()
        wait_until(driver, labels + ".some(t => t.includes('as edited'))", 30)
        wait_until(driver, "return document.getElementById('itinerary-story').innerText.includes('as edited')", 30)
    finally:
        driver.quit()
