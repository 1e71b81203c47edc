"""The Popolo export (`GET /api/v1/exports/popolo/`) at N claims: total time, time to the
first byte, body size, and the growth of one gunicorn worker's resident memory while it
streams the whole document (sampled as bench/run.py samples the JSON Lines export).

    .venv/bin/python bench/popolo_memory.py [--claims 10000] [--repeat 3] [--no-postgres]

Reads the benchmark databases bench/run.py builds (bench/data/factbase-<N>-s<seed>.sqlite3
and factbase_bench_<N>_s<seed>) and never writes to them; --sqlite and --pg-url point
elsewhere (another checkout's bench/data, a copy). Each repeat starts a fresh one-worker
gunicorn, as `make serve-prod WORKERS=1` does, and streams the export twice: the growth of
the first is over the worker's memory after the small request that proved it ready, the
second's ("again") over the first's peak.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import DATA, RESULTS, gunicorn, log, production_env, sqlite_url, stream_memory  # noqa: E402

PATH = "/api/v1/exports/popolo/"


def measure(database_url: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        server = gunicorn("Factbase Popolo", production_env(database_url), 1, "/api/v1/")
        try:
            first = stream_memory(server, PATH)
            # The same export again in the same worker: what the first left behind (SQLite's
            # page cache, allocator arenas) is reused, so any growth here is the export's own.
            again = stream_memory(server, PATH)
        finally:
            server.stop()
        runs.append({**first, "again_growth_mb": again["growth_mb"], "again_seconds": again["seconds"]})
        log(f"  {json.dumps(runs[-1])}")
    return {
        "runs": runs,
        "seconds_p50": statistics.median(r["seconds"] for r in runs),
        "ttfb_p50": statistics.median(r["ttfb_seconds"] for r in runs),
        "growth_mb_max": max(r["growth_mb"] for r in runs),
        "again_growth_mb_max": max(r["again_growth_mb"] for r in runs),
        "bytes": runs[-1]["bytes"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", type=Path, help="the SQLite file (default: bench/data's for --claims)")
    parser.add_argument("--pg-url", help="the PostgreSQL database URL (default: the benchmark's for --claims)")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--no-sqlite", dest="sqlite_on", action="store_false")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    engines = {}
    if args.sqlite_on:
        path = args.sqlite or DATA / f"factbase-{args.claims}-s{args.seed}.sqlite3"
        if not path.exists():
            raise SystemExit(f"{path} is missing: build it with bench/run.py --claims {args.claims}")
        engines["SQLite"] = sqlite_url(path)
    if args.postgres:
        engines["PostgreSQL"] = (
            args.pg_url or f"postgres://postgres@127.0.0.1:5432/factbase_bench_{args.claims}_s{args.seed}"
        )
    results = {}
    for engine, url in engines.items():
        log(f"{engine}: {PATH} at {args.claims:,} claims, {args.repeat} run(s)")
        results[engine] = measure(url, args.repeat)
    log("")
    log("| engine | seconds (p50) | first byte (s, p50) | worker RSS growth (MB, max) | again (MB) | body (MiB) |")
    log("|---|---:|---:|---:|---:|---:|")
    for engine, r in results.items():
        log(
            f"| {engine} | {r['seconds_p50']:.1f} | {r['ttfb_p50']:.2f} | {r['growth_mb_max']} | "
            f"{r['again_growth_mb_max']} | {r['bytes'] / 2**20:.1f} |"
        )


if __name__ == "__main__":
    main()
