"""Dashboard speed.

    python3 bench/dashboard_speed.py

1. Cold start: from `python3 -m dashboard` to the first HTTP 200 on `/`, side by side with a
   bare Dash app that imports exactly the modules the started dashboard has loaded (median of 5
   each, alternating).
2. Switching trips with 1,000 stops loaded (50 trips of 20 stops), and with one trip of 1,000
   stops: the server-side callback (render_trip) plus the JSON encoding Dash does.
3. First load in headless Chromium: navigation until the country shapes and the four numbered
   markers are drawn and no request is pending.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

# The bare app imports exactly the modules the dashboard has loaded once it has started and
# built its first page (found by MODULES_PROBE in a separate process), so the difference between
# the two is the dashboard's own work: reading the trips, placing them, building the layout.
MODULES_PROBE = """
import json, sys
from dashboard.app import create_app
create_app().layout()
print(json.dumps(sorted(m for m in sys.modules if m != "__main__" and m.split(".")[0] != "dashboard")))
"""
BARE_APP = """
import importlib, json, sys
failed = 0
for name in json.load(open(sys.argv[2])):
    try:
        importlib.import_module(name)
    except Exception:
        failed += 1
from dash import Dash, dcc, html
app = Dash(__name__)
app.layout = html.Div([html.H1("bare"), dcc.Graph(figure={})])
app.run(host="127.0.0.1", port=int(sys.argv[1]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_to_first_200(command: list[str], port: int) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.01)
            if time.perf_counter() - started > 60:
                raise TimeoutError(command)
    finally:
        process.terminate()
        process.wait(10)


def cold_start() -> None:
    folder = Path(tempfile.mkdtemp())
    bare, modules = folder / "bare_app.py", folder / "modules.json"
    bare.write_text(BARE_APP)
    probe = subprocess.run([sys.executable, "-c", MODULES_PROBE], cwd=REPO, capture_output=True, text=True, check=True)
    modules.write_text(probe.stdout.strip().splitlines()[-1])
    print(f"bare app imports the dashboard's {len(json.loads(modules.read_text()))} loaded modules")
    ours, theirs = [], []
    for _ in range(5):
        port = free_port()
        theirs.append(time_to_first_200([sys.executable, str(bare), str(port), str(modules)], port))
        port = free_port()
        ours.append(time_to_first_200([sys.executable, "-m", "dashboard", "--port", str(port)], port))
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"cold start to first 200 on /: dashboard {statistics.median(ours):.2f} s, bare Dash app with the same "
          f"imports {statistics.median(theirs):.2f} s (medians of 5) -> ratio {ratio:.2f}")


def switching() -> None:
    import pandas as pd
    from plotly.utils import PlotlyJSONEncoder

    from dashboard import state
    from dashboard.features import trip_view
    from dashboard.itinerary import Itinerary, events_frame, stops_frame

    def catalogue(trips: int, per_trip: int) -> dict:
        rows, events = [], []
        for i in range(trips * per_trip):
            trip = i // per_trip
            day = pd.Timestamp("2020-01-01") + pd.Timedelta(days=i)
            rows.append(dict(trip_id=f"t{trip}", trip=f"Tour {trip}", leader="Leader", stop_no=i % per_trip + 1,
                             place=f"Place {i}", country=None, arrive=day, depart=day, arrive_has_time=False,
                             depart_has_time=False, utc_offset=None, lat=(i * 7) % 140 - 60.0, lon=(i * 37) % 360 - 180.0,
                             source=None, inferred="", note=None, file="x", location=f"row {i + 2}"))
            events.append(dict(trip_id=f"t{trip}", stop_no=i % per_trip + 1, event_no=1, time=None, text="Talks",
                               kind="meeting", people="", source="x", inferred=False))
        stops = stops_frame(rows).assign(country_code="XX", country_name="Somewhere", precision="city",
                                         matched_name="x", geo_source="gazetteer", geo_match="exact",
                                         candidates="[]", geocode_note=None)
        trips_frame = pd.DataFrame([dict(trip_id=f"t{t}", trip=f"Tour {t}", leader="Leader", leader_role=None,
                                         description=None, file="x") for t in range(trips)])
        return state.to_store(Itinerary(stops, events_frame(events), trips_frame), stops)

    for label, store, trip_ids in (("50 trips x 20 stops", catalogue(50, 20), ["t3", "t17", "t42"]),
                                   ("1 trip x 1,000 stops", catalogue(1, 1000), ["t0"])):
        samples = []
        for _ in range(5):
            for trip_id in trip_ids:
                started = time.perf_counter()
                outputs = trip_view.render_trip(trip_id, store, None, None, [])
                json.dumps(outputs, cls=PlotlyJSONEncoder)
                samples.append(time.perf_counter() - started)
        print(f"switching trips, {label} loaded: callback + JSON encoding median {statistics.median(samples) * 1000:.0f} ms, "
              f"max {max(samples) * 1000:.0f} ms")


def first_load() -> None:
    from browser import country_outline_length, make_driver

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = make_driver(1400, 1000)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        samples = []
        for _ in range(3):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(f"http://127.0.0.1:{port}/")
            while not (country_outline_length(driver, "map") > 0 and driver.execute_script(
                    "return document.querySelectorAll('#map .scattergeo text').length >= 4 && "
                    "!document.querySelector('[data-dash-is-loading=\"true\"]')")):
                time.sleep(0.02)
            samples.append(time.perf_counter() - started)
        print(f"first load in headless Chromium until the map is drawn: median {statistics.median(samples):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in samples)}; the first run has a cold browser cache)")
    finally:
        driver.quit()
        server.terminate()
        server.wait(10)


def main() -> int:
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "0")
    cold_start()
    switching()
    first_load()
    return 0


if __name__ == "__main__":
    sys.exit(main())
