"""A fixture load killed part-way (SIGKILL: no cleanup code runs) leaves nothing behind:
the checked loader writes in one transaction, and the database discards it."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from tests.reliability.conftest import ROOT, child_env, manage

PEOPLE = 3000


def big_fixture(path):
    records = []
    for n in range(PEOPLE):
        slug = f"load-person-{n}"
        records.append({"model": "factbase.entity", "fields": {"kind": "person", "slug": slug, "name": f"P {n}"}})
        records.append({"model": "factbase.person", "fields": {"entity_ptr": [slug], "given_name": f"G{n}"}})
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def wait_until(condition, *, timeout, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the load ended (exit {process.returncode}) before it could be killed")
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the load never started writing")


def kill_mid_load(fixture, env, writing):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "load_checked", str(fixture)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(writing, timeout=60, process=process)
        time.sleep(0.5)  # well inside the load: thousands of records still to go
        assert writing(), "the load's write transaction ended before the kill"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL


def test_sqlite_fixture_load_killed_part_way_leaves_nothing(tmp_path):
    db = tmp_path / "kill.sqlite3"
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{db}")
    assert manage("migrate", "--noinput", "-v", "0", env=env).returncode == 0
    count = "from factbase.models import Entity, Person; print(Entity.objects.count(), Person.objects.count())"
    before = manage("shell", "-v", "0", "-c", count, env=env).stdout.strip()

    def writing():
        # The loader's transaction holds SQLite's write lock from BEGIN IMMEDIATE to COMMIT.
        probe = sqlite3.connect(db, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    kill_mid_load(big_fixture(tmp_path / "big.json"), env, writing)
    after = manage("shell", "-v", "0", "-c", count, env=env).stdout.strip()
    assert before == after == "0 0"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="uses the PostgreSQL test database from a child process")
def test_postgresql_fixture_load_killed_part_way_leaves_nothing(tmp_path):
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST'] or '127.0.0.1'}"
        f":{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = child_env(tmp_path, DATABASE_URL=url)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)

    def inserted_rows():
        # Rows the child has written inside its still-open transaction.
        with psycopg.connect(**params, autocommit=True) as watcher:
            active = watcher.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
                "AND l.locktype = 'relation' AND l.mode = 'RowExclusiveLock'"
            ).fetchone()[0]
        return active > 0

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factbase_entity")
        before = cursor.fetchone()[0]
    kill_mid_load(big_fixture(tmp_path / "big.json"), env, inserted_rows)
    # The server notices the dead client and rolls its transaction back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factbase_entity")
        assert cursor.fetchone()[0] == before == 0
