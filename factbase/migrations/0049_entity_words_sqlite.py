"""SQLite: the entity word index, `factbase_entity_words(lexeme, kind, name, entity_id)`, one
row per distinct word of each entity's name and aliases under a primary key of those
columns (a WITHOUT ROWID table) and a btree of `(lexeme, kind, entity_id)`, with the
contentless FTS5 table and its fts5vocab table through which its triggers tokenize
(docs/performance.md, "The entity word index on SQLite"). Created empty here; the
post_migrate hook puts its triggers in place and fills it (factbase/indexes/entity_words.py:
they read other tables, so they live outside migrations on SQLite). Frozen SQL, as this
migration ran. PostgreSQL: nothing (0048 made its table)."""

from django.db import migrations

FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_entity_words_scratch USING fts5(names, content='')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_entity_words_scratch_vocab USING fts5vocab(factbase_entity_words_scratch, row)",
    "CREATE TABLE IF NOT EXISTS factbase_entity_words (lexeme TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, entity_id INTEGER NOT NULL, PRIMARY KEY (lexeme, kind, name, entity_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS entity_words_id ON factbase_entity_words (lexeme, kind, entity_id)",
    "CREATE INDEX IF NOT EXISTS entity_words_entity ON factbase_entity_words (entity_id)",
]
BACKWARDS = [
    "DROP TABLE IF EXISTS factbase_entity_words",
    "DROP TABLE IF EXISTS factbase_entity_words_scratch_vocab",
    "DROP TABLE IF EXISTS factbase_entity_words_scratch",
]
TRIGGERS = ("entity_ai", "entity_au", "entity_ad", "alias_ai", "alias_au", "alias_ad")


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'factbase_entity_fts'")
        if not cursor.fetchone()[0]:
            return  # SQLite built without FTS5: search scans
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for suffix in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS factbase_entity_words_{suffix}")
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0048_entity_words")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
