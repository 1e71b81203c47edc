"""The Celery app: `.venv/bin/celery -A factbase worker` starts a worker. It is configured
from Django's settings, the CELERY_ ones (factbase/settings.py), and finds the tasks in
each app's `tasks` module (factbase/tasks.py). Without CELERY_BROKER_URL nothing sends it
anything: jobs run in-process (factbase/services/jobs.py)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")

app = Celery("factbase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
