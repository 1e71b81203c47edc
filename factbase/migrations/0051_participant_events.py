"""The participant event index, `factbase_participant_events(entity_id, event_id, event_type,
status, date_lower, date_upper)`: one row per entity and event it takes part in, with the
event's type, status and dates, keyed by `(entity_id, event_id)`, with btrees of each facet
column beside the entity, of the event, and of the dates beside the entity
(docs/performance.md, "The participant event index"). PostgreSQL: the table, its statement
triggers and their functions, filled and indexed here from the participations.
SQLite: a WITHOUT ROWID table and its btrees, created empty; the post_migrate hook puts its
row triggers in place and fills it (factbase/indexes/participant_events.py: they read other
tables, so they live outside migrations). Frozen SQL, as this migration ran."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_participant_events (entity_id bigint NOT NULL, event_id bigint NOT NULL, event_type text NOT NULL, status text NOT NULL, date_lower date, date_upper date, PRIMARY KEY (entity_id, event_id))""",
    """CREATE OR REPLACE FUNCTION factbase_participant_events_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO factbase_participant_events (entity_id, event_id, event_type, status, date_lower, date_upper) SELECT DISTINCT p.entity_id, p.event_id, ev.event_type, ev.status, ev.date_lower, ev.date_upper FROM new_rows p JOIN factbase_event ev ON ev.entity_ptr_id = p.event_id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_participant_events_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_participant_events WHERE (entity_id, event_id) IN (SELECT o.entity_id, o.event_id FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM factbase_eventparticipant x WHERE x.entity_id = o.entity_id AND x.event_id = o.event_id));
  INSERT INTO factbase_participant_events (entity_id, event_id, event_type, status, date_lower, date_upper) SELECT DISTINCT p.entity_id, p.event_id, ev.event_type, ev.status, ev.date_lower, ev.date_upper FROM new_rows p JOIN factbase_event ev ON ev.entity_ptr_id = p.event_id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_participant_events_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_participant_events WHERE (entity_id, event_id) IN (SELECT o.entity_id, o.event_id FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM factbase_eventparticipant x WHERE x.entity_id = o.entity_id AND x.event_id = o.event_id));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_participant_events_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_participant_events;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_participant_events_on_event_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE factbase_participant_events t SET event_type = n.event_type, status = n.status, date_lower = n.date_lower, date_upper = n.date_upper FROM new_rows n JOIN old_rows o ON o.entity_ptr_id = n.entity_ptr_id WHERE t.event_id = n.entity_ptr_id AND (n.event_type, n.status, n.date_lower, n.date_upper) IS DISTINCT FROM (o.event_type, o.status, o.date_lower, o.date_upper);
  RETURN NULL;
END $$""",
    """INSERT INTO factbase_participant_events (entity_id, event_id, event_type, status, date_lower, date_upper) SELECT DISTINCT p.entity_id, p.event_id, ev.event_type, ev.status, ev.date_lower, ev.date_upper FROM factbase_eventparticipant p JOIN factbase_event ev ON ev.entity_ptr_id = p.event_id ORDER BY p.entity_id, p.event_id""",
    """CREATE INDEX IF NOT EXISTS participant_events_type ON factbase_participant_events (entity_id, event_type, event_id)""",
    """CREATE INDEX IF NOT EXISTS participant_events_status ON factbase_participant_events (entity_id, status, event_id)""",
    """CREATE INDEX IF NOT EXISTS participant_events_event ON factbase_participant_events (event_id)""",
    """CREATE TRIGGER factbase_participant_events_insert AFTER INSERT ON factbase_eventparticipant REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_participant_events_on_insert()""",
    """CREATE TRIGGER factbase_participant_events_update AFTER UPDATE ON factbase_eventparticipant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_participant_events_on_update()""",
    """CREATE TRIGGER factbase_participant_events_delete AFTER DELETE ON factbase_eventparticipant REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_participant_events_on_delete()""",
    """CREATE TRIGGER factbase_participant_events_truncate AFTER TRUNCATE ON factbase_eventparticipant FOR EACH STATEMENT EXECUTE FUNCTION factbase_participant_events_on_truncate()""",
    """CREATE TRIGGER factbase_participant_events_event_update AFTER UPDATE ON factbase_event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_participant_events_on_event_update()""",
    """ANALYZE factbase_participant_events""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_participant_events_insert ON factbase_eventparticipant""",
    """DROP TRIGGER factbase_participant_events_update ON factbase_eventparticipant""",
    """DROP TRIGGER factbase_participant_events_delete ON factbase_eventparticipant""",
    """DROP TRIGGER factbase_participant_events_truncate ON factbase_eventparticipant""",
    """DROP TRIGGER factbase_participant_events_event_update ON factbase_event""",
    """DROP TABLE factbase_participant_events""",
    """DROP FUNCTION factbase_participant_events_on_insert()""",
    """DROP FUNCTION factbase_participant_events_on_update()""",
    """DROP FUNCTION factbase_participant_events_on_delete()""",
    """DROP FUNCTION factbase_participant_events_on_truncate()""",
    """DROP FUNCTION factbase_participant_events_on_event_update()""",
]
SQLITE_FORWARDS = [
    """CREATE TABLE IF NOT EXISTS factbase_participant_events (entity_id bigint NOT NULL, event_id bigint NOT NULL, event_type text NOT NULL, status text NOT NULL, date_lower date, date_upper date, PRIMARY KEY (entity_id, event_id)) WITHOUT ROWID""",
    """CREATE INDEX IF NOT EXISTS participant_events_type ON factbase_participant_events (entity_id, event_type, event_id)""",
    """CREATE INDEX IF NOT EXISTS participant_events_status ON factbase_participant_events (entity_id, status, event_id)""",
    """CREATE INDEX IF NOT EXISTS participant_events_event ON factbase_participant_events (event_id)""",
    """CREATE INDEX IF NOT EXISTS participant_events_dates ON factbase_participant_events (entity_id, date_lower, date_upper)""",
]
SQLITE_TRIGGERS = (
    "factbase_participant_events_participant_ai",
    "factbase_participant_events_participant_au",
    "factbase_participant_events_participant_ad",
    "factbase_participant_events_event_au",
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_FORWARDS if vendor == "postgresql" else SQLITE_FORWARDS if vendor == "sqlite" else []
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = PG_BACKWARDS
    elif vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
        statements.append("DROP TABLE IF EXISTS factbase_participant_events")
    else:
        statements = []
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0050_event_words_sqlite")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
