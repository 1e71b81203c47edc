"""The document text index: trigrams of document titles and texts, for `documents/?q=`
(`Document.objects.search(q)`, factbase/indexes/search.py).

Document search keeps its meaning, a substring match: every word of the query occurs in the
title or the text, case-insensitively ("ministr" finds "ministry"). A word index would not
answer that (it finds words that start with the query, not text that contains it); an index
of trigrams (every run of three characters) does, for words of three characters or more:

- SQLite: an FTS5 external-content table with the `trigram` tokenizer
  (`factbase_document_fts(title, text)`): the text lives once, in the documents table; the
  FTS table holds only the index, kept in step by triggers, as the entity name index is.
  A phrase query ("word") finds the documents whose title or text contains the word, with
  case folded; the `LIKE` conditions of the search then decide, so the answer is exactly
  the scan's.
- PostgreSQL: the `pg_trgm` extension and GIN indexes (`gin_trgm_ops`) on `upper(title)`,
  which serves the very `UPPER(title) LIKE UPPER('%word%')` that Django's `icontains`
  writes, and on `text_upper`, a stored generated column `upper(text)` (PG_UPPER_TEXT),
  which the search tests instead of `UPPER(text)` (the same value). The trigram index only
  narrows: every document it finds is tested, and a list's capped count tests up to 1,001
  texts. Upper-casing 10,000 characters and decompressing them cost most of that test
  (140 µs a text; the stored copy, kept uncompressed by `STORAGE EXTERNAL`, 18 µs). The
  extension ships with PostgreSQL; creating it needs a role allowed to (a superuser, or the
  database owner on PostgreSQL 13 and later: pg_trgm is trusted).

Words shorter than three characters have no trigram: they are checked by the scan alone
(with a longer word beside them, only on the documents the index found).
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import schema
from factbase.indexes.base import SQLiteTriggeredIndex

FTS = "factbase_document_fts"  # SQLite
MIN_WORD = 3  # characters: a shorter word has no trigram

# SQLite: the ids of documents whose title or text contains every word of the MATCH
# expression (search.trigram_query).
SQLITE_MATCH = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608 - constants

# PostgreSQL: the upper-cased copy of the text. Its storage is set in the statement that adds
# it, before the table is rewritten with it: set afterwards, it would apply to new values only.
PG_UPPER_TEXT = "text_upper"
PG_COLUMN = (
    f"ALTER TABLE factbase_document ADD COLUMN IF NOT EXISTS {PG_UPPER_TEXT} text "
    f"GENERATED ALWAYS AS (upper(text)) STORED, ALTER COLUMN {PG_UPPER_TEXT} SET STORAGE EXTERNAL"
)
# (index name, indexed expression). The title's repeats Django's icontains exactly.
PG_TRGM = [
    ("document_title_trgm", "upper(title)"),
    ("document_text_trgm", PG_UPPER_TEXT),
]
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"


def pg_index_sql(name: str, expression: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON factbase_document USING gin (({expression}) gin_trgm_ops)"


SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, text, content='factbase_document', "
    "content_rowid='id', tokenize='trigram')"
)
_DELETE = f"INSERT INTO {FTS}({FTS}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);"  # noqa: S608
_INSERT = f"INSERT INTO {FTS}(rowid, title, text) VALUES (new.id, new.title, new.text);"  # noqa: S608
SQLITE_TRIGGERS = [
    (f"{FTS}_ai", f"AFTER INSERT ON factbase_document BEGIN {_INSERT} END"),
    (f"{FTS}_ad", f"AFTER DELETE ON factbase_document BEGIN {_DELETE} END"),
    (f"{FTS}_au", f"AFTER UPDATE OF title, text ON factbase_document BEGIN {_DELETE} {_INSERT} END"),
]
SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

_ready: dict[str, bool] = {}


def ready(connection) -> bool:
    """Whether the SQLite trigram table, or the PostgreSQL upper-cased text, exists (checked
    once per alias and process)."""
    if connection.alias not in _ready:
        found = False
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    found = schema.table_exists(cursor, FTS)
                elif connection.vendor == "postgresql":
                    found = not schema.pg_missing(cursor, "column", [f"factbase_document.{PG_UPPER_TEXT}"])
        except DatabaseError:
            found = False
        _ready[connection.alias] = found
    return _ready[connection.alias]


def forget() -> None:
    _ready.clear()


class DocumentText(SQLiteTriggeredIndex):
    name = "document-text"
    sqlite_table = FTS
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    sqlite_triggers = tuple(SQLITE_TRIGGERS)

    def install(self, connection) -> bool:
        forget()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(PG_EXTENSION)
                cursor.execute(PG_COLUMN)
                for name, expression in PG_TRGM:
                    cursor.execute(pg_index_sql(name, expression))
                # The planner chooses between these indexes and a walk in a list's order from
                # the statistics of the indexed expressions.
                cursor.execute("ANALYZE factbase_document")
                return True
            if connection.vendor != "sqlite":
                return False
            try:
                cursor.execute(SQLITE_TABLE)
            except DatabaseError:
                return False  # SQLite without FTS5 or its trigram tokenizer (before 3.34): the scan
        self.restore(connection, force=True)
        return True

    def forget(self) -> None:
        forget()  # the module's: `ready` is asked of the module (search.py)

    def rebuild(self, connection) -> None:
        if connection.vendor != "sqlite":
            return  # an expression index is never stale
        with connection.cursor() as cursor:
            if schema.table_exists(cursor, FTS):
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608 - constant

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {"column": [f"factbase_document.{PG_UPPER_TEXT}"], "index": [name for name, _ in PG_TRGM]}
        return {"table": [FTS], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        forget()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for name, _ in PG_TRGM:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
                cursor.execute(f"ALTER TABLE factbase_document DROP COLUMN IF EXISTS {PG_UPPER_TEXT}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
                cursor.execute(f"DROP TABLE IF EXISTS {FTS}")


INDEX = DocumentText()
