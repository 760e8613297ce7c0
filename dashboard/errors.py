"""The project's one error family. Every exception the project raises for a person to read
descends from :class:`TripvizError`, so the command line catches one base and prints one line.

Each part keeps its own subclass beside its code (``ItineraryError`` in ``itinerary``,
``GeocodingError`` in ``geocoding``, ``StoreError`` in ``store``, ``ExportError`` in ``export``,
``FigureInputError`` in ``figures``); a subclass may take a second base where a library's
callers expect one (geopy's ``GeopyError``, ``ValueError``).
"""

from __future__ import annotations


class TripvizError(Exception):
    """A problem the user can act on; the message says what failed and what to do."""


class UserError(TripvizError):
    """A mistake in what the user asked for (an option, a setting, a name that is not there)."""
