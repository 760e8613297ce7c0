"""Property-based tests of authoring (issue 21): any sequence of edits typed into the editor
(stops added after any stop, saved, moved, deleted; events; the trip's details), with odd
Unicode and markup in every text field and dates with and without times, keeps the trip
whole (stops numbered 1..n, every event on a stop that exists, numbered 1..k), draws, and
comes back the same from its JSON download."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from dash import no_update
from hypothesis import given
from hypothesis import strategies as st

from dashboard import state
from dashboard.features import files, trip_editor, trip_view
from dashboard.sources import parse_itinerary
from tests.strategies import name
from tests.test_properties import PROPERTY_SETTINGS, assert_no_stray_missing

START = date(2025, 8, 20)

stop_edit = st.tuples(st.sampled_from(["add-stop", "save-stop", "delete-stop", "move-stop-up", "move-stop-down"]),
                      st.integers(0, 20),  # which stop is chosen (modulo the stops there are)
                      name, st.one_of(st.just(""), name),  # place, note
                      st.integers(0, 6), st.integers(0, 2),  # arrival day, days stayed
                      st.one_of(st.just(""), st.sampled_from(["00:00", "07:30", "23:59"])))
event_edit = st.tuples(st.just("add-event"), st.integers(0, 20), name,
                       st.sampled_from(["", "https://example.org/a?b=1&c=2", "javascript:alert(1)"]))
details_edit = st.tuples(st.just("details"), name, st.one_of(st.just(""), name))
edits = st.lists(st.one_of(stop_edit, stop_edit, event_edit, details_edit), min_size=1, max_size=10)


@pytest.fixture(scope="module")
def resolver():
    from dashboard.geocoding.resolver import PlaceResolver

    return PlaceResolver()


def _stops(own, trip_id):
    return sorted((s for s in own["stops"] if s["trip_id"] == trip_id), key=lambda s: int(s["stop_no"]))


def _check_whole(own, trip_id):
    numbers = [int(s["stop_no"]) for s in _stops(own, trip_id)]
    assert numbers == list(range(1, len(numbers) + 1))
    by_stop: dict[int, list[int]] = {}
    for event in (e for e in own["events"] if e["trip_id"] == trip_id):
        assert int(event["stop_no"]) in numbers
        by_stop.setdefault(int(event["stop_no"]), []).append(int(event["event_no"]))
    for event_numbers in by_stop.values():
        assert sorted(event_numbers) == list(range(1, len(event_numbers) + 1))


@PROPERTY_SETTINGS
@given(edits)
def test_any_sequence_of_edits_keeps_the_trip_whole_and_round_trips(resolver, sequence):
    started = trip_editor.start_trip(state.EMPTY, None)
    own, trip_id = started["own"], started["trip_id"]
    selection = {}
    for edit in sequence:
        count = len(_stops(own, trip_id))
        chosen = {"trip_id": trip_id, "stop_no": edit[1] % count + 1} if count and edit[0] != "details" else {}
        if edit[0] == "details":
            done = trip_editor.save_trip_details(trip_id, edit[1], edit[2], None, state.EMPTY, own)
        elif edit[0] == "add-event":
            done = trip_editor.event_action("add-event", trip_id, chosen, None,
                                            dict(text=edit[2], kind="meeting", people="", time="", link=edit[3]),
                                            state.EMPTY, own)
            assert (done["own"] is no_update) == (not chosen or edit[3].startswith("javascript"))
        else:
            action, _, place, note, day, stay, time_of_day = edit
            arrive = START + timedelta(days=day)
            typed = dict(place=place, country="", arrive=arrive.isoformat(), arrive_time=time_of_day,
                         depart=(arrive + timedelta(days=stay)).isoformat(), depart_time="", note=note)
            done = trip_editor.stop_action(action, trip_id, chosen, typed, state.EMPTY, own, resolver)
            assert (done["own"] is no_update) == (action != "add-stop" and not chosen)
        if done["own"] is not no_update:
            own = done["own"]
            selection = done.get("selection", selection) or selection
        _check_whole(own, trip_id)
        panels = trip_view.render_panels(trip_id, state.EMPTY, own, selection)
        assert len(panels["grid_rows"]) == len(_stops(own, trip_id))
        form = trip_editor.form_values(trip_id, selection, state.EMPTY, own)
        assert form["values"]["trip-title"]
    stops = _stops(own, trip_id)
    if not stops:
        return
    download = files.export_download("export-json", trip_id, state.EMPTY, own)
    again = parse_itinerary(download["content"].encode("utf-8"), "trip.json")
    assert list(again.stops["place"]) == [s["place"].strip() for s in stops]
    assert sorted(again.events["text"]) == sorted(e["text"].strip() for e in own["events"])
    page = files.export_download("export-html", trip_id, state.EMPTY, own)["content"]
    assert "<script>window.__pwned" not in page
    shown = trip_view.render_trip(trip_id, state.EMPTY, own, selection, [])
    typed = [{"typed": [str(edit) for edit in sequence]}]
    assert_no_stray_missing(json.dumps(shown["story"]) + str([h.children for h in shown["header"]]), typed)
    if "None" not in json.dumps(typed):
        assert "None:" not in page and ">None<" not in page  # a traveller not named is not "None"
