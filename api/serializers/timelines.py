"""Shape of an entity's timeline (GET entities/{id}/timeline/)."""

from __future__ import annotations

from rest_framework import serializers

from api.projections.common import EntityRefSerializer


class TimelineDateSerializer(serializers.Serializer):
    lower = serializers.DateField(allow_null=True)
    upper = serializers.DateField(allow_null=True)
    precision = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    iso = serializers.CharField(allow_null=True, help_text="The partial date as `2021-06` or `A/B`.")


class TimelineItemSerializer(serializers.Serializer):
    """An event or a claim. Claims also carry subject, predicate, object, value, event,
    attributed_to, modality, polarity, status and quotes; events carry event_type, status
    and location."""

    type = serializers.ChoiceField(choices=["event", "claim"])
    id = serializers.IntegerField()
    date = TimelineDateSerializer()
    date_source = serializers.CharField(allow_null=True, help_text="`claim`, or `event` when taken from its event.")
    label = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="How the entity takes part.")


class TimelineSerializer(serializers.Serializer):
    entity = EntityRefSerializer()
    count = serializers.IntegerField(
        allow_null=True,
        help_text="The number of items, when the first page holds them all (no cursor, `next` null); null "
        "otherwise, as in cursor mode.",
    )
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first one.")
    results = TimelineItemSerializer(many=True)
