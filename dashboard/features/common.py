"""What several features of the dashboard share: how problems are listed, the graphs' config,
a blank figure, a figure's partial update, and the per-worker cache of drawings of the server's
trips."""

from __future__ import annotations

import threading
from collections import OrderedDict

from dash import Patch, html
from dash.development.base_component import Component


def problem_list(problems: list[dict]):
    if not problems:
        return []
    items = [html.Li(f"{p['severity']}: {problem_text(p)}", className=p["severity"]) for p in problems[:200]]
    if len(problems) > 200:
        items.append(html.Li(f"... and {len(problems) - 200} more"))
    return [html.Ul(items, className="problems")]


def problem_text(problem: dict) -> str:
    where = ", ".join(x for x in (problem.get("file"), problem.get("location"),
                                  f"column '{problem['column']}'" if problem.get("column") else None) if x)
    text = f"{where}: {problem['message']}" if where else problem["message"]
    if problem.get("value") is not None:
        text += f" (found {problem['value']!r})"
    return text


def edit_problem(stop_no, column, value, message) -> dict:
    """A problem with something typed or clicked in the dashboard, listed like a file's."""
    return {"severity": "error", "file": None, "location": f"stop {stop_no}" if stop_no is not None else "grid edit",
            "column": column, "value": None if value is None else str(value), "message": message}


def graph_config(topojson_url: str) -> dict:
    # topojsonURL: plotly.js fetches the base map from the app itself, never from a CDN.
    return {"topojsonURL": topojson_url, "displaylogo": False, "responsive": True, "scrollZoom": False,
            "toImageButtonOptions": {"format": "png", "filename": "trip-map", "scale": 2}}


def blank_figure() -> dict:
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 300}}


def as_patch(assignments: dict[tuple, object]) -> Patch:
    """A Dash Patch from a figure builder's (path -> value) assignments: the figures say what
    changes (they never import Dash), this applies it without sending the figure again."""
    patch = Patch()
    for path, value in assignments.items():
        target = patch
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return patch


def own_copy(own, trip_id) -> bool:
    """Whether this browser holds its own version of the trip (an upload or an edit)."""
    return bool(own) and any(t.get("trip_id") == trip_id for t in own.get("trips", []))


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


class BrowserComponent(Component):
    """A light component drawn by one of the dashboard's own scripts in ``assets/`` (namespace
    ``tripviz``). A subclass names its type and ``PROPS``, and passes its props by name."""

    PROPS: tuple[str, ...] = ()
    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "tripviz"

    def __init__(self, **props):
        self._prop_names = list(self.PROPS)
        self._valid_wildcard_attributes = []
        self.available_properties = list(self.PROPS)
        self.available_wildcard_properties = []
        if props.get("id") is None:  # Dash refuses an id of None
            props.pop("id", None)
        super().__init__(**props)
