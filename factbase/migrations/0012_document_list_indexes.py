"""Indexes for the document list (docs/performance.md, "Claim and document lists at a
million claims"): a page reads only its own rows.

- (title, id): `ordering=title` and `-title`, read forwards or backwards. A sort takes whole
  rows, and on SQLite a document row carries its text (100 MB read at a million claims).
- (date_lower, date_upper, id): `ordering=published` and the published date filters.
- PostgreSQL only, (date_lower DESC NULLS LAST, id): the default order, newest first with
  undated documents last. Without it PostgreSQL joined every document to its publisher and
  then sorted them (0.42 s for the first page at a million claims).
"""

from django.db import migrations, models

PG_PUBLISHED_DESC = (
    "CREATE INDEX IF NOT EXISTS document_published_desc ON factbase_document (date_lower DESC NULLS LAST, id)"
)


def create_pg_published_desc(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_PUBLISHED_DESC)


def drop_pg_published_desc(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_published_desc")


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0011_claim_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["title", "id"], name="document_title"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["date_lower", "date_upper", "id"], name="document_dates"),
        ),
        migrations.RunPython(create_pg_published_desc, drop_pg_published_desc),
    ]
