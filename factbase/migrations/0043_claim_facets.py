"""The claim facet index (PostgreSQL): `factbase_claim_facets`, one narrow row per claim with
the columns a claim list's facets count, and a GIN index over each claim's document in the
claim text table, kept by statement triggers on that table. For a claim search's facets,
counted whole from one narrow table (docs/performance.md, "Ninth round: a claim search's
facets from the claim facet index"). Frozen SQL, as this migration ran; the live definitions
are in factbase/indexes/claim_facets.py. The table is filled and indexed here from the claim
text table (about 25 s at a million claims). SQLite: nothing."""

from django.db import migrations

PG_FORWARDS = [
    """CREATE TABLE factbase_claim_facets (claim_id bigint PRIMARY KEY, version integer NOT NULL DEFAULT 0, predicate_id integer NOT NULL, status smallint NOT NULL, subject_kind smallint NOT NULL, attribution smallint NOT NULL, modality smallint NOT NULL, polarity smallint NOT NULL)""",
    """CREATE OR REPLACE FUNCTION factbase_claim_document(claim bigint, version integer) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT document FROM factbase_claim_text WHERE claim_id = claim
$$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity)
  SELECT n.claim_id, 0, n.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0) FROM new_rows n
  ON CONFLICT (claim_id) DO UPDATE SET version = factbase_claim_facets.version + 1, predicate_id = EXCLUDED.predicate_id, status = EXCLUDED.status, subject_kind = EXCLUDED.subject_kind, attribution = EXCLUDED.attribution, modality = EXCLUDED.modality, polarity = EXCLUDED.polarity;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_claim_facets f USING old_rows o
  WHERE f.claim_id = o.claim_id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.claim_id = o.claim_id);
  UPDATE factbase_claim_facets f SET version = f.version + (n.document IS DISTINCT FROM o.document)::int, predicate_id = n.predicate_id, status = COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), subject_kind = COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), attribution = COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), modality = COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), polarity = COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0)
  FROM new_rows n JOIN old_rows o ON o.claim_id = n.claim_id
  WHERE f.claim_id = n.claim_id AND (n.document IS DISTINCT FROM o.document OR n.predicate_id IS DISTINCT FROM o.predicate_id OR n.status IS DISTINCT FROM o.status OR n.subject_kind IS DISTINCT FROM o.subject_kind OR n.attribution IS DISTINCT FROM o.attribution OR n.modality IS DISTINCT FROM o.modality OR n.polarity IS DISTINCT FROM o.polarity);
  INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity)
  SELECT n.claim_id, 0, n.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0) FROM new_rows n
  WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.claim_id = n.claim_id)
  ON CONFLICT (claim_id) DO UPDATE SET version = factbase_claim_facets.version + 1, predicate_id = EXCLUDED.predicate_id, status = EXCLUDED.status, subject_kind = EXCLUDED.subject_kind, attribution = EXCLUDED.attribution, modality = EXCLUDED.modality, polarity = EXCLUDED.polarity;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_claim_facets f USING old_rows o WHERE f.claim_id = o.claim_id;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_facets;
  RETURN NULL;
END $$""",
    """INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity) SELECT t.claim_id, 0, t.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], t.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], t.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], t.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], t.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], t.polarity), 0) FROM factbase_claim_text t""",
    """CREATE INDEX claim_facets_document ON factbase_claim_facets USING gin (factbase_claim_document(claim_id, version))""",
    """CREATE TRIGGER factbase_claim_facets_insert AFTER INSERT ON factbase_claim_text REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_insert()""",
    """CREATE TRIGGER factbase_claim_facets_update AFTER UPDATE ON factbase_claim_text REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_update()""",
    """CREATE TRIGGER factbase_claim_facets_delete AFTER DELETE ON factbase_claim_text REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_delete()""",
    """CREATE TRIGGER factbase_claim_facets_truncate AFTER TRUNCATE ON factbase_claim_text FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_truncate()""",
    """ANALYZE factbase_claim_facets""",
]
PG_BACKWARDS = [
    """DROP TRIGGER factbase_claim_facets_insert ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_facets_update ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_facets_delete ON factbase_claim_text""",
    """DROP TRIGGER factbase_claim_facets_truncate ON factbase_claim_text""",
    """DROP TABLE factbase_claim_facets""",
    """DROP FUNCTION factbase_claim_document(bigint, integer)""",
    """DROP FUNCTION factbase_claim_facets_on_insert()""",
    """DROP FUNCTION factbase_claim_facets_on_update()""",
    """DROP FUNCTION factbase_claim_facets_on_delete()""",
    """DROP FUNCTION factbase_claim_facets_on_truncate()""",
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
    dependencies = [("factbase", "0042_event_names")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
