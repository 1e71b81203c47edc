"""The widest event, `factbase_event_span(id, widest)`: one row holding at least the longest
span in days of any event, so that an event list from a date reads only the events that
start that many days before it (docs/performance.md, "The widest event"). PostgreSQL: the
table, its statement triggers and their function, filled here. SQLite: the table, created
empty; the post_migrate hook puts its row triggers in place and fills it
(factbase/indexes/event_spans.py). Frozen SQL, as this migration ran."""

from django.db import migrations

FORWARDS = {
    "postgresql": [
        """CREATE TABLE IF NOT EXISTS factbase_event_span (id integer PRIMARY KEY CHECK (id = 1), widest integer NOT NULL)""",
        """CREATE OR REPLACE FUNCTION factbase_event_span_widen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE factbase_event_span s SET widest = n.widest FROM (SELECT max(date_upper - date_lower) AS widest FROM new_rows) n
  WHERE n.widest > s.widest;
  RETURN NULL;
END $$""",
        """CREATE TRIGGER factbase_event_span_insert AFTER INSERT ON factbase_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_span_widen()""",
        """CREATE TRIGGER factbase_event_span_update AFTER UPDATE ON factbase_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_span_widen()""",
        """INSERT INTO factbase_event_span (id, widest) SELECT 1, coalesce(max(e.date_upper - e.date_lower), 0) FROM factbase_event e""",
    ],
    "sqlite": [
        """CREATE TABLE IF NOT EXISTS factbase_event_span (id INTEGER PRIMARY KEY CHECK (id = 1), widest INTEGER NOT NULL)""",
    ],
}
BACKWARDS = {
    "postgresql": [
        """DROP TRIGGER IF EXISTS factbase_event_span_insert ON factbase_event""",
        """DROP TRIGGER IF EXISTS factbase_event_span_update ON factbase_event""",
        """DROP TABLE IF EXISTS factbase_event_span""",
        """DROP FUNCTION IF EXISTS factbase_event_span_widen()""",
    ],
    "sqlite": [
        """DROP TRIGGER IF EXISTS factbase_event_span_event_ai""",
        """DROP TRIGGER IF EXISTS factbase_event_span_event_au""",
        """DROP TABLE IF EXISTS factbase_event_span""",
    ],
}


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0051_participant_events")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
