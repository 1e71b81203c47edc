"""The job runner and each kind of job, in-process (no broker: the default)."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.enums import JobKind, JobStatus
from factbase.models import Claim, Document, Job, SourceSpan
from factbase.services import jobs
from factbase.services.errors import Conflict, QueueUnavailable
from factbase.services.jobs import job_cancel, job_run, job_start
from tests.factories import ClaimFactory, DocumentFactory, JobFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(monkeypatch):
    """`kind(run)`: `run(job, progress)` is what a job does (standing in for the import
    kind's work, for this test only); answers the kind to start."""

    def register(run):
        monkeypatch.setitem(jobs.KINDS, JobKind.IMPORT, run)
        return JobKind.IMPORT

    return register


def job_updates(queries) -> int:
    return sum(q["sql"].startswith("UPDATE") and "factbase_job" in q["sql"] for q in queries.captured_queries)


# ---------------------------------------------------------------- suggestion scans


@pytest.fixture
def scanned():
    PersonFactory(name="Sergei Lavrov")
    return [
        DocumentFactory(text="Nothing to see here."),
        DocumentFactory(text="Sergei Lavrov arrived."),
        DocumentFactory(text="Sergei Lavrov met Sergei Lavrov's deputy."),
    ]


def test_suggestion_scan_counts_each_documents_suggestions(scanned, curator):
    job = job_start(kind=JobKind.SUGGESTION_SCAN, by=curator)
    none, one, two = scanned
    assert (job.status, job.owner, job.progress_done, job.progress_total, job.error) == (
        JobStatus.SUCCEEDED,
        curator,
        3,
        3,
        "",
    )
    assert job.result == {
        "documents": 3,
        "suggestions": 3,
        "documents_with_suggestions": 2,
        "busiest": [{"document": two.pk, "suggestions": 2}, {"document": one.pk, "suggestions": 1}],
        "missing": [],
    }
    assert job.started is not None and job.finished >= job.started and job.attempts == 1


def test_suggestion_scan_of_chosen_documents(scanned, curator):
    _, one, _ = scanned
    job = job_start(kind=JobKind.SUGGESTION_SCAN, by=curator, parameters={"documents": [one.pk, 10**9]})
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert job.result["busiest"] == [{"document": one.pk, "suggestions": 1}]
    assert job.result["missing"] == [10**9]


# ---------------------------------------------------------------- progress


def test_progress_writes_are_throttled(scanned, curator, settings):
    for n in range(5):
        DocumentFactory(text=f"Sergei Lavrov again ({n}).")
    settings.FACTBASE_JOB_PROGRESS_SECONDS = 3600
    with CaptureQueriesContext(connection) as throttled:
        job_start(kind=JobKind.SUGGESTION_SCAN, by=curator)
    settings.FACTBASE_JOB_PROGRESS_SECONDS = 0
    with CaptureQueriesContext(connection) as every:
        job = job_start(kind=JobKind.SUGGESTION_SCAN, by=curator)
    assert (job.progress_done, job.progress_total) == (8, 8)
    # Started, the total counted, the last document, finished; unthrottled: every document too.
    assert (job_updates(throttled), job_updates(every)) == (4, 11)


def test_progress_is_on_the_row_while_the_job_runs(kind, curator, settings):
    settings.FACTBASE_JOB_PROGRESS_SECONDS = 0
    seen = []

    def run(job, progress):
        for done in range(4):
            progress(done, 3)
            row = Job.objects.get(pk=job.pk)
            seen.append((row.status, row.progress_done, row.progress_total))
        return {"ok": True}

    job = job_start(kind=kind(run), by=curator)
    assert seen == [("running", 0, 3), ("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    assert (job.status, job.progress_done, job.progress_total, job.result) == ("succeeded", 3, 3, {"ok": True})


def test_a_job_that_never_counts_ends_with_what_it_did(kind, curator):
    def run(job, progress):
        progress(7)
        return {}

    job = job_start(kind=kind(run), by=curator)
    assert (job.progress_done, job.progress_total) == (7, 7)


# ---------------------------------------------------------------- failures


def test_a_failing_job_is_recorded_failed_and_its_writes_rolled_back(kind, curator):
    def run(job, progress):
        DocumentFactory(title="Half-way")
        raise RuntimeError("the disk is full")

    job = job_start(kind=kind(run), by=curator)
    assert (job.status, job.error, job.result) == (JobStatus.FAILED, "RuntimeError: the disk is full", None)
    assert job.finished is not None
    assert not Document.objects.filter(title="Half-way").exists()


def test_a_refused_job_keeps_the_services_message(kind, curator):
    def run(job, progress):
        raise ValidationError({"text": "The new text is identical to the current one."})

    assert job_start(kind=kind(run), by=curator).error == "The new text is identical to the current one."


def test_a_result_that_is_not_json_fails_the_job_rather_than_leaving_it_running(kind, curator):
    import datetime

    job = job_start(kind=kind(lambda job, progress: {"when": datetime.date(2021, 7, 6)}), by=curator)
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "The job's work is done, but its result could not be stored: "
        "TypeError: Object of type date is not JSON serializable"
    )


def test_an_unknown_kind_is_refused_before_anything_is_recorded(curator):
    with pytest.raises(ValidationError):
        job_start(kind="no-such-kind", by=curator)
    assert not Job.objects.exists()


def test_a_job_whose_kind_this_process_lacks_fails_saying_so():
    job = JobFactory(kind="import")
    job.kind = "retired"
    Job.objects.filter(pk=job.pk).update(kind="retired")
    assert job_run(job_id=job.pk).error.startswith("No job kind 'retired' in this process")


# ---------------------------------------------------------------- redelivery and cancelling


def test_a_finished_job_delivered_again_is_not_run_again(kind, curator):
    calls = []
    job = job_start(kind=kind(lambda job, progress: calls.append(job.pk) or {}), by=curator)
    assert job_run(job_id=job.pk) is None
    assert job_run(job_id=10**9) is None
    assert calls == [job.pk]


def test_a_running_job_delivered_again_runs_again_from_the_start(kind):
    """The worker was lost mid-job (acks_late): the message comes back and the job reruns."""
    calls = []
    job = JobFactory(kind=kind(lambda job, progress: calls.append(job.pk) or {"again": True}))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, progress_done=5)
    job = job_run(job_id=job.pk)
    assert (job.status, job.attempts, job.result, calls) == (JobStatus.SUCCEEDED, 2, {"again": True}, [job.pk])


def test_a_cancelled_job_never_runs(kind, curator):
    calls = []
    job = JobFactory(kind=kind(lambda job, progress: calls.append(1) or {}))
    job_cancel(job=job, by=curator)
    assert job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.error, calls) == (JobStatus.CANCELLED, f"Cancelled by {curator}.", [])


def test_a_running_job_stops_at_its_next_progress_write_when_cancelled(kind, curator, settings):
    settings.FACTBASE_JOB_PROGRESS_SECONDS = 0
    done = []

    def run(job, progress):
        for n in range(1, 4):
            progress(n, 3)
            done.append(n)
            if n == 1:
                job_cancel(job=job, by=curator)
        return {}

    job = job_start(kind=kind(run), by=curator)
    assert (job.status, job.progress_done, done) == (JobStatus.CANCELLED, 1, [1])


def test_a_finished_job_cannot_be_cancelled(curator):
    job = JobFactory(succeeded=True)
    with pytest.raises(Conflict):
        job_cancel(job=job, by=curator)


# ---------------------------------------------------------------- the broker


def test_a_broker_that_cannot_take_the_job_fails_it(kind, curator, settings, django_capture_on_commit_callbacks):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    with pytest.raises(QueueUnavailable), django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind=kind(lambda job, progress: {}), by=curator)
        assert job.status == JobStatus.QUEUED  # handed on only when the transaction commits
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The queue could not take the job: OperationalError")


# ---------------------------------------------------------------- the other kinds


def test_index_rebuild_puts_back_what_was_missing(curator):
    # The first index whose suspension shows (on PostgreSQL, the entity names' GIN indexes
    # have no triggers to drop).
    for index in indexes.ALL:
        index.suspend(connection)
        if indexes.check(connection)[index.name]:
            break
    assert indexes.check(connection)[index.name]
    job = job_start(kind=JobKind.INDEX_REBUILD, by=curator)
    assert (job.status, job.progress_done, job.progress_total) == ("succeeded", len(indexes.ALL), len(indexes.ALL))
    assert job.result == {"indexes": [index.name for index in indexes.ALL], "missing": {}}
    assert not any(indexes.check(connection).values())


def test_fact_regroup_groups_the_claims_in_no_fact(curator):
    claims = [ClaimFactory(), ClaimFactory()]
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(fact=None)
    job = job_start(kind=JobKind.FACT_REGROUP, by=curator)
    assert (job.status, job.progress_done, job.progress_total) == ("succeeded", 2, 2)
    assert job.result["claims"] == 2 and job.result["moved"] == 2
    assert not Claim.objects.filter(pk__in=[c.pk for c in claims], fact__isnull=True).exists()


TEXT = "Sergei Lavrov visited Indonesia and Laos. He met the leaders. Lavrov said yes."


def test_reanchor_job_revises_and_is_idempotent(curator):
    document = DocumentFactory(text=TEXT)
    spans = [SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=q) for q in ("Laos", "said yes")]
    new_text = "UPDATED. " + TEXT.replace("He met the leaders", "He met nobody")
    job = job_start(
        kind=JobKind.REANCHOR,
        by=curator,
        parameters={"document": document.pk, "title": ""},
        payload={"text": new_text},
    )
    revision = document.revisions.get()
    assert job.status == "succeeded", job.error
    assert (job.progress_done, job.progress_total) == (4, 4)  # each anchor located, then moved
    assert job.result == {
        "previous": document.pk,
        "document": revision.pk,
        "counts": {"ok": 0, "moved": 2, "needs_review": 0},
        "needs_review_count": 0,
        "needs_review": [],
    }
    assert set(SourceSpan.objects.filter(pk__in=[s.pk for s in spans]).values_list("document", flat=True)) == {
        revision.pk
    }
    # Delivered again after a lost worker: the revision is found, not made twice.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    again = job_run(job_id=job.pk)
    assert (again.status, again.result["document"], document.revisions.count()) == ("succeeded", revision.pk, 1)
