"""Writes plain tuples into a model's table without the ORM (factbase/synth/builder.py):
the columns come from the model, the statement from factbase/indexes/bulk.py (COPY on
PostgreSQL, executemany on SQLite)."""

from __future__ import annotations

from collections.abc import Iterable

from factbase.indexes import bulk


class Writer:
    """Writes plain tuples into a model's table. Columns not given get the field's default,
    prepared once."""

    def __init__(self, connection, model, given: list[str]):
        self.connection = connection
        self.table = model._meta.db_table
        fields = model._meta.local_concrete_fields
        by_attname = {f.attname: f for f in fields}
        missing = [a for a in given if a not in by_attname]
        if missing:
            raise ValueError(f"{model.__name__} has no column {missing}")
        rest = [f for f in fields if f.attname not in given and not f.primary_key]
        self.columns = [by_attname[a].column for a in given] + [f.column for f in rest]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)

    def write(self, rows: Iterable[tuple]) -> int:
        defaults = self.defaults
        full = [row + defaults for row in rows]
        if not full:
            return 0
        bulk.insert_rows(self.connection, self.table, self.columns, full)
        return len(full)
