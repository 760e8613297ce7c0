"""Placeholder replaced by the geocoder."""


class GeocodingError(Exception):
    pass
