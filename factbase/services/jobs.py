"""Jobs: long work run by a Celery worker, or in-process when no broker is configured.

- `job_start(kind=…, by=user, parameters=…, payload=…)` records a queued `Job` and hands it
  on: with CELERY_BROKER_URL, to the broker once the transaction that created it commits
  (factbase/tasks.py's `run_job` task runs it in a worker); without, it runs at once, in the
  caller's process and request (synchronous, so that a fresh machine needs no broker and the
  answer is deterministic: the job is already finished when the request answers).
- `job_run(job_id=…)` is the runner, the same in both modes. It marks the job running,
  calls the kind's `run(job, progress)`, and records `succeeded` with its result, or `failed`
  with the error (a job never stays `running` because its work raised). A message delivered
  again (Celery's acks_late: the worker was lost mid-job) runs a queued or running job again
  from the start, every kind being idempotent; a finished job is left alone.
- `progress(done, total)` records how far a job is, written at most every
  FACTBASE_JOB_PROGRESS_SECONDS (0.5 s), and always when done reaches total. Writes made
  inside a service's transaction are seen when it commits. A job cancelled meanwhile
  (`job_cancel`) stops at its next progress write.

Kinds register with `@job_kind(JobKind.…)`: a function `run(job, progress) -> dict` (the
result, JSON, kept bounded: counts and the first items, never every row). Bulk imports
(factbase/services/imports.py) register theirs the same way; see `run_import` below.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from factbase.enums import JobKind, JobStatus
from factbase.models import Claim, Document, Job
from factbase.services.errors import Conflict, QueueUnavailable

logger = logging.getLogger(__name__)

ERROR_LIMIT = 2_000  # characters of an error kept on the job
RESULT_ITEMS = 20  # items of a list a job's result shows (the busiest documents…)

KINDS: dict[str, Callable[[Job, Progress], dict]] = {}


def job_kind(kind: str):
    """Register `run(job, progress) -> dict` as what a job of `kind` does."""

    def register(run):
        KINDS[kind] = run
        return run

    return register


class JobCancelled(Exception):
    """The job was cancelled while it ran: its work stops at the next progress write."""


class Progress:
    """`progress(done, total=None)`: how far the job is, written to its row at most every
    `interval` seconds (and whenever the total changes or done reaches it)."""

    def __init__(self, job: Job, *, interval: float | None = None):
        self.job_id = job.pk
        self.interval = settings.FACTBASE_JOB_PROGRESS_SECONDS if interval is None else interval
        self.done = 0
        self.total: int | None = None
        self.written_at: float | None = None
        self.writes = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        changed_total = total is not None and total != self.total
        if total is not None:
            self.total = total
        self.done = min(done, self.total) if self.total is not None else done
        now = time.monotonic()
        if (
            changed_total
            or self.written_at is None
            or now - self.written_at >= self.interval
            or (self.total is not None and self.done >= self.total)
        ):
            self.write(now)

    def write(self, now: float | None = None) -> None:
        self.written_at = time.monotonic() if now is None else now
        self.writes += 1
        updated = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
            progress_done=self.done, progress_total=self.total, updated=timezone.now()
        )
        if not updated:
            raise JobCancelled(f"Job #{self.job_id} is no longer running.")


def _broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


@transaction.atomic
def _job_create(*, kind: str, by, parameters: dict, payload: dict) -> Job:
    if kind not in KINDS:
        raise ValidationError({"kind": f"No job kind {kind!r}; known: {', '.join(sorted(KINDS))}."})
    job = Job(
        kind=kind,
        owner=by if getattr(by, "is_authenticated", False) else None,
        parameters=parameters,
        payload=payload,
    )
    job.full_clean()
    job.save()
    return job


def job_start(*, kind: str, by=None, parameters: dict | None = None, payload: dict | None = None) -> Job:
    """Record a job and have it run: by a worker when a broker is configured, else now, in
    this process. Answers the job as it stands (in-process: finished). Raises
    QueueUnavailable, with the job recorded as failed, when the broker cannot take it."""
    job = _job_create(kind=kind, by=by, parameters=parameters or {}, payload=payload or {})
    if not _broker_configured():
        job_run(job_id=job.pk)
    elif connection.in_atomic_block:
        # The worker must find the row: send once the caller's transaction has committed.
        transaction.on_commit(lambda: _send(job.pk))
    else:
        _send(job.pk)
    return Job.objects.for_api().get(pk=job.pk)


def _send(job_id: int) -> None:
    from factbase.tasks import run_job

    try:
        run_job.apply_async(
            args=[job_id],
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        )
    except Exception as exc:  # noqa: BLE001 - any transport's failure: recorded, then reported as 503
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=_error_text(exc, prefix="The queue could not take the job: "),
            finished=timezone.now(),
        )
        raise QueueUnavailable(f"The job queue is unavailable ({type(exc).__name__}); job #{job_id} failed.") from exc


def _error_text(exc: BaseException, *, prefix: str = "") -> str:
    if isinstance(exc, ValidationError):
        message = " ".join(exc.messages)
    else:
        message = f"{type(exc).__name__}: {exc}".strip()
    return (prefix + message)[:ERROR_LIMIT]


def job_run(*, job_id: int) -> Job | None:
    """Run job `job_id` (see the module docstring). Answers the finished job, or None when
    there was nothing to run (no such job, or it had finished: a message delivered twice)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=JobStatus.RUNNING,
        started=now,
        attempts=F("attempts") + 1,
        progress_done=0,
        updated=now,
    )
    if not claimed:
        logger.info("Job #%s: nothing to run (missing or finished).", job_id)
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    progress = Progress(job)
    try:
        run = KINDS.get(job.kind)
        if run is None:
            raise ValidationError(f"No job kind {job.kind!r} in this process (known: {', '.join(sorted(KINDS))}).")
        if connection.in_atomic_block:
            # Run inside the caller's transaction (in-process, within a request or a test):
            # a savepoint, so that a failure rolls the work back and the failure can still
            # be recorded.
            with transaction.atomic():
                result, cancelled = _call(run, job, progress)
        else:
            result, cancelled = _call(run, job, progress)
    except Exception as exc:
        logger.exception("Job #%s (%s) failed.", job_id, job.kind)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=_error_text(exc), finished=timezone.now(), updated=timezone.now()
        )
        return Job.objects.get(pk=job_id)
    if cancelled:
        logger.info("Job #%s was cancelled while it ran.", job_id)
        return Job.objects.get(pk=job_id)
    try:
        json.dumps(result)
    except (TypeError, ValueError) as exc:  # a result that is not JSON: the work is done, its record is not
        logger.exception("Job #%s (%s): its result could not be stored.", job_id, job.kind)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error=_error_text(exc, prefix="The job's work is done, but its result could not be stored: "),
            finished=timezone.now(),
            updated=timezone.now(),
        )
        return Job.objects.get(pk=job_id)
    done = progress.total if progress.total is not None else progress.done
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED,
        result=result,
        progress_done=done,
        progress_total=done if progress.total is None else progress.total,
        finished=timezone.now(),
        updated=timezone.now(),
    )
    return Job.objects.get(pk=job_id)


def _call(run, job: Job, progress: Progress) -> tuple[dict | None, bool]:
    """(result, cancelled): a cancelled job keeps what it did until it noticed, as a worker's
    committed work would be kept."""
    try:
        return run(job, progress), False
    except JobCancelled:
        return None, True


@transaction.atomic
def job_cancel(*, job: Job, by=None) -> Job:
    """Cancel a queued or running job (a running one stops at its next progress write;
    what it already committed stays). A finished job cannot be cancelled (Conflict)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.is_finished:
        raise Conflict(
            {"status": f"Job #{job.pk} has already {job.status}; only a queued or running job is cancelled."}
        )
    job.status = JobStatus.CANCELLED
    job.finished = timezone.now()
    job.error = f"Cancelled by {by}." if getattr(by, "is_authenticated", False) else "Cancelled."
    job.save(update_fields=["status", "finished", "error", "updated"])
    return job


# ---------------------------------------------------------------- the kinds


@job_kind(JobKind.SUGGESTION_SCAN)
def run_suggestion_scan(job: Job, progress: Progress) -> dict:
    """parameters: {"documents": [ids]} (absent: every document)."""
    from factbase.services.suggestions import suggestions_scan

    return suggestions_scan(document_ids=job.parameters.get("documents"), progress=progress)


@job_kind(JobKind.INDEX_REBUILD)
def run_index_rebuild(job: Job, progress: Progress) -> dict:
    """`manage.py indexes rebuild`, one index per transaction; the result is the check after."""
    from factbase import indexes

    progress(0, len(indexes.ALL))
    for done, index in enumerate(indexes.ALL, start=1):
        with transaction.atomic():
            index.restore(connection, force=True)
        progress(done)
    missing = indexes.check(connection)
    return {"indexes": [index.name for index in indexes.ALL], "missing": {k: v for k, v in missing.items() if v}}


@job_kind(JobKind.FACT_REGROUP)
def run_fact_regroup(job: Job, progress: Progress) -> dict:
    """`manage.py regroup_facts [--all]`: parameters {"all": bool}."""
    from dataclasses import asdict

    from factbase.services.facts import facts_regroup

    every = bool(job.parameters.get("all", False))
    pending = Claim.objects.filter(fact_pinned=False)
    if not every:
        pending = pending.filter(fact__isnull=True)
    total = pending.count()
    progress(0, total)
    done = facts_regroup(every=every, progress=lambda regrouped: progress(regrouped.claims))
    return asdict(done)


@job_kind(JobKind.REANCHOR)
def run_reanchor(job: Job, progress: Progress) -> dict:
    """A revision of a document with many anchors (POST documents/{id}/revise/):
    parameters {"document", "title"}, payload {"text"}. First where every anchor goes
    (`revision_plan`, no transaction: its progress is seen as it goes), then the revision in
    one transaction (its progress is seen when it commits): the total counts each anchor
    twice. Run again after a lost worker, it finds the revision it made and answers it."""
    from factbase.models import text_sha256
    from factbase.services.reanchor import anchors_of, document_revise, document_revise_check, revision_plan

    document = Document.objects.get(pk=job.parameters["document"])
    text = job.payload["text"]
    made = document.revisions.filter(sha256=text_sha256(text)).order_by("id").first()
    if made is not None:
        return {
            "previous": document.pk,
            "document": made.pk,
            "counts": None,
            "needs_review": [],
            "needs_review_count": None,
        }
    document_revise_check(document=document, text=text)  # refused now rather than after the plan
    anchors = anchors_of(document)
    progress(0, 2 * anchors)
    plan = revision_plan(document=document, text=text, progress=progress)
    located = len(plan)
    report = document_revise(
        document=document,
        text=text,
        title=job.parameters.get("title", ""),
        by=job.owner,
        progress=lambda done: progress(located + done),
        plan=plan,
    )
    flagged = report.needs_review()
    return {
        "previous": report.previous.pk,
        "document": report.document.pk,
        "counts": report.counts(),
        "needs_review_count": len(flagged),
        # The first of them; every anchor's status is on the documents (GET documents/{id}/).
        "needs_review": [
            {"kind": o.kind, "id": o.id, "exact": o.exact[:200], "note": o.note} for o in flagged[:RESULT_ITEMS]
        ],
    }


@job_kind(JobKind.IMPORT)
def run_import(job: Job, progress: Progress) -> dict:
    """A bulk import (POST imports/ with more than FACTBASE_IMPORT_INLINE_MAX lines): payload
    {"lines": [...]}, parameters {"dry_run", "on_error"}. The result is the import's report
    (docs/api.md "Imports"), its errors cut to the first RESULT_ITEMS with `errors_total`. An
    all-or-nothing import with refused lines still succeeds as a job: its report says
    `written: false`."""
    from factbase.services.imports import import_lines

    report = import_lines(
        job.payload.get("lines", []),
        dry_run=bool(job.parameters.get("dry_run", False)),
        on_error=job.parameters.get("on_error", "abort"),
        by=job.owner,
        progress=progress,
    ).as_dict()
    # Bounded: a file of refused lines could name thousands.
    report["errors_total"] = len(report["errors"])
    report["errors"] = report["errors"][:RESULT_ITEMS]
    return report
