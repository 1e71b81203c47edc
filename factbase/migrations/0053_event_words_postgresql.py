"""The event word index on PostgreSQL, `factbase_event_words(lexeme, event_id, date_lower, name,
event_type, status)`: one row per distinct word of each event's name and aliases (the
entity word index's words), with a unique btree of `(lexeme, event_id)`, one of the events
list's order within a word, of each facet column's value beside the word, and of the event,
kept by statement triggers on the event, entity and alias tables (docs/performance.md, "The
event word index on PostgreSQL"). Filled and indexed here from the tables. Frozen SQL, as
this migration ran; the live definitions are in factbase/indexes/event_words.py. SQLite:
nothing (its table is 0050's)."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_event_words (lexeme text COLLATE "C" NOT NULL, event_id bigint NOT NULL, date_lower date, name text NOT NULL, event_type text NOT NULL, status text NOT NULL)""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_event_words WHERE event_id = ANY(ids);
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids);
$$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_event_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT entity_ptr_id FROM new_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_event_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT n.entity_ptr_id FROM new_rows n JOIN old_rows o ON o.entity_ptr_id = n.entity_ptr_id WHERE n.date_lower IS DISTINCT FROM o.date_lower OR n.event_type IS DISTINCT FROM o.event_type OR n.status IS DISTINCT FROM o.status));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_event_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT entity_ptr_id FROM old_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_event_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_event_words;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_entity_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT entity_id FROM new_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT moved.entity_id FROM old_rows o JOIN new_rows n ON n.id = o.id CROSS JOIN LATERAL (VALUES (o.entity_id), (n.entity_id)) AS moved(entity_id) WHERE n.name IS DISTINCT FROM o.name OR n.entity_id IS DISTINCT FROM o.entity_id));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_event_words_refresh(ARRAY(SELECT entity_id FROM old_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_event_words;
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE ORDER BY 1, 2;
  RETURN NULL;
END $$""",
    """INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE ORDER BY 1, 2""",
    """CREATE UNIQUE INDEX IF NOT EXISTS event_words_key ON factbase_event_words (lexeme, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_order ON factbase_event_words (lexeme, date_lower, name, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_type ON factbase_event_words (lexeme, event_type, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_status ON factbase_event_words (lexeme, status, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_event ON factbase_event_words (event_id)""",
    """CREATE TRIGGER factbase_event_words_event_insert AFTER INSERT ON factbase_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_event_insert()""",
    """CREATE TRIGGER factbase_event_words_event_update AFTER UPDATE ON factbase_event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_event_update()""",
    """CREATE TRIGGER factbase_event_words_event_delete AFTER DELETE ON factbase_event REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_event_delete()""",
    """CREATE TRIGGER factbase_event_words_event_truncate AFTER TRUNCATE ON factbase_event FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_event_truncate()""",
    """CREATE TRIGGER factbase_event_words_entity_update AFTER UPDATE ON factbase_entity REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_entity_update()""",
    """CREATE TRIGGER factbase_event_words_alias_insert AFTER INSERT ON factbase_alias REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_alias_insert()""",
    """CREATE TRIGGER factbase_event_words_alias_update AFTER UPDATE ON factbase_alias REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_alias_update()""",
    """CREATE TRIGGER factbase_event_words_alias_delete AFTER DELETE ON factbase_alias REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_alias_delete()""",
    """CREATE TRIGGER factbase_event_words_alias_truncate AFTER TRUNCATE ON factbase_alias FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_words_on_alias_truncate()""",
    """ANALYZE factbase_event_words""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_event_words_event_insert ON factbase_event""",
    """DROP TRIGGER factbase_event_words_event_update ON factbase_event""",
    """DROP TRIGGER factbase_event_words_event_delete ON factbase_event""",
    """DROP TRIGGER factbase_event_words_event_truncate ON factbase_event""",
    """DROP TRIGGER factbase_event_words_entity_update ON factbase_entity""",
    """DROP TRIGGER factbase_event_words_alias_insert ON factbase_alias""",
    """DROP TRIGGER factbase_event_words_alias_update ON factbase_alias""",
    """DROP TRIGGER factbase_event_words_alias_delete ON factbase_alias""",
    """DROP TRIGGER factbase_event_words_alias_truncate ON factbase_alias""",
    """DROP TABLE factbase_event_words""",
    """DROP FUNCTION factbase_event_words_refresh(bigint[])""",
    """DROP FUNCTION factbase_event_words_on_event_insert()""",
    """DROP FUNCTION factbase_event_words_on_event_update()""",
    """DROP FUNCTION factbase_event_words_on_event_delete()""",
    """DROP FUNCTION factbase_event_words_on_event_truncate()""",
    """DROP FUNCTION factbase_event_words_on_entity_update()""",
    """DROP FUNCTION factbase_event_words_on_alias_insert()""",
    """DROP FUNCTION factbase_event_words_on_alias_update()""",
    """DROP FUNCTION factbase_event_words_on_alias_delete()""",
    """DROP FUNCTION factbase_event_words_on_alias_truncate()""",
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
    dependencies = [("factbase", "0052_event_spans")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
