"""Schema questions shared by the indexes (factbase/indexes/): which of their tables,
triggers and functions exist, and dropping their triggers. The names always come from the
index modules' constants, never from input."""

from __future__ import annotations


def count_existing(cursor, kind: str, names) -> int:
    """SQLite: how many of `names` exist in the schema as objects of `kind` ('table', 'trigger')."""
    names = list(names)
    placeholders = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT count(*) FROM sqlite_master WHERE type = %s AND name IN ({placeholders})",  # noqa: S608
        [kind, *names],
    )
    return cursor.fetchone()[0]


def table_exists(cursor, name: str) -> bool:
    return count_existing(cursor, "table", [name]) == 1


def missing_triggers(cursor, names) -> int:
    names = list(names)
    return len(names) - count_existing(cursor, "trigger", names)


def drop_triggers(cursor, names) -> None:
    for name in names:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def create_triggers(cursor, triggers) -> None:
    """SQLite: each of `triggers`, (name, definition after the name), unless it exists."""
    for name, definition in triggers:
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {definition}")


def pg_create_triggers(cursor, triggers) -> None:
    """PostgreSQL: each of `triggers`, (name, table, definition after the name), made anew."""
    for name, table, definition in triggers:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"CREATE TRIGGER {name} {definition}")


def pg_drop_triggers(cursor, triggers) -> None:
    """PostgreSQL: each of `triggers`, (name, table, definition), if it exists."""
    for name, table, _ in triggers:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def pg_missing(cursor, catalog: str, names) -> list[str]:
    """PostgreSQL: which of `names` are absent from the current schema, as 'trigger',
    'index', 'table', 'function' or 'column' (named `table.column`)."""
    queries = {
        "trigger": "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND NOT t.tgisinternal",
        "index": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
        "table": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        "function": "SELECT proname FROM pg_proc WHERE pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
        "column": "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()",
    }
    cursor.execute(queries[catalog])
    found = {row[0] for row in cursor.fetchall()}
    return [name for name in names if name not in found]


def missing(cursor, vendor: str, expected: dict[str, list[str]]) -> list[str]:
    """Which of the `expected` schema objects ({kind: names}) are absent, as readable lines
    ("trigger factbase_claim_dates_ai")."""
    find = {"postgresql": pg_missing, "sqlite": sqlite_missing}.get(vendor)
    if find is None:
        return []
    return [f"{kind} {name}" for kind, names in expected.items() for name in find(cursor, kind, names)]


def sqlite_missing(cursor, kind: str, names) -> list[str]:
    """SQLite: which of `names` are absent from the schema as objects of `kind`."""
    names = list(names)
    placeholders = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT name FROM sqlite_master WHERE type = %s AND name IN ({placeholders})",  # noqa: S608
        [kind, *names],
    )
    found = {row[0] for row in cursor.fetchall()}
    return [name for name in names if name not in found]


def ping(raw) -> tuple:
    """One round trip on a raw driver connection (the readiness probe, factbase/health.py):
    the row `SELECT 1` answers."""
    cursor = raw.cursor()
    try:
        cursor.execute("SELECT 1")
        return cursor.fetchone()
    finally:
        cursor.close()
