"""What goes inside a standalone page, packed small: plotly.js, the base map and the page's data
are gzipped and written as base64; the page unpacks them with the browser's own
``DecompressionStream`` before the first draw. gzip with mtime 0 keeps the bytes reproducible.
"""

from __future__ import annotations

import base64
import functools
import gzip
import io
import json
import re
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
GEO_BUNDLE = VENDOR_DIR / "plotly-geo.min.js.gz"
GEO_BUNDLE_VERSION = "4.1.1"
# The trace types plotly.js's geo build draws; a page with any other needs the full build.
GEO_BUNDLE_TRACES = frozenset({"scatter", "scattergeo", "choropleth"})


def gzipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def packed(data: bytes) -> str:
    """``data`` gzipped and base64-encoded: text that is safe anywhere in an HTML page."""
    return base64.b64encode(gzipped(data)).decode("ascii")


def unpacked(text: str) -> bytes:
    """The inverse of :func:`packed` (tests and tools read pages with it)."""
    return gzip.decompress(base64.b64decode(text))


@functools.cache  # reads plotly.py's 4.8 MB plotly.js: once per process
def bundled_plotly_version() -> str:
    """The plotly.js version plotly.py ships (and whose figures it writes)."""
    from plotly.offline import get_plotlyjs

    match = re.search(r"plotly\.js v([\d.]+)", get_plotlyjs()[:300])
    return match.group(1) if match else "unknown"


def bundle_for(figures: list[dict]) -> str:
    """'geo' when the geo build draws every trace of ``figures`` (and matches plotly.py's
    version), else 'full'."""
    types = {trace.get("type", "scatter") for figure in figures for trace in figure.get("data", [])}
    if types <= GEO_BUNDLE_TRACES and bundled_plotly_version() == GEO_BUNDLE_VERSION:
        return "geo"
    return "full"


@functools.lru_cache(maxsize=2)
def packed_plotly(bundle: str) -> str:
    """plotly.js, packed: the vendored geo build as shipped, or plotly.py's full build."""
    if bundle == "geo":
        return base64.b64encode(GEO_BUNDLE.read_bytes()).decode("ascii")
    from plotly.offline import get_plotlyjs

    return packed(get_plotlyjs().encode("utf-8"))


def packed_json(value) -> str:
    return packed(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
