"""The values a source hands over, read the same way for every format: dates and date-times,
coordinates, event times, links that may be shown, trip ids made from names."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# A source that may be shown as a link: plain http(s) only (never javascript:, data: and the like).
SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(value) -> str | None:
    """``value`` when it is a link a page may show, else None."""
    return value.strip() if isinstance(value, str) and SAFE_URL.match(value.strip()) else None


DATE_HELP = "an ISO 8601 date such as 2025-08-24 or a date-time such as 2025-08-24T14:30+03:00"


@dataclass(frozen=True)
class When:
    local: datetime
    has_time: bool
    utc_offset: str | None


@dataclass(frozen=True)
class Unread:
    """A date cell a source could not read, handed on for the collector to report with the
    source's own advice (what would work)."""

    text: str
    reason: str


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_when(text: str) -> When:
    """Parse an ISO 8601 date or date-time; the clock is local time at the stop.

    Raises ValueError with a message meant for the user.
    """
    raw = text.strip()
    if _DATE_ONLY.match(raw):
        try:
            return When(datetime.combine(date.fromisoformat(raw), datetime.min.time()), False, None)
        except ValueError:
            raise ValueError(f"{raw} is not a real calendar date") from None
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", raw):
        raise ValueError(f"unknown date format; expected {DATE_HELP}")
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"not a real date and time; expected {DATE_HELP}") from None
    offset = None
    if parsed.tzinfo is not None:
        delta = parsed.utcoffset() or timedelta(0)
        minutes = int(delta.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return When(parsed.replace(tzinfo=None), True, offset)


def parse_coordinate(text: Any, low: float, high: float) -> float:
    if isinstance(text, bool):
        raise ValueError("expected a number")
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"out of range; expected a number from {low:g} to {high:g}")
    return value


def iso_moment(moment, has_time: bool, offset: str | None, zone: str | None = None) -> str:
    """A stop's arrival or departure as the itinerary files write it: a date, or a date-time
    with the offset it was given in, else its zone's offset on that day (so that a file read
    back means the same instant)."""
    # isoformat, not strftime: strftime writes the year 999 as "999", which no ISO reader takes.
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes") + (offset or zone_offset(moment, zone) or "")


def zone_offset(moment, zone: str | None) -> str | None:
    """The zone's UTC offset at a local moment, as "+03:00" (DST included); None when unknown."""
    aware = _in_zone(moment, zone)
    if aware is None:
        return None
    minutes = int(aware.utcoffset().total_seconds() // 60)
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_abbreviation(moment, zone: str | None) -> str | None:
    """The zone's abbreviation at a local moment ("EEST"); None where tzdata has none (it
    writes "+0545" then) or the zone is unknown."""
    aware = _in_zone(moment, zone)
    name = (aware.tzname() or "") if aware is not None else ""
    return name if name[:1].isalpha() else None


def _in_zone(moment, zone: str | None) -> datetime | None:
    # NaT is a datetime that differs from itself.
    if not isinstance(zone, str) or not zone or not isinstance(moment, datetime) or moment != moment:
        return None
    try:
        return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def led_by(leader, text: str) -> str:
    """'Leader: text', or the text alone for a trip whose traveller a table did not name."""
    return f"{leader}: {text}" if isinstance(leader, str) and leader.strip() else text


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "trip"


def normalise_event_time(text: str, stop_day: date) -> str:
    """An event time is 'HH:MM' on the stop's first day, or a full ISO date-time."""
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hours, minutes = (int(p) for p in text.split(":"))
        if hours > 23 or minutes > 59:
            raise ValueError("not a real time of day; expected HH:MM such as 14:30")
        return datetime.combine(stop_day, datetime.min.time()).replace(
            hour=hours, minute=minutes
        ).isoformat(timespec="minutes")
    try:
        return parse_when(text).local.isoformat(timespec="minutes")
    except ValueError as exc:
        raise ValueError(f"{exc}, or HH:MM") from None
