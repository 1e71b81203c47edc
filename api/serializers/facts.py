"""Request shapes of the fact and contradiction actions: shape and types only."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import _IdField
from factbase.enums import Rank
from factbase.models import Claim, Fact


class ClaimIdField(_IdField):
    noun = "claim"


class FactIdField(_IdField):
    noun = "fact"


class FactSplitSerializer(serializers.Serializer):
    claim = ClaimIdField(
        queryset=Claim.objects.all(), help_text="Id of the claim to take out of this fact into one of its own."
    )


class FactJoinSerializer(serializers.Serializer):
    fact = FactIdField(
        queryset=Fact.objects.all(), help_text="Id of the fact whose claims join this one (it is then deleted)."
    )


class RankSerializer(serializers.Serializer):
    rank = serializers.ChoiceField(
        choices=Rank.choices, help_text="preferred (the best statement), normal, or deprecated (known to be wrong)."
    )


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000, help_text="How it is resolved: which side holds, and why (kept with the contradiction)."
    )
