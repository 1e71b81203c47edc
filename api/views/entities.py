"""Entities: `entities/` (every kind, read-only), `countries/` (read-only reference data),
`people/`, `organisations/` and `events/` (curators write); on each, `merge/` and `unmerge/`
(reviewers; countries: staff administrators), and a merged entity's id answered with a
permanent redirect (308) to its survivor."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import router
from django.db.models import F, OrderBy
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from api import filters, read_cache
from api.facets import of_choices
from api.projections import entities as p
from api.projections.compiler import ids_of
from api.serializers import entities as s
from api.serializers.common import TYPED_MODELS
from api.views.base import DeleteMixin, FactbaseViewSet, WriteMixin
from factbase.enums import EntityKind, EventStatus, EventType
from factbase.indexes import conditions
from factbase.models import Country, Entity, EntityMerge, Event, Organisation, Person
from factbase.permissions import allows, refusal
from factbase.services.entities import entity_create, entity_delete, entity_merge, entity_update
from factbase.services.merges import entity_unmerge


def merged_redirect(request, pk, *, kind: str, url_name: str) -> Response | None:
    """The answer to a read of a merged entity's id: 308 to the same route for its survivor
    (query string kept), or None when `pk` was not merged (into an entity of `kind`, when
    given, as the route takes). Asked only once the id has been found to name nothing."""
    record = EntityMerge.objects.filter(merged_id=pk, survivor__isnull=False).values_list("kind", "survivor_id")
    found = record.first()
    if found is None or (kind and found[0] != kind):
        return None
    survivor = found[1]
    location = request.build_absolute_uri(reverse(url_name, args=[survivor]))
    query = request.META.get("QUERY_STRING")
    return Response(
        {"detail": f"Entity {pk} was merged into entity {survivor}.", "merged_into": survivor},
        status=status.HTTP_308_PERMANENT_REDIRECT,
        headers={"Location": f"{location}?{query}" if query else location},
    )


class EntityReadMixin:
    """The entity viewsets' reads, from the read serializers' compiled projections
    (api/projections/entities.py): their exact output without their per-instance cost. A
    list page is found as ids only, then read by `LISTS`; the detail representation (GET of
    one entity, the answer to a write, what If-Match is checked against) by `DETAILS`."""

    model = None  # Entity or a typed model
    answers_merged_ids = True  # a merged entity's detail: 308 to its survivor's (api/schema.py documents it)

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
        queryset, page = self.filtered_page(ids_of)
        rows = p.LISTS[self.model].many([row["pk"] for row in page], using=queryset.db)
        return self.get_paginated_response(rows)

    def current_representation(self, pk) -> dict:
        data = p.DETAILS[self.model].one(int(pk), using=router.db_for_read(self.model))
        if data is None:
            raise Http404(f"No {self.model._meta.object_name} matches the given query.")
        return data

    def retrieve(self, request, *args, **kwargs):
        pk = kwargs[self.lookup_url_kwarg or self.lookup_field]
        try:
            # The same for every client: cached under a version the triggers keep (api/read_cache.py).
            data = read_cache.cached(
                "entity",
                f"{self.model._meta.label_lower}:{int(pk)}",
                lambda: self.current_representation(pk),
                using=router.db_for_read(self.model),
            )
            return Response(data)
        except Http404:
            redirect = merged_redirect(request, int(pk), kind=self.model.KIND, url_name=f"{self.basename}-detail")
            if redirect is None:
                raise
            return redirect


class MergeMixin:
    """`POST {id}/merge/` with `{"into": id}` and `POST {id}/unmerge/`, through
    factbase.services.entities.entity_merge and factbase.services.merges.entity_unmerge. The
    route's rule (`merge`) lets the request in; the entity's own kind's rule decides (a
    country through `entities/` is still staff administrators' to merge)."""

    def check_merge_permission(self, target) -> None:
        if not allows(self.request.user, "merge", target):
            raise PermissionDenied(refusal("merge", target))

    @action(detail=True, methods=["post"], permission_action="merge")
    def merge(self, request, pk=None):
        loser = self.get_object().typed
        self.check_merge_permission(loser)
        serializer = s.MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            survivor = entity_merge(survivor=serializer.validated_data["into"], loser=loser, by=request.user)
        except DjangoValidationError as exc:
            raise ValidationError({"into": exc.messages}) from exc
        return self.represent(survivor)

    @action(detail=True, methods=["post"], permission_action="merge")
    def unmerge(self, request, pk=None):
        kind = EntityMerge.objects.filter(merged_id=pk).values_list("kind", flat=True).first()
        if kind is None or (self.model.KIND and kind != self.model.KIND):
            raise Http404(f"No merge of {self.model._meta.verbose_name} {pk} is recorded.")
        self.check_merge_permission(TYPED_MODELS[kind])
        return self.represent(entity_unmerge(merged_id=int(pk), by=request.user))


MERGE_SCHEMA = {
    "merge": extend_schema(
        summary="Merge this entity into another",
        description="Reviewers (countries: staff administrators). This entity's claims, mentions, aliases, roles, "
        "participations and identifiers move to `into`, which keeps this entity's name as an alias; this entity "
        "is deleted, and its id answers with a redirect (308) to `into` from then on, and is taken as `into`'s "
        "by every filter. Answers with `into` as it is now. Refused (400) for an entity of another kind or the "
        "entity itself. `unmerge/` undoes it.",
        request=s.MergeSerializer,
    ),
    "unmerge": extend_schema(
        summary="Undo the merge of this (merged) entity",
        description="Reviewers (countries: staff administrators). The id is the merged entity's. Restores it "
        "exactly as it was before the merge (same id and slug, its own claims, mentions, aliases, roles, "
        "participations and identifiers) and removes the alias the merge gave the survivor. 404 when no merge "
        "of this id is recorded; 400, changing nothing, when it cannot be undone exactly (the survivor was "
        "deleted since, or something that was this entity's was since deleted or given to another entity; undo "
        "chained merges from the last one back).",
        request=None,
    ),
}


def _ordered_by_name(queryset) -> bool:
    """Whether the rows of `queryset` come in name order (asked for, or the model's default)."""
    ordering = conditions.ordering(queryset)
    if not ordering:
        return False
    first = ordering[0]
    if isinstance(first, OrderBy):
        first = first.expression
    if isinstance(first, F):
        first = first.name
    return isinstance(first, str) and first.lstrip("-") == "name"


@extend_schema_view(
    **MERGE_SCHEMA,
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
class EntityViewSet(EntityReadMixin, MergeMixin, FactbaseViewSet):
    model = Entity
    serializer_class = p.EntitySerializer
    detail_serializer_class = p.EntityDetailSerializer
    filterset_class = filters.EntityFilterSet
    facets = {"kind": of_choices("kind", EntityKind.choices)}


@extend_schema_view(
    **MERGE_SCHEMA,
    list=extend_schema(
        summary="List countries",
        description="All ISO 3166-1 countries (and historical ones such as the Soviet Union), aliases included.",
    ),
    retrieve=extend_schema(summary="One country", description="A country with its ISO codes, aliases and identifiers."),
)
class CountryViewSet(EntityReadMixin, MergeMixin, FactbaseViewSet):
    model = Country
    serializer_class = p.CountrySerializer
    detail_serializer_class = p.CountryDetailSerializer
    filterset_class = filters.CountryFilterSet


class TypedEntityViewSet(EntityReadMixin, MergeMixin, WriteMixin, DeleteMixin, FactbaseViewSet):
    """People, organisations and events: read by anyone, written by curators."""

    error_field_names = {**FactbaseViewSet.error_field_names, "org_type": "type", "event_type": "type"}

    def perform_create(self, data):
        return entity_create(model=self.model, by=self.request.user, **data)

    def perform_update(self, instance, data):
        return entity_update(entity=instance, by=self.request.user, **data)

    def perform_destroy(self, instance):
        entity_delete(entity=instance, by=self.request.user)


@extend_schema_view(
    **MERGE_SCHEMA,
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
    **MERGE_SCHEMA,
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
    **MERGE_SCHEMA,
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
    facets = {"type": of_choices("event_type", EventType.choices), "status": of_choices("status", EventStatus.choices)}
