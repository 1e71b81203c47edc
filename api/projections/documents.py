"""A document's representations, the one definition of what `documents/`, `documents/{id}/`,
their `?format=csv`, ETags and OpenAPI schema show: the list leaves the text out; the detail
has the text, the spans of the claims the client may see, and the mentions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factbase.models import Document, Mention, SourceSpan
from factbase.models.claims import sees_unpublished

from .common import EntityRefSerializer, partial_date

ANCHOR_FIELDS = ["start", "end", "exact", "prefix", "suffix", "anchor_status"]


class DocumentSpanSerializer(serializers.ModelSerializer):
    claim = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id of the claim this span is evidence for.")

    class Meta:
        model = SourceSpan
        fields = ["id", "claim", *ANCHOR_FIELDS]
        read_only_fields = fields


class MentionSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)

    class Meta:
        model = Mention
        fields = ["id", "entity", *ANCHOR_FIELDS]
        read_only_fields = fields


DOCUMENT_FIELDS = [
    "id",
    "title",
    "publisher",
    "published",
    "language",
    "url",
    "sha256",
    "revision_of",
    "curation_state",
    "assignee",
    "created",
    "updated",
]


class AssigneeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class DocumentSerializer(serializers.ModelSerializer):
    publisher = EntityRefSerializer(read_only=True, allow_null=True)
    published = partial_date(help_text="When it was published, as far as known.")
    revision_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the document this text corrects."
    )
    # A plain string: empty when the source has no URL, which a `uri` format would not allow.
    url = serializers.CharField(read_only=True, help_text="Where the document was published; empty if unknown.")
    assignee = serializers.SerializerMethodField(
        help_text="The curator working on the document (`documents/{id}/take/`); null when nobody is, and always "
        "null for clients who do not curate."
    )

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        read_only_fields = fields

    @extend_schema_field(AssigneeSerializer(allow_null=True))
    def get_assignee(self, document) -> dict | None:
        # Who curates what is the curators' business: usernames are not shown to the public.
        request = self.context.get("request")
        if document.assignee_id is None or request is None or not sees_unpublished(request.user):
            return None
        return {"id": document.assignee_id, "username": document.assignee.get_username()}


class DocumentDetailSerializer(DocumentSerializer):
    spans = DocumentSpanSerializer(
        many=True, read_only=True, help_text="Evidence spans in this text, of the claims you may see."
    )
    mentions = MentionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DOCUMENT_FIELDS, "text", "spans", "mentions"]
        read_only_fields = fields
