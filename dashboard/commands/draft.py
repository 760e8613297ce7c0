"""`draft ARTICLE.txt|- [--published YYYY-MM-DD] [-o trip.json|trip.csv]`: a draft itinerary from
a news article, with the evidence for every field, to check and load."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from dashboard.errors import UserError

NAME = "draft"
HELP = "draft an itinerary from a news article, with the evidence for each field"
SETTINGS = ("database",)
MAX_INPUT_BYTES = 5_000_000


def add_arguments(parser) -> None:
    parser.add_argument("article", metavar="ARTICLE.txt", help="the article's text, or - for standard input")
    parser.add_argument("--published", default=None, metavar="YYYY-MM-DD",
                        help="the publication date (default: a full date found in the text)")
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="trip.json|trip.csv",
                        help="where to write the draft (default: JSON on standard output)")


def read_article(source: str) -> str:
    """The article's text from a file, or from standard input for '-'."""
    from dashboard.itinerary import ItineraryError

    if source == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
    else:
        path = Path(source)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise ItineraryError(f"{path}: no such file") from None
        except OSError as exc:
            raise ItineraryError(f"{path}: cannot be read ({exc.strerror})") from None
        name = str(path)
    if len(raw) > MAX_INPUT_BYTES:
        raise ItineraryError(f"{name}: more than {MAX_INPUT_BYTES // 1_000_000} MB; a news report is a few "
                             "KB: give one article at a time")
    if b"\x00" in raw[:4096]:
        raise ItineraryError(f"{name}: binary data, not text; save the article as plain UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ItineraryError(f"{name}: not UTF-8 text (byte {exc.start}); save the article as UTF-8") from None


def run(args, services) -> int:
    from dashboard.itinerary import ItineraryError, StopCollector
    from dashboard.sources.article import parse_article, published_date_in

    source, published, output = args.article, args.published, args.output
    text = read_article(source)
    if published:
        try:
            day = date.fromisoformat(published)
        except ValueError:
            raise UserError(f"--published {published!r}: give the publication date as YYYY-MM-DD") from None
    else:
        day = published_date_in(text)
        if day is None:
            raise ItineraryError("the article states no full date; give its publication date with "
                                 "--published YYYY-MM-DD (weekdays such as 'on Monday' are resolved against it)")
        print(f"publication date taken from the text: {day.isoformat()}", file=sys.stderr)
    collector = StopCollector(source if source != "-" else "<article>")
    trip = parse_article(text, collector, day, services.gazetteer,
                         source=f"news article{'' if source == '-' else ' ' + Path(source).name}, published {day.isoformat()}")
    if not trip["stops"]:
        raise ItineraryError("no stop found: the article never says where the traveller goes or is "
                             "('travelled to X', 'is due to visit X', 'In X, ...'); write the itinerary by hand")
    for note in trip["notes"]:
        print(f"note: {note}", file=sys.stderr)
    print(f"{trip['leader']}: {len(trip['stops'])} stop(s)", file=sys.stderr)
    for number, stop in enumerate(trip["stops"], start=1):
        guessed = " (date inferred)" if "arrive" in stop["inferred"] else ""
        print(f"  {number}. {stop['place']} ({stop['country'] or '?'}), {stop['arrive']}{guessed}; "
              f"{len(stop['events'])} event(s)", file=sys.stderr)
    if output is None or output.suffix.lower() == ".json":
        text_out = json.dumps(trip, ensure_ascii=False, indent=2)
    elif output.suffix.lower() == ".csv":
        from dashboard.sources.csv_file import write_csv

        loaded = collector.result()
        text_out = write_csv(loaded.stops, loaded.events, loaded.trips)
    else:
        raise UserError(f"{output}: the output must end in .json or .csv")
    if output is None:
        print(text_out)
    else:
        output.write_text(text_out, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0
