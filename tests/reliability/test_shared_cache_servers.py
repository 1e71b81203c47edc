"""The shared cache between real servers: two gunicorn instances (as two machines would run
them) on one database and one Redis. Throttles count exactly across them, a write through
one is seen by the other at once, and Redis killed while they serve makes no request fail."""

from __future__ import annotations

import concurrent.futures
import contextlib
import time

import pytest

from bench.load.server import free_port, gunicorn, request
from tests.redis_support import REDIS_URL, RedisServer, delete_prefix, new_prefix, require_redis
from tests.reliability.conftest import child_env, manage

SEED = (
    "from django.contrib.auth.models import Group, User\n"
    "from rest_framework.authtoken.models import Token\n"
    "from factbase.models import Person\n"
    "user = User.objects.create(username='cache-curator')\n"
    "user.groups.add(Group.objects.get(name='curators'))\n"
    "person = Person.objects.create(name='Sergei Lavrov', slug='lavrov')\n"
    "print(Token.objects.create(user=user).key, person.pk)\n"
)


@pytest.fixture(scope="module")
def served_database(tmp_path_factory):
    """A migrated SQLite file with a curator's token and one person: (env, token, person id)."""
    tmp_path = tmp_path_factory.mktemp("shared-cache")
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}", LOG_LEVEL="WARNING")
    for name in ("REDIS_URL", "REDIS_KEY_PREFIX", "WORKERS", "THREADS", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    result = manage("migrate", "--noinput", "-v", "0", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    result = manage("shell", "-v", "0", "-c", SEED, env=env)
    assert result.returncode == 0, result.stderr
    token, person = result.stdout.split()
    return env, token, int(person)


@contextlib.contextmanager
def two_servers(env: dict):
    ports = [free_port(), free_port()]
    with gunicorn(env, port=ports[0], workers=1, threads=4), gunicorn(env, port=ports[1], workers=1, threads=4):
        yield ports


@pytest.fixture
def shared_env(served_database):
    require_redis()
    env, token, person = served_database
    prefix = new_prefix()
    yield {**env, "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}, token, person
    delete_prefix(REDIS_URL, prefix)


def test_a_limit_is_exact_across_two_servers(shared_env):
    env, _, _ = shared_env
    limit = 25
    client = {"X-Forwarded-For": "203.0.113.25"}  # a client of its own: the servers' start-up polls are not counted
    with two_servers({**env, "FACTBASE_THROTTLE_ANON": f"{limit}/minute", "FACTBASE_THROTTLE_USER": "off"}) as ports:

        def one(number: int):
            status, headers, _ = request(ports[number % 2], "GET", "/api/v1/predicates/", headers=client)
            return status, headers.get("Retry-After")

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(one, range(90)))
    statuses = [status for status, _ in answers]
    assert statuses.count(200) == limit, statuses
    assert statuses.count(429) == 90 - limit
    assert all(0 < int(wait) <= 60 for status, wait in answers if status == 429)


def test_a_write_through_one_server_is_read_through_the_other_at_once(shared_env):
    env, token, person = shared_env
    path = f"/api/v1/people/{person}/"
    with two_servers({**env, "FACTBASE_THROTTLE_ANON": "off", "FACTBASE_THROTTLE_USER": "off"}) as (one, other):
        for port in (one, other, one, other):  # both read it, and it is cached
            status, _, body = request(port, "GET", path)
            assert (status, body["description"]) == (200, "")
        status, _, _ = request(one, "PATCH", path, body={"description": "Foreign minister"}, token=token)
        assert status == 200
        written = time.monotonic()
        status, _, body = request(other, "GET", path)
        assert (status, body["description"]) == (200, "Foreign minister")
        assert time.monotonic() - written < 1.0


def test_redis_killed_while_two_servers_answer_fails_no_request(served_database):
    env, _, person = served_database
    redis_server = RedisServer().start()
    env = {
        **env,
        "REDIS_URL": redis_server.url,
        "REDIS_KEY_PREFIX": new_prefix(),
        "REDIS_RETRY_SECONDS": "1",
        "FACTBASE_THROTTLE_ANON": "30/minute",
        "FACTBASE_THROTTLE_USER": "off",
    }
    paths = [f"/api/v1/people/{person}/", f"/api/v1/entities/{person}/", "/api/v1/predicates/"]
    try:
        with two_servers(env) as ports:

            def one(number: int):
                started = time.monotonic()
                status, _, _ = request(
                    ports[number % 2], "GET", paths[number % 3], headers={"X-Forwarded-For": "203.0.113.99"}
                )
                return status, time.monotonic() - started

            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(pool.map(one, range(40)))  # Redis up
                redis_server.kill()  # half-way
                answers += list(pool.map(one, range(40, 160)))
            statuses = [status for status, _ in answers]
            assert set(statuses) <= {200, 429}, statuses
            assert statuses[:40].count(200) == 30  # counted in Redis: exactly the limit
            # Then each of the two processes counts on its own from zero: the limit in each (DRF's
            # own counting, which threads may overrun by a request or two), and 429 beyond it.
            assert 60 <= statuses[40:].count(200) <= 66, statuses[40:]
            assert max(seconds for _, seconds in answers) < 2.0
            status, _, body = request(ports[0], "GET", "/readyz")
            assert (status, body["status"], body["checks"]["cache"]["state"]) == (200, "degraded", "error")

            redis_server.start()  # back on the same port: used again
            status, _, body = request(ports[1], "GET", "/readyz")
            assert (status, body["checks"]["cache"]["state"]) == (200, "ok")
    finally:
        redis_server.kill()


def test_a_new_name_is_suggested_by_the_other_server_at_once(served_database):
    """The mention suggestions' automaton is built once per process and rebuilt when the name
    counter (factbase/indexes/name_changes.py) moves: a name added through one server is
    suggested by the other on its next request. No Redis needed."""
    env, token, _ = served_database
    env = {**env, "FACTBASE_THROTTLE_ANON": "off", "FACTBASE_THROTTLE_USER": "off"}
    document = {"title": "Briefing", "text": "Maria Zakharova spoke in Moscow on Tuesday.", "published": "2021-08-05"}
    with two_servers(env) as (one, other):
        status, _, created = request(one, "POST", "/api/v1/documents/", body=document, token=token)
        assert status == 201, created
        path = f"/api/v1/documents/{created['id']}/suggestions/"
        for port in (one, other):  # both build their automaton: no one is called Zakharova yet
            status, _, body = request(port, "GET", path, token=token)
            assert status == 200, body
            assert "Zakharova" not in str(body["results"])
        status, _, person = request(
            one, "POST", "/api/v1/people/", body={"name": "Maria Zakharova", "slug": "zakharova"}, token=token
        )
        assert status == 201, person
        status, _, body = request(other, "GET", path, token=token)
        assert status == 200
        assert [(row["exact"], row["entity"]["id"]) for row in body["results"]] == [("Maria Zakharova", person["id"])]
