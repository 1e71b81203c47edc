"""What a write to claims takes: a claim with its spans in one request, shape and type
checks only (the representation is in api/projections/claims.py)."""

from __future__ import annotations

from rest_framework import serializers

from factbase.enums import AttributionMode, Confidence, EntityKind, Modality, Polarity
from factbase.models import Predicate

from .common import (
    MAX_LIST_ITEMS,
    DocumentIdField,
    EntityIdField,
    PartialDateField,
    StrictIntegerField,
    merge_date_text,
)

MAX_OFFSET = 2**31 - 1


class SpanInputSerializer(serializers.Serializer):
    """A span by offsets `{document, start, end}` or by quote `{document, exact, prefix?}`.
    The server fills in whichever half is missing and refuses a span that does not fit."""

    document = DocumentIdField(help_text="Id of the document quoted.")
    start = StrictIntegerField(
        min_value=0, max_value=MAX_OFFSET, required=False, help_text="First character, in Unicode code points."
    )
    end = StrictIntegerField(
        min_value=0, max_value=MAX_OFFSET, required=False, help_text="One past the last character."
    )
    exact = serializers.CharField(
        trim_whitespace=False, required=False, help_text="The quote; with offsets it must match the text there."
    )
    prefix = serializers.CharField(
        trim_whitespace=False,
        required=False,
        allow_blank=True,
        help_text="Text just before the quote, when the quote occurs more than once.",
    )
    suffix = serializers.CharField(
        trim_whitespace=False, required=False, allow_blank=True, help_text="Text just after the quote."
    )

    def validate(self, attrs):
        if ("start" in attrs) != ("end" in attrs):
            raise serializers.ValidationError("Give both start and end, or neither (and the exact quote).")
        if "start" not in attrs and "exact" not in attrs:
            raise serializers.ValidationError("Give start and end, or the exact quote.")
        return attrs


class ClaimWriteSerializer(serializers.Serializer):
    subject = EntityIdField(help_text="Id of the entity the claim is about.")
    predicate = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Predicate.objects.all(),
        help_text="Slug of a predicate (`visited`): see /api/v1/predicates/.",
        error_messages={
            "does_not_exist": "No predicate has the slug {value}; the vocabulary is at /api/v1/predicates/.",
            "invalid": "Give the predicate's slug as text.",
        },
    )
    object = EntityIdField(
        required=False, allow_null=True, help_text="Id of the object entity, if the predicate takes one."
    )
    value = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="A literal object as written: “dozens”."
    )
    value_number = serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, required=False, allow_null=True
    )
    event = EntityIdField(kind=EntityKind.EVENT, required=False, allow_null=True, help_text="Id of the event.")
    attributed_to = EntityIdField(
        required=False, allow_null=True, help_text="Id of the speaker or outlet; null: the document itself."
    )
    attribution = serializers.ChoiceField(choices=AttributionMode.choices, required=False)
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    polarity = serializers.ChoiceField(choices=Polarity.choices, required=False)
    confidence = serializers.ChoiceField(choices=Confidence.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    date = PartialDateField(required=False, allow_null=True)
    date_text = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="The date as the source words it: “late June”."
    )
    spans = SpanInputSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_LIST_ITEMS,
        help_text="The evidence. On update the list replaces the claim's spans.",
    )

    def validate(self, attrs):
        current = self.instance.partial_date if self.instance is not None else None
        return merge_date_text(attrs, date_key="date", text_key="date_text", current=current)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why, for the curator (kept in notes).")
