"""Diplomatic trip timeline visualiser: itineraries in, interactive maps and timelines out."""

__version__ = "0.1.0"
