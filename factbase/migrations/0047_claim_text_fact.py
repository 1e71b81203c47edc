"""PostgreSQL: a btree of the claim text table's rows by fact and status, so that a walk of
the facts in id order asks each for a matching claim from that table alone
(factbase/indexes/claim_text.py, `PG_FACT_INDEX`; docs/performance.md, "Facts of a search
walked by fact"). Frozen SQL, as this migration ran; the live definition is in
factbase/indexes/claim_text.py. SQLite: nothing."""

from django.db import migrations

PG_FORWARDS = ["CREATE INDEX IF NOT EXISTS claim_text_fact ON factbase_claim_text (fact_id, status)"]
PG_BACKWARDS = ["DROP INDEX IF EXISTS claim_text_fact"]


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
    dependencies = [("factbase", "0046_claim_words")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
