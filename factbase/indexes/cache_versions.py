"""Versions of what the shared cache keeps, kept by triggers: how a cached answer
(api/read_cache.py) knows that it is stale, in one read, whatever wrote the rows.

A table `factbase_cache_versions(name, n)`, one row per cached resource whose tables the
change feed (factbase/indexes/changes.py) does not follow: `predicates` (the predicate list:
the feed logs a predicate's change only as an update of the claims that use it, and never
its creation, deletion or new description). Entity details need no row of their own: every
table their representation shows is followed by the change feed, whose latest position is
their version (`changes.bounds`).

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

from factbase.indexes import schema
from factbase.indexes.base import Index

NAME = "factbase_cache_versions"
# resource -> the tables whose rows its cached answer shows.
WATCHED: dict[str, tuple[str, ...]] = {"predicates": ("factbase_predicate",)}


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


def version(connection, resource: str) -> int | None:
    """The row's value for `resource` (it changes whenever a watched row does); None where the
    table or the row does not exist (the answer is then read, never cached)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n FROM {NAME} WHERE name = %s", [resource])  # noqa: S608 - constant
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


def _pg_create_triggers(cursor) -> None:
    for name, table, definition in PG_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"CREATE TRIGGER {name} {definition}")


class CacheVersions(Index):
    name = "cache-versions"
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)

    def install(self, connection) -> bool:
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {NAME} (name varchar(32) PRIMARY KEY, n bigint NOT NULL)")
            for resource in WATCHED:
                cursor.execute(f"INSERT INTO {NAME} (name, n) VALUES (%s, 0) ON CONFLICT DO NOTHING", [resource])  # noqa: S608
            if connection.vendor == "postgresql":
                for function in PG_FUNCTIONS:
                    cursor.execute(function)
        self.restore(connection, force=True)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        """Put back missing triggers and count one change of every resource (rows may have
        changed unseen)."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not schema.table_exists(cursor, NAME):
                    return
                if not force and schema.missing_triggers(cursor, SQLITE_TRIGGER_NAMES) == 0:
                    return
                schema.create_triggers(cursor, SQLITE_TRIGGERS)
            elif connection.vendor == "postgresql":
                if schema.pg_missing(cursor, "table", [NAME]):
                    return
                if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in PG_TRIGGERS]):
                    return
                _pg_create_triggers(cursor)
            else:
                return
        self.rebuild(connection)

    def rebuild(self, connection) -> None:
        if connection.vendor in ("sqlite", "postgresql"):
            with connection.cursor() as cursor:
                for resource in WATCHED:
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
