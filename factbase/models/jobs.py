"""Jobs: long work (scans, rebuilds, re-anchoring, imports) run by a Celery worker, or
in-process when no broker is configured (factbase/services/jobs.py). The row is the source
of truth for a job's status and progress: there is no Celery result backend."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from factbase.enums import JobKind, JobStatus
from factbase.models.base import ChecksInPython
from factbase.permissions import allows, workflow_permissions

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """A user's own jobs; every job for those who may `view_all` (staff administrators)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if allows(user, "view_all", Job):
            return self
        return self.filter(owner=user)

    def for_api(self) -> JobQuerySet:
        # The owner's name is in every representation; the payload (a revision's text, an
        # import's lines) is in none.
        return self.select_related("owner").defer("payload")

    def for_admin_changelist(self) -> JobQuerySet:
        return self.for_api()

    def depth(self) -> dict[tuple[str, str], int]:
        """{(kind, status): jobs} of the queued and running jobs: one GROUP BY on the status
        index, which holds only what is waiting or running, never the finished history."""
        rows = self.filter(status__in=ACTIVE).order_by().values_list("kind", "status").annotate(n=Count("id"))
        return {(kind, status): n for kind, status, n in rows}


class Job(ChecksInPython):
    """One run of long work, with who asked, its parameters, progress, result or error."""

    kind = models.CharField(max_length=32, choices=JobKind.choices, help_text="What the job does.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        help_text="Who started it (empty for a job started by a command, or whose account was deleted).",
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0, help_text="Items done so far.")
    progress_total = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Items to do, once known (empty until the job has counted them)."
    )
    parameters = models.JSONField(default=dict, blank=True, help_text="What the job was asked to do.")
    # Input too large to show in every answer (a revision's text, an import's lines): the
    # job reads it, the API and the admin's lists never do.
    payload = models.JSONField(default=dict, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, help_text="What the job did (when it succeeded).")
    error = models.TextField(blank=True, help_text="Why the job failed.")
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times a worker started it (more than one after a worker was lost and the job redelivered).",
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True, help_text="The last change of status or progress.")

    objects = JobQuerySet.as_manager()

    class Meta:
        permissions = workflow_permissions("factbase.job")
        ordering = ["-created", "-id"]
        indexes = [
            # A caller's list, newest first (GET jobs/), and the queue depth by status.
            models.Index(fields=["owner", "-created", "-id"], name="job_owner_created"),
            models.Index(
                fields=["status", "kind"], name="job_active_status", condition=Q(status__in=["queued", "running"])
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_total__isnull=True) | Q(progress_done__lte=models.F("progress_total")),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
