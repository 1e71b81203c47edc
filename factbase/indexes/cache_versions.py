"""Versions of what the shared cache keeps, kept by triggers: how a cached answer
(api/read_cache.py) knows that it is stale, in one read, whatever wrote the rows.

A table `factbase_cache_versions(name, n)`, one row per cached resource whose tables the
change feed (factbase/indexes/changes.py) does not follow: `predicates` (the predicate list:
the feed logs a predicate's change only as an update of the claims that use it, and never
its creation, deletion or new description). Entity details need no row of their own: every
table their representation shows is followed by the change feed, and the feed's newest row
(its position and time) is their version (`entities_version`).

One more row, `epoch`, is part of every version: a random value given when the table is
made and whenever the indexes are rebuilt (a bulk load, a restore, SQLite's migrations).
Positions start again from 1 in a new database, and a database restored from a dump hands
out again positions it had handed out before (with other rows behind them, at another time):
a Redis that outlived the database must not answer from its old keys. The newest row's time
tells a re-issued position apart; the epoch tells a new database apart, whatever its feed.

Triggers give `n` a new random value on every insert, update, delete (and, on PostgreSQL,
truncate) of a watched table: per row on SQLite, per statement on PostgreSQL. Random rather
than counted, as in factbase/indexes/name_changes.py: a transaction that rolls back takes its
change back, and a later one counting to the same number would make a value cached inside the
rolled-back transaction look current. The row changes when the change commits, in the same
transaction, so a reader that reads the version first and then the rows never stores old rows
under a new version. (Writers of a watched table queue on the row until they commit; the
predicates are reference data, rarely written.)
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import changes, schema
from factbase.indexes.base import VersionRows

NAME = "factbase_cache_versions"
EPOCH = "epoch"
# resource -> the tables whose rows its cached answer shows.
WATCHED: dict[str, tuple[str, ...]] = {"predicates": ("factbase_predicate",)}


_RANDOM = {"sqlite": "random()", "postgresql": "floor(random() * 4611686018427387904)::bigint"}


def _sqlite_bump(resource: str) -> str:
    return f"UPDATE {NAME} SET n = random() WHERE name = '{resource}';"  # noqa: S608 - constants


def _pg_bump(resource: str) -> str:
    return f"UPDATE {NAME} SET n = floor(random() * 4611686018427387904)::bigint WHERE name = '{resource}';"  # noqa: S608


def _pg_function_name(resource: str) -> str:
    return f"{NAME}_{resource}"


SQLITE_TRIGGERS = [
    (
        f"{NAME}_{table.removeprefix('factbase_')}_{suffix}",
        f"AFTER {event} ON {table} BEGIN {_sqlite_bump(resource)} END",
    )
    for resource, tables in WATCHED.items()
    for table in tables
    for suffix, event in (("ai", "INSERT"), ("ad", "DELETE"), ("au", "UPDATE"))
]
SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION {_pg_function_name(resource)}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {_pg_bump(resource)}
  RETURN NULL;
END $$"""
    for resource in WATCHED
]
PG_TRIGGERS = [
    (
        f"{NAME}_{table.removeprefix('factbase_')}",
        table,
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_pg_function_name(resource)}()",
    )
    for resource, tables in WATCHED.items()
    for table in tables
]


def _read(connection, sql: str, params: list) -> tuple | None:
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return tuple(row) if row else None


def version(connection, resource: str) -> tuple | None:
    """(epoch, the row's value for `resource`): changes whenever a watched row does. None where
    the table or a row does not exist (the answer is then read, never cached)."""
    return _read(
        connection,
        f"SELECT e.n, r.n FROM {NAME} e, {NAME} r WHERE e.name = '{EPOCH}' AND r.name = %s",  # noqa: S608
        [resource],
    )


def entities_version(connection) -> tuple | None:
    """(epoch, the feed's floor, its newest row's position and time): changes with every change
    the feed logs, and with a new database or a restored one. One statement."""
    return _read(
        connection,
        f"SELECT e.n, f.position, c.position, c.at FROM {NAME} e "  # noqa: S608 - constants
        f"CROSS JOIN {changes.FLOOR} f LEFT JOIN (SELECT position, at FROM {changes.NAME} "
        "WHERE position IS NOT NULL ORDER BY position DESC LIMIT 1) c ON 1 = 1 "
        f"WHERE e.name = '{EPOCH}' AND f.id = 1",
        [],
    )


class CacheVersions(VersionRows):
    table = NAME
    sqlite_triggers = tuple(SQLITE_TRIGGERS)
    name = "cache-versions"
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)

    def install(self, connection) -> bool:
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {NAME} (name varchar(32) PRIMARY KEY, n bigint NOT NULL)")
            for resource in (EPOCH, *WATCHED):
                cursor.execute(
                    f"INSERT INTO {NAME} (name, n) VALUES (%s, {_RANDOM[connection.vendor]}) ON CONFLICT DO NOTHING",  # noqa: S608
                    [resource],
                )
            if connection.vendor == "postgresql":
                for function in PG_FUNCTIONS:
                    cursor.execute(function)
        self.restore(connection, force=True)
        return True

    def rebuild(self, connection) -> None:
        if connection.vendor in ("sqlite", "postgresql"):
            with connection.cursor() as cursor:
                # The epoch too: rows may have changed unseen, the feed's included.
                for resource in (EPOCH, *WATCHED):
                    cursor.execute(_sqlite_bump(resource) if connection.vendor == "sqlite" else _pg_bump(resource))

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {
                "table": [NAME],
                "function": [_pg_function_name(resource) for resource in WATCHED],
                "trigger": [name for name, _, _ in PG_TRIGGERS],
            }
        return {"table": [NAME], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, PG_TRIGGERS)
                for resource in WATCHED:
                    cursor.execute(f"DROP FUNCTION IF EXISTS {_pg_function_name(resource)}()")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
            cursor.execute(f"DROP TABLE IF EXISTS {NAME}")


INDEX = CacheVersions()
