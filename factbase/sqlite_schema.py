"""SQLite schema questions shared by the index modules (factbase/search.py, intervals.py,
claimtext.py): which of their tables and triggers exist, and dropping their triggers. The
names always come from those modules' constants, never from input."""

from __future__ import annotations


def count_existing(cursor, kind: str, names) -> int:
    """How many of `names` exist in the schema as objects of `kind` ('table', 'trigger')."""
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
