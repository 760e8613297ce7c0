import subprocess
import sys
import urllib.request

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
