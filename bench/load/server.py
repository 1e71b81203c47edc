"""Helpers for the bounded server drills: a scratch PostgreSQL database, a gunicorn process
serving Factbase on it, and waiting for it to answer. Standard library only."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONF = ROOT / "factbase" / "gunicorn.conf.py"
ADMIN_URL = os.environ.get("FACTBASE_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"FACTBASE_ENV", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=database_url,
        # Throttles off: the drill measures errors and lost writes, not rate limiting.
        FACTBASE_THROTTLE_ANON="off",
        FACTBASE_THROTTLE_USER="off",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(*args, env: dict, check: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(prefix: str = "factbase_drill"):
    """A fresh PostgreSQL database URL, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    _psql(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def gunicorn(env: dict, *, port: int, workers: int = 3, threads: int = 4, log: Path | None = None):
    """Serve Factbase with gunicorn as `make serve-prod` does (factbase/gunicorn.conf.py),
    with `workers` processes of `threads` threads, until the block ends."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [GUNICORN, "--config", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "WORKERS": str(workers), "THREADS": str(threads)},
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_http(port, process)
        yield process
    finally:
        stop_group(process)
        if log:
            out.close()


def stop_group(process, timeout: float = 20) -> None:
    """Stop a process started with `start_new_session=True` and everything it started: SIGTERM
    to its group, then SIGKILL if it has not exited within `timeout` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_http(port: int, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            status, _, _ = request(port, "GET", "/api/v1/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def request(port: int, method: str, path: str, body=None, token: str | None = None, conn=None, headers=None):
    """One HTTP request; returns (status, headers, parsed JSON or raw bytes)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Accept": "application/json", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Token {token}"
    try:
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
    except (OSError, http.client.HTTPException):
        conn.close()
        raise
    finally:
        if own:
            conn.close()
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw
    return response.status, dict(response.getheaders()), data
