"""The jobs' admin screens: the read-only list and page, and a large revision made by a job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factbase.models import Document, Job, SourceSpan
from tests.factories import ClaimFactory, DocumentFactory, JobFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

TEXT = "Sergei Lavrov visited Indonesia and Laos. He met the leaders. Lavrov said yes."


@pytest.mark.parametrize("jobs", [1, 3])
def test_the_job_list_costs_the_same_whatever_its_length(curator_admin, curator, django_assert_num_queries, jobs):
    for _ in range(jobs):
        JobFactory(owner=curator, succeeded=True)
    url = reverse("admin:factbase_job_changelist")
    curator_admin.get(url)  # the session and the permissions, once
    # Session, user, the user's and the groups' permissions, the capped count, the page with
    # its owners (the sidebar's filters are the kinds' and statuses' choices: no query).
    with django_assert_num_queries(6):
        response = curator_admin.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == jobs


def test_a_jobs_page_shows_what_it_was_asked_and_what_it_did(curator_admin, curator):
    job = JobFactory(owner=curator, succeeded=True, parameters={"documents": [7]}, result={"documents": 1})
    page = curator_admin.get(reverse("admin:factbase_job_change", args=[job.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "&quot;documents&quot;: [\n    7\n  ]" in content
    assert "3 of 3" in content
    assert b'name="_save"' not in page.content  # read only


def test_a_revision_with_many_anchors_is_made_by_a_job(curator_admin, settings):
    settings.FACTBASE_REANCHOR_INLINE_MAX = 1
    document = DocumentFactory(text=TEXT)
    for quote in ("Laos", "said yes"):
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=quote)
    url = reverse("admin:factbase_document_revise", args=[document.pk])
    response = curator_admin.post(url, {"title": "", "text": "New. " + TEXT})
    job = Job.objects.get()
    revision = Document.objects.get(revision_of=document)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:factbase_job_change", args=[job.pk])
    assert (job.kind, job.status, job.result["document"]) == ("reanchor", "succeeded", revision.pk)
    assert set(SourceSpan.objects.values_list("document", flat=True)) == {revision.pk}
    refused = curator_admin.post(url, {"title": "", "text": "Newer. " + TEXT})
    assert refused.status_code == 200
    assert Job.objects.count() == 1
