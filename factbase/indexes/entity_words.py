"""The entity word index (PostgreSQL): one row per distinct word of each entity's name and
aliases, `factbase_entity_words(lexeme, entity_id, name, kind)`, with the entity's name and
kind beside it, under a btree of `(lexeme, name, entity_id)` that includes the kind. An
entity search of one word (search.EntityNameMatches) reads its page in name order and its
capped count from the btree alone (an index-only scan), stopping at the 1,001st entry, and
a search's kind facet groups the word's entries there.

Why: the name and alias GIN indexes (entity_names.py) hand over a word's matches only as a
bitmap of all of them, in no order. A page in name order then read every match's row and
sorted them all: at a million claims `entities/?q=islands` read 12,896 names (18 ms) for a
page of 50 and a count capped at 1,000, where at 10,000 claims it read a hundred. Here a
word's entries lie together in name order, so the page and the count read no further than
the cap whatever the word's frequency.

The words are exactly the GIN indexes' (`to_tsvector('simple', name)` of the entity and of
each alias), so an entity has a row for a word exactly when its name or an alias matches the
word as a tsquery term. A prefix term is answered here only when it matches one word of the
table (search.EntityNameMatches). The rows follow the tables through statement triggers
(`PG_TRIGGERS`): an entity's rows are written again whenever its name or kind changes or an
alias of it is written, and removed with it. Two entities merged are an alias moved and an
entity deleted: both rewrite the rows they touch.

The cost: about three rows an entity (1.1 million at a million claims), and every write of
a name or an alias rewrites its entity's rows (a few index entries).

SQLite: nothing (install does nothing and checks nothing): FTS5 holds the words and hands a
word's matches back in id order (entity_names.py).
"""

from __future__ import annotations

from factbase.indexes.base import PostgresTable

TABLE = "factbase_entity_words"
PG_INDEX = "entity_words_name"
PG_ENTITY_INDEX = "entity_words_entity"
# The name as the entity table holds it (the database's collation, so that the btree's order
# is the entity list's), the word in code point order (a prefix term's range: search.py).
COLUMNS = 'lexeme text COLLATE "C" NOT NULL, entity_id bigint NOT NULL, name text NOT NULL, kind text NOT NULL'
PG_CREATE_INDEX = f"CREATE UNIQUE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} (lexeme, name, entity_id) INCLUDE (kind)"
# An entity's rows found by its id, for the triggers that rewrite them.
PG_CREATE_ENTITY_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_ENTITY_INDEX} ON {TABLE} (entity_id)"


def _words_of(where: str) -> str:
    """SQL: (lexeme, entity_id, name, kind) for each distinct word of the name and aliases of
    each entity `e` that `where` selects."""
    return (
        "SELECT word.lexeme, e.id, e.name, e.kind FROM factbase_entity e CROSS JOIN LATERAL ("  # noqa: S608 - constants
        "SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) "
        "UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) "
        f"FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE {where}"
    )


def _rewritten(entity_ids: str) -> str:
    """SQL statements: the rows of the entities whose ids `entity_ids` selects (a subquery)
    written again from the tables as they now stand (none for an entity deleted)."""
    return (
        f"DELETE FROM {TABLE} WHERE entity_id IN ({entity_ids});\n"  # noqa: S608 - constants
        f"  INSERT INTO {TABLE} (lexeme, entity_id, name, kind) {_words_of(f'e.id IN ({entity_ids})')}"
    )


def _function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {body};
  RETURN NULL;
END $$"""


# Every word of every entity (a rebuild, and an alias table truncated).
PG_FILL = f"INSERT INTO {TABLE} (lexeme, entity_id, name, kind) {_words_of('TRUE')}"  # noqa: S608 - constants

PG_FUNCTIONS = [
    _function("factbase_entity_words_on_entity_insert", _rewritten("SELECT id FROM new_rows")),
    _function(
        "factbase_entity_words_on_entity_update",
        _rewritten(
            "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
            "WHERE n.name IS DISTINCT FROM o.name OR n.kind IS DISTINCT FROM o.kind"
        ),
    ),
    _function(
        "factbase_entity_words_on_entity_delete",
        f"DELETE FROM {TABLE} WHERE entity_id IN (SELECT id FROM old_rows)",  # noqa: S608 - constants
    ),
    _function("factbase_entity_words_on_entity_truncate", f"TRUNCATE {TABLE}"),
    _function("factbase_entity_words_on_alias_insert", _rewritten("SELECT entity_id FROM new_rows")),
    _function(
        "factbase_entity_words_on_alias_update",
        _rewritten(
            "SELECT o.entity_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
            "WHERE n.name IS DISTINCT FROM o.name OR n.entity_id IS DISTINCT FROM o.entity_id "
            "UNION SELECT n.entity_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
            "WHERE n.name IS DISTINCT FROM o.name OR n.entity_id IS DISTINCT FROM o.entity_id"
        ),
    ),
    _function("factbase_entity_words_on_alias_delete", _rewritten("SELECT entity_id FROM old_rows")),
    _function("factbase_entity_words_on_alias_truncate", f"TRUNCATE {TABLE};\n  {PG_FILL}"),
]
PG_FUNCTION_SIGNATURES = [
    f"factbase_entity_words_on_{table}_{event}()"
    for table in ("entity", "alias")
    for event in ("insert", "update", "delete", "truncate")
]


def _trigger(table: str, event: str) -> tuple[str, str, str]:
    model = "entity" if table == "factbase_entity" else "alias"
    transition = {
        "insert": " REFERENCING NEW TABLE AS new_rows",
        "update": " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": " REFERENCING OLD TABLE AS old_rows",
        "truncate": "",
    }[event]
    return (
        f"factbase_entity_words_{model}_{event}",
        table,
        f"AFTER {event.upper()} ON {table}{transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION factbase_entity_words_on_{model}_{event}()",
    )


PG_TRIGGERS = [
    _trigger(table, event)
    for table in ("factbase_entity", "factbase_alias")
    for event in ("insert", "update", "delete", "truncate")
]

# The one word of this table that a query of one prefix term matches, when it matches one
# (the parameter: the query's tsquery text, as search.pg_tsquery writes it): the first and
# the last word that start with the term, each one probe of the btree (`^@` with the
# constant the query folds to is a range of the C-collated words). NULL for a query that
# PostgreSQL does not parse into one prefix term, or whose term holds a quote or backslash.
PG_ONE_WORD = (
    f"SELECT (SELECT min(lexeme) FROM {TABLE} WHERE lexeme ^@ term.prefix), "  # noqa: S608 - constants
    f"(SELECT max(lexeme) FROM {TABLE} WHERE lexeme ^@ term.prefix) "
    "FROM (SELECT substring(to_tsquery('simple'::regconfig, %s)::text FROM '^''([^''\\\\]+)'':\\*$') AS prefix) term"
)
# The entities one of whose words is the parameter, with their name and kind, as
# entity_names.PG_NAMED_MATCHES selects them (search.EntityNameMatches orders and slices
# either the same way).
PG_NAMED_MATCHES = f"SELECT entity_id AS id, name, kind FROM {TABLE} WHERE lexeme = %s"  # noqa: S608 - constants
# How many of them are of each kind.
PG_KINDS = f"SELECT kind, count(*) FROM {TABLE} WHERE lexeme = %s GROUP BY kind"  # noqa: S608 - constants


class EntityWords(PostgresTable):
    name = "entity-words"
    table = TABLE
    columns = COLUMNS
    pg_index = PG_INDEX
    create_index = PG_CREATE_INDEX
    more_indexes = ((PG_ENTITY_INDEX, PG_CREATE_ENTITY_INDEX),)
    functions = tuple(PG_FUNCTIONS)
    function_signatures = tuple(PG_FUNCTION_SIGNATURES)
    pg_triggers = tuple(PG_TRIGGERS)
    fill = PG_FILL


INDEX = EntityWords()
ready = INDEX.ready
forget = INDEX.forget
