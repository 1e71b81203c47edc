"""/api/v1/ routes: the resources of the API (docs/api.md), the token endpoint, and the
OpenAPI schema with its interactive docs (assets served locally, never from a CDN)."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import SimpleRouter

from api.views import changes, curation, exports, imports, jobs, reconcile, standards, timelines
from api.views.auth import TokenView
from api.views.claims import ClaimViewSet
from api.views.docs import RedocDocsView, SchemaView, SwaggerDocsView
from api.views.documents import DocumentViewSet
from api.views.entities import (
    CountryViewSet,
    EntityViewSet,
    EventViewSet,
    OrganisationViewSet,
    PersonViewSet,
)
from api.views.facts import ContradictionViewSet, FactViewSet
from api.views.predicates import PredicateViewSet

router = SimpleRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("people", PersonViewSet, basename="person")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("events", EventViewSet, basename="event")
router.register("claims", ClaimViewSet, basename="claim")
router.register("documents", DocumentViewSet, basename="document")
router.register("entities", EntityViewSet, basename="entity")
router.register("predicates", PredicateViewSet, basename="predicate")
router.register("facts", FactViewSet, basename="fact")
router.register("contradictions", ContradictionViewSet, basename="contradiction")
router.register("jobs", jobs.JobViewSet, basename="job")

RESOURCES = [
    "countries",
    "people",
    "organisations",
    "events",
    "claims",
    "documents",
    "entities",
    "predicates",
    "facts",
    "contradictions",
    "jobs",
]


@api_view(["GET"])
@permission_classes([AllowAny])
@schema(None)
def api_root(request, format=None):
    """Where everything is: the resources, the schema and its docs, and the admin."""
    links = {name: reverse(f"{_basename(name)}-list", request=request) for name in RESOURCES}
    return Response(
        {
            **links,
            "auth/token": reverse("api-token", request=request),
            "schema": reverse("api-schema", request=request),
            "docs": reverse("api-docs", request=request),
            "redoc": reverse("api-redoc", request=request),
            "exports/popolo": reverse("export-popolo", request=request),
            "exports/claims.jsonl": reverse("export-claims-jsonl", request=request),
            "exports/claims.csv": reverse("export-claims-csv", request=request),
            "reconcile": reverse("reconcile", request=request),
            "changes": reverse("changes", request=request),
            "admin": request.build_absolute_uri(reverse("admin:index")),
        }
    )


def _basename(prefix: str) -> str:
    return next(basename for registered, _, basename in router.registry if registered == prefix)


urlpatterns = [
    # The resources first: Django tries the patterns in order, and the busiest requests (a
    # list, a detail) are theirs. No route below can match one of their URLs, nor they one
    # of the routes below (tests/api/test_urls.py).
    *router.urls,
    path("", api_root, name="api-root"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocDocsView.as_view(url_name="api-schema"), name="api-redoc"),
    # Curator work on a document (api/views/curation.py).
    path("documents/<int:pk>/suggestions/", curation.DocumentSuggestionsView.as_view(), name="document-suggestions"),
    path(
        "documents/<int:pk>/suggestions/accept/",
        curation.DocumentSuggestionsAcceptView.as_view(),
        name="document-suggestions-accept",
    ),
    path(
        "documents/<int:pk>/suggestions/reject/",
        curation.DocumentSuggestionsRejectView.as_view(),
        name="document-suggestions-reject",
    ),
    path("documents/<int:pk>/revise/", curation.DocumentReviseView.as_view(), name="document-revise"),
    # Starting long work as jobs (api/views/jobs.py); GET jobs/{id}/ follows it.
    path("jobs/suggestion-scans/", jobs.SuggestionScanView.as_view(), name="job-suggestion-scans"),
    path("jobs/index-rebuilds/", jobs.IndexRebuildView.as_view(), name="job-index-rebuilds"),
    path("jobs/fact-regroups/", jobs.FactRegroupView.as_view(), name="job-fact-regroups"),
    # What changed, in commit order (api/views/changes.py).
    path("changes/", changes.ChangeFeedView.as_view(), name="changes"),
    path("entities/<int:pk>/timeline/", timelines.EntityTimelineView.as_view(), name="entity-timeline"),
    # Published standards: W3C Web Annotations and Popolo (api/views/standards.py).
    path("documents/<int:pk>/annotations/", standards.DocumentAnnotationsView.as_view(), name="document-annotations"),
    path("exports/popolo/", standards.PopoloExportView.as_view(), name="export-popolo"),
    # Streaming exports of every visible claim (api/views/exports.py).
    path("exports/claims.jsonl", exports.ClaimJSONLinesExportView.as_view(), name="export-claims-jsonl"),
    path("exports/claims.csv", exports.ClaimCSVExportView.as_view(), name="export-claims-csv"),
    # Bulk import of JSON Lines, for curators (api/views/imports.py).
    path("imports/", imports.ImportView.as_view(), name="imports"),
    # The W3C Reconciliation API 0.2, for OpenRefine (api/views/reconcile.py).
    path("reconcile/", reconcile.ReconcileView.as_view(), name="reconcile"),
    path("reconcile/suggest/entity/", reconcile.SuggestEntityView.as_view(), name="reconcile-suggest-entity"),
    path("reconcile/suggest/type/", reconcile.SuggestTypeView.as_view(), name="reconcile-suggest-type"),
    path("reconcile/suggest/property/", reconcile.SuggestPropertyView.as_view(), name="reconcile-suggest-property"),
    path("reconcile/preview/", reconcile.PreviewView.as_view(), name="reconcile-preview"),
]
