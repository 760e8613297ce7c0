import hashlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures
from dashboard.figures.common import _unit_vectors
from dashboard.geocoding.resolver import PlaceResolver
from dashboard.paths import DEFAULT_TRIP, GEODATA_DIR
from dashboard.sources import load_itinerary, parse_itinerary
from dashboard.store import SQLiteStore


@pytest.fixture(scope="module")
def first_trip(tmp_path_factory):
    itinerary = load_itinerary(DEFAULT_TRIP)
    store = SQLiteStore(tmp_path_factory.mktemp("store") / "s.sqlite")
    return PlaceResolver(store=store).geocode_stops(itinerary.stops), itinerary.events


def frame(rows: str):
    header = "trip,leader,place,country,arrive,depart,lat,lon,events\n"
    loaded = parse_itinerary(header + rows, "t.csv")
    stops = loaded.stops.assign(country_code=None, country_name=None, precision="city")
    return stops, loaded.events


def traces(fig, role):
    return [t for t in fig.data if t.meta and t.meta.get("role") == role]


def test_shipped_base_maps_are_the_documented_files():
    expected = {
        "world_110m.json": "04e06c5f74eb891b2269da2d7b816ba3d2af126b64e6e53c3f3e6224ede917dc",
        "europe_110m.json": "c34252dabffe1effae5dba94be2c66b882b0d48203371150388521d572eac46d",
        "europe_50m.json": "af40b02d747dbbeac6c2b2a99d6ba5c373630a3e93e14e451c6de819a42e561f",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((GEODATA_DIR / name).read_bytes()).hexdigest() == digest


def test_first_trip_map_has_route_numbered_markers_and_uses_the_europe_50m_base_map(first_trip):
    stops, events = first_trip
    fig = figures.map_figure(stops, events)
    assert all(isinstance(t, go.Scattergeo) for t in fig.data)
    markers = traces(fig, "stops")[0]
    assert list(markers.text) == ["1 Kyiv", "2 Warsaw", "3 Berlin", "4 Ādaži Military Base"]
    route = traces(fig, "route")[0]
    assert route.marker.angleref == "previous" and sum(1 for s in route.marker.size if s) == 3
    assert figures.base_map_name(fig) == "europe_50m"
    geo = fig.layout.geo
    assert geo.projection.scale == 1 and geo.center.lon == pytest.approx((13.40 + 30.52) / 2, abs=0.2)
    (west, east), (south, north) = geo.lonaxis.range, geo.lataxis.range
    assert west < 13.40 and east > 30.52 and south < 50.45 and north > 57.2  # the route, with a margin
    # framed wide, in the map's aspect, not the square of the whole scope
    width = (east - west) * np.cos(np.radians((north + south) / 2))
    assert width / (north - south) == pytest.approx(figures.MAP_ASPECT, rel=0.05)


def test_labels_keep_off_the_route():
    stops, _ = frame("T,L,Lisbon,PT,2025-01-01,2025-01-01,38.72,-9.14,\nT,L,Madrid,ES,2025-01-02,2025-01-02,40.42,-3.70,\n"
                     "T,L,Paris,FR,2025-01-03,2025-01-03,48.85,2.35,\n")
    positions = list(traces(figures.map_figure(stops), "stops")[0].textposition)
    # Lisbon's leg runs east: its label goes west; Paris is reached from the south: its label goes up.
    assert positions[0].endswith("left") and positions[2].startswith("top")


def test_labels_stay_inside_the_frame_of_the_narrowest_map():
    """A long name at the frame's east edge is written west of its stop; one too long for either
    side of a narrow frame is shortened with an ellipsis, its whole name kept in the hover."""
    long_name = "Ceremonial Guard Headquarters of the Eastern Military District"
    stops, _ = frame("T,L,Lisbon,PT,2025-01-01,2025-01-01,38.72,-9.14,\n"
                     "T,L,Madrid,ES,2025-01-02,2025-01-02,40.42,-3.70,\n"
                     f"T,L,{long_name},RO,2025-01-03,2025-01-03,44.43,26.10,\n"
                     "T,L,Vienna Hofburg Palace,AT,2025-01-04,2025-01-04,48.11,16.57,\n")
    markers = traces(figures.map_figure(stops), "stops")[0]
    labels, positions = list(markers.text), list(markers.textposition)
    assert labels[3] == "4 Vienna Hofburg Palace"  # room enough on one side
    assert labels[2].startswith("3 Ceremonial") and labels[2].endswith("…") and len(labels[2]) < len(long_name)
    assert positions[2].endswith("left")  # the frame's east edge is near
    assert long_name in markers.hovertext[2]
    assert labels[0] == "1 Lisbon" and positions[0].endswith("right")  # the west edge: written east


def test_arc_points_lie_on_the_great_circle():
    lats, lons = figures.great_circle_points(50.45, 30.52, 52.23, 21.01, 30)
    a, b = _unit_vectors(50.45, 30.52)[0], _unit_vectors(52.23, 21.01)[0]
    normal = np.cross(a, b)
    assert np.abs(_unit_vectors(lats, lons) @ normal).max() < 1e-9
    total = figures.distance_km(lats[:-1], lons[:-1], lats[1:], lons[1:]).sum()
    assert total == pytest.approx(figures.distance_km(50.45, 30.52, 52.23, 21.01), rel=1e-6)


def test_the_maps_route_legs_lie_on_great_circles(first_trip):
    stops, events = first_trip
    route = traces(figures.map_figure(stops, events), "route")[0]
    lats, lons = np.asarray(route.lat, float), np.asarray(route.lon, float)
    legs = np.split(np.arange(len(lats)), np.flatnonzero(np.isnan(lats)) + 1)
    stop_points = _unit_vectors(stops["lat"].to_numpy(float), stops["lon"].to_numpy(float))
    for leg_number, leg in enumerate(idx[~np.isnan(lats[idx])] for idx in legs if len(idx) > 1):
        normal = np.cross(stop_points[leg_number], stop_points[leg_number + 1])
        normal /= np.linalg.norm(normal)
        assert np.abs(_unit_vectors(lats[leg], lons[leg]) @ normal).max() < 1e-4  # 4-decimal rounding


def test_arc_across_the_antimeridian_stays_short_and_view_centres_on_it():
    stops, events = frame("T,L,Tokyo,JP,2025-01-01,2025-01-01,35.68,139.69,\n"
                          "T,L,Honolulu,US,2025-01-02,2025-01-02,21.31,-157.86,\n")
    lats, lons = figures.great_circle_points(35.68, 139.69, 21.31, -157.86)
    steps = [abs(((lons[i + 1] - lons[i]) + 180) % 360 - 180) for i in range(len(lons) - 1)]
    assert max(steps) < 10  # no jump across the whole map
    fig = figures.map_figure(stops, events)
    assert figures.base_map_name(fig) == "world_110m"
    assert abs(abs(fig.layout.geo.projection.rotation.lon) - 180) < 20


def test_hover_has_place_country_weekday_dates_events_and_precision(first_trip):
    stops, events = first_trip
    hover = traces(figures.map_figure(stops, events), "stops")[0].hovertext[0]
    for part in ("Kyiv", "Ukraine", "Sun 24 Aug 2025", "Mon 25 Aug 2025", "[agreement]", "Placed: city"):
        assert part in hover


def test_user_text_in_hover_is_escaped():
    stops, events = frame('T,L,<img src=x onerror=alert(1)>,,2025-01-01,2025-01-01,1,1,"<script>x</script>"\n')
    hover = traces(figures.map_figure(stops, events), "stops")[0].hovertext[0]
    assert "<img" not in hover and "&lt;img" in hover and "<script>" not in hover


def test_one_stop_and_two_stops_in_one_city():
    one, _ = frame("T,L,Kyiv,UA,2025-01-01,2025-01-01,50.45,30.52,\n")
    fig = figures.map_figure(one)
    assert len(traces(fig, "stops")[0].lat) == 1 and list(traces(fig, "route")[0].lat) == []
    twice, _ = frame("T,L,Kyiv,UA,2025-01-01,2025-01-01,50.45,30.52,\n"
                     "T,L,Warsaw,PL,2025-01-02,2025-01-02,52.23,21.01,\n"
                     "T,L,Kyiv,UA,2025-01-03,2025-01-03,50.45,30.52,\n")
    labels = list(traces(figures.map_figure(twice), "stops")[0].text)
    assert labels == ["1, 3 Kyiv", "2 Warsaw", "1, 3 Kyiv"]


def test_stop_without_coordinates_is_left_out_with_a_warning():
    stops, _ = frame("T,L,Kyiv,UA,2025-01-01,2025-01-01,50.45,30.52,\nT,L,Nowhere,,2025-01-02,2025-01-02,,,\n")
    fig = figures.map_figure(stops)
    assert len(traces(fig, "stops")[0].lat) == 1
    assert "Nowhere" in fig.layout.meta["warnings"][0]
    assert len(traces(figures.timeline_figure(stops), "stops")[0].y) == 2  # still on the timeline


def test_approximate_stops_are_drawn_differently():
    stops, _ = frame("T,L,Germany,DE,2025-01-01,2025-01-01,52.5,13.4,\nT,L,Kyiv,UA,2025-01-02,2025-01-02,50.45,30.52,\n")
    stops.loc[0, "precision"] = "country"
    marker = traces(figures.map_figure(stops), "stops")[0].marker
    assert marker.symbol[0] != marker.symbol[1] and "open" in marker.symbol[0]


def test_map_and_timeline_share_stop_colours(first_trip):
    stops, events = first_trip
    map_colours = list(traces(figures.map_figure(stops, events), "stops")[0].marker.line.color)
    timeline = figures.timeline_figure(stops, events)
    bar_colours = [shape.fillcolor for shape in timeline.layout.shapes if shape.type == "rect"]
    badge_colours = list(traces(timeline, "stops")[0].marker.line.color)
    assert map_colours == bar_colours == badge_colours and len(set(bar_colours)) == 4


def test_timeline_has_a_bar_per_stop_with_weekday_ticks_and_timed_events():
    stops, events = frame('T,L,Rome,IT,2024-03-01T09:30+01:00,2024-03-01T17:00+01:00,41.9,12.5,'
                          '"[meeting] 10:00 Talks | [press] 15:30 Press"\n')
    fig = figures.timeline_figure(stops, events, marker_date="2024-03-02")
    bars = [shape for shape in fig.layout.shapes if shape.type == "rect"]
    assert len(bars) == 1 and (bars[0].x0, bars[0].x1) == ("2024-03-01T09:30:00", "2024-03-01T17:00:00")
    assert "%a" in fig.layout.xaxis.tickformat
    assert list(traces(fig, "events")[0].x) == ["2024-03-01T10:00", "2024-03-01T15:30"]
    assert all(isinstance(t, go.Scatter) for t in fig.data)  # the export's geo build of plotly.js draws it
    assert fig.layout.annotations[0].text == "Published Sat 02 Mar"


def test_timeline_spreads_untimed_events_along_the_bar_and_draws_the_legs():
    stops, events = frame('T,L,Rome,IT,2024-03-01,2024-03-02,41.9,12.5,"[meeting] Talks | [press] Press"\n'
                          "T,L,Paris,FR,2024-03-03,2024-03-03,48.85,2.35,\n")
    fig = figures.timeline_figure(stops, events)
    marks = traces(fig, "events")[0].x
    assert "2024-03-01T00:00" < marks[0] < marks[1] < "2024-03-03T00:00"
    assert traces(fig, "legs")[0].x[:3] == ("2024-03-03T00:00:00",) * 3


def test_several_trips_get_a_colour_and_legend_each_and_stack_on_the_timeline():
    stops, _ = frame("A,L,Kyiv,UA,2025-01-01,2025-01-01,50.45,30.52,\nA,L,Riga,LV,2025-01-02,2025-01-02,56.95,24.1,\n"
                     "B,M,Rome,IT,2025-02-01,2025-02-01,41.9,12.5,\nB,M,Paris,FR,2025-02-02,2025-02-02,48.85,2.35,\n")
    fig = figures.map_figure(stops)
    routes = traces(fig, "route")
    assert len(routes) == 2 and routes[0].line.color != routes[1].line.color
    assert fig.layout.showlegend and all(r.showlegend for r in routes)
    assert figures.timeline_figure(stops).layout.yaxis.type == "multicategory"


def test_play_the_tour_has_a_frame_per_day(first_trip):
    stops, events = first_trip
    fig = figures.map_figure(stops, events, animate=True)
    assert [f.name for f in fig.frames] == ["2025-08-24", "2025-08-25", "2025-08-26", "2025-08-27"]
    # On the first day only Kyiv is drawn: the frame sends its point; the label, hover text and
    # size come from the still map's arrays, which line up with the stops reached so far.
    first_frame_stops = fig.frames[0].data[-1]
    still_stops = traces(fig, "stops")[0]
    assert (list(first_frame_stops.lat), list(first_frame_stops.lon)) == ([still_stops.lat[0]], [still_stops.lon[0]])
    assert still_stops.text[0] == "1 Kyiv"
    assert fig.layout.meta["tour_days"] == ["Sun 24 Aug", "Mon 25 Aug", "Tue 26 Aug", "Wed 27 Aug"]
    assert not fig.layout.updatemenus and not fig.layout.sliders  # the page's own controls, under the map


def test_summary_and_plain_text_itinerary(first_trip):
    stops, events = first_trip
    [summary] = figures.trip_summaries(stops, events)
    assert summary.days == 4 and summary.events == 10 and len(summary.countries) == 4
    assert 1900 < summary.distance_km < 2300 and summary.distance_miles == pytest.approx(summary.distance_km / 1.609344)
    assert [leg[:2] for leg in summary.legs] == [("Kyiv", "Warsaw"), ("Warsaw", "Berlin"), ("Berlin", "Ādaži Military Base")]
    text = figures.itinerary_text(stops, events)
    assert text.splitlines()[1].startswith("1. Kyiv, Ukraine, Sun 24 Aug 2025 to Mon 25 Aug 2025")
    assert len(text.splitlines()) == 5


def test_first_trip_figure_json_is_small(first_trip):
    stops, events = first_trip
    size = len(figures.map_figure(stops, events, animate=True).to_json()) + len(
        figures.timeline_figure(stops, events).to_json())
    assert size < 200_000


def test_builder_errors_name_the_argument():
    with pytest.raises(figures.FigureInputError, match="argument 'stops'.*missing.*lat"):
        figures.map_figure(pd.DataFrame({"place": ["x"]}))


def test_figures_built_without_validation_are_valid_plotly(first_trip):
    stops, events = first_trip
    several, _ = frame("A,L,Kyiv,UA,2025-01-01,2025-01-01,50.45,30.52,\nB,M,Rome,IT,2025-02-01,2025-02-01,41.9,12.5,\n")
    for fig in (figures.map_figure(stops, events, animate=True), figures.timeline_figure(stops, events),
                figures.map_figure(several), figures.timeline_figure(several)):
        go.Figure(fig.to_dict())  # full validation raises on any invalid property


def patched(fig: go.Figure, assignments: dict) -> dict:
    """The figure as plotly.js holds it after a Dash Patch of these assignments."""
    out = fig.to_plotly_json()
    out = {"data": [dict(t) for t in out["data"]], "layout": out["layout"]}
    for path, value in assignments.items():
        target = out
        for step in path[:-1]:
            target = target[step] if not isinstance(target, dict) or step in target else target.setdefault(step, {})
        target[path[-1]] = value
    return out


@pytest.mark.parametrize("rows", [
    None,  # the shipped trip
    "T,L,Kyiv,UA,2025-01-01,2025-01-01,,,\nU,L,Riga,LV,2025-01-02,2025-01-02,,,\nU,L,Vilnius,LT,2025-01-03,2025-01-03,,,\n",
    "T,L,Kyiv,UA,2025-01-01,2025-01-01,,,\n",
    "T,L,Kyiv,UA,2025-01-01,2025-01-01,,,\nT,L,Nowhere at all,,2025-01-02,2025-01-02,,,\nT,L,Riga,LV,2025-01-03,2025-01-03,,,\n",
])
def test_a_selection_patch_draws_what_a_redraw_draws(first_trip, rows):
    """The partial update after a click, as the builders describe it, changes the figure on screen
    into the one a full redraw with that stop selected would send."""
    if rows is None:
        stops, events = first_trip
    else:
        stops, events = frame(rows.replace(",,,\n", ",50,20,\n").replace("Nowhere at all,,2025-01-02,2025-01-02,50,20",
                                                                         "Nowhere at all,,2025-01-02,2025-01-02,,"))
    for trip_id, stop_no in zip(stops["trip_id"], stops["stop_no"]):
        chosen = (trip_id, int(stop_no))
        for build, describe in ((figures.map_figure, figures.map_selection_patch),
                                (figures.timeline_figure, figures.timeline_selection_patch)):
            before, after = build(stops, events), build(stops, events, selected=chosen)
            changes = describe(stops, chosen)
            assert changes, build.__name__
            expected = after.to_plotly_json()["data"]
            got = patched(before, changes)["data"]
            for index in {path[1] for path in changes}:
                assert got[index]["meta"]["role"] == "stops"
                assert dict(got[index]["marker"]) == dict(expected[index]["marker"]), (build.__name__, chosen)


def test_every_figure_keeps_to_the_traces_of_the_plotly_geo_build(first_trip):
    """The dashboard and the export load plotly.js's geo build, which draws only these traces: a
    figure with another trace type would stay blank on the page."""
    from dashboard.export.packing import GEO_BUNDLE_TRACES
    from dashboard.figures import collection
    from dashboard import countries

    stops, events = first_trip
    built = [figures.map_figure(stops, events), figures.timeline_figure(stops, events),
             collection.collection_map(stops), collection.tours_timeline(stops),
             collection.visits_map(stops, countries.iso3_codes())]
    used = {trace.type for figure in built for trace in figure.data}
    assert used and used <= GEO_BUNDLE_TRACES, used - GEO_BUNDLE_TRACES
