"""`python3 -m dashboard geocode INPUT.csv -o OUTPUT.csv`: add coordinates to a place list.

Reads and writes with the csv module: the rows and columns come back exactly as they went in.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from dashboard.geocoding import GeocodingError
from dashboard.geocoding.gazetteer import Gazetteer
from dashboard.geocoding.resolver import PlaceResolver, Resolution
from dashboard.geocoding.store import GeocodeStore
from dashboard.itinerary import NEEDS_REVIEW

OUTPUT_COLUMNS = ["lat", "lon", "country_code", "precision", "confidence", "matched_name", "source", "reason"]
PROGRESS_MIN_ROWS = 50


def geocode_csv(input_path: Path, output_path: Path, *, online: str | None = None,
                user_agent: str | None = None, online_domain: str | None = None,
                online_scheme: str | None = None, progress: bool = True) -> int:
    """Rows with a ``trip`` column are read as routes, in order: an ambiguous name is decided by
    the neighbouring rows of the same trip. Without it, every row stands alone."""
    rows, columns = _read(input_path)
    provider = None
    if online:
        from dashboard.geocoding.online import OnlineProvider

        provider = OnlineProvider(online, user_agent, domain=online_domain, scheme=online_scheme)
    resolver = PlaceResolver(Gazetteer(progress=progress), GeocodeStore(), provider)
    show_progress = progress and len(rows) >= PROGRESS_MIN_ROWS and sys.stderr.isatty()
    out_columns = columns + [c for c in OUTPUT_COLUMNS if c not in columns]
    found = []
    for number, row in enumerate(rows, start=1):
        place = (row.get("place") or "").strip()
        found.append(resolver.resolve(place, row.get("country"), _float(row.get("lat")), _float(row.get("lon")))
                     if place else None)
        if show_progress and (number % 25 == 0 or number == len(rows)):
            filled = int(30 * number / len(rows))
            print(f"\rgeocoding [{'#' * filled}{'.' * (30 - filled)}] {number}/{len(rows)}",
                  end="" if number < len(rows) else "\n", file=sys.stderr)
    trips = [(row.get("trip") or "").strip() or None if "trip" in columns else None for row in rows]
    placed = resolver.in_context([f or _NOTHING for f in found], trips)
    unresolved = review = 0
    for row, resolution, place_given in zip(rows, placed, found):
        if place_given is None:
            row.update(dict.fromkeys(OUTPUT_COLUMNS, ""), reason="empty place")
            unresolved += 1
        elif resolution.resolved:
            review += resolution.confidence == NEEDS_REVIEW
            row.update(lat=f"{resolution.lat:.5f}", lon=f"{resolution.lon:.5f}",
                       country_code=resolution.country_code or "", precision=resolution.precision or "",
                       confidence=resolution.confidence or "", matched_name=resolution.matched_name or "",
                       source=resolution.source or "", reason=resolution.note or "")
        else:
            unresolved += 1
            row.update(dict.fromkeys(OUTPUT_COLUMNS, ""), reason=resolution.note or "not found")
    with open(output_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=out_columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for warning in resolver.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{len(rows) - unresolved} of {len(rows)} place(s) geocoded; {review} to check (confidence 'check'); "
          f"{unresolved} left without coordinates (see the 'reason' column) -> {output_path}", file=sys.stderr)
    return 0


_NOTHING = Resolution(None, None, None, None, None, None)


def _read(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GeocodingError(f"{path}: no such file") from None
    if b"\x00" in raw[:4096]:
        raise GeocodingError(f"{path}: this is not a CSV text file; give a CSV with a 'place' column")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeocodingError(f"{path}: not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    if "place" not in columns:
        raise GeocodingError(f"{path}, row 1: no 'place' column (columns found: "
                             f"{', '.join(columns) or 'none'}); the input needs a 'place' column "
                             "and may have a 'country' column")
    try:
        return list(reader), columns
    except csv.Error as exc:
        raise GeocodingError(f"{path}: the CSV is malformed ({exc})") from None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None
