"""The event name index (PostgreSQL): one row per event with its type, its status, its first
date, its name and one full-text document of its name and aliases,
`factbase_event_names(event_id, event_type, status, date_lower, name, document)`, with a GIN
index on the document. For an event search (`events/?q=`, search.EventNameRows): a match and
what its facets count and its list is ordered by are one row of one narrow table, read
straight from its GIN bitmap.

Without it the count took the name matches from the entity heap (131,000 of them for `a` at a
million claims), hashed them, then read every event to keep those (108-141 ms). SQLite
needs none: its facets read the events' facets index in order, each row looked up in the
match lists (search.listed_matches). A page of a search of few matches read whole joined every
match's entity row for the name it is ordered by (16,838 for `exercise`: 120 ms); from the
index, a sort of narrow rows. Its capped count stops at the 1,001st match.

The document is `to_tsvector('simple', name || ' ' || aliases)`: the words of the name and of
every alias, as the entity name index holds them (entity_names.py). An event matches a query
of one prefix term exactly when its document does. A query of several terms may find its
words in the name and the aliases apart, which the entity name index would not match: such a
query is counted as before (search.listed_matches).

Triggers keep it in step: an event inserted, deleted or changed in type, status or date; an entity
renamed (an event's name is on its entity row); an alias added, removed, renamed or moved.
Each rewrites the rows of the events concerned (`factbase_event_names_refresh`). SQLite:
nothing (install does nothing and checks nothing).
"""

from __future__ import annotations

from factbase.indexes.base import PostgresTable

TABLE = "factbase_event_names"  # PostgreSQL
PG_INDEX = "event_names_document"
# The name and the date a list of events is ordered by (Event's Meta ordering), beside the
# type and status its facets count.
COLUMNS = (
    "event_id bigint PRIMARY KEY, event_type text NOT NULL, status text NOT NULL, date_lower date, "
    "name text NOT NULL, document tsvector NOT NULL"
)

PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION factbase_event_names_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {TABLE} WHERE event_id = ANY(ids);
  INSERT INTO {TABLE} (event_id, event_type, status, date_lower, name, document)
  SELECT e.entity_ptr_id, e.event_type, e.status, e.date_lower, n.name, to_tsvector('simple'::regconfig, concat_ws(' ', n.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = e.entity_ptr_id)))
  FROM factbase_event e JOIN factbase_entity n ON n.id = e.entity_ptr_id
  WHERE e.entity_ptr_id = ANY(ids);
$$""",  # noqa: S608 - constants
    """CREATE OR REPLACE FUNCTION factbase_event_names_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'factbase_event' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_ptr_id]);
    ELSE
      PERFORM factbase_event_names_refresh(ARRAY[NEW.entity_ptr_id]);
    END IF;
  ELSIF TG_TABLE_NAME = 'factbase_entity' THEN
    PERFORM factbase_event_names_refresh(ARRAY[NEW.id]);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM factbase_event_names_refresh(ARRAY[NEW.entity_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_id]);
  ELSE
    PERFORM factbase_event_names_refresh(ARRAY[OLD.entity_id, NEW.entity_id]);
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_event_names_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {TABLE};
  RETURN NULL;
END $$""",
]
PG_FUNCTION_SIGNATURES = [
    "factbase_event_names_on_change()",
    "factbase_event_names_on_truncate()",
    "factbase_event_names_refresh(bigint[])",
]
PG_TRIGGERS = [
    (
        "factbase_event_names_event",
        "factbase_event",
        "AFTER INSERT OR DELETE OR UPDATE OF event_type, status, date_lower ON factbase_event "
        "FOR EACH ROW EXECUTE FUNCTION factbase_event_names_on_change()",
    ),
    (
        "factbase_event_names_truncate",
        "factbase_event",
        "AFTER TRUNCATE ON factbase_event FOR EACH STATEMENT EXECUTE FUNCTION factbase_event_names_on_truncate()",
    ),
    (
        "factbase_event_names_entity",
        "factbase_entity",
        # Only an event's entity row holds an event's name.
        "AFTER UPDATE OF name ON factbase_entity FOR EACH ROW WHEN (NEW.kind = 'event') "
        "EXECUTE FUNCTION factbase_event_names_on_change()",
    ),
    (
        "factbase_event_names_alias",
        "factbase_alias",
        "AFTER INSERT OR DELETE OR UPDATE OF name, entity_id ON factbase_alias "
        "FOR EACH ROW EXECUTE FUNCTION factbase_event_names_on_change()",
    ),
]

# PostgreSQL: the rows of the events whose document matches a query (the parameter is
# search.pg_tsquery(q)), and the columns beside it that a count may group them by.
PG_MATCH = "document @@ to_tsquery('simple'::regconfig, %s)"

GROUPED = frozenset({"event_type", "status"})
# The event's fields a list of events is ordered by (Event's Meta ordering, `ordering=`),
# as the table's columns.
ORDERED = {
    "date_lower": "date_lower",
    "name": "name",
    "pk": "event_id",
    "id": "event_id",
    "entity_ptr": "event_id",
    "entity_ptr_id": "event_id",
}


class EventNames(PostgresTable):
    name = "event-names"
    table = TABLE
    columns = COLUMNS
    pg_index = PG_INDEX
    create_index = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (document)"
    functions = tuple(PG_FUNCTIONS)
    function_signatures = tuple(PG_FUNCTION_SIGNATURES)
    pg_triggers = tuple(PG_TRIGGERS)

    def rebuild(self, connection) -> None:
        """Rewrite every event's row from the tables."""
        if not self.ready(connection):
            return
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")
            cursor.execute("SELECT factbase_event_names_refresh(ARRAY(SELECT entity_ptr_id FROM factbase_event))")
            cursor.execute(f"ANALYZE {TABLE}")  # word statistics for the planner


INDEX = EventNames()
ready = INDEX.ready
forget = INDEX.forget
