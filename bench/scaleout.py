#!/usr/bin/env python
"""Scale-out drill: two gunicorn instances on different ports serving one PostgreSQL primary
with a real streaming replica, a shared Redis cache and a Celery worker, driven by concurrent
clients that spread every session over both instances.

    .venv/bin/python bench/scaleout.py [--fault none|replica|redis|all] [--clients 8] [--duration 40]

What it checks, each time:
- zero errors: no 5xx, no dropped connection, no unexpected status;
- every write the clients saw acknowledged is on the primary (read there directly);
- read-your-writes on both instances: a claim a curator creates on one instance is read at
  once by the same client on the other, and a publish is seen by the reviewer likewise;
- rate limits exact across both instances: concurrent anonymous requests from one address,
  spread over both, get exactly the limit's number of answers before the 429s;
- a cache invalidation seen by the other instance within a second: an entity renamed through
  one instance, read through the other (which held the old answer in the cache);
- a job sent to the queue through one instance runs on the worker and is seen finished
  through the other.

`--fault replica` kills the replica half-way through the load, `--fault redis` kills the
Redis server; both must still give zero 5xx (the replica is skipped, the cache falls back).
The drill starts its own PostgreSQL pair (tools/pg_replica.py) and its own Redis servers on
free ports (one for the cache, one as the broker, so killing the cache leaves the queue), and
removes them afterwards. The report is printed as JSON and written to
bench/results/scaleout-<timestamp>.json; the exit status is 1 on any failure."""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.client
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load.server import ROOT, base_env, free_port, gunicorn, manage, request, stop_group  # noqa: E402
from tools import pg_replica  # noqa: E402

CELERY = str(Path(sys.executable).with_name("celery"))
READS = [
    "/api/v1/claims/?page_size=20",
    "/api/v1/entities/?page_size=20",
    "/api/v1/predicates/",
    "/api/v1/documents/",
    "/api/v1/events/",
]
# The anonymous rate during the drill: the rate-limit phase sends RATE_BURST requests from one
# address and expects exactly RATE_LIMIT of them through. Load clients read anonymously from
# addresses of their own (X-Forwarded-For), so they never meet the limit.
RATE_LIMIT = 40
RATE_BURST = 120


# ---------------------------------------------------------------------------------- services


class Unavailable(RuntimeError):
    """A server the drill needs is not installed here."""


@contextlib.contextmanager
def redis_server(workdir: Path, name: str):
    """A Redis server of the drill's own on a free port, keeping nothing on disk."""
    redis = shutil.which("redis-server")
    if not redis:
        raise Unavailable("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=open(workdir / f"{name}.log", "w"),  # noqa: SIM115 - the process holds it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            contextlib.closing(socket.create_connection(("127.0.0.1", port), 0.2)),
        ):
            break
        time.sleep(0.05)
    server = {"port": port, "url": f"redis://127.0.0.1:{port}/0", "process": process}
    try:
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()


@contextlib.contextmanager
def celery_worker(env: dict, log: Path):
    process = subprocess.Popen(
        [CELERY, "-A", "factbase", "worker", "--concurrency", "2", "--loglevel", "WARNING", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),  # noqa: SIM115 - the process holds it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        stop_group(process)


# ----------------------------------------------------------------------------------- clients


class Errors:
    """Every unexpected answer, with a count by kind; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items: list[str] = []
        self.by_kind = Counter()

    def add(self, kind: str, text: str):
        with self.lock:
            self.by_kind[kind] += 1
            self.items.append(f"{kind}: {text}"[:400])


class Client(threading.Thread):
    """One curator-and-reader session: every request goes to the other instance than the
    last one, so each read-after-write crosses instances."""

    def __init__(self, number: int, ports: list[int], data: dict, deadline: float, errors: Errors):
        super().__init__(name=f"client-{number}", daemon=True)
        self.number, self.ports, self.data, self.deadline, self.errors = number, ports, data, deadline, errors
        self.random = random.Random(number)
        self.turn = number
        self.stats = Counter()
        self.latencies: list[float] = []
        self.created: list[int] = []
        self.published: list[int] = []
        self.conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port in ports}

    def port(self) -> int:
        self.turn += 1
        return self.ports[self.turn % len(self.ports)]

    def call(self, kind, method, path, *, body=None, token=None, expect=(200,), headers=None):
        port = self.port()
        started = time.perf_counter()
        try:
            status, _, data = request(
                port, method, path, body=body, token=token, conn=self.conns[port], headers=headers
            )
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never a dead client
            self.errors.add(f"{kind} connection", f"{method} :{port}{path}: {exc!r}")
            return None
        self.latencies.append(time.perf_counter() - started)
        self.stats[kind] += 1
        if status not in expect:
            self.errors.add(f"{kind} {status}", f"{method} :{port}{path}: {str(data)[:300]}")
            return None
        return data

    def read(self):
        address = f"10.{self.number}.{self.random.randrange(256)}.{self.random.randrange(1, 255)}"
        self.call("read", "GET", self.random.choice(READS), headers={"X-Forwarded-For": address})

    def create_and_read_back(self):
        body = {
            "subject": self.random.choice(self.data["people"]),
            "predicate": "visited",
            "object": self.random.choice(self.data["countries"]),
            "spans": [
                {
                    "document": self.random.choice(self.data["documents"]),
                    "exact": self.random.choice(self.data["quotes"]),
                }
            ],
        }
        token = self.data["curator_token"]
        created = self.call("create", "POST", "/api/v1/claims/", body=body, token=token, expect=(201,))
        if created is None:
            return
        self.created.append(created["id"])
        # The same client, at once, on the other instance: its own write must be there.
        seen = self.call("read-own-write", "GET", f"/api/v1/claims/{created['id']}/", token=token)
        if seen is not None and seen.get("id") != created["id"]:
            self.errors.add("read-your-writes", f"claim {created['id']} not seen by its creator on the other instance")

    def publish_and_read_back(self):
        waiting = [pk for pk in self.created if pk not in self.published]
        if not waiting:
            return self.create_and_read_back()
        pk = self.random.choice(waiting)
        token = self.data["reviewer_token"]
        if self.call("publish", "POST", f"/api/v1/claims/{pk}/publish/", body={}, token=token) is None:
            return
        self.published.append(pk)
        seen = self.call("read-own-write", "GET", f"/api/v1/claims/{pk}/", token=token)
        if seen is not None and seen.get("status") != "published":
            self.errors.add("read-your-writes", f"claim {pk} published but read back as {seen.get('status')!r}")

    def run(self):
        operations = [(60, self.read), (25, self.create_and_read_back), (15, self.publish_and_read_back)]
        weights = [w for w, _ in operations]
        while time.monotonic() < self.deadline:
            self.random.choices(operations, weights)[0][1]()
        for conn in self.conns.values():
            conn.close()


# ------------------------------------------------------------------------------------ phases


def rate_limit_phase(ports: list[int]) -> dict:
    """RATE_BURST anonymous requests from one address, at once, half to each instance."""
    address = f"198.51.100.{random.randrange(1, 255)}"

    def one(n):
        try:
            return request(ports[n % 2], "GET", "/api/v1/predicates/", headers={"X-Forwarded-For": address})[0]
        except OSError as exc:
            return repr(exc)

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = Counter(pool.map(one, range(RATE_BURST)))
    passed = statuses.get(200, 0)
    return {
        "limit": RATE_LIMIT,
        "sent": RATE_BURST,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "exact": passed == RATE_LIMIT and statuses.get(429, 0) == RATE_BURST - RATE_LIMIT,
    }


def invalidation_phase(ports: list[int], data: dict, rounds: int = 5) -> dict:
    """Rename a person through one instance; read its entity detail anonymously through the
    other, which held the old answer in the cache, until the new name shows. Each delay must be at most a second."""
    writer, reader = ports
    pk = data["people"][0]
    path = f"/api/v1/entities/{pk}/"
    delays = []
    failures = []
    for n in range(rounds):
        request(reader, "GET", path)
        request(reader, "GET", path)  # the second read is the cached one
        name = f"Load Person Renamed {n} {time.time_ns()}"
        status, _, body = request(
            writer, "PATCH", f"/api/v1/people/{pk}/", body={"name": name}, token=data["curator_token"]
        )
        if status != 200:
            failures.append(f"rename answered {status}: {str(body)[:200]}")
            continue
        started = time.monotonic()
        while True:
            status, _, body = request(reader, "GET", path)
            if status == 200 and body.get("name") == name:
                delays.append(round((time.monotonic() - started) * 1000, 1))
                break
            if time.monotonic() - started > 5:
                failures.append(f"round {n}: the other instance still showed {body.get('name')!r} after 5 s")
                break
            time.sleep(0.01)
    return {
        "rounds": rounds,
        "delays_ms": delays,
        "max_ms": max(delays) if delays else None,
        "failures": failures,
        "ok": not failures and len(delays) == rounds and max(delays) <= 1000,
    }


def job_phase(ports: list[int], data: dict) -> dict:
    """A job sent through one instance, run by the worker, seen finished through the other."""
    token = data["curator_token"]
    started = time.monotonic()
    status, headers, body = request(ports[0], "POST", data["job_path"], body=data.get("job_body", {}), token=token)
    if status not in (200, 201, 202):
        return {"ok": False, "error": f"starting the job answered {status}: {str(body)[:300]}"}
    job = body.get("job", body)
    while time.monotonic() - started < 60:
        status, _, seen = request(ports[1], "GET", f"/api/v1/jobs/{job['id']}/", token=token)
        if status == 200 and seen.get("status") in {"succeeded", "failed", "cancelled"}:
            return {
                "ok": seen["status"] == "succeeded",
                "status": seen["status"],
                "progress": seen.get("progress"),
                "seconds": round(time.monotonic() - started, 2),
            }
        time.sleep(0.1)
    return {"ok": False, "error": "the job did not finish within 60 s", "last": seen}


def scrape(port: int) -> dict:
    """From one instance's /metrics: database queries by alias, and the cache's hits and misses."""
    from prometheus_client.parser import text_string_to_metric_families

    status, _, body = request(port, "GET", "/metrics")
    found = {"queries_by_alias": Counter(), "read_cache": Counter()}
    if status != 200:
        return {"error": f"/metrics answered {status}"}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "factbase_db_queries_total":
                found["queries_by_alias"][sample.labels["alias"]] += int(sample.value)
            elif sample.name == "factbase_read_cache_total":
                found["read_cache"][sample.labels.get("result", "?")] += int(sample.value)
    return {key: dict(value) for key, value in found.items()}


class ReplayPauses(threading.Thread):
    """Holds the replica's replay back for `hold` seconds in every `every` (under the lag
    bound, so the replica keeps serving): a client that is not pinned to the primary would
    then miss its own writes, which read-your-writes must prevent."""

    def __init__(self, pair, *, every: float = 5, hold: float = 2):
        super().__init__(name="replay-pauses", daemon=True)
        self.pair, self.every, self.hold = pair, every, hold
        self.stopping = threading.Event()
        self.pauses = 0

    def run(self):
        while not self.stopping.wait(self.every - self.hold):
            try:
                self.pair.pause_replay()
            except Exception:  # noqa: BLE001 - the replica may have been killed: nothing left to pause
                return
            self.pauses += 1
            self.stopping.wait(self.hold)
            with contextlib.suppress(Exception):
                self.pair.resume_replay()

    def stop(self):
        self.stopping.set()
        self.join(30)


VERIFY_SCRIPT = """
import json, sys
from factbase.models import Claim
wanted = json.loads(sys.stdin.read())
rows = dict(Claim.objects.filter(pk__in=wanted["created"]).values_list("pk", "status"))
print(json.dumps({
    "missing": sorted(set(wanted["created"]) - set(rows)),
    "not_published": sorted(pk for pk in wanted["published"] if rows.get(pk) != "published"),
    "claims_by_curator": Claim.objects.filter(created_by__username="load-curator").count(),
}))
"""


def verify_on_primary(env: dict, created: list[int], published: list[int]) -> dict:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", VERIFY_SCRIPT],
        cwd=ROOT,
        env=env,
        input=json.dumps({"created": created, "published": published}),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(result.stdout)
    found["ok"] = not found["missing"] and not found["not_published"] and found["claims_by_curator"] == len(created)
    return found


# ------------------------------------------------------------------------------------- drill


def drill(*, fault: str, clients: int, duration: float, workers: int, threads: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="factbase-scaleout-"))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.ExitStack() as stack:
            pair = stack.enter_context(pg_replica.replica_pair())
            cache = stack.enter_context(redis_server(workdir, "cache"))
            broker = stack.enter_context(redis_server(workdir, "broker"))
            primary_env = base_env(pair.primary_url)
            manage("migrate", "--noinput", "-v", "0", env=primary_env)
            manage("load_checked", env=primary_env)
            data = json.loads(
                manage(
                    "shell", "-v", "0", "-c", (ROOT / "bench" / "load" / "setup_data.py").read_text(), env=primary_env
                )
            )
            data.update(JOB)
            env = base_env(
                pair.primary_url,
                DATABASE_REPLICA_URLS=pair.replica_url,
                REDIS_URL=cache["url"],
                CELERY_BROKER_URL=broker["url"],
                FACTBASE_THROTTLE_ANON=f"{RATE_LIMIT}/minute",
                FACTBASE_THROTTLE_USER="100000/minute",
            )
            stack.enter_context(celery_worker(env, workdir / "celery.log"))
            ports = [free_port(), free_port()]
            for n, port in enumerate(ports):
                stack.enter_context(
                    gunicorn(
                        env, port=port, workers=workers, threads=threads, log=results / f"scaleout-gunicorn-{n}.log"
                    )
                )
            report = {"fault": fault, "clients": clients, "duration_s": duration, "ports": ports}
            report["rate_limit"] = rate_limit_phase(ports)
            report["invalidation"] = invalidation_phase(ports, data)
            report["job"] = job_phase(ports, data)

            errors = Errors()
            deadline = time.monotonic() + duration
            threads_ = [Client(n, ports, data, deadline, errors) for n in range(clients)]
            started = time.monotonic()
            for thread in threads_:
                thread.start()
            pauses = ReplayPauses(pair)
            pauses.start()
            if fault != "none":
                time.sleep(duration / 2)
                report["fault_at_s"] = round(time.monotonic() - started, 1)
                if fault == "replica":
                    pauses.stop()
                    pair.kill_replica()
                else:
                    cache["process"].kill()
            for thread in threads_:
                thread.join(duration + 120)
            elapsed = time.monotonic() - started
            pauses.stop()
            report["replay_pauses"] = pauses.pauses
            if fault != "none":
                # After the fault: the instances still read, rename and run jobs.
                report["after_fault"] = {
                    "invalidation": invalidation_phase(ports, data, rounds=2),
                    "job": job_phase(ports, data),
                }
            latencies = sorted(x for t in threads_ for x in t.latencies)
            stats = sum((t.stats for t in threads_), Counter())
            created = [pk for t in threads_ for pk in t.created]
            published = [pk for t in threads_ for pk in t.published]
            report["load"] = {
                "seconds": round(elapsed, 1),
                "requests": len(latencies),
                "requests_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0,
                "by_kind": dict(sorted(stats.items())),
                "errors": len(errors.items),
                "errors_by_kind": dict(errors.by_kind),
                "first_errors": errors.items[:10],
                "latency_ms": {
                    "p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
                    "p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
                },
            }
            report["metrics"] = {str(port): scrape(port) for port in ports}
            report["writes"] = {
                "created": len(created),
                "published": len(published),
                **verify_on_primary(primary_env, created, published),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    checks = {
        "zero_errors": report["load"]["errors"] == 0 and report["load"]["requests"] > 0,
        "writes_on_primary": report["writes"]["ok"],
        "rate_limit_exact": report["rate_limit"]["exact"],
        "invalidation_within_1s": report["invalidation"]["ok"],
        "job_ran": report["job"]["ok"],
        "replica_served_reads": all(
            metrics.get("queries_by_alias", {}).get("replica-1", 0) > 0 for metrics in report["metrics"].values()
        ),
        "cache_hits": all(metrics.get("read_cache", {}).get("hit", 0) > 0 for metrics in report["metrics"].values()),
    }
    if fault != "none":
        checks["job_ran_after_fault"] = report["after_fault"]["job"]["ok"]
        checks["renames_seen_after_fault"] = not report["after_fault"]["invalidation"]["failures"]
    report["checks"] = checks
    report["ok"] = all(checks.values())
    return report


# The job the drill sends to the queue: a suggestion scan over every document.
JOB = {"job_path": "/api/v1/jobs/suggestion-scans/", "job_body": {}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", choices=["none", "replica", "redis", "all"], default="all")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    faults = ["none", "replica", "redis"] if args.fault == "all" else [args.fault]
    reports = []
    for fault in faults:
        try:
            report = drill(
                fault=fault, clients=args.clients, duration=args.duration, workers=args.workers, threads=args.threads
            )
        except (pg_replica.PostgresUnavailable, Unavailable) as exc:
            print(f"scale-out drill skipped: {exc}")
            return 0
        reports.append(report)
        print(json.dumps(report, indent=2))
        print(f"fault={fault}: {'passed' if report['ok'] else 'FAILED'} {report['checks']}")
    out = ROOT / "bench" / "results" / f"scaleout-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    ok = all(r["ok"] for r in reports)
    print(f"scale-out drill {'passed' if ok else 'FAILED'}; report in {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
