"""The importer's batch of new claims: its claims and spans are inserted as rows
(factbase/services/imports.py), and what the insert triggers of those tables write for each
row (the claim text documents, the claim dates and undated claims, the change feed's log) is
written once for the whole batch instead.

- SQLite: each index lists the insert triggers it suspends and the statements that write
  what they would have for a batch (`SQLITE_NEW_CLAIMS` in claim_text.py, claim_dates.py,
  changes.py). The triggers are dropped, the rows inserted, the statements run for the
  claims inserted (the change feed's last: its rows in the order the triggers would have
  written them, then stamped in one statement), and the triggers created again. A trigger cost
  about 0.2 ms a row, even one INSERT, against 0.08 ms for the row itself with none.
  SQLite has one writer at a time, so no other write goes unindexed meanwhile. A trigger
  already missing (a bulk load suspended its index) is left as it is, with its statements.
- PostgreSQL: dropping or disabling a trigger locks the table and is refused once the
  transaction has deferred events pending (every insert leaves foreign-key checks), so the
  claim text, claim dates and change feed triggers stay and skip inserts while this
  transaction holds claim_text.NEW_CLAIMS_SETTING; both indexes are then refreshed in one
  statement each, and the change feed's rows written as on SQLite (numbered at commit as
  any). Other transactions are indexed and logged as ever.

Call it inside a savepoint (the importer does): a failure rolls back the savepoint, the
dropped triggers or the setting with it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from factbase.indexes import changes, claim_dates, claim_text, schema

# In the order their statements run: the change feed's stamping last of all.
SQLITE_NEW_CLAIMS = [*claim_text.SQLITE_NEW_CLAIMS, *claim_dates.SQLITE_NEW_CLAIMS, *changes.SQLITE_NEW_CLAIMS]
CHUNK = 500  # claim ids per statement


@contextmanager
def new_claims(connection, ids: Callable[[], list[int]]):
    """Around a bulk insert of new claims and their spans, within the caller's transaction;
    `ids()` names the claims inserted, once the insert is done."""
    if connection.vendor == "postgresql":
        with _postgresql(connection, ids):
            yield
    elif connection.vendor == "sqlite":
        with _sqlite(connection, ids):
            yield
    else:
        yield


@contextmanager
def _postgresql(connection, ids):
    if not claim_text.ready(connection):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [claim_text.NEW_CLAIMS_SETTING])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [claim_text.NEW_CLAIMS_SETTING])
        written = [int(pk) for pk in ids()]
        cursor.execute(
            "SELECT factbase_claim_text_refresh(%s::bigint[]), factbase_claim_dates_refresh(%s::bigint[])",
            [written, written],
        )
        # The change feed's rows, unless its triggers are missing (a bulk load suspended it).
        logged = [f"{changes.NAME}_{table.removeprefix('factbase_')}" for table in changes.PG_NEW_CLAIM_TABLES]
        if written and not schema.pg_missing(cursor, "trigger", logged):
            chunks = _chunks(written)
            for _, write in changes.NEW_CLAIMS:
                for statement in write(chunks):
                    cursor.execute(statement)


@contextmanager
def _sqlite(connection, ids):
    with connection.cursor() as cursor:
        held = [(names, write) for names, write in SQLITE_NEW_CLAIMS if not schema.missing_triggers(cursor, names)]
        definitions = dict(_sqlite_triggers())
        for names, _ in held:
            schema.drop_triggers(cursor, names)
    try:
        yield
        written = [int(pk) for pk in ids()]
        chunks = _chunks(written)
        with connection.cursor() as cursor:
            for _, write in held if chunks else ():
                for statement in write(chunks):
                    cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            schema.create_triggers(cursor, [(name, definitions[name]) for names, _ in held for name in names])


def _chunks(ids: list[int]) -> list[str]:
    """`ids` as comma-separated lists of up to CHUNK, for the statements' `IN (…)`."""
    return [", ".join(map(str, ids[start : start + CHUNK])) for start in range(0, len(ids), CHUNK)]


def _sqlite_triggers():
    yield from claim_text.SQLITE_TRIGGERS
    yield from claim_dates.sqlite_triggers()
    yield from changes.SQLITE_TRIGGERS
