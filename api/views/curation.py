"""Curator work on a document beyond its fields:

- `GET documents/{id}/suggestions/`: entity names and aliases found in the text, not yet
  recorded as mentions; `POST documents/{id}/suggestions/accept/` records the chosen ones
  as mentions, `…/reject/` records that they are wrong;
- `POST documents/{id}/revise/`: a corrected text as a new revision, spans and mentions
  re-anchored onto it: in the request (201 and the report), or, for a document with more
  than FACTBASE_REANCHOR_INLINE_MAX spans and mentions, by a job (202 and the job).

Views only translate HTTP to service calls and back (services in factbase/services/).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.pagination import page_of_list
from api.projections.common import EntityRefSerializer
from api.projections.jobs import JobSerializer
from api.serializers import curation as s
from api.views.jobs import start
from factbase import validators
from factbase.enums import JobKind
from factbase.models import Document, Entity, Mention
from factbase.services.reanchor import anchors_of, document_revise, document_revise_check
from factbase.services.suggestions import document_suggestions, suggestions_accept, suggestions_reject


class DocumentSuggestionsView(APIView):
    permission_model, permission_action = "factbase.mention", "suggest"
    response_serializer = s.SuggestionListSerializer  # the schema's, and the header of ?format=csv

    @extend_schema(
        summary="Suggested mentions in a document",
        description="Every occurrence of a known entity name or alias (word-bounded, longest match, case-aware) "
        "that is not yet a mention, in text order, a page at a time (`page`, `page_size`: 50 by default, at most "
        "200; `count` is the total). Curators only. Accept with POST …/suggestions/accept/: an accepted or "
        "rejected suggestion leaves the list, so the next ones move up.",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="A page number, from 1."),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description="Suggestions per page (default 50, at most 200)."
            ),
        ],
        responses=response_serializer,
    )
    def get(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        suggestions = document_suggestions(document=document)
        # Rows rather than model instances: a busy document names a thousand entities.
        rows = Entity.objects.filter(pk__in={item.entity_id for item in suggestions}).values_list("pk", "kind", "name")
        entities = {pk: {"id": pk, "kind": kind, "name": name} for pk, kind, name in rows}
        # Deleted or merged away since the matcher was built: not suggested.
        page = page_of_list(request, [item for item in suggestions if item.entity_id in entities])
        results = []
        for item in page["results"]:
            _, prefix, suffix = validators.span_context(document.text, item.start, item.end)
            results.append(
                {
                    "key": item.key,
                    "entity": EntityRefSerializer(entities[item.entity_id]).data,
                    "start": item.start,
                    "end": item.end,
                    "exact": item.exact,
                    "prefix": prefix,
                    "suffix": suffix,
                    "matched": item.matched,
                    "ambiguous": item.ambiguous,
                }
            )
        return Response({"document": document.pk, **page, "results": results})


class DocumentSuggestionsAcceptView(APIView):
    permission_model, permission_action = "factbase.mention", "suggest"
    response_serializer = s.AcceptedMentionSerializer  # one item of the answer: the schema's, and the CSV header

    @extend_schema(
        summary="Accept suggested mentions",
        description="Records the given suggestions as mentions, all or nothing. Keys already recorded are skipped.",
        request=s.SuggestionAcceptSerializer,
        responses={201: response_serializer(many=True)},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.SuggestionAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = suggestions_accept(document=document, keys=serializer.validated_data["keys"], by=request.user)
        mentions = Mention.objects.filter(pk__in=[m.pk for m in created]).select_related("entity").order_by("start")
        body = [
            {"id": m.pk, "entity": EntityRefSerializer(m.entity).data, "start": m.start, "end": m.end, "exact": m.exact}
            for m in mentions
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class DocumentSuggestionsRejectView(APIView):
    permission_model, permission_action = "factbase.mention", "suggest"
    response_serializer = s.SuggestionRejectResultSerializer

    @extend_schema(
        summary="Reject suggested mentions",
        description="Records that the given suggestions are wrong (that entity is not meant there); they are not "
        "suggested again. Answers how many were newly rejected.",
        request=s.SuggestionAcceptSerializer,
        responses={200: response_serializer},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.SuggestionAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rejected = suggestions_reject(document=document, keys=serializer.validated_data["keys"], by=request.user)
        return Response({"rejected": rejected})


class DocumentReviseView(APIView):
    permission_model, permission_action = "factbase.document", "revise"
    response_serializer = s.RevisionReportSerializer

    @extend_schema(
        summary="Correct a document's text as a new revision",
        description="Creates a new document (revision_of = this one) and re-anchors every span and mention onto it "
        "by exact quote and context. An anchor whose quote is no longer found stays on this (old) revision, "
        "flagged `needs_review`; none is moved on a guess. The old revision stays readable and locked. "
        "409 if this document already has a newer revision. A document with more spans and mentions than the "
        "server's FACTBASE_REANCHOR_INLINE_MAX (500 by default) is revised by a job: the answer is then 202 with the "
        "job (its `Location` to poll; its result names the new revision, the counts and the first anchors that "
        "need review). The refusals above still come at once.",
        request=s.DocumentReviseSerializer,
        responses={201: response_serializer, 202: JobSerializer},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        serializer = s.DocumentReviseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if anchors_of(document) > settings.FACTBASE_REANCHOR_INLINE_MAX:
            data = serializer.validated_data
            document_revise_check(document=document, text=data["text"])
            return start(
                request,
                kind=JobKind.REANCHOR,
                parameters={"document": document.pk, "title": data.get("title", "")},
                payload={"text": data["text"]},
            )
        report = document_revise(by=request.user, document=document, **serializer.validated_data)
        location = reverse("document-detail", args=[report.document.pk], request=request)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED, headers={"Location": location})
