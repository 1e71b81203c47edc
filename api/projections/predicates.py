"""A predicate's representation (the controlled vocabulary of relations): the one definition
of what `predicates/`, its details, `?format=csv`, ETags and OpenAPI schema show."""

from __future__ import annotations

from rest_framework import serializers

from factbase.enums import EntityKind
from factbase.models import Predicate


class PredicateSerializer(serializers.ModelSerializer):
    subject_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EntityKind.choices),
        read_only=True,
        help_text="Entity kinds allowed as subject; empty allows any.",
    )
    object_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EntityKind.choices),
        read_only=True,
        help_text="Entity kinds allowed as object; empty: the claim takes no object entity.",
    )

    class Meta:
        model = Predicate
        fields = ["id", "slug", "label", "description", "subject_kinds", "object_kinds", "single_valued"]
        read_only_fields = fields
