"""The participant event index (both engines): one row per entity and event it takes part in
(in any role: an entity in two roles of one event is one row) with the event's type, status
and dates, `factbase_participant_events(entity_id, event_id, event_type, status, date_lower,
date_upper)`, keyed by `(entity_id, event_id)`, with btrees of `(entity_id, event_type,
event_id)` and `(entity_id, status, event_id)` for the facets, of `event_id` for the
triggers, and on SQLite of `(entity_id, date_lower, date_upper)` for a participant's events
within dates (`events_within`). PostgreSQL keeps the dates too but reads none of them: one
table definition and one set of trigger statements for both engines, where separate ones cost
more than a date rewritten beside an event's rows on the rare change of its dates.

Why: the facets of a participant's events (`events/?participant=1&facets=type,status`) walked
the participant's events, joined from its participations, grouped by type and status, and
walked again for the values left under the cap: the busiest participant's 22,145 events at a
million claims, 100 ms on SQLite and 49 on PostgreSQL. Here each value is a walk of its
btree that stops at the list's cap (COUNT_CAP + 1), however many events the participant has;
and the capped count of its list is a walk of the key (the IN list read every participation
first).

- Triggers keep it in step: a participation added, removed, or moved to another entity or
  event (a merge moves them) writes or removes its entity's row for that event, kept while
  another role of the entity in that event remains; an event's type, status or dates changed
  rewrite its rows. An event is deleted with its participations (their own triggers remove
  the rows). PostgreSQL: statement triggers over the transition tables (a bulk write is one
  statement), and a truncate of the participations empties it. SQLite: row triggers; they
  read other tables, so they live outside migrations (`suspend_for_migrations`).
- A rebuild reads every participation once, the btrees built after the rows.
"""

from __future__ import annotations

from django.db import connections
from django.db.models.expressions import RawSQL

from factbase.indexes import schema
from factbase.indexes.base import BothEnginesTable

TABLE = "factbase_participant_events"
PARTICIPANTS = "factbase_eventparticipant"
COLUMNS = (
    "entity_id bigint NOT NULL, event_id bigint NOT NULL, event_type text NOT NULL, status text NOT NULL, "
    "date_lower date, date_upper date"
)
# The facet columns, each with a btree of an entity's events holding one value, in id order.
FACETED = {"event_type": "participant_events_type", "status": "participant_events_status"}
INDEXES = (
    *(
        (index, f"CREATE INDEX IF NOT EXISTS {index} ON {TABLE} (entity_id, {column}, event_id)")
        for column, index in FACETED.items()
    ),
    ("participant_events_event", f"CREATE INDEX IF NOT EXISTS participant_events_event ON {TABLE} (event_id)"),
)
# SQLite's alone: an entity's events by date, those within a range (`events_within`, which
# PostgreSQL does not read).
DATES = (
    "participant_events_dates",
    f"CREATE INDEX IF NOT EXISTS participant_events_dates ON {TABLE} (entity_id, date_lower, date_upper)",
)
SQLITE_INDEXES = (*INDEXES, DATES)
_NAMES = "entity_id, event_id, event_type, status, date_lower, date_upper"
# Every entity and event it takes part in, once, with the event's type, status and dates
# (format `participants`: the participations read).
_ROWS = (
    "SELECT DISTINCT p.entity_id, p.event_id, ev.event_type, ev.status, ev.date_lower, ev.date_upper FROM {participants} "
    "JOIN factbase_event ev ON ev.entity_ptr_id = p.event_id"
)
# In key order: on PostgreSQL an entity's rows then lie together in the heap, where a facet
# value's walk reads them (unordered, the busiest participant's 1,001 events of one type lay on
# 777 heap pages: 7.7 ms; SQLite's WITHOUT ROWID table is its key).
FILL = (
    f"INSERT INTO {TABLE} ({_NAMES}) "
    + _ROWS.format(participants=f"{PARTICIPANTS} p")
    + " ORDER BY p.entity_id, p.event_id"
)
# The rows of the pairs (entity, event) of participations removed (format `removed`: those
# rows, `o`), unless another participation of the entity in that event remains.
_GONE = (
    f"DELETE FROM {TABLE} WHERE (entity_id, event_id) IN (SELECT o.entity_id, o.event_id FROM {{removed}} o "  # noqa: S608
    f"WHERE NOT EXISTS (SELECT 1 FROM {PARTICIPANTS} x WHERE x.entity_id = o.entity_id AND x.event_id = o.event_id))"
)

SQLITE_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} ({COLUMNS}, PRIMARY KEY (entity_id, event_id)) WITHOUT ROWID"
_SQLITE_ADDED = (
    f"INSERT OR IGNORE INTO {TABLE} ({_NAMES}) "  # noqa: S608 - constants
    "SELECT new.entity_id, new.event_id, ev.event_type, ev.status, ev.date_lower, ev.date_upper FROM factbase_event ev "
    "WHERE ev.entity_ptr_id = new.event_id"
)
_SQLITE_GONE = _GONE.format(removed="(SELECT old.entity_id AS entity_id, old.event_id AS event_id)")
# (name, definition after the name).
SQLITE_TRIGGERS = (
    (f"{TABLE}_participant_ai", f"AFTER INSERT ON {PARTICIPANTS} BEGIN {_SQLITE_ADDED}; END"),
    (
        f"{TABLE}_participant_au",
        f"AFTER UPDATE OF entity_id, event_id ON {PARTICIPANTS} BEGIN {_SQLITE_GONE}; {_SQLITE_ADDED}; END",
    ),
    (f"{TABLE}_participant_ad", f"AFTER DELETE ON {PARTICIPANTS} BEGIN {_SQLITE_GONE}; END"),
    (
        f"{TABLE}_event_au",
        f"AFTER UPDATE OF event_type, status, date_lower, date_upper ON factbase_event BEGIN UPDATE {TABLE} "  # noqa: S608
        "SET event_type = new.event_type, status = new.status, date_lower = new.date_lower, "
        "date_upper = new.date_upper WHERE event_id = new.entity_ptr_id; END",
    ),
)
SQLITE_TRIGGER_NAMES = tuple(name for name, _ in SQLITE_TRIGGERS)

_PG_ADDED = f"INSERT INTO {TABLE} ({_NAMES}) " + _ROWS.format(participants="new_rows p") + " ON CONFLICT DO NOTHING"
_PG_GONE = _GONE.format(removed="old_rows")


def _pg_function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {body};
  RETURN NULL;
END $$"""


PG_FUNCTIONS = (
    _pg_function("factbase_participant_events_on_insert", _PG_ADDED),
    _pg_function("factbase_participant_events_on_update", f"{_PG_GONE};\n  {_PG_ADDED}"),
    _pg_function("factbase_participant_events_on_delete", _PG_GONE),
    _pg_function("factbase_participant_events_on_truncate", f"TRUNCATE {TABLE}"),
    _pg_function(
        "factbase_participant_events_on_event_update",
        f"UPDATE {TABLE} t SET event_type = n.event_type, status = n.status, date_lower = n.date_lower, "  # noqa: S608
        "date_upper = n.date_upper FROM new_rows n JOIN old_rows o ON o.entity_ptr_id = n.entity_ptr_id "
        "WHERE t.event_id = n.entity_ptr_id AND (n.event_type, n.status, n.date_lower, n.date_upper) "
        "IS DISTINCT FROM (o.event_type, o.status, o.date_lower, o.date_upper)",
    ),
)
PG_FUNCTION_SIGNATURES = tuple(
    f"factbase_participant_events_on_{verb}()" for verb in ("insert", "update", "delete", "truncate", "event_update")
)


def _pg_trigger(table: str, event: str, verb: str, tables: str) -> tuple[str, str, str]:
    name = f"factbase_participant_events_{verb}"
    return (
        name,
        table,
        f"AFTER {event} ON {table}{' ' + tables if tables else ''} FOR EACH STATEMENT EXECUTE FUNCTION {name.replace('_events_', '_events_on_')}()",
    )


PG_TRIGGERS = (
    _pg_trigger(PARTICIPANTS, "INSERT", "insert", "REFERENCING NEW TABLE AS new_rows"),
    # Transition tables take no column list: every update of a participation (a role, a note) runs it.
    _pg_trigger(PARTICIPANTS, "UPDATE", "update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    _pg_trigger(PARTICIPANTS, "DELETE", "delete", "REFERENCING OLD TABLE AS old_rows"),
    _pg_trigger(PARTICIPANTS, "TRUNCATE", "truncate", ""),
    _pg_trigger("factbase_event", "UPDATE", "event_update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
)

# Each value of a facet column (format `column`) among an entity's events, counted no further
# than the last parameter: its btree (FACETED) from the entity and the value.
CAPPED_VALUE = f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE entity_id = %s AND {{column}} = %s LIMIT %s) v)"  # noqa: S608
# An entity's events, counted no further than the last parameter: the key.
CAPPED = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE entity_id = %s LIMIT %s) v"  # noqa: S608


# An entity's events within a range (format `within`: the date conditions), from the dates'
# btree: `events_within`, for at most this many of them (figures there).
FEW_WITHIN = 5_000
_WITHIN = f"SELECT event_id FROM {TABLE} WHERE entity_id = %s AND {{within}}"  # noqa: S608 - constants


class ParticipantEvents(BothEnginesTable):
    """The same table on both engines: PostgresTable's verbs on PostgreSQL, with statement
    triggers; on SQLite a WITHOUT ROWID table kept by row triggers."""

    name = "participant-events"
    table = TABLE
    columns = f"{COLUMNS}, PRIMARY KEY (entity_id, event_id)"
    pg_index, create_index = INDEXES[0]
    more_indexes = INDEXES[1:]  # not DATES
    functions = PG_FUNCTIONS
    function_signatures = PG_FUNCTION_SIGNATURES
    pg_triggers = PG_TRIGGERS
    fill = FILL
    sqlite_table = TABLE
    sqlite_triggers = SQLITE_TRIGGERS
    sqlite_trigger_names = SQLITE_TRIGGER_NAMES
    # Its SQLite triggers read other tables: suspended for SQLite's table rebuilds.
    suspend_for_migrations = True

    def sqlite_install(self, connection) -> bool:
        self.forget()
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_CREATE)
            for _, create in SQLITE_INDEXES:
                cursor.execute(create)
        self.restore(connection, force=True)
        return True

    def sqlite_rebuild(self, connection) -> None:
        """Every participation read once (DISTINCT: one row per entity and event), the btrees
        built after the rows."""
        with connection.cursor() as cursor:
            for name, _ in SQLITE_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
            cursor.execute(FILL)
            for _, create in SQLITE_INDEXES:
                cursor.execute(create)
            cursor.execute(f"ANALYZE {TABLE}")

    def sqlite_schema_objects(self) -> dict[str, list[str]]:
        return {"table": [TABLE], "index": [name for name, _ in SQLITE_INDEXES], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def sqlite_uninstall(self, connection) -> None:
        self.forget()
        with connection.cursor() as cursor:
            schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def capped_counts(self, using, entity_id: int, pairs: list[tuple[str, object]], cap: int) -> list[int] | None:
        """How many events `entity_id` takes part in hold each (column, value) of `pairs`,
        each counted no further than cap + 1, in one statement; None when a column is not
        among FACETED or the table is absent."""
        connection = connections[using]
        if not pairs or not self.ready(connection) or not all(column in FACETED for column, _ in pairs):
            return None
        counts = ", ".join(CAPPED_VALUE.format(column=column) for column, _ in pairs)
        params = [param for _, value in pairs for param in (entity_id, value, cap + 1)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts}", params)  # noqa: S608 - constant SQL
            return list(cursor.fetchone())

    def capped_count(self, using, entity_id: int, cap: int) -> int | None:
        """How many events `entity_id` takes part in, counted no further than cap + 1; None
        when the table is absent."""
        connection = connections[using]
        if not self.ready(connection):
            return None
        with connection.cursor() as cursor:
            cursor.execute(CAPPED, [entity_id, cap + 1])
            return cursor.fetchone()[0]

    def events_within(self, using, entity_id, *, lower=None, upper=None, starts_from=None) -> RawSQL | None:
        """The ids of the events `entity_id` takes part in that overlap [lower, upper] (either
        may be None), as a subquery of this table's dates btree, for `pk__in`; with
        `starts_from`, none that starts before it (event_spans.lower_bound: none earlier can
        reach `lower`). SQLite alone, and only when the btree's range holds at most
        FEW_WITHIN of the entity's entries (counted to one more first); None otherwise, or
        when the table is absent or there is no bound.

        At a million claims, for the busiest participant (22,145 events) on SQLite, read
        always: a month 15.9 -> 3.0 ms, a year 17.8 -> 4.4, ten years (about 7,400 of them)
        31.2 -> 26.6, but every year 41.0 -> 49.2 (an IN list of them all from a wider
        btree); hence the count first, which costs a millisecond or two where it sends the
        list back to the participations. PostgreSQL planned the subquery's rows blind: a year
        17.5 -> 17.3, ten years 14.5 -> 21.0, from a year on 12 -> 26; it reads the
        participations as before."""
        connection = connections[using]
        if (lower is None and upper is None) or connection.vendor != "sqlite" or not self.ready(connection):
            return None
        within, params = [], [entity_id]
        if lower is not None:
            within.append("date_upper >= %s")
            params.append(lower)
        if starts_from is not None:
            within.append("date_lower >= %s")
            params.append(starts_from)
        if upper is not None:
            within.append("date_lower <= %s")
            params.append(upper)
        sql = _WITHIN.format(within=" AND ".join(within))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, FEW_WITHIN + 1])  # noqa: S608 - constant SQL
            if cursor.fetchone()[0] > FEW_WITHIN:
                return None
        return RawSQL(sql, params)  # noqa: S611 - constant SQL


INDEX = ParticipantEvents()
ready = INDEX.ready
forget = INDEX.forget
