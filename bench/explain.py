"""Query plans of the benchmark's SQL on both engines: which index answers each statement.

    .venv/bin/python bench/explain.py bench/results/sql-sqlite-100000.pickle bench/data/factbase-100000-s1.sqlite3
    .venv/bin/python bench/explain.py bench/results/sql-postgresql-100000.pickle postgres://…/factbase_bench_100000_s1

The pickles are written by bench/capture.py during `make bench` (Factbase's exact SQL).
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
import time
from pathlib import Path


def main(captured_path: str, database: str) -> None:
    captured = pickle.loads(Path(captured_path).read_bytes())  # noqa: S301 - our own file
    postgres = database.startswith("postgres")
    if postgres:
        import psycopg

        connection = psycopg.connect(database, autocommit=True)
    else:
        connection = sqlite3.connect(database)
    for query in captured["queries"]:
        print(f"\n## {query['name']}  ({query['factbase']})")
        for sql, params in query["statements"]:
            params = params or ()
            if postgres:
                plan_sql, run_sql = "EXPLAIN " + sql, sql
            else:
                run_sql = sql % tuple("?" * len(params))
                plan_sql = "EXPLAIN QUERY PLAN " + run_sql
            cursor = connection.cursor()
            started = time.perf_counter()
            cursor.execute(run_sql, params)
            cursor.fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            print(f"- {elapsed:.2f} ms: {sql[:110]}…")
            cursor.execute(plan_sql, params)
            for row in cursor.fetchall():
                print(f"      {row[0] if postgres else row[3]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
