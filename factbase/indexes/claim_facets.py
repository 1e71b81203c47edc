"""The claim facet index (PostgreSQL): one narrow row per claim with the columns a claim list's
facets count, `factbase_claim_facets(claim_id, version, predicate_id, status, subject_kind,
attribution, modality, polarity)`, the five text columns as small codes (`CODED`), and a GIN
index over each claim's full-text document from the claim text table (claim_text.py). For
the facets of a search (`claims/?facets=…&q=`, search.TextRows.counted_whole): every match
and its values are one row of a 48 MB table (at a million claims), grouped in one statement.

Why: the claim text table repeats the facet columns beside each document, but a document is
two thirds of its 300-byte row, so its heap is 299 MB at a million claims, more than
PostgreSQL's default `shared_buffers` (128 MB). A word of middling frequency (5-15 % of the
claims) has a match on most of its pages: the walks of a search's facets read them all, at
least twice, from the operating system (300-650 ms on this stop's machine for `conference`
and `republic`). The rows here are 56 bytes, 135 to a page.

`letters` has a bit for each character of LETTERS that a word of the claim's document starts
with (`factbase_document_letters`), so that a search of one-letter words is one test of the
narrow row (search.TextRows.grouped_whole), where the GIN index hands over every match of a
letter first: `a` is in 81% of the claims at a million, 805,817 of them gathered in 56 ms.
Narrowed to a predicate, the search's facets walked 395,168 rows of the claim text table to
find 20,000 (159 ms); every row here is read and grouped in 40.

The GIN index is on `factbase_claim_document(claim_id, version)`, a function that reads the
claim's document from the claim text table. PostgreSQL asks that an index expression be
immutable, and this one is only because the row is rewritten whenever the document changes:
the claim text table's triggers (`PG_TRIGGERS`, statement triggers over its transition
tables) insert a row for each new document (the text table's refresh deletes and inserts a
claim's row), delete it with the document, and give it a new `version` when a document is
updated in place, so that the update cannot be a HOT update: PostgreSQL then indexes the new
row version from the document as it now stands. A facet column changed alone (a
publication) rewrites the row's codes; its document, and so its index entries, stand. A
query whose index entries need no recheck (prefix terms ANDed: search.TextRows) never calls
the function on a row; anything else (a phrase) reads the document, which is the current
one. The function runs under the search path it was created with, as an index build or
`pg_restore` requires.

SQLite: nothing (install does nothing and checks nothing): its facets read the claim text
index's facet tokens (claim_text.py).
"""

from __future__ import annotations

from factbase.enums import AttributionMode, ClaimStatus, EntityKind, Modality, Polarity
from factbase.indexes import claim_text
from factbase.indexes.base import PostgresTable

TABLE = "factbase_claim_facets"
PG_INDEX = "claim_facets_document"
DOCUMENT = "factbase_claim_document(claim_id, version)"
# The text columns held as codes: a value's code is its position in the list (from 1), 0 for a
# value the list does not know (a facet never asks for one).
CODED = {
    "status": tuple(ClaimStatus.values),
    "subject_kind": tuple(EntityKind.values),
    "attribution": tuple(AttributionMode.values),
    "modality": tuple(Modality.values),
    "polarity": tuple(Polarity.values),
}
# The claim columns this table holds (the facets of a claim list), each as the table holds it.
HELD = ("predicate_id", *CODED)
# The first characters `letters` holds a bit of (module docstring): bit n for LETTERS[n].
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
COLUMNS = (
    "claim_id bigint PRIMARY KEY, version integer NOT NULL DEFAULT 0, predicate_id integer NOT NULL, "
    + ", ".join(f"{column} smallint NOT NULL" for column in CODED)
    + ", letters bigint NOT NULL DEFAULT 0"
)


def _array(values) -> str:
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]::text[]"


def code_sql(column: str, row: str) -> str:
    """SQL: the code of `row`'s value of the text column `column`."""
    return f"COALESCE(array_position({_array(CODED[column])}, {row}.{column}), 0)"


def _codes(row: str) -> str:
    """The codes of `row`'s text columns, in CODED's order, as SQL."""
    return ", ".join(code_sql(column, row) for column in CODED)


def code(column: str, value: str) -> int:
    """The code `column` holds `value` as (0 for a value CODED does not list)."""
    values = CODED[column]
    return values.index(value) + 1 if value in values else 0


def decoder(column: str):
    """The function that turns `column` as this table holds it into the claim's value (None
    for a code 0)."""
    if column not in CODED:
        return lambda value: value
    values = (None, *CODED[column])
    return lambda code: values[code]


def letter_bits(prefixes) -> list[int] | None:
    """The bit of `letters` that a row holds when its document has a word starting with each
    of `prefixes` (one character each), or None when one is not a single character of
    LETTERS."""
    if not all(len(prefix) == 1 and prefix in LETTERS for prefix in prefixes):
        return None
    return sorted({1 << LETTERS.index(prefix) for prefix in prefixes})


def letters_held(bits: list[int]) -> str:
    """SQL: a row holds each of `bits` (letter_bits), each a parameter. As `<> 0` the planner
    takes each for nearly every row (as `= bit`, for one in 200): with the matches of a
    letter thought rare, a capped count of them was planned over every row at once, in
    parallel, and took 6.8 ms where one process reads its first 1,001 in 1.5."""
    return " AND ".join(["letters & %s <> 0"] * len(bits))


def _letters_sql(row: str) -> str:
    """SQL: `row`'s letters, from its document."""
    return f"factbase_document_letters({row}.document)"


def _set_held(row: str) -> str:
    """SQL: `column = <row's value as held>` for every column this table holds, and its
    letters."""
    return ", ".join(
        [
            f"predicate_id = {row}.predicate_id",
            *(f"{column} = {code_sql(column, row)}" for column in CODED),
            f"letters = {_letters_sql(row)}",
        ]
    )


_HELD_LIST = ", ".join((*HELD, "letters"))
_SET_HELD = ", ".join(f"{column} = EXCLUDED.{column}" for column in (*HELD, "letters"))
_CHANGED = " OR ".join(f"n.{column} IS DISTINCT FROM o.{column}" for column in ("document", *HELD))

PG_FUNCTIONS = [
    # A document's letters: bit n set when a word of it starts with LETTERS[n].
    f"""CREATE OR REPLACE FUNCTION factbase_document_letters(document tsvector) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(bit_or(1::bigint << (strpos('{LETTERS}', left(word, 1)) - 1)), 0)
  FROM unnest(tsvector_to_array(document)) AS word WHERE strpos('{LETTERS}', left(word, 1)) > 0
$$""",  # noqa: S608 - constants
    # Immutable as long as its row is rewritten with the document (module docstring).
    f"""CREATE OR REPLACE FUNCTION factbase_claim_document(claim bigint, version integer) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
  SELECT document FROM {claim_text.TABLE} WHERE claim_id = claim
$$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_facets_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (claim_id, version, {_HELD_LIST})
  SELECT n.claim_id, 0, n.predicate_id, {_codes("n")}, {_letters_sql("n")} FROM new_rows n
  ON CONFLICT (claim_id) DO UPDATE SET version = {TABLE}.version + 1, {_SET_HELD};
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    # A document updated in place (the refresh deletes and inserts instead) gives its row a new
    # version, so that PostgreSQL indexes the row again (module docstring).
    f"""CREATE OR REPLACE FUNCTION factbase_claim_facets_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {TABLE} f USING old_rows o
  WHERE f.claim_id = o.claim_id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.claim_id = o.claim_id);
  UPDATE {TABLE} f SET version = f.version + (n.document IS DISTINCT FROM o.document)::int, {_set_held("n")}
  FROM new_rows n JOIN old_rows o ON o.claim_id = n.claim_id
  WHERE f.claim_id = n.claim_id AND ({_CHANGED});
  INSERT INTO {TABLE} (claim_id, version, {_HELD_LIST})
  SELECT n.claim_id, 0, n.predicate_id, {_codes("n")}, {_letters_sql("n")} FROM new_rows n
  WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.claim_id = n.claim_id)
  ON CONFLICT (claim_id) DO UPDATE SET version = {TABLE}.version + 1, {_SET_HELD};
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_facets_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {TABLE} f USING old_rows o WHERE f.claim_id = o.claim_id;
  RETURN NULL;
END $$""",  # noqa: S608 - constants
    f"""CREATE OR REPLACE FUNCTION factbase_claim_facets_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {TABLE};
  RETURN NULL;
END $$""",
]
PG_FUNCTION_SIGNATURES = [
    "factbase_document_letters(tsvector)",
    "factbase_claim_document(bigint, integer)",
    "factbase_claim_facets_on_insert()",
    "factbase_claim_facets_on_update()",
    "factbase_claim_facets_on_delete()",
    "factbase_claim_facets_on_truncate()",
]
PG_TRIGGERS = [
    (
        "factbase_claim_facets_insert",
        claim_text.TABLE,
        f"AFTER INSERT ON {claim_text.TABLE} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_insert()",
    ),
    (
        "factbase_claim_facets_update",
        claim_text.TABLE,
        f"AFTER UPDATE ON {claim_text.TABLE} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_update()",
    ),
    (
        "factbase_claim_facets_delete",
        claim_text.TABLE,
        f"AFTER DELETE ON {claim_text.TABLE} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_delete()",
    ),
    (
        "factbase_claim_facets_truncate",
        claim_text.TABLE,
        f"AFTER TRUNCATE ON {claim_text.TABLE} FOR EACH STATEMENT EXECUTE FUNCTION factbase_claim_facets_on_truncate()",
    ),
]
# Every row from the claim text table (a rebuild), the index built after them.
PG_FILL = (
    f"INSERT INTO {TABLE} (claim_id, version, {_HELD_LIST}) "  # noqa: S608 - constants
    f"SELECT t.claim_id, 0, t.predicate_id, {_codes('t')}, {_letters_sql('t')} FROM {claim_text.TABLE} t"
)
# Without a pending list (`fastupdate`), as the claim text table's (claim_text.PG_GIN_OPTIONS).
PG_CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin ({DOCUMENT}) WITH ({claim_text.PG_GIN_OPTIONS})"
)


class ClaimFacets(PostgresTable):
    name = "claim-facets"
    table = TABLE
    columns = COLUMNS
    pg_index = PG_INDEX
    create_index = PG_CREATE_INDEX
    functions = tuple(PG_FUNCTIONS)
    function_signatures = tuple(PG_FUNCTION_SIGNATURES)
    pg_triggers = tuple(PG_TRIGGERS)
    fill = PG_FILL


INDEX = ClaimFacets()
ready = INDEX.ready
forget = INDEX.forget
