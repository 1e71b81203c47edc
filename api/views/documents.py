"""Documents: source texts. The list leaves the text out; the detail has it, with spans."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from api import filters
from api.projections import documents as p
from api.serializers import documents as s
from api.serializers.curation import AssignSerializer
from api.views.base import DeleteMixin, FactbaseViewSet, WriteMixin
from factbase.models import Document
from factbase.services import queues
from factbase.services.documents import document_delete, document_update
from factbase.services.errors import Conflict
from factbase.services.ingest import document_ingest


def _transition(summary: str, description: str, *, request=None):
    return extend_schema(
        summary=summary,
        description=f"{description} A step the document's state does not allow: 409, saying why.",
        request=request,
        responses=p.DocumentDetailSerializer,
    )


@extend_schema_view(
    list=extend_schema(summary="List documents (without their text)"),
    retrieve=extend_schema(summary="One document, with its text, spans and mentions"),
    create=extend_schema(
        summary="Add a document",
        description="Curators only. The text is stored exactly as sent. A text that is already stored (same "
        "SHA-256) is refused with 409 naming the existing document.",
    ),
    update=extend_schema(
        summary="Replace a document's fields", description="A new text is refused (409) once spans point into it."
    ),
    partial_update=extend_schema(
        summary="Change some of a document's fields",
        description="A new text is refused (409) once spans point into it.",
    ),
    destroy=extend_schema(
        summary="Delete a document", description="Refused (409) while spans or mentions point into it."
    ),
)
class DocumentViewSet(WriteMixin, DeleteMixin, FactbaseViewSet):
    permission_model = "factbase.document"
    serializer_class = p.DocumentSerializer
    detail_serializer_class = p.DocumentDetailSerializer
    write_serializer_class = s.DocumentWriteSerializer
    filterset_class = filters.DocumentFilterSet
    error_field_names = {
        **FactbaseViewSet.error_field_names,
        "date_lower": "published",
        "date_upper": "published",
        "date_precision": "published",
    }

    def get_queryset(self):
        queryset = Document.objects.for_api()
        if self.action == "list":
            return queryset.without_text()
        return queryset.with_anchors_visible_to(self.request.user)

    def perform_create(self, data):
        # Ingest is idempotent by SHA-256 (factbase/services/ingest.py): the same text posted
        # again is a 409 naming the document that already holds it, never a duplicate.
        result = document_ingest(by=self.request.user, **data)
        if not result.created:
            existing = result.document
            raise Conflict(
                {"text": f"Document #{existing.pk} already has exactly this text (sha256 {existing.sha256[:12]}…)."}
            )
        return result.document

    def perform_update(self, instance, data):
        return document_update(document=instance, by=self.request.user, **data)

    def perform_destroy(self, instance):
        document_delete(document=instance, by=self.request.user)

    # ------------------------------------------------------------ the curation queue
    # Each step is a service of factbase/services/queues.py (docs/curation.md).

    @_transition("Take a document to curate", "Curators: a new or released document becomes yours, in curation.")
    @action(detail=True, methods=["post"], permission_action="take")
    def take(self, request, pk=None):
        return self.represent(queues.document_take(document=self.get_object(), by=request.user))

    @_transition(
        "Release a document", "Its curator (or a reviewer, anyone's): it stays in curation, for anyone to take."
    )
    @action(detail=True, methods=["post"], permission_action="take")
    def release(self, request, pk=None):
        return self.represent(queues.document_release(document=self.get_object(), by=request.user))

    @_transition(
        "Assign a document to a curator",
        "Reviewers: a new or in-curation document goes to the curator named (400 for a user who does not curate).",
        request=AssignSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="assign")
    def assign(self, request, pk=None):
        document = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(queues.document_assign(document=document, by=request.user, **body.validated_data))

    @_transition(
        "Submit a document for review",
        "Its curator (or a reviewer): in curation → ready for review, once every mention suggestion is accepted or "
        "rejected and no claim citing it is a draft.",
    )
    @action(detail=True, methods=["post"], permission_action="submit")
    def submit(self, request, pk=None):
        return self.represent(queues.document_submit(document=self.get_object(), by=request.user))

    @_transition(
        "Mark a document done",
        "Reviewers: ready for review → done, once every claim citing it is published or rejected.",
    )
    @action(detail=True, methods=["post"], permission_action="done")
    def done(self, request, pk=None):
        return self.represent(queues.document_done(document=self.get_object(), by=request.user))

    @_transition(
        "Send a document back to curation",
        "Reviewers: ready for review or done → in curation, with the curator it had.",
    )
    @action(detail=True, methods=["post"], permission_action="done")
    def reopen(self, request, pk=None):
        return self.represent(queues.document_reopen(document=self.get_object(), by=request.user))
