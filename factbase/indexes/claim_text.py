"""The claim text index: one full-text document per claim, keyed by the claim's id, holding
everything `claims/?q=` searches: the quotes of its spans, its literal value, and its
subject's name and aliases.

Why one document per claim rather than an index per source column: a search answers with
claims in id order, a page at a time. With separate indexes (span quotes, values, names)
the database must collect every matching span, map it to its claim and merge the lists
before it can return the first 50 claims: at a million claims, a common word meant 20,000
ids gathered per request. Keyed by claim id, the index hands back claim ids directly, in
id order, and the page stops after 51. It also lets the words of a query fall in different
parts of a claim ("lavrov submarines": a claim by Lavrov whose quote mentions submarines).

- SQLite: an FTS5 table `factbase_claim_text_fts(quotes, value, subject, facets)`, rowid =
  claim id. `facets` holds one token per facet column (`TOKENIZED`: `facet_token`), so that
  the matches of a query that hold some facet values are an intersection of lists in the
  index (`facets_match`), read without a claim row: the facets of a search (api/facets.py)
  walk only the matches that hold the values left to count. No query word can match those
  tokens (`FACET_MARK`).
- PostgreSQL: a table `factbase_claim_text(claim_id, <REPEATED>, document tsvector)` with a
  GIN index. It repeats the claim's status, its facet columns and its fact (`REPEATED`), so
  that what a search asks of its matches besides their ids is read from this table alone,
  without looking up each matching claim's row: the capped count of a search (how many
  published claims match, up to 1,001: `PG_CAPPED`) or its few matches' ids, the facets of
  a search's matches (search.TextRows, api/facets.py) and the facts they state
  (`PG_FACT_IDS`, facts/?q=; or the facts walked in id order, each asked for a match
  through a btree of the rows by fact, `PG_FACT_INDEX`).
  A change of a repeated column alone rewrites those columns, not the document. Beside it,
  `factbase_claim_text_values(facet, lexeme)` (`VALUES_TABLE`): for each facet value (its
  `value_token`), the words of the documents of the claims that have held it. Written with
  the documents and never pruned (a claim deleted or changed leaves its pairs behind until
  the index is rebuilt), it is a superset: a value that no word of a query's has beside it
  is held by no claim that matches, whatever the table's age (search.TextRows.absent). The
  facets of a search prove so the values no match holds (12 of the 16 predicates for `with`
  at a million claims) without reading every match's row.

Both are kept in step by triggers on claims, spans, entities (renames) and aliases. On
SQLite those triggers read other tables, and SQLite refuses to rename a table while a
trigger elsewhere names a table that is missing, which is exactly how Django's SQLite
schema editor alters a table (copy, drop, rename). So on SQLite the triggers live outside
migrations: pre_migrate suspends them when migrations are about to run and post_migrate
restores them and rebuilds the index from the tables (`suspend_for_migrations`).
"""

from __future__ import annotations

from django.db import DatabaseError

from factbase.indexes import entity_names, schema
from factbase.indexes.base import Index

FTS = "factbase_claim_text_fts"  # SQLite
TABLE = "factbase_claim_text"  # PostgreSQL
PG_INDEX = "claim_text_document"
# Its GIN index writes each entry as the row is written, not into a pending list
# (`fastupdate`, on by default) flushed by VACUUM or when it holds 4 MB. Every search reads
# the pending list whole, and the planner counts its pages as the index's cost: at a million
# claims, after 3,000 claims written (114 pages), `with that` was read by a scan of the whole
# table instead of the index, 14.7 → 206 ms. A claim's document written costs 0.1-0.4 ms more.
PG_GIN_OPTIONS = "fastupdate = off"
PG_CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin (document) WITH ({PG_GIN_OPTIONS})"
# Its rows in fact order, with their status: a walk of the facts in id order asks each for a
# matching claim of one status (search.TextRows.of_fact) from this table alone, the claim
# rows never read. At a million claims the capped count of `facts/?q=ministry with` walked
# 39,462 claims through the claims' fact index, each one's text row looked up by claim id
# (62 ms); in this index, 21,834 text rows (14-16 ms).
PG_FACT_INDEX = "claim_text_fact"
PG_CREATE_FACT_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_FACT_INDEX} ON {TABLE} (fact_id, status)"
# SQLite: prefix indexes for one- and two-character prefixes. Without them `a*` merges the
# lists of every word that starts with "a" before the first id comes back (0.6 s at a
# million claims); with them it is one list, read in id order (a few ms for a page). They
# make the table about 2.7 times as large (60 MB to 160 MB at a million claims).
PREFIXES = "prefix='1 2'"
LONGEST_PREFIX = 2  # the longest of PREFIXES
SQLITE_COLUMNS = "quotes, value, subject, facets"

# The SQL that selects claim ids whose document matches a query (the parameter is
# search.fts5_query(q) on SQLite, search.pg_tsquery(q) on PostgreSQL, factbase/indexes/search.py).
SQLITE_MATCH = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608 - constants
# SQLite: whether one claim (format `column`, its id) matches; FTS5 seeks its rowid in the lists.
SQLITE_PROBE = f"EXISTS (SELECT 1 FROM {FTS} WHERE {FTS}.rowid = {{column}} AND {FTS} MATCH %s)"  # noqa: S608
# SQLite: the claim columns a search's facets read of each match, in an index of their own led
# by the claim id (a covering index): the walks of a search's matches (api/facets.py) look
# each match up there (search.covered) instead of in the claim table, whose rows are wide.
# At a million claims the first walk of `conference` (20,000 matches) took 49 ms reading the
# claim rows and 43 ms reading this index (58 MB). Not a model index: PostgreSQL reads a
# search's facets from its claim facet index (claim_facets.py). Created by `restore` after
# every migration, since SQLite's table rebuilds drop what the model does not declare.
SQLITE_COVER = "claim_text_facet_columns"
SQLITE_COVER_COLUMNS = ("id", "status", "predicate_id", "subject_kind", "attribution", "modality", "polarity")
SQLITE_CREATE_COVER = f"CREATE INDEX IF NOT EXISTS {SQLITE_COVER} ON factbase_claim ({', '.join(SQLITE_COVER_COLUMNS)})"
# SQLite: the claim columns the `facets` column holds a token of, each with the letter that
# names it there. Not the status: a publication would then rewrite the claim's document, and
# an anonymous client's search fixes the status.
TOKENIZED = {"predicate_id": "p", "subject_kind": "k", "attribution": "a", "modality": "m", "polarity": "o"}
# Starts every facet token: a private-use character, which FTS5's tokenizer keeps in a token
# and which no word of a query holds (search.WORD finds letters and digits only), so that no
# query word, not even a one-letter prefix, matches a facet token.
FACET_MARK = "\ue000"


def facet_token(column: str, value) -> str:
    """The token of `column` holding `value` in the `facets` column: the mark, the column's
    letter, the value (letters and digits: a separator would split the token). Short, since
    the table stores the column's text too: with the columns' names the tokens made the
    table 218 MB larger at a million claims, and 149 MB so."""
    return f"{FACET_MARK}{TOKENIZED[column]}{value}"


def facets_match(pairs) -> str:
    """An FTS5 expression matching the documents that hold any of the (column, value) `pairs`,
    each column one of TOKENIZED."""
    return " OR ".join(f'"{facet_token(column, value)}"' for column, value in pairs)


# SQLite: an FTS5 expression matching the documents of the claims of the predicate whose slug is
# the parameter (a MATCH's right side): its token, or for a slug that no predicate has, the
# column's letter alone, which no document holds.
SQLITE_PREDICATE_OF_SLUG = (
    f"'\"' || char({ord(FACET_MARK)}) || '{TOKENIZED['predicate_id']}' || "  # noqa: S608 - constants
    "COALESCE((SELECT id FROM factbase_predicate WHERE slug = %s), '') || '\"'"
)
PG_MATCH = f"SELECT claim_id FROM {TABLE} WHERE document @@ to_tsquery('simple'::regconfig, %s)"  # noqa: S608
# PostgreSQL: the claim columns the text table repeats (module docstring), with their types there.
REPEATED = {
    "status": "text NOT NULL",
    "subject_kind": "text NOT NULL",
    "attribution": "text NOT NULL",
    "modality": "text NOT NULL",
    "polarity": "text NOT NULL",
    "predicate_id": "bigint NOT NULL",
    "fact_id": "bigint",
}
# PostgreSQL: the facet values the values table keys (module docstring), each with the letter
# that names its column there: SQLite's facet tokens' letters, and the status.
VALUE_LETTERS = {**TOKENIZED, "status": "s"}
VALUES_TABLE = "factbase_claim_text_values"  # PostgreSQL
VALUES_INDEX = "claim_text_values_facet"
# Its rows: no key, so that two writers adding the same pair never wait on each other (a
# pair twice costs nothing); the word in byte order ("C"), so that the words with a prefix
# are one range of the index, as a prefix term reads them (`word_range`).
VALUES_COLUMNS = 'facet text NOT NULL, lexeme text COLLATE "C" NOT NULL'
# The pairs of the given claims' documents that the table lacks: each word with each distinct
# set of values first, then with each value of the set. Paired claim by claim, a rename of the
# entity with the most claims at a million (28,644 claims, 4.3 million pairs to sort) took
# 5.7-7.5 s against 1.2 s before the table; grouped first, 1 s more (the pairs alone: 4.0 s
# against 1.0).
_VALUE_TOKENS = ", ".join(f"('{letter}' || p.{column})" for column, letter in VALUE_LETTERS.items())
_PG_VALUES_ADD = (
    f"INSERT INTO {VALUES_TABLE} (facet, lexeme) "  # noqa: S608 - constants
    "SELECT DISTINCT f.facet, p.lexeme FROM ("
    f"SELECT DISTINCT {', '.join(f't.{column}' for column in VALUE_LETTERS)}, l.lexeme "
    f"FROM {TABLE} t CROSS JOIN LATERAL unnest(tsvector_to_array(t.document)) AS l(lexeme) "
    "WHERE t.claim_id = ANY(ids)) AS p "
    f"CROSS JOIN LATERAL (VALUES {_VALUE_TOKENS}) AS f(facet) "
    f"WHERE NOT EXISTS (SELECT 1 FROM {VALUES_TABLE} v WHERE v.facet = f.facet AND v.lexeme = p.lexeme)"
)
# PostgreSQL: of the facet tokens (first parameter, an array), those that some word range
# (the second and third, arrays of each range's first word and the first word after it) has
# no word of beside them: no claim whose document has a word in every range holds them.
PG_VALUES_ABSENT = (
    "SELECT f.facet FROM unnest(%s::text[]) AS f(facet) WHERE EXISTS ("  # noqa: S608 - constants
    "SELECT 1 FROM unnest(%s::text[], %s::text[]) AS w(low, high) WHERE NOT EXISTS ("
    f"SELECT 1 FROM {VALUES_TABLE} v WHERE v.facet = f.facet AND v.lexeme >= w.low AND v.lexeme < w.high))"
)


def value_token(column: str, value) -> str:
    """The values table's name of `column` holding `value` (PostgreSQL): its letter, the value."""
    return f"{VALUE_LETTERS[column]}{value}"


def word_range(prefix: str) -> tuple[str, str] | None:
    """The words a prefix term matches, as a range in code point order: from the prefix to the
    prefix with its last character's successor (every word in it starts with the prefix): the
    next code point that UTF-8 can hold, past the surrogates. None for a prefix ending in the
    last code point, which has none."""
    if not prefix or ord(prefix[-1]) >= 0x10FFFF:
        return None
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return prefix, prefix[:-1] + chr(following)


# PostgreSQL: the facts of the claims that match a query, of any status or (with `status`
# formatted to " AND status = %s") of one; the parameters are the query and the status.
PG_FACT_IDS = (
    f"SELECT fact_id FROM {TABLE} WHERE document @@ {{query}}"  # noqa: S608
    "{status} AND fact_id IS NOT NULL"
)
# PostgreSQL: the words of each word range (the first parameter and the second, arrays of each
# range's first word and the first word after it) that the values table pairs with one of the
# facet tokens of the third (every status's: each word of a document is paired with its claim's
# status), at most `limit` + 1 a range (format `limit`): (the range's position from 1, a word).
PG_VALUES_WORDS = (
    "SELECT w.n, v.lexeme FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS w(low, high, n) "  # noqa: S608
    "CROSS JOIN LATERAL (SELECT DISTINCT v.lexeme FROM unnest(%s::text[]) AS f(facet) "
    f"JOIN {VALUES_TABLE} v ON v.facet = f.facet AND v.lexeme >= w.low AND v.lexeme < w.high "
    "LIMIT {limit}) v"
)
# PostgreSQL: the claims that match, up to a cap (format `cap`), in no order, of any status
# or (with `status` formatted to " AND status = %s", and any other equalities: search._equalities)
# of one, as `select` says: their count (`count(*)`) or their ids (`claim_id`). Read from this
# table (format `table` TABLE) or from the claim facet index, whose narrow rows hold the same
# matches (claim_facets.py); format `matched` with the condition that keeps them: the document
# and the query (`PG_MATCHED`), or the facet index's letters (claim_facets.letters_held). The
# parameters are the condition's, then the values.
PG_CAPPED = "SELECT {select} FROM (SELECT claim_id FROM {table} WHERE {matched}{status} LIMIT {cap}) found"
# The condition of PG_CAPPED on a document (format `document`: "document", or the claim facet
# index's DOCUMENT) and the query (format `query`: to_tsquery's text, or a tsquery's own for
# `::tsquery`); the parameter is the query.
PG_MATCHED = "{document} @@ {query}"
# PostgreSQL: a window of the claims that match in id order (format `direction` "" or
# " DESC"), of any status or (format `status` " AND status = %s", and any other equalities:
# search._equalities) of one; the parameters are to_tsquery's text, the values, the window's
# size and its offset.
PG_PAGE = (
    f"SELECT claim_id FROM {TABLE} WHERE document @@ to_tsquery('simple'::regconfig, %s)"  # noqa: S608
    "{status} ORDER BY claim_id{direction} LIMIT %s OFFSET %s"
)
PG_QUERY_TEXT = "to_tsquery('simple'::regconfig, %s)"
PG_QUERY_EXACT = "%s::tsquery"

# --- SQLite ---------------------------------------------------------------------------------

# The facet tokens of claim `c` (facet_token), as SQL.
_SQLITE_FACETS = " || ' ' || ".join(
    f"char({ord(FACET_MARK)}) || '{letter}' || c.{column}" for column, letter in TOKENIZED.items()
)
_SQLITE_DOCUMENT = (
    f"INSERT INTO {FTS} (rowid, quotes, value, subject, facets) "  # noqa: S608 - constants
    "SELECT c.id, "
    "(SELECT group_concat(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id), "
    "c.value, "
    f"{entity_names.sqlite_names('c.subject_id')} "
    f", {_SQLITE_FACETS} "
    "FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id WHERE {where};"
)


def _sqlite_refresh_claim(claim_id: str) -> str:
    """Statements (for a trigger body) that rewrite the document of one claim."""
    return f"DELETE FROM {FTS} WHERE rowid = {claim_id}; " + _SQLITE_DOCUMENT.format(where=f"c.id = {claim_id}")  # noqa: S608


def _sqlite_refresh_subject(entity_id: str) -> str:
    """Statements that rewrite the documents of every claim about one entity."""
    where = f"c.subject_id = {entity_id}"
    return (
        f"DELETE FROM {FTS} WHERE rowid IN (SELECT c.id FROM factbase_claim c WHERE {where}); "  # noqa: S608
        + _SQLITE_DOCUMENT.format(where=where)
    )


# (trigger name, definition). Names end in the table they watch.
SQLITE_TRIGGERS = [
    (f"{FTS}_claim_ai", f"AFTER INSERT ON factbase_claim BEGIN {_sqlite_refresh_claim('new.id')} END"),
    (
        f"{FTS}_claim_au",
        f"AFTER UPDATE OF value, subject_id, {', '.join(TOKENIZED)} ON factbase_claim "
        f"BEGIN {_sqlite_refresh_claim('new.id')} END",
    ),
    (f"{FTS}_claim_ad", f"AFTER DELETE ON factbase_claim BEGIN DELETE FROM {FTS} WHERE rowid = old.id; END"),  # noqa: S608
    (f"{FTS}_span_ai", f"AFTER INSERT ON factbase_sourcespan BEGIN {_sqlite_refresh_claim('new.claim_id')} END"),
    (
        f"{FTS}_span_au",
        "AFTER UPDATE OF exact, claim_id ON factbase_sourcespan BEGIN "
        f"{_sqlite_refresh_claim('old.claim_id')} {_sqlite_refresh_claim('new.claim_id')} END",
    ),
    (f"{FTS}_span_ad", f"AFTER DELETE ON factbase_sourcespan BEGIN {_sqlite_refresh_claim('old.claim_id')} END"),
    (
        f"{FTS}_entity_au",
        f"AFTER UPDATE OF name ON factbase_entity BEGIN {_sqlite_refresh_subject('new.id')} END",
    ),
    *entity_names.sqlite_alias_triggers(FTS, _sqlite_refresh_subject),
]

SQLITE_TRIGGER_NAMES = [name for name, _ in SQLITE_TRIGGERS]

# --- PostgreSQL -----------------------------------------------------------------------------

# A transaction-local setting under which the insert triggers of claims and spans (here and in
# claim_dates.py) leave their work to the writer, who refreshes the new claims once per batch
# (factbase/indexes/new_claims.py). Any other writer, or the same one outside the batch, is indexed row by row.
NEW_CLAIMS_SETTING = "factbase.new_claims"
NEW_CLAIMS_HELD = f"current_setting('{NEW_CLAIMS_SETTING}', true) = 'on'"

_REPEATED_LIST = ", ".join(REPEATED)
_REPEATED_OF_C = ", ".join(f"c.{column}" for column in REPEATED)
_REPEATED_SET = ", ".join(f"{column} = NEW.{column}" for column in REPEATED)

_TOKENIZED_OF = {row: ", ".join(f"{row}.{column}" for column in VALUE_LETTERS) for row in ("NEW", "OLD")}

PG_FUNCTIONS = [
    # Adds the pairs of the given claims' documents to the values table (module docstring).
    f"""CREATE OR REPLACE FUNCTION factbase_claim_text_values_add(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  {_PG_VALUES_ADD};
$$""",
    # Rewrites the documents of the given claims (a claim that no longer exists loses its row).
    f"""CREATE OR REPLACE FUNCTION factbase_claim_text_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {TABLE} WHERE claim_id = ANY(ids);
  INSERT INTO {TABLE} (claim_id, {_REPEATED_LIST}, document)
  SELECT c.id, {_REPEATED_OF_C}, to_tsvector('simple'::regconfig, concat_ws(' ',
      (SELECT string_agg(s.exact, ' ') FROM factbase_sourcespan s WHERE s.claim_id = c.id),
      c.value, e.name,
      (SELECT string_agg(a.name, ' ') FROM factbase_alias a WHERE a.entity_id = c.subject_id)))
  FROM factbase_claim c JOIN factbase_entity e ON e.id = c.subject_id
  WHERE c.id = ANY(ids);
  SELECT factbase_claim_text_values_add(ids);
$$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_text_on_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND {NEW_CLAIMS_HELD} THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.id]);
  ELSIF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value AND NEW.subject_id = OLD.subject_id THEN
    -- Only repeated columns changed (a status, a regrouping's fact): the document stands.
    UPDATE {TABLE} SET {_REPEATED_SET} WHERE claim_id = NEW.id;
    IF NOT FOUND THEN
      PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
    ELSIF ({_TOKENIZED_OF["NEW"]}) IS DISTINCT FROM ({_TOKENIZED_OF["OLD"]}) THEN
      PERFORM factbase_claim_text_values_add(ARRAY[NEW.id]);
    END IF;
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_text_on_span() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND {NEW_CLAIMS_HELD} THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[NEW.claim_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id]);
  ELSE
    PERFORM factbase_claim_text_refresh(ARRAY[OLD.claim_id, NEW.claim_id]);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION factbase_claim_text_on_names() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  entities bigint[];
BEGIN
  IF TG_TABLE_NAME = 'factbase_entity' THEN
    entities := ARRAY[NEW.id];
  ELSIF TG_OP = 'INSERT' THEN
    entities := ARRAY[NEW.entity_id];
  ELSIF TG_OP = 'DELETE' THEN
    entities := ARRAY[OLD.entity_id];
  ELSE
    entities := ARRAY[OLD.entity_id, NEW.entity_id];
  END IF;
  PERFORM factbase_claim_text_refresh(ARRAY(SELECT id FROM factbase_claim WHERE subject_id = ANY(entities)));
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_claim_text_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {TABLE}, {VALUES_TABLE};
  RETURN NULL;
END $$""",
]
PG_TRIGGERS = [
    (
        "factbase_claim_text_claim",
        "factbase_claim",
        f"AFTER INSERT OR DELETE OR UPDATE OF value, subject_id, {_REPEATED_LIST} ON factbase_claim "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_claim()",
    ),
    (
        "factbase_claim_text_truncate",
        "factbase_claim",
        "AFTER TRUNCATE ON factbase_claim FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_text_on_truncate()",
    ),
    (
        "factbase_claim_text_span",
        "factbase_sourcespan",
        "AFTER INSERT OR DELETE OR UPDATE OF exact, claim_id ON factbase_sourcespan "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_span()",
    ),
    (
        "factbase_claim_text_entity",
        "factbase_entity",
        "AFTER UPDATE OF name ON factbase_entity FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_names()",
    ),
    (
        "factbase_claim_text_alias",
        "factbase_alias",
        "AFTER INSERT OR DELETE OR UPDATE OF name, entity_id ON factbase_alias "
        "FOR EACH ROW EXECUTE FUNCTION factbase_claim_text_on_names()",
    ),
]

_ready: dict[str, bool] = {}
_covered: dict[str, bool] = {}


def _checked(cache: dict[str, bool], connection, exists) -> bool:
    """`exists(cursor)` for `connection`, asked once per alias and process and kept in
    `cache`; False when the database cannot answer."""
    if connection.alias not in cache:
        try:
            with connection.cursor() as cursor:
                cache[connection.alias] = bool(exists(cursor))
        except DatabaseError:
            cache[connection.alias] = False
    return cache[connection.alias]


def ready(connection) -> bool:
    """Whether the index exists on this database (checked once per alias and process)."""
    if connection.vendor == "sqlite":
        return _checked(_ready, connection, lambda cursor: schema.table_exists(cursor, FTS))
    if connection.vendor == "postgresql":
        return _checked(_ready, connection, lambda cursor: TABLE in connection.introspection.table_names(cursor))
    return False


def cover_ready(connection) -> bool:
    """SQLite: whether the covering index of the facet columns (SQLITE_COVER) exists on this
    database (checked once per alias and process)."""
    if connection.vendor != "sqlite":
        return False
    return _checked(_covered, connection, lambda cursor: not schema.sqlite_missing(cursor, "index", [SQLITE_COVER]))


def forget() -> None:
    _ready.clear()
    _covered.clear()


PG_FUNCTION_NAMES = [
    "factbase_claim_text_values_add",
    "factbase_claim_text_refresh",
    "factbase_claim_text_on_claim",
    "factbase_claim_text_on_span",
    "factbase_claim_text_on_names",
    "factbase_claim_text_on_truncate",
]


# The importer's batch of new claims (factbase/indexes/new_claims.py): the triggers that rewrite
# a claim's document when the claim or one of its spans is inserted, suspended around the
# batch, and the statements that write the batch's documents once instead. A claim changed
# within the batch (its facet columns: the update trigger stays) already has a document,
# which is written again.
SQLITE_NEW_CLAIMS = [
    (
        (f"{FTS}_claim_ai", f"{FTS}_span_ai"),
        lambda chunks: [
            statement
            for chunk in chunks
            for statement in (
                f"DELETE FROM {FTS} WHERE rowid IN ({chunk})",  # noqa: S608 - ids
                _SQLITE_DOCUMENT.format(where=f"c.id IN ({chunk})"),
            )
        ],
    )
]


class ClaimText(Index):
    name = "claim-text"
    # Suspended before migrations on SQLite and during bulk loads on both engines; `restore`
    # puts the triggers back and rebuilds.
    sqlite_trigger_names = tuple(SQLITE_TRIGGER_NAMES)
    pg_triggers = tuple(PG_TRIGGERS)
    # Its SQLite triggers read other tables (module docstring).
    suspend_for_migrations = True

    def install(self, connection) -> bool:
        """Create the index (idempotent). On PostgreSQL also its triggers, and fill it; on
        SQLite the triggers and the filling come from `restore`, after the migrations
        (module docstring). Returns False where the database cannot have it (SQLite without
        FTS5)."""
        forget()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                repeated = ", ".join(f"{column} {kind}" for column, kind in REPEATED.items())
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {TABLE} "
                    f"(claim_id bigint PRIMARY KEY, {repeated}, document tsvector NOT NULL)"
                )
                cursor.execute(PG_CREATE_INDEX)
                cursor.execute(PG_CREATE_FACT_INDEX)
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {VALUES_TABLE} ({VALUES_COLUMNS})")
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {VALUES_INDEX} ON {VALUES_TABLE} (facet, lexeme)")
                for function in PG_FUNCTIONS:
                    cursor.execute(function)
                schema.pg_create_triggers(cursor, PG_TRIGGERS)
                self.rebuild(connection)
                return True
            if connection.vendor != "sqlite":
                return False
            try:
                cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({SQLITE_COLUMNS}, {PREFIXES})")
            except DatabaseError:
                return False
        return True

    def rebuild(self, connection) -> None:
        """Rewrite every claim's document from the tables."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The indexes are built after the rows, each as one sort, rather than written
                # row by row (the GIN without a pending list, PG_GIN_OPTIONS): `manage.py
                # indexes rebuild` at a million claims took 69 s, against 76 s filling the GIN
                # as it went with one.
                cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
                cursor.execute(f"DROP INDEX IF EXISTS {PG_FACT_INDEX}")
                cursor.execute(f"TRUNCATE {TABLE}, {VALUES_TABLE}")
                cursor.execute("SELECT factbase_claim_text_refresh(ARRAY(SELECT id FROM factbase_claim))")
                cursor.execute(PG_CREATE_INDEX)
                cursor.execute(PG_CREATE_FACT_INDEX)
                # Word statistics for the planner: without them it guesses how many claims a
                # word matches and may walk the whole table in id order instead.
                cursor.execute(f"ANALYZE {TABLE}")
                cursor.execute(f"ANALYZE {VALUES_TABLE}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608 - constant
                cursor.execute(_SQLITE_DOCUMENT.format(where="1 = 1"))
                # One b-tree instead of the segments a bulk insert leaves: reads merge less.
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608 - constant

    def restore(self, connection, *, force: bool = False) -> None:
        """Recreate missing triggers and rebuild the index (whenever a trigger was missing,
        changes may have gone unindexed); with `force`, always."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                if not schema.table_exists(cursor, FTS):
                    return
                if schema.sqlite_missing(cursor, "index", [SQLITE_COVER]):
                    cursor.execute(SQLITE_CREATE_COVER)
                    forget()
                if not force and schema.missing_triggers(cursor, SQLITE_TRIGGER_NAMES) == 0:
                    return
                schema.create_triggers(cursor, SQLITE_TRIGGERS)
            self.rebuild(connection)
            forget()
        elif connection.vendor == "postgresql" and ready(connection):
            with connection.cursor() as cursor:
                if not force and not schema.pg_missing(cursor, "trigger", [name for name, _, _ in PG_TRIGGERS]):
                    return
                schema.pg_create_triggers(cursor, PG_TRIGGERS)
            self.rebuild(connection)

    def schema_objects(self, vendor: str) -> dict[str, list[str]]:
        if vendor == "postgresql":
            return {
                "table": [TABLE, VALUES_TABLE],
                "index": [PG_INDEX, PG_FACT_INDEX, VALUES_INDEX],
                "function": list(PG_FUNCTION_NAMES),
                "trigger": [name for name, _, _ in PG_TRIGGERS],
            }
        return {"table": [FTS], "index": [SQLITE_COVER], "trigger": list(SQLITE_TRIGGER_NAMES)}

    def uninstall(self, connection) -> None:
        forget()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.pg_drop_triggers(cursor, PG_TRIGGERS)
                cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
                cursor.execute(f"DROP TABLE IF EXISTS {VALUES_TABLE}")
                for function in (
                    "factbase_claim_text_on_claim()",
                    "factbase_claim_text_on_span()",
                    "factbase_claim_text_on_names()",
                    "factbase_claim_text_on_truncate()",
                    "factbase_claim_text_refresh(bigint[])",
                    "factbase_claim_text_values_add(bigint[])",
                ):
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
            elif connection.vendor == "sqlite":
                schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)
                cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
                cursor.execute(f"DROP INDEX IF EXISTS {SQLITE_COVER}")


INDEX = ClaimText()
