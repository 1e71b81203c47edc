"""PostgreSQL: the event name index, `factbase_event_names(event_id, event_type, status,
date_lower, name, document)`: one row per event with its type, status, first date, name and
one full-text document of its name and aliases, with a GIN index on the document, kept by
triggers on events, entity names and aliases. For an event search's facets, page and count,
read from one narrow table
(docs/performance.md, "Eighth round: an event search from the event name index").
Frozen SQL, as this migration ran; the live definitions are in
factbase/indexes/event_names.py. The table is filled here from the events (5 s at a
million claims). SQLite: nothing."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_event_names (event_id bigint PRIMARY KEY, event_type text NOT NULL, status text NOT NULL, date_lower date, name text NOT NULL, document tsvector NOT NULL)""",
    """CREATE INDEX event_names_document ON factbase_event_names USING gin (document)""",
    """CREATE OR REPLACE FUNCTION factbase_event_names_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_event_names WHERE event_id = ANY(ids);
  INSERT INTO factbase_event_names (event_id, event_type, status, date_lower, name, document)
  SELECT e.entity_ptr_id, e.event_type, e.status, e.date_lower, n.name, to_tsvector('simple'::regconfig, concat_ws(' ', n.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = e.entity_ptr_id)))
  FROM factbase_event e JOIN factbase_entity n ON n.id = e.entity_ptr_id
  WHERE e.entity_ptr_id = ANY(ids);
$$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_event_names_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'factbase_event' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_ptr_id]);
    ELSE
      PERFORM factbase_event_names_refresh(ARRAY[NEW.entity_ptr_id]);
    END IF;
  ELSIF TG_TABLE_NAME = 'factbase_entity' THEN
    PERFORM factbase_event_names_refresh(ARRAY[NEW.id]);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM factbase_event_names_refresh(ARRAY[NEW.entity_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_id]);
  ELSE
    PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_id, NEW.entity_id]);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_names_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_event_names;
  RETURN NULL;
END $$""",
    """CREATE TRIGGER factbase_event_names_event AFTER INSERT OR DELETE OR UPDATE OF event_type, status, date_lower ON factbase_event FOR EACH ROW EXECUTE FUNCTION factbase_event_names_on_change()""",
    """CREATE TRIGGER factbase_event_names_truncate AFTER TRUNCATE ON factbase_event FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_names_on_truncate()""",
    """CREATE TRIGGER factbase_event_names_entity AFTER UPDATE OF name ON factbase_entity FOR EACH ROW WHEN (NEW.kind = 'event') EXECUTE FUNCTION factbase_event_names_on_change()""",
    """CREATE TRIGGER factbase_event_names_alias AFTER INSERT OR DELETE OR UPDATE OF name, entity_id ON factbase_alias FOR EACH ROW EXECUTE FUNCTION factbase_event_names_on_change()""",
    """SELECT factbase_event_names_refresh(ARRAY(SELECT entity_ptr_id FROM factbase_event))""",
    """ANALYZE factbase_event_names""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_event_names_event ON factbase_event""",
    """DROP TRIGGER factbase_event_names_truncate ON factbase_event""",
    """DROP TRIGGER factbase_event_names_entity ON factbase_entity""",
    """DROP TRIGGER factbase_event_names_alias ON factbase_alias""",
    """DROP TABLE factbase_event_names""",
    """DROP FUNCTION factbase_event_names_on_change()""",
    """DROP FUNCTION factbase_event_names_on_truncate()""",
    """DROP FUNCTION factbase_event_names_refresh(bigint[])""",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0041_claim_text_values")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
