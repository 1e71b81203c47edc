"""Redis for the shared-cache tests: the machine's Redis (REDIS_URL, or 127.0.0.1:6379), each
test run under a key prefix of its own and deleting only its own keys; and Redis servers a
test starts (and kills) itself. A test that needs Redis skips, saying why, where there is none."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
import redis

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
REDIS_SERVER = shutil.which("redis-server")


def unreachable(url: str = REDIS_URL) -> str | None:
    """Why Redis at `url` cannot be used, or None when it answers PING."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def require_redis(url: str = REDIS_URL) -> None:
    reason = unreachable(url)
    if reason:
        pytest.skip(f"needs Redis at {url} (set REDIS_URL to one), which is unreachable: {reason}")


def new_prefix() -> str:
    return f"factbase-test-{uuid.uuid4().hex[:12]}"


def cache_settings(url: str, prefix: str, *, retry_seconds: float = 5) -> dict:
    return {
        "default": {
            "BACKEND": "factbase.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.3, "retry_seconds": retry_seconds},
        }
    }


def delete_prefix(url: str, prefix: str) -> None:
    """Delete this run's keys, and no one else's."""
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, without persistence, on a free port."""

    def __init__(self, port: int | None = None):
        if REDIS_SERVER is None:
            pytest.skip("needs the redis-server program to start a Redis of its own (apt-get install redis-server)")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while unreachable(self.url):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
