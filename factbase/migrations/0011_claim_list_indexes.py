"""Indexes for the claim list's orderings at a million claims (docs/performance.md, "Claim
and document lists at a million claims").

- (created, id) and (updated, id): `ordering=created`, `-created`, `updated`, `-updated`
  walk one index forwards or backwards (ties follow the last field's direction,
  api/filters.py) instead of sorting every visible claim (13-18 s on SQLite).
- PostgreSQL only, `claim_status_date_desc` on (status, date_lower DESC NULLS LAST, id
  DESC): `ordering=-date`. Empty dates sort last both ways, and PostgreSQL's backward scan
  of an ascending index puts them first, so the descending order needs an index of its own.
  SQLite keeps NULLs first in ascending indexes, so a backward scan already puts them last;
  and its CREATE INDEX takes no NULLS clause.
- (subject, status, date_lower, id) and (object, status, date_lower, id): `subject=` or
  `object=` with `ordering=date` or `-date` (SQLite reads them forwards or backwards instead
  of reading and sorting every claim about the entity, 0.74 s for the busiest subject).
  Model indexes on both engines, so that SQLite's table rebuilds in later migrations keep
  them; PostgreSQL uses them for `date` and walks `claim_status_date_desc` for `-date`.
"""

from django.db import migrations, models

PG_DATE_DESC = (
    "CREATE INDEX IF NOT EXISTS claim_status_date_desc "
    "ON factbase_claim (status, date_lower DESC NULLS LAST, id DESC)"
)


def create_pg_date_desc(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DATE_DESC)


def drop_pg_date_desc(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_status_date_desc")


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0010_timeline_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["created", "id"], name="claim_created"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["updated", "id"], name="claim_updated"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["subject", "status", "date_lower", "id"], name="claim_subject_date"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["object", "status", "date_lower", "id"], name="claim_object_date"),
        ),
        migrations.RunPython(create_pg_date_desc, drop_pg_date_desc),
    ]
