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

Beside it, the claims without a date of their own, by entity (`UNDATED`), for entity
timelines (api/projections/timelines.py). Such a claim takes its event's date there, and no
index of the claims can order them by another table's date: a timeline page read every one
of the entity's undated claims and sorted them (2,400 as subject of the busiest entity at a
million claims, on every page). The table holds one row per undated claim and entity it is
about (subject, object, attribution or event), with its status, predicate and event, and its
event's date (`lo`, `rk` the precision's rank, `up`; NULL when the event has none or there
is no event). Indexed by (entity, lo, rk, up, claim), a page of them is an index range.
Triggers keep it in step: on claims (a claim's date, roles, event, status or predicate
change) and on events (an event's date changes: its claims move in the timeline). Those
triggers read other tables, so on SQLite they are suspended for migrations like the claim
text index's (factbase/indexes/claim_text.py).
"""

from __future__ import annotations

import datetime

from django.db import DatabaseError, connections
from django.db.models import BooleanField, CharField, F, Func, IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact, Lookup

from factbase.indexes import schema
from factbase.indexes.base import Index
from factbase.indexes.claim_text import NEW_CLAIMS_HELD

RTREE = "factbase_claim_dates"
# Day number of a date column as Python's date.toordinal() counts it (julianday of 0001-01-01 is 1721425.5).
_ORDINAL = "CAST(julianday({column}) - 1721424.5 AS INTEGER)"
PG_INDEX = "claim_dates_gist"
TRIGGER_NAMES = [f"{RTREE}_{suffix}" for suffix in ("ai", "ad", "au")]

SQLITE_IDS = "SELECT id FROM factbase_claim_dates WHERE lo <= %s AND hi >= %s"
PG_OVERLAP = (
    'daterange("factbase_claim"."date_lower", "factbase_claim"."date_upper", \'[]\') && daterange(%s, %s, \'[]\')'
)

# --- undated claims by entity, with their event's date ---------------------------------------

UNDATED = "factbase_claim_dates_undated"
UNDATED_INDEXES = {
    # A timeline's page: one entity's undated claims in date order (undated ones last, by id).
    f"{UNDATED}_entity": "(entity_id, lo, rk, up, claim_id, status, predicate_id)",
    f"{UNDATED}_claim": "(claim_id)",  # a claim's rows, when it changes
    f"{UNDATED}_event": "(event_id)",  # an event's claims, when its date changes
}
_RANK = "CASE WHEN {e}.date_lower IS NULL THEN NULL WHEN {e}.date_precision = 'month' THEN 1 WHEN {e}.date_precision = 'year' THEN 2 ELSE 0 END"
_UNDATED_ROWS = " UNION ".join(
    f"SELECT c.id, c.{role}, c.event_id, c.status, c.predicate_id, e.date_lower, {_RANK.format(e='e')}, "  # noqa: S608
    "e.date_upper FROM factbase_claim c LEFT JOIN factbase_event e ON e.entity_ptr_id = c.event_id "
    f"WHERE {{where}} AND c.date_lower IS NULL AND c.{role} IS NOT NULL"
    for role in ("subject_id", "object_id", "attributed_to_id", "event_id")
)
_UNDATED_FILL = (
    f"INSERT INTO {UNDATED} (claim_id, entity_id, event_id, status, predicate_id, lo, rk, up) {_UNDATED_ROWS}"  # noqa: S608
)
# The claim columns a row copies or depends on.
_CLAIM_COLUMNS = "date_lower, date_upper, subject_id, object_id, attributed_to_id, event_id, status, predicate_id"
_EVENT_COLUMNS = "date_lower, date_upper, date_precision"


def _undated_table(vendor: str) -> list[str]:
    key = "bigint" if vendor == "postgresql" else "integer"
    return [
        f"CREATE TABLE IF NOT EXISTS {UNDATED} (claim_id {key} NOT NULL, entity_id {key} NOT NULL, "
        f"event_id {key}, status varchar(16) NOT NULL, predicate_id {key} NOT NULL, lo date, rk integer, up date)",
        *(f"CREATE INDEX IF NOT EXISTS {name} ON {UNDATED} {columns}" for name, columns in UNDATED_INDEXES.items()),
    ]


def _sqlite_undated_triggers() -> list[tuple[str, str]]:
    fill = _UNDATED_FILL.format(where="c.id = new.id")
    delete = f"DELETE FROM {UNDATED} WHERE claim_id = old.id;"  # noqa: S608 - constants
    moved = (
        f"UPDATE {UNDATED} SET lo = new.date_lower, rk = {_RANK.format(e='new')}, up = new.date_upper "  # noqa: S608
        "WHERE event_id = new.entity_ptr_id;"
    )
    return [
        (f"{UNDATED}_claim_ai", f"AFTER INSERT ON factbase_claim WHEN new.date_lower IS NULL BEGIN {fill}; END"),
        (f"{UNDATED}_claim_au", f"AFTER UPDATE OF {_CLAIM_COLUMNS} ON factbase_claim BEGIN {delete} {fill}; END"),
        (f"{UNDATED}_claim_ad", f"AFTER DELETE ON factbase_claim BEGIN {delete} END"),
        (f"{UNDATED}_event_au", f"AFTER UPDATE OF {_EVENT_COLUMNS} ON factbase_event BEGIN {moved} END"),
    ]


PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION factbase_claim_dates_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {UNDATED} WHERE claim_id = ANY(ids);
  {_UNDATED_FILL.format(where="c.id = ANY(ids)")};
$$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_dates_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND {NEW_CLAIMS_HELD} THEN
    RETURN NULL;
  END IF;
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
  UPDATE {UNDATED} SET lo = NEW.date_lower, rk = {_RANK.format(e="NEW")}, up = NEW.date_upper
  WHERE event_id = NEW.entity_ptr_id;
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_dates_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {UNDATED};
  RETURN NULL;
END $$""",
]
PG_FUNCTION_NAMES = [
    "factbase_claim_dates_refresh",
    "factbase_claim_dates_on_claim",
    "factbase_claim_dates_on_event",
    "factbase_claim_dates_on_truncate",
]
PG_TRIGGERS = [
    (
        "factbase_claim_dates_claim",
        "factbase_claim",
        f"AFTER INSERT OR DELETE OR UPDATE OF {_CLAIM_COLUMNS} ON factbase_claim "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_dates_on_claim()",
    ),
    (
        "factbase_claim_dates_truncate",
        "factbase_claim",
        "AFTER TRUNCATE ON factbase_claim FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_dates_on_truncate()",
    ),
    (
        "factbase_claim_dates_event",
        "factbase_event",
        f"AFTER UPDATE OF {_EVENT_COLUMNS} ON factbase_event FOR EACH ROW EXECUTE FUNCTION factbase_claim_dates_on_event()",
    ),
]

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


# The attribute of a QuerySet's query that holds the (lower, upper) of its range
# (filter_overlapping), for what its arms answer (ClaimQuerySet.overlapping_arms).
RANGE_NOTED = "factbase_claim_dates_range"


def filter_overlapping(queryset, *, lower, upper):
    """`queryset` (of claims) narrowed to rows whose date interval overlaps [lower, upper]."""
    kind = backend(queryset.db)
    if kind == "rtree":
        ids = RawSQL(SQLITE_IDS, [upper.toordinal(), lower.toordinal()])  # noqa: S611 - constant SQL
        found = queryset.filter(pk__in=ids)
    else:
        found = queryset.filter(date_lower__lte=upper, date_upper__gte=lower)
        if kind == "postgresql":
            overlap = RawSQL(PG_OVERLAP, [lower, upper], output_field=BooleanField())  # noqa: S611 - constant SQL
            found = found.filter(overlap)
    setattr(found.query, RANGE_NOTED, (lower, upper))  # a Query's clones copy its attributes
    return found


def overlapping_in_arms(claims, *, status, lower, upper) -> tuple:
    """The claims of `status` that `filter_overlapping` finds, as two disjoint querysets of
    `claims`, for a walk that reads only index entries where it can (api/facets.py):

    - those that start within the range: a range of (status, date_lower, date_upper, …)
      (claim_status_dates_facets), whose entries hold the facet columns: a year's 24,000
      published claims at a million walked there alone, where the interval index's answer
      read each claim row (215 ms on SQLite for 20,000);
    - those that start before it and reach into it, from the interval index (its answer for
      the range's first day, less the claims that start on it): few. On SQLite the status is
      written `+status`, so that SQLite drives from the interval index's ids rather than
      walk the published claims that start before the range in the index above."""
    starting = claims.filter(status=status, date_lower__gte=lower, date_lower__lte=upper, date_upper__gte=lower)
    if backend(claims.db) == "rtree":
        reaching = RawSQL(SQLITE_IDS, [lower.toordinal() - 1, lower.toordinal()])  # noqa: S611 - constant SQL
        unindexed = Func(F("status"), template="+%(expressions)s", output_field=CharField())
        before = claims.filter(Exact(unindexed, status), pk__in=reaching)
    else:
        before = filter_overlapping(claims.filter(status=status, date_lower__lt=lower), lower=lower, upper=lower)
    return starting, before


def filter_overlapping_in_roles(queryset, *, roles, lower, upper):
    """`queryset` (of claims) narrowed to rows whose date interval overlaps [lower, upper]
    and that hold one of `roles`, pairs (field, entity id) such as ("subject", 42): per
    role, the claims that start within the range, a range of one of the role's date indexes
    ((role, status, date_lower, id) for one status, else (role, date_lower, date_upper)),
    and those that start before it and reach into it, from the interval index on SQLite
    (a claim that starts within the range overlaps it whatever its end).

    The interval index alone answers a year with every claim of the year (30,000 at a
    million claims), which the role's condition then narrows: its answer grew with the
    database, where the busiest subject has 824 claims starting in its commonest year and
    none reaching into it from before. The rows are read again with every condition of
    `queryset`, so the answer is the same."""
    # Each arm keeps the queryset's conditions so far (the status a client may see): the
    # (role, status, date_lower, id) index then answers it alone.
    claims = queryset.order_by()
    kind = backend(queryset.db)
    arms = []
    for field, entity in roles:
        arms.append(claims.filter(**{field: entity, "date_lower__gte": lower, "date_lower__lte": upper}).values("pk"))
        before = claims.filter(date_lower__lt=lower)
        if kind == "rtree":
            # The interval index's few ids drive this arm: the role's column is written
            # `+column`, so that SQLite leaves its index (every claim of the entity that
            # starts before the range) out.
            reaching = RawSQL(SQLITE_IDS, [lower.toordinal() - 1, lower.toordinal()])  # noqa: S611 - constant SQL
            unindexed = Func(F(field), template="+%(expressions)s", output_field=IntegerField())
            before = before.filter(Exact(unindexed, entity), pk__in=reaching)
        else:
            before = before.filter(**{field: entity, "date_upper__gte": lower})
        arms.append(before.values("pk"))
    union = arms[0].union(*arms[1:], all=True)
    if kind == "postgresql":
        return queryset.filter(_AnyOf(F("pk"), union))
    return queryset.filter(pk__in=union)


class _AnyOf(Lookup):
    """`column = ANY(ARRAY(<subquery>))` (PostgreSQL): the subquery runs once, alone, and its
    ids are read through the primary key in its order. As `IN (<subquery>)`, the planner
    took the union's ids for 200 rows (it knows no better for a union) and merged them with
    a walk of the primary key: 34,000 claims read for a page of 51 (30 ms) where the array
    reads the 1,600 ids and stops at the page (8 ms)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def spanning_sql(using: str, alias: str, day, *, among: str) -> tuple[str, list]:
    """SQL (and its parameters, after those of `among`) for: the claim `alias`, one of
    `among` (a condition on one of its columns, such as "c.subject_id = %s"), has a date
    that runs from before `day` into it (date_lower < day <= date_upper), answered from the
    interval index. A date range `date_from=day` is then one seek in date order (the claims
    starting on or after `day`) plus these: a B-tree on date_lower bounds only one side, and
    would read every claim starting before `day` to find the few that reach it. On SQLite
    the ids come from the R*Tree, and `among` is written `+column` so that its index is left
    out and the few ids drive the plan."""
    kind = backend(using)
    plain = f"{alias}.date_lower < %s AND {alias}.date_upper >= %s"
    if kind == "rtree":
        return f"+{among} AND {alias}.id IN ({SQLITE_IDS}) AND {plain}", [
            day.toordinal() - 1,
            day.toordinal(),
            day,
            day,
        ]
    if kind == "postgresql":
        overlap = f"daterange({alias}.date_lower, {alias}.date_upper, '[]') && daterange(%s, %s, '[]')"
        return f"{among} AND {overlap} AND {plain}", [day - datetime.timedelta(days=1), day, day, day]
    return f"{among} AND {plain}", [day, day]


# --- maintenance ----------------------------------------------------------------------------


def _rtree_triggers() -> list[tuple[str, str]]:
    new_lo, new_hi = _ORDINAL.format(column="new.date_lower"), _ORDINAL.format(column="new.date_upper")
    insert = (
        f"INSERT INTO {RTREE} (id, lo, hi) SELECT new.id, {new_lo}, {new_hi} "  # noqa: S608 - constants
        "WHERE new.date_lower IS NOT NULL AND new.date_upper IS NOT NULL;"
    )
    delete = f"DELETE FROM {RTREE} WHERE id = old.id;"  # noqa: S608 - constants
    return [
        (f"{RTREE}_ai", f"AFTER INSERT ON factbase_claim BEGIN {insert} END"),
        (f"{RTREE}_ad", f"AFTER DELETE ON factbase_claim BEGIN {delete} END"),
        (f"{RTREE}_au", f"AFTER UPDATE OF date_lower, date_upper ON factbase_claim BEGIN {delete} {insert} END"),
    ]


SQLITE_UNDATED_TRIGGER_NAMES = [name for name, _ in _sqlite_undated_triggers()]

# The importer's batch of new claims (factbase/indexes/new_claims.py): the insert triggers
# suspended around it, and the statements that write the batch's rows at once instead.
SQLITE_NEW_CLAIMS = [
    (
        (f"{RTREE}_ai",),
        lambda chunks: [
            f"INSERT INTO {RTREE} (id, lo, hi) SELECT c.id, {_ORDINAL.format(column='c.date_lower')}, "  # noqa: S608
            f"{_ORDINAL.format(column='c.date_upper')} FROM factbase_claim c WHERE c.id IN ({chunk}) "
            "AND c.date_lower IS NOT NULL AND c.date_upper IS NOT NULL"
            for chunk in chunks
        ],
    ),
    ((f"{UNDATED}_claim_ai",), lambda chunks: [_UNDATED_FILL.format(where=f"c.id IN ({chunk})") for chunk in chunks]),
]


def sqlite_triggers(rtree: bool = True) -> list[tuple[str, str]]:
    """Every SQLite trigger, (name, definition after the name): the R*Tree's when there is
    one, and the undated claims'."""
    return (_rtree_triggers() if rtree else []) + _sqlite_undated_triggers()


def _sqlite_trigger_statements(rtree: bool) -> list[str]:
    return [f"CREATE TRIGGER IF NOT EXISTS {name} {definition}" for name, definition in sqlite_triggers(rtree)]


class ClaimDates(Index):
    name = "claim-dates"
    # The GiST index on PostgreSQL is kept by PostgreSQL itself (a bulk load drops it with the
    # other secondary indexes, factbase/indexes/bulk.py).
    sqlite_trigger_names = tuple(TRIGGER_NAMES + SQLITE_UNDATED_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)
    # The undated claims' triggers read other tables (module docstring).
    suspend_for_migrations = True

    def install(self, connection) -> bool:
        _ready.clear()
        with connection.cursor() as cursor:
            if connection.vendor not in ("postgresql", "sqlite"):
                return False
            for statement in _undated_table(connection.vendor):
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON factbase_claim "
                    "USING gist (daterange(date_lower, date_upper, '[]'))"
                )
                for function in PG_FUNCTIONS:
                    cursor.execute(function)
                schema.pg_create_triggers(cursor, PG_TRIGGERS)
                self.rebuild(connection)
                return True
            try:
                cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {RTREE} USING rtree_i32(id, lo, hi)")
            except DatabaseError:
                pass  # SQLite built without R*Tree: the plain comparisons answer
        self.restore(connection, force=True)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        """Recreate missing triggers and refill what they keep (Django's SQLite table rebuilds
        drop triggers; migrations and bulk loads drop them on purpose)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if not schema.pg_missing(cursor, "table", [UNDATED]):
                    if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in PG_TRIGGERS]):
                        return
                    schema.pg_create_triggers(cursor, PG_TRIGGERS)
                    self.rebuild(connection)
                return
            if connection.vendor != "sqlite" or not schema.table_exists(cursor, UNDATED):
                return
            rtree = schema.table_exists(cursor, RTREE)
            names = (TRIGGER_NAMES if rtree else []) + SQLITE_UNDATED_TRIGGER_NAMES
            if not force and schema.missing_triggers(cursor, names) == 0:
                return
            for statement in _sqlite_trigger_statements(rtree):
                cursor.execute(statement)
        self.rebuild(connection)
        _ready.clear()

    def rebuild(self, connection) -> None:
        """Refill the undated claims' table, and the R*Tree on SQLite (an expression index is
        never stale)."""
        with connection.cursor() as cursor:
            if connection.vendor not in ("postgresql", "sqlite"):
                return
            cursor.execute(f"DELETE FROM {UNDATED}")  # noqa: S608 - constant
            cursor.execute(_UNDATED_FILL.format(where="1 = 1"))
            cursor.execute(f"ANALYZE {UNDATED}")
            if connection.vendor != "sqlite" or not schema.table_exists(cursor, RTREE):
                return
            cursor.execute(f"DELETE FROM {RTREE}")  # noqa: S608 - constant
            lo, hi = _ORDINAL.format(column="date_lower"), _ORDINAL.format(column="date_upper")
            cursor.execute(
                f"INSERT INTO {RTREE} (id, lo, hi) SELECT id, {lo}, {hi} FROM factbase_claim "  # noqa: S608 - constants
                "WHERE date_lower IS NOT NULL AND date_upper IS NOT NULL"
            )

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {
                "table": [UNDATED],
                "index": [PG_INDEX, *UNDATED_INDEXES],
                "function": list(PG_FUNCTION_NAMES),
                "trigger": [name for name, _, _ in PG_TRIGGERS],
            }
        return {
            "table": [RTREE, UNDATED],
            "index": list(UNDATED_INDEXES),
            "trigger": list(TRIGGER_NAMES) + SQLITE_UNDATED_TRIGGER_NAMES,
        }

    def uninstall(self, connection) -> None:
        _ready.clear()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, PG_TRIGGERS)
                cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
                cursor.execute(f"DROP TABLE IF EXISTS {UNDATED}")
                for function in (
                    "factbase_claim_dates_on_claim()",
                    "factbase_claim_dates_on_event()",
                    "factbase_claim_dates_on_truncate()",
                    "factbase_claim_dates_refresh(bigint[])",
                ):
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, TRIGGER_NAMES + SQLITE_UNDATED_TRIGGER_NAMES)
                cursor.execute(f"DROP TABLE IF EXISTS {RTREE}")
                cursor.execute(f"DROP TABLE IF EXISTS {UNDATED}")


INDEX = ClaimDates()
