"""The HTTP floor: a bare WSGI app that answers the benchmark's paths by running exactly
the SQL statements Factbase ran for them (recorded by bench/capture.py) and encoding the
rows with orjson. No framework, no ORM, one persistent connection per worker: what is
left is the database, the driver, the encoder and gunicorn.

    FLOOR_SQL=captured.pickle FLOOR_DB=path.sqlite3 gunicorn bench.floor:app
    FLOOR_SQL=captured.pickle FLOOR_PG=postgres://… gunicorn bench.floor:app
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import pickle
import sqlite3
import uuid
from pathlib import Path

import orjson

_statements: dict[str, list] = {}
_connection = None


def _load() -> None:
    captured = pickle.loads(Path(os.environ["FLOOR_SQL"]).read_bytes())  # noqa: S301 - our own file
    for query in captured["queries"]:
        path = query["factbase"]
        if os.environ.get("FLOOR_PG"):
            statements = query["statements"]
        else:
            # Django writes %s placeholders and %% for a literal %; sqlite3 wants ?.
            statements = [(sql % tuple("?" * len(params or ())), params) for sql, params in query["statements"]]
        _statements[path] = statements


def _connect():
    global _connection
    if _connection is None:
        if os.environ.get("FLOOR_PG"):
            import psycopg

            _connection = psycopg.connect(os.environ["FLOOR_PG"], autocommit=True)
        else:
            _connection = sqlite3.connect(os.environ["FLOOR_DB"], check_same_thread=False)
    return _connection


def _default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID | dt.date):
        return str(value)
    raise TypeError


def app(environ, start_response):
    if not _statements:
        _load()
    query = environ.get("QUERY_STRING", "")
    path = environ["PATH_INFO"] + (f"?{query}" if query else "")
    statements = _statements.get(path)
    if statements is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"not a benchmark path"}']
    connection = _connect()
    results = []
    cursor = connection.cursor()
    for sql, params in statements:
        cursor.execute(sql, params or ())
        names = [column[0] for column in cursor.description or ()]
        results.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    body = orjson.dumps({"results": results}, default=_default)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
