"""Root URLconf: the curators' admin, the versioned JSON API, and the operators' health and
metrics endpoints (factbase/operator.py), outside the API and its schema."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from factbase import operator

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("healthz", operator.healthz, name="healthz"),
    path("readyz", operator.readyz, name="readyz"),
    path("metrics", operator.metrics_view, name="metrics"),
]

# JSON errors on /api/ paths, Django's plain pages elsewhere; never a stack trace.
handler400 = "factbase.errors.bad_request"
handler403 = "factbase.errors.permission_denied"
handler404 = "factbase.errors.page_not_found"
handler500 = "factbase.errors.server_error"
