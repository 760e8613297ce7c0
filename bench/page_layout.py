"""The publication targets, measured in headless Chromium at 1400x900 and 390x844, for the
dashboard (first trip) and both export variants: the map's width as a share of the viewport
(the figure's box, and the map plotly.js drew in it), stop labels crossing the map's frame,
whether the title, summary and whole map fit the first screen, horizontal overflow, overlapping
controls, cut text and axe-core's serious or critical violations; and a screenshot of each
under docs/screenshots/ (first screen; add --full for whole pages).

    python3 bench/page_layout.py [--prefix after] [--full]

Needs Chromium and chromedriver, and axe-core (npm ci --prefix tests/axe) for the axe count.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SIZES = ((1400, 900), (390, 844))


def measure(driver, map_selector: str, title: str, dek: str) -> dict:
    from tests.page_checks import (
        AXE,
        axe_violations,
        box,
        cut_text,
        drawn_map,
        horizontal_overflow,
        overlapping_controls,
    )

    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    map_box, title_box, dek_box = box(driver, map_selector), box(driver, title), box(driver, dek)
    drawn = drawn_map(driver, map_selector)
    return {
        "map width": f"{map_box['width'] / width:.0%}",
        "map drawn across": f"{drawn['share']:.0%}",
        "labels cut by the frame": len(drawn["cut_labels"]),
        "first screen": "yes" if title_box["top"] >= 0 and dek_box["bottom"] <= map_box["top"] and map_box["bottom"] <= height
        else f"no (map bottom {map_box['bottom']:.0f} px of {height})",
        "overflow px": max(0, round(horizontal_overflow(driver))),
        "overlaps": len(overlapping_controls(driver)),
        "cut text": len(cut_text(driver)),
        "axe serious+critical": len(axe_violations(driver)) if AXE.exists() else "axe-core not installed",
    }


def shoot(driver, path: Path, full: bool) -> None:
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        width = driver.execute_script("return window.innerWidth")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
        time.sleep(0.5)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full})
    path.write_bytes(base64.b64decode(shot["data"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="after")
    parser.add_argument("--full", action="store_true", help="whole-page screenshots")
    args = parser.parse_args()
    from tests.browser import make_driver
    from tests.conftest import free_port, wait_for_http
    from tests.page_checks import set_viewport

    work = Path(tempfile.mkdtemp())
    shots = REPO / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = {}
    for variant in ("full", "map"):
        pages[variant] = work / f"{variant}.html"
        subprocess.run([sys.executable, "-m", "dashboard", "export", "-o", str(pages[variant]), "--variant", variant],
                       cwd=REPO, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = make_driver()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        for width, height in SIZES:
            set_viewport(driver, width, height)
            driver.get(f"http://127.0.0.1:{port}/")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not driver.execute_script(
                    "return document.querySelectorAll('#map .scattergeo text').length >= 4"):
                time.sleep(0.2)
            time.sleep(1.0)
            print(f"dashboard {width}x{height}: {measure(driver, '#map', '.trip-header h1', '.trip-header .dek')}")
            shoot(driver, shots / f"{args.prefix}-dashboard-{width}x{height}.png", args.full)
            set_viewport(driver, width, height)
            for variant, page in pages.items():
                driver.get(page.as_uri())
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and driver.execute_script(
                        "return document.body.getAttribute('data-ready')") != "true":
                    time.sleep(0.1)
                time.sleep(0.3)
                print(f"export ({variant}) {width}x{height}: {measure(driver, '#trip-map', 'h1', '.dek')}")
                name = "export" if variant == "full" else "export-map"
                shoot(driver, shots / f"{args.prefix}-{name}-{width}x{height}.png", args.full)
                set_viewport(driver, width, height)
    finally:
        driver.quit()
        server.terminate()
    for variant, page in pages.items():
        print(f"export ({variant}) size: {page.stat().st_size / 1024:,.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
