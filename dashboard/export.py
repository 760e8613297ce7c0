"""Standalone exports: one HTML file that opens from ``file://`` with no network, for ever;
PNG and SVG through kaleido drawing the same shipped base map.

The same input always gives the same bytes: fixed element ids, sorted JSON, and a single stated
generation date that honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention).
Never imports Dash.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import figures
from dashboard.itinerary import frame_rows
from dashboard.paths import GEODATA_DIR

MAP_DIV_ID = "trip-map"
TIMELINE_DIV_ID = "trip-timeline"
TITLE_TRIPS = 3  # trips named in a page's title; a collection's title says how many more
SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


class ExportError(Exception):
    """A user-facing export problem (unknown trip id, missing browser for images...)."""


def generation_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '</script>', '<!--' or stray '&'."""
    return _script_safe(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def _script_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _figure_json(fig: go.Figure) -> str:
    """The figure as JSON text, encoded once (a collection's map is tens of MB: decoding it to
    re-encode it with the rest of the page data doubled the export time)."""
    return pio.to_json(fig, validate=False, remove_uids=True)


def base_map_json(name: str) -> dict:
    path = GEODATA_DIR / f"{name}.json"
    if not path.exists():
        raise ExportError(f"the base map '{name}' is not shipped in {GEODATA_DIR}")
    return json.loads(path.read_text(encoding="utf-8"))


def _source_html(source: str | None) -> str:
    if not source:
        return "<span class=\"nosource\">no source given</span>"
    text = html.escape(source)
    if SAFE_URL.match(source.strip()):
        return f'<a href="{html.escape(source.strip(), quote=True)}" rel="noopener noreferrer">{text}</a>'
    return text


def _events_for_page(stops: pd.DataFrame, grouped: dict[tuple[str, int], list[dict]]) -> dict[str, list[dict]]:
    """Per stop ('trip_id|stop_no'), what the page's click panel shows; set as text, never HTML."""
    out: dict[str, list[dict]] = {}
    for trip_id, stop_no in zip(stops["trip_id"], stops["stop_no"]):
        out[f"{trip_id}|{int(stop_no)}"] = [
            {"kind": e["kind"], "text": e["text"], "time": e["time"] or "", "people": e["people"] or "",
             "source": e["source"] or ""}
            for e in grouped.get((trip_id, int(stop_no)), [])
        ]
    return out


def _placement_summary(stops: pd.DataFrame, notes: list[str]) -> str:
    if not notes:
        return (f"All {len(stops):,} stops were placed at the place itself, from the itinerary's coordinates, "
                "a saved choice or an unambiguous match in the offline gazetteer.")
    return ("Stops marked with a diamond on the map need checking (the name fits several places, or only "
            "a near spelling matched); open circles are placed approximately, at a country, region or "
            "nearby town. Each is listed here with the reason.")


def standalone_html(stops: pd.DataFrame, events: pd.DataFrame, *, with_timeline: bool = False,
                    plotlyjs: str = "inline", title: str | None = None) -> str:
    """The whole page as text. ``stops`` is a geocoded stops frame, ``events`` its events."""
    trip_names = list(dict.fromkeys(stops["trip"].astype(str)))
    shown_names = "; ".join(trip_names[:TITLE_TRIPS]) + (
        f" and {len(trip_names) - TITLE_TRIPS:,} more trips" if len(trip_names) > TITLE_TRIPS else "")
    page_title = title or shown_names or "Trip map"
    map_fig = figures.map_figure(stops, events)
    map_name = figures.base_map_name(map_fig)
    summaries = figures.trip_summaries(stops, events)
    grouped = figures.events_by_stop(events)
    itinerary = figures.itinerary_text(stops, events, summaries, grouped)
    placement = figures.placement_notes(stops)
    figures_json = {MAP_DIV_ID: _figure_json(map_fig)}
    if with_timeline:
        figures_json[TIMELINE_DIV_ID] = _figure_json(figures.timeline_figure(stops, events))
    config = {"displaylogo": False, "responsive": True, "scrollZoom": False,
              # Never the CDN: the base map is inlined; anything else missing must fail locally.
              "topojsonURL": "./geodata/"}
    if plotlyjs == "inline":
        from plotly.offline import get_plotlyjs

        plotly_script = f"<script>{get_plotlyjs()}</script>"
    elif plotlyjs == "cdn":
        from plotly.io._utils import plotly_cdn_url

        plotly_script = f'<script src="{plotly_cdn_url()}" charset="utf-8"></script>'
    else:
        raise ExportError(f"--plotlyjs must be 'inline' or 'cdn', not {plotlyjs!r}")

    e = html.escape
    summary_items = "".join(
        f"<li><strong>{e(s.leader)}: {e(s.trip)}</strong>. {e(s.text())}.</li>" for s in summaries)
    legs = "".join(
        f"<li>{e(a)} to {e(b)}: {km:,.0f} km ({km / figures.KM_PER_MILE:,.0f} mi)</li>"
        for s in summaries for a, b, km in s.legs)
    credit_rows = []
    for event in frame_rows(events.merge(stops[["trip_id", "stop_no", "place"]], on=["trip_id", "stop_no"])):
        credit_rows.append(f"<li>{e(str(event['stop_no']))}. {e(event['place'])}, {e(event['kind'])}: "
                           f"{e(event['text'])} <span class=\"source\">Source: {_source_html(event['source'])}</span></li>")
    timeline_div = (f'<div id="{TIMELINE_DIV_ID}" class="figure" role="img" '
                    f'aria-label="Timeline of the stops; the same information is in the itinerary below"></div>'
                    if with_timeline else "")
    # Keys in sorted order, as json.dumps(sort_keys=True) would write them: the same input gives
    # the same bytes.
    figures_text = "{" + ",".join(f"{json.dumps(key)}:{text}" for key, text in sorted(figures_json.items())) + "}"
    page_data = (f'{{"config":{_script_json(config)},"events":{_script_json(_events_for_page(stops, grouped))},'
                 f'"figures":{_script_safe(figures_text)}}}')
    geo_assets = {"topojson": {map_name: base_map_json(map_name)}}
    return PAGE.format(
        title=e(page_title),
        generated=generation_date().isoformat(),
        summary=summary_items,
        legs=legs or "<li>one stop: no legs</li>",
        placement_summary=e(_placement_summary(stops, placement)),
        placement="".join(f"<li>{e(line)}</li>" for line in placement),
        map_id=MAP_DIV_ID,
        # The map's text alternative is the summary; the itinerary right below lists every stop.
        map_alt=e(" ".join(f"{s.leader}: {s.trip}. {s.text()}." for s in summaries[:TITLE_TRIPS])
                  + " Every stop is listed in the itinerary below the map."),
        timeline=timeline_div,
        itinerary=e(itinerary),
        credits="".join(credit_rows) or "<li>no events</li>",
        attribution=e(figures.BASE_MAP_ATTRIBUTION),
        geo_assets=_script_json(geo_assets),
        plotly_script=plotly_script,
        page_data=page_data,
        script=PAGE_SCRIPT,
    )


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tripviz dashboard">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem; color: #1a1a1a; }}
h1 {{ font-size: 1.5rem; margin: 0 0 .25rem; }}
.figure {{ width: 100%; }}
#{map_id} {{ height: 600px; }}
#trip-timeline {{ height: auto; }}
#stop-details {{ border-left: 4px solid #0072B2; padding: .25rem .75rem; margin: .5rem 0; min-height: 2rem; }}
pre.itinerary {{ white-space: pre-wrap; background: #f6f6f6; padding: .75rem; }}
footer, .source, .meta {{ color: #555; font-size: .85rem; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="meta">Generated on {generated}. Opens offline: the map, its base map and plotly.js are inside this file.</p>
<ul class="summary">{summary}</ul>
</header>
<main>
<div id="{map_id}" class="figure" role="img" aria-label="Route map. {map_alt}"></div>
<div id="stop-details" aria-live="polite">Click a stop to see what happened there.</div>
{timeline}
<section><h2>Itinerary</h2><pre class="itinerary">{itinerary}</pre></section>
<section><h2>Where the stops were placed</h2><p>{placement_summary}</p><ul class="placement">{placement}</ul></section>
<section><h2>Legs</h2><ul>{legs}</ul></section>
<section><h2>Events and sources</h2><ul class="credits">{credits}</ul></section>
</main>
<footer><p>{attribution}. The boundaries and names shown do not imply official endorsement or acceptance by the United Nations.</p>
<p>Made with the trip timeline visualiser on {generated}.</p></footer>
<script>window.PlotlyGeoAssets = {geo_assets};</script>
{plotly_script}
<script id="page-data" type="application/json">{page_data}</script>
<script>{script}</script>
</body>
</html>
"""

# Linked highlighting inside the page itself (Dash callbacks do not survive export). Every
# user string goes in through textContent, never innerHTML.
PAGE_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var ids = Object.keys(data.figures).sort();
  var drawn = ids.map(function (id) {
    var fig = data.figures[id];
    return Plotly.newPlot(id, fig.data, fig.layout, data.config);
  });
  function sameStop(point, chosen) {
    return point && point[0] === chosen[0] && point[1] === chosen[1];
  }
  function highlight(chosen) {
    ids.forEach(function (id) {
      var div = document.getElementById(id);
      div.data.forEach(function (trace, index) {
        if (!trace.meta || trace.meta.role !== 'stops' || !trace.customdata) { return; }
        var hits = trace.customdata.map(function (c) { return sameStop(c, chosen); });
        if (trace.type === 'bar') {
          Plotly.restyle(div, {'marker.line.width': [hits.map(function (h) { return h ? 3 : 0; })]}, [index]);
        } else {
          Plotly.restyle(div, {
            'marker.size': [hits.map(function (h) { return h ? 18 : 12; })],
            'marker.line.width': [hits.map(function (h) { return h ? 3 : 1.5; })]
          }, [index]);
        }
      });
      div.setAttribute('data-selected', chosen.join('|'));
    });
    var panel = document.getElementById('stop-details');
    panel.textContent = '';
    var list = data.events[chosen.join('|')] || [];
    var heading = document.createElement('strong');
    heading.textContent = 'Stop ' + chosen[1] + ': ' + list.length + ' event(s)';
    panel.appendChild(heading);
    var ul = document.createElement('ul');
    list.forEach(function (event) {
      var li = document.createElement('li');
      li.textContent = '[' + event.kind + '] ' + (event.time ? event.time + ' ' : '') + event.text +
        (event.people ? ' (' + event.people + ')' : '') + (event.source ? ' Source: ' + event.source : '');
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }
  Promise.all(drawn).then(function () {
    ids.forEach(function (id) {
      var div = document.getElementById(id);
      div.on('plotly_click', function (event) {
        var point = event.points && event.points[0];
        if (point && point.customdata) { highlight(point.customdata); }
      });
    });
    document.body.setAttribute('data-ready', 'true');
  });
})();
"""


# ---------------------------------------------------------------------------- images


def write_image(stops: pd.DataFrame, events: pd.DataFrame, output: Path) -> None:
    """PNG or SVG of the map through kaleido and the system Chromium, offline base map."""
    browser = _find_chromium()
    if browser is None:
        raise ExportError("PNG and SVG export needs Chromium; install it with "
                          "'apt-get install chromium' (Debian/Ubuntu) or set BROWSER_PATH to a Chrome/Chromium")
    os.environ.setdefault("BROWSER_PATH", browser)
    fig = figures.map_figure(stops, events)
    pio.defaults.topojson = GEODATA_DIR.as_uri() + "/"
    try:
        fig.write_image(str(output), format=output.suffix.lower().lstrip("."), width=1400, height=900)
    except Exception as exc:  # kaleido wraps browser failures in assorted types
        raise ExportError(f"image export failed: {exc}") from exc


def _find_chromium() -> str | None:
    import shutil

    candidates = [os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).exists()), None)


# ---------------------------------------------------------------------------- command line


def export_command(args) -> int:
    from dashboard.geocoding.resolver import PlaceResolver, placement_problems
    from dashboard.geocoding.store import GeocodeStore
    from dashboard.sources import load_itinerary

    itinerary = load_itinerary(args.tripfile)
    for problem in itinerary.problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    available = list(itinerary.trips["trip_id"])
    chosen = args.trip or available
    unknown = [t for t in chosen if t not in available]
    if unknown:
        raise ExportError(f"unknown trip id(s) {', '.join(unknown)} in {args.tripfile}; "
                          f"trips in the file: {', '.join(available) or 'none'}")
    stops = itinerary.stops[itinerary.stops["trip_id"].isin(chosen)].reset_index(drop=True)
    if stops.empty:
        raise ExportError(f"{args.tripfile}: no stop could be loaded, nothing to export")
    events = itinerary.events[itinerary.events["trip_id"].isin(chosen)].reset_index(drop=True)
    placed = PlaceResolver(store=GeocodeStore()).geocode_stops(stops)
    placement = placement_problems(placed)
    for problem in placement:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    left_off = [p for p in placement if p.severity == "error"]
    if (itinerary.dropped or left_off) and not args.keep_going:
        print(f"error: {len(itinerary.dropped)} row(s) not loaded and {len(left_off)} stop(s) not placed "
              f"(listed above); nothing was written. Fix them, or pass --keep-going to export the rest.",
              file=sys.stderr)
        return 1
    suffix = args.output.suffix.lower()
    if suffix in (".png", ".svg"):
        write_image(placed, events, args.output)
    elif suffix in (".html", ".htm"):
        text = standalone_html(placed, events, with_timeline=args.with_timeline, plotlyjs=args.plotlyjs)
        args.output.write_text(text, encoding="utf-8")
    else:
        raise ExportError(f"{args.output}: the output must end in .html, .png or .svg")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:,.0f} KB)", file=sys.stderr)
    return 0
