"""The facet columns beside the filters' own index entries (docs/performance.md, "Facets at a
million claims" and "Facts at a million claims"), so that a facet walk or a fact list does
not look up each matching claim's row:

- the claims' subject index holds the facet columns too (`claim_subject_fact_facets`, which
  replaces `claim_subject_fact`: the facts of a subject's claims still come from it);
- PostgreSQL: the claim text table repeats each claim's facet columns and fact beside its
  status, so that the facets of a search and the facts of facts/?q= are read from it alone.
  Frozen SQL, as this migration ran; the live definitions are in
  factbase/indexes/claim_text.py. SQLite: nothing (its FTS5 table would read each match's
  columns from its own content table, which costs more than the claim row).

The table is copied with the new columns rather than altered and updated in place (an
update of every row would leave a dead copy of each behind it, which the reads then step
over, as migration 0017 says). The refresh function writes the new columns; the claim
trigger fires on a change of any of them, and a change of repeated columns alone rewrites
those columns, not the document.
"""

from django.db import migrations, models

REPEATED = "status, subject_kind, attribution, modality, polarity, predicate_id, fact_id"

PG_REFRESH = """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, status, subject_kind, attribution, modality, polarity, predicate_id, fact_id, document)
  SELECT c.id, c.status, c.subject_kind, c.attribution, c.modality, c.polarity, c.predicate_id, c.fact_id, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
$$"""  # noqa: E501
PG_REFRESH_BEFORE = """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
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

_ON_CLAIM = """CREATE OR REPLACE FUNCTION factbase_claim_text_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND current_setting('factbase.new_claims', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.id]);
{repeated}  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$"""
PG_ON_CLAIM = _ON_CLAIM.format(
    repeated="  ELSIF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value "
    "AND NEW.subject_id = OLD.subject_id THEN\n"
    "    -- Only repeated columns changed (a status, a regrouping's fact): the document stands.\n"
    "    UPDATE factbase_claim_text SET status = NEW.status, subject_kind = NEW.subject_kind, "
    "attribution = NEW.attribution, modality = NEW.modality, polarity = NEW.polarity, "
    "predicate_id = NEW.predicate_id, fact_id = NEW.fact_id WHERE claim_id = NEW.id;\n"
    "    IF NOT FOUND THEN\n      PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);\n    END IF;\n"
)
PG_ON_CLAIM_BEFORE = _ON_CLAIM.format(repeated="")


def _claim_trigger(columns: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS factbase_claim_text_claim ON factbase_claim",
        f"CREATE TRIGGER factbase_claim_text_claim AFTER INSERT OR DELETE OR UPDATE OF {columns} ON factbase_claim "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_claim()",
    ]


PG_FORWARDS = [
    "CREATE TABLE factbase_claim_text_copy (claim_id bigint NOT NULL, status text NOT NULL, "
    "subject_kind text NOT NULL, attribution text NOT NULL, modality text NOT NULL, polarity text NOT NULL, "
    "predicate_id bigint NOT NULL, fact_id bigint, document tsvector NOT NULL)",
    f"INSERT INTO factbase_claim_text_copy (claim_id, {REPEATED}, document) "
    "SELECT t.claim_id, c.status, c.subject_kind, c.attribution, c.modality, c.polarity, c.predicate_id, c.fact_id, "
    "t.document FROM factbase_claim_text t JOIN factbase_claim c ON c.id = t.claim_id ORDER BY t.claim_id",
    "DROP TABLE factbase_claim_text",
    "ALTER TABLE factbase_claim_text_copy RENAME TO factbase_claim_text",
    "ALTER TABLE factbase_claim_text ADD CONSTRAINT factbase_claim_text_pkey PRIMARY KEY (claim_id)",
    "CREATE INDEX claim_text_document ON factbase_claim_text USING gin (document)",
    PG_REFRESH,
    PG_ON_CLAIM,
    *_claim_trigger(f"value, subject_id, {REPEATED}"),
    "ANALYZE factbase_claim_text",
]
PG_BACKWARDS = [
    *_claim_trigger("value, subject_id, status"),
    PG_ON_CLAIM_BEFORE,
    PG_REFRESH_BEFORE,
    *[
        f"ALTER TABLE factbase_claim_text DROP COLUMN {column}"
        for column in ("subject_kind", "attribution", "modality", "polarity", "predicate_id", "fact_id")
    ],
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
    dependencies = [("factbase", "0034_new_claims_setting")]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["subject", "status", "fact", "predicate", "subject_kind", "attribution", "modality", "polarity"],
                name="claim_subject_fact_facets",
            ),
        ),
        migrations.RemoveIndex(model_name="claim", name="claim_subject_fact"),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
