"""An interval index on claim dates, as this migration created it (frozen SQL; the live
definition is factbase/indexes/claim_dates.py): an R*Tree of (claim id, first day, last
day) as day numbers, filled and kept by triggers on SQLite (skipped when the build lacks
R*Tree), a GiST index on daterange(date_lower, date_upper, '[]') on PostgreSQL."""

from django.db import DatabaseError, migrations

SQLITE_TABLE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factbase_claim_dates USING rtree_i32(id, lo, hi)",
]

SQLITE_TRIGGERS_AND_FILL = [
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_dates_ai AFTER INSERT ON factbase_claim BEGIN INSERT INTO factbase_claim_dates (id, lo, hi) SELECT new.id, CAST(julianday(new.date_lower) - 1721424.5 AS INTEGER), CAST(julianday(new.date_upper) - 1721424.5 AS INTEGER) WHERE new.date_lower IS NOT NULL AND new.date_upper IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_dates_ad AFTER DELETE ON factbase_claim BEGIN DELETE FROM factbase_claim_dates WHERE id = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS factbase_claim_dates_au AFTER UPDATE OF date_lower, date_upper ON factbase_claim BEGIN DELETE FROM factbase_claim_dates WHERE id = old.id; INSERT INTO factbase_claim_dates (id, lo, hi) SELECT new.id, CAST(julianday(new.date_lower) - 1721424.5 AS INTEGER), CAST(julianday(new.date_upper) - 1721424.5 AS INTEGER) WHERE new.date_lower IS NOT NULL AND new.date_upper IS NOT NULL; END",
    "DELETE FROM factbase_claim_dates",
    "INSERT INTO factbase_claim_dates (id, lo, hi) SELECT id, CAST(julianday(date_lower) - 1721424.5 AS INTEGER), CAST(julianday(date_upper) - 1721424.5 AS INTEGER) FROM factbase_claim WHERE date_lower IS NOT NULL AND date_upper IS NOT NULL",
]

PG_INDEX = [
    "CREATE INDEX IF NOT EXISTS claim_dates_gist ON factbase_claim USING gist (daterange(date_lower, date_upper, '[]'))",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS factbase_claim_dates_ai",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_ad",
    "DROP TRIGGER IF EXISTS factbase_claim_dates_au",
    "DROP TABLE IF EXISTS factbase_claim_dates",
]
PG_DROP = ["DROP INDEX IF EXISTS claim_dates_gist"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in PG_INDEX:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            try:
                for statement in SQLITE_TABLE:
                    cursor.execute(statement)
            except DatabaseError:
                return  # SQLite built without R*Tree: the plain comparisons answer
            for statement in SQLITE_TRIGGERS_AND_FILL:
                cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0006_claim_filter_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
