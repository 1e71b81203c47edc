"""The shared cache's backend (docs/operations.md, "Shared cache"): Django's own Redis cache
(django.core.cache.backends.redis, on the `redis` package), made so that Redis being down
makes requests slower, never failing.

- **Fallback.** Every call that fails with a Redis error is answered as if the cache were
  empty and forgetful: a read misses, a write is dropped (`add` answers False, `incr` finds
  no key). The API throttles count in a local-memory cache of this process meanwhile
  (`hit_window` answers None, api/throttles.py). Nothing raises to the view.
- **Short timeouts, no retry storm.** A connection attempt gives up after
  REDIS_CONNECT_TIMEOUT_MS, a reply after REDIS_TIMEOUT_MS, and is not retried. After a failure the process leaves Redis alone for REDIS_RETRY_SECONDS (every call
  falls back at once, at no cost); the first call after that tries again, and a success
  puts Redis back in use. The state is per process and per Redis location, shared by the
  process's threads (Django makes one backend instance per thread).
- **Logged, not flooded.** The first failure logs a warning, and then at most one a minute
  while Redis stays away (with how many calls fell back meanwhile); its return is logged
  once. `factbase_cache_fallbacks_total` (factbase/metrics.py) counts the calls that fell
  back, by operation.
- **Readiness sees through it.** Inside `unguarded()` calls go to Redis whatever the state
  and raise its errors: /readyz (factbase/health.py) reports Redis down as an error rather
  than a quiet miss, and its success puts Redis back in use at once.

`hit_window` is the throttles' atomic counter: a sliding window of the last `seconds` kept
in a sorted set by one Lua script, so that two workers (or servers) can never both let
the last allowed request through, as DRF's get-then-set of a list could.

`clear()` deletes only this cache's keys (its KEY_PREFIX), never the whole Redis database:
other deployments, or other test runs, may share it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from factbase.metrics import CACHE_FALLBACKS

logger = logging.getLogger("factbase.cache")

WARNING_INTERVAL = 60.0  # seconds between two warnings while Redis stays unreachable
DEFAULT_RETRY_SECONDS = 5.0

# Where the throttles count while Redis is unreachable: this process only.
LOCAL = LocMemCache("factbase-local-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

# KEYS[1]: the window's sorted set; ARGV: limit, window in milliseconds, a unique member.
# Answers {1, 0} when the request is let through (and counted), {0, milliseconds until the
# oldest counted request leaves the window} when not. The time is Redis' own, so servers
# whose clocks differ still share one window. Milliseconds, not microseconds: Lua writes a
# number with 14 significant digits, and the time in microseconds has 16.
SLIDING_WINDOW = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
"""


def _where(location: str) -> str:
    """A Redis URL without its credentials, for log lines."""
    parts = urlsplit(location)
    if not parts.hostname:
        return "redis"
    return f"{parts.hostname}:{parts.port or 6379}{parts.path or ''}"


class Breaker:
    """Whether this process should call one Redis now (see the module docstring)."""

    def __init__(self, where: str, retry_seconds: float):
        self.where = where
        self.retry_seconds = retry_seconds
        self.down_until = 0.0  # monotonic time; 0 while Redis is in use
        self.last_warning = float("-inf")
        self.fell_back = 0  # calls that fell back since the last warning
        self._lock = threading.Lock()

    def closed(self) -> bool:
        down_until = self.down_until
        return not down_until or time.monotonic() >= down_until

    def fell_back_on(self, operation: str) -> None:
        CACHE_FALLBACKS.labels(operation).inc()
        with self._lock:
            self.fell_back += 1

    def failed(self, exc: BaseException, operation: str) -> None:
        now = time.monotonic()
        with self._lock:
            self.down_until = now + self.retry_seconds
            warn = now - self.last_warning >= WARNING_INTERVAL
            if warn:
                self.last_warning = now
                fell_back, self.fell_back = self.fell_back, 0
        self.fell_back_on(operation)
        if warn:
            logger.warning(
                "Redis at %s is unreachable (%s: %s): the cache misses, writes to it are dropped and the "
                "throttles count per process; trying again in %g s (%d calls fell back since the last warning).",
                self.where,
                type(exc).__name__,
                str(exc).splitlines()[0][:200] if str(exc) else "",
                self.retry_seconds,
                fell_back,
            )

    def succeeded(self) -> None:
        if not self.down_until:
            return
        with self._lock:
            recovered, self.down_until = bool(self.down_until), 0.0
            self.last_warning = float("-inf")
        if recovered:
            logger.warning("Redis at %s answers again: the shared cache is back in use.", self.where)


_BREAKERS: dict[tuple[str, float], Breaker] = {}
_BREAKERS_LOCK = threading.Lock()


def unavailable(cache) -> bool:
    """Whether `cache` is a shared cache that is failing now, so that what it answers is a
    fallback (a miss) rather than what it holds. A local cache never is."""
    breaker = getattr(cache, "breaker", None)
    return breaker is not None and not breaker.closed()


def breaker_for(location: str, retry_seconds: float) -> Breaker:
    """The process's one breaker for a Redis location (every thread's backend shares it)."""
    with _BREAKERS_LOCK:
        key = (location, retry_seconds)
        if key not in _BREAKERS:
            _BREAKERS[key] = Breaker(_where(location), retry_seconds)
        return _BREAKERS[key]


class _Client(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool: Django makes a new
    one for every call, and redis-py 8 takes about 0.3 ms to make one (three times a GET)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose failures fall back instead of raising (module docstring)."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        options.setdefault("socket_connect_timeout", 0.2)
        options.setdefault("socket_timeout", 0.3)
        # One attempt per call: redis-py's pooled connections do not retry unless told to
        # (its client retries three times with back-off, but only on connections it makes
        # itself); tests/factbase/test_cache.py times a hung Redis to hold it to that.
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _Client
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = breaker_for(location, retry_seconds)
        self._unguarded = False

    @contextlib.contextmanager
    def unguarded(self):
        """Calls inside go to Redis whatever the breaker says, and raise its errors."""
        self._unguarded = True
        try:
            yield self
        finally:
            self._unguarded = False

    def _guard(self, operation: str, fallback, call, *args, **kwargs):
        if self._unguarded:
            result = call(*args, **kwargs)
            self.breaker.succeeded()
            return result
        if not self.breaker.closed():
            self.breaker.fell_back_on(operation)
            return fallback
        try:
            result = call(*args, **kwargs)
        except RedisError as exc:
            self.breaker.failed(exc, operation)
            return fallback
        self.breaker.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("get", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard("set", missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # as for a key that is not there
        return result

    def clear(self):
        return self._guard("delete", False, self._clear_own_keys)

    def _clear_own_keys(self) -> bool:
        client = self._cache.get_client(None, write=True)
        deleted = 0
        batch: list[bytes] = []
        # Django's keys are "<prefix>:<version>:<key>": this prefix's, at this version.
        for key in client.scan_iter(match=self.make_key("*"), count=500):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
        return bool(deleted)

    def hit_window(self, key: str, *, limit: int, seconds: float) -> tuple[bool, float] | None:
        """Count one request in the sliding window `key` unless `limit` requests were counted
        in the last `seconds`: (allowed, seconds to wait when not). None when Redis cannot be
        asked (the caller counts in this process instead)."""
        if not self.breaker.closed():
            self.breaker.fell_back_on("throttle")
            return None
        full_key = self.make_and_validate_key(key)
        try:
            client = self._cache.get_client(full_key, write=True)
            script = client.register_script(SLIDING_WINDOW)
            allowed, wait = script(keys=[full_key], args=[limit, int(seconds * 1000), uuid.uuid4().hex])
        except RedisError as exc:
            self.breaker.failed(exc, "throttle")
            return None
        self.breaker.succeeded()
        return bool(allowed), max(0, int(wait)) / 1000
