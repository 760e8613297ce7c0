"""The standalone page: one HTML file that opens from ``file://`` with no network, for ever.

Rendered from a Jinja2 template with autoescaping; the page's own CSS and JavaScript are static
files inlined into it; plotly.js, the base map and the figures are packed (see ``packing``).
The same input always gives the same bytes: fixed element ids, sorted JSON, gzip without a
timestamp, and a single stated generation date that honours ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention). Never imports Dash.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import figures, settings
from dashboard.errors import TripvizError
from dashboard.export import packing
from dashboard.itinerary import events_by_stop, led_by
from dashboard.paths import GEODATA_DIR

HERE = Path(__file__).resolve().parent
MAP_DIV_ID = "trip-map"
TIMELINE_DIV_ID = "trip-timeline"
TITLE_TRIPS = 3  # trips named in a page's title; a collection's title says how many more
VARIANTS = ("full", "map")
THEMES = ("auto", "light", "dark")


class ExportError(TripvizError):
    """A user-facing export problem (unknown trip id, missing browser for images...)."""


def generation_date() -> dt.date:
    epoch = settings.load().source_date_epoch
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def base_map_json(name: str) -> dict:
    path = GEODATA_DIR / f"{name}.json"
    if not path.exists():
        raise ExportError(f"the base map '{name}' is not shipped in {GEODATA_DIR}")
    return json.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


@functools.lru_cache(maxsize=4)
def _static(name: str) -> str:
    return (HERE / "static" / name).read_text(encoding="utf-8")


def _figure_dict(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False, remove_uids=True))


def _dek(summaries: list[figures.TripSummary]) -> str:
    """The one-line summary under the title."""
    if not summaries:
        return "No stop could be drawn."
    if len(summaries) == 1:
        s = summaries[0]
        return led_by(s.leader, f"{s.text()}.")
    leaders = list(dict.fromkeys(s.leader for s in summaries if s.leader))
    named = ", ".join(leaders[:3]) + (f" and {len(leaders) - 3:,} more" if len(leaders) > 3 else "")
    return (f"{len(summaries):,} trips" + (f" by {named}" if named else "") + f": {sum(s.stops for s in summaries):,} stops, "
            f"{sum(s.distance_km for s in summaries):,.0f} km by great circle.")


def _placement_summary(stop_count: int, notes: list[str]) -> str:
    if not notes:
        return (f"All {stop_count:,} stops were placed at the place itself, from the itinerary's coordinates, "
                "a saved choice or an unambiguous match in the offline gazetteer.")
    return ("Stops marked with a diamond on the map need checking (the name fits several places, or only "
            "a near spelling matched); open circles are placed approximately, at a country, region or "
            "nearby town. Each is listed here with the reason.")


def embed_snippet(embed_id: str, src: str, title: str) -> str:
    """Copy-paste HTML that shows the page in an iframe and lets it set its own height: the page
    posts {"tripviz-height": {"id", "height"}} to its parent (as Datawrapper and Flourish do),
    and this listener, checking the message comes from that very iframe, applies it."""
    frame = (f'<iframe id="{embed_id}" src="{_attr(src)}" title="{_attr(title)}" loading="lazy" '
             'style="width:100%;height:720px;border:0" scrolling="no"></iframe>')
    listener = ('<script>(function(){var f=document.getElementById("' + embed_id + '");'
                'window.addEventListener("message",function(e){var d=e.data&&e.data["tripviz-height"];'
                'if(f&&d&&d.id==="' + embed_id + '"&&e.source===f.contentWindow){f.style.height=d.height+"px";}});})();'
                '</script>')
    return frame + "\n" + listener


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def standalone_html(stops: pd.DataFrame, events: pd.DataFrame, *, variant: str = "full", plotlyjs: str = "inline",
                    title: str | None = None, theme: str = "auto", published=None, embed_src: str = "trip.html",
                    preview_image: str | None = None, base_url: str | None = None) -> str:
    """The whole page as text. ``stops`` is a geocoded stops frame, ``events`` its events.

    ``variant`` 'full' has the map, the timeline, the itinerary as a story, where each stop was
    placed and the sources; 'map' has the title, summary and map. ``published`` (a date) marks
    the timeline. ``embed_src`` is the address the embed snippet points at; ``preview_image``
    (a PNG beside the page) and ``base_url`` (where the page will live) fill the social-preview
    metadata.
    """
    if variant not in VARIANTS:
        raise ExportError(f"--variant must be one of {', '.join(VARIANTS)}, not {variant!r}")
    if theme not in THEMES:
        raise ExportError(f"--theme must be one of {', '.join(THEMES)}, not {theme!r}")
    if plotlyjs not in ("inline", "cdn"):
        raise ExportError(f"--plotlyjs must be 'inline' or 'cdn', not {plotlyjs!r}")
    trip_names = list(dict.fromkeys(stops["trip"].astype(str)))
    shown_names = "; ".join(trip_names[:TITLE_TRIPS]) + (
        f" and {len(trip_names) - TITLE_TRIPS:,} more trips" if len(trip_names) > TITLE_TRIPS else "")
    page_title = title or shown_names or "Trip map"
    map_fig = figures.map_figure(stops, events)
    map_name = figures.base_map_name(map_fig)
    summaries = figures.trip_summaries(stops, events)
    grouped = events_by_stop(events)
    placement = figures.placement_notes(stops)
    figure_dicts = {MAP_DIV_ID: _figure_dict(map_fig)}
    if variant == "full":
        figure_dicts[TIMELINE_DIV_ID] = _figure_dict(figures.timeline_figure(stops, events, marker_date=published))
    bundle = packing.bundle_for(list(figure_dicts.values()))
    # No mode bar: it would sit on the map. The page is for reading; the dashboard is for exploring.
    config = {"displaylogo": False, "responsive": True, "scrollZoom": False, "displayModeBar": False,
              # Never the CDN: the base map is inlined; anything else missing must fail locally.
              "topojsonURL": "./geodata/"}
    dek = _dek(summaries)
    story = figures.itinerary_story(stops, events, summaries, grouped)
    embed_id = "tripviz-" + hashlib.sha256("|".join([page_title, *map(str, stops["trip_id"].unique())])
                                           .encode("utf-8")).hexdigest()[:10]
    page_data = {"config": config, "figures": figure_dicts, "theme": theme, "embedId": embed_id,
                 "baseMap": map_name, "stopKeys": [s["key"] for trip in story for s in trip["stops"]],
                 "events": {s["key"]: {"place": s["place"], "number": s["number"], "dates": s["dates"],
                                       "events": s["events"]} for trip in story for s in trip["stops"]}}
    sources = sorted({(e["source"], e["link"]) for trip in story for s in trip["stops"] for e in s["events"]
                      if e["source"]}, key=lambda pair: pair[0])
    preview = urljoin(base_url or "", preview_image) if preview_image else None
    context = dict(
        title=page_title, dek=dek, variant=variant, theme=theme, generated=generation_date().isoformat(),
        map_id=MAP_DIV_ID, timeline_id=TIMELINE_DIV_ID, summaries=summaries, story=story,
        map_alt=(" ".join(led_by(s.leader, f"{s.trip}. {s.text()}.") for s in summaries[:TITLE_TRIPS])
                 + (" Every stop is listed in the itinerary below the map." if variant == "full" else
                    " The stops are listed under the map.")),
        itinerary_text=figures.itinerary_text(stops, events, summaries, grouped),
        placement=placement, placement_summary=_placement_summary(len(stops), placement),
        legs=[(a, b, km, km / figures.KM_PER_MILE) for s in summaries for a, b, km in s.legs],
        sources=sources, attribution=figures.BASE_MAP_ATTRIBUTION,
        embed_snippet=embed_snippet(embed_id, embed_src, page_title),
        canonical=urljoin(base_url, embed_src) if base_url else None, preview=preview,
        plotly_packed=packing.packed_plotly(bundle) if plotlyjs == "inline" else None,
        plotly_cdn=_cdn_url() if plotlyjs == "cdn" else None, bundle=bundle,
        base_map_packed=packing.packed_json(base_map_json(map_name)),
        page_data_packed=packing.packed_json(page_data),
        css=_static("page.css"), script=_static("page.js"),
    )
    return _environment().get_template("page.html").render(**context)


def _cdn_url() -> str:
    from plotly.io._utils import plotly_cdn_url

    return plotly_cdn_url()
