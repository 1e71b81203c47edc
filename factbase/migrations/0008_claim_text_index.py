"""One full-text document per claim (factbase/claimtext.py) replaces the separate indexes on
span quotes and claim values, which claim search no longer reads.

SQLite: the FTS5 table is created here; its triggers and its contents come from the
post_migrate repair (they read other tables, which SQLite's table rebuilds in migrations
cannot tolerate). PostgreSQL: table, GIN index, triggers and contents, all here."""

from django.db import migrations

# The indexes of migration 0003 that only claim search used.
LEGACY_SQLITE = ["factbase_sourcespan_fts", "factbase_claim_fts"]
LEGACY_PG = ["sourcespan_exact_fts", "claim_value_fts"]


def forwards(apps, schema_editor):
    from factbase import claimtext

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in LEGACY_SQLITE:
                for suffix in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        elif connection.vendor == "postgresql":
            for index in LEGACY_PG:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
    claimtext.install(connection)


def backwards(apps, schema_editor):
    from factbase import claimtext

    claimtext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0007_claim_date_interval_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
