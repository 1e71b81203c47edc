"""Jobs: long work run by a worker (or in-process without a broker; factbase/services/jobs.py).

- `GET jobs/` lists the caller's own jobs, newest first (staff administrators: everyone's);
  `GET jobs/{id}/` is one job's status and progress, 404 for another's;
  `POST jobs/{id}/cancel/` cancels a queued or running one.
- `POST jobs/suggestion-scans/`, `jobs/index-rebuilds/` and `jobs/fact-regroups/` start a
  job and answer 202 with it and its `Location`; `POST documents/{id}/revise/` answers so
  for a document with many anchors (api/views/curation.py).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.filters import JobFilterSet
from api.parsers import FactbaseJSONParser
from api.projections.jobs import JobSerializer
from api.serializers import jobs as s
from api.views.base import FactbaseViewSet
from factbase.enums import JobKind
from factbase.models import Job
from factbase.services.errors import QueueUnavailable
from factbase.services.jobs import job_cancel, job_start


class JobQueueUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The job queue is unavailable. Please retry shortly."
    default_code = "queue_unavailable"


def accepted(request, job: Job) -> Response:
    """202 with the job as GET jobs/{id}/ answers it, and where to poll."""
    location = reverse("job-detail", args=[job.pk], request=request)
    body = JobSerializer(job, context={"request": request}).data
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


def start(request, **kwargs) -> Response:
    try:
        job = job_start(by=request.user, **kwargs)
    except QueueUnavailable as exc:
        raise JobQueueUnavailable(str(exc)) from exc
    return accepted(request, job)


@extend_schema_view(
    list=extend_schema(
        summary="List your jobs",
        description="The jobs you started, newest first (staff administrators: everyone's), with their status and "
        "progress.",
    ),
    retrieve=extend_schema(
        summary="One job's status and progress",
        description="Poll it until `status` is `succeeded`, `failed` or `cancelled`. Another user's job is a 404.",
    ),
)
class JobViewSet(FactbaseViewSet):
    """Jobs: their status, progress and result."""

    permission_model = "factbase.job"
    serializer_class = JobSerializer
    filterset_class = JobFilterSet

    def get_queryset(self):
        return Job.objects.for_api().visible_to(self.request.user)

    @extend_schema(
        summary="Cancel a job",
        description="A queued job never runs; a running one stops at its next progress write (what it already "
        "committed stays). 409 when the job has finished.",
        request=None,
        responses=JobSerializer,
    )
    @action(detail=True, methods=["post"], permission_action="cancel")
    def cancel(self, request, pk=None):
        return self.represent(job_cancel(job=self.get_object(), by=request.user))


class _StartJobView(APIView):
    parser_classes = [FactbaseJSONParser]
    response_serializer = JobSerializer
    body_serializer = None

    def body(self, request) -> dict:
        serializer = self.body_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class SuggestionScanView(_StartJobView):
    permission_model, permission_action = "factbase.mention", "suggest"
    body_serializer = s.SuggestionScanSerializer

    @extend_schema(
        summary="Scan documents for mention suggestions",
        description="Counts the suggested mentions (GET documents/{id}/suggestions/) of the given documents, or of "
        "every document, as a job. Its result: the totals and the documents with the most suggestions. Answers 202 "
        "with the job; poll its `Location`. Curators.",
        request=s.SuggestionScanSerializer,
        responses={202: JobSerializer},
    )
    def post(self, request):
        data = self.body(request)
        parameters = {"documents": data["documents"]} if "documents" in data else {}
        return start(request, kind=JobKind.SUGGESTION_SCAN, parameters=parameters)


class IndexRebuildView(_StartJobView):
    permission_model, permission_action = "factbase.job", "maintain"
    body_serializer = s.IndexRebuildSerializer

    @extend_schema(
        summary="Rebuild the search and date indexes",
        description="Puts back missing triggers and refills every full-text and date index, one index per "
        "transaction, as a job. Answers 202 with the job. Staff administrators.",
        request=s.IndexRebuildSerializer,
        responses={202: JobSerializer},
    )
    def post(self, request):
        self.body(request)
        return start(request, kind=JobKind.INDEX_REBUILD)


class FactRegroupView(_StartJobView):
    permission_model, permission_action = "factbase.job", "maintain"
    body_serializer = s.FactRegroupSerializer

    @extend_schema(
        summary="Group claims into facts",
        description="Puts the claims in no fact (with `all`: every claim not pinned by a curator) in the fact of "
        "the claims that state the same, as grouping on write would, as a job. Answers 202 with the job. Staff "
        "administrators.",
        request=s.FactRegroupSerializer,
        responses={202: JobSerializer},
    )
    def post(self, request):
        data = self.body(request)
        return start(request, kind=JobKind.FACT_REGROUP, parameters={"all": data["all"]})
