"""Every valid itinerary through every output (hypothesis).

Valid itineraries come from ``tests/strategies.py``: optional columns empty, partly filled or
full, odd Unicode and markup, several trips. Each goes through the loader, the geocoder, both
figures (validated by plotly in full), the standalone HTML page, the CSV and JSON downloads (and
a reload that must give back the same frames), and every dashboard callback as a plain
function. The browser and PNG outputs are in ``test_properties_browser.py``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import os
import re
import tempfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import HealthCheck, given, settings

from dashboard import countries, figures, state
from dashboard.export import standalone_html
from dashboard.export.packing import unpacked
from dashboard.features import editing, files, shared_store, traveller_record, trip_view
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.itinerary import EVENT_COLUMNS, frame_rows, stops_schema
from dashboard.sources import parse_itinerary
from dashboard.sources.csv_file import write_csv
from dashboard.sources.json_file import write_json
from dashboard.store import SQLiteStore, open_store
from dashboard.store.access import WritePolicy
from tests.strategies import as_csv, as_json, itineraries

PROPERTY_SETTINGS = settings(max_examples=int(os.environ.get("TRIPVIZ_PROPERTY_EXAMPLES", "40")), deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# What a reload must give back exactly (the file and row a stop came from naturally differ).
SAME_STOP_COLUMNS = ["trip_id", "trip", "leader", "stop_no", "place", "country", "arrive", "depart",
                     "arrive_has_time", "depart_has_time", "utc_offset", "lat", "lon", "source", "inferred", "note"]
CSV_EVENT_COLUMNS = ["trip_id", "stop_no", "event_no", "time", "text", "kind"]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory):
    return PlaceResolver(store=SQLiteStore(tmp_path_factory.mktemp("store") / "store.sqlite"))


def load(text: str, name: str):
    loaded = parse_itinerary(text, name)
    assert loaded.errors == [], [str(p) for p in loaded.errors]
    assert not loaded.dropped
    return loaded


def in_effect(frame: pd.DataFrame, zones: pd.Series) -> pd.DataFrame:
    """The frame with each stop's UTC offset as in effect: the one stated, else its time zone's
    at its first time of day (a download writes times with that offset)."""
    from dashboard.itinerary import zone_offset

    out = frame.copy()
    out["utc_offset"] = [
        offset if isinstance(offset, str) and offset else
        zone_offset(arrive, zone) if arrive_timed else zone_offset(depart, zone) if depart_timed else None
        for offset, arrive, depart, arrive_timed, depart_timed, zone in zip(
            frame["utc_offset"], frame["arrive"], frame["depart"], frame["arrive_has_time"], frame["depart_has_time"],
            zones.tolist())]
    return out


def comparable(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    rows = frame_rows(frame[columns])
    for row in rows:
        for key in ("lat", "lon"):
            if key in row and row[key] is not None:
                row[key] = round(float(row[key]), 5)
    return rows


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity: they are not JSON, and browsers reject them."""
    def refuse(token):
        raise AssertionError(f"{token} in JSON output")
    return json.loads(text, parse_constant=refuse)


def assert_no_stray_missing(text: str, trips: list[dict]) -> None:
    """'nan' or 'None' shown to a reader is a missing value turned into text, unless the input
    itself said so."""
    typed = json.dumps(trips, ensure_ascii=False).lower()
    for word in ("nan", "none"):
        if word not in typed:
            assert not re.search(rf"\b{word}\b", text.lower()), f"{word!r} shown: {text[:300]}"


def shown_text(component) -> str:
    """The text a reader sees in Dash components (their repr also says None for empty props)."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(shown_text(c) for c in component)
    return shown_text(getattr(component, "children", None))


def check_figures(stops: pd.DataFrame, events: pd.DataFrame) -> None:
    first = stops["trip_id"].iloc[0]
    selected = (first, int(stops["stop_no"].iloc[-1]))
    for fig in (figures.map_figure(stops, events), figures.map_figure(stops, events, whole_world=True),
                figures.map_figure(stops, events, animate=True, selected=selected),
                figures.timeline_figure(stops, events, selected=selected)):
        go.Figure(fig.to_dict())  # full validation of what was built without it
        for trace in fig.data:  # user text reaches plotly.js only as inert text
            for text in list(getattr(trace, "text", None) or []) + [trace.name or ""]:
                assert "<" not in str(text), text
    timeline = figures.timeline_figure(stops, events)
    for label in pd.Series(timeline.data[0].y if len(stops["trip_id"].unique()) == 1 else timeline.data[0].y[1]):
        assert "<" not in str(label)


@PROPERTY_SETTINGS
@given(trips=itineraries())
def test_json_itinerary_through_every_output(trips, resolver):
    loaded = load(as_json(trips), "trips.json")
    assert len(loaded.stops) == sum(len(t["stops"]) for t in trips)
    stops_schema().validate(loaded.stops)
    placed = resolver.geocode_stops(loaded.stops)
    check_figures(placed.dropna(subset=["lat"]) if placed["lat"].notna().any() else placed, loaded.events)

    page = standalone_html(placed, loaded.events)
    packed = re.search(r'<script id="page-data" type="application/octet-stream">(.*?)</script>', page, re.S).group(1)
    strict_json(unpacked(packed.strip()).decode("utf-8"))
    assert "</script><script>window.__pwned" not in page
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    assert_no_stray_missing(re.sub(r"<[^>]+>", " ", body), trips)

    # The JSON download loads back to the same stops and events.
    text = write_json(placed, loaded.events, loaded.trips)
    strict_json(text)
    again = load(text, "download.json")
    assert comparable(in_effect(again.stops, placed["timezone"]), SAME_STOP_COLUMNS) == \
        comparable(in_effect(placed, placed["timezone"]), SAME_STOP_COLUMNS)
    assert comparable(again.events, EVENT_COLUMNS) == comparable(loaded.events, EVENT_COLUMNS)

    # The CSV download loads back to the same stops, and the events it carries.
    table = write_csv(placed, loaded.events, loaded.trips)
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == len(placed) and all("nan" not in (r["geocode_note"] or "").lower().split() for r in rows)
    again = load(table, "download.csv")
    assert comparable(in_effect(again.stops, placed["timezone"]), SAME_STOP_COLUMNS) == \
        comparable(in_effect(placed, placed["timezone"]), SAME_STOP_COLUMNS)
    assert comparable(again.events, CSV_EVENT_COLUMNS) == comparable(loaded.events, CSV_EVENT_COLUMNS)


@PROPERTY_SETTINGS
@given(trips=itineraries())
def test_csv_itinerary_loads_like_its_json_twin(trips):
    from_json = load(as_json(trips), "trips.json")
    from_csv = load(as_csv(trips), "trips.csv")
    assert comparable(from_csv.stops, SAME_STOP_COLUMNS) == comparable(from_json.stops, SAME_STOP_COLUMNS)
    assert comparable(from_csv.events, CSV_EVENT_COLUMNS) == comparable(from_json.events, CSV_EVENT_COLUMNS)


@PROPERTY_SETTINGS
@given(trips=itineraries())
def test_every_callback_takes_any_valid_itinerary(trips, resolver):
    contents = "data:application/json;base64," + base64.b64encode(as_json(trips).encode()).decode()
    loaded = files.load_upload(contents, "trips.json", None, None, resolver)
    own, options, trip_id, messages = (loaded[k] for k in ("own", "options", "trip_id", "messages"))
    assert trip_id == "trip-0" and len(options) == len(trips)
    assert "Loaded" in shown_text(messages)
    for trip in trips:
        stops, _, _ = state.frames(own, trip["id"])
        for stop_no in [None] + list(stops["stop_no"]):
            selection = None if stop_no is None else {"trip_id": trip["id"], "stop_no": int(stop_no)}
            shown = trip_view.render_trip(trip["id"], None, own, selection, [])
            text, rows, candidates = shown["text"], shown["grid_rows"], shown["candidates"]
            details, summary, story = shown["details"], shown["header"], shown["story"]
            assert len(rows) == len(trip["stops"])
            assert shown["candidates_hidden"] == (not candidates)
            assert_no_stray_missing(text + json.dumps(rows, ensure_ascii=False, default=str), trips)
            assert_no_stray_missing(shown_text(details) + shown_text(summary)
                                    + json.dumps(story, ensure_ascii=False), trips)
            for candidate in candidates:
                editing.pick_candidate(candidate["value"], selection, None, own, resolver)
        for trigger in ("export-html", "export-csv", "export-json"):
            download = files.export_download(trigger, trip["id"], None, own)
            assert download["content"]
        # Saved to the shared store and read back: the same stops.
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"{folder}/store.sqlite")
            saved = shared_store.save_trip_to_store(store, WritePolicy(None, "127.0.0.1"), trip["id"], None,
                                                    own, {}, None, "hypothesis")
            status, opened = saved["status"], saved["opened"]
            assert opened == {trip["id"]: 1}, shown_text(status)
            again = load(json.dumps(store.trip(trip["id"])[0]), "saved.json")
            assert len(again.stops) == len(trip["stops"])
        # Edits as the grid sends them, good and bad; none raises, each bad one is named.
        row = {"stop_no": 1, "place": trip["stops"][0]["place"], "country": math.nan, "lat": None, "lon": None}
        outcome = editing.apply_cell_edits(
            [{"colId": "country", "data": row}, {"colId": "lat", "data": dict(row, lat="north"), "newValue": "north"},
             {"colId": "place", "data": {"place": "Kyiv"}}, "not a change"], trip["id"], None, own, resolver)
        edited, messages = outcome["own"], outcome["messages"]
        assert "coordinates must be numbers" in str(messages) and "names no stop" in str(messages)
        assert state.frames(edited, trip["id"])[0]["country"].isna().iloc[0]
    # A traveller's record for every traveller, compared with the first, searched by a place.
    names = [o["value"] for o in traveller_record.traveller_options(None, own)]
    iso3, continents = countries.iso3_codes(), countries.continents()
    for name in names:
        years = traveller_record.collection_years(name, None, own)[2]
        for colour_by in ("tour", "year"):
            record = traveller_record.render_collection(
                name, names[0], colour_by, years, trips[0]["stops"][0]["place"], None, own, iso3, continents)
            summary, comparison, results = record["summary"], record["comparison"], record["search_results"]
            for fig in (record["record_map"], record["visits_map"], record["tours_timeline"]):
                go.Figure(fig.to_dict())  # valid in full
            assert_no_stray_missing(summary + shown_text(comparison) + shown_text(results), trips)
        assert traveller_record.export_collection(1, name, years, None, own)["content"].startswith("<!DOCTYPE html>")
