"""Settings declared once: a value given beats the environment, which beats the default; every
command takes the store's URL; a bad value names the variable, never a traceback."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import settings
from dashboard.cli import build_parser
from dashboard.commands import COMMANDS
from dashboard.errors import UserError
from dashboard.services import Services
from tests.conftest import REPO


def test_given_beats_the_environment_which_beats_the_default(tmp_path):
    environ = {"TRIPVIZ_DATABASE_URL": "postgresql://desk/db", "TRIPVIZ_PORT": "9000",
               "TRIPVIZ_CACHE_DIR": str(tmp_path)}
    loaded = settings.load({"port": 8123}, environ=environ)
    assert (loaded.port, loaded.database, loaded.cache_dir) == (8123, "postgresql://desk/db", tmp_path)
    assert loaded.store_file == tmp_path / "geocoding-store.sqlite"
    bare = settings.load(environ={})
    assert (bare.port, bare.database, bare.host, bare.debug) == (8050, None, "127.0.0.1", False)
    assert bare.cache_dir == Path.home() / ".cache" / "tripviz"
    assert settings.load(environ={"XDG_CACHE_HOME": "/x"}).cache_dir == Path("/x/tripviz")
    # A caller's own default (gunicorn: taken as open to the network) still gives way to the variable.
    assert settings.load(defaults={"host": "0.0.0.0"}, environ={}).host == "0.0.0.0"
    assert settings.load(defaults={"host": "0.0.0.0"}, environ={"TRIPVIZ_HOST": "127.0.0.1"}).host == "127.0.0.1"


@pytest.mark.parametrize("variable, value, expected", [
    ("TRIPVIZ_PORT", "eighty", "TRIPVIZ_PORT='eighty'"), ("TRIPVIZ_PORT", "70000", "port number"),
    ("TRIPVIZ_DEBUG", "maybe", "TRIPVIZ_DEBUG"), ("TRIPVIZ_ONLINE_SCHEME", "ftp", "http, https")])
def test_a_bad_value_in_the_environment_names_it(variable, value, expected):
    with pytest.raises(UserError, match=expected.replace("(", r"\(")):
        settings.load(environ={variable: value})


def test_an_unknown_setting_is_a_programming_error():
    with pytest.raises(TypeError, match="databse"):
        settings.load({"databse": "x"})


def test_every_setting_is_declared_once_with_help():
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.help for s in settings.SETTINGS)
    envs = [s.env for s in settings.SETTINGS if s.env]
    assert len(envs) == len(set(envs))


def leaf_parsers(parser: argparse.ArgumentParser, path=()):
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for name, child in subparsers[0].choices.items():
        yield from leaf_parsers(child, path + (name,))


def test_every_command_takes_the_store_and_its_help_from_the_declaration():
    declared = next(s for s in settings.SETTINGS if s.name == "database")
    parser = build_parser()
    commands = [c.NAME for c in COMMANDS]
    leaves = list(leaf_parsers(parser))
    assert {path[0] for path, _ in leaves} == set(commands)
    for path, leaf in leaves:
        option = next((a for a in leaf._actions if "--database" in a.option_strings), None)
        assert option is not None, f"'{' '.join(path)}' has no --database"
        assert option.help.startswith(declared.help) and option.default is None


def test_services_build_each_part_once_and_only_when_used(tmp_path):
    services = Services(settings.load({"database": str(tmp_path / "s.sqlite")}))
    assert "store" not in services.__dict__  # nothing opened yet
    assert services.store is services.store and services.resolver.store is services.store
    assert services.online is None and "gazetteer" in services.__dict__
    assert services.write_policy.refusal(None) is None  # this machine only: writes allowed


def test_the_cli_reports_a_bad_variable_in_one_line(tmp_path):
    env = dict(os.environ, TRIPVIZ_ONLINE_SCHEME="gopher")
    result = subprocess.run([sys.executable, "-m", "dashboard", "trips", "list", "--database",
                             str(tmp_path / "s.sqlite")], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: TRIPVIZ_ONLINE_SCHEME='gopher': expected one of http, https"
