"""Where the project's shipped data lives. Pure path arithmetic: nothing is read here."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
TRIPS_DIR = DATA_DIR / "trips"
GEODATA_DIR = DATA_DIR / "geodata"
DEFAULT_TRIP = TRIPS_DIR / "carney-europe-2025-08.json"


def cache_dir() -> Path:
    """The folder for built indexes and the geocoding store.

    ``TRIPVIZ_CACHE_DIR`` wins so tests and locked-down machines can point it anywhere
    writable; otherwise the XDG cache location is used.
    """
    explicit = os.environ.get("TRIPVIZ_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tripviz"
