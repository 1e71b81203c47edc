"""PostgreSQL: the claim text index's values table, `factbase_claim_text_values(facet,
lexeme)`: for each facet value of a claim (its column's letter and the value: `p9`,
`mplanned`, `spublished`), the words of the documents of the claims that have held it. It is
written with the documents and never pruned, a superset, so that a value with no word of a
query's beside it is proved held by no match without reading the matches: the facets of a
search (docs/performance.md, "Seventh round: the values no match holds (PostgreSQL)").
Frozen SQL, as this migration ran; the live definitions are in factbase/indexes/claim_text.py.
The refresh function and the claim trigger add a claim's pairs; the table is filled here from
the documents (11 s at a million claims). SQLite: nothing (its text index holds a token of each
facet value, migration 0040)."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_claim_text_values (facet text NOT NULL, lexeme text COLLATE "C" NOT NULL)""",
    """CREATE INDEX claim_text_values_facet ON factbase_claim_text_values (facet, lexeme)""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_values_add(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO factbase_claim_text_values (facet, lexeme) SELECT DISTINCT f.facet, p.lexeme FROM (SELECT DISTINCT t.predicate_id, t.subject_kind, t.attribution, t.modality, t.polarity, t.status, l.lexeme FROM factbase_claim_text t CROSS JOIN LATERAL unnest(tsvector_to_array(t.document)) AS l(lexeme) WHERE t.claim_id = ANY(ids)) AS p CROSS JOIN LATERAL (VALUES ('p' || p.predicate_id), ('k' || p.subject_kind), ('a' || p.attribution), ('m' || p.modality), ('o' || p.polarity), ('s' || p.status)) AS f(facet) WHERE NOT EXISTS (SELECT 1 FROM factbase_claim_text_values v WHERE v.facet = f.facet AND v.lexeme = p.lexeme);
$$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, status, subject_kind, attribution, modality, polarity, predicate_id, fact_id, document)
  SELECT c.id, c.status, c.subject_kind, c.attribution, c.modality, c.polarity, c.predicate_id, c.fact_id, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
  SELECT factbase_claim_text_values_add(ids);
$$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND current_setting('factbase.new_claims', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.id]);
  ELSIF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value AND NEW.subject_id = OLD.subject_id THEN
    -- Only repeated columns changed (a status, a regrouping's fact): the document stands.
    UPDATE factbase_claim_text SET status = NEW.status, subject_kind = NEW.subject_kind, attribution = NEW.attribution, modality = NEW.modality, polarity = NEW.polarity, predicate_id = NEW.predicate_id, fact_id = NEW.fact_id WHERE claim_id = NEW.id;
    IF NOT FOUND THEN
      PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
    ELSIF (NEW.predicate_id, NEW.subject_kind, NEW.attribution, NEW.modality, NEW.polarity, NEW.status) IS DISTINCT FROM (OLD.predicate_id, OLD.subject_kind, OLD.attribution, OLD.modality, OLD.polarity, OLD.status) THEN
      PERFORM factbase_claim_text_values_add(ARRAY[NEW.id]);
    END IF;
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_text, factbase_claim_text_values;
  RETURN NULL;
END $$""",
    """SELECT factbase_claim_text_values_add(ARRAY(SELECT claim_id FROM factbase_claim_text))""",  # noqa: S608
    """ANALYZE factbase_claim_text_values""",
]
PG_BACKWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, status, subject_kind, attribution, modality, polarity, predicate_id, fact_id, document)
  SELECT c.id, c.status, c.subject_kind, c.attribution, c.modality, c.polarity, c.predicate_id, c.fact_id, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
$$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND current_setting('factbase.new_claims', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.id]);
  ELSIF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value AND NEW.subject_id = OLD.subject_id THEN
    -- Only repeated columns changed (a status, a regrouping's fact): the document stands.
    UPDATE factbase_claim_text SET status = NEW.status, subject_kind = NEW.subject_kind, attribution = NEW.attribution, modality = NEW.modality, polarity = NEW.polarity, predicate_id = NEW.predicate_id, fact_id = NEW.fact_id WHERE claim_id = NEW.id;
    IF NOT FOUND THEN
      PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
    END IF;
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_text;
  RETURN NULL;
END $$""",
    """DROP FUNCTION factbase_claim_text_values_add(bigint[])""",
    """DROP TABLE factbase_claim_text_values""",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('factbase_claim_text') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return  # the index is not installed (its install creates it whole)
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0040_claim_text_facet_tokens")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
