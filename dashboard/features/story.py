"""The itinerary as a story: one light component, drawn by the browser from the story's plain
data (``figures.itinerary_story``) by ``assets/story.js``.

Why not Dash's html components: a 200-stop trip's story is some 12,000 elements, and Dash's
renderer re-reads every component's props from its store on each update; with the story built
of them an edit took some 15 s of the browser's time to settle. As one component with its data
it is one prop, and React draws the plain elements."""

from __future__ import annotations

from dash.development.base_component import Component


class ItineraryStory(Component):
    """Props: ``data`` (the story), ``selected`` ("trip|stop", the stop shown pressed),
    ``chosen`` (set by the browser when a stop's name is pressed: {"stop_no", "at"})."""

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "tripviz"
    _type = "ItineraryStory"

    def __init__(self, id=None, data=None, selected=None, chosen=None, **kwargs):  # noqa: A002 (Dash's name)
        self._prop_names = ["id", "data", "selected", "chosen"]
        self._valid_wildcard_attributes = []
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties = []
        super().__init__(id=id, data=data if data is not None else [], selected=selected, chosen=chosen)
