"""A throwaway PostgreSQL 15 primary with a streaming replica, for the replica tests and the
scale-out drill. Standard library and psycopg only.

    with replica_pair() as pair:
        pair.primary_url, pair.replica_url   # postgres://postgres@127.0.0.1:<port>/factbase
        pair.pause_replay(); …; pair.resume_replay()
        pair.stop_replica(); …; pair.start_replica()

`replica_pair(replicas=2)` builds more replicas (`pair.replica_urls`; the methods take
`number=2`).

`replica_pair()` builds both clusters in a scratch directory under /tmp: `initdb` a primary
on a free port (trust authentication for 127.0.0.1, replication included; fsync off and small
buffers, since the data is thrown away), `pg_basebackup -R -X stream` a replica from it on
another free port, starts both, waits until the replica streams, and removes everything when
the block ends, however it ends (an exception, KeyboardInterrupt). The system cluster on
5432 is never touched. PostgreSQL refuses to run as root: as root, the servers run as the
`postgres` OS user through `runuser`, in a directory it owns.

Where the binaries (or, as root, `runuser` and the `postgres` user) are missing it raises
`PostgresUnavailable`, whose message the tests show as their skip reason."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BIN_DIR = Path(os.environ.get("FACTBASE_PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "factbase"
OS_USER = "postgres"
# Fast to start and to write; nothing here needs to survive a crash.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "shared_buffers": "'16MB'",
    "max_connections": "60",
    "fsync": "off",
    "full_page_writes": "off",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "hot_standby_feedback": "on",
    "log_min_messages": "warning",
}
HBA = """\
local all all trust
local replication all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries (or the means to run them) are not on this machine."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def check_available(bin_dir: Path = BIN_DIR) -> None:
    """Raise PostgresUnavailable, saying what is missing, unless a pair can be built here."""
    missing = [name for name in ("initdb", "pg_ctl", "pg_basebackup", "postgres") if not (bin_dir / name).exists()]
    if missing:
        raise PostgresUnavailable(f"PostgreSQL server binaries not found in {bin_dir}: {', '.join(missing)}")
    if _as_root():
        if shutil.which("runuser") is None:
            raise PostgresUnavailable("running as root, and `runuser` (to run PostgreSQL as postgres) is missing")
        try:
            pwd.getpwnam(OS_USER)
        except KeyError as exc:
            raise PostgresUnavailable("running as root, and there is no `postgres` OS user to run PostgreSQL") from exc


class ReplicaPair:
    """A running primary and its replicas (numbered from 1); made by `replica_pair()`, which
    tears them down."""

    def __init__(self, directory: Path, bin_dir: Path = BIN_DIR, replicas: int = 1):
        self.directory = directory
        self.bin_dir = bin_dir
        ports: list[int] = []
        while len(ports) < replicas + 1:
            port = free_port()
            if port not in ports:
                ports.append(port)
        self.primary_port, self.replica_ports = ports[0], ports[1:]
        self.primary_dir = directory / "primary"
        self.replica_dirs = [directory / f"replica-{number}" for number in range(1, replicas + 1)]

    # Where to connect.

    def url(self, port: int, database: str = DATABASE) -> str:
        return f"postgres://{OS_USER}@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_port(self) -> int:
        return self.replica_ports[0]

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    @property
    def replica_urls(self) -> list[str]:
        return [self.url(port) for port in self.replica_ports]

    def _port(self, which: str) -> int:
        if which == "primary":
            return self.primary_port
        number = 1 if which == "replica" else int(which.removeprefix("replica-"))
        return self.replica_ports[number - 1]

    def connect(self, which: str = "primary", database: str = DATABASE):
        """An autocommit psycopg connection to "primary", "replica" (the first) or "replica-N"."""
        import psycopg

        return psycopg.connect(self.url(self._port(which), database), autocommit=True, connect_timeout=5)

    def query(self, which: str, sql: str, params=None) -> list[tuple]:
        with self.connect(which) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    # Running commands as the server's owner.

    def _command(self, *args: str) -> list[str]:
        return ["runuser", "-u", OS_USER, "--", *args] if _as_root() else list(args)

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = self._command(*args)  # our own fixed binaries and arguments
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def _bin(self, name: str) -> str:
        return str(self.bin_dir / name)

    def _pg_ctl(self, data: Path, *args: str, timeout: float = 60) -> None:
        self._run(self._bin("pg_ctl"), "-D", str(data), *args, timeout=timeout)

    def _configure(self, data: Path, port: int) -> None:
        # Appended: later lines win, so the replica's port overrides the one it copied.
        lines = {**SERVER_SETTINGS, "port": str(port), "unix_socket_directories": f"'{self.directory}'"}
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("\n# tools/pg_replica.py\n")
            conf.writelines(f"{key} = {value}\n" for key, value in lines.items())

    # Building and running.

    def build(self) -> None:
        if _as_root():
            user = pwd.getpwnam(OS_USER)
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run(
            self._bin("initdb"),
            "-D",
            str(self.primary_dir),
            "-U",
            OS_USER,
            "--auth=trust",
            "--no-sync",
            "--encoding=UTF8",
            "--locale=C",
        )
        self._configure(self.primary_dir, self.primary_port)
        (self.primary_dir / "pg_hba.conf").write_text(HBA)
        self.start_primary()
        with self.connect("primary", database="postgres") as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        for number, (data, port) in enumerate(zip(self.replica_dirs, self.replica_ports, strict=True), start=1):
            self._run(
                self._bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary_port),
                "-U",
                OS_USER,
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            )
            self._configure(data, port)
            self.start_replica(number)

    def start_primary(self) -> None:
        self._pg_ctl(self.primary_dir, "-l", str(self.directory / "primary.log"), "-w", "start")

    def start_replica(self, number: int = 1, timeout: float = 60) -> None:
        """Start a replica and wait until it streams from the primary."""
        log = self.directory / f"replica-{number}.log"
        self._pg_ctl(self.replica_dirs[number - 1], "-l", str(log), "-w", "start")
        self.wait_streaming(number, timeout=timeout)

    def stop_replica(self, number: int = 1, mode: str = "fast") -> None:
        """Stop a replica (`mode="immediate"` kills it without a shutdown checkpoint)."""
        self._pg_ctl(self.replica_dirs[number - 1], "-m", mode, "-w", "stop")

    def kill_replica(self, number: int = 1) -> None:
        self.stop_replica(number, mode="immediate")

    def replica_running(self, number: int = 1) -> bool:
        return (self.replica_dirs[number - 1] / "postmaster.pid").exists()

    def wait_streaming(self, number: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                rows = self.query(f"replica-{number}", "SELECT status FROM pg_stat_wal_receiver")
                if rows and rows[0][0] == "streaming":
                    return
                last = rows
            except Exception as exc:  # noqa: BLE001 - the server is still starting
                last = exc
            time.sleep(0.1)
        raise RuntimeError(f"the replica did not start streaming in {timeout} s (last: {last!r})")

    # Lag.

    def pause_replay(self, number: int = 1) -> None:
        """Stop applying WAL on a replica: it keeps receiving, and falls behind."""
        self.query(f"replica-{number}", "SELECT pg_wal_replay_pause()")

    def resume_replay(self, number: int = 1) -> None:
        self.query(f"replica-{number}", "SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, timeout: float = 30) -> None:
        """Wait until every running replica has replayed everything the primary has written so far."""
        (target,) = self.query("primary", "SELECT pg_current_wal_insert_lsn()")[0]
        deadline = time.monotonic() + timeout
        waiting = [number for number in range(1, len(self.replica_dirs) + 1) if self.replica_running(number)]
        while waiting and time.monotonic() < deadline:
            sql = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
            waiting = [n for n in waiting if not self.query(f"replica-{n}", sql, (str(target),))[0][0]]
            if waiting:
                time.sleep(0.05)
        if waiting:
            raise RuntimeError(f"replicas {waiting} did not replay up to {target} in {timeout} s")

    def teardown(self) -> None:
        for data in (*self.replica_dirs, self.primary_dir):
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(Exception):
                    self._pg_ctl(data, "-m", "immediate", "-w", "stop", timeout=30)


@contextlib.contextmanager
def replica_pair(*, replicas: int = 1, bin_dir: Path = BIN_DIR, keep: bool = False) -> Iterator[ReplicaPair]:
    """A primary and `replicas` streaming replicas, built and started in a scratch directory
    and torn down afterwards (`keep=True` leaves the directory, with the servers' logs)."""
    check_available(bin_dir)
    directory = Path(tempfile.mkdtemp(prefix="factbase-pg-replica-", dir="/tmp"))
    pair = ReplicaPair(directory, bin_dir, replicas=replicas)
    try:
        pair.build()
        yield pair
    finally:
        pair.teardown()
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # A quick look: build a pair, print its URLs, wait for Ctrl-C (or SIGTERM).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    with replica_pair() as running:
        print(f"primary {running.primary_url}\nreplica {running.replica_url}\n(Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(1)
