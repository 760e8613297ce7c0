"""Pure figure builders: a geocoded stops frame in, a ``plotly.graph_objects.Figure`` out.

``common`` holds what every figure shares (colours, geometry, the stop's text and hover), ``map``
the route map (and the highlight a selection patches onto it), ``timeline`` the bars per stop,
``text`` the itinerary as text and as a story, ``collection`` a traveller's record. No Dash and no
I/O here. The base map is drawn from the shipped TopoJSON (``data/geodata``); which file a figure
needs is ``base_map_name(fig)``, and each output path (Dash, standalone HTML, images) points
plotly.js at the shipped copy.
"""

from dashboard.figures.common import (
    BASE_MAP_ATTRIBUTION,
    KM_PER_MILE,
    MAP_ASPECT,
    FigureInputError,
    chosen_rows,
    date_labels,
    distance_km,
    drawable_stops,
    great_circle_points,
    placement_notes,
    stop_colours,
    stop_dates,
)
from dashboard.figures.map import base_map_name, map_figure, map_selection_patch
from dashboard.figures.text import TripSummary, itinerary_story, itinerary_text, trip_summaries
from dashboard.figures.timeline import timeline_figure, timeline_selection_patch

__all__ = [
    "BASE_MAP_ATTRIBUTION", "KM_PER_MILE", "MAP_ASPECT", "FigureInputError", "TripSummary", "base_map_name",
    "chosen_rows", "date_labels", "distance_km", "drawable_stops", "great_circle_points", "itinerary_story",
    "itinerary_text", "map_figure", "map_selection_patch", "placement_notes", "stop_colours", "stop_dates",
    "timeline_figure", "timeline_selection_patch", "trip_summaries",
]
