"""The widest event (both engines): a one-row table, `factbase_event_span(id, widest)`, holding
at least the longest span in days of any event (`date_upper - date_lower`), so that an event
list from a date (`events/?date_from=2009`) reads only the events that start within that many
days before it: no event that starts earlier can reach it.

Why: an event overlaps a range when it ends on or after the range's first day and starts on
or before its last. The events' dates index is `(date_lower, date_upper)`: the list walked
it in date order from the first event ever, skipping every event that ended before the range
by its index entry. At a million claims `events/?date_from=2024` passed 190,000 entries
(20 ms on SQLite), and a year's capped count (1,001 events) passed every earlier one.
Bounded below by the widest span (`EventQuerySet.overlapping`), the walk starts that many
days before the range: 365 in the synthetic data.

- Triggers widen it when an event is inserted or its dates change to a span wider than it;
  nothing narrows it (a deleted or shortened event leaves it wide: a bound still, only
  looser), and a rebuild sets it to the widest span there is. SQLite: row triggers on the
  dates; PostgreSQL: statement triggers over the transition tables, which touch the row only
  when an event is wider (no lock on it otherwise).
- Read first by `lower_bound`, and given to the list's statement as a date. Absent (the table
  gone, or no row), the bound is the first day there is, as before.
"""

from __future__ import annotations

import datetime

from django.db import connections

from factbase.indexes import schema
from factbase.indexes.base import Index

TABLE = "factbase_event_span"
SQLITE_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), widest INTEGER NOT NULL)"
PG_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY CHECK (id = 1), widest integer NOT NULL)"
_SQLITE_SPAN = "CAST(julianday({row}.date_upper) - julianday({row}.date_lower) AS INTEGER)"
FILL = {
    "sqlite": f"INSERT INTO {TABLE} (id, widest) SELECT 1, coalesce(max({_SQLITE_SPAN.format(row='e')}), 0) "  # noqa: S608
    "FROM factbase_event e",
    "postgresql": f"INSERT INTO {TABLE} (id, widest) SELECT 1, coalesce(max(e.date_upper - e.date_lower), 0) "  # noqa: S608
    "FROM factbase_event e",
}
_SQLITE_WIDEN = (
    f"UPDATE {TABLE} SET widest = {_SQLITE_SPAN.format(row='new')} WHERE widest < {_SQLITE_SPAN.format(row='new')}"  # noqa: S608
)
# (name, definition after the name). A span with an unknown end is NULL: the WHERE is not true.
SQLITE_TRIGGERS = (
    (f"{TABLE}_event_ai", f"AFTER INSERT ON factbase_event BEGIN {_SQLITE_WIDEN}; END"),
    (f"{TABLE}_event_au", f"AFTER UPDATE OF date_lower, date_upper ON factbase_event BEGIN {_SQLITE_WIDEN}; END"),
)
SQLITE_TRIGGER_NAMES = tuple(name for name, _ in SQLITE_TRIGGERS)
PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION factbase_event_span_widen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {TABLE} s SET widest = n.widest FROM (SELECT max(date_upper - date_lower) AS widest FROM new_rows) n
  WHERE n.widest > s.widest;
  RETURN NULL;
END $$"""  # noqa: S608 - constants
PG_FUNCTION_SIGNATURE = "factbase_event_span_widen()"
PG_TRIGGERS = tuple(
    (
        f"factbase_event_span_{verb.lower()}",
        "factbase_event",
        f"AFTER {verb} ON factbase_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION factbase_event_span_widen()",
    )
    for verb in ("INSERT", "UPDATE")
)
WIDEST = f"SELECT widest FROM {TABLE} WHERE id = 1"  # noqa: S608 - constant


class EventSpans(Index):
    """The same one-row table on both engines, kept by triggers: row triggers on SQLite (a
    table rebuild of events drops them with the old table, and post_migrate puts them back
    with a rebuild), statement triggers on PostgreSQL."""

    name = "event-spans"
    sqlite_trigger_names = SQLITE_TRIGGER_NAMES
    pg_triggers = PG_TRIGGERS

    def __init__(self) -> None:
        self._ready: dict[str, bool] = {}

    def ready(self, connection) -> bool:
        """Whether the table exists on this database (checked once per alias and process)."""
        if connection.alias not in self._ready:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    self._ready[connection.alias] = schema.table_exists(cursor, TABLE)
                elif connection.vendor == "postgresql":
                    self._ready[connection.alias] = not schema.pg_missing(cursor, "table", [TABLE])
                else:
                    self._ready[connection.alias] = False
        return self._ready[connection.alias]

    def forget(self) -> None:
        self._ready.clear()

    def install(self, connection) -> bool:
        self.forget()
        if connection.vendor not in FILL:
            return False
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(SQLITE_CREATE)
            else:
                cursor.execute(PG_CREATE)
                cursor.execute(PG_FUNCTION)
        self.restore(connection, force=True)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        """Put back missing triggers and set the widest span anew (events may have been
        written meanwhile); with `force`, always."""
        if connection.vendor not in FILL:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not schema.table_exists(cursor, TABLE):
                    return
                if not force and not schema.missing_triggers(cursor, SQLITE_TRIGGER_NAMES):
                    return
                schema.create_triggers(cursor, SQLITE_TRIGGERS)
            else:
                if schema.pg_missing(cursor, "table", [TABLE]):
                    return
                if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in PG_TRIGGERS]):
                    return
                schema.pg_create_triggers(cursor, PG_TRIGGERS)
        self.rebuild(connection)
        self.forget()

    def rebuild(self, connection) -> None:
        """The widest span of the events there are (0 with none)."""
        if connection.vendor not in FILL:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
            cursor.execute(FILL[connection.vendor])

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "sqlite":
            return {"table": [TABLE], "trigger": list(SQLITE_TRIGGER_NAMES)}
        if vendor == "postgresql":
            return {
                "table": [TABLE],
                "function": [PG_FUNCTION_SIGNATURE.split("(")[0]],
                "trigger": [name for name, _, _ in PG_TRIGGERS],
            }
        return {}

    def uninstall(self, connection) -> None:
        self.forget()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
                cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            elif connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, PG_TRIGGERS)
                cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION_SIGNATURE}")


INDEX = EventSpans()
ready = INDEX.ready
forget = INDEX.forget


def lower_bound(day: datetime.date, using: str) -> datetime.date:
    """The first day an event overlapping a range from `day` can start: `day` less the widest
    span, read first (a statement of its own: a primary key lookup), or the first day there is
    where the table or its row is absent. Not as a subquery of the list's statement: on
    PostgreSQL its value was unknown to the planner, which then took a year's bound for a few
    hundred events and read the 6,485 of a year at a million claims for a busy participant's
    page (13.6 ms, against 6.3 with the first day there is); SQLite computed the bound again
    for each of that participant's 22,145 events (18.4 ms, against 12.1 with a date)."""
    connection = connections[using]
    if connection.vendor not in FILL or not ready(connection):
        return datetime.date.min
    with connection.cursor() as cursor:
        cursor.execute(WIDEST)
        row = cursor.fetchone()
    if row is None:
        return datetime.date.min
    try:
        return day - datetime.timedelta(days=row[0])
    except OverflowError:  # before the first day there is
        return datetime.date.min
