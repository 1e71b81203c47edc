"""Shapes of the curation endpoints: mention suggestions, document revisions, and the queues' assigning and sending back. Shape and
type checks only; the services decide everything else."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from api.exceptions import invalid
from api.projections.common import EntityRefSerializer
from api.serializers.common import UserIdField
from factbase.enums import AnchorStatus
from factbase.services.queues import REVIEW_NOTE_MAX
from factbase.services.suggestions import parse_suggestion_key

MAX_ACCEPT = 1000


class SuggestionSerializer(serializers.Serializer):
    """One suggested mention: an entity name or alias found in the text."""

    key = serializers.CharField(help_text="`entity:start:end`; send it back to accept the suggestion.")
    entity = EntityRefSerializer()
    start = serializers.IntegerField(help_text="First character, in Unicode code points.")
    end = serializers.IntegerField(help_text="One past the last character.")
    exact = serializers.CharField(help_text="The text found.")
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)
    matched = serializers.CharField(help_text="The name or alias that matched, as stored.")
    ambiguous = serializers.BooleanField(help_text="True when these words name more than one entity.")


class SuggestionListSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Suggestions on every page.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first one.")
    results = SuggestionSerializer(many=True)


class SuggestionAcceptSerializer(serializers.Serializer):
    keys = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=False,
        max_length=MAX_ACCEPT,
        help_text="Keys of the suggestions to record as mentions (`entity:start:end`).",
    )

    def validate_keys(self, keys):
        parsed = []
        for key in keys:
            try:
                parsed.append(parse_suggestion_key(key))
            except ValueError:
                invalid(f"{key[:64]!r} is not a suggestion key (entity:start:end).")
        return parsed


class SuggestionRejectResultSerializer(serializers.Serializer):
    rejected = serializers.IntegerField(help_text="How many suggestions were newly rejected.")


class AcceptedMentionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entity = EntityRefSerializer()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()


class DocumentReviseSerializer(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=False,
        max_length=getattr(settings, "FACTBASE_MAX_DOCUMENT_BYTES", 2 * 1024 * 1024),
        help_text="The corrected full text. Spans and mentions are carried over by their quotes.",
    )
    title = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="New title; default: the current one."
    )


class AnchorOutcomeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["span", "mention"])
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AnchorStatus.choices)
    exact = serializers.CharField()
    old_start = serializers.IntegerField()
    old_end = serializers.IntegerField()
    start = serializers.IntegerField(allow_null=True, help_text="Null when the anchor stayed on the old revision.")
    end = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    claim_id = serializers.IntegerField(allow_null=True)
    entity_id = serializers.IntegerField(allow_null=True)


class RevisionReportSerializer(serializers.Serializer):
    previous = serializers.IntegerField(help_text="Id of the revised document (still readable, locked).")
    document = serializers.IntegerField(help_text="Id of the new revision.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Anchors per status.")
    anchors = AnchorOutcomeSerializer(many=True)


class AssignSerializer(serializers.Serializer):
    """What `documents/{id}/assign/` takes: the curator to give the document to."""

    assignee = UserIdField(help_text="Id of the curator who is to curate the document.")


class SendBackSerializer(serializers.Serializer):
    """What `claims/{id}/send-back/` takes: what the curator should change."""

    note = serializers.CharField(
        max_length=REVIEW_NOTE_MAX,
        help_text="What the curator should change; shown with the claim (`review_note`) until it is sent back again.",
    )
