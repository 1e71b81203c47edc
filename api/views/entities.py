"""Entities: `entities/` (every kind, read-only), `countries/` (read-only reference data),
`people/`, `organisations/` and `events/` (curators write)."""

from __future__ import annotations

from django.db import router
from django.db.models import F, OrderBy
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from api import filters
from api.projections import entities as p
from api.projections.compiler import ids_of
from api.serializers import entities as s
from api.views.base import DeleteMixin, FactbaseViewSet, WriteMixin
from factbase.models import Country, Entity, Event, Organisation, Person
from factbase.services.entities import entity_create, entity_delete, entity_update


class EntityReadMixin:
    """The entity viewsets' reads, from the read serializers' compiled projections
    (api/projections/entities.py): their exact output without their per-instance cost. A
    list page is found as ids only, then read by `LISTS`; the detail representation (GET of
    one entity, the answer to a write, what If-Match is checked against) by `DETAILS`."""

    model = None  # Entity or a typed model

    @property
    def permission_model(self) -> str:
        return self.model._meta.label_lower

    def get_queryset(self):
        # Lists show aliases; the detail's projection orders its lists as this queryset does.
        queryset = self.model.objects.for_api()
        return queryset if self.action == "list" else queryset.with_identifiers()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and self.model.KIND and not self.request.query_params.get("q"):
            if _ordered_by_name(queryset):
                # A typed list (people/, events/…) in name order states its kind on the
                # entity row, redundant with the join to the typed table: the entity table's
                # (kind, name, id) index then gives the rows in name order, and the page
                # stops at its LIMIT instead of sorting them all. Not for other orderings: an
                # equality on the kind would draw the planner to that index and away from
                # theirs. Not with `q`: the kind and the join are correlated, PostgreSQL then
                # expects one row of the kind and reads the whole match list once per row
                # (countries/?q=a took minutes).
                queryset = queryset.of_kind(self.model.KIND)
        return queryset

    def list(self, request, *args, **kwargs):
        # As the claims list: the paginator walks ids only (the filters' and the ordering's
        # index do the work, no joined column is dragged along an OFFSET or a sort), then one
        # statement reads the page's rows with their embedded names and one each their
        # aliases, roles or participants.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(ids_of(queryset))
        if not page and getattr(self, "filterset", None) is not None:
            self.filterset.check_references()
        rows = p.LISTS[self.model].many([row["pk"] for row in page], using=queryset.db)
        return self.get_paginated_response(rows)

    def current_representation(self, pk) -> dict:
        data = p.DETAILS[self.model].one(int(pk), using=router.db_for_read(self.model))
        if data is None:
            raise Http404(f"No {self.model._meta.object_name} matches the given query.")
        return data

    def retrieve(self, request, *args, **kwargs):
        return Response(self.current_representation(kwargs[self.lookup_url_kwarg or self.lookup_field]))


def _ordered_by_name(queryset) -> bool:
    """Whether the rows of `queryset` come in name order (asked for, or the model's default)."""
    ordering = queryset.query.order_by or (queryset.query.default_ordering and queryset.model._meta.ordering)
    if not ordering:
        return False
    first = ordering[0]
    if isinstance(first, OrderBy):
        first = first.expression
    if isinstance(first, F):
        first = first.name
    return isinstance(first, str) and first.lstrip("-") == "name"


@extend_schema_view(
    list=extend_schema(
        summary="List entities of every kind",
        description="One lookup across people, countries, organisations and events, aliases included. "
        "Each kind's own endpoint has its typed fields.",
    ),
    retrieve=extend_schema(
        summary="One entity, any kind",
        description="The entity in the representation of its kind (person, country, organisation or event), "
        "with its aliases and identifiers.",
    ),
)
class EntityViewSet(EntityReadMixin, FactbaseViewSet):
    model = Entity
    serializer_class = p.EntitySerializer
    detail_serializer_class = p.EntityDetailSerializer
    filterset_class = filters.EntityFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="List countries",
        description="All ISO 3166-1 countries (and historical ones such as the Soviet Union), aliases included.",
    ),
    retrieve=extend_schema(summary="One country", description="A country with its ISO codes, aliases and identifiers."),
)
class CountryViewSet(EntityReadMixin, FactbaseViewSet):
    model = Country
    serializer_class = p.CountrySerializer
    detail_serializer_class = p.CountryDetailSerializer
    filterset_class = filters.CountryFilterSet


class TypedEntityViewSet(EntityReadMixin, WriteMixin, DeleteMixin, FactbaseViewSet):
    """People, organisations and events: read by anyone, written by curators."""

    error_field_names = {**FactbaseViewSet.error_field_names, "org_type": "type", "event_type": "type"}

    def perform_create(self, data):
        return entity_create(model=self.model, by=self.request.user, **data)

    def perform_update(self, instance, data):
        return entity_update(entity=instance, by=self.request.user, **data)

    def perform_destroy(self, instance):
        entity_delete(entity=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List people"),
    retrieve=extend_schema(summary="One person, with roles and identifiers"),
    create=extend_schema(
        summary="Create a person", description="Curators only. The slug is made from the name when left out."
    ),
    update=extend_schema(summary="Replace a person's fields"),
    partial_update=extend_schema(summary="Change some of a person's fields"),
    destroy=extend_schema(
        summary="Delete a person", description="Refused (409) while claims, mentions or events refer to them."
    ),
)
class PersonViewSet(TypedEntityViewSet):
    model = Person
    serializer_class = p.PersonSerializer
    detail_serializer_class = p.PersonDetailSerializer
    write_serializer_class = s.PersonWriteSerializer
    filterset_class = filters.PersonFilterSet


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="One organisation"),
    create=extend_schema(summary="Create an organisation", description="Curators only."),
    update=extend_schema(summary="Replace an organisation's fields"),
    partial_update=extend_schema(summary="Change some of an organisation's fields"),
    destroy=extend_schema(summary="Delete an organisation", description="Refused (409) while anything refers to it."),
)
class OrganisationViewSet(TypedEntityViewSet):
    model = Organisation
    serializer_class = p.OrganisationSerializer
    detail_serializer_class = p.OrganisationDetailSerializer
    write_serializer_class = s.OrganisationWriteSerializer
    filterset_class = filters.OrganisationFilterSet


@extend_schema_view(
    list=extend_schema(summary="List events", description="`date_from`/`date_to` match events whose dates overlap."),
    retrieve=extend_schema(summary="One event, with participants"),
    create=extend_schema(summary="Create an event", description="Curators only; `participants` may come along."),
    update=extend_schema(summary="Replace an event's fields"),
    partial_update=extend_schema(summary="Change some of an event's fields"),
    destroy=extend_schema(summary="Delete an event", description="Refused (409) while anything refers to it."),
)
class EventViewSet(TypedEntityViewSet):
    model = Event
    serializer_class = p.EventSerializer
    detail_serializer_class = p.EventDetailSerializer
    write_serializer_class = s.EventWriteSerializer
    filterset_class = filters.EventFilterSet
