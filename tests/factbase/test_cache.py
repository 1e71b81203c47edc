"""The shared cache's backend (factbase/cache.py) against real Redis servers: the machine's
for what a working Redis does, and servers the tests start and kill for what a failing one
does. No mocks: a dead Redis is a killed process, a hung one a socket that never answers."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import redis
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from factbase import replicas
from factbase.cache import LOCAL
from tests.factbase.test_operator_endpoints import sample
from tests.redis_support import REDIS_URL, cache_settings, new_prefix

pytestmark = pytest.mark.django_db


def test_redis_cache_keeps_values_and_clears_only_its_own_keys(shared_redis):
    cache = caches["default"]
    cache.set("answer", {"n": 42})
    assert cache.get("answer") == {"n": 42}
    assert cache.add("answer", 1) is False
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    stranger = redis.Redis.from_url(REDIS_URL)
    theirs = f"{new_prefix()}:1:theirs"  # another run's, or another deployment's, key
    stranger.set(theirs, b"kept")
    try:
        assert stranger.keys(f"{shared_redis}:*") != []
        assert cache.clear() is True
        assert cache.get("answer") is None
        assert stranger.keys(f"{shared_redis}:*") == []
        assert stranger.get(theirs) == b"kept"
    finally:
        stranger.delete(theirs)


def test_a_killed_redis_makes_reads_miss_and_writes_drop_then_is_left_alone(settings, own_redis, caplog, client):
    settings.CACHES = cache_settings(own_redis.url, new_prefix(), retry_seconds=0.5)
    cache = caches["default"]
    cache.set("before", "kept")
    assert cache.get("before") == "kept"
    fallbacks = sample(client, "factbase_cache_fallbacks_total", operation="get")
    own_redis.kill()
    caplog.set_level(logging.WARNING, logger="factbase.cache")
    started = time.perf_counter()
    assert cache.get("before") is None  # the failing attempt: a refused connection
    assert cache.get("before", "default") == "default"
    cache.set("during", 1)  # dropped, not raised
    assert cache.add("during", 1) is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("during")
    for _ in range(200):  # backing off: no attempt at all
        assert cache.get("before") is None
    assert time.perf_counter() - started < 0.5
    warnings = [record for record in caplog.records if record.name == "factbase.cache"]
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert "unreachable" in warnings[0].getMessage()
    assert sample(client, "factbase_cache_fallbacks_total", operation="get") == fallbacks + 202

    own_redis.start()  # the same port, empty
    time.sleep(0.6)  # the back-off ends: the next call tries again, and Redis is back in use
    cache.set("after", "stored")
    assert cache.get("after") == "stored"
    assert "answers again" in caplog.records[-1].getMessage()


def test_a_redis_that_never_answers_costs_one_short_timeout(settings, client):
    # A socket that accepts connections (the kernel's backlog) but never replies: a hung Redis.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        settings.CACHES = cache_settings(url, new_prefix(), retry_seconds=30)
        cache = caches["default"]
        started = time.perf_counter()
        assert cache.get("anything") is None
        first = time.perf_counter() - started
        assert 0.25 <= first < 1.0  # the 0.3 s reply timeout, once, no retries
        started = time.perf_counter()
        for _ in range(100):
            assert cache.get("anything") is None
        assert time.perf_counter() - started < 0.1  # then left alone


def test_throttles_count_in_this_process_while_redis_is_down(settings, own_redis, api_client):
    settings.CACHES = cache_settings(own_redis.url, new_prefix(), retry_seconds=30)
    settings.FACTBASE_THROTTLE_ANON = "3/minute"
    LOCAL.clear()
    assert [api_client.get("/api/v1/predicates/").status_code for _ in range(2)] == [200, 200]
    own_redis.kill()
    # A fresh count in this process: three more pass, then 429 with Retry-After, never a 500.
    statuses = [api_client.get("/api/v1/predicates/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api_client.get("/api/v1/predicates/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    LOCAL.clear()


def test_readyz_reports_redis_down_as_degraded_though_requests_fall_back(settings, own_redis, client):
    settings.CACHES = cache_settings(own_redis.url, new_prefix(), retry_seconds=30)
    body = client.get("/readyz").json()
    assert (body["status"], body["checks"]["cache"]["state"]) == ("ok", "ok")
    assert body["checks"]["cache"]["backend"] == "factbase.cache.ResilientRedisCache"
    own_redis.kill()
    assert client.get("/api/v1/predicates/").status_code == 200  # falls back...
    response = client.get("/readyz")  # ...but readiness is told, backing off or not
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["checks"]["cache"]["state"]) == ("degraded", "error")
    assert body["checks"]["cache"]["error"].startswith("ConnectionError: ")
    own_redis.start()
    body = client.get("/readyz").json()  # and sees it back at once, the back-off notwithstanding
    assert (body["status"], body["checks"]["cache"]["state"]) == ("ok", "ok")
    caches["default"].set("again", 1)
    assert caches["default"].get("again") == 1


def test_the_shared_window_lets_the_limit_through_and_says_how_long_to_wait(shared_redis):
    cache = caches["default"]
    answers = [cache.hit_window("throttle_test", limit=3, seconds=60) for _ in range(5)]
    assert [allowed for allowed, _ in answers] == [True, True, True, False, False]
    assert all(59 < wait <= 60 for _, wait in answers[3:])
    assert cache.hit_window("throttle_other", limit=3, seconds=60)[0] is True  # one window per key
    short = [cache.hit_window("throttle_short", limit=1, seconds=0.2)[0] for _ in range(2)]
    time.sleep(0.25)
    assert [*short, cache.hit_window("throttle_short", limit=1, seconds=0.2)[0]] == [True, False, True]


def test_throttles_through_redis_answer_429_with_retry_after(shared_redis, settings, api_client, curator_client):
    settings.FACTBASE_THROTTLE_ANON = "2/minute"
    settings.FACTBASE_THROTTLE_USER = "3/minute"
    anonymous = [api_client.get("/api/v1/predicates/").status_code for _ in range(3)]
    signed_in = [curator_client.get("/api/v1/predicates/").status_code for _ in range(4)]
    assert (anonymous, signed_in) == ([200, 200, 429], [200, 200, 200, 429])
    refused = api_client.get("/api/v1/predicates/")
    assert refused.status_code == 429
    assert 58 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert LOCAL.get(f"throttle_anon_{refused.wsgi_request.META['REMOTE_ADDR']}") is None  # counted in Redis


def test_while_redis_is_down_a_client_with_credentials_reads_the_primary(settings, own_redis):
    # Read-your-writes pins live in the shared cache (factbase/replicas.py): a failing Redis
    # answers "no pin", which must not send a client that just wrote elsewhere to a replica.
    settings.CACHES = cache_settings(own_redis.url, new_prefix(), retry_seconds=30)
    with_token = RequestFactory().get("/api/v1/claims/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    anonymous = RequestFactory().get("/api/v1/claims/")
    assert replicas.is_pinned(with_token) is False  # Redis answers: this client wrote nothing
    replicas.pin(with_token, HttpResponse())
    assert replicas.is_pinned(with_token) is True
    caches["default"].clear()
    assert replicas.is_pinned(with_token) is False
    own_redis.kill()
    assert replicas.is_pinned(with_token) is True  # the failing call itself
    assert replicas.is_pinned(with_token) is True  # backing off
    assert replicas.is_pinned(anonymous) is False  # nothing to pin it by: replicas as before
