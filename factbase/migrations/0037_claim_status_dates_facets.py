"""An index of the claims by (status, date_lower, date_upper) that also holds the facet
columns (`claim_status_dates_facets`), so that the facets of a date range walk its entries,
not the claim rows (docs/performance.md, "Facets at a million claims"). On copies of the 1M
databases it took 11 s to build on SQLite (plus the index restore every SQLite migration
runs) and the migration 14 s on PostgreSQL.

SQLite plans with the statistics ANALYZE left (see 0009): an index it has none for is taken
to narrow its first column's equality to a few rows, and the new index's `status = ?` was
preferred to the fact index for every facts/ page (5 s a request at a million claims). The
new index gets its statistics.
"""

from django.conf import settings
from django.db import migrations, models

SQLITE_ANALYZE = ["ANALYZE claim_status_dates_facets"]


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in SQLITE_ANALYZE:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0036_claim_preferred_fact"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=[
                    "status",
                    "date_lower",
                    "date_upper",
                    "predicate",
                    "subject_kind",
                    "attribution",
                    "modality",
                    "polarity",
                ],
                name="claim_status_dates_facets",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
