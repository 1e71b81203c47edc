"""Jobs through a real broker and a real Celery worker (`celery -A factbase worker`), as in
production: gunicorn takes the POST and hands the job to Redis or RabbitMQ, the worker runs
it, and the client polls GET jobs/{id}/ until it has succeeded, seeing its progress move.

Both processes share a scratch database of their own (a SQLite file, or a scratch PostgreSQL
database when the suite runs on PostgreSQL), migrated and filled once for the module, and a
queue of their own (FACTBASE_JOB_QUEUE), removed afterwards. A broker that is not running
skips its tests, saying so."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bench.load.server import free_port, gunicorn, request, scratch_database, stop_group
from tests.brokers import RABBITMQ_URL, REDIS_URL, require_broker
from tests.reliability.conftest import ROOT, child_env, manage

CELERY = str(Path(sys.executable).with_name("celery"))
DOCUMENTS = 600  # enough that a scan takes many progress writes (2-3 s on this machine)

SEED = f"""
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from factbase.models import Alias, Document, Person, text_sha256
lavrov = Person.objects.create(name="Sergei Lavrov", slug="sergei-lavrov")
Person.objects.create(name="Retno Marsudi", slug="retno-marsudi")
Alias.objects.create(entity=lavrov, name="Lavrov")
texts = [
    ("Sergei Lavrov met Retno Marsudi in Jakarta. " * 20) + f"Lavrov, day {{n}}." for n in range({DOCUMENTS})
]
Document.objects.bulk_create(
    [Document(title=f"Visit {{n}}", text=t, sha256=text_sha256(t)) for n, t in enumerate(texts)], batch_size=500
)
curator = User.objects.create_user("worker-curator", is_staff=True)
curator.groups.add(Group.objects.get(name="curators"))
print(Token.objects.create(user=curator).key)
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """(DATABASE_URL, the curator's token) of a migrated database with DOCUMENTS documents."""
    folder = tmp_path_factory.mktemp("jobs")
    with contextlib.ExitStack() as stack:
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            url = stack.enter_context(scratch_database("factbase_jobs"))
        else:
            url = f"sqlite:///{folder / 'jobs.sqlite3'}"
        env = child_env(folder, DATABASE_URL=url)
        for args in (("migrate", "--noinput", "-v", "0"), ("shell", "-c", SEED)):
            done = manage(*args, env=env, timeout=300)
            assert done.returncode == 0, done.stderr
        yield url, done.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def worker(env: dict, log: Path):
    """`celery -A factbase worker` in its own process group, until the block ends."""
    with open(log, "w") as out:
        process = subprocess.Popen(
            [CELERY, "-A", "factbase", "worker", "--pool", "solo", "--loglevel", "INFO", "-n", f"{uuid.uuid4().hex}@%h"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_group(process)


def delete_queue(broker: str, queue: str) -> None:
    from kombu import Connection

    with Connection(broker, connect_timeout=2) as conn, contextlib.suppress(Exception):
        conn.default_channel.queue_delete(queue)


@pytest.fixture
def served(database, tmp_path):
    """`served(broker)`: gunicorn and a worker on the database and `broker`, with a queue of
    their own; answers (port, token, the worker's environment, its log)."""
    url, token = database

    @contextlib.contextmanager
    def serve(broker: str):
        require_broker(broker)
        queue = f"factbase-tests-{uuid.uuid4().hex[:8]}"
        env = child_env(
            tmp_path,
            DATABASE_URL=url,
            CELERY_BROKER_URL=broker,
            FACTBASE_JOB_QUEUE=queue,
            FACTBASE_JOB_PROGRESS_SECONDS="0.05",
            LOG_LEVEL="WARNING",
        )
        port = free_port()
        try:
            with gunicorn(env, port=port, workers=1, threads=2, log=tmp_path / "gunicorn.log"):
                yield port, token, env, tmp_path / "worker.log"
        finally:
            delete_queue(broker, queue)

    return serve


def poll(port: int, token: str, location: str, *, until: float = 90) -> list[dict]:
    """GET the job every few milliseconds until it has finished; every answer seen."""
    path = location.split(f":{port}", 1)[1]
    seen = []
    deadline = time.monotonic() + until
    while time.monotonic() < deadline:
        status, _, body = request(port, "GET", path, token=token)
        assert status == 200, body
        seen.append(body)
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return seen
        time.sleep(0.02)
    pytest.fail(f"the job did not finish in {until} s: {seen[-1]}")


def start_scan(port: int, token: str) -> tuple[dict, str]:
    status, headers, body = request(port, "POST", "/api/v1/jobs/suggestion-scans/", body={}, token=token)
    assert status == 202, body
    return body, headers["Location"]


def test_a_job_runs_in_a_celery_worker_through_redis(served):
    with served(REDIS_URL) as (port, token, env, log), worker(env, log):
        job, location = start_scan(port, token)
        assert (job["kind"], job["owner"]) == ("suggestion_scan", "worker-curator")
        seen = poll(port, token, location)
    last = seen[-1]
    assert last["status"] == "succeeded", (last, log.read_text()[-3000:])
    assert last["progress"] == {"done": DOCUMENTS, "total": DOCUMENTS}
    assert last["result"]["documents"] == DOCUMENTS
    assert last["result"]["suggestions"] == DOCUMENTS * 41  # 20 × (Sergei Lavrov, Retno Marsudi), and "Lavrov"
    assert last["attempts"] == 1
    moving = [answer["progress"]["done"] for answer in seen if answer["status"] == "running"]
    assert any(0 < done < DOCUMENTS for done in moving), f"no progress seen between 0 and the end: {moving[:20]}"
    assert moving == sorted(moving)


def test_a_job_runs_in_a_celery_worker_through_rabbitmq(served):
    with served(RABBITMQ_URL) as (port, token, env, log), worker(env, log):
        _, location = start_scan(port, token)
        last = poll(port, token, location)[-1]
    assert (last["status"], last["progress"]) == ("succeeded", {"done": DOCUMENTS, "total": DOCUMENTS}), last


def test_a_job_whose_worker_is_lost_runs_again_in_the_next(served):
    """RabbitMQ gives an unacknowledged message back as soon as its worker's connection drops
    (acks_late): the next worker runs the job again from the start."""
    with served(RABBITMQ_URL) as (port, token, env, log):
        with worker(env, log) as first:
            _, location = start_scan(port, token)
            path = location.split(f":{port}", 1)[1]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                body = request(port, "GET", path, token=token)[2]
                if body["status"] == "running" and body["progress"]["done"] > 0:
                    break
                time.sleep(0.02)
            assert body["status"] == "running", body
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        assert request(port, "GET", path, token=token)[2]["status"] == "running"
        with worker(env, log.with_name("worker-2.log")):
            last = poll(port, token, location)[-1]
    assert (last["status"], last["attempts"], last["progress"]["done"]) == ("succeeded", 2, DOCUMENTS), last
