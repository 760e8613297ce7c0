import json
import os
import subprocess
import sys

import pytest

from tests.browser import (
    count,
    country_outline_length,
    foreign_requests,
    make_offline_driver,
    requested_urls,
    stop_markers,
    wait_until,
)
from tests.conftest import REPO

DEFAULT = REPO / "data/trips/carney-europe-2025-08.json"
PAYLOAD_TRIP = {
    "title": "<script>window.__pwned=1</script>Tour",
    "leader": "<img src=x onerror=\"window.__pwned=2\">",
    "stops": [
        {"place": "<img src=x onerror=\"window.__pwned=3\">", "country": "UA", "lat": 50.45, "lon": 30.52,
         "arrive": "2025-08-24", "depart": "2025-08-24",
         "events": [{"text": "</script><script>window.__pwned=4</script>", "kind": "meeting",
                     "source": "javascript:window.__pwned=5"}]},
        {"place": "Warsaw", "country": "PL", "arrive": "2025-08-25", "depart": "2025-08-25",
         "events": [{"text": "Talks", "source": "https://example.org/report?a=1&b=2"}]},
    ],
}


def export(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=180, env=env or dict(os.environ))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1756080000")
    paths = {}
    for name, extra in (("map", []), ("timeline", ["--with-timeline"]), ("cdn", ["--plotlyjs", "cdn"])):
        paths[name] = folder / f"{name}.html"
        result = export(DEFAULT, "-o", paths[name], *extra, env=env)
        assert result.returncode == 0, result.stderr
    return paths


@pytest.fixture
def offline_browser():
    driver = make_offline_driver()
    yield driver
    driver.quit()


def open_page(driver, path):
    driver.get(path.as_uri())
    wait_until(driver, "return document.body.getAttribute('data-ready') === 'true'")
    wait_until(driver, "return document.querySelectorAll('#trip-map .layer.countries path').length > 0")


def test_file_sizes_and_contents(exported):
    text = exported["map"].read_text()
    assert exported["map"].stat().st_size < 5.5 * 1024 * 1024
    assert exported["cdn"].stat().st_size < 600 * 1024
    assert "window.PlotlyGeoAssets" in text and '"europe_50m"' in text
    assert text.index("window.PlotlyGeoAssets") < text.index("Plotly.newPlot")
    assert "Generated on 2025-08-25" in text
    assert "UN Geospatial" in text and "Source:" in text
    assert "1. Kyiv, Ukraine, Sun 24 Aug 2025" in text


def test_same_input_gives_byte_identical_output(exported, tmp_path):
    again = tmp_path / "again.html"
    result = export(DEFAULT, "-o", again, env=dict(os.environ, SOURCE_DATE_EPOCH="1756080000"))
    assert result.returncode == 0
    assert again.read_bytes() == exported["map"].read_bytes()


@pytest.mark.browser
def test_exported_map_draws_offline_with_no_request(exported, offline_browser):
    driver = offline_browser
    open_page(driver, exported["map"])
    assert country_outline_length(driver, "trip-map") > 20_000, "country shapes are drawn"
    texts = driver.execute_script(
        "return Array.from(document.querySelectorAll('#trip-map .scattergeo text')).map(t => t.textContent)")
    assert {"1 Kyiv", "2 Warsaw", "3 Berlin", "4 Ādaži Military Base"} <= set(texts)
    assert count(driver, "#trip-map .scattergeo path.js-line") >= 1, "the route is drawn"
    assert foreign_requests(requested_urls(driver)) == []
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


@pytest.mark.browser
def test_with_timeline_page_links_clicks_both_ways(exported, offline_browser):
    driver = offline_browser
    open_page(driver, exported["timeline"])
    assert count(driver, "#trip-timeline .bars path") == 4
    # A real click on Warsaw's bar on the timeline highlights it on the map and opens its events.
    from selenium.webdriver.common.action_chains import ActionChains

    bar = driver.find_elements("css selector", "#trip-timeline .bars .point path")[1]
    ActionChains(driver).move_to_element(bar).click().perform()
    wait_until(driver, "return document.getElementById('trip-map').getAttribute('data-selected') === "
                       "'carney-europe-2025-08|2'")
    sizes = driver.execute_script("return document.getElementById('trip-map').data"
                                  ".filter(t => t.meta && t.meta.role === 'stops')[0].marker.size")
    assert sizes == [12, 18, 12, 12]
    assert "Donald Tusk" in driver.find_element("id", "stop-details").text
    # And a click on Kyiv's marker on the map highlights its bar on the timeline.
    point = stop_markers(driver, "#trip-map")[0]
    ActionChains(driver).move_to_element(point).click().perform()
    wait_until(driver, "return document.getElementById('trip-timeline').getAttribute('data-selected') === "
                       "'carney-europe-2025-08|1'")
    widths = driver.execute_script("return document.getElementById('trip-timeline').data[0].marker.line.width")
    assert widths == [3, 0, 0, 0]
    assert "drone" in driver.find_element("id", "stop-details").text
    assert foreign_requests(requested_urls(driver)) == []


@pytest.mark.browser
def test_injection_payloads_stay_inert(tmp_path, offline_browser):
    trip = tmp_path / "evil.json"
    trip.write_text(json.dumps(PAYLOAD_TRIP))
    out = tmp_path / "evil.html"
    result = export(trip, "-o", out, "--with-timeline")
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "<script>window.__pwned" not in text and "<img src=x" not in text
    assert 'href="javascript:' not in text
    assert 'href="https://example.org/report?a=1&amp;b=2"' in text
    driver = offline_browser
    open_page(driver, out)
    point = stop_markers(driver, "#trip-map")[0]
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).move_to_element(point).click().perform()
    wait_until(driver, "return document.getElementById('stop-details').textContent.includes('pwned')")
    assert driver.execute_script("return window.__pwned") is None
    assert count(driver, "img") == 0


def test_cli_reports_a_bad_trip_file_and_an_unknown_trip_id(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = export(bad, "-o", tmp_path / "x.html")
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    result = export(DEFAULT, "-o", tmp_path / "x.html", "--trip", "no-such-trip")
    assert result.returncode == 2
    assert "unknown trip id(s) no-such-trip" in result.stderr and "carney-europe-2025-08" in result.stderr


@pytest.mark.browser
def test_png_and_svg_use_the_offline_base_map(tmp_path):
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    for path in (png, svg):
        result = export(DEFAULT, "-o", path)
        assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    text = svg.read_text()
    assert "countries" in text and "Kyiv" in text


def test_image_export_without_chromium_says_what_to_install(tmp_path, monkeypatch):
    from dashboard import export as export_module

    monkeypatch.setattr(export_module, "_find_chromium", lambda: None)
    with pytest.raises(export_module.ExportError, match="apt-get install chromium"):
        export_module.write_image(None, None, tmp_path / "x.png")
