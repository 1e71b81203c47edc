"""The entity facet index (SQLite): one FTS5 document per entity, keyed by the entity's id,
with the words of its name and of every alias (`names`) and a token of each facet value it
holds (`facets`): its kind, and an event's type and status. For the facets of an entity or
event search of one word (`entities/?facets=kind&q=a`, `events/?facets=type,status&q=a`):
each value's count is a capped count of an intersection of two lists in the index
(search.entity_facet_counts), where the match lists (entity_names.py) were read whole, hashed, and
looked up from every entity or event row.

At a million claims `a` matches 166,219 of the 350,250 entities: the kinds grouped from the
match lists took 87-131 ms, most of it the lists themselves (34 ms to read the names' into a
list, against 8 ms to count them in the index) and a lookup per entity.

- Only a query of one word: a document holds the name and the aliases together, and an
  entity matches a query of several words only when its name or one of its aliases holds
  them all (entity_names.py). A word is one token of the tokenizer (search.WORD: letters and
  digits), which the document holds exactly when the name or an alias does.
- The facet tokens are the claim text index's (claim_text.FACET_MARK): the mark, a letter for
  the column, the value without its underscores (a separator would split it). No query word
  matches one, and the search is asked of the `names` column alone.
- A stored-content table (its text beside the index: a document is rewritten by rowid),
  kept in step by triggers on entities, events and aliases. They read other tables, so they
  live outside migrations, as the claim text index's do: pre_migrate suspends them, and
  post_migrate puts them back and rebuilds (`suspend_for_migrations`).
- An event search of one word that starts from one to eight words of events is counted in
  the event word index first (event_words.py: each value a capped walk of a btree); this
  index counts the rest (`a`, a prefix of thousands of words).
- PostgreSQL: nothing. Its entity search counts the kinds from one bitmap of the name and
  alias GIN indexes (search.listed_matches), and its events have the event name index
  (event_names.py).
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import entity_names, schema
from factbase.indexes.base import SQLiteTriggeredIndex
from factbase.indexes.claim_text import FACET_MARK

FTS = "factbase_entity_facets_fts"
# Its words, one row each (FTS5's fts5vocab): the words a prefix longer than the prefix
# indexes' stands for (`exact_query`).
VOCABULARY = f"{FTS}_vocab"
# The entity name index's: `a*` is one list, not a merge.
PREFIXES, LONGEST_PREFIX = entity_names.PREFIXES, entity_names.LONGEST_PREFIX
SQLITE_COLUMNS = "names, facets"
# The facet columns the `facets` column holds a token of, per model (its table's column) and
# the letter that names each there.
TOKENIZED = {
    "entity": {"kind": "k"},
    "event": {"event_type": "t", "status": "s"},
}


def facet_token(model: str, column: str, value) -> str:
    """The token of `column` of `model` ('entity', 'event') holding `value`."""
    return f"{FACET_MARK}{TOKENIZED[model][column]}{str(value).replace('_', '')}"


def _sql_token(model: str, column: str) -> str:
    """`facet_token` as SQL, of the column of that model's row (`e`, `ev` below)."""
    row = {"entity": "e", "event": "ev"}[model]
    return f"char({ord(FACET_MARK)}) || '{TOKENIZED[model][column]}' || replace({row}.{column}, '_', '')"


# The document of entity `e` (its event `ev`, when it is one) as the row to insert.
_SQLITE_DOCUMENT = (
    f"INSERT INTO {FTS} (rowid, names, facets) "  # noqa: S608 - constants
    "SELECT e.id, "
    f"{entity_names.sqlite_names('e.id')}, "
    f"{_sql_token('entity', 'kind')} || coalesce(' ' || {_sql_token('event', 'event_type')} || ' ' || "
    f"{_sql_token('event', 'status')}, '') "
    "FROM factbase_entity e LEFT JOIN factbase_event ev ON ev.entity_ptr_id = e.id WHERE {where};"
)


def _refresh(entity_id: str) -> str:
    """Statements (for a trigger body) that rewrite one entity's document (none when the
    entity is gone)."""
    return f"DELETE FROM {FTS} WHERE rowid = {entity_id}; " + _SQLITE_DOCUMENT.format(where=f"e.id = {entity_id}")  # noqa: S608


# (trigger name, definition). Names end in the table they watch. An event is inserted after
# its entity row (multi-table inheritance), which has its document already: the event's
# insert writes it again, with its type and status.
SQLITE_TRIGGERS = [
    (f"{FTS}_entity_ai", f"AFTER INSERT ON factbase_entity BEGIN {_refresh('new.id')} END"),
    (f"{FTS}_entity_au", f"AFTER UPDATE OF name, kind ON factbase_entity BEGIN {_refresh('new.id')} END"),
    (f"{FTS}_entity_ad", f"AFTER DELETE ON factbase_entity BEGIN DELETE FROM {FTS} WHERE rowid = old.id; END"),  # noqa: S608
    (f"{FTS}_event_ai", f"AFTER INSERT ON factbase_event BEGIN {_refresh('new.entity_ptr_id')} END"),
    (
        f"{FTS}_event_au",
        f"AFTER UPDATE OF event_type, status ON factbase_event BEGIN {_refresh('new.entity_ptr_id')} END",
    ),
    (f"{FTS}_event_ad", f"AFTER DELETE ON factbase_event BEGIN {_refresh('old.entity_ptr_id')} END"),
    *entity_names.sqlite_alias_triggers(FTS, _refresh),
]
SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

# The matches of a one-word query that hold one facet token, counted no further than a cap
# (format `cap`, the cap + 1); the parameter is `facet_match(query, token)`.
SQLITE_CAPPED_COUNT = f"(SELECT count(*) FROM (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT {{cap}}))"  # noqa: S608


# A prefix longer than the prefix indexes' is asked as the words it starts when they are no
# more than this many (`exact_query`).
EXACT_WORDS = 8


def exact_query(cursor, word: str) -> str | None:
    """The FTS5 expression of the words of the index that `word` starts (a case-folded word
    of letters and digits), each a term of its own, or '' when there are none, for a word
    longer than the prefix indexes' (PREFIXES): the prefix term `"word"*` merges the lists of
    those words into one before it is read, for each count (search.entity_facet_counts); a
    term seeks in its list. At a million claims the 13 event types' counts for `between` took 40 ms with
    the prefix, 7 with the word. None for another word (short, held by the prefix indexes;
    with letters the tokenizer folds, which the vocabulary holds folded; or starting more
    than EXACT_WORDS words)."""
    if len(word) <= LONGEST_PREFIX or not word.isascii():
        return None
    after = word[:-1] + chr(ord(word[-1]) + 1)
    cursor.execute(
        f"SELECT term FROM {VOCABULARY} WHERE term >= %s AND term < %s LIMIT {EXACT_WORDS + 1}",  # noqa: S608
        [word, after],
    )
    found = [term for (term,) in cursor.fetchall()]
    if len(found) > EXACT_WORDS:
        return None
    terms = " OR ".join(f'"{term}"' for term in found)
    return f"({terms})" if found else ""


def facet_match(query: str, token: str) -> str:
    """The FTS5 expression for the documents whose names match `query` (a word as a prefix
    term, search.fts5_query, or as the words it starts, `exact_query`) and whose facets hold
    `token`."""
    return f'names : {query} AND facets : "{token}"'


class EntityFacets(SQLiteTriggeredIndex):
    name = "entity-facets"
    sqlite_table = FTS
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    sqlite_triggers = tuple(SQLITE_TRIGGERS)
    # Its triggers read other tables (module docstring).
    suspend_for_migrations = True

    def install(self, connection) -> bool:
        """Create the table (idempotent), its triggers, and fill it. PostgreSQL has nothing to
        install; False on an SQLite without FTS5."""
        self.forget()
        if connection.vendor != "sqlite":
            return connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            try:
                cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({SQLITE_COLUMNS}, {PREFIXES})")
                cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab({FTS}, row)")
            except DatabaseError:
                return False
        self.restore(connection, force=True)
        return True

    def rebuild(self, connection) -> None:
        """Rewrite every entity's document from the tables."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            if not schema.table_exists(cursor, FTS):
                return
            cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608 - constant
            cursor.execute(_SQLITE_DOCUMENT.format(where="1 = 1"))
            # One b-tree instead of the segments a bulk insert leaves: reads merge less.
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608 - constant

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor != "sqlite":
            return {}
        return {"table": [FTS, VOCABULARY], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        self.forget()
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
            cursor.execute(f"DROP TABLE IF EXISTS {VOCABULARY}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")


INDEX = EntityFacets()
