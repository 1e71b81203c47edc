"""The operators' endpoints, outside the API (docs/operations.md "Health and metrics"):

- `/healthz`: the process answers. 200 `{"status": "ok"}`, touching no database.
- `/readyz`: every dependency's state and latency (factbase/health.py); 503 when the primary
  database is unreachable, 200 otherwise (`degraded` when something else fails).
- `/metrics`: Prometheus' text format (factbase/metrics.py).

In production (FACTBASE_ENV=production) `/metrics` answers only a request with
`Authorization: Bearer <FACTBASE_METRICS_TOKEN>` or a signed-in staff user, and `/readyz`
shows anyone else each check's state and latency only: error messages, host names and
backends are for operators. In development both are open. Nothing here is ever cached."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factbase import health, metrics
from factbase.middleware import DATABASE_ERRORS

PUBLIC_CHECK_KEYS = ("state", "latency_ms")


def is_operator(request) -> bool:
    """Open in development; in production, the metrics token or a staff user."""
    if not settings.PRODUCTION:
        return True
    token = settings.FACTBASE_METRICS_TOKEN
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode(), token.encode()):
        return True
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated and user.is_staff)
    except DATABASE_ERRORS:
        # The session could not be read: /readyz still answers (503, the primary is down),
        # with what anyone may see.
        return False


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    status, checks = health.readiness()
    if not is_operator(request):
        checks = {
            name: {key: check[key] for key in PUBLIC_CHECK_KEYS if key in check} for name, check in checks.items()
        }
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "unavailable" else 200)


@never_cache
@require_safe
def metrics_view(request):
    if not is_operator(request):
        return JsonResponse(
            {
                "detail": "Metrics are private in production: send Authorization: Bearer <FACTBASE_METRICS_TOKEN>, "
                "or sign in as staff."
            },
            status=403,
        )
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
