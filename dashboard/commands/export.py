"""`export [TRIPFILE] -o OUT.html|OUT.png|OUT.svg`: a trip file to a standalone page or an image."""

from __future__ import annotations

import sys

from dashboard.commands.loading import PLACING, READING, load_and_place, stopped_by_losses
from dashboard.paths import DEFAULT_TRIP

NAME = "export"
HELP = "write a trip's map as one standalone HTML, PNG or SVG file"
SETTINGS = (*PLACING, *READING)


def _iso_date(text: str):
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; give it as YYYY-MM-DD, e.g. 2025-08-25") from None


def add_arguments(parser) -> None:
    from pathlib import Path

    parser.add_argument("tripfile", type=Path, metavar="TRIPFILE", nargs="?", default=DEFAULT_TRIP,
                        help="a trip file or folder (default: the shipped first trip)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the file to write; .html, .png or .svg")
    parser.add_argument("--trip", action="append", default=None, metavar="ID",
                        help="a trip id to include (repeat for several; default: every trip in the file)")
    parser.add_argument("--variant", choices=("full", "map"), default="full",
                        help="full (default): map, timeline, itinerary, placement, sources; map: title, summary "
                             "and map, for embedding")
    parser.add_argument("--theme", choices=("auto", "light", "dark"), default="auto",
                        help="auto (default) follows the reader's light or dark setting")
    parser.add_argument("--published", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="mark this date (publication, today) on the timeline")
    parser.add_argument("--preview", action="store_true",
                        help="also write a PNG of the map beside the page (same name, .png) and name it as the "
                             "page's social-preview image (needs Chromium)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="where the page will be published (https://example.org/maps/): makes its canonical "
                             "and preview-image addresses absolute, as social networks require")
    parser.add_argument("--plotlyjs", choices=("inline", "cdn"), default="inline",
                        help="inline (default): plotly.js inside the file, opens offline for ever; "
                             "cdn: a smaller file that needs the network to open")
    parser.add_argument("--keep-going", action="store_true",
                        help="export what could be loaded and placed, and list the rest (default: write nothing, "
                             "exit status 1)")


def run(args, services) -> int:
    from dashboard.export import ExportError, standalone_html, write_image

    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".svg", ".html", ".htm"):
        raise ExportError(f"{args.output}: the output must end in .html, .png or .svg")
    loaded = load_and_place([args.tripfile], services, trips=args.trip)
    if loaded.stops.empty:
        raise ExportError(f"{args.tripfile}: no stop could be loaded, nothing to export")
    if stopped_by_losses(loaded, args.keep_going):
        return 1
    placed, events = loaded.stops, loaded.events
    if suffix in (".png", ".svg"):
        write_image(placed, events, args.output)
    else:
        preview = None
        if args.preview:
            # The social-preview image beside the page, named after it.
            preview = args.output.with_suffix(".png")
            write_image(placed, events, preview)
            print(f"wrote {preview} ({preview.stat().st_size / 1024:,.0f} KB)", file=sys.stderr)
        text = standalone_html(placed, events, variant=args.variant, plotlyjs=args.plotlyjs, theme=args.theme,
                               published=args.published, embed_src=args.output.name,
                               preview_image=preview.name if preview else None, base_url=args.base_url)
        args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:,.0f} KB)", file=sys.stderr)
    return 0
