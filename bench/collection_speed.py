"""Collections: the presidents' travel records (../shared) and a collection ten times larger
generated from them (each file's records copied ten times under new travellers and record ids;
written to a temporary folder, never committed).

    python3 bench/collection_speed.py

Prints, for both: `check` (load, validate, geocode every stop, list the problems) as a command,
process start included (median of 3); switching traveller in the dashboard (the collection
callback's server time and response size, median over the 10 travellers with most trips);
opening the largest trip (server time, response size); and the time headless Chromium takes
from navigation to the collection map of the traveller with most trips being drawn (median of 3).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RECORDS = REPO.parent / "shared/datasets/hs-president-travels"


def tenfold(target: Path) -> Path:
    """Each presidents' file ten times over: new 'who', traveller name and record ids."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(RECORDS.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        for copy in range(10):
            body = re.sub(r'who="([^"]+)"', lambda m: f'who="{m.group(1)}-{copy}"', text)
            body = re.sub(r"<name>([^<]+)</name>", lambda m: f"<name>{m.group(1)} ({copy})</name>", body)
            body = re.sub(r"<id>(\d+)</id>", lambda m: f"<id>{int(m.group(1)) + 100_000 * copy}</id>", body)
            (target / f"{path.stem}-{copy}.xml").write_text(body, encoding="utf-8")
    return target


def check_seconds(folder: Path) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dashboard", "check", str(folder), "--keep-going"], cwd=REPO,
                       capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def server_side(folder: Path) -> None:
    from dash._utils import to_json

    from dashboard import countries, state
    from dashboard.features import traveller_record, trip_view
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.sources import load_itinerary

    loaded = load_itinerary(folder)
    resolver = PlaceResolver()
    store = state.to_store(loaded, resolver.geocode_stops(loaded.stops))
    iso3, continents = countries.iso3_codes(), countries.continents()
    top = [name for name, _ in state.leaders(store)[:10]]
    times, sizes = [], []
    for name in top:
        started = time.perf_counter()
        out = traveller_record.render_collection(name, None, "tour", None, None, store, None, iso3, continents)
        body = to_json(out)
        times.append(time.perf_counter() - started)
        sizes.append(len(body))
    print(f"  switching traveller (collection callback, incl. JSON): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms; response median {statistics.median(sizes) / 1e3:.0f} KB, "
          f"max {max(sizes) / 1e3:.0f} KB")
    started = time.perf_counter()
    out = traveller_record.render_collection(top[0], top[1], "year", None, "London", store, None, iso3, continents)
    to_json(out)
    print(f"  compare + search ({top[0]} with {top[1]}): {(time.perf_counter() - started) * 1000:.0f} ms")
    largest = max(store["trips"], key=lambda t: sum(1 for s in store["stops"] if s["trip_id"] == t["trip_id"]))
    n_stops = sum(1 for s in store["stops"] if s["trip_id"] == largest["trip_id"])
    started = time.perf_counter()
    body = to_json(trip_view.render_trip(largest["trip_id"], store, None, None, []))
    print(f"  opening the largest trip ({n_stops} stops): {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"response {len(body) / 1e3:.0f} KB")


def browser_draw(folder: Path) -> None:
    from tests.browser import make_driver, wait_until
    from tests.conftest import free_port, wait_for_http

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--data", str(folder)],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", 120)
        runs = []
        for _ in range(3):
            driver = make_driver(1400, 2400)
            try:
                started = time.perf_counter()
                driver.get(f"http://127.0.0.1:{port}/")
                wait_until(driver, "var s = document.getElementById('collection-summary');"
                                   "return s && s.innerText.includes('trip(s)') && "
                                   "document.querySelectorAll('#collection-map .scattergeo .point').length > 50", 120)
                runs.append(time.perf_counter() - started)
            finally:
                driver.quit()
        print(f"  headless Chromium, navigation to the collection map drawn: median {statistics.median(runs):.2f} s")
        # Switching traveller on a loaded page: to the traveller with most trips and back.
        driver = make_driver(1400, 2400)
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            wait_until(driver, "return document.querySelectorAll('#collection-map .scattergeo .point').length > 50", 120)
            options = [o["value"] for o in _traveller_options(folder)]
            switches = []
            for name in options[1:4] + options[:1]:
                started = time.perf_counter()
                driver.execute_script("window.dash_clientside.set_props('traveller', {value: arguments[0]})", name)
                _wait_summary(driver, name)
                switches.append(time.perf_counter() - started)
            print(f"  headless Chromium, switching traveller until the record is drawn: median "
                  f"{statistics.median(switches):.2f} s; to the traveller with most trips {switches[-1]:.2f} s")
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(10)


def _traveller_options(folder: Path) -> list[dict]:
    from dashboard import state
    from dashboard.features import traveller_record
    from dashboard.sources import load_itinerary

    loaded = load_itinerary(folder)
    store = {"stops": [], "events": [], "trips": state._records(loaded.trips)}
    return traveller_record.traveller_options(store, None)


def _wait_summary(driver, name: str, timeout: float = 60.0) -> None:
    """Until the summary names the traveller and plotly has drawn that traveller's map."""
    deadline = time.monotonic() + timeout
    script = ("var s = document.getElementById('collection-summary').innerText;"
              "var gd = document.querySelector('#collection-map .js-plotly-plot');"
              "return s.startsWith(arguments[0] + ':') && gd && gd._fullLayout && "
              "document.querySelectorAll('#collection-map .scattergeo .point').length > 0;")
    while time.monotonic() < deadline:
        if driver.execute_script(script, name):
            return
        time.sleep(0.02)
    raise TimeoutError(name)


def main() -> int:
    if not RECORDS.is_dir():
        print(f"{RECORDS} is missing: this benchmark needs ../shared beside the repository")
        return 1
    with tempfile.TemporaryDirectory() as work:
        big = tenfold(Path(work) / "tenfold")
        for label, folder in (("presidents (21 files, 832 records)", RECORDS),
                              ("ten times larger (210 files, 8,320 records)", big)):
            print(label)
            print(f"  check (load + geocode, process start included): {check_seconds(folder):.2f} s")
            server_side(folder)
            browser_draw(folder)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
