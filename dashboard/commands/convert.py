"""`convert INPUT... -o OUT.csv|OUT.json [--geocode]`: any loadable input (CSV, JSON, official
travel records, a folder of them) written as the project's own CSV or JSON, so that a
collection can be fixed up in a spreadsheet and loaded back."""

from __future__ import annotations

import sys

from dashboard.commands.loading import PLACING, READING, load_and_place, stopped_by_losses

NAME = "convert"
HELP = "write any loadable input (CSV, JSON, official travel records, folders) as the project's CSV or JSON"
SETTINGS = (*PLACING, *READING)
FORMATS = (".csv", ".json")


def add_arguments(parser) -> None:
    from pathlib import Path

    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.csv|OUT.json")
    parser.add_argument("--geocode", action="store_true",
                        help="add lat, lon, country code, precision, confidence and matched name per stop")
    parser.add_argument("--keep-going", action="store_true",
                        help="convert what could be loaded and list the rest (default: write nothing when a row "
                             "could not be loaded, exit status 1)")


def run(args, services) -> int:
    from dashboard.errors import UserError
    from dashboard.sources.csv_file import write_csv
    from dashboard.sources.json_file import write_json

    suffix = args.output.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"{args.output}: the output must end in .csv or .json")
    loaded = load_and_place(args.inputs, services, place=args.geocode)
    if stopped_by_losses(loaded, args.keep_going, count_unplaced=False):
        return 1
    write = write_csv if suffix == ".csv" else write_json
    args.output.write_text(write(loaded.stops, loaded.events, loaded.trips), encoding="utf-8")
    print(f"wrote {args.output}: {len(loaded.trips):,} trip(s), {len(loaded.stops):,} stop(s), "
          f"{len(loaded.events):,} event(s)", file=sys.stderr)
    return 0
