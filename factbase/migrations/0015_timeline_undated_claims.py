"""The claims without a date of their own, by entity, with the date each takes from its
event: part of the claim-date index, for entity timelines. Frozen SQL, as this migration
ran; the live definition is factbase/indexes/claim_dates.py.

SQLite: the table and its indexes are created here; the triggers and the contents come from
the post_migrate hook (the triggers read other tables, which SQLite's table rebuilds in
migrations cannot tolerate). PostgreSQL: table, indexes, functions, triggers and contents,
all here."""

from django.db import migrations

_RANK = (
    "CASE WHEN {e}.date_lower IS NULL THEN NULL WHEN {e}.date_precision = 'month' THEN 1 "
    "WHEN {e}.date_precision = 'year' THEN 2 ELSE 0 END"
)
_ROWS = " UNION ".join(
    f"SELECT c.id, c.{role}, c.event_id, c.status, c.predicate_id, e.date_lower, {_RANK.format(e='e')}, "  # noqa: S608
    "e.date_upper FROM factbase_claim c LEFT JOIN factbase_event e ON e.entity_ptr_id = c.event_id "
    f"WHERE {{where}} AND c.date_lower IS NULL AND c.{role} IS NOT NULL"
    for role in ("subject_id", "object_id", "attributed_to_id", "event_id")
)
FILL = (
    "INSERT INTO factbase_claim_dates_undated (claim_id, entity_id, event_id, status, predicate_id, lo, rk, up) "
    + _ROWS
)


def table(key: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS factbase_claim_dates_undated (claim_id {key} NOT NULL, entity_id {key} NOT NULL, "
        f"event_id {key}, status varchar(16) NOT NULL, predicate_id {key} NOT NULL, lo date, rk integer, up date)",
        "CREATE INDEX IF NOT EXISTS factbase_claim_dates_undated_entity ON factbase_claim_dates_undated "
        "(entity_id, lo, rk, up, claim_id, status, predicate_id)",
        "CREATE INDEX IF NOT EXISTS factbase_claim_dates_undated_claim ON factbase_claim_dates_undated (claim_id)",
        "CREATE INDEX IF NOT EXISTS factbase_claim_dates_undated_event ON factbase_claim_dates_undated (event_id)",
    ]


PG_FUNCTIONS_TRIGGERS_AND_FILL = [
    f"""CREATE OR REPLACE FUNCTION factbase_claim_dates_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM factbase_claim_dates_undated WHERE claim_id = ANY(ids);
  {FILL.format(where="c.id = ANY(ids)")};
$$""",  # noqa: S608 - constants
    """CREATE OR REPLACE FUNCTION factbase_claim_dates_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_dates_refresh(ARRAY[OLD.id]);
  ELSE
    PERFORM factbase_claim_dates_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_claim_dates_on_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE factbase_claim_dates_undated SET lo = NEW.date_lower, rk = {_RANK.format(e="NEW")}, up = NEW.date_upper
  WHERE event_id = NEW.entity_ptr_id;
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    """CREATE OR REPLACE FUNCTION factbase_claim_dates_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE factbase_claim_dates_undated;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_claim ON factbase_claim",
    "CREATE TRIGGER factbase_claim_dates_claim AFTER INSERT OR DELETE OR UPDATE OF date_lower, date_upper, "
    "subject_id, object_id, attributed_to_id, event_id, status, predicate_id ON factbase_claim "
    "FOR EACH ROW EXECUTE FUNCTION factbase_claim_dates_on_claim()",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_truncate ON factbase_claim",
    "CREATE TRIGGER factbase_claim_dates_truncate AFTER TRUNCATE ON factbase_claim "
    "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_dates_on_truncate()",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_event ON factbase_event",
    "CREATE TRIGGER factbase_claim_dates_event AFTER UPDATE OF date_lower, date_upper, date_precision "
    "ON factbase_event FOR EACH ROW EXECUTE FUNCTION factbase_claim_dates_on_event()",
    "DELETE FROM factbase_claim_dates_undated",
    FILL.format(where="1 = 1"),
    "ANALYZE factbase_claim_dates_undated",
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS factbase_claim_dates_claim ON factbase_claim",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_truncate ON factbase_claim",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_event ON factbase_event",
    "DROP TABLE IF EXISTS factbase_claim_dates_undated",
    "DROP FUNCTION IF EXISTS factbase_claim_dates_on_claim()",
    "DROP FUNCTION IF EXISTS factbase_claim_dates_on_event()",
    "DROP FUNCTION IF EXISTS factbase_claim_dates_on_truncate()",
    "DROP FUNCTION IF EXISTS factbase_claim_dates_refresh(bigint[])",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS factbase_claim_dates_undated_claim_ai",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_undated_claim_au",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_undated_claim_ad",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_undated_event_au",
    "DROP TABLE IF EXISTS factbase_claim_dates_undated",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in table("bigint") + PG_FUNCTIONS_TRIGGERS_AND_FILL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for statement in table("integer"):
                cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0014_entity_and_event_list_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
