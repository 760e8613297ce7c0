"""A desk's load: gunicorn with 4 workers on a real PostgreSQL (a throwaway cluster this script
starts), serving the shipped trips plus the presidents' collection (../shared, when present),
and 50 simulated users for 60 s on loopback, each looping over page loads, trip switches, stop
clicks, edits (saving a trip of their own to the shared store) and HTML exports, through the
same HTTP calls the browser makes (Dash's callback endpoint). Halfway through one worker is
killed (SIGKILL); gunicorn starts another. Each user pauses between actions as a reader does
(--think, uniform between its two bounds in seconds, as locust's wait_time; 0 for none, which
measures the servers' capacity, not a desk's use).

Prints, per action, the count and the p50/p95/max time from request to full response (on
loopback that is the server's time), the errors (split into those in flight when the worker
died and the rest), and whether every acknowledged edit is in the database at the end.

    python3 bench/load_test.py [--users 50] [--seconds 60] [--workers 4] [--think 1,5] [--no-kill]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RECORDS = REPO.parent / "shared/datasets/hs-president-travels"
TOKEN = "bench-editor-token"
WEIGHTS = {"page load": 10, "trip switch": 35, "stop click": 35, "edit": 10, "export": 10}


class Client:
    """One simulated user's keep-alive connection, reopened after a failure."""

    def __init__(self, port: int):
        self.port = port
        self.connection = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise


class Callbacks:
    """Dash callback requests built from the app's own /_dash-dependencies."""

    def __init__(self, dependencies: list[dict]):
        self.by_output = {d["output"]: d for d in dependencies}

    def find(self, fragment: str) -> dict:
        matches = [d for output, d in self.by_output.items() if fragment in output]
        if not matches:
            raise SystemExit(f"no callback writes {fragment}")
        return min(matches, key=lambda d: len(d["output"]))

    def body(self, fragment: str, values: dict, changed: str) -> dict:
        callback = self.find(fragment)
        parts = callback["output"].strip(".").split("...")
        outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1].split("@")[0]} for p in parts]
        fill = lambda items: [dict(id=i["id"], property=i["property"],  # noqa: E731
                                   value=values.get(f"{i['id']}.{i['property']}")) for i in items]
        return {"output": callback["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": fill(callback["inputs"]), "state": fill(callback.get("state", [])),
                "changedPropIds": [changed]}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", default="1,5", help="seconds between a user's actions: LOW,HIGH (default 1,5)")
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(",")) if "," in args.think else (float(args.think),) * 2

    from dashboard.store import open_store
    from tests.conftest import free_port, wait_for_http
    from tests.postgres import Postgres

    postgres = Postgres()
    database = postgres.create_database()
    data = Path(tempfile.mkdtemp(prefix="tripviz-load-"))
    for trip in (REPO / "data/trips").glob("*.json"):
        (data / trip.name).write_bytes(trip.read_bytes())
    records = sorted(RECORDS.glob("*.xml")) if RECORDS.exists() else []
    for path in records:
        (data / path.name).write_bytes(path.read_bytes())
    port = free_port()
    env = dict(os.environ, TRIPVIZ_DATA=str(data), TRIPVIZ_DATABASE_URL=database, TRIPVIZ_EDITOR_TOKEN=TOKEN,
               TRIPVIZ_HOST="127.0.0.1")
    log = open(data / "gunicorn.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "--graceful-timeout", "5", "--preload", "dashboard.app:create_server()"],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=300)
        warm = Client(port)
        started = time.perf_counter()
        for _ in range(4 * args.workers):  # every worker loads (and geocodes) the catalogue once
            warm.request("GET", "/_dash-layout")
        print(f"data: {len(list((REPO / 'data/trips').glob('*.json')))} shipped trip file(s) and "
              f"{len(records)} presidents' record files; warm-up {time.perf_counter() - started:.1f} s")
        status, layout_bytes = warm.request("GET", "/_dash-layout")
        layout = json.loads(layout_bytes)
        trip_ids = [o["value"] for o in _find(layout, "trip-picker")["props"]["options"]]
        status, dependencies = warm.request("GET", "/_dash-dependencies")
        callbacks = Callbacks(json.loads(dependencies))
        print(f"{len(trip_ids)} trips to switch between; {args.users} users for {args.seconds:.0f} s on "
              f"{args.workers} gunicorn workers, {think[0]:g} to {think[1]:g} s between a user's actions; "
              f"{os.cpu_count()} CPU cores")

        results: dict[str, list[tuple[float, float]]] = {name: [] for name in WEIGHTS}  # (start, seconds)
        errors: list[tuple[float, str, str]] = []
        acknowledged: list[tuple[str, int]] = []
        lock = threading.Lock()
        t0 = time.perf_counter()
        stop_at = t0 + args.seconds
        kill_time: list[float] = []

        def user(number: int) -> None:
            rng = random.Random(number)
            client = Client(port)
            own_trip = {"id": f"load-user-{number}", "title": f"Load test trip {number}", "leader": "Load Tester",
                        "stops": [{"place": "Riga", "country": "LV", "arrive": "2025-01-01", "depart": "2025-01-01",
                                   "lat": 56.95, "lon": 24.1}]}
            opened: dict = {}
            from dashboard.sources import parse_itinerary
            from dashboard.state import to_store

            loaded = parse_itinerary(json.dumps(own_trip), "own.json")
            own = to_store(loaded, loaded.stops)  # this user's own trip, as their browser holds it
            # Users arrive over the first seconds, as a desk's readers do, not all in one instant
            # (fifty requests at once would only measure the queue of the first second).
            time.sleep(rng.uniform(*think))
            while time.perf_counter() < stop_at:
                action = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
                trip_id = rng.choice(trip_ids)
                began = time.perf_counter()
                try:
                    if action == "page load":
                        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
                            status, _ = client.request("GET", path)
                            if status != 200:
                                raise RuntimeError(f"{path}: HTTP {status}")
                    elif action in ("trip switch", "stop click"):
                        selection = None
                        if action == "stop click":
                            body = callbacks.body("selection.data", {
                                "map.clickData": {"points": [{"customdata": [trip_id, 1]}]},
                                "trip-picker.value": trip_id}, "map.clickData")
                            status, text = client.request("POST", "/_dash-update-component", body)
                            if status != 200:
                                raise RuntimeError(f"select: HTTP {status}")
                            selection = {"trip_id": trip_id, "stop_no": 1}
                        # A switch changes the trip; a click only the selection (the browser sends which).
                        body = callbacks.body("map.figure", {"trip-picker.value": trip_id, "selection.data": selection,
                                                             "view-options.value": []},
                                              "selection.data" if selection else "trip-picker.value")
                        status, text = client.request("POST", "/_dash-update-component", body)
                        if status != 200 or b'"figure"' not in text:
                            raise RuntimeError(f"render: HTTP {status}")
                    elif action == "edit":
                        own["stops"][0]["note"] = f"edit at {began:.3f}"
                        body = callbacks.body("store-status.children", {
                            "save-trip.n_clicks": 1, "trip-picker.value": own_trip["id"], "catalogue.data": own,
                            "opened-versions.data": opened, "editor-token.value": TOKEN,
                            "editor-name.value": f"user {number}"}, "save-trip.n_clicks")
                        status, text = client.request("POST", "/_dash-update-component", body)
                        if status != 200 or b"Saved as version" not in text:
                            raise RuntimeError(f"save: HTTP {status} {text[:200]!r}")
                        reply = json.loads(text)["response"]
                        opened = reply["opened-versions"]["data"]
                        with lock:
                            acknowledged.append((own_trip["id"], opened[own_trip["id"]]))
                    else:  # export
                        body = callbacks.body("download.data", {"export-html.n_clicks": 1, "trip-picker.value": trip_id},
                                              "export-html.n_clicks")
                        status, text = client.request("POST", "/_dash-update-component", body)
                        if status != 200 or len(text) < 100_000:
                            raise RuntimeError(f"export: HTTP {status}, {len(text)} bytes")
                    with lock:
                        results[action].append((began - t0, time.perf_counter() - began))
                except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                    with lock:
                        errors.append((began - t0, action, str(exc)[:160]))
                time.sleep(rng.uniform(*think))

        cpu_before = {pid: _cpu_seconds(pid) for pid in [server.pid] + _children(server.pid)}
        client_before = time.process_time()
        threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(args.users)]
        for thread in threads:
            thread.start()
        if not args.no_kill:
            time.sleep(args.seconds / 2)
            workers = _children(server.pid)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                kill_time.append(time.perf_counter() - t0)
                print(f"killed worker {workers[0]} at {kill_time[0]:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - t0

        server_cpu = sum(_cpu_seconds(pid) for pid in [server.pid] + _children(server.pid)) - sum(
            v for pid, v in cpu_before.items() if pid in [server.pid] + _children(server.pid))
        print(f"CPU over the run: gunicorn workers about {server_cpu / elapsed:.2f} cores (the killed one left out), "
              f"this load generator {(time.process_time() - client_before) / elapsed:.2f} cores, of {os.cpu_count()}")
        total = sum(len(v) for v in results.values())
        print(f"{total:,} requests completed in {elapsed:.0f} s ({total / elapsed:.0f}/s)")
        for name, samples in results.items():
            times = [t for _, t in samples]
            calm = [t for start, t in samples if not kill_time or abs(start - kill_time[0]) > 5]
            if times:
                print(f"  {name:<12} n={len(times):>5}  p50 {1000 * statistics.median(times):6.0f} ms  "
                      f"p95 {1000 * percentile(times, 0.95):6.0f} ms  max {1000 * max(times):6.0f} ms"
                      + (f"  | away from the kill: p95 {1000 * percentile(calm, 0.95):6.0f} ms" if kill_time else ""))
        slow = sorted((round(start), name) for name, samples in results.items() for start, t in samples if t > 1.0)
        if slow:
            seconds = sorted({second for second, _ in slow})
            print(f"requests over 1 s started in these seconds of the run: {seconds[:30]}")
        near_kill = [e for e in errors if kill_time and abs(e[0] - kill_time[0]) <= 5]
        other = [e for e in errors if e not in near_kill]
        print(f"errors: {len(errors)} ({len(near_kill)} within 5 s of the kill, in flight on that worker; "
              f"{len(other)} otherwise)")
        for when, action, message in errors[:10]:
            print(f"  at {when:.1f} s, {action}: {message}")
        store = open_store(database)
        lost = []
        for trip_id, version in acknowledged:
            try:
                store.trip(trip_id, version)
            except Exception:  # noqa: BLE001
                lost.append((trip_id, version))
        print(f"edits acknowledged: {len(acknowledged)}; in the database at the end: {len(acknowledged) - len(lost)}; "
              f"lost: {len(lost)}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        postgres.close()
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes (from /proc, no extra package)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def _find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            found = _find(value, component_id)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found:
                return found
    return None


if __name__ == "__main__":
    sys.exit(main())
