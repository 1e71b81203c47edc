"""What a write to documents takes: shape and type checks only (their representations are
in api/projections/documents.py)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from factbase.enums import EntityKind

from .common import EntityIdField, PartialDateField


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
