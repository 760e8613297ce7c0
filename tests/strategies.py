"""Hypothesis strategies for *valid* itineraries: every optional field empty, partly filled or
full, odd Unicode and markup, one-stop trips, same-day stops, date-times with offsets, several
trips. Each example is a list of trip documents in the project's JSON itinerary format, and
``as_csv`` writes the same trips in the CSV format where it can carry them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

from hypothesis import strategies as st

from dashboard.itinerary import EVENT_KINDS

MARKUP = ["<b>bold</b>", "<a href=\"javascript:alert(1)\">x</a>", "<span style=\"font-size:80px\">big</span>",
          "</script><script>window.__pwned=1</script>", "&amp; &lt;", "{{ template }}", "%{y}", "O'Brien \"quoted\"",
          "'s-Hertogenbosch", "Ādaži", "İstanbul", "Ꙋ", "مكة", "東京", "🇺🇦 Kyiv", "a\u0301", "‮reversed",
          "Zürich; Genève, Bern", "line\nbreak", "pipe | inside", "back\\slash", "12:30 looks like a time",
          "[meeting] looks like a kind", "nan", "None", "NULL", "-", " padded "]
FIELDS = ["place", "arrive", "depart", "lat", "lon", "country", "events"]

# Printable text from any script: no control characters (a spreadsheet cell cannot hold them)
# and no lone surrogates (not Unicode text).
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
free_text = st.text(_chars, min_size=1, max_size=30)
name = st.one_of(st.sampled_from(MARKUP), free_text, st.text(_chars, min_size=60, max_size=120)).filter(
    lambda s: s.strip())
optional_text = st.one_of(st.none(), st.just(""), name)
# A person's name is listed, and lists are stored joined by "; ".
person = name.filter(lambda s: ";" not in s).map(str.strip)


@st.composite
def event(draw, day: date) -> dict:
    document = {"text": draw(name)}
    if draw(st.booleans()):
        document["kind"] = draw(st.sampled_from(EVENT_KINDS))
    if draw(st.booleans()):
        moment = datetime.combine(day, datetime.min.time()) + timedelta(minutes=draw(st.integers(0, 1439)))
        document["time"] = moment.strftime("%H:%M")
    if draw(st.booleans()):
        document["people"] = draw(st.lists(person, max_size=3))
    source = draw(st.one_of(st.none(), st.just("https://example.org/report?a=1&b=2"), name))
    if source is not None:
        document["source"] = source
    return document


def _stamp(moment: datetime, timed: bool, offset: str | None) -> str:
    if not timed:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes") + (offset or "")


@st.composite
def trip(draw, index: int) -> dict:
    start = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 11, 30)))
    offset = draw(st.sampled_from([None, None, "+00:00", "+05:30", "-03:00", "+14:00"]))
    stops = []
    day = start
    for _ in range(draw(st.integers(1, 5))):
        length = draw(st.integers(0, 2))
        end = min(day + timedelta(days=length), date(9999, 12, 31))
        timed = draw(st.booleans())
        arrive = datetime.combine(day, datetime.min.time()) + timedelta(hours=draw(st.integers(6, 11)))
        depart = datetime.combine(end, datetime.min.time()) + timedelta(hours=draw(st.integers(12, 22)))
        stop = {"place": draw(name), "arrive": _stamp(arrive, timed, offset)}
        if draw(st.booleans()) or timed:
            stop["depart"] = _stamp(depart, timed, offset)
        if draw(st.integers(0, 3)):  # mostly placed by coordinates; the rest by the gazetteer
            stop["lat"] = draw(st.floats(-89.9, 89.9).map(lambda v: round(v, 5)))
            stop["lon"] = draw(st.floats(-179.9, 179.9).map(lambda v: round(v, 5)))
        for key in ("country", "source", "note"):
            value = draw(st.one_of(st.none(), st.sampled_from(["UA", "Poland", "DEU", "U.S.S.R.", "Atlantis"]))
                         if key == "country" else optional_text)
            if value is not None:
                stop[key] = value
        if draw(st.booleans()):
            stop["inferred"] = draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True))
        stop["events"] = draw(st.lists(event(day), max_size=3))
        stops.append(stop)
        day = min(end + timedelta(days=draw(st.integers(0, 1))), date(9999, 12, 31))
    document = {"id": f"trip-{index}", "title": draw(name), "leader": draw(name), "stops": stops}
    for key in ("leader_role", "description"):
        value = draw(optional_text)
        if value is not None:
            document[key] = value
    return document


@st.composite
def itineraries(draw) -> list[dict]:
    return [draw(trip(index)) for index in range(draw(st.integers(1, 3)))]


def as_json(trips: list[dict]) -> str:
    return json.dumps({"trips": trips}, ensure_ascii=False)


def as_csv(trips: list[dict]) -> str:
    """The same trips as CSV rows, one per stop (events as '[kind] HH:MM text'; people and
    per-event sources are JSON-only, so the CSV strategy leaves them out)."""
    from dashboard.sources.csv_file import csv_event

    out = io.StringIO()
    columns = ["trip_id", "trip", "leader", "leader_role", "description", "place", "country", "arrive", "depart",
               "lat", "lon", "events", "source", "inferred", "note"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for document in trips:
        for stop in document["stops"]:
            arrive = datetime.fromisoformat(stop["arrive"][:10])
            events = [csv_event({"kind": e.get("kind", "other"), "text": e["text"].strip(),
                                 "time": f"{stop['arrive'][:10]}T{e['time']}" if e.get("time") else None}, arrive)
                      for e in stop["events"]]
            writer.writerow({
                "trip_id": document["id"], "trip": document["title"], "leader": document["leader"],
                "leader_role": document.get("leader_role"), "description": document.get("description"),
                "place": stop["place"], "country": stop.get("country"), "arrive": stop["arrive"],
                "depart": stop.get("depart"), "lat": stop.get("lat"), "lon": stop.get("lon"),
                "events": " | ".join(events), "source": stop.get("source"),
                "inferred": "|".join(stop.get("inferred", [])), "note": stop.get("note")})
    return out.getvalue()
