"""What waits for the first screen: a light component whose children are rendered only once the
page's first render has been painted (``assets/first_screen.js`` draws it).

Why: Dash renders the whole layout in one task, and the trip's map is drawn at that task's end,
after every other graph on the page has been plotted (the timeline alone took some 75 ms) and
every section below it built. What is wrapped in it comes a frame after the map."""

from __future__ import annotations

from dash.development.base_component import Component


class AfterFirstPaint(Component):
    """Props: ``children``, rendered once the page's first render has been painted."""

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "tripviz"
    _type = "AfterFirstPaint"

    def __init__(self, children=None, id=None, **kwargs):  # noqa: A002 (Dash's name)
        self._prop_names = ["children", "id"]
        self._valid_wildcard_attributes = []
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties = []
        super().__init__(children=children, **({} if id is None else {"id": id}))
