"""PostgreSQL: search counts read less (docs/performance.md, "Search counts on PostgreSQL").
Frozen SQL, as this migration ran; the live definitions are factbase/indexes/claim_text.py
and factbase/indexes/document_text.py. SQLite: nothing (its lists count in the page's own
statement, and its document index is a trigram table).

- The claim text table repeats each claim's status, so that the capped count of a search is
  read from it alone. The table is copied with the new column rather than altered and
  updated in place: an update of every row would leave a dead copy of each behind it, which
  the reads then step over. The refresh function writes the status, and the claim trigger
  fires on a change of status too.
- Documents get `text_upper`, a stored generated column `upper(text)`, kept uncompressed
  (its storage is set in the statement that adds it, before the table is rewritten), and
  the text's trigram index moves to it: the search tests the copy instead of upper-casing
  each text.
"""

from django.db import migrations

PG_REFRESH = """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, status, document)
  SELECT c.id, c.status, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
$$"""
PG_REFRESH_BEFORE = """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, document)
  SELECT c.id, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
$$"""


def _claim_trigger(columns: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS factbase_claim_text_claim ON factbase_claim",
        f"CREATE TRIGGER factbase_claim_text_claim AFTER INSERT OR DELETE OR UPDATE OF {columns} ON factbase_claim "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_claim()",
    ]


PG_FORWARDS = [
    "CREATE TABLE factbase_claim_text_copy (claim_id bigint NOT NULL, status text NOT NULL, document tsvector NOT NULL)",
    "INSERT INTO factbase_claim_text_copy (claim_id, status, document) "
    "SELECT t.claim_id, c.status, t.document FROM factbase_claim_text t JOIN factbase_claim c ON c.id = t.claim_id "
    "ORDER BY t.claim_id",
    "DROP TABLE factbase_claim_text",
    "ALTER TABLE factbase_claim_text_copy RENAME TO factbase_claim_text",
    "ALTER TABLE factbase_claim_text ADD CONSTRAINT factbase_claim_text_pkey PRIMARY KEY (claim_id)",
    "CREATE INDEX claim_text_document ON factbase_claim_text USING gin (document)",
    PG_REFRESH,
    *_claim_trigger("value, subject_id, status"),
    "ANALYZE factbase_claim_text",
    "DROP INDEX IF EXISTS document_text_trgm",
    "ALTER TABLE factbase_document ADD COLUMN IF NOT EXISTS text_upper text "
    "GENERATED ALWAYS AS (upper(text)) STORED, ALTER COLUMN text_upper SET STORAGE EXTERNAL",
    "CREATE INDEX IF NOT EXISTS document_text_trgm ON factbase_document USING gin ((text_upper) gin_trgm_ops)",
    "ANALYZE factbase_document",
]
PG_BACKWARDS = [
    "DROP INDEX IF EXISTS document_text_trgm",
    "ALTER TABLE factbase_document DROP COLUMN IF EXISTS text_upper",
    "CREATE INDEX IF NOT EXISTS document_text_trgm ON factbase_document USING gin (upper(text) gin_trgm_ops)",
    "ALTER TABLE factbase_claim_text DROP COLUMN status",
    PG_REFRESH_BEFORE,
    *_claim_trigger("value, subject_id"),
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
    dependencies = [
        ("factbase", "0016_name_changes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
