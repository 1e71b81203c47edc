"""The event word index (both engines): one row per distinct word of each event's name and
aliases, with what an event search reads beside the match, on SQLite
`factbase_event_words(lexeme, event_id, date_key, name, event_type, status)`, a WITHOUT
ROWID table keyed by `(lexeme, event_id)`
(the rows are that btree: a word's events in id order), with btrees of `(lexeme, date_key,
name, event_id)`, the events list's own order within a word, of `(lexeme, event_type,
event_id)` and `(lexeme, status, event_id)` for the facets, and of `event_id` for the
triggers. The key is the short one: each secondary btree of a WITHOUT ROWID table holds the
key's columns beside its own, and with the list's order as the key (the name in it) the four
secondary btrees took 375 MB at a million claims.

Why: an event search of a common word on SQLite walked the events in date order and looked
each one up in the word's match lists, read whole from the entity name index first (FTS5
hands a word's matches over as one list): at a million claims `events/?q=between` read
every entity matching `between*` for a page of 50. Here a word's events lie together in the
list's order, so a page and its capped count stop at the 1,001st entry of the word (each word
a prefix stands for walked, merged), and each facet value is a walk of its own btree stopping
at the same cap (search.EventWordRows), however many events the word has. On PostgreSQL
the facets of a word read every match from the event name index's GIN bitmap and grouped
them (`between`, 116,331 events: 49 ms for `events/?facets=type,status&q=between`, 12 here).

- `date_key` is the event's first date (`date_lower`, ISO text as SQLite holds it) or, for an
  undated event, DATE_UNKNOWN, which sorts after every date: the list's `date_lower ASC NULLS
  LAST`. That order (Event's Meta ordering) and the id's are read here (ORDERS); any other
  `ordering=` is read as before.
- The words are the entity word index's (entity_words.py): FTS5's tokenizer, through a
  contentless scratch table of its own (`SCRATCH`), so exactly the words the name and alias
  indexes match a prefix term against (case and diacritics folded). A query of one word that starts from one to
  entity_words.MERGED_WORDS of them is answered here.
- Row triggers rewrite an event's rows when the event is inserted (after its entity row:
  multi-table inheritance) or changes date, type or status, when its entity row is renamed,
  and when an alias of it is added, renamed, moved or removed; the event's delete removes
  them (an event's entity row is deleted with it). Each trigger tokenizes on its own and
  leaves the scratch table empty, so they need not run in any order with the entity word
  index's. They read other tables, so they live outside migrations
  (`suspend_for_migrations`).
- A rebuild reads the words from the entity name index's own FTS5 tables (as the entity word
  index's does), the btrees built after the rows.
- PostgreSQL: the same table and btrees (`PG_COLUMNS`: the date a date, NULL for an undated
  event, which an ascending btree puts last; the word in code point order; a unique btree
  of the key beside the table), its words the entity word index's (`to_tsvector('simple')`
  of the name and of each alias: exactly what a prefix term matches in the name and alias
  GIN indexes), kept by statement triggers over transition tables on the event, entity and
  alias tables, each rewriting the rows of the events whose date, type, status, name or
  aliases changed (`factbase_event_words_refresh`). A query PostgreSQL parses into one
  prefix term matching from one to MERGED_WORDS words is read here: each word's walk is
  stopped at the window's end or the cap in the statement itself (PG_WORD_EVENTS), the walks
  merged (Merge Append) and each event kept once (DISTINCT ON). Any other search reads the
  event name index (event_names.py).
- Letter rows: beside its words, an event has a row for the first letter of each (`*a`:
  entity_words.LETTER, then the letter), so that a query of one letter, which starts more words than
  the walks merge (`a`), is one walk of its letter's rows (search._letter_of), on both
  engines. They nearly double the table: at a million claims 2,302,533 rows on PostgreSQL
  (748 MB with its btrees, 419 without the letters; rebuilt in 17 s) and 2,298,040 on
  SQLite (536 MB, 290 without; rebuilt in 20 s).
"""

from __future__ import annotations

from factbase.indexes import entity_names, entity_words
from factbase.indexes.base import BothEnginesTable

TABLE = "factbase_event_words"
# An undated event's date_key: after every ISO date ('9999-12-31' included), as the list puts
# undated events last.
DATE_UNKNOWN = "~"
# The primary key's btree, as SQLite names that of a PRIMARY KEY table constraint.
PRIMARY_KEY = f"sqlite_autoindex_{TABLE}_1"
SQLITE_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (lexeme TEXT NOT NULL, event_id INTEGER NOT NULL, "
    "date_key TEXT NOT NULL, name TEXT NOT NULL, event_type TEXT NOT NULL, status TEXT NOT NULL, "
    "PRIMARY KEY (lexeme, event_id)) WITHOUT ROWID"
)
# The list's order within a word (covering: a WITHOUT ROWID table's secondary btree holds the
# key's columns, here all its own).
LIST_ORDER = "event_words_order"
# The facet columns, each with a btree of a word's events holding one value, in id order.
FACETED = {"event_type": "event_words_type", "status": "event_words_status"}


def narrowed(fixed: tuple[tuple[str, object], ...]) -> str:
    """The conditions (SQL after a walk's own, each value a parameter) that narrow a walk to
    the events holding each (column of FACETED, value) of `fixed`: a search narrowed by a
    type or a status (`events/?q=a&type=meeting`)."""
    return "".join(f" AND {column} = %s" for column, _ in fixed if column in FACETED)


SQLITE_INDEXES = (
    (LIST_ORDER, f"CREATE INDEX IF NOT EXISTS {LIST_ORDER} ON {TABLE} (lexeme, date_key, name, event_id)"),
    *(
        (index, f"CREATE INDEX IF NOT EXISTS {index} ON {TABLE} (lexeme, {column}, event_id)")
        for column, index in FACETED.items()
    ),
    ("event_words_event", f"CREATE INDEX IF NOT EXISTS event_words_event ON {TABLE} (event_id)"),
)
# Beside its words, each event has a row for the first letter of each (entity_words.LETTER
# before it), as each entity has in the entity word index: a query of one letter is one walk
# of those rows (search._letter_of), where it starts too many words to merge (`events/?q=a`:
# more than MERGED_WORDS).
SQLITE_LETTER, PG_LETTER = entity_words.letter_statements(TABLE)
# Its own contentless FTS5 table with the name index's tokenizer, and its words (fts5vocab),
# as the entity word index has: each index stands without the other.
SCRATCH, SCRATCH_WORDS, SQLITE_CREATE_SCRATCH = entity_words.scratch_tables(TABLE)
_EMPTY_SCRATCH = entity_words.empty_scratch(SCRATCH)
# The row of the event `ev` (its entity `e`) beside a word `term` (format `source`: the words).
_ROWS = (
    f"INSERT INTO {TABLE} (lexeme, date_key, name, event_id, event_type, status) "  # noqa: S608 - constants
    f"SELECT w.term, coalesce(ev.date_lower, '{DATE_UNKNOWN}'), e.name, e.id, ev.event_type, ev.status "
    "FROM {source} JOIN factbase_entity e ON e.id = {entity} JOIN factbase_event ev ON ev.entity_ptr_id = e.id"
)


def _refresh(event_id: str) -> str:
    """Statements (for a trigger body) that write the rows of the event whose id is `event_id`
    (`new.entity_ptr_id`…) again from the tables: none for an entity that is no event, or gone."""
    delete = f"DELETE FROM {TABLE} WHERE event_id = {event_id}"  # noqa: S608 - constants
    document = (
        f"INSERT INTO {SCRATCH} (rowid, names) SELECT e.id, {entity_names.sqlite_names('e.id')} "  # noqa: S608
        f"FROM factbase_entity e JOIN factbase_event ev ON ev.entity_ptr_id = e.id WHERE e.id = {event_id}"
    )
    rows = _ROWS.format(source=entity_words.sqlite_with_letters(f"SELECT term FROM {SCRATCH_WORDS}"), entity=event_id)  # noqa: S608
    return f"{delete}; {document}; {rows}; {_EMPTY_SCRATCH};"


# (name, definition after the name). A write to an entity or an alias that is no event's
# rewrites nothing: `_refresh` joins the event (no WHEN clause: at a million claims an alias
# of a person took 1.22 ms with one and 1.28 without, within the noise).
SQLITE_TRIGGERS = (
    (f"{TABLE}_event_ai", f"AFTER INSERT ON factbase_event BEGIN {_refresh('new.entity_ptr_id')} END"),
    (
        f"{TABLE}_event_au",
        f"AFTER UPDATE OF date_lower, event_type, status ON factbase_event BEGIN {_refresh('new.entity_ptr_id')} END",
    ),
    (
        f"{TABLE}_event_ad",
        f"AFTER DELETE ON factbase_event BEGIN DELETE FROM {TABLE} WHERE event_id = old.entity_ptr_id; END",  # noqa: S608
    ),
    (f"{TABLE}_entity_au", f"AFTER UPDATE OF name ON factbase_entity BEGIN {_refresh('new.id')} END"),
    *entity_names.sqlite_alias_triggers(TABLE, _refresh),
)
SQLITE_TRIGGER_NAMES = tuple(name for name, _ in SQLITE_TRIGGERS)

# A rebuild: every word of every event's name and aliases, from temporary fts5vocab tables of
# the entity name index's FTS5 tables (entity_words.SQLITE_INSTANCES, the same names).
SQLITE_FILL = _ROWS.format(
    source=entity_words.sqlite_with_letters(
        "SELECT v.term, v.doc FROM temp.factbase_entity_words_names v "
        "JOIN factbase_event x ON x.entity_ptr_id = v.doc "
        "UNION SELECT v.term, a.entity_id FROM temp.factbase_entity_words_aliases v "
        "JOIN factbase_alias a ON a.id = v.doc JOIN factbase_event x ON x.entity_ptr_id = a.entity_id",
        "doc",
    ),
    entity="w.doc",
)

# The words of this table from the first parameter up to the second (a prefix's range), in
# order, at most as many as the third: from one to the next by a seek each.
SQLITE_PREFIX_WORDS = entity_words.sqlite_prefix_words(TABLE)
# One word's events (format `columns`: the ids first, and `index`: the btree that walks them),
# merged with the other words' in one of ORDERS by a compound SELECT's ORDER BY
# (search.EventWordRows). Format `narrowed`: the list's filters on FACETED columns (` AND
# event_type = %s`…, `narrowed`), each entry of the walk tested against them; the same in
# each statement below.
SQLITE_WORD_EVENTS = f"SELECT {{columns}} FROM {TABLE} {{index}} WHERE lexeme = %s{{narrowed}}"  # noqa: S608
# The orders of the events list read here, as search._ordered_columns writes a queryset's
# order in the event name index's columns (event_names.ORDERED), each with the btree its walks
# read (named, so that no statistics, or stale ones, can send a walk to another btree and a
# sort of every entry: NOT INDEXED did not keep SQLite 3.40 off the secondary btrees of a
# WITHOUT ROWID table), the columns they select (those the merge orders by, and so compares
# to keep an event once) and their ORDER BY: the list's own (Event's Meta ordering) along
# LIST_ORDER, and the id either way along the primary key. Any other `ordering=` is read as
# before.
ORDERS = {
    ("date_lower ASC NULLS LAST", "name ASC", "event_id ASC"): (
        f"INDEXED BY {LIST_ORDER}",
        "event_id, date_key, name",
        "date_key, name, event_id",
    ),
    ("event_id ASC",): (f"INDEXED BY {PRIMARY_KEY}", "event_id", "event_id"),
    ("event_id DESC",): (f"INDEXED BY {PRIMARY_KEY}", "event_id", "event_id DESC"),
}
# The entries of some words (format `words`: their placeholders), counted no further than
# the last parameter: an event holding two of them counts twice.
SQLITE_CAPPED_ENTRIES = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE lexeme IN ({{words}}) LIMIT %s)"  # noqa: S608
# One word's events holding one value of a facet column (format `column`), in id order: its
# btree (FACETED), which SQLite chose under every statistics tried (tests).
SQLITE_WORD_VALUE_EVENTS = f"SELECT event_id FROM {TABLE} WHERE lexeme = %s AND {{column}} = %s{{narrowed}}"  # noqa: S608


# PostgreSQL: the same table, its date a date (NULL for an undated event: an ascending btree
# puts NULLs last, as the list does), the word in code point order (a prefix term's range,
# as entity_words.py has it), the name as the entity table holds it (the list's collation).
PG_COLUMNS = (
    'lexeme text COLLATE "C" NOT NULL, event_id bigint NOT NULL, date_lower date, name text NOT NULL, '
    "event_type text NOT NULL, status text NOT NULL"
)
PG_KEY = "event_words_key"
PG_CREATE_KEY = f"CREATE UNIQUE INDEX IF NOT EXISTS {PG_KEY} ON {TABLE} (lexeme, event_id)"
PG_INDEXES = (
    (LIST_ORDER, f"CREATE INDEX IF NOT EXISTS {LIST_ORDER} ON {TABLE} (lexeme, date_lower, name, event_id)"),
    *SQLITE_INDEXES[1:],
)
# (lexeme, event_id, date_lower, name, event_type, status) of each word of each event `e`
# (its event row `ev`) that `where` selects: the entity word index's words.
_PG_COLUMNS_LISTED = "lexeme, event_id, date_lower, name, event_type, status"


def _pg_words(where: str) -> str:
    """The rows of each word of the events `where` selects, and of each word's first letter
    (entity_words.pg_with_letters)."""
    words = entity_words.pg_words_of(
        where,
        columns="ev.entity_ptr_id, ev.date_lower, e.name, ev.event_type, ev.status",
        joined=" JOIN factbase_event ev ON ev.entity_ptr_id = e.id",
    )
    return entity_words.pg_with_letters(words, _PG_COLUMNS_LISTED)


# Every word of every event, a word's rows together in the heap (as its walks read them).
PG_FILL = f"INSERT INTO {TABLE} ({_PG_COLUMNS_LISTED}) {_pg_words('TRUE')} ORDER BY 1, 2"  # noqa: S608 - constants
# The events whose rows a trigger writes again (the ids the transition tables', found once),
# their rows those events' words as the tables now stand: none for an event deleted, nor for
# an entity that is no event.
PG_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {TABLE} WHERE event_id = ANY(ids);
  INSERT INTO {TABLE} ({_PG_COLUMNS_LISTED}) {_pg_words("e.id = ANY(ids)")};
$$""",  # noqa: S608 - constants
    entity_words.pg_function(
        TABLE, "event_insert", entity_words.pg_refreshed(TABLE, "SELECT entity_ptr_id FROM new_rows")
    ),
    entity_words.pg_function(
        TABLE,
        "event_update",
        entity_words.pg_refreshed(
            TABLE,
            "SELECT n.entity_ptr_id FROM new_rows n JOIN old_rows o ON o.entity_ptr_id = n.entity_ptr_id "
            "WHERE n.date_lower IS DISTINCT FROM o.date_lower OR n.event_type IS DISTINCT FROM o.event_type "
            "OR n.status IS DISTINCT FROM o.status",
        ),
    ),
    entity_words.pg_function(
        TABLE, "event_delete", entity_words.pg_refreshed(TABLE, "SELECT entity_ptr_id FROM old_rows")
    ),
    entity_words.pg_function(TABLE, "event_truncate", f"TRUNCATE {TABLE}"),
    # An event's name is on its entity row (another entity's rewrites nothing: the refresh joins
    # the event).
    entity_words.pg_function(
        TABLE,
        "entity_update",
        entity_words.pg_refreshed(
            TABLE,
            "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name",
        ),
    ),
    *entity_words.pg_alias_functions(TABLE, PG_FILL),
)
PG_WATCHED = {
    "factbase_event": ("insert", "update", "delete", "truncate"),
    "factbase_entity": ("update",),
    "factbase_alias": ("insert", "update", "delete", "truncate"),
}
PG_TRIGGERS = tuple(
    entity_words.pg_trigger(TABLE, watched, event) for watched, events in PG_WATCHED.items() for event in events
)
PG_FUNCTION_SIGNATURES = (
    f"{TABLE}_refresh(bigint[])",
    *(
        f"{TABLE}_on_{watched.removeprefix('factbase_')}_{event}()"
        for watched, events in PG_WATCHED.items()
        for event in events
    ),
)
# The words of this table that a query of one prefix term matches (entity_words.py's).
PG_PREFIX_WORDS = entity_words.pg_prefix_words(TABLE)
# The orders of ORDERS as PostgreSQL walks them: each word's events, the columns selected (the
# ids first, then those the merge orders by), in that order (its ORDER BY) from a btree of the
# index, merged and each event kept once (DISTINCT ON the order's columns, as the merged walks
# come: search.EventWordRows).
PG_ORDERS = {
    ("date_lower ASC NULLS LAST", "name ASC", "event_id ASC"): (
        "event_id, date_lower, name",
        "date_lower ASC NULLS LAST, name ASC, event_id ASC",
    ),
    ("event_id ASC",): ("event_id", "event_id ASC"),
    ("event_id DESC",): ("event_id", "event_id DESC"),
}
# One word's events (format `columns`, `order`), one walk of a btree, stopped at the window's
# end (format `limit`): no word gives the merge more than that. Without the LIMIT the planner
# costed the walk as reading all the word's entries, each with a heap fetch (a new table's
# visibility map is empty until VACUUM), and chose a bitmap of them all and a sort:
# `between` (116,331 entries at a million claims) took 50 ms for a page, against 2.4.
PG_WORD_EVENTS = f"(SELECT {{columns}} FROM {TABLE} WHERE lexeme = %s{{narrowed}} ORDER BY {{order}} LIMIT {{limit}})"  # noqa: S608
# One word's events narrowed to a type or a status (format `narrowed`), in no order: read
# whole from that value's btree, then sorted (search.EventWordRows, NARROWED_SORTED).
PG_NARROWED_EVENTS = f"(SELECT {{columns}} FROM {TABLE} WHERE lexeme = %s{{narrowed}} ORDER BY event_id)"  # noqa: S608
# The entries of some words (format `words`: their placeholders) narrowed to a type or a
# status (format `narrowed`), counted no further than the last parameter.
NARROWED_ENTRIES = (
    f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE lexeme IN ({{words}}){{narrowed}} LIMIT %s) found"  # noqa: S608
)
# One word's events holding one value of a facet column (format `column`), in id order,
# stopped at the cap (format `limit`), for the same reason.
PG_WORD_VALUE_EVENTS = f"(SELECT event_id FROM {TABLE} WHERE lexeme = %s AND {{column}} = %s{{narrowed}} ORDER BY event_id LIMIT {{limit}})"  # noqa: S608


class EventWords(BothEnginesTable, entity_words.SQLiteWordTable):
    """Both engines: each verb is PostgresTable's on PostgreSQL (statement triggers), and
    SQLiteWordTable's on SQLite (row triggers that tokenize through `SCRATCH`)."""

    name = "event-words"
    table = TABLE
    columns = PG_COLUMNS
    pg_index = PG_KEY
    create_index = PG_CREATE_KEY
    more_indexes = PG_INDEXES
    functions = PG_FUNCTIONS
    function_signatures = PG_FUNCTION_SIGNATURES
    pg_triggers = PG_TRIGGERS
    fill = PG_FILL
    sqlite_table = TABLE
    sqlite_triggers = SQLITE_TRIGGERS
    sqlite_trigger_names = SQLITE_TRIGGER_NAMES
    sqlite_create = SQLITE_CREATE
    sqlite_indexes = SQLITE_INDEXES
    sqlite_scratch = (SCRATCH, SCRATCH_WORDS, SQLITE_CREATE_SCRATCH)
    sqlite_fill = SQLITE_FILL


INDEX = EventWords()
ready = INDEX.ready
forget = INDEX.forget
