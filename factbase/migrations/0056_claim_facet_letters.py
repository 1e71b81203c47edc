"""The claim facet index's letters (PostgreSQL): beside each claim's facet columns, a bit for
each letter or digit that a word of its document starts with, so that the facets of a search
of one-letter words are counted from the narrow rows alone (docs/performance.md, "Facets of
a search of one letter, from the claim facet index's letters (PostgreSQL)"). The column, the
function that computes it, the triggers' functions that write it, and the table refilled and
indexed here (16 s at a million claims). Frozen SQL, as this migration ran; the live
definitions are in factbase/indexes/claim_facets.py. SQLite: nothing."""

from django.db import migrations

PG_ADD = ["""ALTER TABLE factbase_claim_facets ADD COLUMN IF NOT EXISTS letters bigint NOT NULL DEFAULT 0"""]
PG_FORWARDS = [
    """CREATE OR REPLACE FUNCTION factbase_document_letters(document tsvector) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(bit_or(1::bigint << (strpos('abcdefghijklmnopqrstuvwxyz0123456789', left(word, 1)) - 1)), 0)
  FROM unnest(tsvector_to_array(document)) AS word WHERE strpos('abcdefghijklmnopqrstuvwxyz0123456789', left(word, 1)) > 0
$$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity, letters)
  SELECT n.claim_id, 0, n.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0), factbase_document_letters(n.document) FROM new_rows n
  ON CONFLICT (claim_id) DO UPDATE SET version = factbase_claim_facets.version + 1, predicate_id = EXCLUDED.predicate_id, status = EXCLUDED.status, subject_kind = EXCLUDED.subject_kind, attribution = EXCLUDED.attribution, modality = EXCLUDED.modality, polarity = EXCLUDED.polarity, letters = EXCLUDED.letters;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_facets_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM factbase_claim_facets f USING old_rows o
  WHERE f.claim_id = o.claim_id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.claim_id = o.claim_id);
  UPDATE factbase_claim_facets f SET version = f.version + (n.document IS DISTINCT FROM o.document)::int, predicate_id = n.predicate_id, status = COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), subject_kind = COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), attribution = COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), modality = COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), polarity = COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0), letters = factbase_document_letters(n.document)
  FROM new_rows n JOIN old_rows o ON o.claim_id = n.claim_id
  WHERE f.claim_id = n.claim_id AND (n.document IS DISTINCT FROM o.document OR n.predicate_id IS DISTINCT FROM o.predicate_id OR n.status IS DISTINCT FROM o.status OR n.subject_kind IS DISTINCT FROM o.subject_kind OR n.attribution IS DISTINCT FROM o.attribution OR n.modality IS DISTINCT FROM o.modality OR n.polarity IS DISTINCT FROM o.polarity);
  INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity, letters)
  SELECT n.claim_id, 0, n.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], n.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], n.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], n.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], n.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], n.polarity), 0), factbase_document_letters(n.document) FROM new_rows n
  WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.claim_id = n.claim_id)
  ON CONFLICT (claim_id) DO UPDATE SET version = factbase_claim_facets.version + 1, predicate_id = EXCLUDED.predicate_id, status = EXCLUDED.status, subject_kind = EXCLUDED.subject_kind, attribution = EXCLUDED.attribution, modality = EXCLUDED.modality, polarity = EXCLUDED.polarity, letters = EXCLUDED.letters;
  RETURN NULL;
END $$""",
    """DROP INDEX IF EXISTS claim_facets_document""",
    """TRUNCATE factbase_claim_facets""",
    """INSERT INTO factbase_claim_facets (claim_id, version, predicate_id, status, subject_kind, attribution, modality, polarity, letters) SELECT t.claim_id, 0, t.predicate_id, COALESCE(array_position(ARRAY['draft', 'in_review', 'published', 'rejected']::text[], t.status), 0), COALESCE(array_position(ARRAY['person', 'country', 'organisation', 'event']::text[], t.subject_kind), 0), COALESCE(array_position(ARRAY['states', 'reports', 'quotes', 'opines']::text[], t.attribution), 0), COALESCE(array_position(ARRAY['asserted', 'planned', 'expected', 'possible']::text[], t.modality), 0), COALESCE(array_position(ARRAY['affirmed', 'negated']::text[], t.polarity), 0), factbase_document_letters(t.document) FROM factbase_claim_text t""",
    """CREATE INDEX IF NOT EXISTS claim_facets_document ON factbase_claim_facets USING gin (factbase_claim_document(claim_id, version)) WITH (fastupdate = off)""",
    """ANALYZE factbase_claim_facets""",
]
PG_BACKWARDS = [
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
    """ALTER TABLE factbase_claim_facets DROP COLUMN letters""",
    """DROP FUNCTION IF EXISTS factbase_document_letters(tsvector)""",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _installed(schema_editor) -> bool:
    """Whether this database has the claim facet index (PostgreSQL, where its migration made it
    unless it was uninstalled since)."""
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('factbase_claim_facets') IS NOT NULL")
        return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    if _installed(schema_editor):
        _run(schema_editor, PG_ADD + PG_FORWARDS)


def backwards(apps, schema_editor):
    if _installed(schema_editor):
        _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0055_entity_word_letters")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
