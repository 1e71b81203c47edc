"""Entities' representations: people, countries, organisations and events, and the all-kinds
`entities/` view. The one definition of what their lists, details, `?format=csv`, ETags and
OpenAPI schema show.

List representations carry what a list needs (aliases; roles for people; participants for
events); detail representations add the external identifiers. Both are answered by the
serializers' compiled fast paths (api/projections/compiler.py), without the serializers'
per-instance cost:

- `LISTS` answers a page of a list, from the page's ids (`ids_of()` in compiler.py): the rows
  with the names of the entities they refer to, then aliases, and for people their roles or
  for events their participants, one statement each whatever the page size. Through the
  serializers a page of 50 people cost 20-40 ms of CPU;
- `DETAILS` answers GET of one entity: the same statements plus identifiers, each comparing
  with `=` (3 or 4; on PostgreSQL one, their UNION ALL). Through the serializer a person cost about 3 ms of CPU, three quarters
  of the request, for a query that takes 0.3 ms."""

from __future__ import annotations

from rest_framework import serializers

from factbase.enums import EntityKind, EventStatus, EventType, OrganisationType
from factbase.models import Alias, Country, Entity, Event, EventParticipant, Identifier, Organisation, Person, Role

from .common import EntityRefSerializer, partial_date
from .compiler import Projection


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["name", "language", "kind"]


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["scheme", "value"]


ENTITY_FIELDS = ["id", "kind", "slug", "name", "description", "wikidata_qid", "aliases", "created", "updated"]


class EntitySerializer(serializers.ModelSerializer):
    """Any kind of entity, with the fields every kind shares."""

    kind = serializers.ChoiceField(choices=EntityKind.choices, read_only=True)
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = Entity
        fields = ENTITY_FIELDS
        read_only_fields = fields


class EntityDetailSerializer(EntitySerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta(EntitySerializer.Meta):
        fields = [*ENTITY_FIELDS, "identifiers"]
        read_only_fields = fields


class CountrySerializer(EntitySerializer):
    class Meta(EntitySerializer.Meta):
        model = Country
        fields = [*ENTITY_FIELDS, "iso_alpha2", "iso_alpha3", "official_name", "is_historical"]
        read_only_fields = fields


class CountryDetailSerializer(CountrySerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta(CountrySerializer.Meta):
        fields = [*CountrySerializer.Meta.fields, "identifiers"]
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer):
    organisation = EntityRefSerializer(read_only=True, allow_null=True)
    date = partial_date(help_text="When the person held the role, as far as known.")

    class Meta:
        model = Role
        fields = ["title", "organisation", "date"]


class PersonSerializer(EntitySerializer):
    nationality = EntityRefSerializer(read_only=True, allow_null=True)
    roles = RoleSerializer(many=True, read_only=True)

    class Meta(EntitySerializer.Meta):
        model = Person
        fields = [*ENTITY_FIELDS, "given_name", "family_name", "nationality", "roles"]
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "identifiers"]
        read_only_fields = fields


class OrganisationSerializer(EntitySerializer):
    type = serializers.ChoiceField(source="org_type", choices=OrganisationType.choices, read_only=True)
    country = EntityRefSerializer(read_only=True, allow_null=True)
    parent = EntityRefSerializer(read_only=True, allow_null=True, help_text="The body this one belongs to.")

    class Meta(EntitySerializer.Meta):
        model = Organisation
        fields = [*ENTITY_FIELDS, "type", "country", "parent"]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "identifiers"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)

    class Meta:
        model = EventParticipant
        fields = ["entity", "role", "note"]


class LocationSerializer(serializers.Serializer):
    country = EntityRefSerializer(source="location_country", read_only=True, allow_null=True)
    text = serializers.CharField(source="location_text", read_only=True, help_text="The place as written.")


class EventSerializer(EntitySerializer):
    type = serializers.ChoiceField(source="event_type", choices=EventType.choices, read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    date = partial_date()
    location = LocationSerializer(source="*", read_only=True)
    parent = EntityRefSerializer(read_only=True, allow_null=True, help_text="The larger event this is part of.")
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta(EntitySerializer.Meta):
        model = Event
        fields = [*ENTITY_FIELDS, "type", "status", "date", "location", "parent", "participants"]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "identifiers"]
        read_only_fields = fields


LISTS = {
    Entity: Projection(EntitySerializer, queryset=lambda: Entity.objects.for_api()),
    Country: Projection(CountrySerializer, queryset=lambda: Country.objects.for_api()),
    Person: Projection(PersonSerializer, queryset=lambda: Person.objects.for_api()),
    Organisation: Projection(OrganisationSerializer, queryset=lambda: Organisation.objects.for_api()),
    Event: Projection(EventSerializer, queryset=lambda: Event.objects.for_api()),
}

DETAILS = {
    Entity: Projection(EntityDetailSerializer, queryset=lambda: Entity.objects.for_api().with_identifiers()),
    Country: Projection(CountryDetailSerializer, queryset=lambda: Country.objects.for_api().with_identifiers()),
    Person: Projection(PersonDetailSerializer, queryset=lambda: Person.objects.for_api().with_identifiers()),
    Organisation: Projection(
        OrganisationDetailSerializer, queryset=lambda: Organisation.objects.for_api().with_identifiers()
    ),
    Event: Projection(EventDetailSerializer, queryset=lambda: Event.objects.for_api().with_identifiers()),
}
