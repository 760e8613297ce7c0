"""A real PostgreSQL for the tests: Debian's server binaries (initdb, pg_ctl), a throwaway
cluster in a temporary folder on a free port, run as the ``postgres`` user when the tests run
as root (PostgreSQL refuses to run as root). The README's test command installs the
``postgresql`` package when it is missing."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class Postgres:
    """One cluster: ``url(dbname)``, ``create_database()``, ``restart()``, ``stop()``."""

    def __init__(self):
        binaries = server_bin()
        if binaries is None:
            pytest.fail("PostgreSQL's server is not installed: the README's test command installs Debian's "
                        "'postgresql' package (apt-get install postgresql)")
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="tripviz-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        for path in (self.data, self.sockets):
            path.mkdir()
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam("postgres")
            for path in (self.folder, self.data, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        from tests.conftest import free_port

        self.port = free_port()
        subprocess.run(_as_server_user([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                        "--no-sync", "-E", "UTF8", "--locale", "C"]),
                       check=True, capture_output=True, cwd=self.folder)
        self._databases = 0
        self.start()

    def _ctl(self, *args: str) -> None:
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(_as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                                        "-o", options, "-w", "-t", "60", *args]),
                       check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self._databases += 1
        name = f"tripviz_test_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
