"""SQLite: the event word index, `factbase_event_words(lexeme, event_id, date_key, name,
event_type, status)`, one row per distinct word of each event's name and aliases, keyed by
the word and the event (a WITHOUT ROWID table), with btrees of the events list's order
within a word, of each facet column's value beside the word, and of the event's id, and the
contentless FTS5 table and fts5vocab table through which its triggers tokenize
(docs/performance.md, "The event word index on SQLite"). Created empty here; the
post_migrate hook puts its triggers in place and fills it (factbase/indexes/event_words.py:
they read other tables, so they live outside migrations). Frozen SQL, as this migration ran.
PostgreSQL: nothing (its event search reads the event name index)."""

from django.db import migrations

FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_event_words_scratch USING fts5(names, content='')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_event_words_scratch_vocab USING fts5vocab(factbase_event_words_scratch, row)",
    "CREATE TABLE IF NOT EXISTS factbase_event_words (lexeme TEXT NOT NULL, event_id INTEGER NOT NULL, date_key TEXT NOT NULL, name TEXT NOT NULL, event_type TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (lexeme, event_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS event_words_order ON factbase_event_words (lexeme, date_key, name, event_id)",
    "CREATE INDEX IF NOT EXISTS event_words_type ON factbase_event_words (lexeme, event_type, event_id)",
    "CREATE INDEX IF NOT EXISTS event_words_status ON factbase_event_words (lexeme, status, event_id)",
    "CREATE INDEX IF NOT EXISTS event_words_event ON factbase_event_words (event_id)",
]
BACKWARDS = [
    "DROP TABLE IF EXISTS factbase_event_words",
    "DROP TABLE IF EXISTS factbase_event_words_scratch_vocab",
    "DROP TABLE IF EXISTS factbase_event_words_scratch",
]
TRIGGERS = ("event_ai", "event_au", "event_ad", "entity_au", "alias_ai", "alias_au", "alias_ad")


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
                cursor.execute(f"DROP TRIGGER IF EXISTS factbase_event_words_{suffix}")
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0049_entity_words_sqlite")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
