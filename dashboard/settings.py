"""Every setting of the project, declared once: its name, environment variable, default, type and
help. This is the only module that reads the environment.

A value comes from, in order: what the caller gives (a command-line option, an argument of
``create_app``), the environment variable, the default. The command line builds its options from
these declarations (``add_options``), so a setting has one name, one help text and one default
wherever it is used, and ``TRIPVIZ_DATABASE_URL`` reaches every command as ``--database`` does.

Nothing is cached: ``load()`` reads the environment when called, so a test (or a server started
with other variables) sees its own values.
"""

from __future__ import annotations

import argparse
import getpass
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Mapping

from dashboard.errors import UserError
from dashboard.paths import TRIPS_DIR


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected 1/true/yes or 0/false/no")


def _port(text: str) -> int:
    value = int(text) if text.strip().isdigit() else 0
    if not 0 < value < 65536:
        raise ValueError("expected a port number from 1 to 65535")
    return value


def _epoch(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _default_cache_dir(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tripviz"


def _default_author(environ: Mapping[str, str]) -> str:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser() reads, in its order
        if environ.get(name):
            return environ[name]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str | None
    help: str
    default: Any = None
    type: Callable[[str], Any] = str
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    flag: bool = False  # a switch on the command line (no value)
    option: bool = True  # offered as a command-line option (some are for the environment only)

    def default_value(self, environ: Mapping[str, str]) -> Any:
        return self.default(environ) if callable(self.default) else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("data", "TRIPVIZ_DATA", f"a trip file or a folder of them (default: the shipped trips in {TRIPS_DIR})",
            default=TRIPS_DIR, type=Path, metavar="PATH"),
    Setting("host", "TRIPVIZ_HOST", "the address the server is bound to (default: 127.0.0.1, this machine only; "
            "under gunicorn: taken as open to the network, so writes need the editor token)",
            default="127.0.0.1", metavar="HOST"),
    Setting("port", "TRIPVIZ_PORT", "the port to listen on (default: 8050)", default=8050, type=_port,
            metavar="PORT"),
    Setting("debug", "TRIPVIZ_DEBUG", "Dash debug mode with reloader; never on a shared machine",
            default=False, type=_flag, flag=True),
    Setting("database", "TRIPVIZ_DATABASE_URL",
            "the store for saved trips, place choices and the online cache: postgresql://user@host:port/db for a "
            "shared server, or a SQLite file (default: the SQLite file in the cache folder)", metavar="URL"),
    Setting("editor_token", "TRIPVIZ_EDITOR_TOKEN",
            "the token editors give to save to the shared store when the server is bound to anything but "
            "localhost (default: none; then only a server on localhost saves)", metavar="TOKEN"),
    Setting("online", "TRIPVIZ_ONLINE",
            "also ask an online geocoder (a geopy provider name such as nominatim) for places the offline "
            "gazetteer cannot place; needs --user-agent (default: offline only)", metavar="PROVIDER"),
    Setting("online_domain", "TRIPVIZ_ONLINE_DOMAIN",
            "the online provider's server, e.g. your own Nominatim or Photon (default: the provider's public "
            "server)", metavar="HOST[:PORT]"),
    Setting("online_scheme", "TRIPVIZ_ONLINE_SCHEME", "http for your own server without TLS (default: https)",
            choices=("http", "https")),
    Setting("user_agent", "TRIPVIZ_USER_AGENT",
            "identify this application to the online provider (required by Nominatim)", metavar="TEXT"),
    Setting("columns", None, "what a table's columns are, where detection should not decide: "
            "ROLE=HEADER pairs, e.g. place=Ville,arrive=Date (roles: place, country, date, arrive, depart, trip, "
            "leader, role, events, note, people, source, lat, lon)", metavar="ROLE=HEADER,..."),
    Setting("date_order", None, "the order of a table's numeric dates, for a column where every date reads "
            "both ways (03/04/2025): dmy, mdy or ymd (default: decided per column from its values)",
            choices=("dmy", "mdy", "ymd")),
    Setting("sheet", None, "the sheet of a workbook to read (default: every sheet that holds a trip)",
            metavar="NAME"),
    Setting("trip_title", None, "the trip's title, for a table with no trip column (default: the file's name)",
            metavar="TITLE"),
    Setting("leader", None, "who travelled, for a table with no traveller column (default: left empty)",
            metavar="NAME"),
    Setting("by", None, "who saves, as the history shows it (default: your login name)",
            default=_default_author, metavar="NAME"),
    Setting("cache_dir", "TRIPVIZ_CACHE_DIR",
            "the folder for the gazetteer index, added gazetteers and the default SQLite store "
            "(default: $XDG_CACHE_HOME/tripviz, else ~/.cache/tripviz)",
            default=_default_cache_dir, type=Path, option=False),
    Setting("source_date_epoch", "SOURCE_DATE_EPOCH",
            "the generation date exports state, as seconds since 1970 (the reproducible-builds convention; "
            "default: today)", type=_epoch, option=False),
    Setting("browser", "BROWSER_PATH", "the Chrome or Chromium that draws PNG and SVG images "
            "(default: Debian's chromium on the PATH)", option=False),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """One value for each declared setting (see ``SETTINGS`` for what each means)."""

    data: Path
    host: str
    port: int
    debug: bool
    database: str | None
    editor_token: str | None
    online: str | None
    online_domain: str | None
    online_scheme: str | None
    user_agent: str | None
    columns: str | None
    date_order: str | None
    sheet: str | None
    trip_title: str | None
    leader: str | None
    by: str
    cache_dir: Path
    source_date_epoch: int | None
    browser: str | None

    @property
    def store_file(self) -> Path:
        """The embedded SQLite store's file when no database is given."""
        return self.cache_dir / "geocoding-store.sqlite"


assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS], "declare each setting once, in order"


def load(given: Mapping[str, Any] | None = None, *, defaults: Mapping[str, Any] | None = None,
         environ: Mapping[str, str] | None = None) -> Settings:
    """The settings: each value ``given`` (None counts as not given), else from its environment
    variable, else ``defaults`` (a caller's own default, such as gunicorn's host), else the
    declared default. A bad value in the environment is a :class:`UserError` naming it."""
    environ = os.environ if environ is None else environ
    given, defaults = given or {}, defaults or {}
    unknown = sorted(set(given) - set(_BY_NAME))
    if unknown:
        raise TypeError(f"unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(_BY_NAME)}")
    values = {}
    for setting in SETTINGS:
        value = given.get(setting.name)
        if value is None and setting.env and environ.get(setting.env, "").strip():
            raw = environ[setting.env].strip()
            try:
                value = setting.type(raw)
            except ValueError as exc:
                raise UserError(f"{setting.env}={raw!r}: {exc}") from None
            if setting.choices and value not in setting.choices:
                raise UserError(f"{setting.env}={raw!r}: expected one of {', '.join(setting.choices)}")
        if value is None:
            value = defaults[setting.name] if setting.name in defaults else setting.default_value(environ)
        values[setting.name] = value
    return Settings(**values)


def add_options(parser: argparse.ArgumentParser, *names: str) -> None:
    """Command-line options for these settings, with their declared help. Their argparse default
    is None, so ``load`` can tell a given option from the environment and the default."""
    for name in names:
        setting = _BY_NAME[name]
        help_text = setting.help + (f" [${setting.env}]" if setting.env else "")
        option = "--" + name.replace("_", "-")
        if setting.flag:
            parser.add_argument(option, dest=name, action="store_const", const=True, default=None, help=help_text)
        else:
            parser.add_argument(option, dest=name, default=None, help=help_text, metavar=setting.metavar,
                                choices=setting.choices, type=setting.type if setting.type is not str else None)


def from_arguments(args: argparse.Namespace) -> Settings:
    """The settings with the command line's options in front of the environment."""
    return load({setting.name: getattr(args, setting.name, None) for setting in SETTINGS})


def described() -> list[tuple[str, str, str]]:
    """(option, environment variable, help) of every setting, for the README and ``--help``."""
    return [("--" + s.name.replace("_", "-") if s.option else "-", s.env or "-", s.help) for s in SETTINGS]
