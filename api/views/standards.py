"""Exports in published standards:

- `GET documents/{id}/annotations/`: the document's spans and mentions as W3C Web
  Annotations (JSON-LD);
- `GET exports/popolo/`: people, organisations and memberships as Popolo JSON, streamed.

The formats themselves are built in factbase/exports/.
"""

from __future__ import annotations

import itertools

import orjson
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.renderers import OPTIONS, FastJSONRenderer, JSONLDRenderer, encode_default
from factbase.exports import popolo, w3c
from factbase.models import Document, Mention, SourceSpan

# JSON formats by nature (a JSON-LD collection, a Popolo document): no CSV flattening.
JSON_ONLY = [r for r in api_settings.DEFAULT_RENDERER_CLASSES if getattr(r, "format", "") != "csv"]


class DocumentAnnotationsView(APIView):
    permission_model = "factbase.document"
    renderer_classes = [JSONLDRenderer, *JSON_ONLY]

    @extend_schema(
        summary="A document's spans and mentions as W3C Web Annotations",
        description="An AnnotationCollection (JSON-LD, context http://www.w3.org/ns/anno.jsonld) with its first "
        "AnnotationPage embedded; `?page=N` gives page N. Each annotation targets the document with a "
        "TextQuoteSelector and a TextPositionSelector (Unicode code points). Spans of unpublished claims "
        "are shown to curators only.",
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description="An AnnotationPage, from 1.")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        collection = reverse("document-annotations", args=[document.pk], request=request)
        urls = w3c.AnnotationUrls(
            collection=collection,
            page=lambda n: f"{collection}?page={n}",
            document=reverse("document-detail", args=[document.pk], request=request),
            claim=lambda claim_id: reverse("claim-detail", args=[claim_id], request=request),
            entity=lambda entity_id: reverse("entity-detail", args=[entity_id], request=request),
        )
        spans = (
            SourceSpan.objects.filter(document=document)
            .visible_to(request.user)
            .select_related("claim__subject", "claim__object", "claim__predicate")
        )
        mentions = Mention.objects.filter(document=document).select_related("entity")
        raw_page = request.query_params.get("page")
        if raw_page in (None, ""):
            body = w3c.annotation_collection(document=document, spans=spans, mentions=mentions, urls=urls)
            return Response(body)
        if not raw_page.isascii() or not raw_page.isdigit():
            raise ValidationError({"page": [f"Give a page number from 1 up, not {raw_page[:40]!r}."]})
        body = w3c.annotation_page(document=document, spans=spans, mentions=mentions, urls=urls, number=int(raw_page))
        if body is None:
            raise NotFound("There is no such annotation page.")
        return Response(body)


def popolo_json(sections):
    """The bytes FastJSONRenderer gives for `{name: [items…], …}` (compact, keys in order),
    a piece per chunk: `sections` maps each name to its list's chunks (lists of items). The
    first piece holds the first chunk, not only the opening brace."""
    opening = b"{"
    for name, chunks in sections.items():
        opening += orjson.dumps(name) + b":["
        separator = b""
        for chunk in chunks:
            if chunk:
                # A list's JSON without its brackets is its items joined by commas.
                yield opening + separator + orjson.dumps(chunk, default=encode_default, option=OPTIONS)[1:-1]
                opening, separator = b"", b","
        opening += b"],"
    yield opening[:-1] + b"}"


class PopoloExportView(APIView):
    """Streamed (popolo_json): one chunk of rows in memory at a time. Compact JSON only: the
    browsable API and indented JSON would need the whole document at once."""

    permission_model = "factbase.entity"
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        summary="People, organisations and memberships as Popolo JSON",
        description="`{persons, organizations, memberships}` following the Popolo JSON schemas "
        "(popoloproject.com). Ids are entity slugs; roles are memberships.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        # Every entity's link from one reversed URL: the same text as reversing each.
        head, tail = reverse("entity-detail", args=[_URL_MARK], request=request).rsplit(str(_URL_MARK), 1)
        body = popolo_json(popolo.sections(url_for=lambda pk: f"{head}{pk}{tail}"))
        # The first chunk is read here, so that a database that cannot answer gets the API's
        # error response (503) rather than a 200 that breaks off.
        first = next(body)
        return StreamingHttpResponse(itertools.chain([first], body), content_type="application/json")


_URL_MARK = 987654321987654321
