"""A claim's representation: the one definition of what `claims/`, `claims/{id}/`, their
`?format=csv`, the JSONL and CSV exports, the claim ETags and the OpenAPI schema show.

`ClaimSerializer` declares it; `CLAIMS` is its compiled fast path (api/projections/compiler.py),
which answers list pages and exports: a page costs the paginator's id query, one query for
the rows with every reference JOINed and one for their spans, without a model instance per
row. To add a field to a claim's output, add it here (docs/architecture.md).

Pages are found in two steps: the paginator selects only ids (the filters' index does the
work; the count or an OFFSET never drags joined columns along), then `CLAIMS.many(ids)`
reads those rows by primary key (`ids_of()` in compiler.py)."""

from __future__ import annotations

from rest_framework import serializers

from factbase.models import Claim, Predicate, SourceSpan

from .common import EntityRefSerializer, partial_date
from .compiler import Projection
from .facts import FactRefSerializer


class PredicateRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Predicate
        fields = ["slug", "label"]
        read_only_fields = fields


class ClaimSpanSerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id of the document quoted.")

    class Meta:
        model = SourceSpan
        fields = ["id", "document", "start", "end", "exact", "prefix", "suffix", "anchor_status"]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    subject = EntityRefSerializer(read_only=True)
    predicate = PredicateRefSerializer(read_only=True)
    object = EntityRefSerializer(read_only=True, allow_null=True)
    value_number = serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True, allow_null=True
    )
    event = EntityRefSerializer(read_only=True, allow_null=True)
    date = partial_date(help_text="When the claimed thing holds or happened, as far as the source says.")
    attributed_to = EntityRefSerializer(
        read_only=True, allow_null=True, help_text="Who asserts the claim; null: the document itself."
    )
    spans = ClaimSpanSerializer(many=True, read_only=True)
    fact = FactRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The fact this claim states with the claims of other documents (`facts/{id}/`); null: none yet.",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "uid",
            "subject",
            "predicate",
            "object",
            "value",
            "value_number",
            "event",
            "date",
            "attributed_to",
            "attribution",
            "modality",
            "polarity",
            "status",
            "confidence",
            "notes",
            "review_note",
            "reviewed_at",
            "created",
            "updated",
            "rank",
            "fact",
            "spans",
        ]
        read_only_fields = fields


CLAIMS = Projection(ClaimSerializer, queryset=lambda: Claim.objects.for_api())
