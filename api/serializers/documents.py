"""Documents: the list leaves the text out; the detail has the text, the spans of the
claims the client may see, and the mentions."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from factbase.enums import EntityKind
from factbase.models import Document, Mention, SourceSpan

from .common import EntityIdField, EntityRefSerializer, PartialDateField, partial_date

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
    "created",
    "updated",
]


class DocumentSerializer(serializers.ModelSerializer):
    publisher = EntityRefSerializer(read_only=True, allow_null=True)
    published = partial_date(help_text="When it was published, as far as known.")
    revision_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the document this text corrects."
    )
    # A plain string: empty when the source has no URL, which a `uri` format would not allow.
    url = serializers.CharField(read_only=True, help_text="Where the document was published; empty if unknown.")

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    spans = DocumentSpanSerializer(
        many=True, read_only=True, help_text="Evidence spans in this text, of the claims you may see."
    )
    mentions = MentionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DOCUMENT_FIELDS, "text", "spans", "mentions"]
        read_only_fields = fields


class DocumentWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    # Never trimmed: spans count characters from the very first one.
    text = serializers.CharField(
        trim_whitespace=False,
        max_length=getattr(settings, "FACTBASE_MAX_DOCUMENT_BYTES", 2 * 1024 * 1024),
        help_text="The full text exactly as published. Locked once spans or mentions point into it (409).",
    )
    published = PartialDateField(required=False, allow_null=True, help_text="Publication date: `2021-08-05`.")
    publisher = EntityIdField(
        kind=EntityKind.ORGANISATION, required=False, allow_null=True, help_text="Id of the publishing organisation."
    )
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    language = serializers.CharField(max_length=16, required=False, help_text="BCP 47 tag; default `en`.")
