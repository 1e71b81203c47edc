"""Claims: read by anyone (published ones only, unless you curate), created with their
spans by curators, published or rejected by reviewers."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from api import filters
from api.facets import Facet, of_choices
from api.projections.claims import CLAIMS, ClaimSerializer
from api.projections.compiler import ids_of
from api.serializers import claims as s
from api.serializers.curation import SendBackSerializer
from api.serializers.facts import RankSerializer
from api.views.base import DeleteMixin, FactbaseViewSet, WriteMixin
from factbase.enums import AttributionMode, ClaimStatus, EntityKind, Modality, Polarity
from factbase.models import Claim, Predicate
from factbase.services import claims as services
from factbase.services import facts as fact_services
from factbase.services import queues


def _predicates() -> list[tuple[int, str, str]]:
    """(id, slug, label) of every predicate, for the facet: the vocabulary, a few dozen rows."""
    return list(Predicate.objects.order_by("slug").values_list("pk", "slug", "label"))


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description="Anonymous clients see published claims only; curators and reviewers see every status.",
    ),
    retrieve=extend_schema(summary="One claim"),
    create=extend_schema(
        summary="Create a draft claim with its evidence",
        description="Curators only. Each span is `{document, start, end}` or `{document, exact, prefix?}`; the "
        "server fills in the rest and refuses a span that does not fit the text. The claim starts as a draft.",
    ),
    update=extend_schema(summary="Replace a claim's fields", description="A published claim: reviewers only."),
    partial_update=extend_schema(
        summary="Change some of a claim's fields", description="A published claim: reviewers only."
    ),
    destroy=extend_schema(
        summary="Delete a claim that was never published", description="A published one: 409; reject it."
    ),
)
class ClaimViewSet(WriteMixin, DeleteMixin, FactbaseViewSet):
    serializer_class = ClaimSerializer
    detail_serializer_class = ClaimSerializer
    write_serializer_class = s.ClaimWriteSerializer
    filterset_class = filters.ClaimFilterSet
    facets = {
        "predicate": Facet("predicate_id", lambda: _predicates(), shown_lookup="predicate__slug"),
        "status": of_choices("status", ClaimStatus.choices),
        "subject_kind": of_choices("subject_kind", EntityKind.choices),
        "attribution": of_choices("attribution", AttributionMode.choices),
        "modality": of_choices("modality", Modality.choices),
        "polarity": of_choices("polarity", Polarity.choices),
    }
    # A published claim is changed by reviewers only: claim_update says so (403).
    permission_model = "factbase.claim"

    def get_queryset(self):
        return Claim.objects.for_api().visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        # The hot path (api/projections/claims.py): the paginator walks ids only, then one
        # query reads the page's rows with their embedded names and one reads their spans.
        # ClaimSerializer's representation, compiled: no instance per row.
        queryset, page = self.filtered_page(ids_of)
        return self.get_paginated_response(CLAIMS.many([row["pk"] for row in page], using=queryset.db))

    def perform_create(self, data):
        return services.claim_create(by=self.request.user, **data)

    def perform_update(self, instance, data):
        return services.claim_update(claim=instance, by=self.request.user, **data)

    def perform_destroy(self, instance):
        services.claim_delete(claim=instance, by=self.request.user)

    @extend_schema(
        summary="Submit a draft for review",
        description="Curators: draft → in review. Any other status: 409.",
        request=None,
        responses=ClaimSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="submit")
    def submit(self, request, pk=None):
        claim = services.claim_submit(claim=self.get_object(), by=request.user)
        return self.represent(claim)

    @extend_schema(
        summary="Publish a claim",
        description="Reviewers only; from draft or in review. A claim without spans cannot be published (400).",
        request=None,
        responses=ClaimSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="publish")
    def publish(self, request, pk=None):
        claim = services.claim_publish(claim=self.get_object(), by=request.user)
        return self.represent(claim)

    @extend_schema(
        summary="Set a claim's rank",
        description="Reviewers: preferred, normal or deprecated within its fact (Wikidata's ranks; "
        "`claims/?rank=best`).",
        request=RankSerializer,
        responses=ClaimSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="rank")
    def rank(self, request, pk=None):
        claim = self.get_object()
        body = RankSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(fact_services.claim_rank(claim=claim, by=request.user, **body.validated_data))

    @extend_schema(
        summary="Reject a claim",
        description="Reviewers only. The reason, if given, is kept in the claim's notes.",
        request=s.RejectSerializer,
        responses=ClaimSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="publish")
    def reject(self, request, pk=None):
        serializer = s.RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_reject(claim=self.get_object(), by=request.user, **serializer.validated_data)
        return self.represent(claim)

    @extend_schema(
        summary="Send a claim back to its curator",
        description="Reviewers only: in review → draft, with a note saying what to change (kept in `review_note`). "
        "The documents it cites that were ready for review go back to curation. Any other status: 409.",
        request=SendBackSerializer,
        responses=ClaimSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="publish", url_path="send-back")
    def send_back(self, request, pk=None):
        claim = self.get_object()
        body = SendBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(queues.claim_send_back(claim=claim, by=request.user, **body.validated_data))
