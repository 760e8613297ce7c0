"""Export of the first trip: file sizes of the full page (map, timeline, itinerary), the map-only
variant and the CDN variant, export time, and how long headless Chromium takes from opening the
page from file:// with the network off to the map drawn (plotly.js, base map and figures
unpacked by the browser first).

    python3 bench/export_speed.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    out = Path(tempfile.mkdtemp())
    env = dict(os.environ, SOURCE_DATE_EPOCH="1756080000")
    for name, extra in (("inline.html", []), ("map-only.html", ["--variant", "map"]),
                        ("cdn.html", ["--plotlyjs", "cdn"])):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "dashboard", "export", "-o", str(out / name), *extra],
                           cwd=REPO, check=True, capture_output=True, env=env)
            runs.append(time.perf_counter() - started)
        print(f"{name}: {(out / name).stat().st_size / 1024 / 1024:.2f} MB "
              f"({(out / name).stat().st_size / 1024:,.0f} KB); export command {statistics.median(runs):.2f} s "
              "median, process start included")

    from dashboard.export import standalone_html
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.paths import DEFAULT_TRIP
    from dashboard.sources import load_itinerary

    itinerary = load_itinerary(DEFAULT_TRIP)
    placed = PlaceResolver().geocode_stops(itinerary.stops)
    started = time.perf_counter()
    standalone_html(placed, itinerary.events)
    print(f"export in-process (figure + page, index warm): {(time.perf_counter() - started) * 1000:.0f} ms")

    sys.path.insert(0, str(REPO / "tests"))
    from browser import country_outline_length, make_driver  # noqa: E402

    driver = make_driver()
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        samples = []
        for _ in range(3):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get((out / "inline.html").as_uri())
            while country_outline_length(driver, "trip-map") == 0:
                time.sleep(0.02)
            samples.append(time.perf_counter() - started)
        print(f"headless Chromium, file:// with network off, until country shapes are drawn: "
              f"{statistics.median(samples):.2f} s median of 3")
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
