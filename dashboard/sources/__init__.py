"""Every kind of input the project reads, each turned into the same frames by its own module:
``csv_file`` (the project's CSV), ``json_file`` (the project's JSON), ``official_records`` (the
Office of the Historian's travel-record XML). Each hands its fields to an
:class:`dashboard.itinerary.StopCollector`, so validation and problems are the same for all.

A new source is one new module here plus one line in :func:`parse_itinerary`.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.itinerary import Itinerary, ItineraryError, StopCollector, combine
from dashboard.sources.csv_file import parse_csv
from dashboard.sources.json_file import parse_json
from dashboard.sources.official_records import looks_like_records, parse_records

# File types a folder load picks up.
SOURCE_SUFFIXES = (".csv", ".json", ".xml")


def parse_itinerary(content: str | bytes, name: str = "<upload>") -> Itinerary:
    """Parse one itinerary from its text; the format comes from the name, else the content."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ItineraryError(f"{name}: not UTF-8 text (byte {exc.start}); save the file "
                                 "as UTF-8 CSV or JSON") from None
    content = content.lstrip("\ufeff")
    collector = StopCollector(name)
    suffix = Path(name).suffix.lower()
    looks_json = content.lstrip()[:1] in ("{", "[")
    try:
        if suffix == ".xml" or (suffix != ".json" and looks_like_records(content)):
            parse_records(content, collector)
        elif suffix == ".json" or (suffix not in (".csv", ".tsv", ".txt") and looks_json):
            parse_json(content, collector)
        elif suffix in (".csv", ".tsv", ".txt") or not suffix or suffix == ".upload":
            parse_csv(content, collector)
        else:
            raise ItineraryError(f"{name}: unsupported file type '{suffix}'; use .csv, .json or the "
                                 "official travel records' .xml")
    except RecursionError:
        raise ItineraryError(f"{name}: the JSON is nested too deeply to be an itinerary; a trip holds "
                             "stops, and a stop holds events, each a flat object") from None
    return collector.result()


def load_itinerary(path: str | Path) -> Itinerary:
    """Load a trip file, or every .csv, .json and .xml file in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        if not files:
            raise ItineraryError(f"{path}: no .csv, .json or .xml trip files in this folder")
        parts, problems, skipped = [], [], []
        for file in files:
            try:
                parts.append(load_itinerary(file))
            except ItineraryError as exc:
                # One bad file is one listed problem; every other file still loads.
                problems += exc.problems
                skipped.append(f"{file} (whole file)")
        if not parts:
            raise ItineraryError(f"{path}: none of the {len(files)} trip file(s) could be read", problems)
        loaded = combine(parts)
        loaded.problems[:0] = problems
        loaded.dropped[:0] = skipped
        return loaded
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ItineraryError(f"{path}: no such file") from None
    except OSError as exc:
        raise ItineraryError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_itinerary(content, str(path))
