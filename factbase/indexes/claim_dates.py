"""An interval index for claim dates: "claims whose [date_lower, date_upper] overlaps
[lower, upper]" (the `date_from` + `date_to` filters) without scanning.

A B-tree on (date_lower, date_upper) bounds only one side of an overlap test: for a month
in 2021 it still walks every claim that starts before the month ends, most of the table.
Interval indexes bound both sides:
- SQLite: an R*Tree virtual table (`rtree_i32`) of (claim id, first day, last day) as day
  numbers (`date.toordinal()`), kept in step by triggers;
- PostgreSQL: a GiST index on `daterange(date_lower, date_upper, '[]')`, queried with `&&`;
- otherwise the plain comparisons.
On SQLite the R*Tree answers alone: it holds exactly the claims with both dates (a claim
without dates never matches) as whole day numbers, so its answer is exact, and leaving the
plain comparisons out lets the status check run on the (status, id) index instead of
reading each candidate row. PostgreSQL keeps them next to `&&` (the GiST index answers both).
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from factbase.indexes import schema
from factbase.indexes.base import Index

RTREE = "factbase_claim_dates"
# Day number of a date column as Python's date.toordinal() counts it (julianday of 0001-01-01 is 1721425.5).
_ORDINAL = "CAST(julianday({column}) - 1721424.5 AS INTEGER)"
PG_INDEX = "claim_dates_gist"
TRIGGER_NAMES = [f"{RTREE}_{suffix}" for suffix in ("ai", "ad", "au")]

SQLITE_IDS = "SELECT id FROM factbase_claim_dates WHERE lo <= %s AND hi >= %s"
PG_OVERLAP = (
    'daterange("factbase_claim"."date_lower", "factbase_claim"."date_upper", \'[]\') && daterange(%s, %s, \'[]\')'
)

_ready: dict[str, bool] = {}


def backend(using: str) -> str:
    """'rtree', 'postgresql' or 'plain' for the database alias `using`."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        if using not in _ready:
            try:
                with connection.cursor() as cursor:
                    _ready[using] = schema.table_exists(cursor, RTREE)
            except DatabaseError:
                _ready[using] = False
        if _ready[using]:
            return "rtree"
    return "plain"


def filter_overlapping(queryset, *, lower, upper):
    """`queryset` (of claims) narrowed to rows whose date interval overlaps [lower, upper]."""
    kind = backend(queryset.db)
    if kind == "rtree":
        ids = RawSQL(SQLITE_IDS, [upper.toordinal(), lower.toordinal()])  # noqa: S611 - constant SQL
        return queryset.filter(pk__in=ids)
    plain = queryset.filter(date_lower__lte=upper, date_upper__gte=lower)
    if kind == "postgresql":
        overlap = RawSQL(PG_OVERLAP, [lower, upper], output_field=BooleanField())  # noqa: S611 - constant SQL
        return plain.filter(overlap)
    return plain


# --- maintenance ----------------------------------------------------------------------------


def _triggers() -> list[str]:
    new_lo, new_hi = _ORDINAL.format(column="new.date_lower"), _ORDINAL.format(column="new.date_upper")
    insert = (
        f"INSERT INTO {RTREE} (id, lo, hi) SELECT new.id, {new_lo}, {new_hi} "  # noqa: S608 - constants
        "WHERE new.date_lower IS NOT NULL AND new.date_upper IS NOT NULL;"
    )
    delete = f"DELETE FROM {RTREE} WHERE id = old.id;"  # noqa: S608 - constants
    return [
        f"CREATE TRIGGER IF NOT EXISTS {RTREE}_ai AFTER INSERT ON factbase_claim BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {RTREE}_ad AFTER DELETE ON factbase_claim BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {RTREE}_au AFTER UPDATE OF date_lower, date_upper ON factbase_claim "
        f"BEGIN {delete} {insert} END",
    ]


class ClaimDates(Index):
    name = "claim-dates"

    def install(self, connection) -> bool:
        _ready.clear()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON factbase_claim "
                    "USING gist (daterange(date_lower, date_upper, '[]'))"
                )
                return True
            if connection.vendor != "sqlite":
                return False
            try:
                cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {RTREE} USING rtree_i32(id, lo, hi)")
            except DatabaseError:
                return False  # SQLite built without R*Tree: the plain comparisons answer
        self.restore(connection, force=True)
        return True

    def suspend(self, connection) -> None:
        """SQLite: drop the triggers. PostgreSQL maintains its GiST index itself (a bulk load
        drops it with the other secondary indexes, factbase/indexes/bulk.py)."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                schema.drop_triggers(cursor, TRIGGER_NAMES)

    def restore(self, connection, *, force: bool = False) -> None:
        """Recreate missing triggers and refill the R*Tree (Django's SQLite table rebuilds drop
        triggers; bulk loads drop them on purpose)."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if not schema.table_exists(cursor, RTREE):
                return
            if not force and schema.missing_triggers(cursor, TRIGGER_NAMES) == 0:
                return
            for statement in _triggers():
                cursor.execute(statement)
        self.rebuild(connection)
        _ready.clear()

    def rebuild(self, connection) -> None:
        if connection.vendor != "sqlite":
            return  # an expression index is never stale
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {RTREE}")  # noqa: S608 - constant
            lo, hi = _ORDINAL.format(column="date_lower"), _ORDINAL.format(column="date_upper")
            cursor.execute(
                f"INSERT INTO {RTREE} (id, lo, hi) SELECT id, {lo}, {hi} FROM factbase_claim "  # noqa: S608 - constants
                "WHERE date_lower IS NOT NULL AND date_upper IS NOT NULL"
            )

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {"index": [PG_INDEX]}
        return {"table": [RTREE], "trigger": list(TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        _ready.clear()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, TRIGGER_NAMES)
                cursor.execute(f"DROP TABLE IF EXISTS {RTREE}")


INDEX = ClaimDates()
