"""The brokers the queue's tests use, on this machine's usual ports (override with
FACTBASE_TEST_REDIS_URL and FACTBASE_TEST_RABBITMQ_URL), and a skip that names what is
missing when one is not there. Redis database 13 is the tests' own."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("FACTBASE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
RABBITMQ_URL = os.environ.get("FACTBASE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


def unreachable(url: str, *, timeout: float = 2) -> str | None:
    """Why `url`'s broker cannot be used, or None when it answers."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - whatever the reason, the test skips saying it
        return f"{type(exc).__name__}: {exc}"
    return None


def require_broker(url: str) -> None:
    why = unreachable(url)
    if why is not None:
        pytest.skip(f"no broker at {url} ({why}); start Redis or RabbitMQ to run this test")
