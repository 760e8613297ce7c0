"""What waits for the first screen: a light component whose children are rendered only once the
page's first render has been painted (``assets/first_screen.js`` draws it).

Why: Dash renders the whole layout in one task, and the trip's map is drawn at that task's end,
after every other graph on the page has been plotted (the timeline alone took some 75 ms) and
every section below it built. What is wrapped in it comes a frame after the map."""

from __future__ import annotations

from dashboard.features.common import BrowserComponent


class AfterFirstPaint(BrowserComponent):
    """Props: ``children``, rendered once the page's first render has been painted."""

    PROPS = ("children", "id")
    _type = "AfterFirstPaint"

    def __init__(self, children=None, id=None):  # noqa: A002 (Dash's name)
        super().__init__(children=children, id=id)
