"""Prometheus metrics (`/metrics`, docs/operations.md "Health and metrics"), kept by
prometheus-client.

`MetricsMiddleware` counts every request by method, route and status, times it, and counts
the database statements it runs, by alias and route. The route is the URL pattern that
matched, written as a template (`/api/v1/entities/{pk}/`), never the raw path: a label
value per id would grow without bound. A request that matched no pattern is `unmatched`.
The shared cache counts its fallbacks (factbase/cache.py) and the hot reads' hits and misses
(api/read_cache.py) here too.

Under gunicorn's several workers each process keeps its own counters:
factbase/gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR (a private folder unless it names
one), prometheus-client then writes every worker's counters to files there, and `/metrics`
adds them up. Without it (runserver, tests) `/metrics` reports this process's.

`factbase_jobs` (the queue's depth: jobs queued and running, by kind) is read from the Job
table when `/metrics` is scraped, by one GROUP BY over the partial index that holds only the
unfinished jobs, so it is the same whichever worker answers."""

from __future__ import annotations

import functools
import os
import re
import time
from contextlib import ExitStack

from django.db import DatabaseError, connections
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    Metric,
    generate_latest,
    multiprocess,
)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")

REQUESTS = Counter(
    "factbase_http_requests",
    "HTTP requests answered, by method, route (the URL pattern, not the path) and status.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "factbase_http_request_duration_seconds",
    "Time from the request reaching Django to its response being returned (a streamed body's "
    "time to its first byte), by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
QUERIES = Counter(
    "factbase_db_queries",
    "Database statements run while answering requests, by database alias and route.",
    ["alias", "route"],
)
QUERY_SECONDS = Histogram(
    "factbase_db_query_duration_seconds",
    "Time each database statement took, by database alias.",
    ["alias"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0),
)


# The shared cache (factbase/cache.py, api/read_cache.py).
CACHE_FALLBACKS = Counter(
    "factbase_cache_fallbacks",
    "Cache calls answered without Redis, because it failed or is being left alone after a failure "
    "(a read missed, a write dropped, a throttle counted per process), by operation.",
    ["operation"],
)
READ_CACHE = Counter(
    "factbase_read_cache",
    "Hot reads (entity details, the predicate list) answered from the cache (hit) or read from the "
    "database (miss), by resource.",
    ["resource", "result"],
)


@functools.cache
def route_template(route: str) -> str:
    """A URL pattern as the template clients read (`/api/v1/entities/{pk}/`): the metrics'
    route label, and api/routes.py's endpoints."""
    text = route.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + _PARAM.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", text)


def route_label(request) -> str:
    """The matched URL pattern as a template: `/api/v1/entities/{pk}/` (one per pattern of
    the URLconf, so the cache stays as small as the URLconf)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return UNMATCHED
    return route_template(match.route)


# The labelled series, found once each: prometheus-client's labels() takes a lock and checks
# its arguments on every call, a few microseconds a request that matter on the fastest reads.
@functools.cache
def _request_series(method: str, route: str, status: int):
    return REQUESTS.labels(method, route, str(status)).inc


@functools.cache
def _duration_series(method: str, route: str):
    return REQUEST_SECONDS.labels(method, route).observe


@functools.cache
def _query_series(alias: str):
    return QUERY_SECONDS.labels(alias).observe


class _QueryCounter:
    """A database execute wrapper that counts and times each statement for one request."""

    def __init__(self, alias: str):
        self.alias = alias
        self.count = 0
        self._observe = _query_series(alias)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self._observe(time.perf_counter() - started)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        counters = [_QueryCounter(alias) for alias in connections]
        with ExitStack() as stack:
            for counter in counters:
                stack.enter_context(connections[counter.alias].execute_wrapper(counter))
            response = self.get_response(request)
        route = route_label(request)
        method = request.method if request.method in METHODS else "other"
        _request_series(method, route, response.status_code)()
        _duration_series(method, route)(time.perf_counter() - started)
        for counter in counters:
            if counter.count:
                QUERIES.labels(counter.alias, route).inc(counter.count)
        return response


class JobQueueCollector:
    """`factbase_jobs{kind, status}`: jobs queued and running, from the Job table at scrape
    time. Every kind and both states are reported, 0 included, so a series never vanishes."""

    def collect(self):
        from factbase.enums import JobKind, JobStatus
        from factbase.models import Job

        try:
            depth = Job.objects.depth()
        except DatabaseError:  # the database is down: /readyz says so; the other series still answer
            return
        metric = Metric("factbase_jobs", "Jobs queued or running, by kind and status (the queue's depth).", "gauge")
        for kind in JobKind.values:
            for status in (JobStatus.QUEUED, JobStatus.RUNNING):
                metric.add_sample("factbase_jobs", {"kind": kind, "status": status}, depth.get((kind, status), 0))
        yield metric


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type: every worker's when
    PROMETHEUS_MULTIPROC_DIR is set, this process's otherwise; then the queue's depth."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queue = CollectorRegistry(auto_describe=False)
    queue.register(JobQueueCollector())
    return generate_latest(registry) + generate_latest(queue), CONTENT_TYPE_LATEST
