"""Read replicas: which database a request's reads go to (docs/operations.md, "Read replicas").

With DATABASE_REPLICA_URLS set, the settings add the aliases `replica-1`, `replica-2`… and
`factbase/db_router.py`'s router asks `read_alias()` where each read goes:

- outside a request (management commands, the shell, workers) and while the `default`
  connection is inside `transaction.atomic` (every service), to the primary;
- in a request that may write (any method but GET, HEAD and OPTIONS), and in every request
  of the same client for FACTBASE_READ_YOUR_WRITES_SECONDS after it, to the primary: the
  client is pinned by a signed cookie and, in Django's cache, by its credentials (its
  `Authorization` header or its session cookie), so that the pin holds on every instance
  behind a load balancer that shares the cache;
- otherwise to one replica, chosen once per request among those whose last check (at most
  FACTBASE_REPLICA_CHECK_SECONDS old, per process) found them reachable and either caught up
  or at most FACTBASE_REPLICA_MAX_LAG seconds behind; to the primary when there is none.

A replica that fails in the middle of a request (its connection opens at the first query,
so that is where an outage shows) is marked down, and a GET is answered again from the
primary instead of failing: `ReadReplicaMiddleware.process_exception`."""

from __future__ import annotations

import contextvars
import dataclasses
import hashlib
import logging
import random
import threading
import time

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from factbase import cache as shared_cache
from factbase.indexes import replication
from factbase.middleware import DATABASE_ERRORS

logger = logging.getLogger("factbase.replicas")

PREFIX = "replica-"
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "factbase_primary"
PIN_SALT = "factbase.replicas.pin"
PIN_CACHE_PREFIX = "factbase:primary:"


def aliases() -> list[str]:
    """The replica aliases the settings define, in order."""
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


@checks.register(checks.Tags.database)
def check_read_your_writes(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A client must stay pinned for as long as a replica in use may be behind, plus the age
    of the check that found it usable, or it may not find its own write there."""
    if not aliases():
        return []
    needed = settings.FACTBASE_REPLICA_MAX_LAG + settings.FACTBASE_REPLICA_CHECK_SECONDS
    if settings.FACTBASE_READ_YOUR_WRITES_SECONDS >= needed:
        return []
    return [
        checks.Warning(
            f"FACTBASE_READ_YOUR_WRITES_SECONDS ({settings.FACTBASE_READ_YOUR_WRITES_SECONDS}) is shorter than "
            f"FACTBASE_REPLICA_MAX_LAG + FACTBASE_REPLICA_CHECK_SECONDS ({needed}): a client that wrote may then "
            "read a replica that does not have its write yet.",
            hint=f"Set FACTBASE_READ_YOUR_WRITES_SECONDS to at least {needed}, or lower the lag bound.",
            id="factbase.W001",
        )
    ]


# Health: one verdict per replica and process, at most FACTBASE_REPLICA_CHECK_SECONDS old.


@dataclasses.dataclass(frozen=True)
class Health:
    alias: str
    checked: float  # time.monotonic() of the check
    state: str  # "ok", "lagging" or "down"
    caught_up: bool | None = None
    lag: float | None = None
    error: str | None = None

    @property
    def usable(self) -> bool:
        return self.state == "ok"

    def describe(self) -> dict:
        """The router's view, for /readyz."""
        view = {"routing": "reads" if self.usable else "skipped", "router_state": self.state}
        if self.error:
            view["router_error"] = self.error
        return view


_health: dict[str, Health] = {}
_health_lock = threading.Lock()


def _short(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:200]


def _close(alias: str) -> None:
    connection = connections[alias]
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - closing a dead connection may itself fail
        connection.connection = None


def _ask(alias: str) -> replication.StandbyState:
    return replication.standby_state(connections[alias])


def check(alias: str) -> Health:
    """Ask the replica, on this thread's connection to it, how far behind it is."""
    connection = connections[alias]
    try:
        try:
            state = _ask(alias)
        except DATABASE_ERRORS:
            if connection.connection is None:
                raise
            # A persistent connection the replica's restart broke: one more try on a new one.
            _close(alias)
            state = _ask(alias)
    except DATABASE_ERRORS as exc:
        _close(alias)
        return Health(alias, time.monotonic(), "down", error=_short(exc))
    bound = settings.FACTBASE_REPLICA_MAX_LAG
    if state.caught_up or (state.lag is not None and state.lag <= bound):
        return Health(alias, time.monotonic(), "ok", caught_up=state.caught_up, lag=state.lag)
    error = "replay has not started" if state.lag is None else f"replay is {state.lag:.1f} s behind (bound {bound} s)"
    return Health(alias, time.monotonic(), "lagging", caught_up=False, lag=state.lag, error=error)


def health(alias: str) -> Health:
    """The replica's last verdict, checked again when older than FACTBASE_REPLICA_CHECK_SECONDS."""
    known = _health.get(alias)
    if known is not None and time.monotonic() - known.checked < settings.FACTBASE_REPLICA_CHECK_SECONDS:
        return known
    verdict = check(alias)
    with _health_lock:
        _health[alias] = verdict
    if verdict.state != "ok" and (known is None or known.state != verdict.state):
        logger.warning("Read replica %s skipped (%s): %s", alias, verdict.state, verdict.error)
    return verdict


def mark_down(alias: str, exc: BaseException) -> None:
    with _health_lock:
        _health[alias] = Health(alias, time.monotonic(), "down", error=_short(exc))
    logger.warning("Read replica %s failed during a request, skipped: %s", alias, exc)


# Routing: where this request's reads go.


@dataclasses.dataclass
class Routing:
    pinned: bool
    replica: str | None = None
    chosen: bool = False


_routing: contextvars.ContextVar[Routing | None] = contextvars.ContextVar("factbase_replica_routing", default=None)


def choose() -> str | None:
    """A usable replica, the first found from a random starting point; None when none is."""
    names = aliases()
    if not names:
        return None
    start = random.randrange(len(names))  # noqa: S311 - load spreading, not security
    for alias in names[start:] + names[:start]:
        if health(alias).usable:
            return alias
    return None


def read_alias() -> str:
    """Where the read about to run goes (the module docstring says why)."""
    routing = _routing.get()
    if routing is None or routing.pinned or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if not routing.chosen:
        routing.chosen = True
        routing.replica = choose()
    return routing.replica or DEFAULT_DB_ALIAS


# Read-your-writes: the pins.


def _client_keys(request, response=None) -> list[str]:
    """Cache keys naming the client by its credentials: a token in `Authorization`, or its
    session (the one the response sets too, since signing in gives a new one). Hashed: the
    cache never holds a credential."""
    credentials = []
    if request.META.get("HTTP_AUTHORIZATION"):
        credentials.append("authorization:" + request.META["HTTP_AUTHORIZATION"])
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session:
        credentials.append("session:" + session)
    if response is not None and settings.SESSION_COOKIE_NAME in response.cookies:
        fresh = response.cookies[settings.SESSION_COOKIE_NAME].value
        if fresh:
            credentials.append("session:" + fresh)
    return [PIN_CACHE_PREFIX + hashlib.sha256(each.encode()).hexdigest() for each in credentials]


def is_pinned(request) -> bool:
    """Did this client write less than FACTBASE_READ_YOUR_WRITES_SECONDS ago?"""
    seconds = settings.FACTBASE_READ_YOUR_WRITES_SECONDS
    if seconds <= 0:
        return False
    if request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=seconds) is not None:
        return True
    keys = _client_keys(request)
    if not keys:
        return False
    try:
        pinned = bool(cache.get_many(keys))
    except Exception:  # noqa: BLE001 - any cache backend's failure
        # Without the cache the pin cannot be known: the primary is always right.
        logger.warning("Cache unavailable: request pinned to the primary", exc_info=True)
        return True
    # A shared cache that is failing answers every read with a miss (factbase/cache.py), which
    # must not pass for "not pinned": a client that wrote through another instance a moment
    # ago would read a replica without its write. While it fails, such clients read the
    # primary (the cache's own warning says it is down).
    return pinned or shared_cache.unavailable(cache)


def pin(request, response) -> None:
    """Send this client's reads to the primary for the next FACTBASE_READ_YOUR_WRITES_SECONDS."""
    seconds = settings.FACTBASE_READ_YOUR_WRITES_SECONDS
    if seconds <= 0:
        return
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    keys = _client_keys(request, response)
    if keys:
        try:
            cache.set_many(dict.fromkeys(keys, 1), timeout=seconds)
        except Exception:  # noqa: BLE001 - the cookie still pins a client that keeps cookies
            logger.warning("Cache unavailable: read-your-writes pin kept in the cookie only", exc_info=True)


def _broken(alias: str) -> bool:
    connection = connections[alias]
    if connection.connection is None:
        return True  # it failed to open
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001 - a dead socket fails in driver-specific ways
        return True


class ReadReplicaMiddleware:
    """Decides, per request, whether reads may go to a replica, pins a client that writes,
    and answers a GET again from the primary when its replica fails in the middle.

    Last in MIDDLEWARE: its process_exception then runs before DatabaseUnavailableMiddleware's,
    which would answer 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not aliases():
            return self.get_response(request)
        writes = request.method not in READ_ONLY_METHODS
        token = _routing.set(Routing(pinned=writes or is_pinned(request)))
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if writes:
            pin(request, response)
        return response

    def process_exception(self, request, exception):
        routing = _routing.get()
        if routing is None or routing.replica is None or not isinstance(exception, DATABASE_ERRORS):
            return None
        failed = routing.replica
        if not _broken(failed):
            return None  # the primary's fault: DatabaseUnavailableMiddleware answers 503
        mark_down(failed, exception)
        _close(failed)
        # Only read-only requests ever read from a replica, so answering again is safe.
        routing.pinned, routing.replica = True, None
        return self.get_response(request)
