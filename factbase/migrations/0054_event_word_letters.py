"""The event word index's letter rows (both engines): beside each word of an event, a row for
the word's first letter (`*` before it), so that a search of one letter is one walk
(docs/performance.md, "A search of one letter from the event word index"). PostgreSQL: the
functions that write an event's rows, and the table refilled and indexed here. Frozen SQL,
as this migration ran; the live definitions are in factbase/indexes/event_words.py. SQLite:
nothing here; its triggers live outside migrations and the post_migrate hook rebuilds the
table with them."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_event_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_event_words WHERE event_id = ANY(ids);
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) WITH w (lexeme, event_id, date_lower, name, event_type, status) AS (SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids)) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), event_id, date_lower, name, event_type, status FROM w;
$$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_event_words;
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) WITH w (lexeme, event_id, date_lower, name, event_type, status) AS (SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), event_id, date_lower, name, event_type, status FROM w ORDER BY 1, 2;
  RETURN NULL;
END $$""",
    """DROP INDEX IF EXISTS event_words_key""",
    """DROP INDEX IF EXISTS event_words_order""",
    """DROP INDEX IF EXISTS event_words_type""",
    """DROP INDEX IF EXISTS event_words_status""",
    """DROP INDEX IF EXISTS event_words_event""",
    """TRUNCATE factbase_event_words""",
    """INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) WITH w (lexeme, event_id, date_lower, name, event_type, status) AS (SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), event_id, date_lower, name, event_type, status FROM w ORDER BY 1, 2""",
    """CREATE UNIQUE INDEX IF NOT EXISTS event_words_key ON factbase_event_words (lexeme, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_order ON factbase_event_words (lexeme, date_lower, name, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_type ON factbase_event_words (lexeme, event_type, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_status ON factbase_event_words (lexeme, status, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_event ON factbase_event_words (event_id)""",
    """ANALYZE factbase_event_words""",
]
PG_BACKWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_event_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_event_words WHERE event_id = ANY(ids);
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids);
$$""",
    """CREATE OR REPLACE FUNCTION factbase_event_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_event_words;
  INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE ORDER BY 1, 2;
  RETURN NULL;
END $$""",
    """DROP INDEX IF EXISTS event_words_key""",
    """DROP INDEX IF EXISTS event_words_order""",
    """DROP INDEX IF EXISTS event_words_type""",
    """DROP INDEX IF EXISTS event_words_status""",
    """DROP INDEX IF EXISTS event_words_event""",
    """TRUNCATE factbase_event_words""",
    """INSERT INTO factbase_event_words (lexeme, event_id, date_lower, name, event_type, status) SELECT word.lexeme, ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE ORDER BY 1, 2""",
    """CREATE UNIQUE INDEX IF NOT EXISTS event_words_key ON factbase_event_words (lexeme, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_order ON factbase_event_words (lexeme, date_lower, name, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_type ON factbase_event_words (lexeme, event_type, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_status ON factbase_event_words (lexeme, status, event_id)""",
    """CREATE INDEX IF NOT EXISTS event_words_event ON factbase_event_words (event_id)""",
    """ANALYZE factbase_event_words""",
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
    dependencies = [("factbase", "0053_event_words_postgresql")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
