"""Facts (claims of any documents that state the same thing) and the contradictions between
them: read by anyone (what published claims say, unless you curate); curators split and join
facts, reviewers rank facts and resolve contradictions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from api import filters
from api.projections.compiler import ids_of
from api.projections.facts import ContradictionSerializer, FactSerializer, describe, describe_contradictions
from api.serializers import facts as s
from api.views.base import FactbaseViewSet
from factbase.models import Contradiction, Fact
from factbase.services import facts as services


@extend_schema_view(
    list=extend_schema(
        summary="List facts",
        description="Each fact groups the claims, from any documents, that state the same thing, with its count of "
        "independent sources. Anonymous clients see facts with a published claim, and only the published claims.",
    ),
    retrieve=extend_schema(summary="One fact, with its claims, documents, publishers and contradictions"),
)
class FactViewSet(FactbaseViewSet):
    """Facts: the claims of any documents that state the same thing, and their sources."""

    permission_model = "factbase.fact"
    serializer_class = FactSerializer
    filterset_class = filters.FactFilterSet

    def get_queryset(self):
        return Fact.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        # The paginator walks ids only: on SQLite one statement then gives the page and its
        # capped count (api/pagination.py, _page_of_ids), where the rows' page and a count of
        # their own each gathered a filter's claims (an entity's 23,000) or walked the facts.
        # Then one query reads the page's facts.
        queryset, page = self.filtered_page(ids_of)
        ids = [row["pk"] for row in page]
        facts = queryset.model.objects.using(queryset.db).in_bulk(ids)
        return self.get_paginated_response(describe([facts[pk] for pk in ids], request.user))

    def representation(self, instance) -> dict:
        return describe([instance], self.request.user)[0]

    @extend_schema(
        summary="Split a claim out of this fact",
        description="Curators: the claim goes to a fact of its own, and later automatic grouping leaves it there. "
        "Answers the new fact.",
        request=s.FactSplitSerializer,
        responses=FactSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def split(self, request, pk=None):
        fact = self.get_object()
        body = s.FactSplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.fact_split(fact=fact, claim=body.validated_data["claim"], by=request.user)
        return self.represent(new)

    @extend_schema(
        summary="Join another fact to this one",
        description="Curators: every claim of the other fact moves here for good, and the other fact is deleted.",
        request=s.FactJoinSerializer,
        responses=FactSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def join(self, request, pk=None):
        fact = self.get_object()
        body = s.FactJoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(services.fact_join(fact=fact, other=body.validated_data["fact"], by=request.user))

    @extend_schema(
        summary="Set a fact's rank",
        description="Reviewers: preferred, normal or deprecated (Wikidata's ranks; `facts/?rank=best`).",
        request=s.RankSerializer,
        responses=FactSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="rank")
    def rank(self, request, pk=None):
        fact = self.get_object()
        body = s.RankSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(services.fact_rank(fact=fact, by=request.user, **body.validated_data))


@extend_schema_view(
    list=extend_schema(
        summary="List contradictions",
        description="Pairs of facts that cannot both hold, found among published claims, with the evidence on each "
        "side. `resolved=false` is the reviewers' queue.",
    ),
    retrieve=extend_schema(summary="One contradiction, with the evidence on each side"),
)
class ContradictionViewSet(FactbaseViewSet):
    """Contradictions between facts, and their resolution by reviewers."""

    permission_model = "factbase.contradiction"
    serializer_class = ContradictionSerializer
    filterset_class = filters.ContradictionFilterSet

    def get_queryset(self):
        return Contradiction.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        _, page = self.filtered_page()
        return self.get_paginated_response(describe_contradictions(list(page)))

    def representation(self, instance) -> dict:
        return describe_contradictions([instance])[0]

    @extend_schema(
        summary="Resolve a contradiction",
        description="Reviewers: mark it resolved with a note saying which side holds and why. Already resolved: 409.",
        request=s.ResolveSerializer,
        responses=ContradictionSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="resolve")
    def resolve(self, request, pk=None):
        contradiction = self.get_object()
        body = s.ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resolved = services.contradiction_resolve(contradiction=contradiction, by=request.user, **body.validated_data)
        return self.represent(resolved)
