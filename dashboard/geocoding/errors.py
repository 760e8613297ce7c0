"""The geocoder's exceptions: in the project's family and in geopy's, so callers can catch either."""

from geopy.exc import GeocoderQueryError, GeocoderServiceError, GeopyError

from dashboard.errors import TripvizError


class GeocodingError(TripvizError, GeopyError):
    """Base of this project's geocoding errors; the message says what failed and what to do."""


class EmptyPlaceError(GeocodingError, GeocoderQueryError):
    """The place to look up was empty."""


class UnknownCountryError(GeocodingError, GeocoderQueryError):
    """A country hint matched no country name, ISO 3166-1 alpha-2 or alpha-3 code."""


class GazetteerBuildError(GeocodingError, GeocoderServiceError):
    """The offline index could not be built (missing package data, unwritable cache)."""
