"""Each stop's IANA time zone from its coordinates, offline (issue 21: local times)."""

from __future__ import annotations

import datetime as dt
import io
import math
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from dashboard.geocoding.time_zones import is_nautical, zone_at

# Points in every kind of zone; each zone's offsets are checked on the dates a trip would have.
KINDS = [
    # (lat, lon, what kind, a January day's offset, a July day's offset)
    (28.61, 77.21, "half-hour, no DST", dt.timedelta(hours=5, minutes=30), dt.timedelta(hours=5, minutes=30)),
    (27.71, 85.32, "45-minute", dt.timedelta(hours=5, minutes=45), dt.timedelta(hours=5, minutes=45)),
    (-34.93, 138.60, "half-hour, southern DST", dt.timedelta(hours=10, minutes=30), dt.timedelta(hours=9, minutes=30)),
    (33.45, -112.07, "a state without DST", dt.timedelta(hours=-7), dt.timedelta(hours=-7)),
    (-33.87, 151.21, "southern hemisphere's DST", dt.timedelta(hours=11), dt.timedelta(hours=10)),
    (50.45, 30.52, "northern DST", dt.timedelta(hours=2), dt.timedelta(hours=3)),
    (-0.18, -78.47, "no DST near the equator", dt.timedelta(hours=-5), dt.timedelta(hours=-5)),
    (43.94, -176.56, "Chatham Islands, 45 minutes and DST", dt.timedelta(hours=13, minutes=45),
     dt.timedelta(hours=12, minutes=45)),
]


@pytest.mark.parametrize("lat, lon, kind, january, july", KINDS, ids=[k[2] for k in KINDS])
def test_a_zone_for_every_kind_of_offset_with_its_dst_on_the_stops_dates(lat, lon, kind, january, july):
    if kind.startswith("Chatham"):
        lat = -lat  # 43.94 S
    zone = zone_at(lat, lon)
    assert zone and not is_nautical(zone), (kind, zone)
    info = ZoneInfo(zone)
    assert dt.datetime(2025, 1, 15, 12, tzinfo=info).utcoffset() == january, (kind, zone)
    assert dt.datetime(2025, 7, 15, 12, tzinfo=info).utcoffset() == july, (kind, zone)


def test_across_a_border_each_side_keeps_its_own_zone():
    # Frankfurt (Oder) and Słubice face each other across the river: one zone's rules, two names.
    assert zone_at(52.342, 14.553) == "Europe/Berlin"
    assert zone_at(52.349, 14.566) == "Europe/Warsaw"
    # Ciudad Juárez and El Paso: the same hour in summer, not in winter.
    assert zone_at(31.69, -106.42) == "America/Ciudad_Juarez"
    assert zone_at(31.76, -106.49) == "America/Denver"


def test_the_open_sea_has_a_nautical_zone_and_missing_coordinates_none():
    at_sea = zone_at(0.0, -30.0)
    assert is_nautical(at_sea), at_sea
    assert ZoneInfo(at_sea).utcoffset(dt.datetime(2025, 7, 1)) == dt.timedelta(hours=-2)
    for lat, lon in [(None, 10.0), (math.nan, 10.0), (10.0, math.nan), (91.0, 0.0), (0.0, 181.0), ("x", 1.0)]:
        assert zone_at(lat, lon) is None


def test_geocoded_stops_carry_their_zone_and_the_csv_download_keeps_it(tmp_path):
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.paths import DEFAULT_TRIP
    from dashboard.sources import load_itinerary
    from dashboard.sources.csv_file import write_csv
    from dashboard.store import SQLiteStore

    itinerary = load_itinerary(DEFAULT_TRIP)
    placed = PlaceResolver(store=SQLiteStore(tmp_path / "s.sqlite")).geocode_stops(itinerary.stops)
    zones = dict(zip(placed["place"], placed["timezone"]))
    assert zones["Kyiv"] == "Europe/Kyiv" and zones["Warsaw"] == "Europe/Warsaw"
    table = pd.read_csv(io.StringIO(write_csv(placed, itinerary.events, itinerary.trips)))
    assert list(table["timezone"]) == list(placed["timezone"])


def test_a_stop_pinned_elsewhere_gets_the_zone_of_its_new_place():
    from dashboard import state

    store = {"stops": [{"trip_id": "t", "stop_no": 1, "place": "Kyiv", "lat": 50.45, "lon": 30.52,
                        "timezone": "Europe/Kyiv"}], "events": [], "trips": []}
    moved = state.replace_stop(store, "t", 1, {"lat": 28.61, "lon": 77.21})
    assert moved["stops"][0]["timezone"] == "Asia/Kolkata"
    renamed = state.replace_stop(store, "t", 1, {"note": "no move"})
    assert renamed["stops"][0]["timezone"] == "Europe/Kyiv"


def test_times_of_day_are_shown_in_the_stops_zone_on_its_date():
    from dashboard.figures.common import local_time_note, stop_dates

    summer, winter = pd.Timestamp("2025-08-24 10:00"), pd.Timestamp("2025-01-15 10:00")
    assert local_time_note(summer, None, "Europe/Kyiv", True) == " (local time, EEST, UTC+03:00)"
    assert local_time_note(winter, None, "Europe/Kyiv", True) == " (local time, EET, UTC+02:00)"
    assert local_time_note(summer, None, "Asia/Kathmandu", True) == " (local time, UTC+05:45)"
    assert local_time_note(summer, None, "Australia/Sydney", True) == " (local time, AEST, UTC+10:00)"
    # The itinerary's own offset wins; dates without a time need no zone.
    assert local_time_note(summer, "+02:00", "Europe/Kyiv", True) == " (local time, UTC+02:00)"
    assert local_time_note(summer, None, "Europe/Kyiv", False) == ""
    assert local_time_note(summer, None, None, True) == ""
    stop = {"arrive": summer, "depart": summer, "arrive_has_time": True, "depart_has_time": False,
            "utc_offset": None, "timezone": "America/Phoenix"}
    assert stop_dates(stop).endswith("(local time, MST, UTC-07:00)")


def test_a_download_writes_times_with_the_zones_offset_and_reads_back_the_same(tmp_path):
    from dashboard.figures.common import date_labels
    from dashboard.geocoding.resolver import PlaceResolver
    from dashboard.sources import parse_itinerary
    from dashboard.sources.csv_file import write_csv
    from dashboard.sources.json_file import write_json
    from dashboard.store import SQLiteStore

    resolver = PlaceResolver(store=SQLiteStore(tmp_path / "s.sqlite"))
    table = ("trip,leader,place,country,arrive,depart\n"
             "Tour,A Leader,Kyiv,Ukraine,2025-08-24T07:30,2025-08-24T18:00\n"
             "Tour,A Leader,Kathmandu,Nepal,2025-12-01T09:15,2025-12-02\n"
             "Tour,A Leader,Sydney,Australia,2025-12-05,2025-12-06\n")
    first = parse_itinerary(table, "tour.csv")
    placed = resolver.geocode_stops(first.stops)
    labels = date_labels(placed)
    assert labels[0].endswith("(local time, EEST, UTC+03:00)") and labels[1].endswith("(local time, UTC+05:45)")
    assert "local time" not in labels[2]  # dates alone: no zone to state
    written = write_csv(placed, first.events, first.trips)
    assert "2025-08-24T07:30+03:00" in written and "2025-12-01T09:15+05:45" in written
    for text, name in ((written, "again.csv"), (write_json(placed, first.events, first.trips), "again.json")):
        again = parse_itinerary(text, name)
        assert date_labels(resolver.geocode_stops(again.stops)) == labels, name
