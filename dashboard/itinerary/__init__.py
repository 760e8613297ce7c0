"""The itinerary: the frame model every part of the project shares, and the validation every
source shares. ``model`` declares the stops, events and trips frames and the problems a load
reports; ``values`` reads dates, coordinates and links; ``missing`` says once what a missing
value is (with pandas 3 a partly filled text column holds NaN, not None); ``collector``
validates one stop at a time for every source (``dashboard.sources``).

Validation never stops at the first problem: every problem is collected with the file, the
row as a spreadsheet user counts it (or the JSON path), the column, the bad value and what
was expected. Rows with errors are dropped and listed; every good row still loads. Only a
file that cannot be read as a table at all raises :class:`ItineraryError`.
"""

from dashboard.itinerary.collector import StopCollector
from dashboard.itinerary.missing import frame_rows, is_missing, text_or_none
from dashboard.itinerary.model import (
    APPROXIMATE,
    EVENT_COLUMNS,
    EVENT_KINDS,
    EVENT_SEPARATOR,
    GEOCODED_CSV_COLUMNS,
    NEEDS_REVIEW,
    OPTIONAL_CSV_COLUMNS,
    REQUIRED_CSV_COLUMNS,
    STOP_COLUMNS,
    TRIP_COLUMNS,
    Itinerary,
    ItineraryError,
    Problem,
    combine,
    events_by_stop,
    events_frame,
    placement_confidence,
    placement_note,
    rows_by_trip,
    stops_frame,
    stops_schema,
)
from dashboard.itinerary.values import (
    DATE_HELP,
    SAFE_URL,
    iso_moment,
    led_by,
    parse_when,
    safe_url,
    slugify,
    zone_abbreviation,
    zone_offset,
)

__all__ = [
    "APPROXIMATE", "DATE_HELP", "EVENT_COLUMNS", "EVENT_KINDS", "EVENT_SEPARATOR", "GEOCODED_CSV_COLUMNS",
    "NEEDS_REVIEW", "OPTIONAL_CSV_COLUMNS", "REQUIRED_CSV_COLUMNS", "SAFE_URL", "STOP_COLUMNS", "TRIP_COLUMNS",
    "Itinerary", "ItineraryError", "Problem", "StopCollector", "combine", "events_by_stop", "events_frame",
    "frame_rows", "is_missing", "iso_moment", "led_by", "parse_when", "placement_confidence", "placement_note", "rows_by_trip", "safe_url",
    "slugify", "stops_frame", "stops_schema", "text_or_none", "zone_abbreviation", "zone_offset",
]
