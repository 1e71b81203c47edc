"""What a write to people, organisations and events takes: shape and type checks only (their
representations are in api/projections/entities.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.exceptions import invalid
from factbase.enums import AliasKind, EntityKind, EventStatus, EventType, OrganisationType, ParticipantRole

from .common import MAX_LIST_ITEMS, EntityIdField, PartialDateField, merge_date_text


class AliasInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    language = serializers.CharField(max_length=16, required=False, help_text="BCP 47 tag; default `en`.")
    kind = serializers.ChoiceField(choices=AliasKind.choices, required=False, help_text="Default `common`.")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "The name (language `en`, kind `common`)."},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 300},
                    "language": {"type": "string", "maxLength": 16},
                    "kind": {"type": "string", "enum": AliasKind.values},
                },
                "required": ["name"],
            },
        ]
    }
)
class AliasInputField(serializers.Field):
    """An alias as a plain name, or as {name, language?, kind?}."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"name": data}
        if not isinstance(data, dict):
            invalid("Give an alias as a name or as {name, language, kind}.")
        serializer = AliasInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def to_representation(self, value):
        return value


class AliasListField(serializers.ListField):
    def get_attribute(self, instance):
        # The browsable API shows an entity's current values in its PUT form: aliases as names
        # (the related manager itself is not a list).
        value = super().get_attribute(instance)
        return [alias.name for alias in value.all()] if hasattr(value, "all") else value


class EntityWriteSerializer(serializers.Serializer):
    """Fields every kind of entity takes."""

    name = serializers.CharField(max_length=300, help_text="Preferred label, as a reader would name it.")
    slug = serializers.SlugField(
        max_length=120, required=False, help_text="Stable id for URLs; made from the name when left out."
    )
    description = serializers.CharField(required=False, allow_blank=True)
    wikidata_qid = serializers.RegexField(
        r"^(Q[1-9][0-9]{0,14})?$", max_length=16, required=False, allow_blank=True, help_text="Such as Q41364."
    )
    aliases = AliasListField(
        child=AliasInputField(),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text="Other names. On update the list replaces the aliases the entity had.",
    )


class PersonWriteSerializer(EntityWriteSerializer):
    given_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    nationality = EntityIdField(kind=EntityKind.COUNTRY, required=False, allow_null=True, help_text="Id of a country.")


class OrganisationWriteSerializer(EntityWriteSerializer):
    type = serializers.ChoiceField(source="org_type", choices=OrganisationType.choices, required=False)
    country = EntityIdField(kind=EntityKind.COUNTRY, required=False, allow_null=True, help_text="Id of a country.")
    parent = EntityIdField(
        kind=EntityKind.ORGANISATION, required=False, allow_null=True, help_text="Id of the body this one belongs to."
    )


class ParticipantInputSerializer(serializers.Serializer):
    entity = EntityIdField(help_text="Id of any entity.")
    role = serializers.ChoiceField(choices=ParticipantRole.choices, required=False, help_text="Default `attendee`.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        # PATCH makes nested serializers partial, and DRF then skips `required` in them.
        if "entity" not in attrs:
            raise serializers.ValidationError({"entity": [self.fields["entity"].error_messages["required"]]})
        return attrs


class EventWriteSerializer(EntityWriteSerializer):
    type = serializers.ChoiceField(source="event_type", choices=EventType.choices, required=False)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False)
    date = PartialDateField(required=False, allow_null=True)
    date_text = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="The date as the source words it: “July 6 to 8”."
    )
    location_country = EntityIdField(
        kind=EntityKind.COUNTRY, required=False, allow_null=True, help_text="Id of the country it took place in."
    )
    location_text = serializers.CharField(max_length=300, required=False, allow_blank=True)
    parent = EntityIdField(
        kind=EntityKind.EVENT, required=False, allow_null=True, help_text="Id of the larger event this is part of."
    )
    participants = ParticipantInputSerializer(
        many=True,
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text="On update the list replaces the participants the event had.",
    )

    def validate(self, attrs):
        current = self.instance.partial_date if self.instance is not None else None
        return merge_date_text(attrs, date_key="date", text_key="date_text", current=current)


class MergeSerializer(serializers.Serializer):
    into = EntityIdField(
        help_text="Id of the entity to keep: of the same kind. This entity's claims, mentions, aliases, roles, "
        "participations and identifiers move to it, and its name becomes an alias of it."
    )
