"""Authoring a trip (issue 21), the store operations: a new trip, stops added, deleted and
moved with their numbers and events following, and typed fields checked before anything
changes."""

from __future__ import annotations

import pytest

from dashboard import state
from dashboard.authoring import (
    EditError,
    add_event,
    add_stop,
    delete_event,
    delete_stop,
    event_fields,
    move_stop,
    new_trip,
    order_warnings,
    replace_event,
    stop_fields,
    stop_of,
    trip_details,
)


def _trip_with_three_stops():
    store, trip_id = new_trip(state.EMPTY, "Baltic visit", "A Leader", "Prime Minister")
    for place, day in (("Riga", "2025-05-01"), ("Vilnius", "2025-05-02"), ("Tallinn", "2025-05-03")):
        store, _ = add_stop(store, trip_id, stop_fields(place, None, day, None))
    events = [{"trip_id": trip_id, "stop_no": n, "event_no": 1, "kind": "meeting", "text": f"talks {n}",
               "time": None, "people": None, "source": None} for n in (1, 2, 3)]
    return dict(store, events=events), trip_id


def _places(store, trip_id):
    return [s["place"] for s in sorted((s for s in store["stops"] if s["trip_id"] == trip_id),
                                       key=lambda s: s["stop_no"])]


def _events(store, trip_id):
    return {e["text"]: e["stop_no"] for e in store["events"] if e["trip_id"] == trip_id}


def test_a_new_trip_gets_a_unique_id_and_its_fields():
    store, first = new_trip(state.EMPTY, "Baltic visit", "A Leader", "Prime Minister")
    store, second = new_trip(store, "Baltic visit", "Another")
    assert (first, second) == ("baltic-visit", "baltic-visit-2")
    assert store["trips"][0]["leader_role"] == "Prime Minister" and store["trips"][1]["leader_role"] is None
    assert [o["value"] for o in state.trip_options(store)] == [first, second]
    with pytest.raises(EditError) as error:
        new_trip(store, "  ", "A Leader")
    assert error.value.field == "Trip title"


def test_stops_are_added_after_the_chosen_one_and_numbered_again_with_their_events():
    store, trip_id = _trip_with_three_stops()
    store, number = add_stop(store, trip_id, stop_fields("Helsinki", "Finland", "2025-05-02", None), after=1)
    assert number == 2
    assert _places(store, trip_id) == ["Riga", "Helsinki", "Vilnius", "Tallinn"]
    assert _events(store, trip_id) == {"talks 1": 1, "talks 2": 3, "talks 3": 4}
    stops, _, _ = state.frames(store, trip_id)  # the frames the figures draw from
    assert stops["stop_no"].tolist() == [1, 2, 3, 4]


def test_deleting_a_stop_drops_its_events_and_moving_one_keeps_them():
    store, trip_id = _trip_with_three_stops()
    deleted = delete_stop(store, trip_id, 2)
    assert _places(deleted, trip_id) == ["Riga", "Tallinn"]
    assert _events(deleted, trip_id) == {"talks 1": 1, "talks 3": 2}
    moved, number = move_stop(store, trip_id, 3, -1)
    assert number == 2 and _places(moved, trip_id) == ["Riga", "Tallinn", "Vilnius"]
    assert _events(moved, trip_id) == {"talks 1": 1, "talks 2": 3, "talks 3": 2}
    same, number = move_stop(store, trip_id, 1, -1)  # already first
    assert number == 1 and _places(same, trip_id) == _places(store, trip_id)


@pytest.mark.parametrize("fields, field, words", [
    (("", None, "2025-05-01", None), "Place", "name the place"),
    (("Riga", None, "", None), "Arrive", "date of arrival"),
    (("Riga", None, "2025-02-30", None), "Arrive", "not a real calendar date"),
    (("Riga", None, "2025-05-02", "2025-05-01"), "Depart", "before the arrival"),
    (("Riga", None, "May 1", None), "Arrive", "expected"),
])
def test_a_bad_field_is_named_and_nothing_changes(fields, field, words):
    with pytest.raises(EditError) as error:
        stop_fields(*fields)
    assert error.value.field == field and words in error.value.message


def test_typed_times_keep_their_clock_and_offset():
    fields = stop_fields(" Riga ", "Latvia", "2025-05-01T09:30+03:00", "2025-05-01T18:00+03:00", "  ")
    assert fields["place"] == "Riga" and fields["note"] is None
    assert fields["arrive"] == "2025-05-01T09:30:00" and fields["arrive_has_time"] and fields["utc_offset"] == "+03:00"


# ---------------------------------------------------------------------------- trip details, times, events


def test_trip_details_change_the_trip_and_its_stops_and_need_a_title():
    store, trip_id = _trip_with_three_stops()
    changed = trip_details(store, trip_id, "Baltic capitals", "  B Leader ", "")
    assert changed["trips"][0] == dict(store["trips"][0], trip="Baltic capitals", leader="B Leader", leader_role=None)
    assert {(s["trip"], s["leader"]) for s in changed["stops"]} == {("Baltic capitals", "B Leader")}
    with pytest.raises(EditError) as error:
        trip_details(store, trip_id, "", "B Leader", None)
    assert error.value.field == "Trip title"


@pytest.mark.parametrize("arrive, arrive_time, depart, depart_time, expected", [
    ("2025-08-24", "07:30", None, None, ("2025-08-24T07:30:00", True, "2025-08-24T07:30:00", True)),
    ("2025-08-24", "", None, "18:00", ("2025-08-24T00:00:00", False, "2025-08-24T18:00:00", True)),
    ("2025-08-24", "7:05", "2025-08-25", "", ("2025-08-24T07:05:00", True, "2025-08-25T00:00:00", False)),
    ("2025-08-24T09:30+03:00", None, None, None, ("2025-08-24T09:30:00", True, "2025-08-24T09:30:00", True)),
])
def test_a_local_time_typed_beside_a_date(arrive, arrive_time, depart, depart_time, expected):
    fields = stop_fields("Kyiv", None, arrive, depart, arrive_time=arrive_time, depart_time=depart_time)
    assert (fields["arrive"], fields["arrive_has_time"], fields["depart"], fields["depart_has_time"]) == expected


@pytest.mark.parametrize("typed, field", [
    (dict(arrive_time="25:00"), "Arrival time"), (dict(arrive_time="half past nine"), "Arrival time"),
    (dict(depart="2025-08-24", depart_time="06:00", arrive_time="07:30"), "Depart"),
    (dict(depart="2025-13-01"), "Depart"),
])
def test_bad_times_name_their_field(typed, field):
    with pytest.raises(EditError) as error:
        stop_fields("Kyiv", None, typed.pop("arrive", "2025-08-24"), typed.pop("depart", None), **typed)
    assert error.value.field == field


def test_events_added_edited_and_deleted_are_numbered_within_their_stop():
    store, trip_id = _trip_with_three_stops()
    stop = stop_of(store, trip_id, 2)
    store = add_event(store, trip_id, 2, event_fields("Signed a treaty", "agreement", "B; C", "14:30",
                                                      "https://example.org/a", stop))
    mine = sorted((e for e in store["events"] if e["stop_no"] == 2), key=lambda e: e["event_no"])
    assert [(e["event_no"], e["text"]) for e in mine] == [(1, "talks 2"), (2, "Signed a treaty")]
    assert mine[1]["time"] == "2025-05-02T14:30" and mine[1]["source"] == "https://example.org/a"
    store = replace_event(store, trip_id, 2, 2, event_fields("Signed two treaties", "agreement", None, None, None, stop))
    store = delete_event(store, trip_id, 2, 1)
    mine = [e for e in store["events"] if e["stop_no"] == 2]
    assert [(e["event_no"], e["text"], e["time"]) for e in mine] == [(1, "Signed two treaties", None)]
    assert _events(store, trip_id) == {"talks 1": 1, "talks 3": 3, "Signed two treaties": 2}
    with pytest.raises(EditError):
        delete_event(store, trip_id, 2, 5)


@pytest.mark.parametrize("text, kind, time, link, field", [
    ("", "meeting", None, None, "What happened"), ("Talks", "party", None, None, "Kind"),
    ("Talks", "meeting", "noon", None, "Time"), ("Talks", "meeting", None, "javascript:alert(1)", "Source link"),
    ("Talks", "meeting", None, "www.example.org", "Source link"),
])
def test_an_event_that_cannot_be_taken_names_its_field(text, kind, time, link, field):
    store, trip_id = _trip_with_three_stops()
    with pytest.raises(EditError) as error:
        event_fields(text, kind, None, time, link, stop_of(store, trip_id, 1))
    assert error.value.field == field


def test_order_is_checked_in_real_instants_across_zones():
    # Kyiv (UTC+3 in August) left at 22:00 local, Warsaw (UTC+2) reached at 21:30 local: that is
    # 19:00 and 19:30 UTC, in order, though the local clocks say otherwise; reached at 20:30
    # local (18:30 UTC) it would be before the departure.
    store, trip_id = new_trip(state.EMPTY, "Two capitals", "A Leader")
    store, _ = add_stop(store, trip_id, stop_fields("Kyiv", None, "2025-08-24", "2025-08-24", depart_time="22:00"))
    store, _ = add_stop(store, trip_id, stop_fields("Warsaw", None, "2025-08-24", None, arrive_time="21:30"))
    zones = {"Kyiv": "Europe/Kyiv", "Warsaw": "Europe/Warsaw"}
    store = dict(store, stops=[dict(s, timezone=zones[s["place"]]) for s in store["stops"]])
    assert order_warnings(store, trip_id, 2) == []
    early = state.replace_stop(store, trip_id, 2, {"arrive": "2025-08-24T20:30:00", "depart": "2025-08-24T20:30:00"})
    assert "arrives before stop 1 (Kyiv) is left" in order_warnings(early, trip_id, 2)[0]
    assert order_warnings(early, trip_id, 1) == order_warnings(early, trip_id, 2)
    by_day = state.replace_stop(store, trip_id, 2, {"arrive": "2025-08-23T00:00:00", "arrive_has_time": False})
    assert order_warnings(by_day, trip_id, 2)
