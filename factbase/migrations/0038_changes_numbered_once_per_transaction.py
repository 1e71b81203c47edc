"""PostgreSQL: the change feed's numbering runs once per transaction instead of once per row
(factbase/indexes/changes.py, "Commit order"): the deferred trigger queues a run for the
transaction's first row only (its WHEN asks factbase_changes_queue), and the marker's run
numbers every row in one UPDATE from a block of the sequence. Frozen SQL, as this migration
ran; the live definitions are in factbase/indexes/changes.py. SQLite: nothing (a row's
position is its id, stamped as it is written)."""

from django.db import migrations

FORWARDS = [
    "CREATE OR REPLACE FUNCTION factbase_changes_queue() RETURNS boolean\nLANGUAGE plpgsql AS $$\nBEGIN\n  -- True for the transaction's first row (since its numbering, under SET CONSTRAINTS IMMEDIATE).\n  IF current_setting('factbase.changes_queued', true) = 'on' THEN\n    RETURN FALSE;\n  END IF;\n  PERFORM set_config('factbase.changes_queued', 'on', true);\n  RETURN TRUE;\nEND $$",
    "CREATE OR REPLACE FUNCTION factbase_changes_stamp() RETURNS trigger\nLANGUAGE plpgsql AS $$\nDECLARE\n  unstamped bigint;\n  base bigint;\nBEGIN\n  IF NEW.action <> 'commit' THEN\n    -- Run at commit for the transaction's first row: a marker row, whose own run comes\n    -- after every deferred check still queued (foreign keys).\n    INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) VALUES ('commit', 0, NULL, 'commit', FALSE, FALSE);\n    RETURN NULL;\n  END IF;\n  PERFORM pg_advisory_xact_lock(4205771263);\n  DELETE FROM factbase_changes WHERE id = NEW.id;\n  SELECT count(*) INTO unstamped FROM factbase_changes WHERE position IS NULL;\n  IF unstamped > 0 THEN\n    base := nextval('factbase_changes_position_seq');\n    IF unstamped > 1 THEN\n      PERFORM setval('factbase_changes_position_seq', base + unstamped - 1);\n    END IF;\n    UPDATE factbase_changes c SET position = base + o.n - 1, at = clock_timestamp()\n    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM factbase_changes WHERE position IS NULL) o\n    WHERE c.id = o.id AND c.position IS NULL;  -- both sides by the index of the unstamped rows\n  END IF;\n  PERFORM set_config('factbase.changes_queued', 'off', true);  -- the next row written queues a run again\n  RETURN NULL;\nEND $$",
    "DROP TRIGGER IF EXISTS factbase_changes_stamp ON factbase_changes",
    "CREATE CONSTRAINT TRIGGER factbase_changes_stamp AFTER INSERT ON factbase_changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.action = 'commit' OR factbase_changes_queue()) EXECUTE FUNCTION factbase_changes_stamp()",
]
BACKWARDS = [
    "CREATE OR REPLACE FUNCTION factbase_changes_stamp() RETURNS trigger\nLANGUAGE plpgsql AS $$\nDECLARE\n  unstamped bigint;\nBEGIN\n  IF NEW.action <> 'commit' THEN\n    -- Run at commit for each row the transaction wrote. The last one writes a marker row,\n    -- whose own run comes after every deferred check still queued (foreign keys).\n    IF NOT EXISTS (SELECT 1 FROM factbase_changes WHERE position IS NULL AND id > NEW.id) THEN\n      INSERT INTO factbase_changes (type, object_id, owner_id, action, visible_before, visible_after) VALUES ('commit', 0, NULL, 'commit', FALSE, FALSE);\n    END IF;\n    RETURN NULL;\n  END IF;\n  PERFORM pg_advisory_xact_lock(4205771263);\n  DELETE FROM factbase_changes WHERE id = NEW.id;\n  FOR unstamped IN SELECT id FROM factbase_changes WHERE position IS NULL ORDER BY id LOOP\n    UPDATE factbase_changes SET position = nextval('factbase_changes_position_seq'), at = clock_timestamp() WHERE id = unstamped;\n  END LOOP;\n  RETURN NULL;\nEND $$",
    "DROP TRIGGER IF EXISTS factbase_changes_stamp ON factbase_changes",
    "CREATE CONSTRAINT TRIGGER factbase_changes_stamp AFTER INSERT ON factbase_changes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION factbase_changes_stamp()",
    "DROP FUNCTION IF EXISTS factbase_changes_queue()",
]


def _run(schema_editor, statements) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("factbase", "0037_claim_status_dates_facets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
