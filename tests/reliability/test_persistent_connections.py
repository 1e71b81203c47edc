"""Persistent SQLite connections (the default, factbase/settings.py) are safe as served:
gunicorn's threaded workers (factbase/gunicorn.conf.py, as `make serve-prod` runs it) keep
at most one connection per thread and see each other's writes at once, and runserver
(`make run`, which opens one per request) does not pile up the connections of its finished
request threads."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import time
from pathlib import Path

import pytest

from bench.load.server import free_port, gunicorn, request, wait_for_http
from tests.reliability.conftest import ROOT, child_env, manage


def test_sqlite_connections_persist_by_default(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'child.sqlite3'}")
    env.pop("SQLITE_CONN_MAX_AGE", None)
    env.pop("CONN_MAX_AGE", None)
    assert manage("shell", "-v", "0", "-c", code, env=env).stdout.strip() == "60"
    one_per_request = manage("shell", "-v", "0", "-c", code, env={**env, "SQLITE_CONN_MAX_AGE": "0"})
    assert one_per_request.stdout.strip() == "0"


@pytest.fixture(scope="module")
def served_database(tmp_path_factory):
    """A migrated SQLite file, a curator's token, and the environment to serve it with defaults."""
    tmp_path = tmp_path_factory.mktemp("persistent")
    env = child_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}",  # SQLite whatever the suite runs on
        FACTBASE_THROTTLE_ANON="off",
        FACTBASE_THROTTLE_USER="off",
    )
    for name in ("SQLITE_CONN_MAX_AGE", "CONN_MAX_AGE", "WORKERS", "THREADS"):
        env.pop(name, None)
    result = manage("migrate", "--noinput", "-v", "0", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "user = User.objects.create(username='persistent-curator')\n"
        "user.groups.add(Group.objects.get(name='curators'))\n"
        "print(Token.objects.create(user=user).key)\n"
    )
    result = manage("shell", "-v", "0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    return env, result.stdout.strip().splitlines()[-1], database


def open_database_files(pids: list[int], database: Path) -> dict[int, int]:
    """How many file descriptors each process holds on the database file itself: one per
    SQLite connection (the -wal and -shm files are not counted)."""
    counts = {}
    for pid in pids:
        fds = Path(f"/proc/{pid}/fd")
        counts[pid] = sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(database.resolve()))
    return counts


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_gthread_workers_see_each_others_writes_and_hold_one_connection_per_thread(served_database):
    env, token, database = served_database
    port = free_port()
    workers, threads = 2, 4

    def create_and_read(number):
        status, _, body = request(port, "POST", "/api/v1/people/", {"name": f"Person {number}"}, token=token)
        assert status == 201, body
        # A new connection, so possibly the other worker, whose connection is older than the write.
        status, _, read = request(port, "GET", f"/api/v1/people/{body['id']}/")
        assert (status, read["name"]) == (200, f"Person {number}")
        status, _, page = request(port, "GET", "/api/v1/people/?page_size=1")
        assert status == 200 and page["count"] >= 1, page
        return body["id"]

    with gunicorn(env, port=port, workers=workers, threads=threads) as process:
        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            created = list(pool.map(create_and_read, range(120)))
        worker_pids = children(process.pid)
        held = open_database_files(worker_pids, database)
        status, _, page = request(port, "GET", "/api/v1/people/?page_size=1")

    assert len(set(created)) == 120
    assert (status, page["count"]) == (200, 120)
    assert len(worker_pids) == workers
    # Persistent, so at least one connection stays open; never more than one per thread.
    assert all(1 <= count <= threads for count in held.values()), held


def make_run_command(port: int) -> str:
    """The line `make run` serves with (its set-up steps are the other lines)."""
    planned = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return next(line for line in planned.splitlines() if " runserver " in line)


def test_make_run_does_not_keep_the_connections_of_finished_threads(served_database):
    env, _, database = served_database
    port = free_port()
    # `exec env …`: the server is this process, whatever variables the line sets first.
    process = subprocess.Popen(
        ["bash", "-c", f"exec env {make_run_command(port)}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(port, process)
        for _ in range(100):  # each request on its own connection: a new thread in runserver
            status, _, _ = request(port, "GET", "/api/v1/people/")
            assert status == 200
        time.sleep(1)  # the last threads close their connection after the client has the answer
        held = open_database_files([process.pid], database)[process.pid]
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert held <= 1, f"{held} connections left open by 100 finished request threads"
