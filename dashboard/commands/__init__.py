"""The command line's commands, one module each. A command module declares ``NAME``, ``HELP``,
the settings it takes as options (``SETTINGS``, declared in ``dashboard.settings``),
``add_arguments(parser)`` for its own arguments and ``run(args, services) -> exit status``.
It imports what it needs when it runs, so ``check`` starts without paying for Dash or Plotly.

A new command is a new module here and one entry in ``COMMANDS``. ``loading`` is the step
``check``, ``convert`` and ``export`` share: load the files, place the stops, report.
"""

from dashboard.commands import check, convert, draft, export, gazetteer, geocode, overrides, serve, trips

COMMANDS = (serve, check, geocode, export, overrides, gazetteer, convert, draft, trips)

__all__ = ["COMMANDS"]
