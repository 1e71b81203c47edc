"""The entity word index (PostgreSQL): `factbase_entity_words(lexeme, entity_id, name,
kind)`, one row per distinct word of each entity's name and aliases, under a btree of
`(lexeme, kind, name, entity_id)` and one of `(lexeme, kind, entity_id)`, kept by statement
triggers on the entity and alias tables. For an entity search of a prefix of few words,
whose page in name or id order and capped count are read from the btrees alone
(docs/performance.md, "An entity search of a few words from the entity word index"). Frozen
SQL, as this migration ran; the live definitions are in factbase/indexes/entity_words.py.
The table is filled and indexed here from the entity and alias tables. SQLite: nothing."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_entity_words (lexeme text COLLATE "C" NOT NULL, entity_id bigint NOT NULL, name text NOT NULL, kind text NOT NULL)""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_entity_words WHERE entity_id = ANY(ids);
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE e.id = ANY(ids);
$$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_entity_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_entity_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name OR n.kind IS DISTINCT FROM o.kind));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_entity_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT id FROM old_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_entity_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_entity_words;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT entity_id FROM new_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT moved.entity_id FROM old_rows o JOIN new_rows n ON n.id = o.id CROSS JOIN LATERAL (VALUES (o.entity_id), (n.entity_id)) AS moved(entity_id) WHERE n.name IS DISTINCT FROM o.name OR n.entity_id IS DISTINCT FROM o.entity_id));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM factbase_entity_words_refresh(ARRAY(SELECT entity_id FROM old_rows));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_entity_words_on_alias_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_entity_words;
  INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE;
  RETURN NULL;
END $$""",
    """INSERT INTO factbase_entity_words (lexeme, entity_id, name, kind) SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE TRUE""",
    """CREATE UNIQUE INDEX entity_words_key ON factbase_entity_words (lexeme, kind, name, entity_id)""",
    """CREATE INDEX entity_words_entity ON factbase_entity_words (entity_id)""",
    """CREATE INDEX entity_words_id ON factbase_entity_words (lexeme, kind, entity_id)""",
    """CREATE TRIGGER factbase_entity_words_entity_insert AFTER INSERT ON factbase_entity REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_entity_insert()""",
    """CREATE TRIGGER factbase_entity_words_entity_update AFTER UPDATE ON factbase_entity REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_entity_update()""",
    """CREATE TRIGGER factbase_entity_words_entity_delete AFTER DELETE ON factbase_entity REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_entity_delete()""",
    """CREATE TRIGGER factbase_entity_words_entity_truncate AFTER TRUNCATE ON factbase_entity FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_entity_truncate()""",
    """CREATE TRIGGER factbase_entity_words_alias_insert AFTER INSERT ON factbase_alias REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_alias_insert()""",
    """CREATE TRIGGER factbase_entity_words_alias_update AFTER UPDATE ON factbase_alias REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_alias_update()""",
    """CREATE TRIGGER factbase_entity_words_alias_delete AFTER DELETE ON factbase_alias REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_alias_delete()""",
    """CREATE TRIGGER factbase_entity_words_alias_truncate AFTER TRUNCATE ON factbase_alias FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_alias_truncate()""",
    """ANALYZE factbase_entity_words""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_entity_words_entity_insert ON factbase_entity""",
    """DROP TRIGGER factbase_entity_words_entity_update ON factbase_entity""",
    """DROP TRIGGER factbase_entity_words_entity_delete ON factbase_entity""",
    """DROP TRIGGER factbase_entity_words_entity_truncate ON factbase_entity""",
    """DROP TRIGGER factbase_entity_words_alias_insert ON factbase_alias""",
    """DROP TRIGGER factbase_entity_words_alias_update ON factbase_alias""",
    """DROP TRIGGER factbase_entity_words_alias_delete ON factbase_alias""",
    """DROP TRIGGER factbase_entity_words_alias_truncate ON factbase_alias""",
    """DROP TABLE factbase_entity_words""",
    """DROP FUNCTION factbase_entity_words_refresh(bigint[])""",
    """DROP FUNCTION factbase_entity_words_on_entity_insert()""",
    """DROP FUNCTION factbase_entity_words_on_entity_update()""",
    """DROP FUNCTION factbase_entity_words_on_entity_delete()""",
    """DROP FUNCTION factbase_entity_words_on_entity_truncate()""",
    """DROP FUNCTION factbase_entity_words_on_alias_insert()""",
    """DROP FUNCTION factbase_entity_words_on_alias_update()""",
    """DROP FUNCTION factbase_entity_words_on_alias_delete()""",
    """DROP FUNCTION factbase_entity_words_on_alias_truncate()""",
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
    dependencies = [("factbase", "0047_claim_text_fact")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
