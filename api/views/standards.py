"""Exports in published standards:

- `GET documents/{id}/annotations/`: the document's spans and mentions as W3C Web
  Annotations (JSON-LD);
- `GET exports/popolo/`: people, organisations and memberships as Popolo JSON.

The formats themselves are built in factbase/exports/.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.renderers import JSONLDRenderer
from factbase.exports import popolo, w3c
from factbase.models import Document, Mention, SourceSpan

# JSON formats by nature (a JSON-LD collection, a Popolo document): no CSV flattening.
JSON_ONLY = [r for r in api_settings.DEFAULT_RENDERER_CLASSES if getattr(r, "format", "") != "csv"]


class DocumentAnnotationsView(APIView):
    permission_classes = [permissions.AllowAny]
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


class PopoloExportView(APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = JSON_ONLY

    @extend_schema(
        summary="People, organisations and memberships as Popolo JSON",
        description="`{persons, organizations, memberships}` following the Popolo JSON schemas "
        "(popoloproject.com). Ids are entity slugs; roles are memberships.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        body = popolo.popolo_export(url_for=lambda pk: reverse("entity-detail", args=[pk], request=request))
        return Response(body)
