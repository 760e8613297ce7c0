"""`serve`: the dashboard on http://HOST:PORT (the default command)."""

from __future__ import annotations

from dashboard.commands.loading import PLACING, READING
from dashboard.errors import UserError

NAME = "serve"
HELP = "start the dashboard on http://HOST:PORT"
SETTINGS = ("host", "port", "data", "debug", "editor_token", *PLACING, *READING)


def add_arguments(parser) -> None:
    pass


def run(args, services) -> int:
    from dashboard.app import create_app

    settings = services.settings
    if not settings.data.exists():
        raise UserError(f"--data {settings.data}: no such file or folder")
    # A first start answers at once and shows the gazetteer build's progress (about 20 s).
    app = create_app(settings.data, services=services, index_in_background=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0
