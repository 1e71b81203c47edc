"""A counter of changes to entity names and aliases, kept by triggers: how the mention
suggestions' matcher (factbase/services/suggestions.py) knows that it is stale, in one read.

The matcher is built from every name and alias, once per process. It used to check whether
it was current by aggregating the entity and alias tables (counts, the newest update, the
total length of the names): 0.18 s on SQLite at a million claims, on every request. The
triggers count every insert, delete and rename of an entity, and every insert, delete,
rename or reassignment of an alias, whatever writes it (`.update()` included).

A one-row table `factbase_name_changes(id, n)`: triggers give `n` a new random value, per
row on SQLite, per statement on PostgreSQL. Random rather than counted: a transaction that
rolls back takes its count back with it, and a later change would count to the same number
with other names, which a matcher built inside the rolled-back transaction would take for
its own. The row is a table rather than a PostgreSQL sequence on purpose: a sequence moves
before the change commits, and a matcher built in between would be kept as current without
it; the row changes when the change commits, in the same transaction. (Name changes
therefore queue on that row until commit; they are rare curator writes.)
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import schema
from factbase.indexes.base import VersionRows

NAME = "factbase_name_changes"
# (table, the columns whose change counts) of the tables that hold names.
_WATCHED = [("factbase_entity", "name"), ("factbase_alias", "name, entity_id")]

# A new random value (64 bits on SQLite, 62 on PostgreSQL): see the module docstring.
SQLITE_BUMP = f"UPDATE {NAME} SET n = random() WHERE id = 1;"  # noqa: S608 - constants
PG_BUMP = f"UPDATE {NAME} SET n = floor(random() * 4611686018427387904)::bigint WHERE id = 1;"  # noqa: S608
SQLITE_TRIGGERS = [
    (f"{NAME}_{table.removeprefix('factbase_')}_{suffix}", f"AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END")
    for table, columns in _WATCHED
    for suffix, event in (("ai", "INSERT"), ("ad", "DELETE"), ("au", f"UPDATE OF {columns}"))
]
SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION {NAME}_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {PG_BUMP}
  RETURN NULL;
END $$"""  # noqa: S608 - constants
PG_TRIGGERS = [
    (
        f"{NAME}_{table.removeprefix('factbase_')}",
        table,
        f"AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF {columns} ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {NAME}_bump()",
    )
    for table, columns in _WATCHED
]


def version(connection) -> int | None:
    """The row's value (it changes whenever a name or alias does); None where the row does
    not exist."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor not in ("sqlite", "postgresql"):
                return None
            cursor.execute(f"SELECT n FROM {NAME} WHERE id = 1")  # noqa: S608 - constant
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


class NameChanges(VersionRows):
    table = NAME
    sqlite_triggers = tuple(SQLITE_TRIGGERS)
    name = "name-changes"
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)

    def install(self, connection) -> bool:
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {NAME} (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)"
            )
            cursor.execute(f"INSERT INTO {NAME} (id, n) VALUES (1, 0) ON CONFLICT DO NOTHING")  # noqa: S608 - constant
            if connection.vendor == "postgresql":
                cursor.execute(PG_FUNCTION)
        self.restore(connection, force=True)
        return True

    def rebuild(self, connection) -> None:
        if connection.vendor in ("sqlite", "postgresql"):
            with connection.cursor() as cursor:
                cursor.execute(SQLITE_BUMP if connection.vendor == "sqlite" else PG_BUMP)

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {"table": [NAME], "function": [f"{NAME}_bump"], "trigger": [name for name, _, _ in PG_TRIGGERS]}
        return {"table": [NAME], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, PG_TRIGGERS)
                cursor.execute(f"DROP FUNCTION IF EXISTS {NAME}_bump()")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
            cursor.execute(f"DROP TABLE IF EXISTS {NAME}")


INDEX = NameChanges()
