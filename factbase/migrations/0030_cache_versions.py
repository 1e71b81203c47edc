"""Versions of what the shared cache keeps (the predicate list), kept by triggers. Frozen
SQL, as this migration ran; the live definition is factbase/indexes/cache_versions.py.

SQLite: the table is created here; its triggers come from the post_migrate hook, like every
SQLite trigger of the indexes (Django's table rebuilds drop them). PostgreSQL: table,
function and trigger, all here."""

from django.db import migrations

TABLE = "CREATE TABLE IF NOT EXISTS factbase_cache_versions (name varchar(32) PRIMARY KEY, n bigint NOT NULL)"
RANDOM = {"sqlite": "random()", "postgresql": "floor(random() * 4611686018427387904)::bigint"}
ROWS = "INSERT INTO factbase_cache_versions (name, n) VALUES ('epoch', {0}), ('predicates', {0}) ON CONFLICT DO NOTHING"
PG_FUNCTION_AND_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION factbase_cache_versions_predicates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE factbase_cache_versions SET n = floor(random() * 4611686018427387904)::bigint WHERE name = 'predicates';
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS factbase_cache_versions_predicate ON factbase_predicate",
    "CREATE TRIGGER factbase_cache_versions_predicate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON factbase_predicate FOR EACH STATEMENT EXECUTE FUNCTION factbase_cache_versions_predicates()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_cache_versions_predicate ON factbase_predicate",
    "DROP FUNCTION IF EXISTS factbase_cache_versions_predicates()",
    "DROP TABLE IF EXISTS factbase_cache_versions",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS factbase_cache_versions_predicate_{suffix}" for suffix in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS factbase_cache_versions",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in RANDOM:
        return
    statements = [TABLE, ROWS.format(RANDOM[connection.vendor])]
    if connection.vendor == "postgresql":
        statements += PG_FUNCTION_AND_TRIGGERS
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
        ("factbase", "0029_fact_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
