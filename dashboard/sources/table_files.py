"""Tables out of the files people keep them in: CSV and TSV in any common encoding and with any
common separator, Excel workbooks (.xlsx, .xlsm, .xlsb, .xls) and OpenDocument spreadsheets (.ods),
every sheet or one. Each becomes a :class:`Table` of header and rows, with how it was read said in
words (the encoding, the separator, the sheet) for the user to see."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from dashboard.itinerary import ItineraryError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
# Every input is read whole. Past this size a file is a database export, not a trip list (100,000
# stops of the project's CSV are 11 MB), and reading it would hold the machine for minutes.
MAX_FILE_BYTES = 50_000_000
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


@dataclass
class Table:
    """One sheet: its header cells, its rows (cells as text, or numbers and dates from a
    workbook), the spreadsheet row number of each, and how it was read."""

    file: str
    sheet: str | None
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    read_as: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


def check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ItineraryError(f"{name}: the file is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB "
                             "this reader takes; split it into several files in one folder (a folder loads as one "
                             "collection), or keep only the rows of the trips you need")


def decode(content: bytes, name: str) -> tuple[str, str]:
    """(text, encoding said in words). UTF-8 with or without a byte-order mark, UTF-16 as Excel's
    'Unicode text' writes it, else Windows-1252 (Latin-1 where 1252 has holes)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return _checked(content[3:].decode("utf-8", errors="replace"), name), "UTF-8 with a byte-order mark"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(content):
        for codec in ("utf-16",) if content[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le", "utf-16-be"):
            try:
                return _checked(content.decode(codec), name), "UTF-16"
            except UnicodeDecodeError:
                continue
        raise ItineraryError(f"{name}: looks like UTF-16 text but does not decode; save it again as "
                             "CSV UTF-8 from the spreadsheet")
    try:
        return _checked(content.decode("utf-8"), name), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return _checked(content.decode("cp1252"), name), "Windows-1252"
    except UnicodeDecodeError:
        return _checked(content.decode("latin-1"), name), "Latin-1"


def _looks_utf16(content: bytes) -> bool:
    sample = content[:2000]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4)


def _checked(text: str, name: str) -> str:
    """Text that a table can be read from: no NUL characters and few control characters."""
    sample = text[:20000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    if "\x00" in sample or controls > max(3, len(sample) // 100) or "\ufffd" in sample[:200]:
        raise ItineraryError(f"{name}: not a text table (binary content, or an encoding this reader does "
                             "not know); save it as CSV UTF-8, or load the .xlsx/.ods itself")
    return text.lstrip("\ufeff")


def separator(text: str) -> str:
    """The separator the header row uses most: comma, semicolon, tab or vertical bar.

    Only the separator is guessed. The quote character is always the double quote that every
    spreadsheet writes: csv.Sniffer also guesses quotes, and takes the apostrophe of a name
    such as 's-Hertogenbosch for one, which silently drops rows.
    """
    header = text.splitlines()[0] if text.strip() else ""
    outside_quotes = re.sub(r'"[^"]*"', "", header)
    counts = {sep: outside_quotes.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def text_table(text: str, name: str, encoding: str | None = None) -> Table:
    """A CSV or TSV table. Raises ItineraryError when it has no header or a quote never closes."""
    if not text.strip():
        raise ItineraryError(f"{name}: the file is empty; expected a header row naming the columns "
                             "(a place and a date at least)")
    sep = separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, numbers = [], []
    try:
        header = next(reader)
        for number, record in enumerate(reader, start=2):
            if any(cell.strip() for cell in record):
                rows.append(record)
                numbers.append(number)
    except StopIteration:
        raise ItineraryError(f"{name}: could not read the header row") from None
    except csv.Error as exc:
        raise ItineraryError(f"{name}, row {len(rows) + 2}: the CSV is malformed ({exc}); check for an "
                             "unclosed quote") from None
    read_as = [f"{encoding} text" if encoding else "text", f"{_SEPARATORS[sep]}-separated"]
    return Table(name, None, [h.strip() for h in header], rows, numbers, read_as)


def workbook_tables(content: bytes, name: str, sheet: str | None = None) -> list[Table]:
    """Every sheet of a workbook that holds cells, or only ``sheet``. Raises ItineraryError for a
    file that is not a workbook, one with a password, and a sheet name it does not have."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        raise ItineraryError(f"{name}: the workbook is protected by a password; open it, remove the "
                             "password (or save the sheet as CSV) and load it again") from None
    except Exception as exc:  # calamine's own errors and its parsers' (zip, XML) alike
        encrypted = content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and b"E\x00n\x00c\x00r\x00y\x00p\x00t" in content
        if encrypted:
            raise ItineraryError(f"{name}: the workbook is protected by a password; open it, remove the "
                                 "password (or save the sheet as CSV) and load it again") from None
        raise ItineraryError(f"{name}: not a readable workbook ({exc}); open it in a spreadsheet and "
                             "save it again as .xlsx, .ods or CSV") from None
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise ItineraryError(f"{name}: no sheet named {sheet!r}; its sheets are {', '.join(map(repr, names))}")
    tables = []
    for sheet_name in [sheet] if sheet is not None else names:
        try:
            grid = book.get_sheet_by_name(sheet_name)
            cells = grid.to_python(skip_empty_area=True)
            first_row = (grid.start or (0, 0))[0] + 1
        except Exception as exc:
            raise ItineraryError(f"{name}: sheet {sheet_name!r} could not be read ({exc})") from None
        rows, numbers = [], []
        for offset, record in enumerate(cells[1:], start=1):
            if any(_present(cell) for cell in record):
                rows.append(list(record))
                numbers.append(first_row + offset)
        if not cells or not any(_present(c) for c in cells[0]):
            continue
        header = [_header_text(cell) for cell in cells[0]]
        tables.append(Table(name, sheet_name if len(names) > 1 or sheet else None, header, rows, numbers,
                            [f"sheet {sheet_name!r}"]))
    if not tables:
        raise ItineraryError(f"{name}: the workbook holds no cells"
                             + (f" in sheet {sheet!r}" if sheet else "") + "; put the trip's header and rows in a sheet")
    return tables


def _present(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _header_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return "" if cell is None else str(cell).strip()
