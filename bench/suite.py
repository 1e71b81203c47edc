"""What the case-finding benchmarks (bench/worst.py for the API, bench/admin.py for the
admin) share: their command line, the databases they measure, the case finder run against
each one in a child process, and where their reports are written."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os


def arguments(description: str, *, repeat: int, database_help: str = "") -> argparse.ArgumentParser:
    """The options every suite takes; a suite adds its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--claims", default=os.environ.get("BENCH_CLAIMS", "1000000"))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "1")))
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "2")))
    parser.add_argument(
        "--database-url",
        action="append",
        default=[],
        help="measure this database instead of building the benchmark's (repeat for several); "
        "it must already hold synthetic data and be migrated" + database_help,
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    return parser


def stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def targets(args, bench) -> list[tuple[str, str]]:
    """(engine, database URL) to measure: the ones given, or the benchmark's own databases
    of each size and engine, built by bench/run.py where missing."""
    given = [("sqlite" if url.startswith("sqlite") else "postgresql", url) for url in args.database_url]
    if given:
        return given
    found = []
    for claims in [int(n) for n in args.claims.split(",")]:
        for engine in args.engines.split(","):
            if engine == "sqlite":
                found.append((engine, bench.sqlite_url(bench.ensure_sqlite(claims, args.seed))))
            else:
                found.append((engine, bench.ensure_postgres(claims, args.seed, args.pg_url)))
    return found


def find(bench, script: str, name: str, engine: str, url: str, stamp: str) -> dict:
    """The cases `script find` finds in the database at `url`, run in a child process with
    that database as its DATABASE_URL."""
    out = bench.RESULTS / f"{name}-cases-{engine}-{stamp}.json"
    bench.run([bench.PY, "-W", "ignore", script, "find", str(out)], {"DATABASE_URL": url})
    return json.loads(out.read_text())


def write(bench, name: str, stamp: str, runs: dict, text: str) -> None:
    """The report as markdown and the runs as JSON in bench/results/, and the report printed."""
    (bench.RESULTS / f"{name}-{stamp}.md").write_text(text)
    (bench.RESULTS / f"{name}-{stamp}.json").write_text(
        json.dumps({f"{claims} {vendor}": run for (claims, vendor), run in runs.items()}, indent=1, default=str)
    )
    print(text)
    print(f"Written to bench/results/{name}-{stamp}.md")
