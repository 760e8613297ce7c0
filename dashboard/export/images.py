"""PNG and SVG of the map through kaleido and the system Chromium, drawing the shipped base map."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import plotly.io as pio

from dashboard import figures, settings
from dashboard.export.page import ExportError
from dashboard.paths import GEODATA_DIR


def write_image(stops: pd.DataFrame, events: pd.DataFrame, output: Path) -> None:
    """PNG or SVG of the map through kaleido and the system Chromium, offline base map."""
    browser = _find_chromium()
    if browser is None:
        raise ExportError("PNG and SVG export needs Chromium; install it with "
                          "'apt-get install chromium' (Debian/Ubuntu) or set BROWSER_PATH to a Chrome/Chromium")
    os.environ["BROWSER_PATH"] = browser  # how kaleido is told which browser to start
    fig = figures.map_figure(stops, events)
    pio.defaults.topojson = GEODATA_DIR.as_uri() + "/"
    try:
        fig.write_image(str(output), format=output.suffix.lower().lstrip("."), width=1400, height=900)
    except Exception as exc:  # kaleido wraps browser failures in assorted types
        raise ExportError(f"image export failed: {exc}") from exc


def _find_chromium() -> str | None:
    import shutil

    candidates = [settings.load().browser, "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).exists()), None)
