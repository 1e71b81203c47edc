"""Full-text indexes for entity names, aliases, span quotes and claim values, as this
migration created them (frozen SQL: later code changes do not change what it did).

SQLite: FTS5 external-content tables, filled and kept in step by triggers (skipped when the
SQLite build lacks FTS5; search then falls back to LIKE). PostgreSQL: GIN indexes on
to_tsvector('simple', column).

The span-quote and claim-value indexes were replaced by one document per claim in migration
0008, which drops them. The live definitions (and the post_migrate hook that puts SQLite's
triggers back after table rebuilds) are in factbase/indexes/."""

from django.db import DatabaseError, migrations

SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_entity_fts USING fts5(name, content='factbase_entity', content_rowid='id')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_alias_fts USING fts5(name, content='factbase_alias', content_rowid='id')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_sourcespan_fts USING fts5(exact, content='factbase_sourcespan', content_rowid='id')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_claim_fts USING fts5(value, content='factbase_claim', content_rowid='id')",
]

SQLITE_TRIGGERS_AND_FILL = [
    "CREATE TRIGGER IF NOT EXISTS factbase_entity_fts_ai AFTER INSERT ON factbase_entity BEGIN INSERT INTO factbase_entity_fts(rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_entity_fts_ad AFTER DELETE ON factbase_entity BEGIN INSERT INTO factbase_entity_fts(factbase_entity_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_entity_fts_au AFTER UPDATE OF name ON factbase_entity BEGIN INSERT INTO factbase_entity_fts(factbase_entity_fts, rowid, name) VALUES ('delete', old.id, old.name); INSERT INTO factbase_entity_fts(rowid, name) VALUES (new.id, new.name); END",
    "INSERT INTO factbase_entity_fts(factbase_entity_fts) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS factbase_alias_fts_ai AFTER INSERT ON factbase_alias BEGIN INSERT INTO factbase_alias_fts(rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_alias_fts_ad AFTER DELETE ON factbase_alias BEGIN INSERT INTO factbase_alias_fts(factbase_alias_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_alias_fts_au AFTER UPDATE OF name ON factbase_alias BEGIN INSERT INTO factbase_alias_fts(factbase_alias_fts, rowid, name) VALUES ('delete', old.id, old.name); INSERT INTO factbase_alias_fts(rowid, name) VALUES (new.id, new.name); END",
    "INSERT INTO factbase_alias_fts(factbase_alias_fts) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS factbase_sourcespan_fts_ai AFTER INSERT ON factbase_sourcespan BEGIN INSERT INTO factbase_sourcespan_fts(rowid, exact) VALUES (new.id, new.exact); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_sourcespan_fts_ad AFTER DELETE ON factbase_sourcespan BEGIN INSERT INTO factbase_sourcespan_fts(factbase_sourcespan_fts, rowid, exact) VALUES ('delete', old.id, old.exact); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_sourcespan_fts_au AFTER UPDATE OF exact ON factbase_sourcespan BEGIN INSERT INTO factbase_sourcespan_fts(factbase_sourcespan_fts, rowid, exact) VALUES ('delete', old.id, old.exact); INSERT INTO factbase_sourcespan_fts(rowid, exact) VALUES (new.id, new.exact); END",
    "INSERT INTO factbase_sourcespan_fts(factbase_sourcespan_fts) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_fts_ai AFTER INSERT ON factbase_claim BEGIN INSERT INTO factbase_claim_fts(rowid, value) VALUES (new.id, new.value); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_fts_ad AFTER DELETE ON factbase_claim BEGIN INSERT INTO factbase_claim_fts(factbase_claim_fts, rowid, value) VALUES ('delete', old.id, old.value); END",
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_fts_au AFTER UPDATE OF value ON factbase_claim BEGIN INSERT INTO factbase_claim_fts(factbase_claim_fts, rowid, value) VALUES ('delete', old.id, old.value); INSERT INTO factbase_claim_fts(rowid, value) VALUES (new.id, new.value); END",
    "INSERT INTO factbase_claim_fts(factbase_claim_fts) VALUES ('rebuild')",
]

PG_INDEXES = [
    "CREATE INDEX IF NOT EXISTS entity_name_fts ON factbase_entity USING gin (to_tsvector('simple'::regconfig, name))",
    "CREATE INDEX IF NOT EXISTS alias_name_fts ON factbase_alias USING gin (to_tsvector('simple'::regconfig, name))",
    "CREATE INDEX IF NOT EXISTS sourcespan_exact_fts ON factbase_sourcespan USING gin (to_tsvector('simple'::regconfig, exact))",
    "CREATE INDEX IF NOT EXISTS claim_value_fts ON factbase_claim USING gin (to_tsvector('simple'::regconfig, value))",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_{suffix}"
    for table in ("factbase_entity_fts", "factbase_alias_fts", "factbase_sourcespan_fts", "factbase_claim_fts")
    for suffix in ("ai", "ad", "au")
] + [
    f"DROP TABLE IF EXISTS {table}"
    for table in ("factbase_entity_fts", "factbase_alias_fts", "factbase_sourcespan_fts", "factbase_claim_fts")
]
PG_DROP = [
    f"DROP INDEX IF EXISTS {name}"
    for name in ("entity_name_fts", "alias_name_fts", "sourcespan_exact_fts", "claim_value_fts")
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in PG_INDEXES:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            try:
                for statement in SQLITE_TABLES:
                    cursor.execute(statement)
            except DatabaseError:
                return  # SQLite built without FTS5
            for statement in SQLITE_TRIGGERS_AND_FILL:
                cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0002_document_revisions_anchor_status"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
