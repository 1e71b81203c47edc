"""One full-text document per claim replaces the separate indexes on span quotes and claim
values that migration 0003 created, which claim search no longer reads: they are dropped
here. Frozen SQL, as this migration ran; the live definition is
factbase/indexes/claim_text.py.

SQLite: the FTS5 table is created here; its triggers and its contents come from the
post_migrate hook (they read other tables, which SQLite's table rebuilds in migrations
cannot tolerate). PostgreSQL: table, GIN index, functions, triggers and contents, all here."""

from django.db import DatabaseError, migrations

# The indexes of migration 0003 that only claim search used.
LEGACY_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_{suffix}"
    for table in ("factbase_sourcespan_fts", "factbase_claim_fts")
    for suffix in ("ai", "ad", "au")
] + [f"DROP TABLE IF EXISTS {table}" for table in ("factbase_sourcespan_fts", "factbase_claim_fts")]
LEGACY_PG_DROP = ["DROP INDEX IF EXISTS sourcespan_exact_fts", "DROP INDEX IF EXISTS claim_value_fts"]

SQLITE_TABLE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_claim_text_fts USING fts5(quotes, value, subject)",
]

PG_INDEX_AND_FILL = [
    "CREATE TABLE IF NOT EXISTS factbase_claim_text (claim_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS claim_text_document ON factbase_claim_text USING gin (document)",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_text WHERE claim_id = ANY(ids);
  INSERT INTO factbase_claim_text (claim_id, document)
  SELECT c.id, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
$$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.id]);
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_span() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.claim_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id]);
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id, NEW.claim_id]);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_names() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  entities bigint[];
BEGIN
  IF TG_TABLE_NAME = 'factbase_entity' THEN
    entities := ARRAY[NEW.id];
  ELSIF TG_OP = 'INSERT' THEN
    entities := ARRAY[NEW.entity_id];
  ELSIF TG_OP = 'DELETE' THEN
    entities := ARRAY[OLD.entity_id];
  ELSE
    entities := ARRAY[OLD.entity_id, NEW.entity_id];
  END IF;
  PERFORM factbase_claim_text_refresh(ARRAY(SELECT id FROM factbase_claim WHERE subject_id = ANY(entities)));
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_text;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS factbase_claim_text_claim ON factbase_claim",
    "CREATE TRIGGER factbase_claim_text_claim AFTER INSERT OR DELETE OR UPDATE OF value, subject_id ON factbase_claim FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_claim()",
    "DROP TRIGGER IF EXISTS factbase_claim_text_truncate ON factbase_claim",
    "CREATE TRIGGER factbase_claim_text_truncate AFTER TRUNCATE ON factbase_claim FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_text_on_truncate()",
    "DROP TRIGGER IF EXISTS factbase_claim_text_span ON factbase_sourcespan",
    "CREATE TRIGGER factbase_claim_text_span AFTER INSERT OR DELETE OR UPDATE OF exact, claim_id ON factbase_sourcespan FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_span()",
    "DROP TRIGGER IF EXISTS factbase_claim_text_entity ON factbase_entity",
    "CREATE TRIGGER factbase_claim_text_entity AFTER UPDATE OF name ON factbase_entity FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_names()",
    "DROP TRIGGER IF EXISTS factbase_claim_text_alias ON factbase_alias",
    "CREATE TRIGGER factbase_claim_text_alias AFTER INSERT OR DELETE OR UPDATE OF name, entity_id ON factbase_alias FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_names()",
    "TRUNCATE factbase_claim_text",
    "SELECT factbase_claim_text_refresh(ARRAY(SELECT id FROM factbase_claim))",
    "ANALYZE factbase_claim_text",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS factbase_claim_text_fts_{name}"
    for name in (
        "claim_ai",
        "claim_au",
        "claim_ad",
        "span_ai",
        "span_au",
        "span_ad",
        "entity_au",
        "alias_ai",
        "alias_au",
        "alias_ad",
    )
] + ["DROP TABLE IF EXISTS factbase_claim_text_fts"]
PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_claim_text_claim ON factbase_claim",
    "DROP TRIGGER IF EXISTS factbase_claim_text_truncate ON factbase_claim",
    "DROP TRIGGER IF EXISTS factbase_claim_text_span ON factbase_sourcespan",
    "DROP TRIGGER IF EXISTS factbase_claim_text_entity ON factbase_entity",
    "DROP TRIGGER IF EXISTS factbase_claim_text_alias ON factbase_alias",
    "DROP TABLE IF EXISTS factbase_claim_text",
    "DROP FUNCTION IF EXISTS factbase_claim_text_on_claim()",
    "DROP FUNCTION IF EXISTS factbase_claim_text_on_span()",
    "DROP FUNCTION IF EXISTS factbase_claim_text_on_names()",
    "DROP FUNCTION IF EXISTS factbase_claim_text_on_truncate()",
    "DROP FUNCTION IF EXISTS factbase_claim_text_refresh(bigint[])",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in LEGACY_PG_DROP + PG_INDEX_AND_FILL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for statement in LEGACY_SQLITE_DROP:
                cursor.execute(statement)
            try:
                for statement in SQLITE_TABLE:
                    cursor.execute(statement)
            except DatabaseError:
                pass  # SQLite built without FTS5: claim search falls back to LIKE


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0007_claim_date_interval_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
