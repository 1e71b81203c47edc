#!/usr/bin/env python
"""Load drill: gunicorn on a scratch PostgreSQL database, N concurrent clients for D seconds
mixing reads, searches, claim creations and publishes. Fails (exit 1) on any error response
or if the writes the clients saw acknowledged differ from the rows in the database.

    .venv/bin/python bench/load/run.py [--clients 16] [--duration 60] [--database-url URL]

Without --database-url it creates (and afterwards drops) a database on the PostgreSQL server
at FACTBASE_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). The report
is printed as JSON and written to bench/results/load-<timestamp>.json."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.server import ROOT, base_env, free_port, gunicorn, manage, request, scratch_database  # noqa: E402

READS = [
    "/api/v1/claims/?page_size=20",
    "/api/v1/entities/?page_size=20",
    "/api/v1/countries/?page_size=50",
    "/api/v1/people/",
    "/api/v1/documents/",
    "/api/v1/predicates/",
    "/api/v1/events/",
    "/api/v1/organisations/",
]
SEARCHES = ["/api/v1/entities/?q={}", "/api/v1/countries/?q={}", "/api/v1/claims/?q={}"]
TERMS = ["rus", "lao", "load person", "minister", "visited", "indo", "myanmar", "капитал", "🙂"]


class Client(threading.Thread):
    """One client: its own keep-alive connection, a weighted random mix of operations."""

    def __init__(self, number: int, port: int, data: dict, deadline: float):
        super().__init__(name=f"client-{number}", daemon=True)
        self.port, self.data, self.deadline = port, data, deadline
        self.random = random.Random(number)
        self.stats = Counter()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.created: list[int] = []
        self.published: list[int] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, kind, method, path, body=None, token=None, expect=200):
        started = time.perf_counter()
        try:
            status, _, data = request(self.port, method, path, body=body, token=token, conn=self.conn)
        except Exception as exc:  # noqa: BLE001 - any failure is an error to report, never a dead client
            self.stats[f"{kind}_error"] += 1
            self.errors.append(f"{method} {path}: {exc!r}")
            return None
        self.latencies.append(time.perf_counter() - started)
        self.stats[kind] += 1
        if status != expect:
            self.stats[f"{kind}_error"] += 1
            self.errors.append(f"{method} {path}: {status} {str(data)[:300]}")
            return None
        return data

    def create_claim(self):
        quote = self.random.choice(self.data["quotes"])
        body = {
            "subject": self.random.choice(self.data["people"]),
            "predicate": "visited",
            "object": self.random.choice(self.data["countries"]),
            "spans": [{"document": self.random.choice(self.data["documents"]), "exact": quote}],
        }
        data = self.call("create", "POST", "/api/v1/claims/", body, self.data["curator_token"], expect=201)
        if data is not None:
            self.created.append(data["id"])

    def publish(self):
        waiting = [pk for pk in self.created if pk not in self.published]
        if not waiting:
            return self.create_claim()
        pk = self.random.choice(waiting)
        if self.call("publish", "POST", f"/api/v1/claims/{pk}/publish/", {}, self.data["reviewer_token"]) is not None:
            self.published.append(pk)

    def run(self):
        operations = [
            (50, lambda: self.call("read", "GET", self.random.choice(READS))),
            (
                20,
                lambda: self.call(
                    "search", "GET", self.random.choice(SEARCHES).format(quote(self.random.choice(TERMS)))
                ),
            ),
            (5, lambda: self.call("read", "GET", f"/api/v1/documents/{self.random.choice(self.data['documents'])}/")),
            (15, self.create_claim),
            (10, self.publish),
        ]
        weights = [w for w, _ in operations]
        while time.monotonic() < self.deadline:
            self.random.choices(operations, weights)[0][1]()
        self.conn.close()


COUNT_SCRIPT = """
import json
from factbase.models import Claim, SourceSpan
mine = Claim.objects.filter(created_by__username="load-curator")
print(json.dumps({"claims": mine.count(), "published": mine.filter(status="published").count(),
                  "spans": SourceSpan.objects.filter(claim__in=mine).count()}))
"""


def drill(database_url: str, *, clients: int, duration: float, workers: int, threads: int) -> dict:
    env = base_env(database_url)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_checked", env=env)
    data = json.loads(
        manage("shell", "-v", "0", "-c", (Path(__file__).with_name("setup_data.py")).read_text(), env=env)
    )
    port = free_port()
    log = ROOT / "bench" / "results" / "load-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with gunicorn(env, port=port, workers=workers, threads=threads, log=log):
        deadline = time.monotonic() + duration
        threads_ = [Client(n, port, data, deadline) for n in range(clients)]
        started = time.monotonic()
        for thread in threads_:
            thread.start()
        for thread in threads_:
            thread.join(duration + 120)
        elapsed = time.monotonic() - started
    stats = sum((t.stats for t in threads_), Counter())
    latencies = sorted(x for t in threads_ for x in t.latencies)
    errors = [e for t in threads_ for e in t.errors]
    created = sum(len(t.created) for t in threads_)
    published = sum(len(t.published) for t in threads_)
    in_db = json.loads(manage("shell", "-v", "0", "-c", COUNT_SCRIPT, env=env))
    requests_ = len(latencies)
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "gunicorn": {"workers": workers, "threads": threads},
        "requests": requests_,
        "requests_per_s": round(requests_ / elapsed, 1) if elapsed else 0,
        "by_kind": {k: v for k, v in sorted(stats.items()) if not k.endswith("_error")},
        "errors": len(errors),
        "first_errors": errors[:10],
        "latency_ms": {
            "p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "max": round(1000 * latencies[-1], 1) if latencies else None,
        },
        "writes": {
            "claims_created_by_clients": created,
            "claims_in_database": in_db["claims"],
            "spans_in_database": in_db["spans"],
            "published_by_clients": published,
            "published_in_database": in_db["published"],
        },
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="an existing, empty PostgreSQL database (default: a scratch one)")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = args.database_url or stack.enter_context(scratch_database("factbase_load"))
        report = drill(url, clients=args.clients, duration=args.duration, workers=args.workers, threads=args.threads)
    w = report["writes"]
    report["ok"] = (
        report["errors"] == 0
        and w["claims_created_by_clients"] == w["claims_in_database"] == w["spans_in_database"]
        and w["published_by_clients"] == w["published_in_database"]
        and report["requests"] > 0
    )
    out = ROOT / "bench" / "results" / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"load drill {'passed' if report['ok'] else 'FAILED'}: {report['errors']} errors; report in {out}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
