"""/metrics under gunicorn's several workers (factbase/gunicorn.conf.py, as `make serve-prod`
runs it): with PROMETHEUS_MULTIPROC_DIR set, every scrape, whichever worker answers it,
reports the requests of all the workers, and counters left by an earlier run are gone."""

from __future__ import annotations

import concurrent.futures

from prometheus_client.parser import text_string_to_metric_families

from bench.load.server import free_port, gunicorn, request
from tests.reliability.conftest import child_env

HEALTHZ = {"method": "GET", "route": "/healthz", "status": "200"}


def healthz_count(port: int) -> float:
    status, _, body = request(port, "GET", "/metrics")
    assert status == 200, body
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "factbase_http_requests_total" and sample.labels == HEALTHZ:
                return sample.value
    return 0.0


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
    port = free_port()
    with gunicorn(env, port=port, workers=2, threads=2):
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: request(port, "GET", "/healthz")[0], range(60)))
        counts = [healthz_count(port) for _ in range(6)]
        writers = sorted(path.name for path in folder.glob("counter_*.db"))
    assert statuses == [200] * 60
    assert counts == [60.0] * 6
    assert "counter_999999.db" not in writers
    assert len(writers) == 2, writers  # both workers answered and wrote their counters
