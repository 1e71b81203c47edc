"""Bodies of the requests that start jobs. Shape and type checks only (and that the ids
name documents); the services decide the rest."""

from __future__ import annotations

from rest_framework import serializers

from api.exceptions import invalid
from api.serializers.common import MAX_ID, StrictIntegerField
from factbase.models import Document

MAX_DOCUMENTS = 1000


class SuggestionScanSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        max_length=MAX_DOCUMENTS,
        help_text=f"Ids of the documents to scan (at most {MAX_DOCUMENTS:,}); absent: every document.",
    )

    def validate_documents(self, ids):
        ids = sorted(set(ids))
        found = set(Document.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            named = ", ".join(str(pk) for pk in missing[:10])
            invalid(f"No document has id {named}{' …' if len(missing) > 10 else ''}.", code="does_not_exist")
        return ids


class FactRegroupSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Group every claim again from scratch (pinned ones excepted), not only those in no fact.",
    )


class IndexRebuildSerializer(serializers.Serializer):
    """No options: every index is rebuilt."""
