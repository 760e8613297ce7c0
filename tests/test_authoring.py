"""Authoring a trip (issue 21), the store operations: a new trip, stops added, deleted and
moved with their numbers and events following, and typed fields checked before anything
changes."""

from __future__ import annotations

import pytest

from dashboard import state
from dashboard.authoring import EditError, add_stop, delete_stop, move_stop, new_trip, stop_fields


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
