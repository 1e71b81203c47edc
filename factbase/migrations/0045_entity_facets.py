"""SQLite: the entity facet index, an FTS5 table of one document per entity with the words of
its names and a token of its kind, and of an event's type and status, and its fts5vocab
table (docs/performance.md, "Tenth round: an entity or event search's facets from the
entity facet index (SQLite)"). Created empty here; the post_migrate hook puts its triggers
in place and fills it (factbase/indexes/entity_facets.py: they read other tables, so they
live outside migrations on SQLite). Frozen SQL, as this migration ran. PostgreSQL: nothing."""

from django.db import migrations

FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_entity_facets_fts USING fts5(names, facets, prefix='1 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_entity_facets_fts_vocab USING fts5vocab(factbase_entity_facets_fts, row)",
]
BACKWARDS = [
    "DROP TABLE IF EXISTS factbase_entity_facets_fts_vocab",
    "DROP TABLE IF EXISTS factbase_entity_facets_fts",
]


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
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            for suffix in ("entity_ai", "entity_au", "entity_ad", "event_ai", "event_au", "event_ad", "alias_ai", "alias_au", "alias_ad"):
                cursor.execute(f"DROP TRIGGER IF EXISTS factbase_entity_facets_fts_{suffix}")
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0044_claim_gin_without_pending_list")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
