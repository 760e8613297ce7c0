import csv
import io
import os
import subprocess
import sys
import urllib.request

import pytest

from dashboard.paths import DEFAULT_TRIP
from tests.conftest import REPO

DEFAULT = DEFAULT_TRIP


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_help_lists_the_subcommands():
    result = run("--help")
    assert result.returncode == 0
    for name in ("serve", "check", "geocode", "export"):
        assert name in result.stdout


def test_check_good_file_prints_trip_and_stops():
    result = run("check", str(DEFAULT))
    assert result.returncode == 0, result.stderr
    assert "Mark Carney" in result.stdout and "4 stops" in result.stdout
    assert "1. Kyiv (UA), 2025-08-24 to 2025-08-25, 6 event(s)" in result.stdout


def test_check_bad_file_lists_problems_and_exits_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("trip,leader,place,arrive,depart\nT,L,Kyiv,2025-08-24,2025-08-24\nT,L,Rome,soon,2025-08-25\n")
    result = run("check", str(bad))
    assert result.returncode == 1
    assert "row 3" in result.stderr and "column 'arrive'" in result.stderr
    assert "Traceback" not in result.stderr
    assert "1. Kyiv" in result.stdout


def test_check_unreadable_file_has_no_traceback(tmp_path):
    result = run("check", str(tmp_path / "missing.json"))
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_serve_answers_http_200_on_a_free_port(live_server):
    url = live_server()
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        assert response.status == 200


def test_serve_rejects_a_missing_data_path(tmp_path):
    result = run("serve", "--data", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_a_choice_set_on_the_command_line_places_the_stop_for_every_command(tmp_path, store_url):
    """The desk's store, named once by --database or TRIPVIZ_DATABASE_URL, is the one every
    command reads: a choice saved there moves the stop in geocode and check."""
    set_choice = run("overrides", "set", "Warsaw", "--country", "PL", "--lat", "52.2", "--lon", "21.3",
                     "--by", "desk editor", "--database", store_url)
    assert set_choice.returncode == 0, set_choice.stderr
    env = dict(os.environ, TRIPVIZ_DATABASE_URL=store_url)
    (tmp_path / "places.csv").write_text("place,country\nWarsaw,PL\n", encoding="utf-8")
    geocoded = run("geocode", str(tmp_path / "places.csv"), "-o", str(tmp_path / "out.csv"), env=env)
    assert geocoded.returncode == 0, geocoded.stderr
    row = next(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert (row["lat"], row["lon"], row["source"]) == ("52.20000", "21.30000", "override")
    checked = run("check", str(DEFAULT), env=env)
    assert checked.returncode == 0 and "2. Warsaw (PL), 2025-08-25, 2 event(s); venue, high: Warsaw" in checked.stdout
    listed = run("overrides", "list", env=env)
    header, line = listed.stdout.splitlines()[:2]
    assert "saved by" in header and line.split("\t")[:4] == ["warsaw", "pl", "52.20000", "21.30000"]
    assert "desk editor" in line.split("\t")
    # Without the store's URL, the default store knows nothing of it.
    assert "2. Warsaw (PL), 2025-08-25, 2 event(s); city, high: Warsaw" in run("check", str(DEFAULT)).stdout


@pytest.mark.parametrize("args, message", [
    (("overrides", "set", " ", "--lat", "1", "--lon", "2"), "the place is empty"),
    (("overrides", "set", "Kyiv", "--lat", "91", "--lon", "2"), "out of range"),
    (("overrides", "forget", "Nowhere"), "no saved choice for 'Nowhere'"),
])
def test_overrides_refuse_bad_input_in_one_line(tmp_path, args, message):
    result = run(*args, "--database", str(tmp_path / "s.sqlite"))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
