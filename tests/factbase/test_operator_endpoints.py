"""The operators' endpoints: /healthz, /readyz and /metrics (factbase/operator.py), against
the real database of the run (SQLite or PostgreSQL), real caches and real closed ports."""

from __future__ import annotations

import socket
import sqlite3

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from tests.brokers import RABBITMQ_URL, REDIS_URL, require_broker
from tests.factories import PersonFactory, UserFactory
from tests.reliability.test_faults import closed_port, unreachable_database


def sample(client, name: str, **labels) -> float:
    """One sample's value read from /metrics (0 when the series does not exist yet)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.content.decode()):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


def label_values(client) -> set[str]:
    """Every label value of Factbase's own metrics."""
    return {
        value
        for family in text_string_to_metric_families(client.get("/metrics").content.decode())
        if family.name.startswith("factbase_")
        for found in family.samples
        if found.name != f"{family.name}_bucket"
        for value in found.labels.values()
    }


# /healthz


def test_healthz_answers_without_touching_the_database(client, tmp_path, db):
    with unreachable_database(tmp_path):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-store" in response["Cache-Control"]


# /readyz


def test_readyz_reports_every_check_and_is_never_cached(client, django_assert_num_queries, db):
    # The primary is checked on a connection of its own: the worker's is not used.
    with django_assert_num_queries(0):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["primary"]["state"] == "ok"
    assert checks["primary"]["vendor"] == connection.vendor
    assert checks["primary"]["latency_ms"] >= 0
    assert checks["cache"]["state"] == "ok"
    assert checks["cache"]["backend"] == "django.core.cache.backends.locmem.LocMemCache"
    assert checks["replicas"] == {"state": "not configured"}
    assert checks["broker"] == {"state": "not configured"}


def test_readyz_is_503_when_the_primary_is_unreachable(client, tmp_path, db):
    with unreachable_database(tmp_path):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["primary"]["state"] == "error"
    assert body["checks"]["primary"]["error"].startswith("OperationalError: ")
    assert body["checks"]["cache"]["state"] == "ok"
    assert client.get("/readyz").status_code == 200  # and ready again once it is back


def test_readyz_never_creates_a_missing_sqlite_database(client, tmp_path, settings, db):
    missing = tmp_path / "missing.sqlite3"
    settings.DATABASE_REPLICA_URLS = [f"sqlite:///{missing}"]
    replicas = client.get("/readyz").json()["checks"]["replicas"]
    assert (replicas["state"], replicas["replicas"][0]["state"]) == ("error", "error")
    assert not missing.exists()


def test_readyz_checks_each_replica_without_showing_its_credentials(client, tmp_path, settings, db):
    if connection.vendor == "sqlite":
        reachable = tmp_path / "replica.sqlite3"
        sqlite3.connect(reachable).close()
        reachable_url = f"sqlite:///{reachable}"
    else:
        params = connection.settings_dict
        reachable_url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    port = closed_port()
    settings.DATABASE_REPLICA_URLS = [reachable_url, f"postgres://reader:s3cret-password@127.0.0.1:{port}/gone"]
    response = client.get("/readyz")
    assert response.status_code == 200  # the primary answers: degraded, not unavailable
    body = response.json()
    assert body["status"] == "degraded"
    replicas = body["checks"]["replicas"]
    assert replicas["state"] == "error"
    assert [(replica["state"], replica["name"]) for replica in replicas["replicas"]][1] == (
        "error",
        f"127.0.0.1:{port}/gone",
    )
    assert replicas["replicas"][0]["state"] == "ok"
    if connection.vendor == "postgresql":
        # The primary itself, not a standby: its own source, never behind.
        reachable = replicas["replicas"][0]
        assert (reachable["standby"], reachable["caught_up"], reachable["lag_seconds"]) == (False, True, 0.0)
    assert b"s3cret-password" not in response.content


def test_readyz_reports_a_failing_cache_without_a_500(client, tmp_path, settings, db):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("the file cache cannot make its folder here")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(not_a_folder)}
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    cache = body["checks"]["cache"]
    assert (cache["state"], cache["backend"]) == ("error", "django.core.cache.backends.filebased.FileBasedCache")
    assert cache["error"].startswith("FileExistsError: ")


def test_readyz_reports_a_cache_that_forgets(client, settings, db):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    cache = client.get("/readyz").json()["checks"]["cache"]
    assert (cache["state"], cache["error"]) == ("error", "the value written was not read back")


def test_readyz_checks_a_configured_broker_by_connecting_to_it(client, settings, db):
    """A real handshake with the broker, through kombu: Redis and RabbitMQ answer; a port that
    accepts connections and says nothing, a closed port and wrong credentials are errors."""
    settings.FACTBASE_READYZ_TIMEOUT = 1
    for url in (REDIS_URL, RABBITMQ_URL):
        require_broker(url)
        settings.CELERY_BROKER_URL = url
        broker = client.get("/readyz").json()["checks"]["broker"]
        assert (broker["state"], broker["check"]) == ("ok", "kombu connect"), broker
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{listening.getsockname()[1]}/0"
        broker = client.get("/readyz").json()["checks"]["broker"]
        assert (broker["state"], broker["error"]) == ("error", "OperationalError: Timeout reading from socket")
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")
    broker = response.json()["checks"]["broker"]
    assert (broker["state"], broker["check"]) == ("error", "kombu connect")
    assert "Connection refused" in broker["error"]
    settings.CELERY_BROKER_URL = RABBITMQ_URL.replace("guest:guest", "guest:wrong")
    broker = client.get("/readyz").json()["checks"]["broker"]
    assert broker["state"] == "error" and "ACCESS_REFUSED" in broker["error"]
    assert "wrong" not in broker["broker"]


def test_metrics_report_the_queue_depth_by_kind(client, db):
    from factbase.models import Job

    Job.objects.create(kind="suggestion_scan", status="queued")
    Job.objects.create(kind="suggestion_scan", status="queued")
    Job.objects.create(kind="index_rebuild", status="running")
    Job.objects.create(kind="index_rebuild", status="succeeded")
    assert sample(client, "factbase_jobs", kind="suggestion_scan", status="queued") == 2
    assert sample(client, "factbase_jobs", kind="index_rebuild", status="running") == 1
    assert sample(client, "factbase_jobs", kind="index_rebuild", status="queued") == 0
    assert sample(client, "factbase_jobs", kind="reanchor", status="running") == 0


# /metrics


def test_metrics_count_requests_by_route_and_status(client, db):
    person = PersonFactory()
    route = "/api/v1/entities/{pk}/"
    ok = {"method": "GET", "route": route, "status": "200"}
    missing = {"method": "GET", "route": route, "status": "404"}
    before = (
        sample(client, "factbase_http_requests_total", **ok),
        sample(client, "factbase_http_requests_total", **missing),
    )
    timed = sample(client, "factbase_http_request_duration_seconds_count", method="GET", route=route)
    queries = sample(client, "factbase_db_queries_total", alias="default", route=route)
    assert client.get(f"/api/v1/entities/{person.pk}/").status_code == 200
    assert client.get(f"/api/v1/entities/{person.pk}/").status_code == 200
    assert client.get("/api/v1/entities/987654321/").status_code == 404
    after = (
        sample(client, "factbase_http_requests_total", **ok),
        sample(client, "factbase_http_requests_total", **missing),
    )
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)
    assert sample(client, "factbase_http_request_duration_seconds_count", method="GET", route=route) - timed == 3
    assert sample(client, "factbase_db_queries_total", alias="default", route=route) - queries >= 3


def test_metrics_labels_hold_routes_never_paths(client, db):
    person = PersonFactory()
    client.get(f"/api/v1/entities/{person.pk}/")
    client.get("/api/v1/entities/123/")
    client.get("/no/such/page/4815162342/")
    client.generic("BREW", "/healthz")
    values = label_values(client)
    assert "/api/v1/entities/{pk}/" in values
    raw = ("/123/", f"/{person.pk}/", "4815162342")
    assert not [value for value in values if any(part in value for part in raw)]
    assert {"unmatched", "other"} <= values
    assert "BREW" not in values


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.FACTBASE_METRICS_TOKEN = "the-metrics-token"
    return settings


def test_metrics_are_refused_in_production_without_the_token(client, production, db):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Token the-metrics-token"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 403, headers
        assert "FACTBASE_METRICS_TOKEN" in response.json()["detail"]
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/metrics").status_code == 403


def test_metrics_are_served_in_production_with_the_token_or_to_staff(client, production, db):
    response = client.get("/metrics", headers={"Authorization": "Bearer the-metrics-token"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"factbase_http_requests_total" in response.content
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_an_empty_token_opens_nothing(client, production, db):
    production.FACTBASE_METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer"}).status_code == 403


def test_readyz_shows_only_states_and_latencies_in_production_without_the_token(client, production, settings, db):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    public = client.get("/readyz")
    assert public.status_code == 200
    assert {name: sorted(check) for name, check in public.json()["checks"].items()} == {
        "primary": ["latency_ms", "state"],
        "replicas": ["state"],
        "cache": ["latency_ms", "state"],
        "broker": ["state"],
    }
    detail = client.get("/readyz", headers={"Authorization": "Bearer the-metrics-token"}).json()["checks"]
    assert detail["cache"]["error"] == "the value written was not read back"
    assert detail["primary"]["vendor"] == connection.vendor


def test_readyz_answers_a_signed_in_client_when_the_primary_is_down(client, production, tmp_path, db):
    client.force_login(UserFactory(is_staff=True))
    with unreachable_database(tmp_path):
        response = client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (503, "unavailable")
    # The session could not be read, so the staff user is not recognised: the public answer.
    assert sorted(response.json()["checks"]["primary"]) == ["latency_ms", "state"]


def test_metrics_are_open_in_development(client, settings, db):
    settings.PRODUCTION = False
    settings.FACTBASE_METRICS_TOKEN = "the-metrics-token"
    assert client.get("/metrics").status_code == 200


def test_operator_endpoints_stay_out_of_the_api_schema(client, db):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert not [path for path in paths if path.strip("/") in {"healthz", "readyz", "metrics"}]
    assert all(path.startswith("/api/v1/") for path in paths)
