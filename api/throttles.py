"""Request throttles: one rate for anonymous clients (per IP address), one for signed-in
clients (per user), each set by an environment variable (FACTBASE_THROTTLE_ANON,
FACTBASE_THROTTLE_USER) as a DRF rate such as "300/minute", or "off".

The rate is read from the settings on every request, not once at import as DRF's own
classes do, so a test or a deployment can change it without reloading modules. A throttled
client gets 429 with `Retry-After` (DRF's exception handler sets it from `wait()`).

Where requests are counted:

- with Redis (REDIS_URL, factbase/cache.py): in one sliding window per client shared by every
  worker and server, counted atomically by a Lua script (`hit_window`): of N requests at once
  against a limit L, exactly L pass. DRF's own counting reads the list of recent requests,
  then writes it back, and two workers in between both let a request through;
- while Redis is unreachable: by DRF's counting in a local-memory cache of this process
  (factbase.cache.LOCAL), so a client gets up to the rate from each worker until Redis is
  back;
- without Redis: by DRF's counting in the default (local-memory) cache, per process."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from factbase.cache import LOCAL

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
        self.shared_wait = None

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        cache = caches["default"]
        hit_window = getattr(cache, "hit_window", None)
        if hit_window is not None:
            answer = hit_window(self.key, limit=self.num_requests, seconds=self.duration)
            if answer is not None:
                allowed, self.shared_wait = answer
                return allowed
            cache = LOCAL  # Redis unreachable: count in this process until it answers again
        self.cache = cache
        return super().allow_request(request, view)

    def wait(self):
        if self.shared_wait is not None:
            return self.shared_wait
        return super().wait()


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
