"""/metrics under gunicorn's several workers (factbase/gunicorn.conf.py, as `make serve-prod`
runs it): every scrape, whichever worker answers it, reports the requests of all the workers,
in the folder PROMETHEUS_MULTIPROC_DIR names (emptied of an earlier run's counters) or, by
default, in a private folder that gunicorn removes when it stops."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

from bench.load.server import free_port, gunicorn, request
from tests.reliability.conftest import ROOT, child_env

HEALTHZ = {"method": "GET", "route": "/healthz", "status": "200"}


def healthz_count(port: int) -> float:
    status, _, body = request(port, "GET", "/metrics")
    assert status == 200, body
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "factbase_http_requests_total" and sample.labels == HEALTHZ:
                return sample.value
    return 0.0


def serve_and_count(env: dict, metrics_files) -> tuple[list[int], list[float], list[str]]:
    """60 requests to /healthz from 8 clients at once, then 6 scrapes, and the names of the
    counter files (`metrics_files()`) while gunicorn still serves."""
    port = free_port()
    with gunicorn(env, port=port, workers=2, threads=2):
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: request(port, "GET", "/healthz")[0], range(60)))
        counts = [healthz_count(port) for _ in range(6)]
        writers = sorted(path.name for path in metrics_files())
    return statuses, counts, writers


def test_every_scrape_adds_up_every_workers_requests(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    # A previous run's file, which the collector could not read: gunicorn must empty the folder.
    (folder / "counter_999999.db").write_bytes(b"left over from an earlier run")
    env = child_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}",
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    statuses, counts, writers = serve_and_count(env, lambda: folder.glob("counter_*.db"))
    assert statuses == [200] * 60
    assert counts == [60.0] * 6
    assert "counter_999999.db" not in writers
    assert len(writers) == 2, writers  # both workers answered and wrote their counters


def test_by_default_gunicorn_keeps_the_counters_in_a_folder_of_its_own(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = child_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}", TMPDIR=str(temporary))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    statuses, counts, writers = serve_and_count(env, lambda: temporary.glob("factbase-metrics-*/counter_*.db"))
    assert statuses == [200] * 60
    assert counts == [60.0] * 6
    assert len(writers) == 2, writers
    assert list(temporary.iterdir()) == []  # removed when gunicorn stopped


CHILD_EXIT_IMPORTS = """
import runpy, sys, types
hooks = runpy.run_path("factbase/gunicorn.conf.py")
before = set(sys.modules)
hooks["child_exit"](None, types.SimpleNamespace(pid=999999))
print(sorted(set(sys.modules) - before))
"""


def test_a_workers_exit_imports_nothing_in_the_arbiters_signal_handler(tmp_path):
    # child_exit runs in gunicorn's SIGCHLD handler: an import there was entered again by a
    # second worker's exit, and the ImportError ended the arbiter without on_exit.
    env = child_env(tmp_path, TMPDIR=str(tmp_path))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD_EXIT_IMPORTS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
