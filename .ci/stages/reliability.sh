#!/usr/bin/env bash
# Reliability drills against gunicorn on PostgreSQL, bounded in time (about 2 minutes):
# a database outage (JSON 503, then recovery without restart) and 60 s of load with
# 16 clients (zero errors; every acknowledged write is in the database).
set -euo pipefail
cd "$(dirname "$0")/../.."
pg_isready -h 127.0.0.1 -p 5432 -q
timeout 120 .venv/bin/python bench/load/outage.py | tail -n 3
timeout 240 .venv/bin/python bench/load/run.py --clients 16 --duration 60
