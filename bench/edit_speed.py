"""Authoring speed (issue 21): the server time each edit costs on a 200-stop trip.

    python3 bench/edit_speed.py [--stops 200] [--rounds 3]

Serves the dashboard in this process (the app factory, a threaded WSGI server on a free port)
on a generated trip of N stops (real coordinates drawn from the offline gazetteer's largest
places, a day each, an event on every stop), and drives it in headless Chromium through the
editor's own controls: a note saved, a place changed (geocoded again), a stop added after the
chosen one, moved up and down, an event added, the stop deleted, undo, redo, the trip's title
saved. For each edit it sums the server's time over every callback request the edit caused
(measured in the server around each request to /_dash-update-component, JSON parsing and
serialising included; the figures redrawn for the whole trip are part of it). "Server busy" is
the time the server was serving at least one of them (the union of their intervals: requests
of one edit run side by side on the server's threads, and their times summed, also shown,
count the same moments twice); "CPU" is the CPU time of the threads that served them. Then
the slowest request and the wall time from the click until the page is quiet (no callback
pending, none for 0.4 s, which that figure includes). The browser runs on the same machine
and competes for its cores. Target: each edit under 300 ms of server time.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEBUG = "--debug" in sys.argv
SAVED: list[bytes] = []  # --debug: the requests' bodies, to replay under a profiler
QUIET = ("return !document.querySelector('[data-dash-is-loading=\"true\"]') && "
         "document.querySelectorAll('#map .scattergeo .point').length > 0")


def generated_trip(path: Path, stops: int) -> None:
    """A trip of ``stops`` stops at the gazetteer's largest places, one a day from 2025-01-01."""
    import pandas as pd

    from dashboard.geocoding.index import ensure_index
    from dashboard.geocoding.gazetteer import Gazetteer

    ensure_index(progress=False)
    # The most important cities, one per name (the index's own ranking).
    rows = Gazetteer()._db.execute(
        "SELECT name, cc, lat, lon FROM place WHERE kind = 'city' ORDER BY importance DESC LIMIT ?", (stops * 3,)).fetchall()
    places = list({name: (name, cc, lat, lon) for name, cc, lat, lon in reversed(rows)}.values())[::-1][:stops]
    days = pd.date_range("2025-01-01", periods=stops, freq="D")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["trip", "leader", "place", "country", "arrive", "depart", "lat", "lon", "events"])
        for (name, country, lat, lon), day in zip(places, days):
            writer.writerow(["A long tour", "A Leader", name, country, f"{day:%Y-%m-%d}", f"{day:%Y-%m-%d}",
                             lat, lon, f"[meeting] Talks in {name}"])


class Timings:
    """Server time of each callback request, recorded around the request in the server."""

    def __init__(self, server):
        self.lock, self.records = threading.Lock(), []
        local = threading.local()

        @server.before_request
        def _start():
            local.started, local.cpu = time.perf_counter(), time.thread_time()

        @server.after_request
        def _stop(response):
            from flask import request

            if request.path.endswith("_dash-update-component"):
                with self.lock:
                    self.records.append(((time.perf_counter() - local.started) * 1000,
                                         (time.thread_time() - local.cpu) * 1000, local.started, time.perf_counter()))
                    if DEBUG:
                        SAVED.append(request.get_data())
                        print(f"  {(time.perf_counter() - local.started) * 1000:6.0f} ms "
                              f"{(time.thread_time() - local.cpu) * 1000:6.0f} ms CPU "
                              f"{len(response.get_data()) / 1000:8.0f} kB {request.get_json()['output'][:90]}")
            return response

    def take(self) -> list[tuple[float, float]]:
        """(wall ms, CPU ms, start, end) of each request since the last take."""
        with self.lock:
            out, self.records = self.records, []
        return out


def serve(data: Path):
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from dashboard.app import create_app

    app = create_app(data)
    timings = Timings(app.server)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", timings, server


def busy_ms(records) -> float:
    """How long the server was serving at least one of the requests (their intervals' union):
    requests that run side by side count once."""
    total, reach = 0.0, None
    for start, end in sorted((r[2], r[3]) for r in records):
        if reach is None or start > reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total * 1000


def settle(driver, timings: Timings, started: float) -> tuple[list[tuple], float]:
    """Wait until no callback is pending and none has come for 0.4 s; the edit's requests."""
    from browser import wait_until

    records, quiet_since = [], None
    while True:
        wait_until(driver, QUIET, 60)
        fresh = timings.take()
        records += fresh
        now = time.perf_counter()
        if fresh or quiet_since is None:
            quiet_since = now
        elif now - quiet_since > 0.4:
            return records, quiet_since - started
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--debug", action="store_true", help="print each callback request's time, size and outputs")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests"))
    from browser import make_driver, wait_until
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    folder = Path(tempfile.mkdtemp())
    generated_trip(folder / "long-tour.csv", args.stops)
    url, timings, server = serve(folder / "long-tour.csv")
    driver = make_driver(1400, 1000)

    def set_field(field_id: str, text: str) -> None:
        control = driver.find_element(By.ID, field_id)
        control.send_keys(Keys.CONTROL, "a")
        control.send_keys(Keys.DELETE)
        control.send_keys(text)

    def press(button_id: str):
        return lambda: driver.execute_script(f"document.getElementById('{button_id}').click()")

    def keyboard(*sequence):
        def run():
            driver.execute_script("document.activeElement.blur()")
            chain = ActionChains(driver).key_down(Keys.CONTROL)
            for key in sequence:
                chain = chain.key_down(key)
            chain = chain.send_keys("z")
            for key in reversed((Keys.CONTROL, *sequence)):
                chain = chain.key_up(key)
            chain.perform()
        return run

    middle = args.stops // 2
    edits = [
        ("save a note", lambda: set_field("stop-note", "A note typed in"), press("save-stop")),
        ("save a new place (geocoded)", lambda: set_field("stop-place", "Warsaw"), press("save-stop")),
        ("add a stop after it", lambda: set_field("stop-place", "Vilnius"), press("add-stop")),
        ("move the stop up", None, press("move-stop-up")),
        ("move the stop down", None, press("move-stop-down")),
        ("add an event", lambda: set_field("event-text", "Signed an agreement"), press("add-event")),
        ("delete the stop", None, press("delete-stop")),
        ("undo (Ctrl+Z)", None, keyboard()),
        ("redo (Ctrl+Shift+Z)", None, keyboard(Keys.SHIFT)),
        ("save the trip's title", lambda: set_field("trip-title", "A longer tour"), press("save-trip-details")),
    ]
    results: dict[str, list[tuple[float, ...]]] = {name: [] for name, *_ in edits}
    try:
        for _ in range(args.rounds):
            driver.execute_script("sessionStorage.clear()")
            driver.get(url + "/")
            wait_until(driver, f"return document.querySelectorAll('#map .scattergeo .point').length >= {args.stops}", 120)
            driver.execute_script(f"document.querySelectorAll('.stop-select')[{middle - 1}].click()")
            wait_until(driver, f"return document.getElementById('stop-form-title').innerText.startsWith('Stop {middle}:')", 60)
            settle(driver, timings, time.perf_counter())
            for name, prepare, act in edits:
                if DEBUG:
                    print(name)
                if prepare:
                    prepare()
                timings.take()
                started = time.perf_counter()
                act()
                records, wall = settle(driver, timings, started)
                walls, cpus = [r[0] for r in records], [r[1] for r in records]
                results[name].append((busy_ms(records), sum(walls), sum(cpus), max(walls, default=0.0), len(records),
                                      wall * 1000))
    finally:
        driver.quit()
        server.shutdown()
    print(f"{args.stops}-stop trip, {args.rounds} round(s); medians per edit (target: < 300 ms server time)")
    print(f"{'edit':30} {'server busy':>11} {'summed':>7} {'CPU':>5} {'slowest':>8} {'requests':>9} "
          f"{'click to quiet':>15}")
    worst = 0.0
    for name, rows in results.items():
        busy, summed, cpu, slowest, count, wall = (statistics.median(column) for column in zip(*rows))
        worst = max(worst, busy)
        print(f"{name:30} {busy:8.0f} ms {summed:7.0f} {cpu:5.0f} {slowest:8.0f} {count:9.0f} {wall:12.0f} ms")
    print(f"slowest edit: {worst:.0f} ms of server time (busy)")
    if DEBUG:
        import pickle

        (folder / "requests.pickle").write_bytes(pickle.dumps(SAVED))
        print(f"requests saved in {folder / 'requests.pickle'} (the trip: {folder / 'long-tour.csv'})")


if __name__ == "__main__":
    main()
