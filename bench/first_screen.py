"""The first screen: bytes sent and time until the map is drawn, dashboard against export.

    python3 bench/first_screen.py [--runs 3]

Starts `python3 -m dashboard` on a free port with the shipped trip and, in headless Chromium
with an empty browser cache each run (a new browser), at desktop (1400x900) and phone (390x844)
sizes, measures from navigation until the map's country shapes and four numbered stops are drawn
and no callback is pending, and sums the bytes that crossed the wire for the page and every
request it made (Resource Timing's transferSize: compressed bodies plus headers), beside what
they would be sent plain (decodedBodySize). The standalone export of the same trip is measured
the same way from a local HTTP server (its bytes: the one file, plain and as gzip would send it).
Then a returning reader: the same page loaded again in the same browser (what the cache saves).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the browser helpers the tests use

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
BYTES = """
const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
return [entries.reduce((s, e) => s + (e.transferSize || 0), 0),
        entries.reduce((s, e) => s + (e.decodedBodySize || 0), 0), entries.length];
"""
DRAWN = ("return document.querySelectorAll('#map .scattergeo text, .js-plotly-plot .scattergeo text').length >= 4 && "
         "!document.querySelector('[data-dash-is-loading=\"true\"]')")


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(url: str, size: tuple[int, int], runs: int) -> dict:
    from browser import country_outline_length, make_driver

    drawn, sent, plain, again = [], [], [], []
    for _ in range(runs):
        driver = make_driver(*size)  # a new browser: an empty cache
        try:
            started = time.perf_counter()
            driver.get(url)
            while not (country_outline_length(driver, "map") > 0 or driver.execute_script(
                    "return document.querySelectorAll('.js-plotly-plot .geo path').length > 0")) \
                    or not driver.execute_script(DRAWN):
                time.sleep(0.02)
            drawn.append(time.perf_counter() - started)
            time.sleep(0.5)  # late requests (panels below the fold) count too
            transfer, decoded, _ = driver.execute_script(BYTES)
            sent.append(transfer)
            plain.append(decoded)
            driver.get("about:blank")
            driver.get(url)
            time.sleep(1.5)
            again.append(driver.execute_script(BYTES)[0])
        finally:
            driver.quit()
    return dict(drawn=statistics.median(drawn), sent=statistics.median(sent), plain=statistics.median(plain),
                again=statistics.median(again))


def report(label: str, result: dict) -> None:
    print(f"{label:<22} map drawn {result['drawn']:.2f} s; sent {result['sent'] / 1e6:.2f} MB "
          f"({result['plain'] / 1e6:.2f} MB plain); loaded again with the browser's cache: "
          f"{result['again'] / 1e6:.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from tests.conftest import free_port, wait_for_http

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "trip.html"
        subprocess.run([sys.executable, "-m", "dashboard", "export", "-o", str(page)], cwd=REPO, check=True,
                       capture_output=True)
        handler = functools.partial(QuietFiles, directory=folder)
        files = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=files.serve_forever, daemon=True).start()
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=90)
            results = {}
            for name, size in SIZES.items():
                results[("dashboard", name)] = measure(f"http://127.0.0.1:{port}/", size, args.runs)
                results[("export", name)] = measure(f"http://127.0.0.1:{files.server_port}/trip.html", size,
                                                    args.runs)
            for (what, name), result in results.items():
                report(f"{what}, {name}", result)
            raw = page.read_bytes()
            print(f"export file: {len(raw) / 1e6:.2f} MB plain, {len(gzip.compress(raw)) / 1e6:.2f} MB gzipped "
                  "(the local server here sends it plain, as a file:// page reads it)")
            for name in SIZES:
                ratio = results[("dashboard", name)]["drawn"] / results[("export", name)]["drawn"]
                print(f"{name}: the dashboard draws its map {ratio:.1f}x the export's time")
        finally:
            files.shutdown()
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
