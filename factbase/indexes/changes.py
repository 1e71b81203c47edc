"""The change feed's log (`GET /api/v1/changes/`): every change to entities, aliases, claims,
documents and mentions, written by triggers, in commit order.

Triggers on every table whose rows appear in an API representation insert rows into
`factbase_changes(id, position, at, type, object_id, owner_id, action, visible_before,
visible_after, merged_into)`, whatever writes them (`.update()`, bulk deletes and the admin
included):

- `type` is `entity`, `alias`, `claim`, `document` or `mention`; `owner_id` is an alias's
  entity or a mention's document (the detail that shows it);
- `visible_before`/`visible_after` say whether an anonymous client sees the object before and
  after the change: a claim's status is `published`; every other object is visible, so a
  create is (false, true), a delete (true, false), an update (true, true);
- a row that changes what another object's representation shows records an `update` of that
  object too, so a mirror that re-reads what the feed names stays exact: an alias, an
  identifier, a role or a participation updates its entity; a span updates its claim and its
  document (with the claim's visibility: an anonymous client sees the spans of published
  claims only); a mention updates its document; a claim entering or leaving `published`
  updates the documents its spans quote (their anonymous detail gains or loses the spans);
  a renamed entity updates every claim, document and entity that names it (`{id, kind,
  name}`); a predicate's new slug or label updates its claims; a fact's new count of
  sources, or its being contradicted or no longer, updates its claims (each shows them);
- `merge` is written by the merge service over the loser's `delete` (`mark_merged`).

**Commit order.** A position taken from a sequence when a row is written would let a reader
skip a change: T1 writes (position 10), T2 writes and commits (11), a reader reads up to 11
and moves on, then T1 commits 10 behind it. So rows are written with `position` NULL and
numbered at COMMIT, in order. On PostgreSQL a DEFERRABLE INITIALLY DEFERRED constraint
trigger runs for each row at commit. The transaction's last row's run writes a marker row;
the marker's run takes `pg_advisory_xact_lock(LOCK_KEY)`, numbers every row of the
transaction from a sequence in the order they were written, and deletes the marker. The
lock is held from the numbering to the end of the commit, and PostgreSQL releases it only
once the transaction is visible to new snapshots, so positions are handed out in commit
order: a reader that sees position n sees every position below it, and no later commit can
take a lower one. The marker is there because Django's foreign keys are deferred too: their
checks, queued by the transaction's statements after its last change (its history rows, a
merge's record), take row locks (`FOR KEY SHARE`), and run while the lock is held would wait
for a transaction holding `select_for_update` that itself waits for the lock. PostgreSQL
runs what a deferred trigger queues after everything already queued, so the marker's run
comes after every check, and the committing transaction takes no other lock while it holds
this one. SQLite has one writer at a time: a trigger on the log sets position = id, which
AUTOINCREMENT never reuses.

**Retention.** `prune` deletes the rows older than a date; `factbase_changes_floor` keeps the
highest position deleted, and a cursor below it is gone (410). `restore` after the triggers
were missing (a bulk load, SQLite's migrations) cannot know what was missed: it restarts the
feed (every row deleted, the floor past every position handed out), so every earlier cursor
is gone and mirrors start again from a full export.
"""

from __future__ import annotations

import datetime

from factbase.indexes import schema
from factbase.indexes.base import Index
from factbase.indexes.claim_text import NEW_CLAIMS_HELD

NAME = "factbase_changes"
FLOOR = "factbase_changes_floor"
SEQUENCE = "factbase_changes_position_seq"
LOCK_KEY = 4_205_771_263  # pg_advisory_xact_lock key of the stamping (any constant no other code takes)
STAMP = "factbase_changes_stamp"
MARKER = "commit"  # the type and action of the row that numbers a transaction's rows (never read)
TYPES = ("entity", "alias", "claim", "document", "mention")

# --- what the triggers write -------------------------------------------------------------------

_COLUMNS = "(type, object_id, owner_id, action, visible_before, visible_after)"
_PUBLISHED = "'published'"


def _row(type_: str, object_id: str, action: str, before: str, after: str, *, owner: str = "NULL", when: str = ""):
    """An INSERT of one log row (a SELECT without FROM, so that `when` can guard it)."""
    where = f" WHERE {when}" if when else ""
    return (
        f"INSERT INTO {NAME} {_COLUMNS} SELECT '{type_}', {object_id}, {owner}, '{action}', {before}, {after}{where};"  # noqa: S608
    )


def _update(type_: str, object_id: str, *, when: str = "") -> str:
    return _row(type_, object_id, "update", "TRUE", "TRUE", when=when)


def _claim_update(claim_id: str, *, when: str = "") -> str:
    """An update of a claim, seen by anonymous clients when the claim is published (nothing
    when the claim is gone)."""
    guard = f" AND {when}" if when else ""
    return (
        f"INSERT INTO {NAME} {_COLUMNS} SELECT 'claim', c.id, NULL, 'update', c.status = {_PUBLISHED}, "  # noqa: S608
        f"c.status = {_PUBLISHED} FROM factbase_claim c WHERE c.id = {claim_id}{guard};"
    )


def _document_update_for_span(document_id: str, claim_id: str, *, when: str = "") -> str:
    """An update of a document whose spans changed: anonymous clients see it when the span's
    claim is published."""
    visible = f"COALESCE((SELECT c.status = {_PUBLISHED} FROM factbase_claim c WHERE c.id = {claim_id}), FALSE)"  # noqa: S608
    return _row("document", document_id, "update", visible, visible, when=when)


def _renamed(entity: str) -> list[str]:
    """Every object whose representation names entity `entity` (`{id, kind, name}`)."""
    when = "OLD.name <> NEW.name OR OLD.kind <> NEW.kind"
    claims = (
        f"INSERT INTO {NAME} {_COLUMNS} SELECT 'claim', c.id, NULL, 'update', c.status = {_PUBLISHED}, "  # noqa: S608
        f"c.status = {_PUBLISHED} FROM factbase_claim c WHERE ({when}) AND (c.subject_id = {entity} "
        f"OR c.object_id = {entity} OR c.event_id = {entity} OR c.attributed_to_id = {entity}) ORDER BY c.id;"
    )
    documents = (
        f"INSERT INTO {NAME} {_COLUMNS} SELECT 'document', d.id, NULL, 'update', TRUE, TRUE FROM ("  # noqa: S608
        f"SELECT id FROM factbase_document WHERE publisher_id = {entity} "
        f"UNION SELECT document_id FROM factbase_mention WHERE entity_id = {entity}) d WHERE {when} ORDER BY d.id;"
    )
    entities = (
        f"INSERT INTO {NAME} {_COLUMNS} SELECT 'entity', e.id, NULL, 'update', TRUE, TRUE FROM ("  # noqa: S608
        f"SELECT entity_ptr_id AS id FROM factbase_person WHERE nationality_id = {entity} "
        f"UNION SELECT person_id FROM factbase_role WHERE organisation_id = {entity} "
        f"UNION SELECT entity_ptr_id FROM factbase_organisation WHERE country_id = {entity} OR parent_id = {entity} "
        f"UNION SELECT entity_ptr_id FROM factbase_event WHERE location_country_id = {entity} "
        f"OR parent_id = {entity} "
        f"UNION SELECT event_id FROM factbase_eventparticipant WHERE entity_id = {entity}) e WHERE {when} "
        "ORDER BY e.id;"
    )
    return [claims, documents, entities]


_VISIBLE = {"create": ("FALSE", "TRUE"), "update": ("TRUE", "TRUE"), "delete": ("TRUE", "FALSE")}


def _owned(type_: str | None, owner_type: str, owner: str) -> dict[str, list[str]]:
    """A row shown inside its owner's representation (`owner` names the column): its own
    log row (when it has a `type_`), and an update of the owner(s) it leaves and joins."""

    def own(action: str, ref: str) -> list[str]:
        if type_ is None:
            return []
        return [_row(type_, f"{ref}.id", action, *_VISIBLE[action], owner=f"{ref}.{owner}")]

    return {
        "INSERT": [*own("create", "NEW"), _update(owner_type, f"NEW.{owner}")],
        "UPDATE": [
            *own("update", "NEW"),
            _update(owner_type, f"NEW.{owner}"),
            _update(owner_type, f"OLD.{owner}", when=f"OLD.{owner} <> NEW.{owner}"),
        ],
        "DELETE": [*own("delete", "OLD"), _update(owner_type, f"OLD.{owner}")],
    }


def _own(type_: str) -> dict[str, list[str]]:
    return {
        "INSERT": [_row(type_, "NEW.id", "create", *_VISIBLE["create"])],
        "UPDATE": [_row(type_, "NEW.id", "update", *_VISIBLE["update"])],
        "DELETE": [_row(type_, "OLD.id", "delete", *_VISIBLE["delete"])],
    }


_CLAIM_DOCUMENTS = (
    f"INSERT INTO {NAME} {_COLUMNS} SELECT 'document', s.document_id, NULL, 'update', TRUE, TRUE "  # noqa: S608
    "FROM (SELECT DISTINCT document_id FROM factbase_sourcespan WHERE claim_id = NEW.id) s "
    f"WHERE (OLD.status = {_PUBLISHED}) <> (NEW.status = {_PUBLISHED}) ORDER BY s.document_id;"
)

# table -> {event -> statements}, the one definition both engines' triggers are made from.
CAPTURE: dict[str, dict[str, list[str]]] = {
    "factbase_entity": {
        "INSERT": _own("entity")["INSERT"],
        "UPDATE": [*_own("entity")["UPDATE"], *_renamed("NEW.id")],
        "DELETE": _own("entity")["DELETE"],
    },
    # A typed table's own columns are in its entity's representation; its rows come and go
    # with the entity's (whose own triggers record that).
    **{
        f"factbase_{table}": {"UPDATE": [_update("entity", "NEW.entity_ptr_id")]}
        for table in ("country", "person", "organisation", "event")
    },
    "factbase_alias": _owned("alias", "entity", "entity_id"),
    "factbase_identifier": _owned(None, "entity", "entity_id"),
    "factbase_role": _owned(None, "entity", "person_id"),
    "factbase_eventparticipant": _owned(None, "entity", "event_id"),
    "factbase_claim": {
        "INSERT": [_row("claim", "NEW.id", "create", "FALSE", f"NEW.status = {_PUBLISHED}")],
        "UPDATE": [
            _row("claim", "NEW.id", "update", f"OLD.status = {_PUBLISHED}", f"NEW.status = {_PUBLISHED}"),
            _CLAIM_DOCUMENTS,
        ],
        "DELETE": [_row("claim", "OLD.id", "delete", f"OLD.status = {_PUBLISHED}", "FALSE")],
    },
    "factbase_sourcespan": {
        "INSERT": [_claim_update("NEW.claim_id"), _document_update_for_span("NEW.document_id", "NEW.claim_id")],
        "UPDATE": [
            _claim_update("NEW.claim_id"),
            _claim_update("OLD.claim_id", when="OLD.claim_id <> NEW.claim_id"),
            _document_update_for_span("NEW.document_id", "NEW.claim_id"),
            _document_update_for_span("OLD.document_id", "OLD.claim_id", when="OLD.document_id <> NEW.document_id"),
        ],
        "DELETE": [_claim_update("OLD.claim_id"), _document_update_for_span("OLD.document_id", "OLD.claim_id")],
    },
    "factbase_document": _own("document"),
    "factbase_mention": _owned("mention", "document", "document_id"),
    # A claim shows its fact's independent sources and whether it is contradicted.
    "factbase_fact": {
        "UPDATE": [
            f"INSERT INTO {NAME} {_COLUMNS} SELECT 'claim', c.id, NULL, 'update', c.status = {_PUBLISHED}, "  # noqa: S608
            f"c.status = {_PUBLISHED} FROM factbase_claim c WHERE (OLD.sources <> NEW.sources "
            "OR OLD.contradicted <> NEW.contradicted) AND c.fact_id = NEW.id ORDER BY c.id;"
        ]
    },
    "factbase_predicate": {
        "UPDATE": [
            f"INSERT INTO {NAME} {_COLUMNS} SELECT 'claim', c.id, NULL, 'update', c.status = {_PUBLISHED}, "  # noqa: S608
            f"c.status = {_PUBLISHED} FROM factbase_claim c WHERE (OLD.slug <> NEW.slug OR OLD.label <> NEW.label) "
            "AND c.predicate_id = NEW.id ORDER BY c.id;"
        ]
    },
}

_SHORT = {"INSERT": "ai", "UPDATE": "au", "DELETE": "ad"}

# --- SQLite ------------------------------------------------------------------------------------

SQLITE_TABLE = f"""CREATE TABLE IF NOT EXISTS {NAME} (
  id integer PRIMARY KEY AUTOINCREMENT,
  position bigint NULL,
  at text NULL,
  type varchar(16) NOT NULL,
  object_id bigint NOT NULL,
  owner_id bigint NULL,
  action varchar(8) NOT NULL,
  visible_before bool NOT NULL,
  visible_after bool NOT NULL,
  merged_into bigint NULL
)"""
_SQLITE_STAMP = "position = {id}, at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_SQLITE_STAMP_ROW = f"UPDATE {NAME} SET {_SQLITE_STAMP.format(id='NEW.id')} WHERE id = NEW.id;"  # noqa: S608
_SQLITE_STAMP_UNSTAMPED = f"UPDATE {NAME} SET {_SQLITE_STAMP.format(id='id')} WHERE position IS NULL"  # noqa: S608
SQLITE_TRIGGERS = [
    (
        f"{NAME}_{table.removeprefix('factbase_')}_{_SHORT[event]}",
        f"AFTER {event} ON {table} BEGIN {' '.join(statements)} END",
    )
    for table, events in CAPTURE.items()
    for event, statements in events.items()
] + [
    # One writer at a time: a row's position is its id, stamped as it is written.
    (f"{NAME}_position", f"AFTER INSERT ON {NAME} BEGIN {_SQLITE_STAMP_ROW} END"),
]
SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

# The importer's batch of new claims (factbase/indexes/new_claims.py): the rows the insert
# triggers of claims and spans would have written, in the order they would have (each claim's
# create, then per span an update of its claim and of its document), written for the batch at
# once. On SQLite those triggers and the log's stamping are suspended around the batch, and
# the batch's rows then stamped (a row is unstamped only while the stamping trigger is
# suspended: one writer at a time); on PostgreSQL the triggers skip (`_PG_SKIP`) and the
# rows are numbered at commit as any.
_PUBLISHED_C = f"c.status = {_PUBLISHED}"
NEW_CLAIMS = [
    (
        (f"{NAME}_claim_ai",),
        lambda chunks: [
            f"INSERT INTO {NAME} {_COLUMNS} SELECT 'claim', c.id, NULL, 'create', FALSE, {_PUBLISHED_C} "  # noqa: S608
            f"FROM factbase_claim c WHERE c.id IN ({chunk}) ORDER BY c.id"
            for chunk in chunks
        ],
    ),
    (
        (f"{NAME}_sourcespan_ai",),
        lambda chunks: [
            f"INSERT INTO {NAME} {_COLUMNS} SELECT type, object_id, NULL, 'update', visible, visible FROM ("  # noqa: S608
            f"SELECT s.id AS span, 0 AS k, 'claim' AS type, s.claim_id AS object_id, {_PUBLISHED_C} AS visible "
            f"FROM factbase_sourcespan s JOIN factbase_claim c ON c.id = s.claim_id WHERE s.claim_id IN ({chunk}) "
            f"UNION ALL SELECT s.id, 1, 'document', s.document_id, {_PUBLISHED_C} "
            f"FROM factbase_sourcespan s JOIN factbase_claim c ON c.id = s.claim_id WHERE s.claim_id IN ({chunk})"
            ") AS logged ORDER BY span, k"
            for chunk in chunks
        ],
    ),
]
SQLITE_NEW_CLAIMS = [*NEW_CLAIMS, ((f"{NAME}_position",), lambda chunks: [_SQLITE_STAMP_UNSTAMPED])]

# --- PostgreSQL --------------------------------------------------------------------------------

PG_TABLE = [
    f"""CREATE TABLE IF NOT EXISTS {NAME} (
  id bigserial PRIMARY KEY,
  position bigint NULL,
  at timestamp with time zone NULL,
  type varchar(16) NOT NULL,
  object_id bigint NOT NULL,
  owner_id bigint NULL,
  action varchar(8) NOT NULL,
  visible_before boolean NOT NULL,
  visible_after boolean NOT NULL,
  merged_into bigint NULL
)""",
    f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
    # A transaction's rows still to be numbered, found at its commit.
    f"CREATE INDEX IF NOT EXISTS {NAME}_unstamped ON {NAME} (id) WHERE position IS NULL",
]
COMMON_TABLES = [
    f"CREATE UNIQUE INDEX IF NOT EXISTS {NAME}_position ON {NAME} (position)",
    # What anonymous clients may see of it: their pages skip drafts' changes without reading them.
    f"CREATE INDEX IF NOT EXISTS {NAME}_visible ON {NAME} (position) WHERE visible_before OR visible_after",
    f"CREATE TABLE IF NOT EXISTS {FLOOR} (id integer PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)",
    f"INSERT INTO {FLOOR} (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING",  # noqa: S608 - constants
]


# The importer's batch (factbase/indexes/new_claims.py): their insert triggers leave the rows
# to it while the transaction holds claim_text.NEW_CLAIMS_SETTING (`NEW_CLAIMS`).
PG_NEW_CLAIM_TABLES = ("factbase_claim", "factbase_sourcespan")
_PG_SKIP = f"IF {NEW_CLAIMS_HELD} THEN\n      RETURN NULL;\n    END IF;"


def _pg_function(table: str, events: dict[str, list[str]]) -> str:
    def body(event: str, statements: list[str]) -> list[str]:
        return [_PG_SKIP, *statements] if event == "INSERT" and table in PG_NEW_CLAIM_TABLES else statements

    branches = "\n  ".join(
        f"{'IF' if i == 0 else 'ELSIF'} TG_OP = '{event}' THEN\n    " + "\n    ".join(body(event, statements))
        for i, (event, statements) in enumerate(events.items())
    )
    return f"""CREATE OR REPLACE FUNCTION {NAME}_{table.removeprefix("factbase_")}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {branches}
  END IF;
  RETURN NULL;
END $$"""


PG_STAMP_FUNCTION = f"""CREATE OR REPLACE FUNCTION {STAMP}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  unstamped bigint;
BEGIN
  IF NEW.action <> '{MARKER}' THEN
    -- Run at commit for each row the transaction wrote. The last one writes a marker row,
    -- whose own run comes after every deferred check still queued (foreign keys).
    IF NOT EXISTS (SELECT 1 FROM {NAME} WHERE position IS NULL AND id > NEW.id) THEN
      INSERT INTO {NAME} {_COLUMNS} VALUES ('{MARKER}', 0, NULL, '{MARKER}', FALSE, FALSE);
    END IF;
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  DELETE FROM {NAME} WHERE id = NEW.id;
  FOR unstamped IN SELECT id FROM {NAME} WHERE position IS NULL ORDER BY id LOOP
    UPDATE {NAME} SET position = nextval('{SEQUENCE}'), at = clock_timestamp() WHERE id = unstamped;
  END LOOP;
  RETURN NULL;
END $$"""  # noqa: S608 - constants

PG_FUNCTIONS = [_pg_function(table, events) for table, events in CAPTURE.items()] + [PG_STAMP_FUNCTION]
PG_FUNCTION_NAMES = [f"{NAME}_{table.removeprefix('factbase_')}" for table in CAPTURE] + [STAMP]
PG_TRIGGERS = [
    (
        f"{NAME}_{table.removeprefix('factbase_')}",
        table,
        f"AFTER {' OR '.join(events)} ON {table} FOR EACH ROW EXECUTE FUNCTION {NAME}_{table.removeprefix('factbase_')}()",
    )
    for table, events in CAPTURE.items()
]
PG_STAMP_TRIGGER = (
    STAMP,
    NAME,
    f"AFTER INSERT ON {NAME} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {STAMP}()",
)


def _pg_create_triggers(cursor) -> None:
    schema.pg_create_triggers(cursor, PG_TRIGGERS)
    # The numbering trigger is made only where missing: a transaction that wrote changes has
    # its runs pending, and PostgreSQL refuses to drop a trigger with pending events.
    name, table, definition = PG_STAMP_TRIGGER
    if schema.pg_missing(cursor, "trigger", [name]):
        cursor.execute(f"CREATE CONSTRAINT TRIGGER {name} {definition}")


# --- reading and keeping the log ------------------------------------------------------------------

_FIELDS = "position, at, type, object_id, owner_id, action, visible_before, visible_after, merged_into"
_ANONYMOUS = " AND (visible_before OR visible_after)"


def _issued(vendor: str) -> str:
    """SQL for the highest position ever handed out."""
    if vendor == "postgresql":
        return f"(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE})"  # noqa: S608
    return f"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{NAME}'), 0)"  # noqa: S608


def bounds(connection, *, everything: bool) -> tuple[int, int, int]:
    """(floor, latest, issued): the highest position pruned (a cursor below it is gone), the
    newest position the reader may see (the floor when none), the highest ever handed out."""
    visible = "" if everything else _ANONYMOUS
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.position, (SELECT position FROM {NAME} WHERE position IS NOT NULL{visible} "  # noqa: S608
            f"ORDER BY position DESC LIMIT 1), {_issued(connection.vendor)} FROM {FLOOR} f WHERE f.id = 1"
        )
        floor, latest, issued = cursor.fetchone()
    return floor, max(latest or 0, floor), max(issued or 0, floor)


def read(connection, *, after: int, limit: int, everything: bool) -> list[dict]:
    """Up to `limit` rows after position `after`, in commit order: every row (curators), or
    those an anonymous client sees something of."""
    visible = "" if everything else _ANONYMOUS
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_FIELDS} FROM {NAME} WHERE position > %s{visible} ORDER BY position LIMIT %s",  # noqa: S608
            [after, limit],
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["visible_before"], row["visible_after"] = bool(row["visible_before"]), bool(row["visible_after"])
    return rows


def mark_merged(connection, *, merged_id: int, survivor_id: int) -> None:
    """The merge service: the `delete` its transaction just logged for `merged_id` is a
    `merge` into `survivor_id` (the newest delete of that entity is this transaction's: a
    concurrent one would wait on the entity's row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {NAME} SET action = 'merge', merged_into = %s WHERE id = (SELECT max(id) FROM {NAME} "  # noqa: S608
            "WHERE type = 'entity' AND object_id = %s AND action = 'delete')",
            [survivor_id, merged_id],
        )


def _sqlite_time(moment) -> str:
    """A UTC datetime as the SQLite trigger writes `at` (text that sorts as time)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def prune(connection, *, before) -> int:
    """Delete the rows stamped before `before` (a datetime); the floor moves to the highest
    position deleted. Returns how many rows went."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(position) FROM {NAME} WHERE position IS NOT NULL AND at < %s",  # noqa: S608
            [_sqlite_time(before) if connection.vendor == "sqlite" else before],
        )
        (through,) = cursor.fetchone()
        if through is None:
            return 0
        cursor.execute(f"DELETE FROM {NAME} WHERE position <= %s", [through])  # noqa: S608
        deleted = cursor.rowcount
        cursor.execute(f"UPDATE {FLOOR} SET position = %s WHERE id = 1 AND position < %s", [through, through])  # noqa: S608
    return deleted


def restart(connection) -> None:
    """Forget every row and move the floor past every position handed out: changes may have
    gone unlogged (the triggers were missing), so every earlier cursor is gone (410)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
            (floor,) = cursor.fetchone()
        else:
            # A position taken and given back: AUTOINCREMENT never hands it out again.
            cursor.execute(f"INSERT INTO {NAME} {_COLUMNS} VALUES ('entity', 0, NULL, 'update', FALSE, FALSE)")  # noqa: S608
            cursor.execute("SELECT last_insert_rowid()")
            (floor,) = cursor.fetchone()
        cursor.execute(f"DELETE FROM {NAME} WHERE position IS NOT NULL")  # noqa: S608
        cursor.execute(f"UPDATE {FLOOR} SET position = %s WHERE id = 1", [floor])  # noqa: S608


def stamp_at_each_statement(connection) -> None:
    """PostgreSQL: number this transaction's rows at the end of each statement rather than at
    commit (tests that run inside one transaction and never commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {STAMP} IMMEDIATE")


class Changes(Index):
    name = "changes"
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)
    # The triggers read other tables (claims, spans…): SQLite refuses to rebuild a table that
    # a trigger elsewhere names, so they are dropped while migrations run.
    suspend_for_migrations = True

    def install(self, connection) -> bool:
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        with connection.cursor() as cursor:
            for statement in [SQLITE_TABLE] if connection.vendor == "sqlite" else PG_TABLE:
                cursor.execute(statement)
            for statement in COMMON_TABLES:
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                for function in PG_FUNCTIONS:
                    cursor.execute(function)
        self.restore(connection, force=True)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        """Put back missing triggers, and then restart the feed (`restart`): changes may have
        gone unlogged. With every trigger in place there is nothing to do, `force` or not: a
        log cannot be rebuilt from the tables, and restarting it would only void the cursors."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not schema.table_exists(cursor, NAME) or schema.missing_triggers(cursor, SQLITE_TRIGGER_NAMES) == 0:
                    return
                schema.create_triggers(cursor, SQLITE_TRIGGERS)
            elif connection.vendor == "postgresql":
                names = [name for name, _, _ in PG_TRIGGERS] + [STAMP]
                if schema.pg_missing(cursor, "table", [NAME]) or not schema.pg_missing(cursor, "trigger", names):
                    return
                _pg_create_triggers(cursor)
            else:
                return
        self.rebuild(connection)

    def rebuild(self, connection) -> None:
        if connection.vendor in ("sqlite", "postgresql"):
            restart(connection)

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        indexes = [f"{NAME}_position", f"{NAME}_visible"]
        if vendor == "postgresql":
            return {
                "table": [NAME, FLOOR],
                "index": [*indexes, f"{NAME}_unstamped"],
                "function": list(PG_FUNCTION_NAMES),
                "trigger": [name for name, _, _ in PG_TRIGGERS] + [STAMP],
            }
        return {"table": [NAME, FLOOR], "index": indexes, "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, [*PG_TRIGGERS, PG_STAMP_TRIGGER])
                for function in PG_FUNCTION_NAMES:
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
                cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
            cursor.execute(f"DROP TABLE IF EXISTS {NAME}")
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR}")


INDEX = Changes()
