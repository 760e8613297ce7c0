"""`geocode INPUT.csv -o OUTPUT.csv`: add coordinates to a place list.

Reads and writes with the csv module: the rows and columns come back exactly as they went in.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from dashboard.commands.loading import PLACING

NAME = "geocode"
HELP = "add coordinates to a CSV with a 'place' column"
SETTINGS = PLACING
OUTPUT_COLUMNS = ["lat", "lon", "country_code", "precision", "confidence", "matched_name", "source", "reason",
                  "timezone"]
PROGRESS_MIN_ROWS = 50


def add_arguments(parser) -> None:
    parser.add_argument("input", type=Path, metavar="INPUT.csv")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTPUT.csv")
    parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")


def run(args, services) -> int:
    """Rows with a ``trip`` column are read as routes, in order: an ambiguous name is decided by
    the neighbouring rows of the same trip. Without it, every row stands alone."""
    from dashboard.geocoding.resolver import Resolution
    from dashboard.geocoding.time_zones import zone_at
    from dashboard.itinerary import NEEDS_REVIEW

    input_path, output_path, progress = args.input, args.output, not args.no_progress
    rows, columns = _read(input_path)
    resolver = services.resolver
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
    nothing = Resolution(None, None, None, None, None, None)
    placed = resolver.in_context([f or nothing for f in found], trips)
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
                       source=resolution.source or "", reason=resolution.note or "",
                       timezone=zone_at(resolution.lat, resolution.lon) or "")
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


def _read(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    from dashboard.geocoding import GeocodingError

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
