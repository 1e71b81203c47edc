"""The protocol every index in factbase/indexes/ implements.

An index is something the database keeps beside the tables so that a question is answered
without a scan: a full-text table and its triggers, a GIN or GiST expression index, an
R*Tree. Each one answers to five verbs, whatever the engine:

- `install(connection)`: create it (idempotent) and fill it; False where the database
  cannot have it (an SQLite built without FTS5 or R*Tree: the queries fall back to plain
  comparisons, with the same answers);
- `suspend(connection)`: stop keeping it in step (drop its triggers, named by the index's
  `sqlite_trigger_names` and `pg_triggers`), for bulk loads and,
  where SQLite's table rebuilds cannot tolerate them, for migrations;
- `restore(connection, force=False)`: put back whatever `suspend` (or a table rebuild)
  removed and, since changes may then have gone unindexed, rebuild; with `force`, always;
- `rebuild(connection)`: refill it from the tables;
- `check(connection)`: what is missing, as readable lines (empty when whole).

`uninstall(connection)` removes it (tests of the fallbacks).
"""

from __future__ import annotations

from django.db import DatabaseError

from . import schema


class Index:
    #: Short name for operators (`manage.py indexes`).
    name: str = ""
    #: Dropped by pre_migrate on SQLite when migrations will run, restored by post_migrate.
    suspend_for_migrations: bool = False

    def install(self, connection) -> bool:
        raise NotImplementedError

    #: The triggers that keep it in step: SQLite's by name, PostgreSQL's as (name, table,
    #: definition). `suspend` drops them; `restore` is each index's own.
    sqlite_trigger_names: tuple[str, ...] = ()
    pg_triggers: tuple[tuple[str, str, str], ...] = ()

    def suspend(self, connection) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                schema.drop_triggers(cursor, self.sqlite_trigger_names)
            elif connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, self.pg_triggers)

    def restore(self, connection, *, force: bool = False) -> None:
        raise NotImplementedError

    def rebuild(self, connection) -> None:
        raise NotImplementedError

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        """The tables, indexes, functions and triggers this index consists of on `vendor`,
        by kind ('table', 'index', 'function', 'trigger'): what `check` looks for."""
        raise NotImplementedError

    def check(self, connection) -> list[str]:
        expected = self.schema_objects(connection.vendor)
        with connection.cursor() as cursor:
            return schema.missing(cursor, connection.vendor, expected)

    def uninstall(self, connection) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<index {self.name}>"


class SQLiteTriggeredIndex(Index):
    """An index kept by triggers on SQLite only: a full-text table beside its rows. On
    PostgreSQL it is an expression index, which PostgreSQL keeps itself (a bulk load drops
    and rebuilds it with the other secondary indexes, factbase/indexes/bulk.py)."""

    #: The SQLite table that holds the index.
    sqlite_table: str = ""

    def __init__(self) -> None:
        self._ready: dict[str, bool] = {}

    def ready(self, connection) -> bool:
        """Whether the table exists on this database (SQLite; checked once per alias and
        process)."""
        if connection.vendor != "sqlite":
            return False
        if connection.alias not in self._ready:
            try:
                with connection.cursor() as cursor:
                    self._ready[connection.alias] = schema.table_exists(cursor, self.sqlite_table)
            except DatabaseError:
                self._ready[connection.alias] = False
        return self._ready[connection.alias]

    def forget(self) -> None:
        self._ready.clear()

    #: SQLite's triggers, (name, definition after the name), which `restore` puts back.
    sqlite_triggers: tuple = ()

    def restore(self, connection, *, force: bool = False) -> None:
        """SQLite: recreate missing triggers and rebuild (whenever a trigger was missing,
        changes may have gone unindexed); with `force`, always."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if not self.needs_restoring(cursor, force=force):
                return
            schema.create_triggers(cursor, self.sqlite_triggers)
        self.rebuild(connection)
        self.forget()

    def needs_restoring(self, cursor, *, force: bool) -> bool:
        """SQLite: whether `restore` has triggers to put back (always, with `force`); never
        when the table is absent (an SQLite without FTS5: the queries scan instead)."""
        if not schema.table_exists(cursor, self.sqlite_table):
            return False
        return force or schema.missing_triggers(cursor, self.sqlite_trigger_names) > 0


class VersionRows(Index):
    """A table of rows that statement triggers give a new value whenever what they watch
    changes (name_changes.py, cache_versions.py). Restoring puts back missing triggers and,
    since what they watch may have changed unseen meanwhile, rebuilds (a new value for every
    row)."""

    #: The table of rows.
    table: str = ""
    #: SQLite's triggers, (name, definition after the name).
    sqlite_triggers: tuple = ()

    def restore(self, connection, *, force: bool = False) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not schema.table_exists(cursor, self.table):
                    return
                if not force and schema.missing_triggers(cursor, self.sqlite_trigger_names) == 0:
                    return
                schema.create_triggers(cursor, self.sqlite_triggers)
            elif connection.vendor == "postgresql":
                if schema.pg_missing(cursor, "table", [self.table]):
                    return
                if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in self.pg_triggers]):
                    return
                schema.pg_create_triggers(cursor, self.pg_triggers)
            else:
                return
        self.rebuild(connection)


class PostgresTable(Index):
    """An index that is a table of PostgreSQL's alone, with its indexes, functions and the
    triggers that keep its rows in step (event_names.py, claim_facets.py, claim_words.py,
    entity_words.py). SQLite has nothing to install and nothing to check, but where a subclass
    is also a SQLiteTriggeredIndex (entity_words.py: the same table on both engines). Each
    subclass names its objects and the statement that writes its rows (`fill`), or its own
    `rebuild`."""

    table: str = ""
    #: The table's columns, as CREATE TABLE takes them.
    columns: str = ""
    #: Its main index (a GIN index, or a btree): the name, and the statement that creates
    #: it if missing.
    pg_index: str = ""
    create_index: str = ""
    #: Any other index on it, each (name, statement that creates it if missing).
    more_indexes: tuple[tuple[str, str], ...] = ()
    #: CREATE OR REPLACE FUNCTION statements, and each function's signature (for DROP).
    functions: tuple[str, ...] = ()
    function_signatures: tuple[str, ...] = ()
    #: The INSERT that writes every row from the tables, for the default `rebuild`.
    fill: str = ""

    def __init__(self) -> None:
        self._ready: dict[str, bool] = {}

    def ready(self, connection) -> bool:
        """Whether the table exists on this database (PostgreSQL; checked once per alias and
        process)."""
        if connection.vendor != "postgresql":
            return False
        if connection.alias not in self._ready:
            try:
                with connection.cursor() as cursor:
                    self._ready[connection.alias] = not schema.pg_missing(cursor, "table", [self.table])
            except DatabaseError:
                self._ready[connection.alias] = False
        return self._ready[connection.alias]

    def forget(self) -> None:
        self._ready.clear()

    def install(self, connection) -> bool:
        """Create the table, its functions, index and triggers, and fill it (PostgreSQL,
        idempotent). SQLite has nothing to install."""
        self.forget()
        if connection.vendor != "postgresql":
            return connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({self.columns})")
            for function in self.functions:
                cursor.execute(function)
            for _, create in self._indexes():
                cursor.execute(create)
            schema.pg_create_triggers(cursor, self.pg_triggers)
        self.rebuild(connection)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        """Recreate missing triggers and rebuild (whenever a trigger was missing, changes may
        have gone unindexed); with `force`, always."""
        if not self.ready(connection):
            return
        with connection.cursor() as cursor:
            if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in self.pg_triggers]):
                return
            schema.pg_create_triggers(cursor, self.pg_triggers)
        self.rebuild(connection)

    def rebuild(self, connection) -> None:
        """Rewrite every row (`fill`), the index built after the rows (at a million claims
        the claim facet index in 17 s, where indexing row by row took longer), then ANALYZE
        for the planner's statistics."""
        if not self.ready(connection):
            return
        with connection.cursor() as cursor:
            for name, _ in self._indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute(f"TRUNCATE {self.table}")
            cursor.execute(self.fill)
            for _, create in self._indexes():
                cursor.execute(create)
            cursor.execute(f"ANALYZE {self.table}")

    def _indexes(self) -> tuple[tuple[str, str], ...]:
        return ((self.pg_index, self.create_index), *self.more_indexes)

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {
                "table": [self.table],
                "index": [name for name, _ in self._indexes()],
                "function": [signature.split("(")[0] for signature in self.function_signatures],
                "trigger": [name for name, _, _ in self.pg_triggers],
            }
        return {}

    def uninstall(self, connection) -> None:
        self.forget()
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            schema.pg_drop_triggers(cursor, self.pg_triggers)
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            for signature in self.function_signatures:
                cursor.execute(f"DROP FUNCTION IF EXISTS {signature}")


class BothEnginesTable(PostgresTable, SQLiteTriggeredIndex):
    """The same table on both engines: each verb is PostgresTable's on PostgreSQL, and on
    SQLite the subclass's `sqlite_install`, `sqlite_rebuild`, `sqlite_schema_objects` and
    `sqlite_uninstall` (entity_words.py, participant_events.py)."""

    def ready(self, connection) -> bool:
        if connection.vendor == "sqlite":
            return SQLiteTriggeredIndex.ready(self, connection)
        return PostgresTable.ready(self, connection)

    def install(self, connection) -> bool:
        if connection.vendor != "sqlite":
            return PostgresTable.install(self, connection)
        return self.sqlite_install(connection)

    def restore(self, connection, *, force: bool = False) -> None:
        if connection.vendor == "sqlite":
            return SQLiteTriggeredIndex.restore(self, connection, force=force)
        return PostgresTable.restore(self, connection, force=force)

    def rebuild(self, connection) -> None:
        if connection.vendor != "sqlite":
            return PostgresTable.rebuild(self, connection)
        return self.sqlite_rebuild(connection)

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor != "sqlite":
            return PostgresTable.schema_objects(self, vendor)
        return self.sqlite_schema_objects()

    def uninstall(self, connection) -> None:
        if connection.vendor != "sqlite":
            return PostgresTable.uninstall(self, connection)
        return self.sqlite_uninstall(connection)
