"""How gunicorn serves Factbase in production. `make serve-prod` and the benchmark
(bench/run.py) both start exactly

    gunicorn --config factbase/gunicorn.conf.py --bind HOST:PORT

so that what is measured is what is deployed. WORKERS and THREADS (environment variables)
set the process and thread counts; everything else is here.
"""

import os
import shutil
import tempfile
import time


def _count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "factbase.wsgi:application"
workers = _count("WORKERS", 4)
# Threaded workers keep heartbeating while a thread streams a long export: a sync worker is
# killed `timeout` seconds into any response that takes longer. One thread per worker by
# default: on SQLite more threads only queue for the GIL (at 100k claims, 4 threads per worker
# served 5-21% fewer requests than 1, with p99 latencies up to a second); on PostgreSQL,
# THREADS=2-4 lets a worker overlap the database's waits.
worker_class = "gthread"
threads = _count("THREADS", 1)
timeout = 30
graceful_timeout = 30
# Each worker is replaced after about 100,000 requests, so that memory a leak would hold is
# given back (none is known: a worker's memory stays flat after its first requests); the
# jitter keeps the workers from restarting together. A new worker imports Django again and
# answers its first requests cold: 0.3 s of CPU to start and 0.3 s more for its first person
# and claims page on the benchmark's machine. Every 10,000 requests, as this was, a worker
# answering 600 light requests a second spent a tenth of its time restarting (one person by
# id: 2,016-2,147 against 2,371-2,643 req/s without restarts, and a p99 of 15-16 against
# 6-7 ms). GUNICORN_CMD_ARGS="--max-requests N" sets another.
max_requests = 100_000
max_requests_jitter = 10_000
# No access log by default: the HTTPS proxy in front logs every request already, and writing
# gunicorn's line costs about a tenth of the throughput of the fastest requests (one person
# by id: 3.30x Datasette without it, 2.94x with it). GUNICORN_CMD_ARGS="--access-logfile -"
# turns it on.
accesslog = None


# Prometheus metrics from every worker (factbase/metrics.py): with PROMETHEUS_MULTIPROC_DIR
# set, each worker writes its counters to files in that folder and /metrics adds them up,
# whichever worker answers the scrape; without it, each scrape would see one worker's counters
# and Prometheus would read every change of worker as a counter reset. Unless the variable
# names a folder, gunicorn makes a private one (in TMPDIR) and removes it on exit. A folder
# that is named is emptied when gunicorn starts (counters restart from zero, as they would in
# one process). A worker that exits has its files marked, so that gauges, if any are added,
# stop counting it; its counters and histograms are kept.
_metrics_folder_is_ours = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_folder_is_ours:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="factbase-metrics-")

# Imported here, once the folder is named (prometheus_client picks its multiprocess values
# when first imported), and never in child_exit: that hook runs in the arbiter's SIGCHLD
# handler, and a second worker's exit during the first one's import entered the import again
# ("partially initialized module"); the error ended the arbiter without on_exit, leaving its
# folder behind (1 run in 12 of its test).
from prometheus_client import multiprocess  # noqa: E402


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if not _metrics_folder_is_ours:
        return
    # A worker told to stop with the arbiter (a signal to the whole group) may still be
    # writing its files while the folder goes: removed again until it is gone (a worker
    # never makes the folder anew; without it, it fails to write and exits anyway).
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    for _ in range(100):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):
            break
        time.sleep(0.05)
