"""The claim word index (PostgreSQL): one row per word of each claim's full-text document
(claim_text.py), `factbase_claim_words(lexeme, status, claim_id)`, the status as the claim
facet index's code (claim_facets.CODED), under a btree of all three columns. A claim search
of one word (search.TextPage, search.pg_capped_count) reads its matches of a status there in
id order from the btree alone (an index-only scan), and stops at the page or at the count's
cap: at a million claims the page and the capped count of `submarines` (18,609 matches).

Why: the claim text table's GIN index hands over a word's matches only as a bitmap of all of
them, in no order, and PostgreSQL then visits a heap page for each match it keeps, even for
a bare count. At a million claims a search of `submarines` spent 0.3 ms asking the plan,
4.6 ms on its capped count (the bitmap of 18,609 matches and 478 heap pages of the claim
facet index) and 1.8 ms on its first page of ids; here the two read 1,001 and 51 index
entries. A word's rows lie together in the btree, its matches of one status in claim order.

The cost is the table's size: about 14 rows a claim (its document's distinct words), some
14 million at a million claims, written with every claim text row. The claim text table's
statement triggers (`PG_TRIGGERS`) keep it in step: a new document's words inserted, a
deleted one's removed, and a document or status changed in place its old rows replaced.
An index-only scan reads the heap only for pages that VACUUM has not marked all-visible:
autovacuum does so after inserts, and the bulk loads' ANALYZE does not, so the benchmark
VACUUMs after building (bench/run.py).

SQLite: nothing (install does nothing and checks nothing): FTS5 already hands a word's
matches back in id order (claim_text.py).
"""

from __future__ import annotations

from factbase.indexes import claim_facets, claim_text
from factbase.indexes.base import PostgresTable

TABLE = "factbase_claim_words"
PG_INDEX = "claim_words_key"
COLUMNS = 'lexeme text COLLATE "C" NOT NULL, status smallint NOT NULL, claim_id bigint NOT NULL'
PG_CREATE_INDEX = f"CREATE UNIQUE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} (lexeme, status, claim_id)"


def _words_of(rows: str, alias: str) -> str:
    """SQL: (lexeme, status code, claim_id) for each word of each document of `rows` (a
    table or a transition table, named `alias` in the statement)."""
    return (
        f"SELECT word.lexeme, {claim_facets.code_sql('status', alias)}, {alias}.claim_id "  # noqa: S608 - constants
        f"FROM {rows} {alias} CROSS JOIN LATERAL unnest(tsvector_to_array({alias}.document)) AS word(lexeme)"
    )


# An old row whose words are no longer as they were: its claim's row deleted, or its document
# or status changed.
_REPLACED = (
    "NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.claim_id = o.claim_id "
    "AND n.document IS NOT DISTINCT FROM o.document AND n.status IS NOT DISTINCT FROM o.status)"
)
_NEW = (
    "NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.claim_id = n.claim_id "
    "AND o.document IS NOT DISTINCT FROM n.document AND o.status IS NOT DISTINCT FROM n.status)"
)
_DELETE_OLD = (
    f"DELETE FROM {TABLE} w USING ({{old}}) gone (lexeme, status, claim_id) "  # noqa: S608 - constants
    "WHERE w.lexeme = gone.lexeme AND w.status = gone.status AND w.claim_id = gone.claim_id"
)
_INSERT = f"INSERT INTO {TABLE} (lexeme, status, claim_id) {{new}} ON CONFLICT DO NOTHING"  # noqa: S608 - constants

PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION factbase_claim_words_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {_INSERT.format(new=_words_of("new_rows", "n"))};
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_claim_words_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {_DELETE_OLD.format(old=_words_of("old_rows", "o") + " WHERE " + _REPLACED)};
  {_INSERT.format(new=_words_of("new_rows", "n") + " WHERE " + _NEW)};
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_claim_words_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {_DELETE_OLD.format(old=_words_of("old_rows", "o"))};
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION factbase_claim_words_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {TABLE};
  RETURN NULL;
END $$""",
]
PG_FUNCTION_SIGNATURES = [
    "factbase_claim_words_on_insert()",
    "factbase_claim_words_on_update()",
    "factbase_claim_words_on_delete()",
    "factbase_claim_words_on_truncate()",
]
PG_TRIGGERS = [
    (
        "factbase_claim_words_insert",
        claim_text.TABLE,
        f"AFTER INSERT ON {claim_text.TABLE} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_insert()",
    ),
    (
        "factbase_claim_words_update",
        claim_text.TABLE,
        f"AFTER UPDATE ON {claim_text.TABLE} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_update()",
    ),
    (
        "factbase_claim_words_delete",
        claim_text.TABLE,
        f"AFTER DELETE ON {claim_text.TABLE} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_delete()",
    ),
    (
        "factbase_claim_words_truncate",
        claim_text.TABLE,
        f"AFTER TRUNCATE ON {claim_text.TABLE} FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_words_on_truncate()",
    ),
]
# Every word of every document in the claim text table (a rebuild), the btree built after them.
PG_FILL = f"INSERT INTO {TABLE} (lexeme, status, claim_id) {_words_of(claim_text.TABLE, 't')}"

# A window of the claims of one status (the parameters: the word, the status code, the
# window's size and offset) whose documents hold the word, in id order (format `direction`
# "" or " DESC"): an index-only scan of the btree.
PG_PAGE = (
    f"SELECT claim_id FROM {TABLE} WHERE lexeme = %s AND status = %s "  # noqa: S608 - constants
    "ORDER BY claim_id{direction} LIMIT %s OFFSET %s"
)
# The claims whose documents hold the word (the first parameter), of any status or (format
# `status` " AND status = %s") of one, up to a cap (format `cap`), as `select` says: their
# count or their ids.
PG_CAPPED = f"SELECT {{select}} FROM (SELECT claim_id FROM {TABLE} WHERE lexeme = %s{{status}} LIMIT {{cap}}) found"  # noqa: S608


class ClaimWords(PostgresTable):
    name = "claim-words"
    table = TABLE
    columns = COLUMNS
    pg_index = PG_INDEX
    create_index = PG_CREATE_INDEX
    functions = tuple(PG_FUNCTIONS)
    function_signatures = tuple(PG_FUNCTION_SIGNATURES)
    pg_triggers = tuple(PG_TRIGGERS)
    fill = PG_FILL


INDEX = ClaimWords()
ready = INDEX.ready
forget = INDEX.forget
