"""The shipped first trip as the tests see it: read from its file, never repeated by hand, so a
corrected spelling or an added stop in the data changes the tests' expectations with it."""

import json

from dashboard.paths import DEFAULT_TRIP

_DOCUMENT = json.loads(DEFAULT_TRIP.read_text(encoding="utf-8"))
SHIPPED_TRIP = _DOCUMENT["id"]
SHIPPED_PLACES = [stop["place"] for stop in _DOCUMENT["stops"]]
SHIPPED_LABELS = {f"{number} {place}" for number, place in enumerate(SHIPPED_PLACES, start=1)}
