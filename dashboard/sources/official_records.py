"""Official travel records: the XML the US Office of the Historian publishes for presidents and
secretaries of state (``<trips><trip role= who=>`` with ``id``, ``name``, ``start-date``,
``end-date``, ``country``, ``locale``, ``remarks``), and any other office's records in the same
schema.

One record is one country visit. Records become stops: a locale naming several places
("London, Cornwall"; "Brussels and Bruges") becomes one stop per place on the record's dates,
an empty locale a country-level stop. The record's country (as written at the time: "U.S.S.R.",
"Germany, Federal Republic of") is the stop's country hint; the geocoder maps it to today's
countries. Remarks become an event sourced to the record.

Tours: the records of one traveller, sorted by start date, belong to one tour while each
record starts no later than the day after the previous records end (touching or overlapping
dates); a gap of a day or more with no record starts a new tour.

Parsed with defusedxml: entity declarations (billion laughs), external entities and DTDs are
refused, and nothing is ever fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from dashboard.itinerary import ItineraryError, StopCollector, slugify

SOURCE_NAME = "Office of the Historian, U.S. Department of State"
# The pages these records are published on; {role} and {who} come from each record.
SOURCE_URL = "https://history.state.gov/departmenthistory/travels/{role}/{who}"
ROOT = "trips"
RECORD = "trip"
_PLACE_SEPARATORS = re.compile(r",|;|\band\b|&")
# Remarks are free text; the first rule that matches names the event's kind.
_KIND_RULES = (
    ("agreement", r"\bsign(ed|ing)\b|\btreaty\b|\bagreement\b|\baccord\b"),
    ("speech", r"\baddress(ed)?\b|\bspeech\b|\bspoke\b"),
    ("ceremony", r"\bceremon|\bfuneral\b|\binaugura|\bcoronation\b|\bcommemorat|\bwreath\b|\bmemorial service\b"),
    ("meeting", r"\bmet\b|\bmeeting\b|\btalks\b|\bconference\b|\bsummit\b|\bconsult"),
    ("visit", r"\bvisit|\binspect|\btour(ed)?\b|\breview(ed)?\b"),
    ("travel", r"\ben route\b|\brefuel|\bdisembark|\bstopover\b|\bstopped\b|\btransit\b"),
)


@dataclass
class _Record:
    number: int
    record_id: str
    role: str
    who: str
    name: str
    start: date | None
    end: date | None
    country: str | None
    locale: str | None
    remarks: str | None
    raw: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"record {self.record_id}" if self.record_id else f"record #{self.number}"


def looks_like_records(content: str) -> bool:
    """True for XML whose root element is <trips> (after the declaration and any comments)."""
    head = content.lstrip()[:2000]
    return head.startswith("<") and re.search(r"<trips[\s>]", head) is not None


def parse_records(text: str, collector: StopCollector) -> None:
    root = _root(text, collector.file)
    records = []
    for number, element in enumerate(root, start=1):
        if element.tag != RECORD:
            collector.problem("warning", f"element #{number}", element.tag, None,
                              f"unexpected <{element.tag}> inside <{ROOT}>, ignored; each record is a <{RECORD}>")
            continue
        records.append(_read_record(number, element))
    if not records:
        raise ItineraryError(f"{collector.file}: <{ROOT}> holds no <{RECORD}> record")
    for tour in _tours(records, collector):
        _add_tour(tour, collector)


def _root(text: str, file: str) -> Element:
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ItineraryError(f"{file}: the XML declares a DTD or entities ({type(exc).__name__}), which "
                             "travel records never need and which can expand without end or fetch "
                             "files; remove the <!DOCTYPE ...> part") from None
    except ParseError as exc:
        line, column = exc.position
        raise ItineraryError(f"{file}, line {line} column {column}: not well-formed XML "
                             f"({str(exc).split(':')[0]}); the file may be cut short") from None
    if root.tag != ROOT:
        raise ItineraryError(f"{file}: the root element is <{root.tag}>, expected <{ROOT}> holding <{RECORD}> "
                             "records (the Office of the Historian's travel records schema)")
    return root


def _text(element: Element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    text = " ".join(child.text.split())
    return text or None


def _read_record(number: int, element: Element) -> _Record:
    raw = {tag: _text(element, tag) for tag in ("id", "role", "name", "start-date", "end-date", "country",
                                                 "locale", "remarks")}
    return _Record(
        number=number, record_id=raw["id"] or "", role=element.get("role") or raw["role"] or "",
        who=element.get("who") or slugify(raw["name"] or "") or "", name=raw["name"] or "",
        start=_date(raw["start-date"]), end=_date(raw["end-date"]) or _date(raw["start-date"]),
        country=raw["country"], locale=raw["locale"], remarks=raw["remarks"], raw=raw)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _tours(records: list[_Record], collector: StopCollector) -> list[list[_Record]]:
    """Records grouped into tours per traveller; records without a usable start date are
    reported (the collector names the element) and kept out of the grouping."""
    by_traveller: dict[str, list[_Record]] = {}
    for record in records:
        if record.start is None:
            # Validated (and reported) by the collector like any stop with a bad date.
            _add_tour([record], collector)
            continue
        by_traveller.setdefault(record.who, []).append(record)
    tours = []
    for traveller_records in by_traveller.values():
        traveller_records.sort(key=lambda r: (r.start, r.number))
        current: list[_Record] = []
        covered_until = date.min
        for record in traveller_records:
            if current and record.start > covered_until + timedelta(days=1):
                tours.append(current)
                current, covered_until = [], date.min
            current.append(record)
            covered_until = max(covered_until, record.end or record.start, record.start)
        if current:
            tours.append(current)
    return tours


def _add_tour(tour: list[_Record], collector: StopCollector) -> None:
    first = tour[0]
    countries = list(dict.fromkeys(r.country for r in tour if r.country))
    start = first.start
    shown = ", ".join(countries[:3]) + (f" and {len(countries) - 3} more" if len(countries) > 3 else "")
    title = f"{shown or 'Trip'}, {start.strftime('%B %Y')}" if start else (shown or "Trip")
    trip_id = slugify(f"{first.who} {start.isoformat() if start else first.label}")
    url = SOURCE_URL.format(role=first.role or "president", who=first.who) if first.who else None
    ids = ", ".join(r.record_id for r in tour if r.record_id)
    description = (f"{first.name}'s travel from the {SOURCE_NAME} records"
                   + (f" ({'record' if len(tour) == 1 else 'records'} {ids})" if ids else "") + ".")
    for record in tour:
        places = _places(record)
        source = f"{SOURCE_NAME}, {record.label}" + (f": {url}" if url else "")
        for index, place in enumerate(places):
            fields = {
                "trip": title, "trip_id": trip_id, "leader": record.name or None, "leader_role": record.role or None,
                "description": description, "place": place, "country": record.country,
                "arrive": record.raw["start-date"], "depart": record.raw["end-date"], "source": source,
                "note": (None if len(places) == 1
                         else f"one of {len(places)} places of {record.label} ({record.locale})"),
                "inferred": ["place"] if not record.locale else [],
                "_visit": f"{collector.file}#{record.number}",
                "_columns": {"trip": "name", "leader": "name", "place": "locale", "arrive": "start-date",
                             "depart": "end-date", "country": "country"},
            }
            events = []
            if record.remarks and index == 0:
                events.append((f"{record.label} remarks",
                               {"text": record.remarks, "kind": _kind(record.remarks), "source": source}))
            collector.add_stop(record.label if len(places) == 1 else f"{record.label}, place {index + 1}",
                               fields, events)


def _places(record: _Record) -> list[str | None]:
    """The locale's places; an empty locale is a visit to the whole country."""
    if not record.locale:
        return [record.country]
    parts = [p.strip(" .") for p in _PLACE_SEPARATORS.split(record.locale)]
    parts = [p for p in parts if p]
    return parts or [record.country]


def _kind(remarks: str) -> str:
    lowered = remarks.lower()
    for kind, pattern in _KIND_RULES:
        if re.search(pattern, lowered):
            return kind
    return "other"
