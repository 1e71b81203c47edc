"""The claim word index (PostgreSQL): `factbase_claim_words(lexeme, status, claim_id)`, one
row per word of each claim's full-text document with the claim's status, under a btree of
the three, kept by statement triggers on the claim text table. For a claim search of one
word, whose page and capped count are read from the btree alone in id order
(docs/performance.md, "A claim search of one word from the claim word index"). Frozen SQL,
as this migration ran; the live definitions are in factbase/indexes/claim_words.py. The
table is filled and indexed here from the claim text table. SQLite: nothing."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_claim_words (lexeme text COLLATE "C" NOT NULL, status smallint NOT NULL, claim_id bigint NOT NULL)""",
    """CREATE OR REPLACE FUNCTION factbase_claim_words_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO factbase_claim_words (lexeme, status, claim_id) SELECT word.lexeme, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), n.claim_id FROM new_rows n CROSS JOIN LATERAL unnest(tsvector_to_array(n.document)) AS word(lexeme) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_words_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_claim_words w USING (SELECT word.lexeme, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], o.status), 0), o.claim_id FROM old_rows o CROSS JOIN LATERAL unnest(tsvector_to_array(o.document)) AS word(lexeme) WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.claim_id = o.claim_id AND n.document IS NOT DISTINCT FROM o.document AND n.status IS NOT DISTINCT FROM o.status)) gone (lexeme, status, claim_id) WHERE w.lexeme = gone.lexeme AND w.status = gone.status AND w.claim_id = gone.claim_id;
  INSERT INTO factbase_claim_words (lexeme, status, claim_id) SELECT word.lexeme, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), n.claim_id FROM new_rows n CROSS JOIN LATERAL unnest(tsvector_to_array(n.document)) AS word(lexeme) WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.claim_id = n.claim_id AND o.document IS NOT DISTINCT FROM n.document AND o.status IS NOT DISTINCT FROM n.status) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_words_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_claim_words w USING (SELECT word.lexeme, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], o.status), 0), o.claim_id FROM old_rows o CROSS JOIN LATERAL unnest(tsvector_to_array(o.document)) AS word(lexeme)) gone (lexeme, status, claim_id) WHERE w.lexeme = gone.lexeme AND w.status = gone.status AND w.claim_id = gone.claim_id;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_words_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_words;
  RETURN NULL;
END $$""",
    """INSERT INTO factbase_claim_words (lexeme, status, claim_id) SELECT word.lexeme, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], t.status), 0), t.claim_id FROM factbase_claim_text t CROSS JOIN LATERAL unnest(tsvector_to_array(t.document)) AS word(lexeme)""",
    """CREATE UNIQUE INDEX claim_words_key ON factbase_claim_words (lexeme, status, claim_id)""",
    """CREATE TRIGGER factbase_claim_words_insert AFTER INSERT ON factbase_claim_text REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_insert()""",
    """CREATE TRIGGER factbase_claim_words_update AFTER UPDATE ON factbase_claim_text REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_update()""",
    """CREATE TRIGGER factbase_claim_words_delete AFTER DELETE ON factbase_claim_text REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_delete()""",
    """CREATE TRIGGER factbase_claim_words_truncate AFTER TRUNCATE ON factbase_claim_text FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_truncate()""",
    """ANALYZE factbase_claim_words""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_claim_words_insert ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_words_update ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_words_delete ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_words_truncate ON factbase_claim_text""",
    """DROP TABLE factbase_claim_words""",
    """DROP FUNCTION factbase_claim_words_on_insert()""",
    """DROP FUNCTION factbase_claim_words_on_update()""",
    """DROP FUNCTION factbase_claim_words_on_delete()""",
    """DROP FUNCTION factbase_claim_words_on_truncate()""",
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
    dependencies = [("factbase", "0045_entity_facets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
