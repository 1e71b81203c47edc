"""An interval index on claim dates (factbase/intervals.py): an R*Tree kept by triggers on
SQLite (skipped when the build lacks R*Tree), a GiST index on daterange(date_lower,
date_upper, '[]') on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    from factbase import intervals

    intervals.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from factbase import intervals

    intervals.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0006_claim_filter_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
