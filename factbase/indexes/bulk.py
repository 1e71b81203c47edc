"""Raw table access for bulk loads and restores (factbase/synth/, `manage.py restore`):
writing rows without the ORM, suspending the secondary B-tree indexes while a load runs,
moving id sequences past loaded ids, refreshing planner statistics. Table and column names
come from model metadata, never from input."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.core.management.color import no_style

from factbase import indexes


def insert_rows(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """`rows` into `table`: COPY on PostgreSQL, executemany on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def default_row(connection, model) -> dict[str, object]:
    """{column: the database's value} of a new row of `model` with its fields' defaults (the
    timestamps of now), as an INSERT of the ORM would write it, without the id."""
    blank = model()
    return {
        field.column: field.get_db_prep_save(field.pre_save(blank, add=True), connection)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


def insert_defaults(connection, model, n: int) -> list[int]:
    """`n` new rows of `model`, each with its fields' defaults (`default_row`), in one
    statement; their ids (in no particular order: the rows are alike)."""
    if n <= 0:
        return []
    quote = connection.ops.quote_name
    row = default_row(connection, model)
    names = ", ".join(quote(column) for column in row)
    marks = ", ".join(["%s"] * len(row))
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "  # noqa: S608
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT {marks} FROM n "
            f"RETURNING {quote(model._meta.pk.column)}",
            [n, *row.values()],
        )
        return [pk for (pk,) in cursor.fetchall()]


def ids_by_key(connection, model, name: str, keys: list, *, chunk: int = 500) -> dict:
    """{key: id} of the rows of `model` whose unique field `name` holds one of `keys` (as
    Python values), a query per `chunk` keys. Django's IN lookup prepares each of thousands
    of values through its expression machinery (about 15 µs a value); here each is prepared
    by the field alone."""
    field = model._meta.get_field(name)
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), chunk):
            values = [field.get_db_prep_value(key, connection) for key in keys[start : start + chunk]]
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(
                f"SELECT {quote(field.column)}, {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
                f"WHERE {quote(field.column)} IN ({marks})",
                values,
            )
            found.update((field.to_python(value), pk) for value, pk in cursor.fetchall())
    return found


def reset_sequences(connection, models: Iterable) -> None:
    """Rows came with their ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(connection, *, tables: Iterable[str] = ()) -> None:
    """Fresh planner statistics: composite indexes are only chosen well with them. `tables`:
    only these (names from the code, never from input); default every table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables) if tables else "ANALYZE")


LARGE_CACHE = "PRAGMA cache_size = -262144"  # KiB: 256 MB


def large_sort_cache(connection) -> None:
    """SQLite: index builds after a load sort millions of keys; with the default 2 MB page
    cache they spill to disk over and over. 256 MB, for this connection only."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(LARGE_CACHE)


@contextmanager
def large_cache(connection):
    """SQLite: a page cache of 256 MB for this connection while a bulk write runs (rows
    inserted into tables with many indexes: with the default 2 MB each insert reads back
    pages of the indexes it evicted), then the size it had."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
        cursor.execute(LARGE_CACHE)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(size)}")


@contextmanager
def load(connection, tables: list[str], *, log: Callable[[str], None]):
    """Drop the secondary indexes of `tables` and suspend the indexes of factbase/indexes/,
    and build them all again afterwards, even on failure. Building an index from a full
    table is a sort; keeping it up to date row by row is a random write per index per row,
    several times slower at a million rows. Indexes that back constraints (primary keys,
    UNIQUE) stay."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
        elif connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(tables))
            query = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({placeholders})"  # noqa: S608
            cursor.execute(query + " AND sql IS NOT NULL", tables)
        else:
            yield
            return
        secondary = cursor.fetchall()
        for name, _ in secondary:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    indexes.suspend(connection)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Inside an outer transaction (tests), deferred foreign-key checks are still
                # pending and PostgreSQL refuses CREATE INDEX until they have run.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, definition in secondary:
                cursor.execute(definition)
        log(f"  {len(secondary)} indexes rebuilt")
        indexes.restore(connection, force=True)  # triggers back, every index refilled
