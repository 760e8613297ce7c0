"""The store on both engines (SQLite and a real PostgreSQL the suite starts): trips with their
history, conflicts, restore, place choices, concurrent writers in separate processes, the
editor-token rules, the trips command, and a PostgreSQL restart under a running server."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from dashboard.features import shared_store
from dashboard.store import ConflictError, StoreError, open_store
from dashboard.store.access import WritePolicy
from tests.browser import wait_until
from tests.conftest import REPO, wait_for_http

TRIP = {"id": "t-baltic", "title": "Baltic tour", "leader": "A Leader",
        "stops": [{"place": "Riga", "country": "LV", "arrive": "2025-01-01", "depart": "2025-01-01", "events": []}]}


def trips_cli(*args, database):
    return subprocess.run([sys.executable, "-m", "dashboard", "trips", *map(str, args), "--database", database],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_versions_history_restore_and_delete(store_url):
    store = open_store(store_url)
    assert store.schema_version() == 2
    assert store.save_trip(TRIP, saved_by="ann") == 1
    edited = dict(TRIP, title="Baltic tour, revised")
    assert store.save_trip(edited, saved_by="bo", expected_version=1) == 2
    assert store.trip("t-baltic") == (edited, 2)
    assert store.trip("t-baltic", 1) == (TRIP, 1)
    assert [(h["version"], h["saved_by"], h["action"]) for h in store.history("t-baltic")] == [
        (2, "bo", "save"), (1, "ann", "save")]
    assert store.restore("t-baltic", 1, saved_by="cy") == 3
    assert store.trip("t-baltic") == (TRIP, 3)
    assert store.delete_trip("t-baltic", saved_by="dee") == 4
    assert store.trips() == [] and store.trips(include_deleted=True)[0]["deleted"]
    with pytest.raises(StoreError, match="deleted; its history is kept"):
        store.trip("t-baltic")
    assert store.restore("t-baltic", 3, saved_by="ed") == 5  # back from the dead
    assert [t["trip_id"] for t in store.trips()] == ["t-baltic"]


def test_a_conflict_is_clear_and_writes_nothing(store_url):
    store = open_store(store_url)
    store.save_trip(TRIP, saved_by="ann")
    store.save_trip(dict(TRIP, title="Ann's edit"), saved_by="ann", expected_version=1)
    with pytest.raises(ConflictError, match="saved as version 2 by ann at .* since you opened version 1"):
        store.save_trip(dict(TRIP, title="Bo's edit"), saved_by="bo", expected_version=1)
    with pytest.raises(ConflictError):  # a "new" trip whose id is taken
        store.save_trip(dict(TRIP, title="Cy's copy"), saved_by="cy")
    assert store.trip("t-baltic")[0]["title"] == "Ann's edit" and len(store.history("t-baltic")) == 2
    with pytest.raises(StoreError, match="needs an id"):
        store.save_trip({"title": "no id"}, saved_by="x")


def test_place_choices_last_writer_wins(store_url):
    store = open_store(store_url)
    store.save_override("Hamilton", "CA", 43.25, -79.87, "Hamilton", "CA", "city", saved_by="ann")
    store.save_override("hamilton", "ca", 43.26, -79.86, "Hamilton", "CA", "city", saved_by="bo")
    assert store.override("Hamilton", "CA")["lat"] == 43.26
    assert [(o["saved_by"], o["lat"]) for o in store.overrides()] == [("bo", 43.26)]
    assert store.forget_override("Hamilton", "CA") and store.override("Hamilton", "CA") is None
    with pytest.raises(ValueError, match="out of range"):
        store.save_override("X", None, 91, 0)


WRITER = textwrap.dedent("""
    import sys
    from dashboard.store import ConflictError, open_store
    store, who, rounds = open_store(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    saved = conflicts = 0
    while saved < rounds:
        trip, version = store.trip("t-baltic")
        trip["stops"].append({"place": who + str(saved), "arrive": "2025-01-02", "depart": "2025-01-02"})
        try:
            store.save_trip(trip, saved_by=who, expected_version=version)
            saved += 1
        except ConflictError:
            conflicts += 1
        store.save_override(who + str(saved), None, 10.0, 20.0, saved_by=who)
    print(conflicts)
""")


def test_two_processes_writing_at_once_lose_nothing(store_url):
    """Two writers edit the same trip as fast as they can: each save builds on the version it
    read or fails with a conflict and is retried; at the end every stop either added is there."""
    store = open_store(store_url)
    store.save_trip(TRIP, saved_by="setup")
    rounds = 25
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, who, str(rounds)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("ann", "bo")]
    outputs = [w.communicate(timeout=240) for w in writers]
    assert all(w.returncode == 0 for w in writers), outputs
    trip, version = store.trip("t-baltic")
    added = {s["place"] for s in trip["stops"]} - {"Riga"}
    assert version == 1 + 2 * rounds
    assert added == {f"{who}{n}" for who in ("ann", "bo") for n in range(rounds)}
    assert len(store.history("t-baltic")) == version
    assert len(store.overrides()) >= 2 * rounds


def test_an_older_sqlite_store_upgrades_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # the schema before versions
        db.executescript("CREATE TABLE override (place_key TEXT, country TEXT, lat REAL, lon REAL, name TEXT, "
                         "country_code TEXT, precision TEXT, saved REAL, PRIMARY KEY (place_key, country));"
                         "CREATE TABLE online_cache (provider TEXT, place_key TEXT, country TEXT, answer TEXT, "
                         "saved REAL, PRIMARY KEY (provider, place_key, country));"
                         "INSERT INTO override VALUES ('kyiv', 'ua', 50.4, 30.5, 'Kyiv', 'UA', 'city', 1);")
    store = open_store(str(path))
    assert store.schema_version() == 2 and store.override("Kyiv", "UA")["lat"] == 50.4
    assert open_store(f"sqlite:///{path}").schema_version() == 2  # the URL form, migrated once


def test_bad_urls_and_an_unreachable_server_say_what_to_do(postgres):
    with pytest.raises(StoreError, match="unknown database URL mysql://"):
        open_store("mysql://x/y")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at postgresql://ann:\\*\\*\\*@127.0.0.1:1/x"):
        open_store("postgresql://ann:secret@127.0.0.1:1/x")


def test_the_trips_command(store_url, tmp_path):
    trip_file = tmp_path / "baltic.json"
    trip_file.write_text(json.dumps(TRIP))
    saved = trips_cli("save", trip_file, "--by", "ann", database=store_url)
    assert saved.returncode == 0 and "saved t-baltic as version 1 (1 stops)" in saved.stdout, saved.stderr
    assert trips_cli("save", trip_file, "--by", "bo", database=store_url).returncode == 0
    conflict = trips_cli("save", trip_file, "--expect-version", "1", database=store_url)
    assert conflict.returncode == 1 and "was saved as version 2 by bo" in conflict.stderr
    listing = trips_cli("list", database=store_url).stdout
    assert "t-baltic\tv2" in listing and "A Leader: Baltic tour" in listing
    assert json.loads(trips_cli("show", "t-baltic", "--version", "1", database=store_url).stdout)["id"] == "t-baltic"
    assert "v2" in trips_cli("history", "t-baltic", database=store_url).stdout
    assert "as version 3" in trips_cli("restore", "t-baltic", "1", database=store_url).stdout
    assert trips_cli("delete", "t-baltic", database=store_url).returncode == 0
    assert "no saved trips" in trips_cli("list", database=store_url).stdout
    missing = trips_cli("show", "nope", database=store_url)
    assert missing.returncode == 2 and "no saved trip 'nope'" in missing.stderr and "Traceback" not in missing.stderr


def test_token_rules():
    local, shared, guarded = WritePolicy(None, "127.0.0.1"), WritePolicy(None, "0.0.0.0"), WritePolicy("s3cret", "0.0.0.0")
    assert local.refusal(None) is None
    assert "started without an editor token" in shared.refusal(None)
    assert "needs the editor token" in guarded.refusal(None) and "needs the editor token" in guarded.refusal("wrong")
    assert guarded.refusal("s3cret") is None and WritePolicy("s3cret", "127.0.0.1").refusal("") is not None


def test_saving_from_the_dashboard_needs_the_token_and_reports_conflicts(store_url, tmp_path):
    store = open_store(store_url)
    policy = WritePolicy("s3cret", "0.0.0.0")
    shipped = {"stops": [], "events": [], "trips": []}
    from dashboard.sources import parse_itinerary
    from dashboard.state import to_store

    loaded = parse_itinerary(json.dumps(TRIP), "baltic.json")
    own = to_store(loaded, loaded.stops)
    refused = shared_store.save_trip_to_store(store, policy, "t-baltic", shipped, own, {}, "wrong", "ann")["status"]
    assert "needs the editor token" in str(refused) and store.trips() == []
    saved = shared_store.save_trip_to_store(store, policy, "t-baltic", shipped, own, {}, "s3cret", "ann")
    status, opened = saved["status"], saved["opened"]
    assert "Saved as version 1 by ann" in str(status) and opened == {"t-baltic": 1}
    store.save_trip(store.trip("t-baltic")[0], saved_by="bo", expected_version=1)  # someone else, meanwhile
    saved = shared_store.save_trip_to_store(store, policy, "t-baltic", shipped, own, {"t-baltic": 1}, "s3cret", "ann")
    status, opened = saved["status"], saved["opened"]
    assert "Not saved" in str(status) and "by bo" in str(status)
    assert "v2" in str(shared_store.store_history(store, "t-baltic"))


@pytest.mark.browser
def test_a_postgresql_restart_under_a_running_server(postgres, tmp_path):
    """The dashboard on PostgreSQL: a saved trip is served; the database restarts; the next
    request works again (the worker reconnects)."""
    url = postgres.create_database()
    store = open_store(url)
    store.save_trip(dict(TRIP, id="t-stored", title="Stored tour"), saved_by="ann")
    from tests.conftest import free_port

    port = free_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--database", url],
                              cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        import urllib.request

        def layout() -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=30) as response:
                return response.read().decode()

        assert "Stored tour" in layout()
        postgres.restart()
        store.save_trip(dict(TRIP, id="t-after", title="Saved after the restart"), saved_by="bo")
        deadline = time.monotonic() + 30
        while "Saved after the restart" not in layout() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Saved after the restart" in layout()
    finally:
        server.terminate()
        server.wait(10)
        assert "Traceback" not in (tmp_path / "server.log").read_text()


@pytest.mark.browser
def test_the_dashboard_asks_for_the_token_once_per_session(live_server, browser, tmp_path):
    """A server open to the network with an editor token: saving without it is refused with the
    reason; with it the trip is saved; after a reload the token is still there (this browser
    session) and the next save builds on the last."""
    database = str(tmp_path / "shared.sqlite")
    url = live_server("--host", "0.0.0.0", "--editor-token", "s3cret", "--database", database) \
        .replace("0.0.0.0", "127.0.0.1") + "/"
    browser.get(url)
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo text').length >= 4", 60)
    browser.find_element("id", "save-trip").click()
    wait_until(browser, "return document.getElementById('store-status').innerText.includes('editor token')", 20)
    browser.find_element("id", "editor-name").send_keys("Ann")
    browser.find_element("id", "editor-token").send_keys("s3cret")
    browser.find_element("id", "save-trip").click()
    wait_until(browser, "return document.getElementById('store-status').innerText.includes('Saved as version 1 by Ann')", 20)
    browser.refresh()
    wait_until(browser, "return document.querySelectorAll('#map .scattergeo text').length >= 4", 60)
    assert browser.find_element("id", "editor-token").get_attribute("value") == "s3cret"
    browser.find_element("id", "save-trip").click()
    wait_until(browser, "return document.getElementById('store-status').innerText.includes('Saved as version 2')", 20)
    assert [h["saved_by"] for h in open_store(database).history("carney-europe-2025-08")] == ["Ann", "Ann"]
