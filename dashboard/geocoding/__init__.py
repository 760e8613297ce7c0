"""Geocoding: the offline gazetteer (a geopy geocoder), the override and cache store, opt-in
online providers, and the resolver that places every stop of an itinerary.

Never imports Plotly or Dash.
"""

from dashboard.geocoding.errors import (
    EmptyPlaceError,
    GazetteerBuildError,
    GeocodingError,
    UnknownCountryError,
)
from dashboard.geocoding.gazetteer import Gazetteer

__all__ = [
    "EmptyPlaceError",
    "GazetteerBuildError",
    "Gazetteer",
    "GeocodingError",
    "UnknownCountryError",
]
