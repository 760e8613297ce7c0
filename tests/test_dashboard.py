import base64
import gzip
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from dash import no_update

from dashboard import state
from dashboard.features import editing, files, selection, trip_view
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.paths import DEFAULT_TRIP
from dashboard.sources import load_itinerary
from dashboard.store import SQLiteStore
from tests.browser import (
    click_drawn,
    country_outline_length,
    foreign_requests,
    requested_urls,
    stop_markers,
    timeline_badges,
    wait_until,
)
from tests.page_checks import (
    axe_violations,
    box,
    cut_text,
    drawn_map,
    horizontal_overflow,
    overlapping_controls,
    set_viewport,
)
from tests.shipped import SHIPPED_LABELS, SHIPPED_PLACES
from tests.shipped import SHIPPED_TRIP as TRIP

ONE_BAD_ROW = ("trip,leader,place,country,arrive,depart\n"
               "Baltic visit,A Leader,Riga,LV,2025-09-01,2025-09-01\n"
               "Baltic visit,A Leader,Tallinn,EE,2025-09-32,2025-09-02\n"
               "Baltic visit,A Leader,Vilnius,LT,2025-09-03,2025-09-03\n")


@pytest.fixture
def resolver(tmp_path):
    return PlaceResolver(store=SQLiteStore(tmp_path / "store.sqlite"))


@pytest.fixture
def catalogue(resolver):
    itinerary = load_itinerary(DEFAULT_TRIP)
    return state.to_store(itinerary, resolver.geocode_stops(itinerary.stops))


def role(fig, name):
    return next(t for t in fig.data if t.meta and t.meta.get("role") == name)


def upload_contents(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def test_render_trip_builds_everything_for_the_first_trip(catalogue):
    shown = trip_view.render_trip(TRIP, catalogue, None, None, [])
    map_fig, timeline, header, text, rows = (shown[k] for k in ("map", "timeline", "header", "text", "grid_rows"))
    assert [t.meta["role"] for t in map_fig.data][-1] == "stops"
    assert len(role(timeline, "stops").x) == 4 and len(map_fig.frames) == 4
    assert header[0].children == "European tour for Ukraine's security, August 2025"  # the title, then the dek
    assert "2,068 km" in header[1].children and text.startswith("Mark Carney")
    assert [r["place"] for r in rows] == SHIPPED_PLACES
    # no picker before a stop is chosen
    assert shown["details"] == trip_view.NO_STOP and shown["candidates"] == [] and shown["candidates_hidden"]
    stops = shown["story"][0]["stops"]  # the itinerary as a story (its data; the browser draws it)
    assert len(stops) == 4 and "Tusk" in str(stops[1]["events"])


def test_selection_highlights_both_figures_and_lists_events(catalogue):
    chosen = selection.selection_from_click("map", {"points": [{"customdata": [TRIP, 2]}]}, None, None, TRIP)
    assert chosen == {"trip_id": TRIP, "stop_no": 2}
    shown = trip_view.render_trip(TRIP, catalogue, None, chosen, [])
    map_fig, timeline, details = shown["map"], shown["timeline"], shown["details"]
    stops_trace = [t for t in map_fig.data if t.meta["role"] == "stops"][0]
    assert list(stops_trace.marker.size) == [12, 18, 12, 12]
    assert list(role(timeline, "stops").marker.line.width) == [2, 3, 2, 2]
    assert "Donald Tusk" in str(details)
    from_timeline = selection.selection_from_click("timeline", None, {"points": [{"customdata": [TRIP, 3]}]}, None, TRIP)
    assert from_timeline["stop_no"] == 3


def test_whole_world_view(catalogue):
    map_fig = trip_view.render_trip(TRIP, catalogue, None, None, ["world"])["map"]
    assert map_fig.layout.geo.scope == "world"


def test_upload_with_one_bad_row_keeps_the_good_rows_and_names_the_problem(catalogue, resolver):
    loaded = files.load_upload(upload_contents(ONE_BAD_ROW), "baltic.csv", catalogue, None, resolver)
    own, options, value, messages = (loaded[k] for k in ("own", "options", "trip_id", "messages"))
    assert value == "a-leader-baltic-visit" and len(options) == 2
    assert [t["trip_id"] for t in own["trips"]] == [value]  # the browser keeps only its own trips
    merged = state.view(catalogue, own)
    stops, _, _ = state.frames(merged, value)
    assert list(stops["place"]) == ["Riga", "Vilnius"]
    assert len(state.frames(merged, TRIP)[0]) == 4  # the trip already on screen is kept
    text = str(messages)
    assert "row 3" in text and "column 'arrive'" in text and "1 row(s) not loaded" in text


def test_malformed_upload_changes_nothing(catalogue, resolver):
    result = files.load_upload("data:application/json;base64," + base64.b64encode(b"{oops").decode(),
                               "broken.json", catalogue, None, resolver)
    assert (result["own"], result["options"], result["trip_id"]) == (no_update, no_update, no_update)
    assert "not valid JSON" in str(result["messages"]) and "unchanged" in str(result["messages"])


def test_editing_a_place_regeocodes_it_and_typed_coordinates_are_pinned_and_remembered(catalogue, resolver):
    change = [{"colId": "place", "data": {"stop_no": 3, "place": "Munich", "country": "DE"}}]
    outcome = editing.apply_cell_edits(change, TRIP, catalogue, None, resolver)
    own, messages = outcome["own"], outcome["messages"]
    edited = state.view(catalogue, own)
    stop = state.frames(edited, TRIP)[0].iloc[2]
    assert stop["place"] == "Munich" and stop["lat"] == pytest.approx(48.14, abs=0.1) and stop["geo_source"] == "gazetteer"
    pin = [{"colId": "lat", "newValue": 52.0, "data": {"stop_no": 2, "place": "Warsaw", "lat": 52.0, "lon": 21.5}}]
    outcome = editing.apply_cell_edits(pin, TRIP, catalogue, own, resolver)
    own, _ = outcome["own"], outcome["messages"]
    pinned = state.view(catalogue, own)
    stop = state.frames(pinned, TRIP)[0].iloc[1]
    assert (stop["lat"], stop["lon"], stop["geo_source"]) == (52.0, 21.5, "override")
    assert resolver.resolve("Warsaw", "PL").source == "override"  # remembered for the next run
    bad = [{"colId": "lat", "newValue": "north", "data": {"stop_no": 2, "place": "Warsaw", "lat": "north", "lon": 21}}]
    outcome = editing.apply_cell_edits(bad, TRIP, catalogue, own, resolver)
    unchanged, messages = outcome["own"], outcome["messages"]
    assert state.view(catalogue, unchanged) == pinned and "coordinates must be numbers" in str(messages)


def test_an_ambiguous_place_typed_in_the_grid_is_decided_by_its_neighbours(catalogue, resolver):
    """Stop 3 sits between Warsaw and Latvia: 'Brest' there is Brest in Belarus, not in France."""
    change = [{"colId": "place", "data": {"stop_no": 3, "place": "Brest", "country": None}}]
    outcome = editing.apply_cell_edits(change, TRIP, catalogue, None, resolver)
    own, _ = outcome["own"], outcome["messages"]
    stop = state.frames(state.view(catalogue, own), TRIP)[0].iloc[2]
    assert stop["country_code"] == "BY" and stop["confidence"] == "high"
    assert stop["geocode_note"].startswith("the trip decided")


def test_picking_a_candidate_uses_it_and_remembers_it(catalogue, resolver):
    change = [{"colId": "place", "data": {"stop_no": 4, "place": "Newcastle", "country": "GB"}}]
    outcome = editing.apply_cell_edits(change, TRIP, catalogue, None, resolver)
    own, _ = outcome["own"], outcome["messages"]
    selection = {"trip_id": TRIP, "stop_no": 4}
    shown = trip_view.render_trip(TRIP, catalogue, own, selection, [])
    options, hidden = shown["candidates"], shown["candidates_hidden"]
    assert options and not hidden  # the picker shows once a stop with other candidates is chosen
    choice = json.loads(options[0]["value"])
    own = editing.pick_candidate(options[0]["value"], selection, catalogue, own, resolver)
    stop = state.frames(state.view(catalogue, own), TRIP)[0].iloc[3]
    assert stop["matched_name"] == choice["name"] and stop["geo_source"] == "override"
    assert resolver.resolve("Newcastle", "GB").matched_name == choice["name"]


def test_exports_from_the_dashboard(catalogue):
    html_file = files.export_download("export-html", TRIP, catalogue, None)
    assert html_file["filename"] == f"{TRIP}.html" and "PlotlyGeoAssets" in html_file["content"]
    csv_file = files.export_download("export-csv", TRIP, catalogue, None)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_file["content"])))
    assert [r["place"] for r in rows][:2] == ["Kyiv", "Warsaw"] and rows[0]["country_code"] == "UA"
    assert rows[0]["trip"].startswith("European tour") and rows[0]["precision"] == "city"
    json_file = files.export_download("export-json", TRIP, catalogue, None)
    reloaded = json.loads(json_file["content"])
    assert reloaded["id"] == TRIP and len(reloaded["stops"]) == 4 and reloaded["stops"][0]["lat"]


# ---------------------------------------------------------------------------- in the browser



def plot_data(driver, graph_id):
    return driver.execute_script(f"return document.querySelector('#{graph_id} .js-plotly-plot').data")


def open_and_upload(driver, url, folder, text=ONE_BAD_ROW, name="baltic.csv"):
    """Open the dashboard, wait for the map, and drop a CSV (the one-bad-row one) on the upload box."""
    driver.get(url)
    wait_for_map(driver)
    upload = folder / name
    upload.write_text(text)
    driver.find_element("css selector", "#upload input[type=file]").send_keys(str(upload))


def wait_for_map(driver):
    wait_until(driver, "var p = document.querySelectorAll('#map .layer.countries path'); return p.length > 0", 30)
    wait_until(driver, "return document.querySelectorAll('#map .scattergeo .point').length >= 4", 30)


@pytest.mark.browser
def test_dashboard_loads_offline_with_map_markers_and_no_foreign_request(live_server, browser):
    url = live_server()
    browser.get(url + "/")
    wait_for_map(browser)
    assert country_outline_length(browser, "map") > 20_000
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#map .scattergeo text')).map(t => t.textContent)")
    assert SHIPPED_LABELS <= set(labels)
    assert len(timeline_badges(browser, "#timeline")) == 4
    urls = requested_urls(browser)
    assert foreign_requests(urls, {"127.0.0.1"}) == []
    # plotly.js's geo build drew it, not the full build Dash would fetch (three times the bytes).
    assert any("/vendor/plotly-geo-" in u for u in urls) and not any("plotly.min.js" in u for u in urls)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
    sent, plain = browser.execute_script(
        "const e = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];"
        "return [e.reduce((s, x) => s + (x.transferSize || 0), 0), e.reduce((s, x) => s + (x.decodedBodySize || 0), 0)]")
    assert sent < 2.5e6 and sent < plain / 2, (sent, plain)  # compressed, within the first-screen budget


def test_responses_are_compressed_and_bundles_cached(live_server):
    url = live_server()

    def get(path):
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers, response.read()

    headers, page = get("/")
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page).decode()
    plotly_path = re.search(r'src="(/vendor/plotly-geo-[\d.]+\.min\.js)"', html).group(1)
    headers, body = get(plotly_path)
    assert headers["Content-Encoding"] == "gzip" and "max-age=31536000" in headers["Cache-Control"]
    assert b"Plotly" in gzip.decompress(body)[:2000] or b"plotly" in gzip.decompress(body)[:2000]
    headers, body = get("/geodata/world_110m.json")
    assert headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(body))["type"] == "Topology"


@pytest.mark.browser
def test_clicking_a_stop_highlights_the_timeline_and_shows_events(live_server, browser):
    browser.get(live_server() + "/")
    wait_for_map(browser)
    click_drawn(browser, lambda driver: stop_markers(driver, "#map")[1])
    wait_until(browser, "var d = document.querySelector('#timeline .js-plotly-plot').data.filter(t => t.meta && "
                        "t.meta.role === 'stops')[0].marker.line.width; return d && d[1] === 3", 20)
    wait_until(browser, "return document.getElementById('stop-details').innerText.includes('Tusk')", 10)
    # and the other way: a bar on the timeline highlights the map marker
    click_drawn(browser, lambda driver: timeline_badges(driver, "#timeline")[2])
    wait_until(browser, "var t = document.querySelector('#map .js-plotly-plot').data.filter(t => t.meta && "
                        "t.meta.role === 'stops')[0]; return t.marker.size[2] === 18", 20)
    assert "Merz" in browser.find_element("id", "stop-details").text


@pytest.mark.browser
def test_uploading_a_file_with_one_bad_row_shows_the_message_and_the_good_rows(live_server, browser, tmp_path):
    open_and_upload(browser, live_server() + "/", tmp_path)
    wait_until(browser, "return document.getElementById('messages').innerText.includes('row 3')", 30)
    messages = browser.find_element("id", "messages").text
    assert "column 'arrive'" in messages and "not a real calendar date" in messages
    wait_until(browser, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                        ".map(t => t.textContent).includes('1 Riga')", 30)
    cells = browser.execute_script("return Array.from(document.querySelectorAll('#stops-grid [col-id=place]'))"
                                   ".map(c => c.innerText)")
    assert "Riga" in cells and "Vilnius" in cells and "Tallinn" not in cells


@pytest.mark.browser
def test_a_stop_to_check_is_flagged_in_the_grid_and_the_messages(live_server, browser, tmp_path):
    ambiguous = ("trip,leader,place,country,arrive,depart\n"
                 "East Africa,A Leader,Nairobi,,2025-05-01,2025-05-01\n"
                 "East Africa,A Leader,Hamilton,,2025-05-02,2025-05-02\n"
                 "East Africa,A Leader,Kampala,,2025-05-03,2025-05-03\n")
    open_and_upload(browser, live_server() + "/", tmp_path, ambiguous, "east-africa.csv")
    wait_until(browser, "return document.querySelectorAll('#stops-grid .ag-cell.needs-review').length == 1", 30)
    flagged = browser.execute_script(
        "var c = document.querySelector('#stops-grid .ag-cell.needs-review');"
        "return [c.innerText, c.closest('[row-index]').querySelector('[col-id=place]').innerText];")
    assert flagged == ["check", "Hamilton"]
    assert "needs checking" in browser.find_element("id", "messages").text


@pytest.mark.browser
def test_html_export_downloads_and_opens(live_server, browser, tmp_path):
    browser.get(live_server() + "/")
    wait_for_map(browser)
    browser.find_element("id", "export-html").click()
    target = tmp_path / f"{TRIP}.html"
    deadline = time.monotonic() + 30
    while not (target.exists() and target.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)  # the download finishing
    assert target.exists() and 400_000 < target.stat().st_size < 2 * 1024 * 1024  # plotly.js inside, packed
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    browser.get(Path(target).as_uri())
    wait_until(browser, "return document.body.getAttribute('data-ready') === 'true'", 20)
    assert country_outline_length(browser, "trip-map") > 20_000


# Coordinates typed in, so the test depends on the figures and the page, not on geocoding.
WEST_AFRICA = ("trip,leader,place,country,arrive,depart,lat,lon,events\n"
               "West Africa tour,A Leader,Dakar,SN,2025-03-01,2025-03-02,14.69,-17.44,[meeting] Talks\n"
               "West Africa tour,A Leader,Thies,SN,2025-03-02,2025-03-02,14.79,-16.93,\n"
               "West Africa tour,A Leader,Kaolack,SN,2025-03-03,2025-03-03,14.15,-16.07,[visit] Market\n"
               "West Africa tour,A Leader,Accra,GH,2025-03-04,2025-03-05,5.56,-0.20,\n")
MAP_SIZE = ("var r = document.querySelector('#map').getBoundingClientRect();"
            "var s = document.querySelector('#map .main-svg'); return [r.height, s ? s.getBoundingClientRect().height : 0]")
STOPS_SPREAD = ("var g = Array.from(document.querySelectorAll('#map g.trace.scattergeo'))"
                ".find(function (t) { return t.querySelectorAll('text').length > 0; });"
                "var xs = Array.from(g.querySelectorAll('path.point')).map(function (p) { return p.getBoundingClientRect().x; });"
                "return Math.max.apply(null, xs) - Math.min.apply(null, xs)")
# Degrees of longitude the map shows: 360 for the whole world, far fewer for a fitted route.
GEO_SPAN = ("var g = document.querySelector('#map .js-plotly-plot')._fullLayout.geo; "
            "return g.lonaxis.range[1] - g.lonaxis.range[0]")


@pytest.fixture
def two_trip_folder(tmp_path):
    folder = tmp_path / "trips"
    folder.mkdir()
    (folder / "a-west-africa.csv").write_text(WEST_AFRICA, encoding="utf-8")
    (folder / "carney.json").write_bytes(DEFAULT_TRIP.read_bytes())
    return folder


def pick_trip(driver, trip_id):
    driver.find_element("css selector", "#trip-picker").click()
    wait_until(driver, f"return !!document.querySelector('[role=option] input[value=\"{trip_id}\"]')", 10)
    driver.execute_script(f"document.querySelector('[role=option] input[value=\"{trip_id}\"]').closest('label').click()")


@pytest.mark.browser
def test_map_keeps_its_size_on_every_redraw_and_each_view_fits(live_server, browser, two_trip_folder):
    """Ten redraws of every kind: the map stays as tall as its frame; a route anywhere is
    fitted; "Whole world" shows the world."""
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(live_server("--data", str(two_trip_folder)) + "/")
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo text').length >= 4", 30)
    wait_until(browser, GEO_SPAN + " < 200", 20)
    assert browser.execute_script(STOPS_SPREAD) > 250  # West Africa fitted, not a dot on a world map
    world = browser.find_element("css selector", ".view-options input")
    sizes = []

    def redraw(action, ready_script):
        action()
        wait_until(browser, ready_script, 20)
        time.sleep(0.3)  # let plotly.js finish its resize
        sizes.append(browser.execute_script(MAP_SIZE))

    for _ in range(2):
        redraw(world.click, GEO_SPAN + " === 360")
        assert browser.execute_script(STOPS_SPREAD) < 80  # the whole world, the route small in it
        redraw(world.click, GEO_SPAN + " < 200")
        assert browser.execute_script(STOPS_SPREAD) > 250
    for index in range(3):
        bar = timeline_badges(browser, "#timeline")[index]
        redraw(lambda: ActionChains(browser).move_to_element(bar).click().perform(),
               "var t = document.querySelector('#map .js-plotly-plot').data.filter(t => t.meta && "
               f"t.meta.role === 'stops')[0]; return t.marker.size[{index}] === 18")
    redraw(lambda: pick_trip(browser, TRIP), "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                                             ".some(t => t.textContent === '2 Warsaw')")
    assert browser.execute_script("return document.querySelector('#map .js-plotly-plot')._fullLayout.geo.scope") == "europe"
    redraw(lambda: pick_trip(browser, "a-leader-west-africa-tour"),
           "return Array.from(document.querySelectorAll('#map .scattergeo text')).some(t => t.textContent === '4 Accra')")
    redraw(world.click, GEO_SPAN + " === 360")
    assert len(sizes) == 10
    assert all(map_height >= 500 and svg_height >= 500 for map_height, svg_height in sizes), sizes


@pytest.mark.browser
def test_uploads_survive_a_page_reload(live_server, browser, tmp_path):
    open_and_upload(browser, live_server() + "/", tmp_path)
    wait_until(browser, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                        ".map(t => t.textContent).includes('1 Riga')", 30)
    browser.refresh()
    wait_for_map(browser)
    pick_trip(browser, "a-leader-baltic-visit")
    wait_until(browser, "return Array.from(document.querySelectorAll('#map .scattergeo text'))"
                        ".map(t => t.textContent).includes('1 Riga')", 30)


@pytest.mark.browser
def test_dashboard_layout_targets_and_accessibility(live_server, browser):
    """At 1400x900 the map is the hero (at least 55% of the width; title, summary and the whole
    map on the first screen); at 390x844 nothing runs off the side; no two controls overlap and
    no text is cut at either size; axe-core finds nothing serious, before and after a stop is
    chosen."""
    url = live_server() + "/"
    set_viewport(browser, 1400, 900)
    browser.get(url)
    wait_for_map(browser)
    time.sleep(0.5)
    map_box, title, dek = box(browser, "#map"), box(browser, ".trip-header h1"), box(browser, ".trip-header .dek")
    assert map_box["width"] >= 0.55 * 1400 and map_box["bottom"] <= 900 and 0 <= title["top"] <= dek["top"] < map_box["top"]
    assert overlapping_controls(browser) == [] and cut_text(browser) == []
    assert axe_violations(browser) == []
    assert not browser.find_element("id", "candidate-box").is_displayed()  # no picker before a stop is chosen
    set_viewport(browser, 390, 844)
    browser.get(url)  # as a phone opens it
    wait_for_map(browser)
    time.sleep(0.5)
    assert horizontal_overflow(browser) <= 0
    assert overlapping_controls(browser) == [] and cut_text(browser) == []
    assert axe_violations(browser) == []
    set_viewport(browser, 1400, 900)
    browser.execute_script("document.querySelectorAll('.stop-select')[1].click()")
    wait_until(browser, "return document.getElementById('stop-details').innerText.includes('Tusk')", 20)
    assert axe_violations(browser) == []


@pytest.mark.browser
def test_the_map_fills_a_phone_and_keeps_every_label_inside_its_frame(live_server, browser):
    """From 320 px to 1920 px: on a phone the map is drawn across at least 85% of the width, and
    at every size each stop's label stays inside the map's frame."""
    url = live_server() + "/"
    for width, height in ((320, 640), (390, 844), (1400, 900), (1920, 1080)):
        set_viewport(browser, width, height)
        browser.get(url)
        wait_for_map(browser)
        time.sleep(0.5)
        drawn = drawn_map(browser, "#map")
        assert drawn["labels"] == 4 and drawn["cut_labels"] == [], (width, drawn)
        if width < 500:
            assert drawn["share"] >= 0.85, (width, drawn)


@pytest.mark.browser
def test_a_stop_is_chosen_with_the_keyboard_in_the_dashboard(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server() + "/")
    wait_for_map(browser)
    browser.execute_script("document.querySelectorAll('.stop-select')[0].focus()")
    for _ in range(10):  # Tab from the first stop to the second (past any link in between)
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        if focused.get_attribute("class") == "stop-select":
            break
    assert "Warsaw" in focused.text
    assert browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    focused.send_keys(Keys.ENTER)
    wait_until(browser, "return document.getElementById('stop-details').innerText.includes('Tusk')", 20)
    wait_until(browser, "var t = document.querySelector('#map .js-plotly-plot').data.filter(t => t.meta && "
                        "t.meta.role === 'stops')[0]; return t.marker.size[1] === 18", 20)
    assert browser.execute_script("return document.querySelectorAll('.stop-select')[1].getAttribute('aria-pressed')") == "true"


@pytest.mark.browser
def test_play_the_tour_under_the_map(live_server, browser):
    browser.get(live_server() + "/")
    wait_for_map(browser)
    wait_until(browser, "return document.getElementById('tour-day-label').innerText.includes('Day 4 of 4')", 20)
    map_box, controls = box(browser, "#map"), box(browser, ".tour")
    assert controls["top"] >= map_box["bottom"] - 1  # under the map, not on it
    browser.find_element("id", "tour-play").click()
    # From the first day: Kyiv alone, then day by day to the end.
    wait_until(browser, "return document.getElementById('tour-day-label').innerText.includes('Day 1 of 4')", 20)
    wait_until(browser, "return document.getElementById('tour-day-label').innerText.includes('Day 4 of 4')", 20)
    wait_until(browser, "return document.getElementById('tour-play').innerText.includes('Play the tour')", 10)
