"""The jobs endpoints (in-process: no broker, so a job has finished when its POST answers):
who sees which job, the shapes, starting each kind, and revisions large enough for a job."""

from __future__ import annotations

import socket

import pytest
from rest_framework.test import APIClient

from factbase.enums import JobKind, JobStatus
from factbase.models import Document, Job, SourceSpan
from tests.factories import ClaimFactory, DocumentFactory, JobFactory, PersonFactory, SourceSpanFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def administrator_client(administrator):
    return client_for(administrator)


def shown(job: Job) -> dict:
    """What GET jobs/{id}/ answers for `job`."""

    def when(value):
        return value.isoformat().replace("+00:00", "Z") if value else None

    return {
        "id": job.pk,
        "url": f"http://testserver/api/v1/jobs/{job.pk}/",
        "kind": job.kind,
        "status": job.status,
        "owner": job.owner.username if job.owner else None,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "parameters": job.parameters,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "created": when(job.created),
        "started": when(job.started),
        "finished": when(job.finished),
        "updated": when(job.updated),
    }


# ---------------------------------------------------------------- starting a job


def test_a_suggestion_scan_answers_202_with_the_job_and_where_it_is(curator_client, curator):
    PersonFactory(name="Sergei Lavrov")
    document = DocumentFactory(text="Sergei Lavrov arrived.")
    response = curator_client.post("/api/v1/jobs/suggestion-scans/", {"documents": [document.pk]})
    assert response.status_code == 202, response.json()
    job = Job.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/jobs/{job.pk}/"
    assert response.json() == shown(job)
    assert (job.kind, job.owner, job.status, job.parameters) == (
        "suggestion_scan",
        curator,
        "succeeded",
        {"documents": [document.pk]},
    )
    assert job.result["busiest"] == [{"document": document.pk, "suggestions": 1}]
    assert curator_client.get(response["Location"]).json() == response.json()


def test_a_scan_of_every_document_takes_no_body(curator_client):
    DocumentFactory.create_batch(2)
    response = curator_client.post("/api/v1/jobs/suggestion-scans/", {})
    assert (response.status_code, response.json()["parameters"], response.json()["progress"]) == (
        202,
        {},
        {"done": 2, "total": 2},
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"documents": [10**9]}, {"documents": [f"No document has id {10**9}."]}),
        ({"documents": []}, {"documents": ["This list may not be empty."]}),
        ({"documents": "1"}, {"documents": ['Expected a list of items but got type "str".']}),
        ({"documents": ["1"]}, {"documents": {"0": ["A valid integer is required."]}}),
    ],
)
def test_a_scan_of_documents_that_are_not_there_is_refused(curator_client, body, errors):
    response = curator_client.post("/api/v1/jobs/suggestion-scans/", body)
    assert (response.status_code, response.json()) == (400, errors)
    assert not Job.objects.exists()


def test_maintenance_jobs_are_for_staff_administrators(reviewer_client, administrator_client):
    refused = reviewer_client.post("/api/v1/jobs/index-rebuilds/", {})
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Only staff administrators may rebuild indexes and regroup facts."},
    )
    rebuilt = administrator_client.post("/api/v1/jobs/index-rebuilds/", {})
    assert (rebuilt.status_code, rebuilt.json()["kind"], rebuilt.json()["status"]) == (
        202,
        "index_rebuild",
        "succeeded",
    )
    ClaimFactory()
    regrouped = administrator_client.post("/api/v1/jobs/fact-regroups/", {"all": True})
    assert (regrouped.status_code, regrouped.json()["parameters"], regrouped.json()["result"]["claims"]) == (
        202,
        {"all": True},
        1,
    )


def test_anonymous_clients_are_asked_to_sign_in(api_client):
    for response in (
        api_client.get("/api/v1/jobs/"),
        api_client.get(f"/api/v1/jobs/{JobFactory().pk}/"),
        api_client.post("/api/v1/jobs/suggestion-scans/", {}),
    ):
        assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_is_a_503_and_a_failed_job(settings):
    curator = UserFactory(username="curator-503", is_staff=True, groups=["curators"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client_for(curator).post("/api/v1/jobs/suggestion-scans/", {})
    job = Job.objects.get()
    assert (response.status_code, response.json()) == (
        503,
        {"detail": f"The job queue is unavailable (OperationalError); job #{job.pk} failed."},
    )
    assert (job.status, job.owner) == (JobStatus.FAILED, curator)


# ---------------------------------------------------------------- reading jobs


def test_a_job_is_its_owners_and_the_staff_administrators(curator_client, curator, reviewer_client, administrator):
    job = JobFactory(owner=curator, succeeded=True)
    assert curator_client.get(f"/api/v1/jobs/{job.pk}/").json() == shown(job)
    assert reviewer_client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert client_for(administrator).get(f"/api/v1/jobs/{job.pk}/").json() == shown(job)
    assert reviewer_client.get("/api/v1/jobs/").json()["results"] == []


def test_the_list_is_the_callers_jobs_newest_first_in_pages(curator_client, curator, reviewer):
    mine = [JobFactory(owner=curator) for _ in range(3)]
    JobFactory(owner=reviewer)
    body = curator_client.get("/api/v1/jobs/?page_size=2").json()
    assert body == {
        "count": 3,
        "next": "http://testserver/api/v1/jobs/?page=2&page_size=2",
        "previous": None,
        "results": [shown(mine[2]), shown(mine[1])],
    }
    filtered = curator_client.get(f"/api/v1/jobs/?status=succeeded&kind={JobKind.SUGGESTION_SCAN}").json()
    assert filtered["results"] == []
    assert curator_client.get("/api/v1/jobs/?status=nonsense").status_code == 400


@pytest.mark.parametrize("jobs", [1, 3])
def test_the_list_costs_the_same_whatever_its_length(curator_client, curator, django_assert_num_queries, jobs):
    for _ in range(jobs):
        JobFactory(owner=curator, succeeded=True)
    # The caller's permissions (their own and their groups'), then the page with its owners
    # (a first page that holds every row is its own count).
    with django_assert_num_queries(3):
        assert len(curator_client.get("/api/v1/jobs/").json()["results"]) == jobs


def test_cancelling(curator_client, curator):
    queued = JobFactory(owner=curator)
    response = curator_client.post(f"/api/v1/jobs/{queued.pk}/cancel/")
    queued.refresh_from_db()
    assert (response.status_code, response.json()) == (200, shown(queued))
    assert queued.status == JobStatus.CANCELLED
    again = curator_client.post(f"/api/v1/jobs/{queued.pk}/cancel/")
    assert (again.status_code, again.json()) == (
        409,
        {"detail": f"Job #{queued.pk} has already cancelled; only a queued or running job is cancelled."},
    )
    others = JobFactory(owner=UserFactory())
    assert curator_client.post(f"/api/v1/jobs/{others.pk}/cancel/").status_code == 404


# ---------------------------------------------------------------- revisions


TEXT = "Sergei Lavrov visited Indonesia and Laos. He met the leaders. Lavrov said yes."


@pytest.fixture
def spanned():
    document = DocumentFactory(text=TEXT)
    for quote in ("Laos", "said yes"):
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=quote)
    return document


def test_a_revision_with_few_anchors_is_answered_in_the_request(curator_client, spanned, settings):
    settings.FACTBASE_REANCHOR_INLINE_MAX = 2
    response = curator_client.post(f"/api/v1/documents/{spanned.pk}/revise/", {"text": "New. " + TEXT})
    assert response.status_code == 201
    assert response.json()["counts"] == {"ok": 0, "moved": 2, "needs_review": 0}
    assert not Job.objects.exists()


def test_a_revision_with_many_anchors_is_a_job(curator_client, curator, spanned, settings):
    settings.FACTBASE_REANCHOR_INLINE_MAX = 1
    response = curator_client.post(f"/api/v1/documents/{spanned.pk}/revise/", {"text": "New. " + TEXT, "title": "T"})
    assert response.status_code == 202, response.json()
    job = Job.objects.get()
    revision = Document.objects.get(revision_of=spanned)
    assert response["Location"] == f"http://testserver/api/v1/jobs/{job.pk}/"
    assert response.json() == shown(job)
    assert (job.kind, job.status, job.parameters) == ("reanchor", "succeeded", {"document": spanned.pk, "title": "T"})
    assert job.result == {
        "previous": spanned.pk,
        "document": revision.pk,
        "counts": {"ok": 0, "moved": 2, "needs_review": 0},
        "needs_review_count": 0,
        "needs_review": [],
    }
    assert set(SourceSpan.objects.values_list("document", flat=True)) == {revision.pk}
    assert revision.title == "T"


def test_a_large_revision_is_refused_at_once_when_it_cannot_be_made(curator_client, spanned, settings):
    settings.FACTBASE_REANCHOR_INLINE_MAX = 1
    same = curator_client.post(f"/api/v1/documents/{spanned.pk}/revise/", {"text": TEXT})
    assert (same.status_code, same.json()) == (
        400,
        {"text": ["The new text is identical to the current one; there is nothing to revise."]},
    )
    assert curator_client.post(f"/api/v1/documents/{spanned.pk}/revise/", {"text": "New. " + TEXT}).status_code == 202
    newer = curator_client.post(f"/api/v1/documents/{spanned.pk}/revise/", {"text": "Newer. " + TEXT})
    assert newer.status_code == 409
    assert Job.objects.count() == 1
