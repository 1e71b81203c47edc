"""Request throttles: one rate for anonymous clients (per IP address), one for signed-in
clients (per user), each set by an environment variable (FACTBASE_THROTTLE_ANON,
FACTBASE_THROTTLE_USER) as a DRF rate such as "300/minute", or "off".

The rate is read from the settings on every request, not once at import as DRF's own
classes do, so a test or a deployment can change it without reloading modules. Counters
live in Django's cache: per process with the default local-memory cache, shared between
workers when CACHES points at a shared backend. A throttled client gets 429 with
`Retry-After` (DRF's exception handler sets it from `wait()`)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

OFF = {"", "off", "none", "0"}


class _SettingsRateMixin:
    setting_name = ""

    def get_rate(self):
        rate = str(getattr(settings, self.setting_name, "") or "").strip()
        return None if rate.lower() in OFF else rate

    def __init__(self):
        # DRF's __init__ parses the rate once; parse ours per instance (one per request).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)


class AnonymousThrottle(_SettingsRateMixin, AnonRateThrottle):
    setting_name = "FACTBASE_THROTTLE_ANON"


class UserThrottle(_SettingsRateMixin, UserRateThrottle):
    setting_name = "FACTBASE_THROTTLE_USER"

    def get_cache_key(self, request, view):
        # Signed-in clients only: anonymous ones are AnonymousThrottle's (DRF's class would
        # apply the user rate to them too, keyed by address).
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
