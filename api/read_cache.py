"""Hot reads answered from the cache (docs/operations.md, "Shared cache"): entity details
(`entities/{id}/` and the typed `people/{id}/`, `countries/{id}/`, `organisations/{id}/`,
`events/{id}/`) and the predicate list.

A cached answer is stored under the version of what it shows, and that version is read from
the database first, one small query, on every request: a write commits a new version in the
same transaction as its rows, so the next read on any process, worker or server misses and
reads the rows again. Nothing has to remember to invalidate anything: the triggers keep the
versions whatever writes the rows (services, the admin, merges and unmerges, fixture loads,
`.update()`, raw SQL), and a bulk load that suspends them restores them with a new version.

- entity details: the change feed's newest row (factbase/indexes/changes.py), which moves
  with every change to an entity, its aliases, identifiers, roles or participants, or to the
  name of an entity it names (and with any other change in the feed: claims and documents
  too, which only costs a miss);
- the predicate list: its own trigger-kept row;
- both with an epoch that a new or restored database changes (factbase/indexes/cache_versions.py).

The version is read first and the rows after it, so a stored answer is never older than its
version (PostgreSQL's READ COMMITTED gives each statement a newer snapshot, never an older
one). An answer computed inside a transaction that later rolls back is stored under a
version no one will read: the feed's row carries its time, the predicates' row a random
value.

Both answers are the same for every client: an entity's detail has no per-user part and the
predicates are public reference data (who may read them is checked before, as for any
request). What differs by request is kept apart: the predicate list's pages are cached by
their full URL (its `next`/`previous` links name the host), and only for the page
parameters (anything else is read without the cache).

Off unless FACTBASE_READ_CACHE is set (its default follows REDIS_URL). Hits and misses are
counted in `factbase_read_cache_total` (factbase/metrics.py). A cache that is down misses
(factbase/cache.py): the answer is read from the database as without a cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from factbase.indexes import cache_versions
from factbase.metrics import READ_CACHE

VERSIONS: dict[str, Callable] = {
    "entity": cache_versions.entities_version,
    "predicates": lambda connection: cache_versions.version(connection, "predicates"),
}


def enabled() -> bool:
    return bool(getattr(settings, "FACTBASE_READ_CACHE", False))


def cached(resource: str, identity: str, compute: Callable[[], object], *, using: str):
    """The answer `compute()` gives for `identity` of `resource`, from the cache when it holds
    one for the current version (read from database `using`); stored when it did not.
    Exceptions (404, 400) pass through and are never stored."""
    if not enabled():
        return compute()
    version = VERSIONS[resource](connections[using])
    if version is None:
        return compute()
    digest = hashlib.sha256(f"{version!r} {identity}".encode()).hexdigest()[:40]
    key = f"read:{resource}:{digest}"
    cache = caches["default"]
    found = cache.get(key)
    if found is not None:
        READ_CACHE.labels(resource, "hit").inc()
        return found
    READ_CACHE.labels(resource, "miss").inc()
    answer = compute()
    cache.set(key, answer, timeout=settings.FACTBASE_READ_CACHE_SECONDS)
    return answer
