"""SQLite: the claim text table gets a fourth column, `facets`, one token per facet column of
the claim, so that a search's facets walk only the matches that hold the values left to
count (docs/performance.md, "Fifth round: a search's facets from the text index (SQLite)").
An FTS5 table's columns are fixed when it is created: the table is created again, empty; the
post_migrate hook puts back its triggers (which now also follow a change of the facet
columns) and refills it (factbase/indexes/claim_text.py: they read other tables, so they
live outside migrations on SQLite). Frozen SQL, as this migration ran. PostgreSQL: nothing."""

from django.db import migrations

FORWARDS = [
    "DROP TABLE IF EXISTS factbase_claim_text_fts",
    "CREATE VIRTUAL TABLE factbase_claim_text_fts USING fts5(quotes, value, subject, facets, prefix='1 2')",
]
BACKWARDS = [
    "DROP TABLE IF EXISTS factbase_claim_text_fts",
    "CREATE VIRTUAL TABLE factbase_claim_text_fts USING fts5(quotes, value, subject, prefix='1 2')",
]


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'factbase_claim_text_fts'")
        if not cursor.fetchone()[0]:
            return  # SQLite built without FTS5: search scans
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0039_event_facets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
