"""PostgreSQL: the GIN indexes of the claim text and claim facet tables write each entry as
the row is written (`fastupdate = off`) instead of into a pending list that every search
reads whole and that makes the planner think the index dearer (docs/performance.md,
"Searches of several words (PostgreSQL)"). Frozen SQL, as this migration ran; the live
definitions are in factbase/indexes/claim_text.py and claim_facets.py. SQLite: nothing."""

from django.db import migrations

INDEXES = ["claim_text_document", "claim_facets_document"]

PG_FORWARDS = [f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)" for name in INDEXES]
PG_BACKWARDS = [f"ALTER INDEX IF EXISTS {name} RESET (fastupdate)" for name in INDEXES]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0043_claim_facets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
