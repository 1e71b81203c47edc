"""Helpers for reliability tests: run manage.py in a child process with a chosen environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "FACTBASE_ENV": "production",
    # Long and random-looking enough for check --deploy (security.W009); never used for real.
    "SECRET_KEY": "test-only-9f8Kq2vX7mZ4pL1sR6tY3wB0nC5hJ8dF2gA7eU4iO1kM6xV3zQ9",
    "ALLOWED_HOSTS": "factbase.example.org",
}
# Variables a child must not inherit from the developer's or CI's shell. The browser tests'
# conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process, and check --deploy rejects it (async.E001).
SCRUBBED = {
    "FACTBASE_ENV",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    # A child serves with Redis only when its test says so, under a key prefix of its own.
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
}


def child_env(tmp_path, **overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'child.sqlite3'}")
    env.update(overrides)
    return env


def manage(*args, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def failing_client(client):
    """The test client, answering a view's uncaught exception with a response as a server would."""
    client.raise_request_exception = False
    return client
