"""The interactive API docs (Swagger UI and Redoc), served offline.

drf-spectacular-sidecar ships both bundles, so nothing is fetched from a CDN. The pages also
carry a Content-Security-Policy that allows this server only: Redoc's bundle would otherwise
still load its "API docs by Redocly" logo from cdn.redoc.ly, and a machine that is offline
(or should not call out) must not try."""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.response import Response

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


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and media type: it depends only on the
    code (served publicly, the same for every client), and generating and rendering it took
    about 240 ms a request at a million claims."""

    _rendered: ClassVar[dict[tuple, tuple[bytes, str, str]]] = {}

    def _key(self, request) -> tuple | None:
        extra = set(request.query_params) - {"format"}
        if extra or request.accepted_renderer is None:
            return None  # `lang` or `version` asked for: generated as asked, not kept
        return (request.accepted_media_type, request.query_params.get("format"))

    @extend_schema(exclude=True)  # as drf-spectacular's own view (SERVE_INCLUDE_SCHEMA is off)
    def get(self, request, *args, **kwargs):
        key = self._key(request)
        if key is not None and key in self._rendered:
            content, content_type, disposition = self._rendered[key]
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = disposition
            return response
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = self._key(request)
        if isinstance(response, Response) and response.status_code == 200 and key is not None:
            response.render()
            self._rendered[key] = (response.content, response["Content-Type"], response["Content-Disposition"])
        return response
