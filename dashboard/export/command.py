"""`python3 -m dashboard export`: a trip file to a standalone page or an image."""

from __future__ import annotations

import sys

from dashboard.export.images import write_image
from dashboard.export.page import ExportError, standalone_html


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
    else:
        raise ExportError(f"{args.output}: the output must end in .html, .png or .svg")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:,.0f} KB)", file=sys.stderr)
    return 0
