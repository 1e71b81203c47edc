"""Readiness checks for operators (`/readyz`, docs/operations.md "Health and metrics").

Each check makes one real round trip with a short timeout and answers a dict that starts
with its `state`: `ok`, `error` or `not configured`. A check never raises: whatever goes
wrong is reported in its answer, so that `/readyz` itself never fails with a 500.

- primary: `SELECT 1` on a new connection made from the `default` alias's settings (never
  the worker's own persistent connection, whose state a check must not disturb); the
  connection attempt gives up after FACTBASE_READYZ_TIMEOUT seconds.
- replicas: the same, for each URL in the DATABASE_REPLICA_URLS setting (`not configured`
  without one), and on the same connection how far behind the primary it is (`caught_up`,
  `lag_seconds`): beyond FACTBASE_REPLICA_MAX_LAG it is an `error`. Each replica also shows
  the router's view from this process (`routing`: `reads` or `skipped`, factbase/replicas.py).
- cache: a set, get and delete of one key on Django's default cache. With Redis
  (factbase/cache.py) the calls go to Redis whatever its fallback state, so Redis down is
  reported (and degrades the status), though requests are still answered without it.
- broker: a connection to the CELERY_BROKER_URL broker (Redis or RabbitMQ) through kombu, the
  protocol's own handshake, given up after FACTBASE_READYZ_TIMEOUT seconds; `not configured`
  when the setting is empty (jobs then run in-process)."""

from __future__ import annotations

import contextlib
import copy
import math
import secrets
import time
from urllib.parse import quote, urlsplit

import dj_database_url
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler

from factbase import replicas
from factbase.indexes import replication, schema

NOT_CONFIGURED = {"state": "not configured"}
CACHE_KEY = "factbase:readyz"


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _error(exc: BaseException) -> str:
    """The exception's class and the first line of its message, short enough for a log line."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}"[:200]


def _sqlite_uri_without_create(database: str) -> str:
    """SQLite creates a missing database file on connecting; a check must find it missing."""
    if database.startswith("file:") or database == ":memory:":
        return database
    return f"file:{quote(database)}?mode=rw"


def check_database(wrapper, *, timeout: float, also=None) -> dict:
    """`SELECT 1` over a new connection with the settings of `wrapper` (a Django database
    connection), closed at once. PostgreSQL's connection attempt is bounded by `timeout`
    (libpq counts whole seconds, at least 2), SQLite's wait for a lock likewise. `also`, given
    the raw connection, adds to the answer (a dict, with `error` when it finds one)."""
    probe = type(wrapper)(copy.deepcopy(wrapper.settings_dict), alias=f"{wrapper.alias}-readiness")
    started = time.perf_counter()
    try:
        params = probe.get_connection_params()
        if probe.vendor == "postgresql":
            params["connect_timeout"] = max(2, math.ceil(timeout))
        elif probe.vendor == "sqlite":
            params["timeout"] = timeout
            params["database"] = _sqlite_uri_without_create(params["database"])
        raw = probe.get_new_connection(params)
        try:
            row = schema.ping(raw)
            more = also(raw) if also is not None and tuple(row) == (1,) else {}
        finally:
            raw.close()
        if tuple(row) != (1,):
            return {
                "state": "error",
                "latency_ms": _elapsed_ms(started),
                "vendor": probe.vendor,
                "error": f"SELECT 1 answered {row!r}",
            }
    except Exception as exc:  # noqa: BLE001 - every driver fails its own way; the check reports, never raises
        return {"state": "error", "latency_ms": _elapsed_ms(started), "vendor": probe.vendor, "error": _error(exc)}
    state = "error" if "error" in more else "ok"
    return {"state": state, "latency_ms": _elapsed_ms(started), "vendor": probe.vendor, **more}


def replica_lag(raw) -> dict:
    """How far behind the primary a PostgreSQL replica is, against FACTBASE_REPLICA_MAX_LAG."""
    standby = replication.standby_state(raw)
    answer = {
        # False for a server that is not a streaming standby (a logical replica): its own source.
        "standby": standby.in_recovery,
        "caught_up": standby.caught_up,
        "lag_seconds": None if standby.lag is None else round(standby.lag, 1),
    }
    if not standby.caught_up and (standby.lag is None or standby.lag > settings.FACTBASE_REPLICA_MAX_LAG):
        answer["error"] = f"replay is behind beyond FACTBASE_REPLICA_MAX_LAG ({settings.FACTBASE_REPLICA_MAX_LAG} s)"
    return answer


def check_primary(*, timeout: float) -> dict:
    return check_database(connections[DEFAULT_DB_ALIAS], timeout=timeout)


def _replica_name(settings_dict: dict) -> str:
    """Where a replica is, without its credentials."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return str(settings_dict["NAME"])
    return (
        f"{settings_dict.get('HOST') or 'localhost'}:{settings_dict.get('PORT') or 'default'}/{settings_dict['NAME']}"
    )


def check_replicas(*, timeout: float) -> dict:
    urls = getattr(settings, "DATABASE_REPLICA_URLS", None)
    if not urls:
        return dict(NOT_CONFIGURED)
    started = time.perf_counter()
    found = []
    for number, url in enumerate(urls, start=1):
        alias = f"replica-{number}"
        try:
            # A handler of its own fills in the settings Django defaults (it needs a "default").
            wrapper = ConnectionHandler({DEFAULT_DB_ALIAS: dj_database_url.parse(url)})[DEFAULT_DB_ALIAS]
        except Exception as exc:  # noqa: BLE001 - an unparsable URL is reported like an unreachable one
            found.append({"name": alias, "state": "error", "error": _error(exc)})
            continue
        also = replica_lag if wrapper.vendor == "postgresql" else None
        answer = {"name": _replica_name(wrapper.settings_dict), **check_database(wrapper, timeout=timeout, also=also)}
        if alias in settings.DATABASES:
            # The router's own verdict (cached up to FACTBASE_REPLICA_CHECK_SECONDS).
            try:
                answer.update(replicas.health(alias).describe())
            except Exception as exc:  # noqa: BLE001 - reported, never raised
                answer.update(routing="unknown", router_error=_error(exc))
        found.append(answer)
    state = "ok" if all(replica["state"] == "ok" for replica in found) else "error"
    return {"state": state, "latency_ms": _elapsed_ms(started), "replicas": found}


def check_cache() -> dict:
    """A set, get and delete of one key holding a fresh random value on the default cache."""
    cache_settings = settings.CACHES.get("default", {}) if hasattr(settings, "CACHES") else {}
    backend = cache_settings.get("BACKEND", "django.core.cache.backends.locmem.LocMemCache")
    started = time.perf_counter()
    try:
        cache = caches["default"]
        value = secrets.token_hex(8)
        # The shared cache falls back quietly when Redis fails: not here.
        with getattr(cache, "unguarded", contextlib.nullcontext)():
            cache.set(CACHE_KEY, value, timeout=30)
            read = cache.get(CACHE_KEY)
            cache.delete(CACHE_KEY)
    except Exception as exc:  # noqa: BLE001 - any backend's failure is reported, never raised
        return {"state": "error", "latency_ms": _elapsed_ms(started), "backend": backend, "error": _error(exc)}
    if read != value:
        return {
            "state": "error",
            "latency_ms": _elapsed_ms(started),
            "backend": backend,
            "error": "the value written was not read back",
        }
    return {"state": "ok", "latency_ms": _elapsed_ms(started), "backend": backend}


def _broker_name(url: str) -> str:
    """Where the broker is, without its credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or 'localhost'}:{parts.port or 'default'}{parts.path}"


def check_broker(*, timeout: float) -> dict:
    """A connection to the broker, by kombu as Celery makes it (Redis: connect and PING;
    RabbitMQ: the AMQP handshake and login), closed at once."""
    url = getattr(settings, "CELERY_BROKER_URL", None)
    if not url:
        return dict(NOT_CONFIGURED)
    from kombu import Connection

    started = time.perf_counter()
    base = {"check": "kombu connect"}
    try:
        base["broker"] = _broker_name(url)
        with Connection(url, connect_timeout=timeout, transport_options={"socket_timeout": timeout}) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - reported, never raised
        return {"state": "error", "latency_ms": _elapsed_ms(started), **base, "error": _error(exc)}
    return {"state": "ok", "latency_ms": _elapsed_ms(started), **base}


def readiness() -> tuple[str, dict]:
    """The overall status and every check's answer. `unavailable` when the primary fails
    (nothing can be served); `degraded` when the primary answers and something else does
    not; `ok` when every configured check passes."""
    timeout = settings.FACTBASE_READYZ_TIMEOUT
    checks = {
        "primary": check_primary(timeout=timeout),
        "replicas": check_replicas(timeout=timeout),
        "cache": check_cache(),
        "broker": check_broker(timeout=timeout),
    }
    if checks["primary"]["state"] != "ok":
        status = "unavailable"
    elif any(check["state"] == "error" for check in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return status, checks
