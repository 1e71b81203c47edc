"""Indexes for facts/ and its filters (docs/performance.md, "Facts at a million claims"):
fact (updated, id) and (rank, id) on the facts; on the claims, (subject | object | predicate,
status, fact) and (status, date_upper, fact), which give the facts of the filtered claims
from the index alone (FactQuerySet.stating).

SQLite plans with the statistics ANALYZE left (see 0009): the new indexes get theirs.
"""

from django.conf import settings
from django.db import migrations, models

SQLITE_ANALYZE = ["ANALYZE factbase_claim", "ANALYZE factbase_fact"]


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in SQLITE_ANALYZE:
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('factbase', '0028_claim_subject_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['subject', 'status', 'fact'], name='claim_subject_fact'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['object', 'status', 'fact'], name='claim_object_fact'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['predicate', 'status', 'fact'], name='claim_predicate_fact'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['status', 'date_upper', 'fact'], name='claim_status_upper_fact'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(fields=['updated', 'id'], name='fact_updated'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(fields=['rank', 'id'], name='fact_rank'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
