"""Where the project's shipped data lives. Pure path arithmetic: nothing is read here."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
TRIPS_DIR = DATA_DIR / "trips"
GEODATA_DIR = DATA_DIR / "geodata"
DEFAULT_TRIP = TRIPS_DIR / "carney-europe-2025-08.json"

