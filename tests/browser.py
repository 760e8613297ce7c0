"""Headless Chromium for tests: Debian's chromium and chromedriver, with the network log on."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "devtools"}


def make_driver(width: int = 1280, height: int = 1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not shutil.which("chromedriver") and not shutil.which("chromium"):
        pytest.fail("chromium and chromium-driver are not installed; the README's test command installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-test-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def make_offline_driver():
    """A headless Chromium with the network emulated off: a page that needs anything from
    outside fails here as it would on a reader's offline laptop."""
    driver = make_driver()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    return driver


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign_requests(urls: list[str], allowed_hosts: set[str] = frozenset()) -> list[str]:
    """Requests that would leave the machine: anything not local and not to an allowed host."""
    out = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in LOCAL_SCHEMES:
            continue
        if parsed.hostname in allowed_hosts:
            continue
        out.append(url)
    return out


def count(driver, selector: str) -> int:
    return driver.execute_script(f"return document.querySelectorAll({json.dumps(selector)}).length")


def wait_until(driver, script: str, timeout: float = 20.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: d.execute_script(script))


def country_outline_length(driver, figure_id: str) -> int:
    """Length of the drawn country borders' path data: 0 when the base map never loaded."""
    return driver.execute_script(
        "var p = document.querySelectorAll(arguments[0] + ' .layer.countries path');"
        "var n = 0; p.forEach(function (e) { n += (e.getAttribute('d') || '').length; }); return n;",
        f"#{figure_id}")


def stop_markers(driver, figure_selector: str):
    """The numbered stop markers of a map (the scattergeo trace that carries text labels)."""
    return driver.execute_script(
        "var traces = Array.from(document.querySelectorAll(arguments[0] + ' g.trace.scattergeo'));"
        "var stops = traces.find(function (g) { return g.querySelectorAll('text').length > 0; });"
        "return stops ? Array.from(stops.querySelectorAll('path.point')) : [];", figure_selector)


def click_drawn(driver, find, attempts: int = 3) -> None:
    """Click the element ``find(driver)`` returns, finding it again when plotly.js redrew the
    figure between finding and clicking (a resize after the page's lower parts load redraws
    it; the click is meant for whatever is drawn there now)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains

    for attempt in range(attempts):
        try:
            element = find(driver)
            wait_until_still(driver, element)
            ActionChains(driver).move_to_element(element).click().perform()
            return
        except StaleElementReferenceException:
            if attempt == attempts - 1:
                raise


def wait_until_still(driver, element, timeout: float = 10.0) -> None:
    """Scroll ``element`` to the middle of the window and wait until it stays in one place for
    a quarter of a second: a part of the page loading above it (the grid after the map) moves
    it, and a click aimed at where it was lands on something else."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    where = "const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join();"
    deadline = time.monotonic() + timeout
    last = driver.execute_script(where, element)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = driver.execute_script(where, element)
        if now == last:
            return
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        last = driver.execute_script(where, element)


def timeline_badges(driver, figure_selector: str):
    """The stop numbers drawn on a timeline (the scatter trace that writes text), as elements."""
    return driver.execute_script(
        "var t = Array.from(document.querySelectorAll(arguments[0] + ' g.trace.scatter'))"
        ".find(function (g) { return g.querySelector('g.text text'); });"
        "return t ? Array.from(t.querySelectorAll('path.point')) : []", figure_selector)
