"""The services every command and the app share, built once from the settings: the store
(saved trips, place choices, online cache), the online provider when asked for, the gazetteer,
the resolver over all three, and who may write from the dashboard.

Each is built on first use, so a command pays only for what it touches (``trips list`` never
builds the gazetteer index, ``draft`` never opens the store).
"""

from __future__ import annotations

from functools import cached_property

from dashboard.settings import Settings


class Services:
    def __init__(self, settings: Settings, *, progress: bool | None = None):
        """``progress``: draw the gazetteer index build's progress on stderr (None: when it is a
        terminal)."""
        self.settings = settings
        self._progress = progress

    @cached_property
    def table_hints(self):
        """What the user said about their tables' columns (--columns, --date-order, --sheet,
        --trip-title, --leader); a malformed --columns is a UserError naming it."""
        from dashboard.errors import UserError
        from dashboard.sources import TableHints

        s = self.settings
        try:
            return TableHints.from_text(s.columns, s.date_order, s.trip_title, s.leader, s.sheet)
        except ValueError as exc:
            raise UserError(str(exc)) from None

    @cached_property
    def store(self):
        from dashboard.store import open_store

        return open_store(self.settings.database)

    @cached_property
    def online(self):
        """The opt-in online provider, or None (the default: offline only)."""
        if not self.settings.online:
            return None
        from dashboard.geocoding.online import OnlineProvider

        return OnlineProvider(self.settings.online, self.settings.user_agent, domain=self.settings.online_domain,
                              scheme=self.settings.online_scheme)

    @cached_property
    def gazetteer(self):
        from dashboard.geocoding import Gazetteer

        return Gazetteer(progress=self._progress)

    @cached_property
    def resolver(self):
        from dashboard.geocoding.resolver import PlaceResolver

        return PlaceResolver(self.gazetteer, self.store, self.online)

    @cached_property
    def write_policy(self):
        from dashboard.store.access import WritePolicy

        return WritePolicy(self.settings.editor_token or None, self.settings.host)
