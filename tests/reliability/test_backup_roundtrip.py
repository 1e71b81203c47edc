"""A backup taken on SQLite and restored into PostgreSQL gives identical API output for every
endpoint (every list page and every detail, anonymous and curator, ETags included), and so
does the way back. Runs in the PostgreSQL pass of the suite, which has both engines."""

import json
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.reliability.conftest import child_env, manage

HERE = Path(__file__).resolve().parent
POPULATE = "from tests.reliability.sample_data import populate; populate()"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL next to SQLite")


def run(*args, env):
    result = manage(*args, env=env, timeout=600)
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def api_output(env) -> dict:
    return json.loads(run("shell", "-v", "0", "-c", (HERE / "api_snapshot.py").read_text(), env=env))


def backup_lines(path) -> list[str]:
    return sorted(line.rstrip(",\n") for line in path.read_text(encoding="utf-8").splitlines()[1:-1])


@pytest.fixture
def postgres_url():
    settings_dict = connection.settings_dict
    params = {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
    }
    name = f"factbase_roundtrip_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['password']}" if params["password"] else ""
    yield f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_round_trip_sqlite_postgresql_sqlite_keeps_api_output_identical(tmp_path, postgres_url):
    sqlite_a = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}")
    postgres = child_env(tmp_path, DATABASE_URL=postgres_url)
    sqlite_c = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}")

    run("migrate", "--noinput", "-v", "0", env=sqlite_a)
    shutil.copyfile(tmp_path / "a.sqlite3", tmp_path / "c.sqlite3")  # migrated and empty: saves a migrate
    run("load_checked", env=sqlite_a)
    run("shell", "-v", "0", "-c", POPULATE, env=sqlite_a)
    original = api_output(sqlite_a)
    run("backup", "--output", str(tmp_path / "a.json"), env=sqlite_a)

    run("migrate", "--noinput", "-v", "0", env=postgres)
    run("restore", str(tmp_path / "a.json"), env=postgres)
    assert api_output(postgres) == original
    run("backup", "--output", str(tmp_path / "b.json"), env=postgres)
    assert backup_lines(tmp_path / "b.json") == backup_lines(tmp_path / "a.json")

    run("restore", str(tmp_path / "b.json"), env=sqlite_c)
    assert api_output(sqlite_c) == original

    # The snapshot is not trivially empty: every resource answered, with the curated data in it.
    assert original["anonymous claims"][0][1]["count"] >= 1
    assert original["curator claims"][0][1]["count"] > original["anonymous claims"][0][1]["count"]
    lists = {key: pages for key, pages in original.items() if key.count(" ") == 1 and "/" not in key}
    assert lists.pop("anonymous jobs")[0][0] == 401  # a job is seen by its owner only
    assert all(pages[0][0] == 200 for pages in lists.values())
