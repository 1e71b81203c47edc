"""Request-level guards that keep the server answering clearly under faults and hostile input.

- `RequestLimitsMiddleware` refuses oversized bodies with 413 before anything reads them
  (DRF's parsers read the request stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
  alone would not stop a large JSON body) and refuses an overlong `q` on API paths with 400.
- `DatabaseUnavailableMiddleware` turns a lost database connection into 503 with
  `Retry-After`, drops the broken connection so that the next request reconnects, and so
  lets the server recover on its own when the database is back. A number too large for
  the database (a 30-digit id in a URL) is the client's error: 400, not 500.

Both answer JSON on `/api/` paths and a short plain page elsewhere (the admin).

- `MessageMiddleware` is Django's (the admin's one-time messages), with the storage made
  when a request first uses it."""

from __future__ import annotations

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.db import DataError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("factbase.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)
OUT_OF_RANGE_ERRORS = (OverflowError, DataError)


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def error_response(request, *, status: int, detail: str, headers: dict | None = None, **extra) -> HttpResponse:
    """JSON `{"detail": …}` for API clients, a minimal text page for browsers."""
    if is_api_request(request):
        response = JsonResponse({"detail": detail, **extra}, status=status)
    else:
        response = HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def database_unavailable_response(request) -> HttpResponse:
    return error_response(
        request,
        status=503,
        detail="The database is unavailable. Please retry shortly.",
        headers={"Retry-After": str(settings.FACTBASE_DB_RETRY_AFTER)},
    )


def discard_broken_connections() -> None:
    """Close every connection that can no longer run a query, so the next one reconnects.
    Django does this at the end of each request too; doing it at once also covers callers
    that bypass the request signals (the test client) and long-lived worker threads."""
    for connection in connections.all(initialized_only=True):
        try:
            usable = connection.connection is not None and connection.is_usable()
        except Exception:  # noqa: BLE001 - a dead socket can fail in many driver-specific ways
            usable = False
        if not usable:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may itself fail
                connection.connection = None


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUT_OF_RANGE_ERRORS):
            # A number too large for a 64-bit column (SQLite's driver raises OverflowError,
            # PostgreSQL a DataError): the client's input, not a server fault.
            return error_response(request, status=400, detail="A value in the request is out of range.")
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
        discard_broken_connections()
        return database_unavailable_response(request)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, status=400, detail="The Content-Length header is not a number.")
        if limit is not None and length > limit:
            return error_response(
                request,
                status=413,
                detail=f"The request body is {length} bytes; the limit is {limit} bytes.",
                limit=limit,
            )
        if is_api_request(request):
            try:
                unquote_to_bytes(request.META.get("QUERY_STRING", "").replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                # Django would quietly turn the bytes into U+FFFD and search for that.
                return JsonResponse({"detail": "The query string is not valid UTF-8."}, status=400)
            q_limit = settings.FACTBASE_MAX_QUERY_LENGTH
            # getlist: a repeated `q` must not slip a long value past the check.
            if any(len(value) > q_limit for value in request.GET.getlist("q")):
                return JsonResponse({"q": [f"Ensure this value has at most {q_limit} characters."]}, status=400)
        return self.get_response(request)


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's MessageMiddleware, with each request's message storage made on first use.
    Django's makes it for every request: a cookie storage with its signer and a session
    storage, about 3% of the CPU of an entity's detail, for the admin's messages, which no
    API request reads or writes. A request that never touched its storage has nothing to
    store: its response is returned as it is (Django's `update()` would change nothing)."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)
