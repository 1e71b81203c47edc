"""The entity word index's letter rows (both engines): beside each word of an entity, a row for
the word's first letter (`*` before it), so that a search of one letter is one walk
(docs/performance.md, "A search of one letter from the entity word index"). PostgreSQL: the
functions that write an entity's rows, and the table refilled and indexed here. Frozen SQL,
as this migration ran; the live definitions are in factbase/indexes/entity_words.py. SQLite:
nothing here; its triggers live outside migrations and the post_migrate hook rebuilds the
table with them."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_entity_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_entity_words WHERE entity_id = ANY(ids);
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) WITH w (lexeme, entity_id, name, kind) AS (SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids)) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), entity_id, name, kind FROM w;
$$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_entity_words;
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) WITH w (lexeme, entity_id, name, kind) AS (SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), entity_id, name, kind FROM w;
  RETURN NULL;
END $$""",
    """DROP INDEX IF EXISTS entity_words_key""",
    """DROP INDEX IF EXISTS entity_words_entity""",
    """DROP INDEX IF EXISTS entity_words_id""",
    """TRUNCATE factbase_entity_words""",
    """INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) WITH w (lexeme, entity_id, name, kind) AS (SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE) SELECT * FROM w UNION SELECT '*' || left(lexeme, 1), entity_id, name, kind FROM w""",
    """CREATE UNIQUE INDEX IF NOT EXISTS entity_words_key ON factbase_entity_words (lexeme, kind, name, entity_id)""",
    """CREATE INDEX IF NOT EXISTS entity_words_entity ON factbase_entity_words (entity_id)""",
    """CREATE INDEX IF NOT EXISTS entity_words_id ON factbase_entity_words (lexeme, kind, entity_id)""",
    """ANALYZE factbase_entity_words""",
]
PG_BACKWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_entity_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_entity_words WHERE entity_id = ANY(ids);
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids);
$$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_entity_words;
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE;
  RETURN NULL;
END $$""",
    """DROP INDEX IF EXISTS entity_words_key""",
    """DROP INDEX IF EXISTS entity_words_entity""",
    """DROP INDEX IF EXISTS entity_words_id""",
    """TRUNCATE factbase_entity_words""",
    """INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE""",
    """CREATE UNIQUE INDEX IF NOT EXISTS entity_words_key ON factbase_entity_words (lexeme, kind, name, entity_id)""",
    """CREATE INDEX IF NOT EXISTS entity_words_entity ON factbase_entity_words (entity_id)""",
    """CREATE INDEX IF NOT EXISTS entity_words_id ON factbase_entity_words (lexeme, kind, entity_id)""",
    """ANALYZE factbase_entity_words""",
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
    dependencies = [("factbase", "0054_event_word_letters")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
