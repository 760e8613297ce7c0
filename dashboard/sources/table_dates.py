"""Dates as people write them in their own tables: ISO, day-first and month-first numbers
(24/08/2025, 08/24/2025, 24.08.2025), month names in English, French, German, Spanish and
Portuguese (24 August 2025, Aug 27, 2025, 24 août 2025, 24. August 2025), weekdays in front,
a time after, and ranges in one cell (24–25 Aug 2025, Dec 30, 2024–Jan 1, 2025).

A cell of numbers reads two ways when both of its first numbers are 12 or less: the order is
decided per column from all its values (``column_order``), never guessed from one cell."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from ..errors import TripvizError

ORDERS = ("dmy", "mdy", "ymd")

_MONTHS = {
    1: "january jan janvier janv januar jaenner janner enero ene janeiro",
    2: "february feb fevrier fevr fev februar febrero febr fevereiro",
    3: "march mar mars maerz marz marzo marco",
    4: "april apr avril avr abril abr",
    5: "may mai mayo maio",
    6: "june jun juin juni junio junho",
    7: "july jul juillet juil juli julio julho",
    8: "august aug aout agosto ago",
    9: "september sep sept septembre septiembre setiembre setembro set",
    10: "october oct octobre oktober okt octubre outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec decembre dezember dez diciembre dic dezembro",
}
MONTH_NAMES = {name: number for number, names in _MONTHS.items() for name in names.split()}
# Full names, and English abbreviations: short forms in other languages collide with months
# ("mar" is Tuesday in Spanish and March in English).
_WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
             "lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag "
             "samstag sonnabend sonntag lunes martes miercoles jueves viernes sabado domingo segunda terca quarta "
             "quinta sexta").split()
_WEEKDAY = re.compile(r"^(?:" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?:-feira)?\.?,?\s+")
_MONTH = "(?P<{0}>" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[ t,]+(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>am|pm)?(?:\s*(?:utc|z))?)?"
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + "$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})\.?" + _TIME + "$")
_DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|o)?\.?\s*(?:de\s+)?" + _MONTH.format("m")
                        + r",?\s*(?:de\s+)?(?P<y>\d{4})?" + _TIME + "$")
_MONTH_DAY = re.compile(r"^" + _MONTH.format("m") + r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y>\d{4})?"
                        + _TIME + "$")
# Where a cell holds a range: a dash of any kind between two dates, or the words between them.
_RANGE_SPLIT = re.compile(r"\s*(?:[–—]|\s-\s|(?<=[a-z.])-(?=\d)|(?<=\d)-(?=\d)|(?<=\d)-(?=[a-z])"
                          r"|\s(?:to|until|till|au|bis|al|a|ate|hasta)\s)\s*")


class DateError(TripvizError, ValueError):
    """A cell that is not a date in any form this reader knows; the message says what would work."""


@dataclass(frozen=True)
class Reading:
    """One cell's date or range. ``ambiguous`` holds the (first, second) numbers of a cell that
    reads both day-first and month-first; ``resolve`` applies the column's order."""

    start: datetime
    end: datetime
    has_time: bool
    ambiguous: tuple[int, int] | None = None


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def read_cell(value, order: str | None) -> tuple[datetime, datetime, bool]:
    """(start, end, has_time) of a cell: a date, a date-time, a spreadsheet's date cell or a range.
    ``order`` settles numeric dates (dmy, mdy or ymd); raises DateError."""
    if isinstance(value, datetime):
        return value, value, bool(value.hour or value.minute)
    if isinstance(value, date):
        moment = datetime.combine(value, time())
        return moment, moment, False
    text = fold(str(value))
    text = _WEEKDAY.sub("", text)
    single = _single(text, order, None)
    if single is not None:
        return single[0], single[0], single[1]
    parts = [p for p in _RANGE_SPLIT.split(text, maxsplit=1) if p]
    if len(parts) == 2:
        end = _single(_WEEKDAY.sub("", parts[1]), order, None)
        start_text = _WEEKDAY.sub("", parts[0])
        if end is None:  # 'Aug 24-25, 2025': the end borrows the start's month
            month_day = _MONTH_DAY.match(start_text)
            day_year = re.fullmatch(r"(\d{1,2}),?\s*(\d{4})", parts[1].strip())
            if month_day and day_year and not month_day["y"]:
                end = _make(int(day_year[2]), MONTH_NAMES[month_day["m"].rstrip(".")], int(day_year[1]), None)
        if end is not None:
            start = _single(start_text, order, end[0])
            if start is not None:
                if start[0] > end[0]:
                    raise DateError(f"the range '{value}' ends before it starts")
                return start[0], end[0], start[1] or end[1]
    raise DateError(f"'{value}' is not a date this reader knows; write it as 2025-08-24, 24/08/2025, "
                    "24 August 2025 or Aug 24, 2025 (a range as 24-25 Aug 2025)")


def numeric_parts(value) -> tuple[int, int] | None:
    """The first two numbers of a cell like 03/04/2025, for deciding a column's order; None for
    any other form (month names, ISO, date cells)."""
    if isinstance(value, (date, datetime)):
        return None
    text = _WEEKDAY.sub("", fold(str(value)))
    found = []
    for part in [p for p in _RANGE_SPLIT.split(text) if p] or [text]:
        match = _NUMERIC.match(part)
        if match and len(match.group("a")) <= 2:
            found.append((int(match.group("a")), int(match.group("b"))))
    return found[0] if found else None


def column_order(values: list, given: str | None) -> tuple[str | None, str | None]:
    """The order of a column's numeric dates: (order, None), or (None, why not). ``given`` (the
    user's --date-order) wins; otherwise a value past 12 in first place says day-first, in second
    place month-first; a column where every value reads both ways has no order."""
    if given:
        return given, None
    pairs = [p for p in (numeric_parts(v) for v in values) if p]
    if not pairs:
        return None, None  # nothing numeric: names and ISO dates need no order
    day_first = any(a > 12 for a, _ in pairs)
    month_first = any(b > 12 for _, b in pairs)
    if day_first and month_first:
        return None, "some dates are day-first (a first number over 12) and others month-first"
    if day_first:
        return "dmy", None
    if month_first:
        return "mdy", None
    return None, "every date reads both day-first and month-first"


def _single(text: str, order: str | None, later: datetime | None):
    """(moment, has_time) of one date, or None. ``later`` (the end of a range) lends its month and
    year to a start written without them ('24-25 Aug 2025')."""
    text = text.strip().rstrip(",")
    if later is not None and re.fullmatch(r"\d{1,2}\.?", text):
        return _make(later.year, later.month, int(text.rstrip(".")), None)
    match = _ISO.match(text)
    if match:
        return _make(int(match["y"]), int(match["m"]), int(match["d"]), match)
    match = _NUMERIC.match(text)
    if match:
        a, b, c = match["a"], match["b"], match["c"]
        if len(a) == 4:
            return _make(int(a), int(b), int(c), match)
        year = int(c) + (2000 if len(c) == 2 and int(c) < 70 else 1900 if len(c) == 2 else 0)
        if order == "mdy":
            return _make(year, int(a), int(b), match)
        if order == "dmy":
            return _make(year, int(b), int(a), match)
        if int(a) > 12 >= int(b):
            return _make(year, int(b), int(a), match)
        if int(b) > 12 >= int(a):
            return _make(year, int(a), int(b), match)
        raise _Ambiguous(int(a), int(b))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.match(text)
        if match:
            year = match["y"] or (later.year if later is not None else None)
            if year is None:
                return None
            moment = _make(int(year), MONTH_NAMES[match["m"].rstrip(".")], int(match["d"]), match)
            if moment and later is not None and not match["y"] and moment[0] > later:
                moment = _make(int(year) - 1, MONTH_NAMES[match["m"].rstrip(".")], int(match["d"]), match)
            return moment
    return None


def _make(year: int, month: int, day: int, match):
    hour = minute = 0
    has_time = bool(match is not None and match.groupdict().get("hour"))
    if has_time:
        hour, minute = int(match["hour"]), int(match["minute"])
        if match["ampm"] == "pm" and hour < 12:
            hour += 12
        elif match["ampm"] == "am" and hour == 12:
            hour = 0
    try:
        return datetime(year, month, day, hour, minute), has_time
    except ValueError:
        raise DateError(f"{year:04d}-{month:02d}-{day:02d} is not a real calendar date") from None


class _Ambiguous(DateError):
    def __init__(self, first: int, second: int):
        super().__init__(f"{first}/{second} reads as day {first} of month {second} or month {first}, day {second}")
        self.parts = (first, second)
