"""Standalone exports: one HTML page that opens from ``file://`` with no network, for ever
(``page``, its template and static files, packed small by ``packing``); PNG and SVG through
kaleido (``images``). The ``export`` command is in ``dashboard.commands``. Never imports Dash."""

from dashboard.export.images import write_image
from dashboard.export.page import (
    MAP_DIV_ID,
    TIMELINE_DIV_ID,
    VARIANTS,
    ExportError,
    base_map_json,
    embed_snippet,
    generation_date,
    standalone_html,
)

__all__ = ["MAP_DIV_ID", "TIMELINE_DIV_ID", "VARIANTS", "ExportError", "base_map_json", "embed_snippet",
           "generation_date", "standalone_html", "write_image"]
