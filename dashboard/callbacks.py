"""The dashboard's callbacks, registered feature by feature (``dashboard.features``). Each
feature's callbacks are plain functions there, testable without a server.

Every piece of a reader's state travels through ``dcc.Store`` (their own trips and edits, the
selection, the versions they opened); the server's trips come from ``shipped()``, kept on the
server so a click never posts them back; the services (store, resolver) hold no per-user state.
"""

from __future__ import annotations

from typing import Callable

from dashboard.features import (
    draft_panel,
    editing,
    files,
    selection,
    shared_store,
    traveller_record,
    trip_editor,
    trip_view,
)


def register_callbacks(app, services, shipped: Callable[[], dict]) -> Callable[[dict, str], dict]:
    """Registers every feature's callbacks; returns ``first_figures(catalogue, trip_id)``, the
    figures the page carries for the trip it opens on (``trip_view.register``)."""
    first_figures = trip_view.register(app, shipped)
    selection.register(app)
    editing.register(app, services, shipped)
    files.register(app, services, shipped)
    draft_panel.register(app, services, shipped)
    traveller_record.register(app, services, shipped)
    shared_store.register(app, services, shipped)
    trip_editor.register(app, services, shipped)
    return first_figures
