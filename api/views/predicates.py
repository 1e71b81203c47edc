"""Predicates: the relation vocabulary, read-only (curators extend it in the admin)."""

from __future__ import annotations

from django.db import router
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from api import read_cache
from api.projections.predicates import PredicateSerializer
from api.views.base import FactbaseViewSet
from factbase.models import Predicate

# The list's own parameters (pages, and the format, which changes the rendering, not the data).
CACHED_PARAMETERS = frozenset({"page", "page_size", "format"})


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

    def list(self, request, *args, **kwargs):
        if not set(request.query_params) <= CACHED_PARAMETERS:
            return super().list(request, *args, **kwargs)
        # Public reference data, the same for every client: cached by URL under the
        # predicates' version (api/read_cache.py).
        data = read_cache.cached(
            "predicates",
            request.build_absolute_uri(),
            lambda: super(PredicateViewSet, self).list(request, *args, **kwargs).data,
            using=router.db_for_read(Predicate),
        )
        return Response(data)
