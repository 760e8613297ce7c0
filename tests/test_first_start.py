"""A first start: the gazetteer index built lean (streamed, in batches, by worker processes)
and in the background while the dashboard answers (issue 22)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from dashboard.geocoding import index, index_writer
from tests.conftest import REPO, free_port, wait_for_http


def test_object_values_streams_what_json_load_reads(tmp_path):
    """Values cut anywhere by the chunk size (strings with braces and escaped quotes, numbers,
    nested lists) come out whole and in order."""
    document = {str(i): {"name": f'Saint-"{i}" {{x}}', "population": 10 ** (i % 7), "lat": -i / 3,
                         "alternatenames": ["Ā", "b,c", "d:e"] * (i % 4), "nested": {"k": [i, None, True]}}
                for i in range(60)}
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    seen = []
    for chunk in (5, 17, 64, 1 << 20):
        read = []
        values = list(index_writer.object_values(path, read.append, chunk=chunk))
        assert values == list(document.values()), chunk
        assert read[-1] == 1.0 and read == sorted(read)
        seen.append(len(values))
    assert seen == [60] * 4


def test_a_file_that_is_not_whole_json_is_a_clear_build_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"1": {"name": "Kyiv"}, "2": {"name": "Lviv"', encoding="utf-8")
    with pytest.raises(index.GazetteerBuildError, match="not whole JSON"):
        list(index_writer.object_values(path, chunk=8))


def _rows(path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in tables}


def test_the_index_is_the_same_built_in_workers_or_in_one_process(tmp_path):
    """The first stage (the smaller build) both ways: the same rows in every table, and worker
    processes leave no staging file behind."""
    serial, parallel = tmp_path / "serial.sqlite", tmp_path / "parallel.sqlite"
    index.build_index(serial, lambda *_: None, first_stage=True, parallel=False)
    index.build_index(parallel, lambda *_: None, first_stage=True, parallel=True)
    one, other = _rows(serial), _rows(parallel)
    assert one.keys() == other.keys() and len(one["place"]) > 20_000
    for table in one:
        assert one[table] == other[table], table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parallel.sqlite", "serial.sqlite"]


def test_first_stage_places_capitals_and_curated_venues_without_airfields(tmp_path):
    path = tmp_path / "first.sqlite"
    index.build_index(path, lambda *_: None, first_stage=True)
    from dashboard.geocoding import Gazetteer

    gazetteer = Gazetteer(index=path)
    assert gazetteer.geocode("Warsaw", country=("PL",)).raw["confidence"] == "high"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM place WHERE kind = 'airfield'").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM place WHERE kind = 'country'").fetchone()[0] > 200


def test_a_first_start_answers_at_once_and_draws_the_trip_before_the_index_is_built(tmp_path):
    """With an empty cache: HTTP 200 within 10 s; a page of progress (labelled, announced);
    the shipped trip's four stops drawn on the first, smaller index with a notice; when the whole
    index is built, the notice offers to place the trips again, and that page has no notice."""
    from tests.browser import make_driver, stop_markers, wait_until
    from tests.page_checks import axe_violations

    cache = tmp_path / "empty-cache"
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO, stdout=log,
                              stderr=subprocess.STDOUT, env=dict(os.environ, TRIPVIZ_CACHE_DIR=str(cache)))
    driver = make_driver(1400, 1000)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, timeout=30)
        answered = time.monotonic() - started
        assert answered < 10, answered
        driver.get(url)
        wait_until(driver, "return !!document.querySelector('#first-start-status')", timeout=20)
        if driver.execute_script("return !!document.querySelector('h1') && "
                                 "document.querySelector('h1').textContent.includes('Preparing')"):
            assert driver.execute_script("return document.querySelector('progress').getAttribute('aria-label')")
            assert driver.execute_script(
                "return document.querySelector('#first-start-status').getAttribute('role')") == "status"
            assert axe_violations(driver) == []
        # The page reloads itself once the first stage is built.
        wait_until(driver, "return document.body.innerText.includes('Placed provisionally')", timeout=60)
        wait_until(driver, "return document.querySelectorAll('#map .scattergeo text').length >= 4", timeout=30)
        assert len(stop_markers(driver, "#map")) == 4
        wait_until(driver, "return !!document.querySelector('#first-start-status a')", timeout=150)
        driver.find_element("css selector", "#first-start-status a").click()
        wait_until(driver, "return document.querySelectorAll('#map .scattergeo text').length >= 4 && "
                           "!document.body.innerText.includes('Placed provisionally')", timeout=30)
        names = [p.name for p in cache.iterdir()]
        assert not [n for n in names if "first-stage" in n or ".shard-" in n or n.endswith(".tmp")], names
        assert "Building the offline gazetteer (once): done" in (tmp_path / "server.log").read_text()
    finally:
        driver.quit()
        server.terminate()
        server.wait(10)
        log.close()


def _processes_using(cache) -> list[int]:
    """Processes whose environment names this cache folder (the server and the build's)."""
    marker = f"TRIPVIZ_CACHE_DIR={cache}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as handle:
                    if marker in handle.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc (Linux)")
def test_the_build_stops_with_the_server_that_started_it(tmp_path):
    """A server killed during its first start leaves no build running, no staging files and no
    index that looks whole."""
    cache = tmp_path / "cache"
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, TRIPVIZ_CACHE_DIR=str(cache)))
    wait_for_http(f"http://127.0.0.1:{port}/", timeout=30)
    time.sleep(1)
    assert len(_processes_using(cache)) >= 2  # the server and its build
    server.kill()
    server.wait(10)
    deadline = time.monotonic() + 60
    while _processes_using(cache) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_using(cache) == []
    left = [p.name for p in cache.iterdir()]
    assert not [n for n in left if n.endswith(".tmp") or ".shard-" in n], left
    assert not [n for n in left if n.startswith("gazetteer-v") and n.endswith(".sqlite")
                and "first-stage" not in n], left
