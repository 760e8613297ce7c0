"""Any table of stops, the project's own CSV among them: a header row and a row per stop, in the
user's column names and language (``table_roles``), with the dates people write (``table_dates``),
from any CSV, TSV or workbook (``table_files``). Every row goes to the shared
:class:`~dashboard.itinerary.StopCollector`, so checks and problems are those of every source.

What was understood (which column became which role, the encoding, the date order, the trip's
title when the table has none) is said in ``collector.understood``; a column of dates that reads
both day-first and month-first is refused, with both readings, until the user says the order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dashboard.countries import country_code
from dashboard.itinerary import ItineraryError, Problem, StopCollector, is_missing, parse_when
from dashboard.itinerary.values import Unread, When
from dashboard.sources.csv_file import read_events_cell
from dashboard.sources.table_dates import ORDERS, DateError, column_order, numeric_parts, read_cell
from dashboard.sources.table_files import Table
from dashboard.sources.table_roles import ROLES, assign, parse_column_hints

_DATE_ROLES = ("date", "arrive", "depart")
_TEXT_ROLES = ("trip", "leader", "place", "country", "source", "note", "role", "description", "trip_id",
               "inferred", "events", "people")
# Excel keeps a date as days since 1899-12-30; a date cell a reader could not type arrives as that
# number. Between these bounds it is a day from 1954 to 2119, not a year or a count.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_DAYS = (20_000, 80_000)


@dataclass(frozen=True)
class TableHints:
    """What the user said about a table: roles of columns, the date order, the trip's title and
    traveller when the table has none, the sheet to read. Empty means 'detect'."""

    columns: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    trip_title: str | None = None
    leader: str | None = None
    sheet: str | None = None
    # False: ``columns`` is the whole mapping (a form listing every column said so); columns it
    # leaves out are not used, rather than detected.
    detect: bool = True

    @classmethod
    def from_text(cls, columns: str | None = None, date_order: str | None = None, trip_title: str | None = None,
                  leader: str | None = None, sheet: str | None = None) -> "TableHints":
        """Hints as typed on the command line or in the dashboard; ValueError says what is wrong."""
        order = (date_order or "").strip().lower() or None
        if order is not None and order not in ORDERS:
            raise ValueError(f"--date-order: {date_order!r} is not one of {', '.join(ORDERS)} "
                             "(day-month-year, month-day-year, year-month-day)")
        return cls(parse_column_hints(columns), order, (trip_title or "").strip() or None,
                   (leader or "").strip() or None, (sheet or "").strip() or None)


def read_table(table: Table, collector: StopCollector, hints: TableHints, title: str) -> None:
    """Every row of ``table`` to ``collector``; ``title`` names the trip when no column does.
    Raises ItineraryError for a table with no place or no date column, or dates of no order."""
    label = table.label
    try:
        roles = assign(table.header, table.rows, hints.columns, detect=hints.detect)
    except ValueError as exc:
        raise ItineraryError(f"{label}: {exc}") from None
    found = ", ".join(repr(h) for h in table.header if h) or "none"
    if "place" not in roles.columns:
        message = (f"{label}, row 1: no column of places (a city, venue or country per row); columns found: "
                   f"{found}; name it with --columns place=HEADER")
        raise ItineraryError(message, [Problem("error", label, "row 1", "place", None, message)])
    if not any(role in roles.columns for role in ("date", "arrive")):
        message = (f"{label}, row 1: no column of dates (the day of each stop); columns found: {found}; name it "
                   "with --columns date=HEADER, or arrive=HEADER and depart=HEADER")
        raise ItineraryError(message, [Problem("error", label, "row 1", "arrive", None, message)])

    orders = {}
    for role in _DATE_ROLES:
        for index in roles.columns.get(role, []):
            values = [row[index] for row in table.rows if index < len(row)]
            order, why_not = column_order(values, hints.date_order)
            if why_not:
                raise ItineraryError(_order_refusal(label, table.header[index], values, why_not))
            orders[index] = order
            if order and not hints.date_order:
                roles.said.append(f"dates in '{table.header[index]}' are {_ORDER_WORDS[order]} "
                                  "(a number over 12 decides it)")
    if hints.date_order:
        roles.said.append(f"dates are {_ORDER_WORDS[hints.date_order]} (as you said)")

    names = {role: table.header[cols[0]] or f"column {cols[0] + 1}" for role, cols in roles.columns.items()}
    # A problem with a stop's dates names the column they came from.
    names.setdefault("arrive", names.get("date"))
    names.setdefault("depart", names.get("date") or names["arrive"])
    for index in roles.unused:
        collector.problem("warning", "row 1", table.header[index], None,
                          f"column not understood, ignored; to use it say its role with --columns "
                          f"ROLE={table.header[index]} (roles: {', '.join(ROLES)})")
    missing_trip = "trip" not in roles.columns
    trip_title = hints.trip_title or title
    if missing_trip:
        roles.said.append(f"no trip column: the table is one trip, titled {trip_title!r}"
                          + ("" if hints.trip_title else " after the file (--trip-title sets another)"))
    no_leader = "leader" not in roles.columns and not hints.leader
    if no_leader:
        roles.said.append("no traveller column: the leader is left empty (--leader names who travelled)")
    elif "leader" not in roles.columns:
        roles.said.append(f"the traveller is {hints.leader!r} (as you said)")
    collector.understood.append(f"{label}: read as {', '.join(table.read_as)}; " + "; ".join(roles.said))

    for row, number in zip(table.rows, table.row_numbers):
        cells = {role: _cell(row, cols) for role, cols in roles.columns.items() if role != "ignored"}
        fields: dict[str, Any] = {role: _text(cells.get(role)) for role in _TEXT_ROLES if role in cells}
        fields["leader_role"] = fields.pop("role", None)
        fields["_columns"] = names
        if missing_trip:
            fields["trip"] = trip_title
        if "leader" not in roles.columns:
            fields["leader"] = hints.leader or ""
            fields["_no_leader"] = no_leader
        fields["lat"], fields["lon"] = cells.get("lat"), cells.get("lon")
        _split_place(fields, "country" in roles.columns)
        _read_dates(fields, cells, roles.columns, orders)
        location = f"row {number}"
        events = [(f"{location} event {n}", event)
                  for n, event in enumerate(read_events_cell(fields.pop("events", None) or ""), start=1)]
        people = fields.pop("people", None)
        if people:
            for _, event in events:
                event["people"] = people
            if not events:
                fields["note"] = "; ".join(p for p in (fields.get("note"), f"People: {people}") if p)
        collector.add_stop(location, fields, events)


_ORDER_WORDS = {"dmy": "day-first", "mdy": "month-first", "ymd": "year-first"}


def _order_refusal(label: str, column: str, values: list[Any], why_not: str) -> str:
    examples = []
    for value in values:
        if numeric_parts(value) and len(examples) < 3:
            both = []
            for order in ("dmy", "mdy"):
                try:
                    start, end, _ = read_cell(value, order)
                    both.append(_day(start) if start == end else f"{_day(start)} to {_day(end)}")
                except DateError:
                    both.append("not a date")
            examples.append(f"{str(value).strip()!r} is {both[0]} day-first or {both[1]} month-first")
    return (f"{label}, column '{column}': {why_not}, so the order cannot be told ({'; '.join(examples)}); "
            "say which with --date-order dmy or --date-order mdy (in the dashboard: 'Change columns')")


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%B')} {moment.year}"


def _cell(row: list[Any], columns: list[int]) -> Any:
    """The role's cell in ``row``: its first column's, or the next column's where that is empty."""
    for index in columns:
        value = row[index] if index < len(row) else None
        if not is_missing(value):
            return value
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip() or None


_TRAILING_COUNTRY = re.compile(r"^(?P<place>.+?)\s*(?:,\s*|\((?=.*\)$))(?P<country>[^,()]+?)\)?$")


def _split_place(fields: dict[str, Any], has_country: bool) -> None:
    """'Kyiv, Ukraine' or 'Genève (Suisse)' in one cell: the place, and the country when the last
    part names one (and the row has no country of its own). 'Washington, D.C.' stays whole."""
    place = fields.get("place")
    if not place or ("," not in place and "(" not in place):
        return
    match = _TRAILING_COUNTRY.match(place)
    if match is None or country_code(match["country"]) is None:
        return
    fields["place"] = match["place"].strip()
    if not fields.get("country"):
        fields["country"] = match["country"].strip()


def _read_dates(fields: dict[str, Any], cells: dict[str, Any], columns: dict[str, list[int]],
                orders: dict[int, str | None]) -> None:
    """arrive and depart as When (or Unread, which the collector reports) from the table's date
    columns: one date (arrive = depart), a range in one cell, or arrive and depart columns."""
    def order_of(role: str) -> str | None:
        return orders.get(columns[role][0]) if role in columns else None

    single = "date" if "arrive" not in columns else "arrive"
    start = _when(cells.get(single), order_of(single))
    if isinstance(start, tuple):
        fields["arrive"], range_end = start
    else:
        fields["arrive"], range_end = start, None
    if "depart" in columns and not is_missing(cells.get("depart")):
        end = _when(cells.get("depart"), order_of("depart"))
        fields["depart"] = end[1] if isinstance(end, tuple) else end
    else:
        fields["depart"] = range_end


def _when(value: Any, order: str | None):
    """None for an empty cell; When, or (start, end) for a range; Unread when it is not a date."""
    if is_missing(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _EXCEL_DAYS[0] < value < _EXCEL_DAYS[1]:
        value = _EXCEL_EPOCH + timedelta(days=float(value))
        value = value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        try:  # the project's own form first: ISO, with a UTC offset when it has one
            return parse_when(value)
        except ValueError:
            pass
    try:
        start, end, has_time = read_cell(value, order)
    except DateError as exc:
        return Unread(str(value), str(exc))
    first, last = When(start, has_time, None), When(end, has_time and end != start, None)
    return first if start == end else (first, last)


def table_title(file: str, sheet: str | None, several: bool) -> str:
    """A trip's title from its file name ('carney_europe-2025.xlsx' -> 'carney europe 2025'), and
    the sheet's when a workbook holds several trips."""
    stem = re.sub(r"[_\s]+", " ", Path(file).stem.replace("-", " ")).strip() or "Trip"
    return f"{stem}: {sheet}" if several and sheet else stem
