"""Error views (handler400/403/404/500): JSON on `/api/` paths, Django's plain pages elsewhere.

Neither ever shows a stack trace: the traceback goes to the log, the client gets a short
message. A database that went away while a middleware (not a view) was using it also ends
here, and gets the same 503 with `Retry-After` as one lost inside a view."""

from __future__ import annotations

import sys

from django.http import JsonResponse
from django.views import defaults

from factbase.middleware import (
    DATABASE_ERRORS,
    database_unavailable_response,
    discard_broken_connections,
    is_api_request,
)


def bad_request(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django calls handler500 inside its `except` block, so the exception is still current.
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        discard_broken_connections()
        return database_unavailable_response(request)
    if is_api_request(request):
        return JsonResponse({"detail": "Internal server error. The error was logged."}, status=500)
    return defaults.server_error(request)
