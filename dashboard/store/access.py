"""Who may write to the shared store from the dashboard.

Reading is open. Writing (saving, deleting, restoring trips; saving place choices) needs the
editor token when one is configured; without one it is allowed only on a server bound to this
machine alone (a journalist's laptop), and off on a server open to the network, where the
dashboard still works for each reader's own session and says why saving is off."""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WritePolicy:
    token: str | None
    host: str | None

    @property
    def asks_for_token(self) -> bool:
        return self.token is not None

    def refusal(self, given: str | None) -> str | None:
        """None when a writer holding ``given`` may write; else why not, in words for them."""
        if self.token is not None:
            if isinstance(given, str) and given and hmac.compare_digest(given.encode(), self.token.encode()):
                return None
            return ("saving to the shared store needs the editor token: type it under 'Save to the shared store' "
                    "(your own changes stay in this browser meanwhile)")
        if is_loopback(self.host):
            return None
        return ("saving to the shared store is off: this server is open to the network and was started without an "
                "editor token (--editor-token or TRIPVIZ_EDITOR_TOKEN); your changes stay in this browser")


class ReadOnlyChoices:
    """A store seen by a reader who may not write: saved choices are read (and used), a new
    choice applies to their session only, the online cache still fills."""

    def __init__(self, store):
        self._store = store

    def override(self, place, country):
        return self._store.override(place, country)

    def save_override(self, *args, **kwargs) -> None:
        return None

    def forget_override(self, place, country) -> bool:
        return False

    def cached_answer(self, provider, place, country):
        return self._store.cached_answer(provider, place, country)

    def cache_answer(self, provider, place, country, answer) -> None:
        self._store.cache_answer(provider, place, country, answer)
