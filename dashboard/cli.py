"""The command line: a thin layer over the commands (``dashboard.commands``), the settings
(``dashboard.settings``, which declare the shared options once) and the services built from them.

Every project error (``dashboard.errors.TripvizError``) prints one line on stderr, exit status
2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from dashboard import __version__, settings
from dashboard.commands import COMMANDS
from dashboard.errors import TripvizError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m dashboard",
        description="Diplomatic trip timeline visualiser. With no subcommand, runs 'serve'.",
        epilog="Settings also come from the environment: " + "; ".join(
            env + (f" ({option})" if option != "-" else "") for option, env, _ in settings.described() if env != "-"),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command_parser = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(command_parser)
        if not getattr(command, "SUBCOMMANDS", False):
            settings.add_options(command_parser, *command.SETTINGS)
    return parser


def main(argv: list[str] | None = None) -> int:
    from dashboard.services import Services

    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    names = [command.NAME for command in COMMANDS]
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        argv = ["serve", *argv]  # no subcommand means serve, options included
    args = parser.parse_args(argv)
    command = COMMANDS[names.index(args.command)]
    try:
        services = Services(settings.from_arguments(args),
                            progress=False if getattr(args, "no_progress", False) else None)
        return command.run(args, services)
    except TripvizError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
