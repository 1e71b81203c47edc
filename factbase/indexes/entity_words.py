"""The entity word index (both engines): one row per distinct word of each entity's name and
aliases, `factbase_entity_words(lexeme, entity_id, name, kind)`, with the entity's name and
kind beside it, under a btree of `(lexeme, kind, name, entity_id)` (and one of `(lexeme,
kind, entity_id)` for the id order). An entity search of one prefix term
(search.EntityNameMatches) reads its page in name order and its capped count from the btree
alone (an index-only scan), each word the term matches and each kind asked walked in that
order and merged, stopping at the 1,001st entry, and a search's kind facet counts each
kind's walks there, each stopping at the same cap (search.entity_word_counts).

Why: the name and alias GIN indexes (entity_names.py) hand over a word's matches only as a
bitmap of all of them, in no order. A page in name order then read every match's row and
sorted them all: at a million claims `entities/?q=islands` read 12,896 names (18 ms) for a
page of 50 and a count capped at 1,000, where at 10,000 claims it read 156. Here a word's
entries of one kind lie together in name order, so the page and the count read no further
than the cap whatever the word's frequency, for a typed list (a few countries among a
word's 12,896 entities) as for every kind (the four kinds' walks merged).

The words are exactly the GIN indexes' (`to_tsvector('simple', name)` of the entity and of
each alias), so an entity has a row for a word exactly when its name or an alias matches the
word as a tsquery term, and a prefix term matches the entities holding one of the words that
start with it. It is answered here when it matches from one to MERGED_WORDS words
(search.EntityNameMatches: `maria` is maria and mariana). The rows follow the tables
through statement triggers (`PG_TRIGGERS`): an entity's rows are written again
(`factbase_entity_words_refresh`) whenever its name or kind changes or an alias of it is
written, and removed with it. Two entities merged are an alias moved and an
entity deleted: both rewrite the rows they touch.

Letter rows: beside its words, an entity has a row for the first letter of each (`*a`:
LETTER, then the letter), so that a query of one letter, which starts more words than the
walks merge, is one walk of its letter's rows (search.entity_words_of), its matches walked
(`entities/?q=a`, more than search.MANY_MATCHES) or read whole (`x`). Such a walked search
is read here too, as is `entities/` filtered to one kind (search.indexed_search): at a
million claims the PostgreSQL walk of `people/?q=a` tested each person's name in name order
(30 ms, 5 here), and the kind facet of `entities/?q=a` read 166,000 matches from the GIN
indexes and grouped them (83 ms, 6 here).

The cost: about nine rows an entity (3.1 million at a million claims, 1.4 million of them
letter rows: on PostgreSQL 688 MB with the btrees, 385 MB without the letters), and every
write of a name or an alias rewrites its entity's rows (a few index entries each).

SQLite: the same table and btrees (the first its primary key, a WITHOUT ROWID table), kept
by row triggers on the same writes. SQLite has no tokenizer to call from SQL, so the words
are FTS5's own: a trigger writes the entity's name and aliases as one document into a
contentless FTS5 table (`SQLITE_SCRATCH`, the tokenizer the entity name index uses), reads
its words back from its fts5vocab table, and empties it. The words are then exactly what
FTS5 matches a prefix term against in the name and alias indexes (case and diacritics
folded). A query is answered here when it is one word that starts from one to MERGED_WORDS
of them; a word holding a letter FTS5 folds starts none, and keeps the FTS5 reads. The
triggers read other
tables, so they live outside migrations (`suspend_for_migrations`), as the entity facet
index's do.
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import entity_names, schema
from factbase.indexes.base import BothEnginesTable, SQLiteTriggeredIndex

TABLE = "factbase_entity_words"
PG_INDEX = "entity_words_key"
PG_ENTITY_INDEX = "entity_words_entity"
# The name as the entity table holds it (the database's collation, so that the btree's order
# is the entity list's), the word in code point order (a prefix term's range: search.py).
COLUMNS = 'lexeme text COLLATE "C" NOT NULL, entity_id bigint NOT NULL, name text NOT NULL, kind text NOT NULL'
PG_CREATE_INDEX = f"CREATE UNIQUE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} (lexeme, kind, name, entity_id)"
# An entity's rows found by its id, for the triggers that rewrite them.
PG_CREATE_ENTITY_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_ENTITY_INDEX} ON {TABLE} (entity_id)"
# A word's entries of one kind in id order, for a list ordered by id.
PG_ID_INDEX = "entity_words_id"
PG_CREATE_ID_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_ID_INDEX} ON {TABLE} (lexeme, kind, entity_id)"


def pg_words_of(where: str, columns: str = "e.id, e.name, e.kind", joined: str = "") -> str:
    """SQL: (lexeme, `columns`) for each distinct word of the name and aliases of each entity
    `e` (with `joined`, " JOIN …" another table's row of it) that `where` selects: the words of
    this index and of the event word index (event_words.py)."""
    return (
        f"SELECT word.lexeme, {columns} FROM factbase_entity e{joined} CROSS JOIN LATERAL ("  # noqa: S608 - constants
        "SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) "
        "UNION SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, a.name))) "
        f"FROM factbase_alias a WHERE a.entity_id = e.id) AS word(lexeme) WHERE {where}"
    )


def pg_function(table: str, event: str, body: str) -> str:
    """A trigger function of a word table (this one, event_words.py) named for `event`
    ("entity_insert"…) whose body is `body`."""
    return f"""CREATE OR REPLACE FUNCTION {table}_on_{event}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {body};
  RETURN NULL;
END $$"""


def pg_refreshed(table: str, ids: str) -> str:
    """A trigger's body: the rows of a word table's entities whose ids `ids` selects (a
    query of the transition tables) written again (its `_refresh` function)."""
    return f"PERFORM {table}_refresh(ARRAY({ids}))"


def pg_alias_functions(table: str, fill: str) -> list[str]:
    """A word table's trigger functions on the aliases: the rows of the entities an alias is
    added to, renamed or moved between, or removed from, written again; every row (`fill`)
    when the aliases are truncated."""
    return [
        pg_function(table, "alias_insert", pg_refreshed(table, "SELECT entity_id FROM new_rows")),
        # An alias renamed or moved: the entities it was on and is on.
        pg_function(
            table,
            "alias_update",
            pg_refreshed(
                table,
                "SELECT moved.entity_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
                "CROSS JOIN LATERAL (VALUES (o.entity_id), (n.entity_id)) AS moved(entity_id) "
                "WHERE n.name IS DISTINCT FROM o.name OR n.entity_id IS DISTINCT FROM o.entity_id",
            ),
        ),
        pg_function(table, "alias_delete", pg_refreshed(table, "SELECT entity_id FROM old_rows")),
        pg_function(table, "alias_truncate", f"TRUNCATE {table};\n  {fill}"),
    ]


# The prefix term of a query of one (the parameter: search.pg_tsquery's text) as PostgreSQL
# parses it, or NULL for a query of several terms, or a term holding a quote or backslash.
# Folded to a constant when the statement is planned, so that `lexeme ^@` it is a range of
# the C-collated words in the btree.
PG_QUERY_PREFIX = "substring(to_tsquery('simple'::regconfig, %s)::text FROM '^''([^''\\\\]+)'':\\*$')"

# Beside its words, an entity has a row for the first letter of each (LETTER before it: no
# word holds it, as both tokenizers split on it, and no prefix's range of words reaches it):
# a query of one letter, which starts more words than the walks merge (`a`), is one walk of
# its letter's rows (search.entity_words_of). The event word index has them too.
LETTER = "*"


def pg_with_letters(words: str, columns: str) -> str:
    """PostgreSQL: the rows `words` selects (`columns`, the word first), and beside each the
    row of the word's first letter (LETTER before it)."""
    rest = columns.split(", ", 1)[1]
    return (
        f"WITH w ({columns}) AS ({words}) SELECT * FROM w "  # noqa: S608 - constants
        f"UNION SELECT '{LETTER}' || left(lexeme, 1), {rest} FROM w"
    )


def sqlite_with_letters(words: str, doc: str = "") -> str:
    """SQLite: a subquery `w` of the words `words` selects (its first column `term`, then
    `doc` when given), and of the first letter of each (LETTER before it)."""
    more = f", {doc}" if doc else ""
    return f"({words} UNION SELECT '{LETTER}' || substr(term, 1, 1){more} FROM ({words})) w"  # noqa: S608 - constants


def letter_statements(table: str) -> tuple[str, str]:
    """The statements that read a word table's (this one, event_words.py) row word of a query
    of one letter, when one of its rows has a word starting with it (SQLite: the parameter is
    LETTER and the letter; PostgreSQL: the query's tsquery text): exactly the rows the query
    matches as a prefix term."""
    return (
        f"SELECT lexeme FROM {table} WHERE lexeme = %s LIMIT 1",  # noqa: S608 - constants
        f"SELECT lexeme FROM {table} WHERE lexeme = '{LETTER}' || {PG_QUERY_PREFIX} LIMIT 1",  # noqa: S608
    )


SQLITE_LETTER, PG_LETTER = letter_statements(TABLE)


_PG_COLUMNS_LISTED = "lexeme, entity_id, name, kind"
# Every word of every entity and their letters (a rebuild, and an alias table truncated).
PG_FILL = f"INSERT INTO {TABLE} ({_PG_COLUMNS_LISTED}) {pg_with_letters(pg_words_of('TRUE'), _PG_COLUMNS_LISTED)}"  # noqa: S608

# The entities whose rows a trigger writes again: the ids are the transition tables', found
# once, and the rows those entities' words as the tables now stand (none for one deleted).
PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION factbase_entity_words_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {TABLE} WHERE entity_id = ANY(ids);
  INSERT INTO {TABLE} ({_PG_COLUMNS_LISTED}) {pg_with_letters(pg_words_of("e.id = ANY(ids)"), _PG_COLUMNS_LISTED)};
$$""",  # noqa: S608 - constants
    pg_function(TABLE, "entity_insert", pg_refreshed(TABLE, "SELECT id FROM new_rows")),
    pg_function(
        TABLE,
        "entity_update",
        pg_refreshed(
            TABLE,
            "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
            "WHERE n.name IS DISTINCT FROM o.name OR n.kind IS DISTINCT FROM o.kind",
        ),
    ),
    pg_function(TABLE, "entity_delete", pg_refreshed(TABLE, "SELECT id FROM old_rows")),
    pg_function(TABLE, "entity_truncate", f"TRUNCATE {TABLE}"),
    *pg_alias_functions(TABLE, PG_FILL),
]
PG_FUNCTION_SIGNATURES = [
    "factbase_entity_words_refresh(bigint[])",
    *(
        f"factbase_entity_words_on_{table}_{event}()"
        for table in ("entity", "alias")
        for event in ("insert", "update", "delete", "truncate")
    ),
]


def pg_trigger(table: str, watched: str, event: str) -> tuple[str, str, str]:
    """(name, table, definition) of a word table's statement trigger on `watched` (one of
    factbase_entity, factbase_alias, factbase_event) for `event` (insert, update, delete,
    truncate), which calls its function (`pg_function`) for the same."""
    model = watched.removeprefix("factbase_")
    transition = {
        "insert": " REFERENCING NEW TABLE AS new_rows",
        "update": " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": " REFERENCING OLD TABLE AS old_rows",
        "truncate": "",
    }[event]
    return (
        f"{table}_{model}_{event}",
        watched,
        f"AFTER {event.upper()} ON {watched}{transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_on_{model}_{event}()",
    )


PG_TRIGGERS = [
    pg_trigger(TABLE, watched, event)
    for watched in ("factbase_entity", "factbase_alias")
    for event in ("insert", "update", "delete", "truncate")
]


# The words of this table that a query of one prefix term matches, in order, at most as many
# as the last parameter (the first two: the query's tsquery text, twice): from one to the
# next by a probe of the btree each, however many entries each word has.
def pg_prefix_words(table: str) -> str:
    """PostgreSQL: the statement that reads the words of a word table (this one,
    event_words.py) that a query of one prefix term matches (`PG_PREFIX_WORDS`)."""
    return (
        "WITH RECURSIVE found(lexeme) AS ("  # noqa: S608 - constants
        f"SELECT (SELECT min(lexeme) FROM {table} WHERE lexeme ^@ {PG_QUERY_PREFIX}) "
        f"UNION ALL SELECT (SELECT min(w.lexeme) FROM {table} w WHERE w.lexeme > found.lexeme AND w.lexeme ^@ {PG_QUERY_PREFIX}) "
        "FROM found WHERE found.lexeme IS NOT NULL) "
        "SELECT lexeme FROM found WHERE lexeme IS NOT NULL LIMIT %s"
    )


PG_PREFIX_WORDS = pg_prefix_words(TABLE)
# A prefix of more words than this is read from the name and alias GIN indexes: each word of
# each kind is one walk of the btree in the list's order, merged.
MERGED_WORDS = 8
# The entities of one kind one of whose words is the first parameter (the kind the second),
# with their name and kind, ordered as `order` says (format; ORDER BY terms of id, name and
# kind): one walk of the btree, merged with the other words' and kinds'
# (search.EntityNameMatches), stopped at the window's end (format `limit`): no walk gives the
# merge more than that. Without it the planner costed a walk of a letter's 99,000 events as
# reading all of them, and chose a bitmap of them and a sort: `entities/?q=a` took 70 ms for
# a page at a million claims, against 2.
PG_WORD_MATCHES = f"(SELECT entity_id AS id, name, kind FROM {TABLE} WHERE lexeme = %s AND kind = %s ORDER BY {{order}} LIMIT {{limit}})"  # noqa: S608
# SQLite: the table, its key the main btree's columns (the rows are the btree: WITHOUT ROWID).
SQLITE_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (lexeme TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, "
    "entity_id INTEGER NOT NULL, PRIMARY KEY (lexeme, kind, name, entity_id)) WITHOUT ROWID"
)
SQLITE_INDEXES = (
    (PG_ID_INDEX, f"CREATE INDEX IF NOT EXISTS {PG_ID_INDEX} ON {TABLE} (lexeme, kind, entity_id)"),
    (PG_ENTITY_INDEX, f"CREATE INDEX IF NOT EXISTS {PG_ENTITY_INDEX} ON {TABLE} (entity_id)"),
)


def scratch_tables(table: str) -> tuple[str, str, tuple[str, str]]:
    """A word table's contentless FTS5 table, its fts5vocab table, and the statements that
    create them (the entity name index's tokenizer, the default): what its triggers write an
    entity's names into, read the words of, and empty (`empty_scratch`)."""
    scratch = f"{table}_scratch"
    words = f"{scratch}_vocab"
    return (
        scratch,
        words,
        (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {scratch} USING fts5(names, content='')",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {words} USING fts5vocab({scratch}, row)",
        ),
    )


def empty_scratch(scratch: str) -> str:
    """The statement that empties a contentless FTS5 table."""
    return f"INSERT INTO {scratch} ({scratch}) VALUES ('delete-all')"  # noqa: S608 - constants


# A contentless FTS5 table that a trigger writes one entity's names into and empties again,
# and its words (fts5vocab): FTS5's tokenizer, which SQL cannot call otherwise. The entity
# name index's tokenizer (the default), so that the words are the ones it matches.
SQLITE_SCRATCH, SQLITE_SCRATCH_WORDS, SQLITE_CREATE_SCRATCH = scratch_tables(TABLE)
# A rebuild's temporary fts5vocab tables of the entity name index's FTS5 tables (every word
# of every document, with the document's rowid), and the statement that reads them.
SQLITE_INSTANCES = (
    ("factbase_entity_words_names", "factbase_entity_fts"),
    ("factbase_entity_words_aliases", "factbase_alias_fts"),
)
SQLITE_FILL = (
    f"INSERT INTO {TABLE} (lexeme, kind, name, entity_id) "  # noqa: S608 - constants
    "SELECT w.term, e.kind, e.name, e.id FROM "
    + sqlite_with_letters(
        "SELECT term, doc FROM temp.factbase_entity_words_names "
        "UNION SELECT v.term, a.entity_id FROM temp.factbase_entity_words_aliases v "
        "JOIN factbase_alias a ON a.id = v.doc",
        "doc",
    )
    + " JOIN factbase_entity e ON e.id = w.doc"
)
_SQLITE_EMPTY_SCRATCH = empty_scratch(SQLITE_SCRATCH)
# The names of the entities `e` that `where` selects (format), one document each.
_SQLITE_DOCUMENTS = (
    f"INSERT INTO {SQLITE_SCRATCH} (rowid, names) SELECT e.id, {entity_names.sqlite_names('e.id')} "  # noqa: S608
    "FROM factbase_entity e WHERE {where}"
)


def _sqlite_refresh(entity_id: str) -> str:
    """Statements (for a trigger body) that write the rows of the entity whose id is
    `entity_id` (`new.id`…) again from the tables: none for an entity gone."""
    delete = f"DELETE FROM {TABLE} WHERE entity_id = {entity_id}"  # noqa: S608 - constants
    document = _SQLITE_DOCUMENTS.format(where=f"e.id = {entity_id}")
    insert = (
        f"INSERT INTO {TABLE} (lexeme, kind, name, entity_id) SELECT w.term, e.kind, e.name, e.id "  # noqa: S608
        f"FROM {sqlite_with_letters(f'SELECT term FROM {SQLITE_SCRATCH_WORDS}')} "  # noqa: S608 - constants
        f"JOIN factbase_entity e ON e.id = {entity_id}"
    )
    return f"{delete}; {document}; {insert}; {_SQLITE_EMPTY_SCRATCH};"


# (name, definition after the name): the writes PG_TRIGGERS watch, row by row.
SQLITE_TRIGGERS = (
    (f"{TABLE}_entity_ai", f"AFTER INSERT ON factbase_entity BEGIN {_sqlite_refresh('new.id')} END"),
    (f"{TABLE}_entity_au", f"AFTER UPDATE OF name, kind ON factbase_entity BEGIN {_sqlite_refresh('new.id')} END"),
    (f"{TABLE}_entity_ad", f"AFTER DELETE ON factbase_entity BEGIN DELETE FROM {TABLE} WHERE entity_id = old.id; END"),  # noqa: S608
    *entity_names.sqlite_alias_triggers(TABLE, _sqlite_refresh),
)
SQLITE_TRIGGER_NAMES = tuple(name for name, _ in SQLITE_TRIGGERS)


def sqlite_prefix_words(table: str) -> str:
    """SQLite: the statement that reads the words of a word table (this one, event_words.py)
    from the first parameter up to the second (a prefix's range), in order, at most as many
    as the third: from one to the next by a seek each."""
    return (
        "WITH RECURSIVE found(lexeme) AS ("  # noqa: S608 - constants
        f"SELECT (SELECT lexeme FROM {table} WHERE lexeme >= %s AND lexeme < %s ORDER BY lexeme LIMIT 1) "
        f"UNION ALL SELECT (SELECT w.lexeme FROM {table} w WHERE w.lexeme > found.lexeme AND w.lexeme < %s "
        "ORDER BY w.lexeme LIMIT 1) FROM found WHERE found.lexeme IS NOT NULL) "
        "SELECT lexeme FROM found WHERE lexeme IS NOT NULL LIMIT %s"
    )


# SQLite: the words of this table (`sqlite_prefix_words`).
SQLITE_PREFIX_WORDS = sqlite_prefix_words(TABLE)
# SQLite: the entries of one word (a letter's row word: search._many_entities), counted no
# further than the second parameter.
SQLITE_CAPPED_ENTRIES = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE lexeme = %s LIMIT %s)"  # noqa: S608
# SQLite: one word's entities of one kind, as PG_WORD_MATCHES; the walks are merged by a
# compound SELECT's ORDER BY (SQLite merges sorted arms), UNION keeping an entity once.
SQLITE_WORD_MATCHES = f"SELECT entity_id AS id, name, kind FROM {TABLE} WHERE lexeme = %s AND kind = %s"  # noqa: S608


class SQLiteWordTable(SQLiteTriggeredIndex):
    """SQLite's verbs of a word table (this index, event_words.py): a table and its btrees,
    kept by row triggers that tokenize through a contentless FTS5 table of its own
    (`scratch_tables`), and refilled from the entity name index's FTS5 tables (temporary
    fts5vocab tables of their instances, SQLITE_INSTANCES, which `sqlite_fill` reads) with its
    btrees built after the rows."""

    sqlite_create: str = ""
    #: (name, CREATE INDEX) of each btree beside the table's own.
    sqlite_indexes: tuple[tuple[str, str], ...] = ()
    #: (scratch table, its fts5vocab table, their CREATE statements): `scratch_tables`.
    sqlite_scratch: tuple[str, str, tuple[str, str]] = ("", "", ("", ""))
    sqlite_fill: str = ""
    # Its triggers read other tables: suspended for SQLite's table rebuilds.
    suspend_for_migrations = True

    def sqlite_install(self, connection) -> bool:
        """Create the table, its btrees and the scratch tables (idempotent), then the
        triggers, and fill it; False on an SQLite without FTS5."""
        self.forget()
        with connection.cursor() as cursor:
            try:
                for statement in self.sqlite_scratch[2]:
                    cursor.execute(statement)
            except DatabaseError:
                return False
            cursor.execute(self.sqlite_create)
            for _, create in self.sqlite_indexes:
                cursor.execute(create)
        self.restore(connection, force=True)
        return True

    def sqlite_rebuild(self, connection) -> None:
        """The words read from the entity name index's FTS5 tables, which hold them already
        (temporary fts5vocab tables of their instances: each word with its document's rowid,
        an entity's or an alias's). At a million claims 4 s for the entity word index, where
        writing every entity's names into the scratch table again took 19. The name index is
        rebuilt before the word tables (indexes.ALL)."""
        with connection.cursor() as cursor:
            if not schema.table_exists(cursor, self.sqlite_table):
                return
            for name, _ in self.sqlite_indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute(f"DELETE FROM {self.sqlite_table}")  # noqa: S608 - constant
            cursor.execute(empty_scratch(self.sqlite_scratch[0]))
            for vocabulary, fts in SQLITE_INSTANCES:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocabulary} USING fts5vocab(main, {fts}, instance)"
                )
            cursor.execute(self.sqlite_fill)
            for vocabulary, _ in SQLITE_INSTANCES:
                cursor.execute(f"DROP TABLE temp.{vocabulary}")
            for _, create in self.sqlite_indexes:
                cursor.execute(create)
            cursor.execute(f"ANALYZE {self.sqlite_table}")

    def sqlite_schema_objects(self) -> dict[str, list[str]]:
        return {
            "table": [self.sqlite_table, *self.sqlite_scratch[:2]],
            "index": [name for name, _ in self.sqlite_indexes],
            "trigger": list(self.sqlite_trigger_names),
        }

    def sqlite_uninstall(self, connection) -> None:
        self.forget()
        with connection.cursor() as cursor:
            schema.drop_triggers(cursor, self.sqlite_trigger_names)
            for table in (self.sqlite_scratch[1], self.sqlite_scratch[0], self.sqlite_table):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


class EntityWords(BothEnginesTable, SQLiteWordTable):
    """The table on PostgreSQL (PostgresTable: statement triggers) and on SQLite
    (SQLiteWordTable: row triggers that tokenize through `SQLITE_SCRATCH`). Each verb is
    PostgresTable's on PostgreSQL and SQLiteWordTable's on SQLite."""

    name = "entity-words"
    table = TABLE
    columns = COLUMNS
    pg_index = PG_INDEX
    create_index = PG_CREATE_INDEX
    more_indexes = ((PG_ENTITY_INDEX, PG_CREATE_ENTITY_INDEX), (PG_ID_INDEX, PG_CREATE_ID_INDEX))
    functions = tuple(PG_FUNCTIONS)
    function_signatures = tuple(PG_FUNCTION_SIGNATURES)
    pg_triggers = tuple(PG_TRIGGERS)
    fill = PG_FILL
    sqlite_table = TABLE
    sqlite_triggers = SQLITE_TRIGGERS
    sqlite_trigger_names = SQLITE_TRIGGER_NAMES
    sqlite_create = SQLITE_CREATE
    sqlite_indexes = SQLITE_INDEXES
    sqlite_scratch = (SQLITE_SCRATCH, SQLITE_SCRATCH_WORDS, SQLITE_CREATE_SCRATCH)
    sqlite_fill = SQLITE_FILL


INDEX = EntityWords()
ready = INDEX.ready
forget = INDEX.forget
