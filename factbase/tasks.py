"""Celery tasks (found by factbase/celery.py's autodiscovery). One task runs any job: the
Job row holds what to do, and factbase/services/jobs.py's runner does it, as in-process."""

from __future__ import annotations

from factbase.celery import app
from factbase.services.jobs import job_run


@app.task(name="factbase.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> None:
    job_run(job_id=job_id)
