"""The statements of grouping claims into facts (factbase/services/facts.py) that Django's
ORM does not write: the fact a claim joins, found or founded by one statement (an INSERT …
SELECT), the advisory locks that keep two writers on PostgreSQL from founding two facts for
one statement, and a set of claims moved to their facts in one UPDATE joined to a VALUES
list. The services compile the lookups with the ORM and hand them here as (sql, params)."""

from __future__ import annotations

import hashlib

# Advisory lock keys on PostgreSQL (pg_advisory_xact_lock's bigint space; changes.LOCK_KEY is
# another): every grouping on write holds SHARED shared and its statement's key; a batch of
# regrouping holds SHARED exclusively.
SHARED = 4_205_771_264

MOVED_PER_UPDATE = 1000  # claims per UPDATE: 3,000 parameters, within SQLite's bound


def statement_key(text: str) -> int:
    """A signed 64-bit lock key for a statement's text. Two statements may share a key: the
    later writer then waits for the earlier's commit, which is slower, never wrong."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def lock_all(connection) -> None:
    """Hold off every grouping on write until the transaction ends (PostgreSQL; SQLite has one
    writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SHARED])


def join_or_found(connection, *, table: str, row: dict, found: tuple, others: tuple | None, left, key: int) -> int:
    """The fact a claim belongs in, in one statement: `found` (sql, params) selects the fact
    of the claims that state the same; else `left`, the claim's own fact, when `others` (sql,
    params: another claim in it) finds none; else a new row of `table` with the values of
    `row` (column: value), inserted by the same statement.

    On PostgreSQL the statement takes the advisory lock of `key` with its lookup, held until
    commit: a writer that cannot take it at once (another transaction is grouping the same
    statement, or a batch is regrouping) waits for it, then asks again with a fresh snapshot,
    which sees the other's claim: two more queries, only then."""
    quote = connection.ops.quote_name
    name, columns = quote(table), ", ".join(quote(column) for column in row)
    placeholders = ", ".join(["%s"] * len(row))
    lookup_sql, lookup_params = found
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A new fact only when none is found and another claim is in the claim's own.
            founds, founds_params = ("TRUE", []) if others is None else (f"EXISTS ({others[0]})", list(others[1]))
            sql = (
                "WITH held AS MATERIALIZED (SELECT pg_try_advisory_xact_lock_shared(%s) "  # noqa: S608
                "AND pg_try_advisory_xact_lock(%s) AS held), "
                f"found AS MATERIALIZED ({lookup_sql}), "
                f"made AS (INSERT INTO {name} ({columns}) SELECT {placeholders} FROM held "
                f"WHERE held.held AND NOT EXISTS (SELECT 1 FROM found) AND {founds} RETURNING id) "
                "SELECT (SELECT held FROM held), (SELECT fact_id FROM found), (SELECT id FROM made)"
            )
            params = [SHARED, key, *lookup_params, *row.values(), *founds_params]
            cursor.execute(sql, params)
            held, joined, made = cursor.fetchone()
            if not held:
                cursor.execute("SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s)", [SHARED, key])
                cursor.execute(sql, params)
                held, joined, made = cursor.fetchone()
            return joined if joined is not None else made if made is not None else left
        # SQLite: an INSERT whose id is the fact found, or the claim's own when no other claim
        # is in it (either conflicts, and the no-op update returns that row), or none (a new
        # row, its id assigned).
        stays, stays_params = (
            ("NULL", []) if others is None else (f"CASE WHEN NOT EXISTS ({others[0]}) THEN %s END", [*others[1], left])
        )
        sql = (
            f"INSERT INTO {name} (id, {columns}) SELECT COALESCE(({lookup_sql}), {stays}), {placeholders} "  # noqa: S608
            "WHERE TRUE ON CONFLICT (id) DO UPDATE SET sources = sources RETURNING id"
        )
        cursor.execute(sql, [*lookup_params, *stays_params, *row.values()])
        return cursor.fetchone()[0]


def claims_move(connection, *, table: str, moved: list[tuple]) -> None:
    """Set each claim's (id, fact_id, value_key), a thousand claims per UPDATE joined to a
    VALUES list (SQLite and PostgreSQL both name its columns column1…): Django's bulk_update
    spends more time building its CASE per row than the database spends on the rows."""
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        for start in range(0, len(moved), MOVED_PER_UPDATE):
            chunk = moved[start : start + MOVED_PER_UPDATE]
            rows = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {name} SET fact_id = v.column2, value_key = v.column3 "  # noqa: S608
                f"FROM (VALUES {rows}) AS v WHERE {name}.id = v.column1",
                [value for claim in chunk for value in claim],
            )
