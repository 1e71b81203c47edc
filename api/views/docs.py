"""The interactive API docs (Swagger UI and Redoc), served offline.

drf-spectacular-sidecar ships both bundles, so nothing is fetched from a CDN. The pages also
carry a Content-Security-Policy that allows this server only: Redoc's bundle would otherwise
still load its "API docs by Redocly" logo from cdn.redoc.ly, and a machine that is offline
(or should not call out) must not try."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# Inline scripts and styles: both templates configure the bundle inline. blob: workers:
# Redoc builds its search index in a worker made from a blob.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


class _OfflineMixin:
    @extend_schema(exclude=True)  # as drf-spectacular's own views: the docs are not an API operation
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class SwaggerDocsView(_OfflineMixin, SpectacularSwaggerView):
    pass


class RedocDocsView(_OfflineMixin, SpectacularRedocView):
    template_name = "api/redoc.html"  # without the Google Fonts links of drf-spectacular's template
