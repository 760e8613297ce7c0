"""The first screen: bytes sent and time until the map is drawn, dashboard against export.

    python3 bench/first_screen.py [--runs 3]

Starts `python3 -m dashboard` on a free port with the shipped trip and, in headless Chromium
with an empty browser cache each run (a new browser), at desktop (1400x900) and phone (390x844)
sizes, measures from navigation until the map's four numbered stops are drawn with the map no
longer waiting for a callback (in the page's own clock: a check on every animation frame,
installed before the page loads, notes the moment), and sums the bytes that crossed the wire for the page and every
request it made (Resource Timing's transferSize: compressed bodies plus headers), beside what
they would be sent plain (decodedBodySize). The standalone export of the same trip is measured
the same way from a local HTTP server (its bytes: the one file, plain and as gzip would send it).
Then a returning reader: the same page loaded again in the same browser (what the cache saves).

First, a newcomer's first start: `python3 -m dashboard` with an empty cache folder (the
gazetteer index not built), timed from the command to its first HTTP 200 and to the shipped
trip's four stops drawn in a browser opened at that first answer (the page shows the index
build's progress, then the trip), with the peak memory of the server and every process it
started, summed (sampled every 0.1 s from /proc). ``--no-cold`` skips it.
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
# The dashboard's trip map is #map (the record's maps below it load later); the export's is
# its only geo figure.
DRAWN = ("return document.querySelectorAll(document.querySelector('#map') ? '#map .scattergeo text' : "
         "'.js-plotly-plot .scattergeo text').length >= 4 && !document.querySelector('#map[data-dash-is-loading=\"true\"]')")
NOTE_DRAWN = f"""(function () {{
  function drawn() {{ {DRAWN}; }}
  function check() {{ if (drawn()) {{ window.mapDrawnAt = performance.now(); }} else {{ requestAnimationFrame(check); }} }}
  requestAnimationFrame(check);
}})();"""


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(url: str, size: tuple[int, int], runs: int) -> dict:
    from browser import make_driver

    drawn, sent, plain, again = [], [], [], []
    for _ in range(runs):
        driver = make_driver(*size)  # a new browser: an empty cache
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NOTE_DRAWN})
            driver.get(url)
            started = time.perf_counter()
            while driver.execute_script("return window.mapDrawnAt === undefined"):
                if time.perf_counter() - started > 60:
                    raise TimeoutError(f"the map of {url} was not drawn within 60 s")
                time.sleep(0.05)
            drawn.append(driver.execute_script("return window.mapDrawnAt") / 1000)
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


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and its descendants now, in MB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(rss.get(pid, 0) for pid in tree) / 1024


def cold_start() -> dict:
    """A first start with an empty cache: seconds to the first HTTP 200 and to the stops
    drawn, and the peak summed memory of the processes."""
    import urllib.request

    from browser import make_driver
    from tests.conftest import free_port

    port = free_port()
    with tempfile.TemporaryDirectory() as cache:
        env = dict(__import__("os").environ, TRIPVIZ_CACHE_DIR=cache)
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak, stop = [0.0], threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_mb(server.pid))
                time.sleep(0.1)

        threading.Thread(target=sample, daemon=True).start()
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
                if time.perf_counter() - started > 120:
                    raise TimeoutError("the dashboard did not answer within 120 s")
            answered = time.perf_counter() - started
            driver = make_driver(*SIZES["desktop"])
            try:
                driver.get(f"http://127.0.0.1:{port}/")
                while not driver.execute_script(DRAWN):
                    if time.perf_counter() - started > 180:
                        raise TimeoutError("the stops were not drawn within 180 s")
                    time.sleep(0.05)
                drawn = time.perf_counter() - started
            finally:
                driver.quit()
        finally:
            stop.set()
            server.terminate()
            server.wait(10)
    return dict(answered=answered, drawn=drawn, peak_mb=peak[0])


def report(label: str, result: dict) -> None:
    print(f"{label:<22} map drawn {result['drawn']:.2f} s; sent {result['sent'] / 1e6:.2f} MB "
          f"({result['plain'] / 1e6:.2f} MB plain); loaded again with the browser's cache: "
          f"{result['again'] / 1e6:.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true", help="skip the first start with an empty cache")
    args = parser.parse_args()
    from tests.conftest import free_port, wait_for_http

    if not args.no_cold:
        cold = cold_start()
        print(f"first start, empty cache: HTTP 200 after {cold['answered']:.1f} s, the trip's stops drawn after "
              f"{cold['drawn']:.1f} s; peak memory of the server and its processes {cold['peak_mb']:.0f} MB")

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
