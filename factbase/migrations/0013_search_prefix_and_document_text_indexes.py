"""Search indexes for a million claims (docs/performance.md, "Search"). Frozen SQL, as this
migration ran; the live definitions are in factbase/indexes/.

- SQLite: the entity name, alias and claim text FTS5 tables get prefix indexes for one- and
  two-character prefixes (`prefix='1 2'`), so that `q=a` reads one list instead of merging
  the lists of every word that starts with "a". An FTS5 table's options are fixed when it is
  created: the tables are created again. The entity name tables are refilled here; the claim
  text table by the post_migrate hook, which puts back its triggers (factbase/indexes/
  claim_text.py: they read other tables, so they live outside migrations on SQLite).
- The document text index (factbase/indexes/document_text.py): on SQLite an FTS5 trigram
  table over titles and texts, kept by triggers; on PostgreSQL the pg_trgm extension and GIN
  trigram indexes on upper(title) and upper(text), which serve `documents/?q=` (a substring
  match) without reading every text.
- An index on entity names (name, id), which `entities/?q=` walks when a query matches many
  names (factbase/indexes/search.py).
"""

from django.db import DatabaseError, migrations, models

ENTITY_FTS = [("factbase_entity_fts", "factbase_entity"), ("factbase_alias_fts", "factbase_alias")]


def _entity_name_statements(options: str) -> list[str]:
    statements = []
    for fts, table in ENTITY_FTS:
        statements += [f"DROP TRIGGER IF EXISTS {fts}_{suffix}" for suffix in ("ai", "ad", "au")]
        statements += [
            f"DROP TABLE IF EXISTS {fts}",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(name, content='{table}', content_rowid='id'{options})",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF name ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name); "
            f"INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]
    return statements


SQLITE_FORWARDS = [
    *_entity_name_statements(", prefix='1 2'"),
    # The claim text table: its triggers are suspended while migrations run; post_migrate
    # puts them back and refills it.
    "DROP TABLE IF EXISTS factbase_claim_text_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_claim_text_fts USING fts5(quotes, value, subject, prefix='1 2')",
    # The document text index.
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_document_fts USING fts5(title, text, content='factbase_document', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS factbase_document_fts_ai AFTER INSERT ON factbase_document BEGIN "
    "INSERT INTO factbase_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_document_fts_ad AFTER DELETE ON factbase_document BEGIN "
    "INSERT INTO factbase_document_fts(factbase_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_document_fts_au AFTER UPDATE OF title, text ON factbase_document BEGIN "
    "INSERT INTO factbase_document_fts(factbase_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO factbase_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO factbase_document_fts(factbase_document_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARDS = [
    *[f"DROP TRIGGER IF EXISTS factbase_document_fts_{suffix}" for suffix in ("ai", "ad", "au")],
    "DROP TABLE IF EXISTS factbase_document_fts",
    "DROP TABLE IF EXISTS factbase_claim_text_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_claim_text_fts USING fts5(quotes, value, subject)",
    *_entity_name_statements(""),
]

PG_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS document_title_trgm ON factbase_document USING gin (upper(title) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS document_text_trgm ON factbase_document USING gin (upper(text) gin_trgm_ops)",
    # The planner chooses between these indexes and a walk in the list's order from the
    # statistics of the indexed expressions.
    "ANALYZE factbase_document",
]
PG_BACKWARDS = ["DROP INDEX IF EXISTS document_title_trgm", "DROP INDEX IF EXISTS document_text_trgm"]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARDS)
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'factbase_entity_fts'")
            if not cursor.fetchone()[0]:
                return  # SQLite built without FTS5 (migration 0003 created nothing): search scans
        try:
            _run(schema_editor, SQLITE_FORWARDS)
        except DatabaseError:
            pass  # no trigram tokenizer (SQLite before 3.34): document search scans


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_BACKWARDS)
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'factbase_entity_fts'")
            if cursor.fetchone()[0]:
                _run(schema_editor, SQLITE_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0012_document_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(model_name="entity", index=models.Index(fields=["name", "id"], name="entity_name")),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
