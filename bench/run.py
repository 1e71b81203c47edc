"""Side-by-side benchmark: Factbase vs Datasette vs a bare WSGI floor on the same SQLite
file, then Factbase vs a psycopg floor on PostgreSQL. `make bench` runs it.

    .venv/bin/python bench/run.py [--claims 100000[,1000000]] [--duration 5] [--rounds 3]

For each size it
1. builds (or reuses) bench/data/factbase-<claims>-s<seed>.sqlite3 with `manage.py synth`,
   and the PostgreSQL database factbase_bench_<claims>_s<seed> (unless --no-postgres);
2. picks the query parameters and records Factbase's SQL for each query (bench/capture.py);
3. serves the file with Factbase exactly as `make serve-prod WORKERS=<--workers>` does
   (factbase/gunicorn.conf.py, the production environment of .env.example, default settings;
   only the rate limits are off, as Datasette has none), Datasette 0.65.5
   (`--setting suggest_facets off`, from bench/.venv) and the floor (bench/floor.py, served by
   the same gunicorn configuration), each on a free port of 127.0.0.1;
4. drives every query on every server with wrk, in interleaved rounds (the server order
   rotates each round), and keeps each cell's median round;
5. records the peak resident memory of every server's processes (VmHWM, summed over a
   gunicorn master and its workers);
6. prints markdown tables with req/s, p50, p99 and the ratios, and writes them with the
   raw numbers to bench/results/ (git-ignored).

Environment overrides: BENCH_CLAIMS, BENCH_SEED, BENCH_DURATION, BENCH_ROUNDS,
BENCH_CONNECTIONS, BENCH_THREADS (wrk's), BENCH_WORKERS (gunicorn's), BENCH_PG_URL (server URL
without a database name), BENCH_PG_PREFIX (the databases' names before _<claims>_s<seed>;
factbase_bench), BENCH_POSTGRES=0 to skip PostgreSQL. No other setting of the shell
reaches the served Factbase (see SETTINGS_ENV): it runs with the defaults a deployment gets.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import pickle
import re
import runpy
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# The configuration `make serve-prod` starts gunicorn with.
GUNICORN_CONF = ROOT / "factbase" / "gunicorn.conf.py"
DATASETTE = str(BENCH / ".venv" / "bin" / "datasette")
WRK = "wrk"


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env={**os.environ, **(env or {})}, cwd=ROOT, check=True, **kwargs)


# --- databases ------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def ensure_sqlite(claims: int, seed: int) -> Path:
    path = DATA / f"factbase-{claims}-s{seed}.sqlite3"
    done = path.with_suffix(".done")
    env = {"DATABASE_URL": sqlite_url(path)}
    if not done.exists():
        for stale in DATA.glob(f"{path.name}*"):
            stale.unlink()
        DATA.mkdir(parents=True, exist_ok=True)
        log(f"Building {path.relative_to(ROOT)} ({claims:,} claims, seed {seed})")
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PY, "manage.py", "synth", "--claims", str(claims), "--seed", str(seed)], env)
        done.write_text(dt.datetime.now(dt.UTC).isoformat())
    else:
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)  # new indexes, if any
    # Checkpoint the WAL so that every server reads one file in the same state.
    run([PY, "-c", f"import sqlite3; sqlite3.connect({str(path)!r}).execute('PRAGMA wal_checkpoint(TRUNCATE)')"])
    return path


def ensure_postgres(claims: int, seed: int, server_url: str) -> str:
    name = f"{os.environ.get('BENCH_PG_PREFIX', 'factbase_bench')}_{claims}_s{seed}"
    url = f"{server_url.rstrip('/')}/{name}"
    env = {"DATABASE_URL": url}
    marker = DATA / f"{name}.done"
    admin = f"{server_url.rstrip('/')}/postgres"
    if not marker.exists():
        log(f"Building PostgreSQL database {name} ({claims:,} claims, seed {seed})")
        run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"])
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PY, "manage.py", "synth", "--claims", str(claims), "--seed", str(seed)], env)
        run(["psql", url, "-qc", "VACUUM ANALYZE"])
        DATA.mkdir(parents=True, exist_ok=True)
        marker.write_text(dt.datetime.now(dt.UTC).isoformat())
    else:
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    return url


def capture(database_url: str, out: Path, datasette_db: str) -> dict:
    run(
        [PY, "-W", "ignore", str(BENCH / "capture.py"), str(out)],
        {"DATABASE_URL": database_url, "BENCH_DATASETTE_DB": datasette_db},
    )
    return pickle.loads(out.read_bytes())  # noqa: S301 - written just now by capture.py


# --- servers --------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, cmd: list[str], env: dict, port: int, probe: str):
        """Runs `cmd` with exactly the environment `env`."""
        self.name, self.port, self.probe = name, port, probe
        self.log_path = RESULTS / f"server-{name.replace(' ', '_')}.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT)
        self.wait_ready()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited; see {self.log_path}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.base + self.probe, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer {self.probe} within {timeout:.0f} s; see {self.log_path}")

    def pids(self) -> list[int]:
        pids = [self.process.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            pids += [int(pid) for pid in children]
        return pids

    def peak_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) summed over the master and its workers."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()


# Every environment variable factbase/settings.py or factbase/gunicorn.conf.py reads: none is
# inherited from the shell that runs the benchmark, so that Factbase is measured with the
# defaults (a SQLITE_CONN_MAX_AGE=0 or DEBUG=1 left in a shell would change the numbers).
SETTINGS_ENV = {
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "FACTBASE_ENV",
    "LOG_LEVEL",
    "SECRET_KEY",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SQLITE_CACHE_KIB",
    "SQLITE_CONN_MAX_AGE",
    "THREADS",
    "WORKERS",
    "GUNICORN_CMD_ARGS",
}


def inherited_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV and not k.startswith("FACTBASE_")}


def production_env(database_url: str) -> dict:
    """What a deployment sets for `make serve-prod` (.env.example), and no more: every other
    setting keeps its default."""
    return {
        "DATABASE_URL": database_url,
        "FACTBASE_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on 127.0.0.1, as behind the HTTPS proxy that redirects for it.
        "SECURE_SSL_REDIRECT": "0",
        # Datasette has no rate limits; production throttles by default.
        "FACTBASE_THROTTLE_ANON": "off",
        "FACTBASE_THROTTLE_USER": "off",
    }


SECRET_KEY = secrets.token_urlsafe(50)


def gunicorn(name: str, env: dict, workers: int, probe: str, app: str | None = None) -> Server:
    """gunicorn exactly as `make serve-prod WORKERS=<workers>` starts it; `app` replaces
    Factbase with another WSGI application (the floors)."""
    port = free_port()
    cmd = [GUNICORN, "--config", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}", *([app] if app else [])]
    return Server(name, cmd, {**inherited_env(), **env, "WORKERS": str(workers)}, port, probe)


def gunicorn_settings(workers: int) -> dict:
    """The worker class, workers and threads that gunicorn.conf.py gives (for the report)."""
    environ = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update({**inherited_env(), "WORKERS": str(workers)})
        conf = runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(environ)
    return {key: conf[key] for key in ("worker_class", "workers", "threads", "max_requests", "accesslog")}


def datasette(path: Path, probe: str) -> Server:
    port = free_port()
    metadata = RESULTS / "datasette-metadata.json"
    tables = {
        # The claim text index (factbase/indexes/claim_text.py): Datasette searches the same index for
        # the same question, published claims whose text matches.
        "factbase_claim": {"fts_table": "factbase_claim_text_fts", "fts_pk": "id"},
        "factbase_alias": {"fts_table": "factbase_alias_fts", "fts_pk": "id"},
    }
    metadata.write_text(json.dumps({"databases": {path.stem: {"tables": tables}}}))
    cmd = [
        DATASETTE,
        "serve",
        str(path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
        "--metadata",
        str(metadata),
    ]
    return Server("Datasette", cmd, dict(os.environ), port, probe)


# --- load -----------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse_latency(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unreadable latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(url: str, *, duration: int, threads: int, connections: int) -> dict:
    out = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        result[f"p{pct}"] = parse_latency(re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    result["non2xx"] = int(bad.group(1)) if bad else 0
    result["socket_errors"] = errors.group(0) if errors else ""
    return result


def check(server: Server, path: str) -> int:
    try:
        with urllib.request.urlopen(server.base + path, timeout=60) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{server.name} answered {exc.code} to {path}") from exc
    return len(body)


def drive(servers: dict[str, Server], paths: dict[str, dict[str, str]], args) -> dict:
    """paths[query][server name] -> path. Returns cells[query][server] = median round."""
    rounds: dict[str, dict[str, list[dict]]] = {q: {s: [] for s in servers} for q in paths}
    for by_server in paths.values():
        for name, path in by_server.items():
            check(servers[name], path)
            # Warm-up: caches, connections, first-request imports.
            wrk(servers[name].base + path, duration=1, threads=1, connections=2)
    order = list(servers)
    for round_index in range(args.rounds):
        rotated = order[round_index % len(order) :] + order[: round_index % len(order)]
        for query, by_server in paths.items():
            for name in rotated:
                if name not in by_server:
                    continue
                result = wrk(
                    servers[name].base + by_server[name],
                    duration=args.duration,
                    threads=args.threads,
                    connections=args.connections,
                )
                rounds[query][name].append(result)
        log(f"  round {round_index + 1}/{args.rounds} done")
    cells = {}
    for query, by_server in rounds.items():
        cells[query] = {}
        for name, results in by_server.items():
            if not results:
                continue
            median = sorted(results, key=lambda r: r["rps"])[len(results) // 2]
            cells[query][name] = {**median, "rounds": results}
    return cells


def stream_memory(server: Server, path: str) -> dict:
    """GET `path` from the one-worker `server`, reading the body as it streams, and sample the
    worker's resident memory (VmRSS) every 0.2 s: the growth over the worker's memory after the
    small request that proved it ready is what the response costs. Also the time to the
    first byte of the body, its size and its newline count, and the worker's VmHWM."""
    worker = server.pids()[-1]

    def status_mb(field: str) -> float:
        for line in Path(f"/proc/{worker}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return 0.0

    start = status_mb("VmRSS:")
    peak, lines, size, first_byte = start, 0, 0, None
    started = time.monotonic()
    last_sample = 0.0
    with urllib.request.urlopen(server.base + path, timeout=3600) as response:  # noqa: S310
        while chunk := response.read1(1 << 20):
            if first_byte is None:
                first_byte = time.monotonic() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
            if time.monotonic() - last_sample > 0.2:
                peak, last_sample = max(peak, status_mb("VmRSS:")), time.monotonic()
    seconds = time.monotonic() - started
    peak = max(peak, status_mb("VmRSS:"))
    return {
        "rows": lines,
        "bytes": size,
        "mib": round(size / 2**20),
        "seconds": round(seconds, 1),
        "ttfb_seconds": round(first_byte if first_byte is not None else seconds, 3),
        "rss_start_mb": round(start),
        "rss_peak_mb": round(peak),
        "growth_mb": round(peak - start, 1),
        "hwm_mb": round(status_mb("VmHWM:")),
    }


def export_memory(database_url: str, path: str = "/api/v1/exports/claims.jsonl") -> dict:
    """Stream a whole export from a one-worker Factbase and sample the worker's resident
    memory while it runs (stream_memory): the export must not grow with the row count.
    (The gthread worker keeps reporting to the arbiter while a thread streams: no timeout.)"""
    server = gunicorn("Factbase export", production_env(database_url), 1, "/api/v1/")
    try:
        return stream_memory(server, path)
    finally:
        server.stop()


# --- reporting ------------------------------------------------------------------------------


def fmt_rps(value: float) -> str:
    return f"{value:,.0f}"


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(title: str, cells: dict, names: list[str], baseline: list[str], queries_per_request: dict) -> str:
    head = ["query"]
    for name in names:
        head += [f"{name} req/s", f"{name} p50 ms", f"{name} p99 ms"]
    head += [f"Factbase / {b}" for b in baseline] + ["SQL per request"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for query, row in cells.items():
        cols = [query]
        for name in names:
            cell = row.get(name)
            cols += [fmt_rps(cell["rps"]), fmt_ms(cell["p50"]), fmt_ms(cell["p99"])] if cell else ["–", "–", "–"]
        for b in baseline:
            if row.get(b) and row.get("Factbase"):
                cols.append(f"{row['Factbase']['rps'] / row[b]['rps']:.2f}×")
            else:
                cols.append("–")
        cols.append(str(queries_per_request.get(query, "")))
        lines.append("| " + " | ".join(cols) + " |")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def bench_size(claims: int, args) -> dict:
    started = time.monotonic()
    path = ensure_sqlite(claims, args.seed)
    size_mb = path.stat().st_size / 2**20
    captured = capture(sqlite_url(path), RESULTS / f"sql-sqlite-{claims}.pickle", path.stem)
    qpr = {q["name"]: len(q["statements"]) for q in captured["queries"]}
    log(f"Serving {path.name} ({size_mb:,.0f} MiB) with Factbase, Datasette and the floor")
    # What `make serve-prod` runs before gunicorn: the deployment check (the environment below
    # is a valid production one) and collectstatic.
    for step in (["check", "--deploy", "--fail-level", "WARNING"], ["collectstatic", "--noinput", "-v", "0"]):
        run([PY, "manage.py", *step], production_env(sqlite_url(path)), stdout=subprocess.DEVNULL)
    servers: dict[str, Server] = {}
    try:
        servers["Factbase"] = gunicorn("Factbase", production_env(sqlite_url(path)), args.workers, "/api/v1/")
        servers["Datasette"] = datasette(path, f"/{path.stem}.json")
        servers["floor"] = gunicorn(
            "floor",
            {"FLOOR_SQL": str(RESULTS / f"sql-sqlite-{claims}.pickle"), "FLOOR_DB": str(path)},
            args.workers,
            captured["queries"][0]["factbase"],
            app="bench.floor:app",
        )
        paths = {
            q["name"]: {"Factbase": q["factbase"], "Datasette": q["datasette"], "floor": q["factbase"]}
            for q in captured["queries"]
        }
        sqlite_cells = drive(servers, paths, args)
        sqlite_rss = {name: server.peak_rss_mb() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    export = None
    if args.export:
        try:
            export = export_memory(sqlite_url(path))
        except Exception as exc:  # noqa: BLE001 - report the failure, keep the other results
            export = {"error": repr(exc)}
            log(f"  export failed: {exc!r}")
    result = {
        "export": export,
        "claims": claims,
        "seed": args.seed,
        "sqlite_file_mib": round(size_mb),
        "params": captured["params"],
        "sqlite": sqlite_cells,
        "sqlite_peak_rss_mb": sqlite_rss,
        "queries_per_request": qpr,
        "paths": {q["name"]: {"factbase": q["factbase"], "datasette": q["datasette"]} for q in captured["queries"]},
    }
    if args.postgres:
        url = ensure_postgres(claims, args.seed, args.pg_url)
        pg_captured = capture(url, RESULTS / f"sql-postgresql-{claims}.pickle", path.stem)
        servers = {}
        try:
            servers["Factbase"] = gunicorn("Factbase PostgreSQL", production_env(url), args.workers, "/api/v1/")
            servers["psycopg floor"] = gunicorn(
                "psycopg floor",
                {"FLOOR_SQL": str(RESULTS / f"sql-postgresql-{claims}.pickle"), "FLOOR_PG": url},
                args.workers,
                pg_captured["queries"][0]["factbase"],
                app="bench.floor:app",
            )
            paths = {
                q["name"]: {"Factbase": q["factbase"], "psycopg floor": q["factbase"]} for q in pg_captured["queries"]
            }
            result["postgresql"] = drive(servers, paths, args)
            result["postgresql_peak_rss_mb"] = {name: server.peak_rss_mb() for name, server in servers.items()}
            result["postgresql_queries_per_request"] = {q["name"]: len(q["statements"]) for q in pg_captured["queries"]}
        finally:
            for server in servers.values():
                server.stop()
    result["seconds"] = round(time.monotonic() - started)
    return result


def report(result: dict, args) -> str:
    claims = result["claims"]
    g = gunicorn_settings(args.workers)
    parts = [
        f"## {claims:,} claims (seed {result['seed']}; SQLite file {result['sqlite_file_mib']:,} MiB)",
        "",
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds, median "
        f"round; Factbase and the floors served as `make serve-prod WORKERS={args.workers}` serves "
        f"(factbase/gunicorn.conf.py: {g['workers']} {g['worker_class']} workers × {g['threads']} threads, "
        f"max_requests {g['max_requests']}, access log {'on' if g['accesslog'] else 'off'}), Factbase with default settings; Datasette 0.65.5 with "
        "suggest_facets off.",
        "",
        table(
            "SQLite",
            result["sqlite"],
            ["Factbase", "Datasette", "floor"],
            ["Datasette", "floor"],
            result["queries_per_request"],
        ),
        "",
        "Peak RSS (MB, all processes): "
        + ", ".join(f"{name} {mb:,.0f}" for name, mb in result["sqlite_peak_rss_mb"].items()),
    ]
    if result.get("export") and "error" in result["export"]:
        parts += ["", f"Export failed: {result['export']['error']}"]
    elif result.get("export"):
        e = result["export"]
        parts += [
            "",
            f"Export (GET /api/v1/exports/claims.jsonl, one gunicorn worker): {e['rows']:,} claims, {e['mib']:,} MiB "
            f"in {e['seconds']} s; worker RSS {e['rss_start_mb']} MB at the start, {e['rss_peak_mb']} MB at the peak "
            f"(+{e['growth_mb']} MB).",
        ]
    if "postgresql" in result:
        parts += [
            "",
            table(
                "PostgreSQL",
                result["postgresql"],
                ["Factbase", "psycopg floor"],
                ["psycopg floor"],
                result["postgresql_queries_per_request"],
            ),
            "",
            "Peak RSS (MB, all processes): "
            + ", ".join(f"{name} {mb:,.0f}" for name, mb in result["postgresql_peak_rss_mb"].items()),
        ]
    return "\n".join(parts)


def growth(results: list[dict]) -> str:
    """p50 of Factbase on each query at each size, and the growth from smallest to largest."""
    sizes = [r["claims"] for r in results]
    lines = [
        "### Factbase p50 (ms) by size, SQLite",
        "",
        "| query | " + " | ".join(f"{n:,}" for n in sizes) + " | growth |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for query in results[0]["sqlite"]:
        p50 = [r["sqlite"][query]["Factbase"]["p50"] for r in results]
        lines.append(f"| {query} | " + " | ".join(fmt_ms(v) for v in p50) + f" | {p50[-1] / p50[0]:.2f}× |")
    return "\n".join(lines)


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", default=env("BENCH_CLAIMS", "100000"), help="one size or several, comma-separated")
    parser.add_argument("--seed", type=int, default=int(env("BENCH_SEED", "1")))
    parser.add_argument("--duration", type=int, default=int(env("BENCH_DURATION", "5")), help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", "3")))
    parser.add_argument("--threads", type=int, default=int(env("BENCH_THREADS", "2")))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "8")))
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", "3")))
    parser.add_argument("--pg-url", default=env("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument(
        "--no-postgres", dest="postgres", action="store_false", default=env("BENCH_POSTGRES", "1") != "0"
    )
    parser.add_argument(
        "--no-export",
        dest="export",
        action="store_false",
        default=env("BENCH_EXPORT", "1") != "0",
        help="skip the export memory measurement",
    )
    args = parser.parse_args()
    for tool in (WRK, DATASETTE):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0 and not Path(tool).exists():
            raise SystemExit(
                f"{tool} is missing: `make bench` installs Datasette into bench/.venv; wrk is apt's `wrk`."
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = [int(n.replace("_", "")) for n in str(args.claims).split(",")]
    results = []
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for claims in sizes:
        result = bench_size(claims, args)
        results.append(result)
        text = report(result, args)
        log("\n" + text + "\n")
        # Written after every size, so that a long run that fails later keeps what it measured.
        (RESULTS / f"bench-{stamp}-{claims}.json").write_text(json.dumps(result, indent=2, default=str))
        (RESULTS / f"bench-{stamp}-{claims}.md").write_text(text + "\n")
    markdown = "\n\n".join(report(r, args) for r in results)
    if len(results) > 1:
        markdown += "\n\n" + growth(results)
        log(growth(results))
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    (RESULTS / f"bench-{stamp}.md").write_text(markdown + "\n")
    (RESULTS / "latest.md").write_text(markdown + "\n")
    log(f"Results: bench/results/bench-{stamp}.md (and .json)")


if __name__ == "__main__":
    main()
