#!/usr/bin/env python
"""Database outage drill: gunicorn reaches PostgreSQL through a TCP proxy that the drill
cuts and restores. While the database is unreachable every request (read or write) must get
a JSON 503 with Retry-After, never a 500 or a dropped connection, and no write may be
half-stored; once it is back the server must answer 200 again without a restart.

    .venv/bin/python bench/load/outage.py     (about 20 seconds; exit 1 on any failure)"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.server import base_env, free_port, gunicorn, manage, request, scratch_database  # noqa: E402


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database; `cut()` drops every connection and stops
    listening (like a database host going away), `restore()` listens again."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        with self.lock:
            listener, self.listener = self.listener, None
            sockets, self.sockets = self.sockets, set()
        for sock in [listener, *sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def via(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


def main() -> int:
    failures: list[str] = []
    log: list[str] = []
    with scratch_database("factbase_outage") as url:
        direct = base_env(url)
        manage("migrate", "--noinput", "-v", "0", env=direct)
        manage("load_checked", env=direct)
        token = manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
            "from rest_framework.authtoken.models import Token; "
            "u = get_user_model().objects.create(username='outage-curator', is_staff=True); "
            "u.groups.add(Group.objects.get(name='curators')); print(Token.objects.create(user=u).key)",
            env=direct,
        ).strip()
        parts = urlsplit(url)
        proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
        proxy.restore()
        port = free_port()
        env = base_env(via(url, proxy.port), CONN_MAX_AGE="60", FACTBASE_DB_RETRY_AFTER="3")
        document = {"title": "Outage drill", "text": "Written while the database was away.", "published": "2021-08-05"}

        def expect(label, method, path, status, body=None, check=None):
            try:
                got, headers, data = request(port, method, path, body=body, token=token)
            except OSError as exc:
                failures.append(f"{label}: connection failed: {exc!r}")
                return
            log.append(f"{label}: {method} {path} -> {got}")
            if got != status:
                failures.append(f"{label}: {method} {path} answered {got}, expected {status}: {str(data)[:200]}")
            elif check:
                check(label, headers, data)

        def unavailable(label, headers, data):
            wanted = {"detail": "The database is unavailable. Please retry shortly."}
            if data != wanted or headers.get("Retry-After") != "3":
                failures.append(f"{label}: 503 without the JSON body or Retry-After: {headers} {data}")

        with gunicorn(env, port=port, workers=2, threads=2):
            for n in range(6):  # warm every worker's persistent connection
                expect(f"before-{n}", "GET", "/api/v1/countries/?q=rus", 200)
            proxy.cut()
            for n in range(6):
                expect(f"down-read-{n}", "GET", "/api/v1/countries/?q=rus", 503, check=unavailable)
                expect(f"down-write-{n}", "POST", "/api/v1/documents/", 503, body=document, check=unavailable)
            proxy.restore()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                status, _, _ = request(port, "GET", "/api/v1/countries/?q=rus")
                if status == 200:
                    break
                time.sleep(0.2)
            for n in range(10):
                expect(f"after-{n}", "GET", "/api/v1/countries/?q=rus", 200)
            expect(
                "after-write",
                "GET",
                "/api/v1/documents/",
                200,
                check=lambda label, headers, data: all(d["title"] != document["title"] for d in data["results"])
                or failures.append(f"{label}: a write made during the outage was stored: {data}"),
            )
        proxy.cut()
    print(json.dumps({"requests": log, "failures": failures}, indent=2))
    print(f"outage drill {'FAILED' if failures else 'passed'}: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
