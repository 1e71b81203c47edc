"""A counter of changes to entity names and aliases, kept by triggers, for the mention
suggestions' matcher. Frozen SQL, as this migration ran; the live definition is
factbase/indexes/name_changes.py.

SQLite: the table is created here; its triggers come from the post_migrate hook, like every
SQLite trigger of the indexes (Django's table rebuilds drop them). PostgreSQL: table,
function and triggers, all here."""

from django.db import migrations

TABLE = [
    "CREATE TABLE IF NOT EXISTS factbase_name_changes (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)",
    "INSERT INTO factbase_name_changes (id, n) VALUES (1, 0) ON CONFLICT DO NOTHING",
]
PG_FUNCTION_AND_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION factbase_name_changes_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE factbase_name_changes SET n = floor(random() * 4611686018427387904)::bigint WHERE id = 1;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS factbase_name_changes_entity ON factbase_entity",
    "CREATE TRIGGER factbase_name_changes_entity AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name "
    "ON factbase_entity FOR EACH STATEMENT EXECUTE FUNCTION factbase_name_changes_bump()",
    "DROP TRIGGER IF EXISTS factbase_name_changes_alias ON factbase_alias",
    "CREATE TRIGGER factbase_name_changes_alias AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, entity_id "
    "ON factbase_alias FOR EACH STATEMENT EXECUTE FUNCTION factbase_name_changes_bump()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_name_changes_entity ON factbase_entity",
    "DROP TRIGGER IF EXISTS factbase_name_changes_alias ON factbase_alias",
    "DROP FUNCTION IF EXISTS factbase_name_changes_bump()",
    "DROP TABLE IF EXISTS factbase_name_changes",
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS factbase_name_changes_{table}_{suffix}"
        for table in ("entity", "alias")
        for suffix in ("ai", "ad", "au")
    ),
    "DROP TABLE IF EXISTS factbase_name_changes",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": TABLE + PG_FUNCTION_AND_TRIGGERS, "sqlite": TABLE}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0015_timeline_undated_claims"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
