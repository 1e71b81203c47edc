"""How gunicorn serves Factbase in production. `make serve-prod` and the benchmark
(bench/run.py) both start exactly

    gunicorn --config factbase/gunicorn.conf.py --bind HOST:PORT

so that what is measured is what is deployed. WORKERS and THREADS (environment variables)
set the process and thread counts; everything else is here.
"""

import os


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
# Each worker is replaced after about 10,000 requests, so that memory a leak holds is given
# back; the jitter keeps the workers from restarting together.
max_requests = 10000
max_requests_jitter = 500
# No access log by default: the HTTPS proxy in front logs every request already, and writing
# gunicorn's line costs about a tenth of the throughput of the fastest requests (one person
# by id: 3.30x Datasette without it, 2.94x with it). GUNICORN_CMD_ARGS="--access-logfile -"
# turns it on.
accesslog = None


# Prometheus metrics from every worker (factbase/metrics.py): with PROMETHEUS_MULTIPROC_DIR
# set, each worker writes its counters to files in that folder and /metrics adds them up.
# The folder is emptied when gunicorn starts (counters restart from zero, as they would in
# one process), and a worker that exits has its files marked, so that its gauges, if any
# are added, stop counting while its counters and histograms are kept.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
