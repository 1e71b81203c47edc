"""Shape of the change feed (GET changes/)."""

from __future__ import annotations

from rest_framework import serializers

from factbase.indexes.changes import TYPES


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text="This change's place in the feed: `?after=` it reads what follows.")
    at = serializers.DateTimeField(help_text="When the change was committed (UTC).")
    action = serializers.ChoiceField(
        choices=["create", "update", "delete", "merge"],
        help_text="What the change did to the object, as far as you may see it: an anonymous client is told "
        "`create` when a claim is published and `delete` when it leaves `published`.",
    )
    type = serializers.ChoiceField(choices=list(TYPES))
    id = serializers.IntegerField(help_text="The object's id (an alias's or a mention's own id).")
    url = serializers.URLField(
        allow_null=True,
        help_text="The API detail to read the object's state from: the entity's for an alias, the document's for "
        "a mention. Null for `delete` and `merge`.",
    )
    merged_into = serializers.IntegerField(
        allow_null=True, help_text="`merge`: the id of the entity this one was merged into; null otherwise."
    )


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next = serializers.URLField(
        allow_null=True,
        help_text="The next page when this one is full (more changes may follow right now), else null: ask "
        "again later with `?after=` the last cursor you read.",
    )
    latest = serializers.IntegerField(
        help_text="The cursor of the newest change you may see (of the start of the retained feed when there is "
        "none): a new mirror takes it before its full export, then follows `?after=` it."
    )
