"""Every kind of input the project reads, each turned into the same frames by its own module:
``table`` (any table of stops: the project's CSV, a user's CSV/TSV in any encoding and separator,
Excel and OpenDocument workbooks; files in ``table_files``, column roles in ``table_roles``, dates
in ``table_dates``), ``json_file`` (the project's JSON), ``official_records`` (the Office of the
Historian's travel-record XML). Each hands its fields to an
:class:`dashboard.itinerary.StopCollector`, so validation and problems are the same for all.

A new source is one new module here plus one line in :func:`parse_itinerary`.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.itinerary import Itinerary, ItineraryError, StopCollector, combine
from dashboard.sources.json_file import parse_json
from dashboard.sources.official_records import looks_like_records, parse_records
from dashboard.sources.table import TableHints, read_table, table_title
from dashboard.sources.table_files import WORKBOOK_SUFFIXES, check_size, decode, text_table, workbook_tables
from dashboard.sources.table_roles import ROLES, assign

# File types a folder load picks up, and the upload box takes.
SOURCE_SUFFIXES = (".csv", ".tsv", ".json", ".xml", *WORKBOOK_SUFFIXES)
_TEXT_TABLES = (".csv", ".tsv", ".txt", ".tab")
NO_HINTS = TableHints()
__all__ = ["NO_HINTS", "ROLES", "SOURCE_SUFFIXES", "TableHints", "load_itinerary", "parse_itinerary", "table_columns"]


def parse_itinerary(content: str | bytes, name: str = "<upload>", hints: TableHints = NO_HINTS) -> Itinerary:
    """Parse one itinerary from its bytes or text; the format comes from the name, else the content.
    ``hints`` say what a table's columns are, where detection should not decide."""
    collector = StopCollector(name)
    kind, content = _kind(content, name, hints)
    try:
        if kind == "records":
            parse_records(content, collector)
        elif kind == "json":
            parse_json(content, collector)
        else:
            _read_tables(content, collector, hints)
    except RecursionError:
        raise ItineraryError(f"{name}: the JSON is nested too deeply to be an itinerary; a trip holds "
                             "stops, and a stop holds events, each a flat object") from None
    return collector.result()


def _kind(content: str | bytes, name: str, hints: TableHints = NO_HINTS):
    """('records' | 'json', text) or ('tables', [Table]): what the file is, from its name, else
    its content. Raises ItineraryError for a file no reader takes."""
    check_size(len(content), name)
    suffix = Path(name).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        if isinstance(content, str):
            raise ItineraryError(f"{name}: a workbook is read from its bytes, not from text")
        return "tables", workbook_tables(content, name, hints.sheet)
    encoding = None
    if isinstance(content, bytes):
        content, encoding = decode(content, name)
    content = content.lstrip("\ufeff")
    if suffix == ".xml" or (suffix != ".json" and looks_like_records(content)):
        return "records", content
    if suffix == ".json" or (suffix not in _TEXT_TABLES and content.lstrip()[:1] in ("{", "[")):
        return "json", content
    if suffix in _TEXT_TABLES or not suffix or suffix == ".upload":
        return "tables", [text_table(content, name, encoding)]
    raise ItineraryError(f"{name}: unsupported file type '{suffix}'; use a table (.csv, .tsv, .xlsx, "
                         ".ods), the project's .json or the official travel records' .xml")


def table_columns(content: str | bytes, name: str, hints: TableHints = NO_HINTS) -> list[tuple[str, str | None]]:
    """(header, role or None) of each column of the file's first table, as it would be read with
    ``hints``; [] for a file that is not a table or cannot be read. For a 'Change columns' form."""
    try:
        kind, tables = _kind(content, name, hints)
        if kind != "tables":
            return []
        table = tables[0]
        roles = assign(table.header, table.rows, hints.columns, detect=hints.detect)
    except (ItineraryError, ValueError):
        return []
    by_index = {index: role for role, indexes in roles.columns.items() for index in indexes if role != "ignored"}
    return [(header or f"column {i + 1}", by_index.get(i)) for i, header in enumerate(table.header)]


def _read_tables(tables, collector: StopCollector, hints: TableHints) -> None:
    """Each sheet a trip of its own; a sheet with no place or date column is skipped (and said)
    when another sheet loads."""
    failures = []
    for table in tables:
        title = table_title(table.file, table.sheet, len(tables) > 1)
        try:
            read_table(table, collector, hints, title)
        except ItineraryError as exc:
            if len(tables) == 1:
                raise
            failures.append((table, exc))
    if failures and len(failures) == len(tables):
        raise ItineraryError(f"{tables[0].file}: no sheet holds a trip; " + "; ".join(
            f"sheet {table.sheet!r}: {_without_label(str(exc), table.label)}" for table, exc in failures),
            [p for _, exc in failures for p in exc.problems])
    for table, exc in failures:
        collector.problem("warning", f"sheet {table.sheet!r}", None, None,
                          f"skipped, it holds no trip: {_without_label(str(exc), table.label)}")


def _without_label(message: str, label: str) -> str:
    return message[len(label):].lstrip(":, ") if message.startswith(label) else message


def load_itinerary(path: str | Path, hints: TableHints = NO_HINTS) -> Itinerary:
    """Load a trip file, or every trip file (tables, JSON, records) in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        if not files:
            raise ItineraryError(f"{path}: no trip files (.csv, .tsv, .xlsx, .ods, .json, .xml) in this folder")
        parts, problems, skipped = [], [], []
        for file in files:
            try:
                parts.append(load_itinerary(file, hints))
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
        check_size(path.stat().st_size, str(path))
        content = path.read_bytes()
    except FileNotFoundError:
        raise ItineraryError(f"{path}: no such file") from None
    except OSError as exc:
        raise ItineraryError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_itinerary(content, str(path), hints)
