#!/usr/bin/env bash
# Reliability drills against gunicorn on PostgreSQL, bounded in time (about 2 minutes):
# a database outage (JSON 503, then recovery without restart) and 60 s of load with
# 16 clients (zero errors; every acknowledged write is in the database).
set -euo pipefail
cd "$(dirname "$0")/../.."
pg_isready -h 127.0.0.1 -p 5432 -q
# The drill's report (every request and failure) in full when it fails, its verdict alone when not.
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if ! timeout 120 .venv/bin/python bench/load/outage.py >"$report" 2>&1; then
    cat "$report"
    exit 1
fi
tail -n 1 "$report"
timeout 240 .venv/bin/python bench/load/run.py --clients 16 --duration 60
