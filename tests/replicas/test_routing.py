"""Read replicas against a real PostgreSQL streaming replica (tools/pg_replica.py).

One primary and replica per module, migrated, and two gunicorn instances serving Factbase on
them with DATABASE_REPLICA_URLS, sharing a cache (shared_cache_settings.py) as instances
sharing Redis do. Pausing the replica's replay makes what it serves visibly older than the
primary: a read that sees a fresh write was answered by the primary, one that does not by
the replica. Instance B trusts a replica check for an hour, so that it still believes a
replica it has not noticed failing is usable: its reads then fail in the middle."""

from __future__ import annotations

import contextlib
import http.client
import json
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from bench.load.server import base_env, free_port, gunicorn, manage
from tools import pg_replica

MAX_LAG = 4
READ_YOUR_WRITES = 2
PASSWORD = "replica-test-password"  # noqa: S105 - a throwaway account on a throwaway cluster

SETUP = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from factbase.models import Person
from factbase.services.entities import entity_create
user = get_user_model().objects.create_user("replica-curator", password="{PASSWORD}", is_staff=True)
user.groups.add(Group.objects.get(name="curators"))
person = entity_create(model=Person, name="Standing Person", slug="standing-person")
print(json.dumps({{"token": Token.objects.create(user=user).key, "person": person.pk}}))
"""


@pytest.fixture(scope="module")
def pair():
    try:
        pg_replica.check_available()
    except pg_replica.PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server binaries to build a streaming replica with: {exc}")
    with pg_replica.replica_pair() as running:
        yield running


@pytest.fixture(scope="module")
def site(pair, tmp_path_factory):
    """Two app instances (A checks its replica every second, B every hour) and the data."""
    env = base_env(
        pair.primary_url,
        DATABASE_REPLICA_URLS=pair.replica_url,
        DJANGO_SETTINGS_MODULE="tests.replicas.shared_cache_settings",
        FACTBASE_TEST_CACHE_DIR=str(tmp_path_factory.mktemp("shared-cache")),
        FACTBASE_REPLICA_MAX_LAG=str(MAX_LAG),
        FACTBASE_READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES),
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    data = json.loads(manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1])
    pair.wait_caught_up()
    logs = tmp_path_factory.mktemp("logs")
    with contextlib.ExitStack() as stack:
        a, b = free_port(), free_port()
        stack.enter_context(gunicorn(env, port=a, workers=1, threads=2, log=logs / "a.log"))
        stack.enter_context(
            gunicorn(
                {**env, "FACTBASE_REPLICA_CHECK_SECONDS": "3600"}, port=b, workers=1, threads=2, log=logs / "b.log"
            )
        )
        yield {"a": a, "b": b, **data}


class Client:
    """An HTTP client with a token (keeping no cookies, as scripts do) or a cookie jar (for
    sessions and the pin cookie)."""

    def __init__(self, token: str | None = None):
        self.token = token
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, body=None, form=None):
        headers = {"Accept": "application/json"}
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if form is not None:
            payload, headers["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            for header in [] if self.token else response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            conn.close()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw
        return response.status, data

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def login(self, port: int) -> None:
        """Sign in through the admin's login form: a session cookie."""
        self.get(port, "/admin/login/")
        status, _ = self.request(
            port,
            "POST",
            "/admin/login/",
            form={
                "username": "replica-curator",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "next": "/admin/",
            },
        )
        assert (status, "sessionid" in self.cookies) == (302, True)


@contextlib.contextmanager
def replica_held_back(pair):
    """The replica keeps receiving but stops replaying: whatever the primary commits in the
    block is missing from it until the end. A transaction just before the pause starts its
    lag count from now rather than from whenever the primary last wrote."""
    pair.query("primary", "CREATE TABLE IF NOT EXISTS heartbeat (at timestamptz)")
    pair.query("primary", "INSERT INTO heartbeat VALUES (now())")
    pair.wait_caught_up()
    pair.pause_replay()
    started = time.monotonic()
    try:
        yield started
    finally:
        pair.resume_replay()
        pair.wait_caught_up()


def create_person(client: Client, port: int, name: str) -> int:
    status, body = client.request(port, "POST", "/api/v1/people/", body={"name": name})
    assert status == 201, body
    return body["id"]


def summary(timeline: dict) -> tuple[int, list[tuple[str, str]]]:
    """A timeline's count and items: its keys (one statement) and its rows (others) must
    come from the same database, or the count and the items disagree."""
    return timeline["count"], [(item["type"], item["label"]) for item in timeline["results"]]


def queries_by_alias(port: int) -> dict[str, float]:
    """The statements each database alias has run for requests so far (GET /metrics), but for
    the scrapes' own (the jobs' queue depth is read at scrape time)."""
    status, text = Client().get(port, "/metrics")
    assert status == 200
    totals: dict[str, float] = {}
    for line in text.decode().splitlines():
        if line.startswith("factbase_db_queries_total{") and 'route="/metrics"' not in line:
            labels, value = line.rsplit(" ", 1)
            alias = labels.split('alias="', 1)[1].split('"', 1)[0]
            totals[alias] = totals.get(alias, 0) + float(value)
    return totals


def ran_on(port: int, request) -> tuple[bool, bool]:
    """Whether `request()` ran statements on the primary, and on the replica."""
    before = queries_by_alias(port)
    request()
    after = queries_by_alias(port)
    return tuple(after.get(alias, 0) > before.get(alias, 0) for alias in ("default", "replica-1"))


def test_the_metrics_count_reads_on_the_replica_and_writes_on_the_primary(site):
    a = site["a"]
    curator, anonymous = Client(token=site["token"]), Client()
    person = f"/api/v1/people/{site['person']}/"
    assert ran_on(a, lambda: anonymous.get(a, person)) == (False, True)
    assert ran_on(a, lambda: create_person(curator, a, "Metered Person")) == (True, False)
    assert ran_on(a, lambda: curator.get(a, person)) == (True, False)  # pinned: it just wrote


def names_on(pair, which: str, name: str) -> int:
    return pair.query(which, "SELECT count(*) FROM factbase_entity WHERE name = %s", (name,))[0][0]


def test_reads_go_to_the_replica_and_a_token_client_reads_its_writes_on_every_instance(pair, site):
    a, b = site["a"], site["b"]
    curator, anonymous = Client(token=site["token"]), Client()
    with replica_held_back(pair):
        person = create_person(curator, a, "Replica Reader One")
        status, event = curator.request(
            a,
            "POST",
            "/api/v1/events/",
            body={
                "name": "Replica Summit",
                "type": "meeting",
                "date": "2021-03-04",
                "participants": [{"entity": site["person"], "role": "attendee"}],
            },
        )
        assert status == 201, event
        # Written on the primary, not (yet) on the replica.
        assert (names_on(pair, "primary", "Replica Reader One"), names_on(pair, "replica", "Replica Reader One")) == (
            1,
            0,
        )
        # Anonymous reads come from the replica: neither the person nor the event is there.
        assert anonymous.get(a, f"/api/v1/people/{person}/")[0] == 404
        timeline = f"/api/v1/entities/{site['person']}/timeline/"
        assert summary(anonymous.get(a, timeline)[1]) == (0, [])
        # The writer reads from the primary, on this instance and the other (a token client
        # keeps no cookies: the pin is in the shared cache).
        assert curator.cookies == {}
        for port in (a, b):
            status, body = curator.get(port, f"/api/v1/people/{person}/")
            assert (status, body["name"]) == (200, "Replica Reader One")
            assert summary(curator.get(port, timeline)[1]) == (1, [("event", "Replica Summit")])
        # Once the pin has expired the writer reads from the replica again.
        time.sleep(READ_YOUR_WRITES + 0.3)
        assert curator.get(a, f"/api/v1/people/{person}/")[0] == 404
    # Replayed: now everyone sees it.
    assert anonymous.get(a, f"/api/v1/people/{person}/")[0] == 200
    assert summary(anonymous.get(a, timeline)[1]) == (1, [("event", "Replica Summit")])


def test_a_session_client_reads_its_writes_on_every_instance(pair, site):
    a, b = site["a"], site["b"]
    curator, anonymous = Client(), Client()
    curator.login(a)
    with replica_held_back(pair):
        person = create_person(curator, a, "Replica Reader Two")
        assert "factbase_primary" in curator.cookies
        for port in (a, b):
            assert curator.get(port, f"/api/v1/people/{person}/")[0] == 200
        # Without the pin cookie, the session's pin in the shared cache still holds.
        del curator.cookies["factbase_primary"]
        assert curator.get(b, f"/api/v1/people/{person}/")[0] == 200
        assert anonymous.get(a, f"/api/v1/people/{person}/")[0] == 404


def test_a_lagging_replica_is_skipped(pair, site):
    a = site["a"]
    curator, anonymous = Client(token=site["token"]), Client()
    with replica_held_back(pair) as started:
        person = create_person(curator, a, "Replica Reader Three")
        assert anonymous.get(a, f"/api/v1/people/{person}/")[0] == 404  # behind, within the bound
        # Past the bound (and the one-second check), reads go to the primary.
        time.sleep(max(0.0, started + MAX_LAG + 1.5 - time.monotonic()))
        status, body = anonymous.get(a, f"/api/v1/people/{person}/")
        assert (status, body["name"]) == (200, "Replica Reader Three")
        status, ready = anonymous.get(a, "/readyz")
        (replica,) = ready["checks"]["replicas"]["replicas"]
        assert (status, ready["status"]) == (200, "degraded")
        assert {key: replica[key] for key in ("state", "standby", "caught_up", "routing", "router_state")} == {
            "state": "error",
            "standby": True,
            "caught_up": False,
            "routing": "skipped",
            "router_state": "lagging",
        }
        assert replica["lag_seconds"] > MAX_LAG
    time.sleep(1.1)
    status, ready = anonymous.get(a, "/readyz")
    (replica,) = ready["checks"]["replicas"]["replicas"]
    assert (ready["status"], replica["state"], replica["caught_up"], replica["lag_seconds"], replica["routing"]) == (
        "ok",
        "ok",
        True,
        0.0,
        "reads",
    )


def test_suggestions_read_their_names_and_their_version_from_one_database(pair, site):
    """The suggestions' matcher is kept per process until the names' change counter moves:
    a counter read from the primary with names read from a lagging replica would keep the
    older names for good."""
    a = site["a"]
    curator = Client(token=site["token"])
    status, document = curator.request(
        a,
        "POST",
        "/api/v1/documents/",
        body={"title": "Replica suggestions", "text": "Quentin Zarathustra spoke to Standing Person."},
    )
    assert status == 201, document
    path = f"/api/v1/documents/{document['id']}/suggestions/"

    def suggested() -> list[str]:
        status, body = curator.get(a, path)
        assert status == 200, body
        return [item["entity"]["name"] for item in body["results"]]

    time.sleep(READ_YOUR_WRITES + 0.3)  # unpinned: from here the curator reads the replica
    assert suggested() == ["Standing Person"]
    with replica_held_back(pair):
        create_person(curator, a, "Quentin Zarathustra")
        time.sleep(READ_YOUR_WRITES + 0.3)
        assert suggested() == ["Standing Person"]  # the replica does not have the name yet
    assert suggested() == ["Quentin Zarathustra", "Standing Person"]


def test_a_stopped_replica_is_skipped_without_errors(pair, site):
    a, b = site["a"], site["b"]
    anonymous = Client()
    person = site["person"]
    paths = [f"/api/v1/people/{person}/", "/api/v1/people/", f"/api/v1/entities/{person}/timeline/"]
    # B checks the replica now and trusts that for an hour.
    assert anonymous.get(b, paths[0])[0] == 200
    pair.kill_replica()
    try:
        # B's next reads fail on the replica in the middle of the request and are answered
        # again from the primary; A finds the replica down at its next check.
        for port in (b, a):
            for path in paths * 2:
                status, body = anonymous.get(port, path)
                assert status == 200, (port, path, body)
        status, body = anonymous.get(a, paths[0])
        assert body["name"] == "Standing Person"
        status, ready = anonymous.get(a, "/readyz")
        (replica,) = ready["checks"]["replicas"]["replicas"]
        assert (status, ready["status"], replica["state"], replica["routing"], replica["router_state"]) == (
            200,
            "degraded",
            "error",
            "skipped",
            "down",
        )
    finally:
        pair.start_replica()
    # Back: A reads from it again after its next check.
    time.sleep(1.1)
    curator = Client(token=site["token"])
    with replica_held_back(pair):
        person = create_person(curator, a, "Replica Reader Four")
        assert anonymous.get(a, f"/api/v1/people/{person}/")[0] == 404
