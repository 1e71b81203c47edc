"""Predicates: the relation vocabulary, read-only (curators extend it in the admin)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from api.projections.predicates import PredicateSerializer
from api.views.base import FactbaseViewSet
from factbase.models import Predicate


@extend_schema_view(
    list=extend_schema(summary="List predicates", description="Claims name their predicate by slug."),
    retrieve=extend_schema(
        summary="One predicate, by slug",
        description="Its label, description and the entity kinds it accepts as subject and object.",
    ),
)
class PredicateViewSet(FactbaseViewSet):
    permission_model = "factbase.predicate"
    serializer_class = PredicateSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = []

    def get_queryset(self):
        return Predicate.objects.order_by("label", "id")
