"""Curation and export endpoints beyond the resources:

- `GET documents/{id}/suggestions/`: entity names and aliases found in the text, not yet
  recorded as mentions (curators); `POST documents/{id}/suggestions/accept/` records the
  chosen ones as mentions, `…/reject/` records that they are wrong;
- `POST documents/{id}/revise/`: a corrected text as a new revision, spans and mentions
  re-anchored onto it (curators);
- `GET documents/{id}/annotations/`: the document's spans and mentions as W3C Web
  Annotations (JSON-LD);
- `GET entities/{id}/timeline/`: events and claims about an entity in date order;
- `GET exports/popolo/`: people, organisations and memberships as Popolo JSON.

Views only translate HTTP to service calls and back (services in factbase/services/,
formats in factbase/exports/).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.renderers_extras import JSONLDRenderer
from api.serializers import extras as s
from factbase import validators
from factbase.exports import popolo, w3c
from factbase.models import Document, Entity, Mention, SourceSpan
from factbase.services.reanchor import document_revise
from factbase.services.suggestions import document_suggestions, suggestions_accept, suggestions_reject
from factbase.services.timelines import entity_timeline

# JSON formats by nature (a JSON-LD collection, a Popolo document): no CSV flattening.
JSON_ONLY = [r for r in api_settings.DEFAULT_RENDERER_CLASSES if getattr(r, "format", "") != "csv"]


class _HasPerms(permissions.BasePermission):
    """Logged in and holding every permission in `perms` (the curators group holds them)."""

    perms: tuple[str, ...] = ()

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(self.perms))


class CanSuggestMentions(_HasPerms):
    message = "Only curators may see and accept mention suggestions."
    perms = ("factbase.add_mention",)


class CanReviseDocuments(_HasPerms):
    message = "Only curators may revise a document's text."
    perms = ("factbase.add_document", "factbase.change_sourcespan", "factbase.change_mention")


def _entity_ref(entity: Entity) -> dict:
    return {"id": entity.pk, "kind": entity.kind, "name": entity.name}


class DocumentSuggestionsView(APIView):
    permission_classes = [CanSuggestMentions]

    @extend_schema(
        summary="Suggested mentions in a document",
        description="Every occurrence of a known entity name or alias (word-bounded, longest match, case-aware) "
        "that is not yet a mention. Curators only. Accept with POST …/suggestions/accept/.",
        responses=s.SuggestionListSerializer,
    )
    def get(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        suggestions = document_suggestions(document=document)
        entities = Entity.objects.in_bulk({item.entity_id for item in suggestions})
        results = []
        for item in suggestions:
            if item.entity_id not in entities:
                continue  # deleted or merged away since the matcher was built
            _, prefix, suffix = validators.span_context(document.text, item.start, item.end)
            results.append(
                {
                    "key": item.key,
                    "entity": _entity_ref(entities[item.entity_id]),
                    "start": item.start,
                    "end": item.end,
                    "exact": item.exact,
                    "prefix": prefix,
                    "suffix": suffix,
                    "matched": item.matched,
                    "ambiguous": item.ambiguous,
                }
            )
        return Response({"document": document.pk, "count": len(results), "results": results})


class DocumentSuggestionsAcceptView(APIView):
    permission_classes = [CanSuggestMentions]

    @extend_schema(
        summary="Accept suggested mentions",
        description="Records the given suggestions as mentions, all or nothing. Keys already recorded are skipped.",
        request=s.SuggestionAcceptSerializer,
        responses={201: s.AcceptedMentionSerializer(many=True)},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.SuggestionAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = suggestions_accept(document=document, keys=serializer.validated_data["keys"], by=request.user)
        mentions = Mention.objects.filter(pk__in=[m.pk for m in created]).select_related("entity").order_by("start")
        body = [
            {"id": m.pk, "entity": _entity_ref(m.entity), "start": m.start, "end": m.end, "exact": m.exact}
            for m in mentions
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class DocumentSuggestionsRejectView(APIView):
    permission_classes = [CanSuggestMentions]

    @extend_schema(
        summary="Reject suggested mentions",
        description="Records that the given suggestions are wrong (that entity is not meant there); they are not "
        "suggested again. Answers how many were newly rejected.",
        request=s.SuggestionAcceptSerializer,
        responses={200: s.SuggestionRejectResultSerializer},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.SuggestionAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rejected = suggestions_reject(document=document, keys=serializer.validated_data["keys"], by=request.user)
        return Response({"rejected": rejected})


class DocumentReviseView(APIView):
    permission_classes = [CanReviseDocuments]

    @extend_schema(
        summary="Correct a document's text as a new revision",
        description="Creates a new document (revision_of = this one) and re-anchors every span and mention onto it "
        "by exact quote and context. An anchor whose quote is no longer found stays on this (old) revision, "
        "flagged `needs_review`; none is moved on a guess. The old revision stays readable and locked. "
        "409 if this document already has a newer revision.",
        request=s.DocumentReviseSerializer,
        responses={201: s.RevisionReportSerializer},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.DocumentReviseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = document_revise(by=request.user, document=document, **serializer.validated_data)
        location = reverse("document-detail", args=[report.document.pk], request=request)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED, headers={"Location": location})


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


class EntityTimelineView(APIView):
    permission_classes = [permissions.AllowAny]
    csv_item_serializer = s.TimelineItemSerializer  # header of an empty timeline in ?format=csv

    @extend_schema(
        summary="An entity's timeline",
        description="Events the entity took part in (or that happened in it, or are part of it) and claims about it "
        "(as subject, object, attribution or event), in date order with precision kept: `2021-06` sorts as June, "
        "after 2021-06-01. A claim without a date takes its event's. Undated items come last. Anonymous clients "
        "see published claims only.",
        parameters=[
            OpenApiParameter(
                "type", OpenApiTypes.STR, enum=["event", "claim"], description="Only events, or only claims."
            )
        ],
        responses=s.TimelineSerializer,
    )
    def get(self, request, pk: int):
        entity = get_object_or_404(Entity, pk=pk)
        kind = request.query_params.get("type")
        if kind not in (None, "", "event", "claim"):
            raise ValidationError({"type": [f"Give event or claim, not {kind[:40]!r}."]})
        items = entity_timeline(entity=entity, user=request.user, kinds={kind} if kind else None)
        return Response({"entity": _entity_ref(entity), "count": len(items), "results": items})


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
