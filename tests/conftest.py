import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests share one cache folder, so the gazetteer index is built once per machine, apart
    from the user's own cache. Tests that save overrides pass their own store path."""
    shared = tmp_path_factory.getbasetemp().parent / "tripviz-cache"
    monkeypatch.setenv("TRIPVIZ_CACHE_DIR", str(shared))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except Exception as exc:  # server still starting
            last_error = exc
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last_error}")


@pytest.fixture
def live_server(tmp_path):
    """Start `python3 -m dashboard serve` on a free port; yields (base_url, process)."""
    processes = []

    def start(*extra: str):
        # The gazetteer first, as the tests' cache may not hold it yet: a server started without
        # it shows a first start's page of progress (tests/test_first_start.py tests that).
        from dashboard.geocoding.index import ensure_index

        ensure_index(progress=False)
        port = free_port()
        log = open(tmp_path / f"server-{port}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--port", str(port), *extra],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(url + "/")
        except TimeoutError:
            process.kill()
            raise AssertionError((tmp_path / f"server-{port}.log").read_text())
        return url

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole test session (see tests/postgres.py)."""
    from tests.postgres import Postgres

    server = Postgres()
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store on each engine: the same tests run on both."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium, downloads saved in the test's folder."""
    from tests.browser import make_driver

    driver = make_driver(1400, 1100)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    yield driver
    driver.quit()
