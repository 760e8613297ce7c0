"""The itinerary as a story: one light component, drawn by the browser from the story's plain
data (``figures.itinerary_story``) by ``assets/story.js``.

Why not Dash's html components: a 200-stop trip's story is some 12,000 elements, and Dash's
renderer re-reads every component's props from its store on each update; with the story built
of them an edit took some 15 s of the browser's time to settle. As one component with its data
it is one prop, and React draws the plain elements."""

from __future__ import annotations

from dashboard.features.common import BrowserComponent


class ItineraryStory(BrowserComponent):
    """Props: ``data`` (the story), ``selected`` ("trip|stop", the stop shown pressed),
    ``chosen`` (set by the browser when a stop's name is pressed: {"stop_no", "at"})."""

    PROPS = ("id", "data", "selected", "chosen")
    _type = "ItineraryStory"

    def __init__(self, id=None, data=None, selected=None, chosen=None):  # noqa: A002 (Dash's name)
        super().__init__(id=id, data=data if data is not None else [], selected=selected, chosen=chosen)
