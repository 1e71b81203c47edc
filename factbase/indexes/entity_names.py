"""The entity name index: entity names and aliases, for `Entity.objects.matching(q)` (and the
LIKE-free half of claim search's backend choice, factbase/indexes/search.py).

- SQLite: FTS5 external-content tables (`factbase_entity_fts`, `factbase_alias_fts`): the
  text lives once, in the content table; the FTS table holds only the index, kept in step
  by triggers. Django's SQLite schema editor alters a table by copying it into a new one
  and dropping the old, which drops its triggers: post_migrate restores them and rebuilds.
- PostgreSQL: GIN expression indexes on `to_tsvector('simple', name)`, kept by PostgreSQL.
"""

from __future__ import annotations

from django.db import DatabaseError, connections

from factbase.indexes import schema
from factbase.indexes.base import SQLiteTriggeredIndex

ENTITY_FTS = "factbase_entity_fts"
ALIAS_FTS = "factbase_alias_fts"
FTS_TABLES = (ENTITY_FTS, ALIAS_FTS)

# The statements, written out whole so that the benchmark's floor app (bench/floor.py) can
# run exactly the SQL Factbase runs. Every one takes the query text twice, as parameters.
SQLITE_ENTITY_IDS = (
    "SELECT rowid FROM factbase_entity_fts WHERE factbase_entity_fts MATCH %s "
    "UNION SELECT a.entity_id FROM factbase_alias_fts JOIN factbase_alias a ON a.id = factbase_alias_fts.rowid "
    "WHERE factbase_alias_fts MATCH %s"
)
# PostgreSQL: the query must repeat the indexed expression, to_tsvector('simple'::regconfig,
# column), exactly for the planner to use the GIN index. The tsquery is a parameter (see
# search.pg_tsquery), so the planner sees the actual words when it estimates; each chunk is
# still split by PostgreSQL's own parser, as the indexed text was ("Su-35" is 'su' followed
# by '-35', "U.S." is 'u.s').
PG_ENTITY_IDS = (
    "SELECT id FROM factbase_entity WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s) "
    "UNION SELECT entity_id FROM factbase_alias "
    "WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s)"
)

# An entity's name and its aliases probed in the full-text tables by rowid, for a walk of the
# entity table (`e`) in name order; the parameter is the query.
SQLITE_NAME_PROBE = "SELECT 1 FROM factbase_entity_fts f WHERE f.factbase_entity_fts MATCH %s AND f.rowid = e.id"
SQLITE_ALIAS_PROBE = (
    "SELECT 1 FROM factbase_alias a JOIN factbase_alias_fts af ON af.rowid = a.id "
    "WHERE a.entity_id = e.id AND af.factbase_alias_fts MATCH %s"
)
# PostgreSQL: the matches with their name and kind, each row read once (for an order by name).
PG_NAMED_MATCHES = (
    "SELECT id, name, kind FROM factbase_entity "
    "WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s) "
    "UNION SELECT e.id, e.name, e.kind FROM factbase_alias a JOIN factbase_entity e ON e.id = a.entity_id "
    "WHERE to_tsvector('simple'::regconfig, a.name) @@ to_tsquery('simple'::regconfig, %s)"
)
# The columns of PG_NAMED_MATCHES by the Entity fields an ordering names
# (`search.EntityNameMatches`: a page of `entities/` in any of its orders, of a typed list
# by name or id).
PG_NAMED_ORDERED = {"name": "name", "kind": "kind", "id": "id", "pk": "id", "entity_ptr": "id"}

# The name matches and the alias matches apart, for a capped count of each
# (search.filter_entities decides from it how to read a list); the parameter is the query.
SQLITE_NAME_MATCHES = "SELECT rowid FROM factbase_entity_fts WHERE factbase_entity_fts MATCH %s"
SQLITE_ALIAS_MATCHES = "SELECT rowid FROM factbase_alias_fts WHERE factbase_alias_fts MATCH %s"
SQLITE_ALIAS_ENTITY_IDS = (
    "SELECT a.entity_id FROM factbase_alias_fts JOIN factbase_alias a ON a.id = factbase_alias_fts.rowid "
    "WHERE factbase_alias_fts MATCH %s"
)
# The same two lists bounded to the ids of one typed table (people, organisations…), for a
# typed list's walk (search._walk_entities): `a` matches 166,000 names at a million claims,
# but the people among them fall between the person table's smallest and largest id, where
# the full-text table seeks by rowid. Exact whatever the ids: a row outside the bounds is not
# of that table. It narrows only as far as a kind's ids cluster (entities made in batches by
# kind, as an import or the synthetic data makes them). The parameter is the query.
SQLITE_TYPED_BOUNDS = "(SELECT min({column}) FROM {table}) AND (SELECT max({column}) FROM {table})"
SQLITE_TYPED_NAME_MATCHES = f"{SQLITE_NAME_MATCHES} AND rowid BETWEEN {SQLITE_TYPED_BOUNDS}"
SQLITE_TYPED_ALIAS_ENTITY_IDS = f"{SQLITE_ALIAS_ENTITY_IDS} AND a.entity_id BETWEEN {SQLITE_TYPED_BOUNDS}"
# A row of an entity list (`column`: its table's id) probed in the two full-text tables, its
# name by rowid, then its aliases through their entity index; the parameters are the query
# twice.
SQLITE_ROW_PROBES = (
    "(EXISTS (SELECT 1 FROM factbase_entity_fts f WHERE f.factbase_entity_fts MATCH %s AND f.rowid = {column}) "
    "OR EXISTS (SELECT 1 FROM factbase_alias a JOIN factbase_alias_fts af ON af.rowid = a.id "
    "WHERE a.entity_id = {column} AND af.factbase_alias_fts MATCH %s))"
)
# An entity list's name (format `column`) before the one a given number of names into the
# name index (both parameters): no further than that along the index, or any name when the
# table has no more.
SQLITE_NTH_NAME = "SELECT name FROM factbase_entity ORDER BY name, id LIMIT 1 OFFSET %s"
SQLITE_NAMES_BEFORE = f"(({SQLITE_NTH_NAME}) IS NULL OR {{column}} < ({SQLITE_NTH_NAME}))"
PG_NAME_MATCHES = (
    "SELECT id FROM factbase_entity WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s)"
)
PG_ALIAS_MATCHES = (
    "SELECT entity_id FROM factbase_alias "
    "WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s)"
)
# PostgreSQL: a name tested row by row, as the GIN index would find it, and an entity's
# aliases tested through their entity index (the entity table is in the query: its name is
# tested beside).
PG_NAME_TEST = "to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)"
PG_ALIAS_TEST = (
    'EXISTS (SELECT 1 FROM factbase_alias a WHERE a.entity_id = "factbase_entity"."id" '
    "AND to_tsvector('simple'::regconfig, a.name) @@ to_tsquery('simple'::regconfig, %s))"
)

# PostgreSQL: an entity row (of `table`, quoted) whose name matches, through the name
# index, or one of whose aliases does, as one bitmap of rows; the parameters are the query
# twice.
PG_ENTITY_ROW_MATCHES = (
    f"({PG_NAME_TEST.format(column='{table}.name')} OR {{table}}.id = ANY(ARRAY({PG_ALIAS_MATCHES})))"
)

# (FTS table, content table, indexed column).
SQLITE_FTS = [
    (ENTITY_FTS, "factbase_entity", "name"),
    (ALIAS_FTS, "factbase_alias", "name"),
]
# PostgreSQL GIN expression indexes: (index name, table, column).
PG_GIN = [
    ("entity_name_fts", "factbase_entity", "name"),
    ("alias_name_fts", "factbase_alias", "name"),
]
# Prefix indexes for one- and two-character prefixes: `a*` is then one list of entries
# instead of the merge of every word that starts with "a" (half the names).
PREFIXES = "prefix='1 2'"
LONGEST_PREFIX = 2  # the longest of PREFIXES
SQLITE_TRIGGER_NAMES = [f"{fts}_{suffix}" for fts, _, _ in SQLITE_FTS for suffix in ("ai", "ad", "au")]

_fts_checked: dict[str, bool] = {}


def fts5_ready(using: str) -> bool:
    """Whether the FTS5 tables exist on this SQLite database (an SQLite built without FTS5
    has none). Checked once per database alias and process."""
    if using not in _fts_checked:
        connection = connections[using]
        try:
            with connection.cursor() as cursor:
                _fts_checked[using] = schema.count_existing(cursor, "table", FTS_TABLES) == len(FTS_TABLES)
        except DatabaseError:
            _fts_checked[using] = False
    return _fts_checked[using]


def forget() -> None:
    """For tests and maintenance that create or drop the full-text tables."""
    # Here, not at the top: claim_text imports this module (`sqlite_names`).
    from factbase.indexes import claim_text

    _fts_checked.clear()
    claim_text.forget()


def sqlite_names(entity_id: str) -> str:
    """SQLite: the name of the entity row `e` and the names of the aliases of the entity whose
    id is `entity_id` (SQL: `e.id`, `c.subject_id`…), as one text: every word the entity is
    matched by, for an index that holds them as one document (the entity facet index, the
    entity word index's tokenizing, a claim's subject in the claim text index)."""
    return (
        "e.name || coalesce(' ' || (SELECT group_concat(a.name, ' ') FROM factbase_alias a "  # noqa: S608 - constants
        f"WHERE a.entity_id = {entity_id}), '')"
    )


def sqlite_alias_triggers(prefix: str, refresh) -> list[tuple[str, str]]:
    """SQLite: the row triggers, (name, definition after the name), by which an index that
    holds an entity's aliases with its name (`sqlite_names`) follows the aliases' writes:
    `refresh(entity_id)` (statements of a trigger body) for the entity an alias is added to,
    renamed on, moved off and onto, or removed from. Named `{prefix}_alias_ai`, `_au`, `_ad`."""
    return [
        (f"{prefix}_alias_ai", f"AFTER INSERT ON factbase_alias BEGIN {refresh('new.entity_id')} END"),
        (
            f"{prefix}_alias_au",
            "AFTER UPDATE OF name, entity_id ON factbase_alias "
            f"BEGIN {refresh('old.entity_id')} {refresh('new.entity_id')} END",
        ),
        (f"{prefix}_alias_ad", f"AFTER DELETE ON factbase_alias BEGIN {refresh('old.entity_id')} END"),
    ]


def _sqlite_triggers(fts: str, table: str, column: str) -> list[str]:
    # Identifiers come from the constants above, never from input.
    delete = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"  # noqa: S608
    insert = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"  # noqa: S608
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN {delete} {insert} END",
    ]


class EntityNames(SQLiteTriggeredIndex):
    name = "entity-names"
    sqlite_table = ENTITY_FTS
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)

    def install(self, connection) -> bool:
        forget()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for name, table, column in PG_GIN:
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('simple'::regconfig, {column}))"
                    )
            return True
        if connection.vendor != "sqlite":
            return False
        with connection.cursor() as cursor:
            try:
                for fts, table, column in SQLITE_FTS:
                    cursor.execute(
                        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table}', "
                        f"content_rowid='id', {PREFIXES})"
                    )
            except DatabaseError:
                return False  # SQLite built without FTS5: search falls back to LIKE
        self.restore(connection, force=True)
        return True

    def restore(self, connection, *, force: bool = False) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if not self.needs_restoring(cursor, force=force):
                return
            for fts, table, column in SQLITE_FTS:
                for statement in _sqlite_triggers(fts, table, column):
                    cursor.execute(statement)
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
        forget()

    def rebuild(self, connection) -> None:
        if connection.vendor != "sqlite":
            return  # an expression index is never stale
        with connection.cursor() as cursor:
            if not schema.table_exists(cursor, ENTITY_FTS):
                return
            for fts, _, _ in SQLITE_FTS:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {"index": [name for name, _, _ in PG_GIN]}
        return {"table": list(FTS_TABLES), "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        forget()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for name, _, _ in PG_GIN:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
                for fts, _, _ in SQLITE_FTS:
                    cursor.execute(f"DROP TABLE IF EXISTS {fts}")


INDEX = EntityNames()
