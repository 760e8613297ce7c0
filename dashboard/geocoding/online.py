"""Opt-in online geocoding through any geopy provider, rate limited, with timeouts.

A desk that outgrows the embedded gazetteer runs its own server and points this at it:
Nominatim (``--online nominatim --online-domain nominatim.example.org``) or Photon
(``--online photon --online-domain photon.example.org``); ``--online-scheme http`` for a server
without TLS on a private network. The public servers' usage policies allow one request a
second, so that delay applies unless a domain of your own is given."""

from __future__ import annotations

from geopy.exc import GeocoderServiceError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from dashboard.geocoding.errors import GeocodingError

# Nominatim's usage policy allows one request per second.
MIN_DELAY_SECONDS = 1.0
TIMEOUT_SECONDS = 10


class OnlineProvider:
    """A geopy provider by name (e.g. 'nominatim'), wrapped in geopy's RateLimiter."""

    def __init__(self, name: str, user_agent: str | None, *, domain: str | None = None, scheme: str | None = None,
                 adapter_factory=None, min_delay_seconds: float | None = None, timeout: float = TIMEOUT_SECONDS):
        if not user_agent:
            raise GeocodingError(f"the online provider '{name}' needs a user agent that identifies "
                                 "this application: pass --user-agent 'my-newsroom-trips'")
        try:
            provider_class = get_geocoder_for_service(name)
        except GeopyError:
            raise GeocodingError(f"unknown online provider {name!r}; use a geopy service name "
                                 "such as nominatim") from None
        options = {"user_agent": user_agent, "timeout": timeout}
        if adapter_factory is not None:
            options["adapter_factory"] = adapter_factory
        if domain:
            options["domain"] = domain
        if scheme:
            if scheme not in ("http", "https"):
                raise GeocodingError(f"--online-scheme must be http or https, not {scheme!r}")
            options["scheme"] = scheme
        if min_delay_seconds is None:
            min_delay_seconds = 0.0 if domain else MIN_DELAY_SECONDS
        self.name = name
        try:
            self.geocoder = provider_class(**options)
        except TypeError as exc:  # a provider without a domain option, for example
            raise GeocodingError(f"the online provider '{name}' does not take these options ({exc}); "
                                 "a self-hosted server works with nominatim or photon") from None
        self._geocode = RateLimiter(self.geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=1, error_wait_seconds=2.0, swallow_exceptions=False)

    def geocode(self, query: str, country_code: str | None):
        """The provider's best answer or None; raises GeocoderServiceError when unreachable."""
        options = {"exactly_one": True}
        if country_code and self.name == "nominatim":
            options["country_codes"] = country_code.lower()
        elif country_code and self.name == "photon":
            # Photon has no country filter: ask for a few and keep the first in the country.
            options = {"exactly_one": False, "limit": 5}
        try:
            found = self._geocode(query, **options)
            if options["exactly_one"]:
                return found
            return next((loc for loc in found or []
                         if str(loc.raw.get("properties", {}).get("countrycode", "")).upper() == country_code.upper()),
                        None)
        except GeocoderServiceError:
            raise
        except GeopyError as exc:  # timeouts, bad answers: treat as unreachable
            raise GeocoderServiceError(str(exc)) from exc
