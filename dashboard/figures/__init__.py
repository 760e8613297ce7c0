"""Pure figure builders: a geocoded stops frame in, a ``plotly.graph_objects.Figure`` out.

No Dash and no I/O here. The base map is drawn from the shipped TopoJSON (``data/geodata``);
which file a figure needs is ``base_map_name(fig)``, and each output path (Dash, standalone
HTML, images) points plotly.js at the shipped copy.
"""


from dashboard.figures.common import (  # noqa: F401
    _MONTHS,
    _WEEKDAYS,
    ARC_POINTS,
    ARROW_SIZE,
    BASE_MAP_ATTRIBUTION,
    EARTH_RADIUS_KM,
    EUROPE_BOUNDS,
    EUROPE_ROTATION_LON,
    EUROPE_VIEW,
    EVENTS_SHOWN,
    FIT_MARGIN,
    FONT_FAMILY,
    FRAME_COORDINATE_BUDGET,
    KM_PER_MILE,
    MAP_ASPECT,
    MAP_MARKER_LIMIT,
    MAX_LEGEND_TRIPS,
    MAX_TOUR_FRAMES,
    MIN_VIEW_SPAN_DEG,
    PALETTE,
    REQUIRED_COLUMNS,
    ROUTE_COLOUR,
    Drawable,
    FigureInputError,
    _country_label,
    _hover_columns,
    _moment_labels,
    _precision_label,
    _require_columns,
    _unit_vectors,
    _when,
    badge_style,
    chosen_rows,
    date_labels,
    distance_km,
    drawable_stops,
    events_by_stop,
    great_circle_points,
    hover_text,
    hover_texts,
    map_marker_style,
    placement_notes,
    plotly_text,
    stop_colours,
    stop_dates,
    trip_colour,
)
from dashboard.figures.map import (  # noqa: F401
    _add_tour_animation,
    _frame_traces,
    _framed_ranges,
    _lon_centre_and_half_span,
    _map_traces,
    _marker_labels,
    _route_arcs,
    _route_groups,
    _view,
    base_map_name,
    map_figure,
)
from dashboard.figures.text import (  # noqa: F401
    TripSummary,
    itinerary_story,
    itinerary_text,
    trip_summaries,
)
from dashboard.figures.timeline import (  # noqa: F401
    _span_days,
    timeline_figure,
)
