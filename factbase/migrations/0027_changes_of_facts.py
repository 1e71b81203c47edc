"""The change feed tells of a fact's new count of sources, or its being contradicted or no
longer, as an update of each of its claims (each claim shows them). Frozen SQL, as this
migration ran; the live definition is factbase/indexes/changes.py.

SQLite: the trigger comes from the post_migrate hook, like every SQLite trigger of the
indexes. PostgreSQL: the function and the trigger, here."""

from django.db import migrations

PG_FUNCTION_AND_TRIGGER = [
    "CREATE OR REPLACE FUNCTION factbase_changes_fact() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' THEN\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) SELECT 'claim', c.id, NULL, 'update', c.status = 'published', c.status = 'published' FROM factbase_claim c WHERE (OLD.sources <> NEW.sources OR OLD.contradicted <> NEW.contradicted) AND c.fact_id = NEW.id ORDER BY c.id;\n  END IF;\n  RETURN NULL;\nEND $$",
    "DROP TRIGGER IF EXISTS factbase_changes_fact ON factbase_fact",
    "CREATE TRIGGER factbase_changes_fact AFTER UPDATE ON factbase_fact FOR EACH ROW EXECUTE FUNCTION factbase_changes_fact()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_changes_fact ON factbase_fact",
    "DROP FUNCTION IF EXISTS factbase_changes_fact()",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS factbase_changes_fact_au"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in PG_FUNCTION_AND_TRIGGER:
                cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0026_facts"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
