"""Dash callbacks as plain functions (unit-testable without a server), plus their wiring.

Every piece of state travels through ``dcc.Store`` (the trip catalogue and the selection);
the only Python objects shared across requests are the geocoding services, which hold no
per-user state.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import OrderedDict
from typing import Callable

import pandas as pd
from dash import ALL, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import figures, state
from dashboard.export import standalone_html
from dashboard.figures import collection
from dashboard.geocoding.resolver import PlaceResolver, Resolution, placement_problems
from dashboard.geocoding.store import valid_coordinates
from dashboard.itinerary import (
    APPROXIMATE,
    SAFE_URL,
    ItineraryError,
    StopCollector,
    frame_rows,
    is_missing,
    placement_confidence,
    slugify,
    text_or_none,
)
from dashboard.layout import NO_STOP, problem_list, story_view, trip_header
from dashboard.sources import parse_itinerary
from dashboard.store import ConflictError, StoreError
from dashboard.store.access import ReadOnlyChoices, WritePolicy

# Play the tour only where a frame per day stays light enough to send to the browser.
ANIMATE_MAX_STOPS = 300


# ---------------------------------------------------------------------------- plain functions


def render_trip(trip_id, shipped, own, selection, view_options):
    """Everything shown for one trip: map, timeline, title and summary, itinerary (text and
    story), grid, stop details, the other places the selected stop's name could be (and whether
    to show that picker at all: only once a stop is chosen and it has candidates)."""
    stops, events, _ = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        empty = figures.map_figure(stops, whole_world=True)
        return (empty, figures.timeline_figure(stops), trip_header([], []), "", [], NO_STOP, [], [], True)
    selected = _selected(selection, trip_id)
    whole_world = "world" in (view_options or [])
    map_fig = figures.map_figure(stops, events, whole_world=whole_world, selected=selected,
                                 animate=len(stops) <= ANIMATE_MAX_STOPS)
    timeline = figures.timeline_figure(stops, events, selected=selected)
    summaries = figures.trip_summaries(stops, events)
    header = trip_header(summaries, map_fig.layout.meta["warnings"])
    grouped = figures.events_by_stop(events)
    text = figures.itinerary_text(stops, events, summaries, grouped)
    story = story_view(figures.itinerary_story(stops, events, summaries, grouped),
                       f"{selected[0]}|{selected[1]}" if selected else None)
    rows = grid_rows(stops)
    details, candidates = stop_details(stops, events, selected)
    return map_fig, timeline, header, text, rows, details, candidates, story, not candidates


def render_selection(trip_id, shipped, own, selection):
    """What changes when only the chosen stop changes: the markers' highlight on the map and the
    timeline (as Patches of the figures on screen), the stop's details, its candidates and the
    itinerary's pressed stop. None when the figures on screen cannot be patched safely."""
    stops, events, _ = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return None
    selected = _selected(selection, trip_id)
    drawn = figures.drawable_stops(stops).stops
    if not len(drawn):
        return None
    map_patch, timeline_patch = Patch(), Patch()
    # Trace order as the builders make them: one route trace (one trip), then the stops; on the
    # timeline the legs (two or more stops), then the stops.
    map_style = figures.map_marker_style(figures.chosen_rows(drawn, selected), figures.stop_colours(drawn))
    map_patch["data"][1]["marker"]["size"] = map_style["size"]
    map_patch["data"][1]["marker"]["line"] = map_style["line"]
    badge = figures.badge_style(figures.chosen_rows(stops, selected), figures.stop_colours(stops))
    timeline_patch["data"][1 if len(stops) > 1 else 0]["marker"]["line"] = badge["line"]
    details, candidates = stop_details(stops, events, selected)
    grouped = figures.events_by_stop(events)
    story = story_view(figures.itinerary_story(stops, events, None, grouped),
                       f"{selected[0]}|{selected[1]}" if selected else None)
    return (map_patch, timeline_patch, no_update, no_update, no_update, details, candidates, story, not candidates)


def _selected(selection, trip_id):
    if selection and selection.get("trip_id") == trip_id:
        return selection["trip_id"], int(selection["stop_no"])
    return None


def grid_rows(stops: pd.DataFrame) -> list[dict]:
    rows = []
    arrive = figures.date_labels(stops.assign(depart=stops["arrive"], depart_has_time=stops["arrive_has_time"],
                                              utc_offset=None))
    depart = figures.date_labels(stops.assign(arrive=stops["depart"], arrive_has_time=stops["depart_has_time"],
                                              utc_offset=None))
    for stop, arrive_label, depart_label in zip(frame_rows(stops), arrive, depart):
        rows.append({
            "stop_no": int(stop["stop_no"]), "place": stop["place"], "country": stop.get("country"),
            "arrive": arrive_label, "depart": depart_label,
            "lat": None if pd.isna(stop["lat"]) else round(float(stop["lat"]), 5),
            "lon": None if pd.isna(stop["lon"]) else round(float(stop["lon"]), 5),
            "precision": stop.get("precision"), "confidence": placement_confidence(stop) if stop.get("precision") else None,
            "matched_name": stop.get("matched_name"),
            "geo_source": stop.get("geo_source"), "geocode_note": stop.get("geocode_note"),
        })
    return rows


def stop_details(stops: pd.DataFrame, events: pd.DataFrame, selected):
    """The selected stop's events (who, what, source links) and its geocoding candidates."""
    if selected is None:
        return NO_STOP, []
    match = stops[stops["stop_no"] == selected[1]]
    if match.empty:
        return NO_STOP, []
    stop = frame_rows(match.head(1))[0]
    chosen = events[events["stop_no"] == selected[1]]
    items = []
    for event in frame_rows(chosen):
        parts = [html.Strong(event["kind"]), " "]
        if event["time"]:
            parts += [event["time"], " "]
        parts.append(event["text"])
        if event.get("people"):
            parts.append(f" (with {event['people']})")
        if event.get("source"):
            source = event["source"]
            link = html.A(source, href=source, target="_blank", rel="noopener noreferrer") \
                if SAFE_URL.match(source.strip()) else source
            parts += [html.Br(), html.Span(["Source: ", link], className="source")]
        items.append(html.Li(parts))
    header = html.H3(f"{stop['stop_no']}. {stop['place']}, {figures.stop_dates(stop)}")
    placed = html.P(f"Placed by {stop.get('geo_source') or 'the itinerary'}: {stop.get('matched_name') or stop['place']} "
                    f"({stop.get('precision') or 'exact'})" + (f"; {stop['geocode_note']}" if stop.get("geocode_note") else ""),
                    className="placed")
    notes = [f"Inferred: {stop['inferred']}." if stop["inferred"] else None, stop["note"]]
    note = html.P(" ".join(n for n in notes if n), className="inferred") if any(notes) else None
    body = [header, placed] + ([note] if note else []) + [html.Ul(items) if items else html.P("No events recorded.")]
    candidates = []
    for candidate in json.loads(stop.get("candidates") or "[]"):
        label = f"{candidate['name']}, {candidate['country']} ({candidate['precision']})"
        candidates.append({"label": label, "value": json.dumps(candidate, sort_keys=True)})
    return body, candidates


def selection_from_click(trigger, map_click, timeline_click, grid_rows_selected, trip_id):
    """The stop a click chose, from whichever of the map, the timeline or the grid was clicked.
    A click on anything that is not a stop (a route line, an empty area) changes nothing."""
    try:
        if trigger == "map" and map_click:
            data = map_click["points"][0].get("customdata")
        elif trigger == "timeline" and timeline_click:
            data = timeline_click["points"][0].get("customdata")
        elif trigger == "stops-grid" and grid_rows_selected:
            data = [trip_id, grid_rows_selected[0]["stop_no"]]
        else:
            return no_update
        return {"trip_id": data[0], "stop_no": int(data[1])} if data else no_update
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return no_update


def selection_from_story(trigger, clicks, trip_id):
    """The stop whose name was pressed in the itinerary (mouse or keyboard). A button drawn
    afresh (0 clicks) chooses nothing."""
    if not isinstance(trigger, dict) or not clicks or not trip_id:
        return no_update
    return {"trip_id": trip_id, "stop_no": int(trigger["index"])}


def load_upload(contents, filename, shipped, own, resolver: PlaceResolver):
    """Parse, geocode and merge an uploaded itinerary; a bad file changes nothing on screen."""
    if not contents:
        return no_update, no_update, no_update, no_update
    try:
        raw = base64.b64decode(contents.split(",", 1)[1])
        itinerary = parse_itinerary(raw, filename or "upload")
    except ItineraryError as exc:
        problems = [p.as_dict() for p in exc.problems]
        return no_update, no_update, no_update, problem_list(problems) + [
            html.P("Nothing was loaded from this file; the trips on screen are unchanged.", className="hint")]
    except (ValueError, IndexError):
        return no_update, no_update, no_update, problem_list([{
            "severity": "error", "file": filename, "location": "", "column": None, "value": None,
            "message": "the upload could not be read; try again or save the file as UTF-8 CSV or JSON"}])
    problems = [p.as_dict() for p in itinerary.problems]
    if itinerary.stops.empty:
        return no_update, no_update, no_update, problem_list(problems) + [
            html.P("No stop could be loaded from this file; the trips on screen are unchanged.", className="hint")]
    placed = resolver.geocode_stops(itinerary.stops)
    problems += geocoding_problems(placed)
    own = state.merge(own, state.to_store(itinerary, placed))
    summary = html.P(f"Loaded {len(itinerary.stops)} stop(s) in {len(itinerary.trips)} trip(s) from {filename}"
                     + (f"; {len(itinerary.dropped)} row(s) not loaded." if itinerary.dropped else "."))
    return (own, state.trip_options(state.view(shipped, own)), itinerary.trips["trip_id"].iloc[0],
            [summary] + problem_list(problems))


def geocoding_problems(placed: pd.DataFrame) -> list[dict]:
    return [p.as_dict() for p in placement_problems(placed)]


def apply_cell_edits(changes, trip_id, shipped, own, resolver: PlaceResolver):
    """Re-geocode an edited place or country at once; typed coordinates pin the stop (saved).

    The grid sends what the browser holds, so every value is checked here: a change without a
    stop number, for a stop that is gone, or with text where a number belongs is reported and
    skipped, and the other changes still apply.
    """
    catalogue = state.view(shipped, own)
    if not changes or not trip_id or not any(t["trip_id"] == trip_id for t in catalogue["trips"]):
        return no_update, no_update
    messages = []
    for change in changes if isinstance(changes, list) else []:
        row = change.get("data") if isinstance(change, dict) else None
        column = change.get("colId") if isinstance(change, dict) else None
        try:
            stop_no = int((row or {}).get("stop_no"))
        except (TypeError, ValueError):
            messages.append(_edit_problem(None, column, None, "this edit names no stop; reload the trip and edit again"))
            continue
        current = next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)
        if current is None:
            messages.append(_edit_problem(stop_no, column, None, "this stop is no longer in the trip; reload the trip"))
            continue
        if column in ("place", "country"):
            place = text_or_none(row.get("place"))
            if place is None:
                messages.append(_edit_problem(stop_no, "place", "", "the place is empty; type a place name"))
                continue
            country = text_or_none(row.get("country"))
            found = resolver.with_context(resolver.resolve(place, country),
                                          _neighbours(catalogue, trip_id, stop_no))
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, _resolution_fields(found, place=place, country=country))
        elif column in ("lat", "lon"):
            try:
                lat, lon = valid_coordinates(row.get("lat"), row.get("lon"))
            except ValueError as exc:
                messages.append(_edit_problem(stop_no, column, change.get("newValue"), str(exc)))
                continue
            if resolver.store is not None:
                resolver.store.save_override(current["place"], current.get("country"), lat, lon, current["place"],
                                             current.get("country_code"), "venue")
            catalogue = state.replace_stop(catalogue, trip_id, stop_no, {
                "lat": lat, "lon": lon, "precision": "venue", "confidence": "high", "geo_source": "override",
                "matched_name": current["place"], "geo_match": "pinned by the user", "geocode_note": None})
    return state.keep_trip(own, catalogue, trip_id), problem_list(messages)


def _neighbours(catalogue: dict, trip_id: str, stop_no: int) -> list[Resolution]:
    """The stops just before and after an edited one, as the resolver's context."""
    trip = sorted((s for s in catalogue["stops"] if s["trip_id"] == trip_id), key=lambda s: int(s["stop_no"]))
    numbers = [int(s["stop_no"]) for s in trip]
    at = numbers.index(stop_no) if stop_no in numbers else None
    if at is None:
        return []
    around = [s for s in (trip[at - 1] if at > 0 else None, trip[at + 1] if at + 1 < len(trip) else None)
              if s is not None and not is_missing(s.get("lat")) and not is_missing(s.get("lon"))]
    return [Resolution(float(s["lat"]), float(s["lon"]), s.get("country_code"), s.get("precision"),
                       s.get("matched_name"), s.get("geo_source"), confidence=placement_confidence(s)) for s in around]


def _edit_problem(stop_no, column, value, message) -> dict:
    return {"severity": "error", "file": None, "location": f"stop {stop_no}" if stop_no is not None else "grid edit",
            "column": column, "value": None if value is None else str(value), "message": message}


def _resolution_fields(found, **extra) -> dict:
    return dict(extra, lat=found.lat if found.resolved else None, lon=found.lon if found.resolved else None,
                country_code=found.country_code, precision=found.precision, confidence=found.confidence,
                matched_name=found.matched_name,
                geo_source=found.source, geo_match=found.match, geocode_note=found.note,
                candidates=json.dumps(found.candidates, ensure_ascii=False))


def pick_candidate(value, selection, shipped, own, resolver: PlaceResolver):
    """The user chose a "did you mean" candidate: use it now and remember it.

    The value comes back from the browser, so it is parsed and checked like any input: a value
    that is not one of the candidates we offered changes nothing.
    """
    catalogue = state.view(shipped, own)
    if not value or not selection:
        return no_update
    try:
        candidate = json.loads(value)
        lat, lon = valid_coordinates(candidate["latitude"], candidate["longitude"])
        name = text_or_none(candidate["name"])
        precision = candidate.get("precision")
        trip_id, stop_no = selection["trip_id"], int(selection["stop_no"])
    except (TypeError, ValueError, KeyError, AttributeError):
        return no_update
    if name is None or precision not in ("venue", "city", "region", "country"):
        return no_update
    stop = next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)
    if stop is None:
        return no_update
    country_code = text_or_none(candidate.get("country_code"))
    if resolver.store is not None:
        resolver.store.save_override(stop["place"], stop.get("country"), lat, lon, name, country_code, precision)
    changed = state.replace_stop(catalogue, trip_id, stop_no, {
        "lat": lat, "lon": lon, "country_code": country_code, "precision": precision, "matched_name": name,
        "confidence": "approximate" if precision in APPROXIMATE else "high",
        "geo_source": "override", "geo_match": "chosen by the user", "geocode_note": None})
    return state.keep_trip(own, changed, trip_id)


def forget_choice(n_clicks, selection, shipped, own, resolver: PlaceResolver):
    """Undo a saved choice for the selected stop's place and place it afresh."""
    if not n_clicks or not selection or resolver.store is None:
        return no_update, no_update
    catalogue = state.view(shipped, own)
    try:
        trip_id, stop_no = selection["trip_id"], int(selection["stop_no"])
    except (TypeError, ValueError, KeyError):
        return no_update, no_update
    stop = next((s for s in catalogue["stops"] if s["trip_id"] == trip_id and int(s["stop_no"]) == stop_no), None)
    if stop is None:
        return no_update, no_update
    if not resolver.store.forget_override(stop["place"], stop.get("country")):
        return no_update, problem_list([_edit_problem(stop_no, "place", stop["place"],
                                                      "no saved choice for this place; nothing to forget")])
    found = resolver.with_context(resolver.resolve(stop["place"], stop.get("country")),
                                  _neighbours(catalogue, trip_id, stop_no))
    changed = state.replace_stop(catalogue, trip_id, stop_no, _resolution_fields(found))
    return state.keep_trip(own, changed, trip_id), [html.P(f"Forgot the saved choice for {stop['place']}.")]


def export_download(trigger, trip_id, shipped, own):
    stops, events, trips = state.frames(state.view(shipped, own), trip_id)
    if stops.empty:
        return no_update
    if trigger == "export-html":
        return dcc.send_string(standalone_html(stops, events), f"{trip_id}.html")
    if trigger == "export-csv":
        return dcc.send_string(state.geocoded_csv(stops, events, trips), f"{trip_id}-stops.csv")
    if trigger == "export-json":
        return dcc.send_string(state.itinerary_json(stops, events, trips), f"{trip_id}.json")
    return no_update


# ---------------------------------------------------------------------------- wiring


RENDER_CACHE_SIZE = 64
EXPORT_CACHE_SIZE = 16  # a page is about 0.7 MB


class SharedTripCache:
    """The last few results computed from the server's trips, per worker: a small LRU that
    empties itself when the server's catalogue is replaced (a file or a save changed it)."""

    def __init__(self, size: int):
        self.size, self.catalogue, self.entries = size, None, OrderedDict()
        self.lock = threading.Lock()

    def get(self, catalogue, key, compute):
        with self.lock:
            if catalogue is not self.catalogue:
                self.catalogue, self.entries = catalogue, OrderedDict()
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()
        with self.lock:
            if catalogue is self.catalogue:
                self.entries[key] = value
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
        return value


def _own_copy(own, trip_id) -> bool:
    return bool(own) and any(t.get("trip_id") == trip_id for t in own.get("trips", []))


# ---------------------------------------------------------------------------- draft from an article


def draft_from_text(n_clicks, text, published, gazetteer):
    """Draft the pasted article: (the draft for the store, what the panel shows)."""
    from datetime import date

    from dashboard.sources.article import parse_article, published_date_in

    if not n_clicks:
        return no_update, no_update
    text = text or ""
    try:
        day = date.fromisoformat(published) if published else published_date_in(text)
    except ValueError:
        day = None
    if day is None:
        return None, [html.P("Give the article's publication date: weekdays such as 'on Monday' are read "
                             "against it.", className="warning")]
    try:
        trip = parse_article(text, StopCollector("<article>"), day, gazetteer,
                             source=f"news article, published {day.isoformat()}")
    except ItineraryError as exc:
        return None, [html.P(str(exc), className="warning")]
    if not trip["stops"]:
        return None, [html.P("No stop found: the article never says where the traveller goes or is.",
                             className="warning"), _highlighted(text, trip)]
    return {"trip": trip, "text": text}, _draft_view(trip, text)


def _draft_view(trip: dict, text: str):
    items = []
    for number, stop in enumerate(trip["stops"], start=1):
        guessed = " (date inferred: not in the text)" if "arrive" in stop["inferred"] else ""
        events = [html.Li(f"[{e['kind']}] {e['text']}") for e in stop["events"]]
        items.append(html.Li([html.Strong(f"{stop['place']}"), f" ({stop['country'] or '?'}), {stop['arrive']}{guessed}",
                              html.Ul(events) if events else None]))
    notes = [html.P(n, className="hint") for n in trip["notes"]]
    return [html.P(f"Traveller: {trip['leader']}" + (f", {trip['leader_role']}" if trip["leader_role"] else "")),
            html.Ol(items, className="draft-stops"), *notes,
            html.P("In the article: places, dates and events the draft used are highlighted.", className="hint"),
            _highlighted(text, trip)]


def _highlighted(text: str, trip: dict):
    """The article with the evidence marked: places, dates and events, each as <mark>."""
    spans = []
    for stop in trip["stops"]:
        for kind, evidence in stop.get("evidence", {}).items():
            spans.append((evidence["start"], evidence["end"], f"evidence-{kind}", stop["place"]))
        for event in stop["events"]:
            spans.append((event["evidence"]["start"], event["evidence"]["end"], "evidence-event", event["text"]))
    leader = trip.get("evidence", {}).get("leader")
    if leader:
        spans.append((leader["start"], leader["end"], "evidence-leader", trip["leader"]))
    children, at = [], 0
    for start, end, class_name, title in sorted(spans):
        if start < at:
            continue  # overlapping evidence: the first span wins
        children += [text[at:start], html.Mark(text[start:end], className=class_name, title=title)]
        at = end
    children.append(text[at:])
    return html.Div(children, className="article-evidence")


def add_draft(n_clicks, draft, shipped, own, resolver: PlaceResolver):
    """The reviewed draft joins this browser's trips, like an uploaded file."""
    if not n_clicks or not draft:
        return no_update, no_update, no_update, no_update
    document = json.dumps(draft["trip"], ensure_ascii=False).encode("utf-8")
    contents = "data:application/json;base64," + base64.b64encode(document).decode()
    return load_upload(contents, "drafted trip.json", shipped, own, resolver)


# ---------------------------------------------------------------------------- a traveller's record

SEARCH_RESULTS_SHOWN = 50


def traveller_options(shipped, own) -> list[dict]:
    return state.traveller_options(state.view(shipped, own))


def collection_years(traveller, shipped, own):
    """The year slider's bounds, value and marks for one traveller."""
    return state.years_of(state.view(shipped, own), traveller)


def render_collection(traveller, other, colour_by, years, query, shipped, own, iso3: dict, continents: dict):
    """A traveller's record: every tour on one map, tours per country, the tours across the
    years, a comparison with a second traveller, and a search across both."""
    leaders = [t for t in dict.fromkeys([traveller, other]) if t]
    stops, events, _ = state.leader_frames(state.view(shipped, own), leaders)
    if stops.empty:
        blank = collection.collection_map(stops)
        return blank, collection.visits_map(stops, iso3), collection.tours_timeline(stops), "No traveller picked.", [], []
    if years and len(years) == 2:
        stops = collection.in_years(stops, int(years[0]), int(years[1]))
    own_stops = stops[stops["leader"] == traveller]
    tour_list = collection.tours(own_stops)
    countries = collection.visits_by_country(own_stops)
    span = collection.year_range(own_stops)
    summary = (f"{traveller}: {len(tour_list)} trip(s), {len(own_stops)} stop(s) in {len(countries)} countries"
               + (f", {span[0]} to {span[1]}" if span else "") + ". Click a trip on the map or the timeline "
               "to open it above.")
    comparison = []
    if other and other != traveller:
        for by in ("region", "country", "year"):
            table = collection.compare(stops, [traveller, other], by, continents)
            comparison.append(_table(f"Trips per {by}", table, limit=15 if by == "country" else None))
    results = []
    if query and str(query).strip():
        found = collection.search(stops, events, str(query))
        items = [html.Li(f"{s['leader']}: {s['trip']}, stop {s['stop_no']}: {s['place']} ({s['arrive']:%d %b %Y})")
                 for s in frame_rows(found.head(SEARCH_RESULTS_SHOWN))]
        more = len(found) - SEARCH_RESULTS_SHOWN
        results = [html.P(f"{len(found)} stop(s) mention '{query}'" + (f"; the first {SEARCH_RESULTS_SHOWN}:" if more > 0 else ":")),
                   html.Ul(items)] if items else [html.P(f"No stop mentions '{query}'.")]
    return (collection.collection_map(own_stops, colour_by=colour_by or "tour"),
            collection.visits_map(own_stops, iso3), collection.tours_timeline(stops, colour_by=colour_by or "tour"),
            summary, comparison, results)


def _table(caption: str, table: pd.DataFrame, limit: int | None = None):
    shown = table.head(limit) if limit else table
    header = html.Tr([html.Th(str(c)) for c in shown.columns])
    rows = [html.Tr([html.Td(str(v)) for v in row]) for row in shown.itertuples(index=False)]
    note = [html.Caption(caption + (f" (top {limit} of {len(table)})" if limit and len(table) > limit else ""))]
    return html.Table(note + [html.Thead(header), html.Tbody(rows)], className="comparison")


def tour_from_click(map_click, timeline_click):
    """The trip a click on the collection map or the tours timeline points at, else no change."""
    for click in (map_click, timeline_click) if ctx.triggered_id != "tours-timeline" else (timeline_click,):
        try:
            trip_id = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            continue
        if isinstance(trip_id, str):
            return trip_id
    return no_update


def export_collection(n_clicks, traveller, years, shipped, own):
    """The traveller's trips (within the years shown) as one standalone HTML file."""
    if not n_clicks or not traveller:
        return no_update
    stops, events, _ = state.leader_frames(state.view(shipped, own), [traveller])
    if years and len(years) == 2:
        stops = collection.in_years(stops, int(years[0]), int(years[1]))
        events = events[events["trip_id"].isin(set(stops["trip_id"]))]
    if stops.empty:
        return no_update
    title = f"{traveller}: {stops['trip_id'].nunique()} trips, {stops['arrive'].min():%Y} to {stops['depart'].max():%Y}"
    page = standalone_html(stops.reset_index(drop=True), events.reset_index(drop=True), title=title)
    return {"content": page, "filename": f"{slugify(traveller)}-trips.html", "type": "text/html"}


def register_callbacks(app, resolver: PlaceResolver, shipped: Callable[[], dict], *, store=None,
                       policy: WritePolicy | None = None) -> None:
    """``shipped()`` gives the server's trips (the same for every visitor, kept on the server, so
    a click never posts them back); "catalogue" holds the browser's own uploads and edits, in
    session storage so a reload keeps them. ``store`` keeps the shared trips and choices;
    ``policy`` says who may write to it (an editor's token is kept in their session)."""
    policy = policy or WritePolicy(None, "127.0.0.1")
    # Readers open the same trips over and over: each worker keeps its latest drawings of the
    # server's trips (bounded; dropped when the server's trips change).
    renders, exports = SharedTripCache(RENDER_CACHE_SIZE), SharedTripCache(EXPORT_CACHE_SIZE)

    def writer(token) -> PlaceResolver:
        """The resolver for this request: a reader without the right to write still uses the
        saved choices, but a new choice stays in their session."""
        return resolver if policy.refusal(token) is None else resolver.with_store(ReadOnlyChoices(resolver.store))

    @app.callback(
        Output("map", "figure"), Output("timeline", "figure"), Output("summary", "children"),
        Output("itinerary-text", "children"), Output("stops-grid", "rowData"), Output("stop-details", "children"),
        Output("candidate-picker", "options"), Output("itinerary-story", "children"), Output("candidate-box", "hidden"),
        Input("trip-picker", "value"), Input("catalogue", "data"), Input("selection", "data"),
        Input("view-options", "value"),
    )
    def _render(trip_id, own, selection, view_options):
        catalogue = shipped()
        if len(ctx.triggered) == 1 and ctx.triggered_id == "selection":
            # Only the chosen stop changed: patch the highlight, do not redraw (Dash's Patch).
            patched = render_selection(trip_id, catalogue, own, selection)
            if patched is not None:
                return patched
        if _own_copy(own, trip_id):  # this browser's own version of the trip: drawn for it alone
            return render_trip(trip_id, catalogue, own, selection, view_options)
        key = (trip_id, json.dumps(selection, sort_keys=True), tuple(view_options or ()))
        return renders.get(catalogue, key, lambda: render_trip(trip_id, catalogue, own, selection, view_options))

    register_tour_controls(app)
    if store is not None:
        register_store_callbacks(app, store, policy, shipped)

    @app.callback(Output("trip-picker", "options"), Input("catalogue", "data"))
    def _options(own):
        return state.trip_options(state.view(shipped(), own))

    @app.callback(Output("selection", "data"), Input("map", "clickData"), Input("timeline", "clickData"),
                  Input("stops-grid", "selectedRows"), State("trip-picker", "value"), prevent_initial_call=True)
    def _select(map_click, timeline_click, grid_selected, trip_id):
        return selection_from_click(ctx.triggered_id, map_click, timeline_click, grid_selected, trip_id)

    @app.callback(Output("selection", "data", allow_duplicate=True),
                  Input({"type": "story-stop", "index": ALL}, "n_clicks"), State("trip-picker", "value"),
                  prevent_initial_call=True)
    def _select_from_story(clicks, trip_id):
        return selection_from_story(ctx.triggered_id, ctx.triggered[0]["value"] if ctx.triggered else None, trip_id)

    @app.callback(Output("catalogue", "data"), Output("trip-picker", "options", allow_duplicate=True),
                  Output("trip-picker", "value"), Output("messages", "children"), Input("upload", "contents"),
                  State("upload", "filename"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _upload(contents, filename, own):
        return load_upload(contents, filename, shipped(), own, resolver)

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Output("messages", "children", allow_duplicate=True),
                  Input("stops-grid", "cellValueChanged"), State("trip-picker", "value"),
                  State("catalogue", "data"), State("editor-token", "value"), prevent_initial_call=True)
    def _edit(changes, trip_id, own, token):
        return apply_cell_edits(changes, trip_id, shipped(), own, writer(token))

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Input("candidate-picker", "value"),
                  State("selection", "data"), State("catalogue", "data"), State("editor-token", "value"),
                  prevent_initial_call=True)
    def _pick(value, selection, own, token):
        return pick_candidate(value, selection, shipped(), own, writer(token))

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Output("messages", "children", allow_duplicate=True),
                  Input("forget-choice", "n_clicks"), State("selection", "data"),
                  State("catalogue", "data"), State("editor-token", "value"), prevent_initial_call=True)
    def _forget(n_clicks, selection, own, token):
        return forget_choice(n_clicks, selection, shipped(), own, writer(token))

    @app.callback(Output("draft-store", "data"), Output("draft-result", "children"), Input("draft-button", "n_clicks"),
                  State("article-text", "value"), State("article-published", "value"), prevent_initial_call=True)
    def _draft(n_clicks, text, published):
        return draft_from_text(n_clicks, text, published, resolver.gazetteer)

    @app.callback(Output("catalogue", "data", allow_duplicate=True), Output("trip-picker", "options", allow_duplicate=True),
                  Output("trip-picker", "value", allow_duplicate=True), Output("messages", "children", allow_duplicate=True),
                  Input("draft-add", "n_clicks"), State("draft-store", "data"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _add_draft(n_clicks, draft, own):
        return add_draft(n_clicks, draft, shipped(), own, resolver)

    iso3, continents = resolver.gazetteer.iso3_codes(), resolver.gazetteer.continents()

    @app.callback(Output("traveller", "options"), Output("compare-with", "options"), Input("catalogue", "data"))
    def _travellers(own):
        options = traveller_options(shipped(), own)
        return options, options

    @app.callback(Output("years", "min"), Output("years", "max"), Output("years", "value"), Output("years", "marks"),
                  Input("traveller", "value"), State("catalogue", "data"), prevent_initial_call=True)
    def _years(traveller, own):
        return collection_years(traveller, shipped(), own)

    @app.callback(Output("collection-map", "figure"), Output("visits-map", "figure"), Output("tours-timeline", "figure"),
                  Output("collection-summary", "children"), Output("comparison", "children"),
                  Output("search-results", "children"),
                  Input("traveller", "value"), Input("compare-with", "value"), Input("colour-by", "value"),
                  Input("years", "value"), Input("collection-search", "value"), State("catalogue", "data"))
    def _collection(traveller, other, colour_by, years, query, own):
        return render_collection(traveller, other, colour_by, years, query, shipped(), own, iso3, continents)

    @app.callback(Output("trip-picker", "value", allow_duplicate=True), Input("collection-map", "clickData"),
                  Input("tours-timeline", "clickData"), prevent_initial_call=True)
    def _open_tour(map_click, timeline_click):
        return tour_from_click(map_click, timeline_click)

    @app.callback(Output("download", "data", allow_duplicate=True), Input("export-collection", "n_clicks"),
                  State("traveller", "value"), State("years", "value"), State("catalogue", "data"),
                  prevent_initial_call=True)
    def _export_collection(n_clicks, traveller, years, own):
        return export_collection(n_clicks, traveller, years, shipped(), own)

    @app.callback(Output("download", "data"), Input("export-html", "n_clicks"), Input("export-csv", "n_clicks"),
                  Input("export-json", "n_clicks"), State("trip-picker", "value"),
                  State("catalogue", "data"), prevent_initial_call=True)
    def _download(_html, _csv, _json, trip_id, own):
        catalogue = shipped()
        if _own_copy(own, trip_id):
            return export_download(ctx.triggered_id, trip_id, catalogue, own)
        return exports.get(catalogue, (ctx.triggered_id, trip_id),
                           lambda: export_download(ctx.triggered_id, trip_id, catalogue, own))


def register_tour_controls(app) -> None:
    """'Play the tour' under the map, in the browser: the slider has a step per frame of the map
    figure (its days in ``layout.meta.tour_days``); moving it shows that day's frame; the button
    plays from the start (or from the chosen day) to the end. Clientside: no server round trip."""
    app.clientside_callback(
        """function (figure) {
            var days = (figure && figure.layout && figure.layout.meta && figure.layout.meta.tour_days) || [];
            var last = Math.max(days.length - 1, 0);
            var marks = {};
            if (days.length) { marks[0] = days[0]; marks[last] = days[last]; }
            return [last, last, marks, days.length < 2];
        }""",
        Output("tour-day", "max"), Output("tour-day", "value"), Output("tour-day", "marks"), Output("tour-play", "disabled"),
        Input("map", "figure"))
    app.clientside_callback(
        """function (value, figure) {
            var frames = (figure && figure.frames) || [];
            var days = (figure && figure.layout && figure.layout.meta && figure.layout.meta.tour_days) || [];
            var plot = document.querySelector('#map .js-plotly-plot');
            if (plot && frames[value] && window.Plotly && plot._transitionData) {
                window.Plotly.animate(plot, [frames[value].name], {mode: 'immediate', transition: {duration: 0},
                                                                   frame: {duration: 0, redraw: true}});
            }
            return days.length ? 'Day ' + (value + 1) + ' of ' + days.length + ': ' + days[value] : '';
        }""",
        Output("tour-day-label", "children"), Input("tour-day", "value"), State("map", "figure"))
    app.clientside_callback(
        """function (clicks, ticks, stopped, value, last) {
            var trigger = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; })[0] || '';
            var noUpdate = window.dash_clientside.no_update;
            if (trigger.indexOf('tour-play') === 0) {
                if (stopped) { return [false, '❚❚ Pause', value >= last ? 0 : value]; }
                return [true, '▶ Play the tour', noUpdate];
            }
            if (stopped || value >= last) { return [true, '▶ Play the tour', noUpdate]; }
            return [false, '❚❚ Pause', value + 1];
        }""",
        Output("tour-clock", "disabled"), Output("tour-play", "children"), Output("tour-day", "value", allow_duplicate=True),
        Input("tour-play", "n_clicks"), Input("tour-clock", "n_intervals"),
        State("tour-clock", "disabled"), State("tour-day", "value"), State("tour-day", "max"),
        prevent_initial_call=True)


# ---------------------------------------------------------------------------- the shared store


def save_trip_to_store(store, policy: WritePolicy, trip_id, shipped, own, opened, token, name):
    """Save the trip on screen (with this browser's edits) as a new version. The version the
    editor opened is the one the save builds on: if someone saved since, nothing is written and
    the message says who and when. Returns (status, opened versions)."""
    opened = dict(opened or {})
    refusal = policy.refusal(token)
    if refusal:
        return html.P(refusal, className="warning"), no_update
    catalogue = state.view(shipped, own)
    if not trip_id or not any(t["trip_id"] == trip_id for t in catalogue["trips"]):
        return html.P("Pick a trip to save."), no_update
    stops, events, trips = state.frames(catalogue, trip_id)
    document = json.loads(state.itinerary_json(stops, events, trips))
    by = text_or_none(name) or "anonymous"
    try:
        version = store.save_trip(document, saved_by=by, expected_version=opened.get(trip_id))
    except ConflictError as exc:
        return html.P(f"Not saved: {exc}.", className="error"), no_update
    except StoreError as exc:
        return html.P(f"Not saved: {exc}.", className="error"), no_update
    opened[trip_id] = version
    return html.P(f"Saved as version {version} by {by}: everyone using this server now sees it."), opened


def store_history(store, trip_id):
    """The saved versions of the trip on screen, each with a button that restores it."""
    if not trip_id:
        return []
    try:
        rows = store.history(trip_id)
    except StoreError:
        return [html.P("Not in the shared store yet.", className="hint")]
    items = []
    for row in rows[:50]:
        when = pd.Timestamp(row["saved_at"], unit="s", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
        items.append(html.Li([
            html.Span(f"v{row['version']} · {when} · {row['saved_by'] or 'someone'} · {row['action']}"), " ",
            html.Button(f"Restore v{row['version']}", id={"type": "restore-version", "index": int(row["version"])},
                        n_clicks=0, className="secondary")
            if row["version"] != rows[0]["version"] and row["action"] != "delete" else None]))
    return [html.Ol(items, className="history", reversed=True)]


def register_store_callbacks(app, store, policy: WritePolicy, shipped) -> None:
    @app.callback(Output("opened-versions", "data"), Input("trip-picker", "value"), State("opened-versions", "data"))
    def _opened(trip_id, opened):
        """The version of the trip this browser starts from: kept until it saves."""
        opened = dict(opened or {})
        if not trip_id or trip_id in opened:
            return no_update
        try:
            current = next((r["version"] for r in store.trips(include_deleted=True) if r["trip_id"] == trip_id), None)
        except StoreError:
            return no_update
        opened[trip_id] = current
        return opened

    @app.callback(Output("store-status", "children"), Output("opened-versions", "data", allow_duplicate=True),
                  Input("save-trip", "n_clicks"), State("trip-picker", "value"), State("catalogue", "data"),
                  State("opened-versions", "data"), State("editor-token", "value"), State("editor-name", "value"),
                  prevent_initial_call=True)
    def _save(n_clicks, trip_id, own, opened, token, name):
        if not n_clicks:
            return no_update, no_update
        return save_trip_to_store(store, policy, trip_id, shipped(), own, opened, token, name)

    @app.callback(Output("store-status", "children", allow_duplicate=True),
                  Output("opened-versions", "data", allow_duplicate=True),
                  Input("delete-trip", "n_clicks"), State("trip-picker", "value"), State("opened-versions", "data"),
                  State("editor-token", "value"), State("editor-name", "value"), prevent_initial_call=True)
    def _delete(n_clicks, trip_id, opened, token, name):
        if not n_clicks or not trip_id:
            return no_update, no_update
        refusal = policy.refusal(token)
        if refusal:
            return html.P(refusal, className="warning"), no_update
        opened = dict(opened or {})
        try:
            version = store.delete_trip(trip_id, saved_by=text_or_none(name) or "anonymous",
                                        expected_version=opened.get(trip_id))
        except StoreError as exc:
            return html.P(f"Not deleted: {exc}.", className="error"), no_update
        opened[trip_id] = version
        return html.P(f"Deleted from the shared store (version {version}); its history is kept below."), opened

    @app.callback(Output("store-status", "children", allow_duplicate=True),
                  Output("opened-versions", "data", allow_duplicate=True),
                  Output("catalogue", "data", allow_duplicate=True),
                  Input({"type": "restore-version", "index": ALL}, "n_clicks"), State("trip-picker", "value"),
                  State("catalogue", "data"), State("opened-versions", "data"), State("editor-token", "value"),
                  State("editor-name", "value"), prevent_initial_call=True)
    def _restore(clicks, trip_id, own, opened, token, name):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []) or not trip_id:
            return no_update, no_update, no_update
        refusal = policy.refusal(token)
        if refusal:
            return html.P(refusal, className="warning"), no_update, no_update
        try:
            version = store.restore(trip_id, int(trigger["index"]), saved_by=text_or_none(name) or "anonymous")
        except StoreError as exc:
            return html.P(f"Not restored: {exc}.", className="error"), no_update, no_update
        opened = dict(opened or {}, **{trip_id: version})
        # This browser's own edits of the trip give way to the restored version.
        own = {k: [r for r in v if r.get("trip_id") != trip_id] for k, v in (own or state.EMPTY).items()}
        return html.P(f"Restored version {trigger['index']} as version {version}."), opened, own

    @app.callback(Output("trip-history", "children"), Input("trip-picker", "value"), Input("opened-versions", "data"))
    def _history(trip_id, _opened):  # a save, delete or restore changed the versions: list them again
        return store_history(store, trip_id)
