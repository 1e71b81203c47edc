"""Indexes for the entity lists (docs/performance.md, "Entity lists"):

- (entity (name, id), for `entities/` in name order, came with 0013_search_prefix_and_document_text_indexes);
- entity (kind, id), instead of (kind DESC, id): `ordering=kind` and `-kind`, whose ties now
  follow the direction of the kind, read forwards or backwards;
- event (date_lower, date_upper): `events/?date_from=` walks the events in date order and
  skips those that ended before by their index entry (EventQuerySet.overlapping);
- event participant (entity, event) and event (id, date_lower, date_upper):
  `events/?participant=` reads the entity's events and their dates from the indexes alone.

SQLite plans with the statistics ANALYZE left (see 0009): the new indexes get theirs.
"""

from django.db import migrations, models

SQLITE_ANALYZE = [
    "ANALYZE factbase_entity",
    "ANALYZE factbase_event",
    "ANALYZE factbase_eventparticipant",
]


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in SQLITE_ANALYZE:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0013_search_prefix_and_document_text_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="entity",
            name="entity_kind_desc",
        ),
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(fields=["kind", "id"], name="entity_kind_id"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["date_lower", "date_upper"], name="event_dates"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["entity_ptr", "date_lower", "date_upper"], name="event_entity_date"),
        ),
        migrations.AddIndex(
            model_name="eventparticipant",
            index=models.Index(fields=["entity", "event"], name="eventparticipant_entity_event"),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
