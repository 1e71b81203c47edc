"""Where a Factbase request spends its time: pyinstrument over N in-process requests.

    DATABASE_URL=sqlite:///bench/data/factbase-100000-s1.sqlite3 \\
        .venv/bin/python bench/profile.py /api/v1/claims/?subject=…&predicate=… [-n 200]

Prints the CPU time per request, the wall time split into SQL (measured with an execute
wrapper: the first step of each statement; SQLite does the rest of its work while rows are
fetched) and the rest, then pyinstrument's call tree (PROFILE_ALL=1 shows the frames it
hides in libraries). Measure before optimising; keep what the benchmark confirms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")
os.environ.setdefault("FACTBASE_THROTTLE_ANON", "off")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--no-tree", action="store_true")
    args = parser.parse_args()
    client = Client()
    for _ in range(5):
        assert client.get(args.path).status_code == 200
    sql_seconds = 0.0
    statements = 0

    def timed(execute, sql, params, many, context):
        nonlocal sql_seconds, statements
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds += time.perf_counter() - started
            statements += 1

    from pyinstrument import Profiler

    cpu_started = time.process_time()
    with connection.execute_wrapper(timed):
        for _ in range(args.n):
            response = client.get(args.path)
            if response.streaming:
                b"".join(response.streaming_content)
    cpu = (time.process_time() - cpu_started) / args.n * 1000
    print(f"{args.path}: {cpu:.2f} ms CPU per request (the machine may be shared: CPU time is the steady measure)")
    sql_seconds, statements = 0.0, 0
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        profiler.start()
        for _ in range(args.n):
            response = client.get(args.path)
            if response.streaming:
                b"".join(response.streaming_content)
        profiler.stop()
    total = time.perf_counter() - started
    per = total / args.n * 1000
    print(
        f"{args.n} requests: {per:.2f} ms each, of which SQL {sql_seconds / args.n * 1000:.2f} ms "
        f"({statements / args.n:.0f} statements)"
    )
    if not args.no_tree:
        print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"))


if __name__ == "__main__":
    main()
