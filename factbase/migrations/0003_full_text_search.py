"""Full-text indexes for entity names, aliases, span quotes and claim values.

SQLite: FTS5 external-content tables kept in step by triggers (skipped when the SQLite
build lacks FTS5; search then falls back to LIKE). PostgreSQL: GIN indexes on
to_tsvector('simple', column). The SQL lives in factbase/search.py next to the queries
that must match it."""

from django.db import migrations


def forwards(apps, schema_editor):
    from factbase import search

    search.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from factbase import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0002_document_revisions_anchor_status"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
