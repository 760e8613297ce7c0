"""Standalone exports: one HTML page that opens from ``file://`` with no network, for ever
(``page``, its template and static files, packed small by ``packing``); PNG and SVG through
kaleido (``images``); the ``export`` command (``command``). Never imports Dash."""

from dashboard.export.command import export_command
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
           "export_command", "generation_date", "standalone_html", "write_image"]
