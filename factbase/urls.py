"""Root URLconf: the curators' admin and the versioned JSON API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]

# JSON errors on /api/ paths, Django's plain pages elsewhere; never a stack trace.
handler400 = "factbase.errors.bad_request"
handler403 = "factbase.errors.permission_denied"
handler404 = "factbase.errors.page_not_found"
handler500 = "factbase.errors.server_error"
