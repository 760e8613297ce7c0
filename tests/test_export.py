import json
import os
import re
import subprocess
import sys

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.export import packing
from dashboard.paths import DEFAULT_TRIP
from tests.browser import (
    count,
    country_outline_length,
    foreign_requests,
    make_offline_driver,
    requested_urls,
    stop_markers,
    timeline_badges,
    wait_until,
)
from tests.conftest import REPO
from tests.page_checks import (
    axe_violations,
    box,
    cut_text,
    drawn_map,
    horizontal_overflow,
    overlapping_controls,
    set_viewport,
)
from tests.shipped import SHIPPED_LABELS, SHIPPED_TRIP

DEFAULT = DEFAULT_TRIP
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
    for name, extra in (("full", ["--published", "2025-08-25"]), ("map", ["--variant", "map"]),
                        ("cdn", ["--plotlyjs", "cdn"])):
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


def packed_part(text: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/octet-stream"[^>]*>(.*?)</script>', text, re.DOTALL)
    return packing.unpacked(found.group(1).strip())


def page_data(path) -> dict:
    return json.loads(packed_part(path.read_text(encoding="utf-8"), "page-data"))


def test_file_sizes_and_contents(exported):
    text = exported["full"].read_text()
    # The first trip's page: plotly.js's geo build, the base map and the figures, packed.
    assert exported["full"].stat().st_size < 2 * 1024 * 1024
    assert exported["map"].stat().st_size < exported["full"].stat().st_size
    assert exported["cdn"].stat().st_size < 300 * 1024
    assert 'data-bundle="geo"' in text
    assert b"Plotly" in packed_part(text, "plotly-js")[:2000]
    assert json.loads(packed_part(text, "base-map"))["type"] == "Topology"
    data = page_data(exported["full"])
    assert data["baseMap"] == "europe_50m" and set(data["figures"]) == {"trip-map", "trip-timeline"}
    assert "trip-timeline" not in page_data(exported["map"])["figures"]
    assert 'datetime="2025-08-25">2025-08-25</time>' in text  # SOURCE_DATE_EPOCH
    assert "UN Geospatial" in text and "Source:" in text
    assert "1. Kyiv, Ukraine, Sun 24 Aug 2025" in text  # the plain-text itinerary
    assert text.count('class="stop-select"') == 4
    assert '<meta property="og:title" content="European tour for Ukraine&#39;s security, August 2025">' in text
    assert '<meta property="og:description" content="Mark Carney: 4 stops over 4 day(s)' in text


def test_the_geo_build_is_the_version_plotly_py_writes_for():
    assert packing.bundled_plotly_version() == packing.GEO_BUNDLE_VERSION
    assert packing.packed_plotly("geo")  # the vendored file is there and readable


def test_a_figure_the_geo_build_cannot_draw_gets_the_full_build():
    assert packing.bundle_for([{"data": [{"type": "scattergeo"}, {"type": "scatter"}]}]) == "geo"
    assert packing.bundle_for([{"data": [{"type": "bar"}]}]) == "full"


def test_same_input_gives_byte_identical_output(exported, tmp_path):
    again = tmp_path / "full.html"  # the same name: the embed code names the file
    result = export(DEFAULT, "-o", again, "--published", "2025-08-25",
                    env=dict(os.environ, SOURCE_DATE_EPOCH="1756080000"))
    assert result.returncode == 0
    assert again.read_bytes() == exported["full"].read_bytes()


@pytest.mark.browser
def test_exported_map_draws_offline_with_no_request(exported, offline_browser):
    driver = offline_browser
    for variant in ("full", "map"):
        open_page(driver, exported[variant])
        assert country_outline_length(driver, "trip-map") > 20_000, "country shapes are drawn"
        texts = driver.execute_script(
            "return Array.from(document.querySelectorAll('#trip-map .scattergeo text')).map(t => t.textContent)")
        assert SHIPPED_LABELS <= set(texts)
        assert count(driver, "#trip-map .scattergeo path.js-line") >= 1, "the route is drawn"
        assert foreign_requests(requested_urls(driver)) == []
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []


@pytest.mark.browser
def test_map_timeline_and_itinerary_are_linked_both_ways(exported, offline_browser):
    driver = offline_browser
    open_page(driver, exported["full"])
    assert len(timeline_badges(driver, "#trip-timeline")) == 4
    # A real click on Warsaw's number on the timeline highlights it on the map and opens its events.
    ActionChains(driver).move_to_element(timeline_badges(driver, "#trip-timeline")[1]).click().perform()
    wait_until(driver, "return document.getElementById('trip-map').getAttribute('data-selected') === "
                       f"'{SHIPPED_TRIP}|2'")
    sizes = driver.execute_script("return document.getElementById('trip-map').data"
                                  ".filter(t => t.meta && t.meta.role === 'stops')[0].marker.size")
    assert sizes == [12, 18, 12, 12]
    assert "Donald Tusk" in driver.find_element("id", "stop-details").text
    assert driver.execute_script("return document.querySelector('.stop-select[aria-pressed=true]').dataset.stop") \
        == f"{SHIPPED_TRIP}|2"
    # And a click on Kyiv's marker on the map highlights its number on the timeline.
    point = stop_markers(driver, "#trip-map")[0]
    ActionChains(driver).move_to_element(point).click().perform()
    wait_until(driver, "return document.getElementById('trip-timeline').getAttribute('data-selected') === "
                       f"'{SHIPPED_TRIP}|1'")
    widths = driver.execute_script("return document.getElementById('trip-timeline').data"
                                   ".filter(t => t.meta && t.meta.role === 'stops')[0].marker.line.width")
    assert widths == [3, 2, 2, 2]
    assert "drone" in driver.find_element("id", "stop-details").text
    assert foreign_requests(requested_urls(driver)) == []


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "map"])
def test_a_stop_is_chosen_with_the_keyboard_alone(exported, offline_browser, variant):
    driver = offline_browser
    open_page(driver, exported[variant])
    body = driver.find_element("css selector", "body")
    body.click()
    focused = None
    for _ in range(12):  # Tab through the page to the third stop
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        if focused.get_attribute("data-stop") == f"{SHIPPED_TRIP}|3":
            break
    assert focused.get_attribute("data-stop") == f"{SHIPPED_TRIP}|3"
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # the focus is visible
    focused.send_keys(Keys.ENTER)
    wait_until(driver, "return document.getElementById('trip-map').getAttribute('data-selected') === "
                       f"'{SHIPPED_TRIP}|3'")
    assert "Merz" in driver.find_element("id", "stop-details").text
    assert focused.get_attribute("aria-pressed") == "true"


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "map"])
def test_layout_targets_at_laptop_and_phone_sizes(exported, offline_browser, variant):
    driver = offline_browser
    set_viewport(driver, 1400, 900)
    open_page(driver, exported[variant])
    driver.execute_script("return new Promise(r => setTimeout(r, 300))")
    map_box, title, dek = box(driver, "#trip-map"), box(driver, "h1"), box(driver, ".dek")
    assert map_box["width"] >= 0.55 * 1400
    assert 0 <= title["top"] and dek["bottom"] <= map_box["top"] and map_box["bottom"] <= 900
    drawn = box(driver, "#trip-map .main-svg")
    assert drawn["height"] >= 0.95 * map_box["height"]  # plotly.js filled the box
    assert overlapping_controls(driver) == [] and cut_text(driver) == []
    set_viewport(driver, 390, 844)
    driver.execute_script("window.dispatchEvent(new Event('resize')); return new Promise(r => setTimeout(r, 600))")
    assert horizontal_overflow(driver) <= 0
    assert overlapping_controls(driver) == [] and cut_text(driver) == []
    assert box(driver, "#trip-map")["width"] >= 340


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "map"])
def test_the_map_fills_a_phone_and_keeps_every_label_inside_its_frame(exported, offline_browser, variant):
    driver = offline_browser
    for width, height in ((320, 640), (390, 844), (1400, 900), (1920, 1080)):
        set_viewport(driver, width, height)
        open_page(driver, exported[variant])
        driver.execute_script("return new Promise(r => setTimeout(r, 300))")
        drawn = drawn_map(driver, "#trip-map")
        assert drawn["labels"] == 4 and drawn["cut_labels"] == [], (width, drawn)
        if width < 500:
            assert drawn["share"] >= 0.85, (width, drawn)


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "map"])
def test_no_serious_accessibility_violation(exported, offline_browser, variant):
    driver = offline_browser
    open_page(driver, exported[variant])
    assert axe_violations(driver) == []
    ActionChains(driver).move_to_element(stop_markers(driver, "#trip-map")[1]).click().perform()
    wait_until(driver, "return document.getElementById('stop-details').innerText.includes('Warsaw')")
    assert axe_violations(driver) == []  # with a stop chosen, too


@pytest.mark.browser
def test_the_embed_snippet_sizes_its_iframe_to_the_page(exported, offline_browser, tmp_path):
    import shutil

    page = tmp_path / "full.html"  # the snippet points at the page's own file name
    shutil.copy(exported["full"], page)
    driver = offline_browser
    open_page(driver, page)
    snippet = driver.execute_script("return document.querySelector('.embed textarea').value")
    assert snippet.startswith("<iframe") and 'src="full.html"' in snippet
    host = tmp_path / "article.html"
    host.write_text(f"<!DOCTYPE html><html lang=en><title>Article</title><body><p>Before.</p>{snippet}"
                    "<p id=after>After.</p></body></html>", encoding="utf-8")
    driver.get(host.as_uri())
    wait_until(driver, "return parseFloat(document.querySelector('iframe').style.height) > 1500", 30)
    driver.execute_script("return new Promise(r => setTimeout(r, 1000))")  # let the page settle
    inner = driver.execute_script("return parseFloat(document.querySelector('iframe').style.height)")
    driver.switch_to.frame(driver.find_element("css selector", "iframe"))
    page_height = driver.execute_script("return document.documentElement.getBoundingClientRect().height")
    embed_shown = driver.execute_script("return getComputedStyle(document.querySelector('.embed')).display")
    driver.switch_to.default_content()
    assert abs(inner - page_height) <= 2 and embed_shown == "none"


@pytest.mark.browser
def test_print_stylesheet_and_dark_theme(exported, offline_browser):
    driver = offline_browser
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    open_page(driver, exported["full"])
    assert driver.execute_script("return getComputedStyle(document.querySelector('.embed')).display") == "none"
    assert driver.execute_script("return getComputedStyle(document.querySelector('.stop')).breakInside") == "avoid"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    open_page(driver, exported["full"])
    assert driver.execute_script("return document.documentElement.classList.contains('dark')")
    paper = driver.execute_script("return document.getElementById('trip-map')._fullLayout.paper_bgcolor")
    assert paper == "#15171a"
    assert axe_violations(driver) == []  # the dark theme's contrast too


@pytest.mark.browser
def test_injection_payloads_stay_inert(tmp_path, offline_browser):
    trip = tmp_path / "evil.json"
    trip.write_text(json.dumps(PAYLOAD_TRIP))
    out = tmp_path / "evil.html"
    result = export(trip, "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "<script>window.__pwned" not in text and "<img src=x" not in text
    assert 'href="javascript:' not in text
    assert 'href="https://example.org/report?a=1&amp;b=2"' in text
    driver = offline_browser
    open_page(driver, out)
    point = stop_markers(driver, "#trip-map")[0]
    ActionChains(driver).move_to_element(point).click().perform()
    wait_until(driver, "return document.getElementById('stop-details').textContent.includes('pwned')")
    assert driver.execute_script("return window.__pwned") is None
    assert count(driver, "img") == 0


def test_preview_image_and_social_metadata(tmp_path):
    out = tmp_path / "trip.html"
    result = export(DEFAULT, "-o", out, "--preview", "--base-url", "https://example.org/maps/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "trip.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = out.read_text()
    assert '<meta property="og:image" content="https://example.org/maps/trip.png">' in text
    assert '<link rel="canonical" href="https://example.org/maps/trip.html">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text


def test_cli_reports_a_bad_trip_file_and_an_unknown_trip_id(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = export(bad, "-o", tmp_path / "x.html")
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    result = export(DEFAULT, "-o", tmp_path / "x.html", "--trip", "no-such-trip")
    assert result.returncode == 2
    assert "unknown trip id(s) no-such-trip" in result.stderr and SHIPPED_TRIP in result.stderr


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
    from dashboard.export import ExportError, images

    monkeypatch.setattr(images, "_find_chromium", lambda: None)
    with pytest.raises(ExportError, match="apt-get install chromium"):
        images.write_image(None, None, tmp_path / "x.png")
