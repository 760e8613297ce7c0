"""Opt-in online geocoding through any geopy provider, rate limited, with timeouts."""

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

    def __init__(self, name: str, user_agent: str | None, *, adapter_factory=None,
                 min_delay_seconds: float = MIN_DELAY_SECONDS, timeout: float = TIMEOUT_SECONDS):
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
        self.name = name
        self.geocoder = provider_class(**options)
        self._geocode = RateLimiter(self.geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=1, error_wait_seconds=2.0, swallow_exceptions=False)

    def geocode(self, query: str, country_code: str | None):
        """The provider's best answer or None; raises GeocoderServiceError when unreachable."""
        options = {"exactly_one": True}
        if country_code and self.name == "nominatim":
            options["country_codes"] = country_code.lower()
        try:
            return self._geocode(query, **options)
        except GeocoderServiceError:
            raise
        except GeopyError as exc:  # timeouts, bad answers: treat as unreachable
            raise GeocoderServiceError(str(exc)) from exc
