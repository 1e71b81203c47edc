"""Full-text search for the QuerySets: entity names and aliases (`Entity.objects.matching(q)`)
and claim text (`Claim.objects.search(q)`: span quotes, literal value, subject's name and
aliases).

Each question is answered from an index:
- entities, SQLite: FTS5 external-content tables kept in sync by triggers (migration 0003);
- entities, PostgreSQL: GIN expression indexes on `to_tsvector('simple', …)` (migration 0003);
- claims: one document per claim, keyed by claim id (factbase/claimtext.py, migration 0008);
- anything else, or an SQLite build without FTS5: a `LIKE` scan, same results, slower.

Semantics, identical on every backend: the query is split into words; a row matches when
every word of the query starts a word of the text ("lavrov" and "lav" find "Sergei Lavrov",
"burma" finds the alias "Burma"). A claim's text is all of its parts together, so the words
may fall in different parts ("lavrov submarines": a claim about Lavrov quoting a sentence on
submarines). Case and, on SQLite, diacritics are ignored.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_

from django.db import DatabaseError, connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from factbase import claimtext, sqlite_schema

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16  # a longer query is not a name lookup; the rest of the words are ignored

# FTS5 tables created by migration 0002 (SQLite only). Their names are part of that migration.
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
# PostgreSQL: the query must repeat the indexed expression of migration 0003,
# to_tsvector('simple'::regconfig, column), exactly for the planner to use the GIN index.
# The tsquery is a parameter (see pg_tsquery), so the planner sees the actual words when it
# estimates; each chunk is still split by PostgreSQL's own parser, as the indexed text was
# ("Su-35" is 'su' followed by '-35', "U.S." is 'u.s').
PG_ENTITY_IDS = (
    "SELECT id FROM factbase_entity WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s) "
    "UNION SELECT entity_id FROM factbase_alias "
    "WHERE to_tsvector('simple'::regconfig, name) @@ to_tsquery('simple'::regconfig, %s)"
)
# Characters with a meaning in to_tsquery's syntax; they become spaces in a query.
TSQUERY_SYNTAX = re.compile(r"[&|!():*'\\<>]")

_fts_checked: dict[str, bool] = {}


def words(q: str) -> list[str]:
    """The words of a query, case-folded, at most MAX_WORDS."""
    return WORD.findall((q or "").casefold())[:MAX_WORDS]


def fts5_query(q: str) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix term, implicitly ANDed.
    Words hold only letters and digits, so quoting cannot be broken out of."""
    return " ".join(f'"{word}"*' for word in words(q))


def pg_tsquery(q: str) -> str:
    """A to_tsquery('simple', …) text: every whitespace-separated chunk of `q` with a letter
    or digit, stripped of tsquery syntax, as a prefix term; chunks ANDed."""
    chunks = [chunk for chunk in TSQUERY_SYNTAX.sub(" ", q or "").split() if WORD.search(chunk)]
    return " & ".join(f"{chunk}:*" for chunk in chunks[:MAX_WORDS])


def backend(using: str) -> str:
    """'fts5', 'postgresql' or 'like' for the database alias `using`."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and fts5_ready(using):
        return "fts5"
    return "like"


def fts5_ready(using: str) -> bool:
    """Whether the FTS5 tables exist on this SQLite database (an SQLite built without FTS5
    skips them in the migration). Checked once per database alias and process."""
    if using not in _fts_checked:
        connection = connections[using]
        try:
            with connection.cursor() as cursor:
                _fts_checked[using] = sqlite_schema.count_existing(cursor, "table", FTS_TABLES) == len(FTS_TABLES)
        except DatabaseError:
            _fts_checked[using] = False
    return _fts_checked[using]


def forget_backend_cache() -> None:
    """For tests and migrations that create or drop the FTS tables."""
    _fts_checked.clear()
    claimtext.forget()


# --- entities -------------------------------------------------------------------------


def entity_ids_sql(q: str, using: str) -> tuple[str, list] | None:
    """SQL selecting the ids of entities whose name or an alias matches `q`, or None when
    the LIKE fallback applies (no FTS backend, or a query without any word)."""
    if not words(q):
        return None
    kind = backend(using)
    if kind == "fts5":
        match = fts5_query(q)
        return SQLITE_ENTITY_IDS, [match, match]
    if kind == "postgresql":
        query = pg_tsquery(q)
        return PG_ENTITY_IDS, [query, query]
    return None


def _like_word_prefix(field: str, word: str) -> Q:
    """`word` at the start of `field` or right after a space (normalised names collapse
    whitespace, so a space is the only separator stored)."""
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def filter_entities(queryset, q: str):
    """`queryset` narrowed to entities whose name or an alias matches `q`."""
    from factbase.models import Alias, normalise_name

    found = entity_ids_sql(q, queryset.db)
    if found is not None:
        sql, params = found
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, parameters bound
    terms = words(q)
    if not terms:
        # Nothing word-like to look for (punctuation only): a plain substring match.
        needle = normalise_name(q or "")
        alias_hit = Alias.objects.filter(entity_id=OuterRef("pk"), normalised__contains=needle)
        return queryset.filter(Q(normalised_name__contains=needle) | Exists(alias_hit))
    name_hit = reduce(and_, (_like_word_prefix("normalised_name", w) for w in terms))
    alias_hit = Alias.objects.filter(
        reduce(and_, (_like_word_prefix("normalised", w) for w in terms)), entity_id=OuterRef("pk")
    )
    return queryset.filter(name_hit | Exists(alias_hit))


# --- claims ---------------------------------------------------------------------------


def claim_ids_sql(q: str, using: str) -> tuple[str, list] | None:
    """SQL selecting the ids of claims whose text (factbase/claimtext.py) matches `q`, or None
    when the LIKE fallback applies."""
    if not words(q):
        return None
    kind = backend(using)
    if not claimtext.ready(connections[using]):
        return None
    if kind == "fts5":
        return claimtext.SQLITE_MATCH, [fts5_query(q)]
    if kind == "postgresql":
        return claimtext.PG_MATCH, [pg_tsquery(q)]
    return None


def _like_text(field: str, word: str) -> Q:
    """LIKE fallback for free text: the word anywhere (word boundaries in running text are
    not only spaces, so the fallback is a little more generous than the indexes)."""
    return Q(**{f"{field}__icontains": word})


def filter_claims(queryset, q: str):
    """`queryset` narrowed to claims whose text matches `q`: every word of `q` is found in a
    span quote, the literal value, or the subject's name or an alias."""
    from factbase.models import Alias, SourceSpan

    terms = words(q)
    if not terms:
        return queryset.none()
    found = claim_ids_sql(q, queryset.db)
    if found is not None:
        sql, params = found
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, parameters bound

    def word_hit(word: str) -> Q:
        in_quote = SourceSpan.objects.filter(_like_text("exact", word), claim_id=OuterRef("pk"))
        in_alias = Alias.objects.filter(_like_word_prefix("normalised", word), entity_id=OuterRef("subject_id"))
        return (
            Exists(in_quote)
            | _like_text("value", word)
            | _like_word_prefix("subject__normalised_name", word)
            | Exists(in_alias)
        )

    return queryset.filter(reduce(and_, (word_hit(word) for word in terms)))


# The claim text index as a join: (table, the ordering that is id order).
JOINED_ORDER = (claimtext.FTS, f"{claimtext.FTS}.rowid")


def join_claims(queryset, q: str):
    """`filter_claims` for a query that is only narrowed further (the API's lists). With FTS5
    the claim text index is joined rather than read into an IN list, and ordered by its
    rowid, the claim id: SQLite then walks the index in order and stops when the page (or
    the capped count) is full, instead of collecting and sorting every match (at a million
    claims, 1 ms instead of 3 ms for a word in 2% of claims). Other backends, and a `q`
    without words, take `filter_claims`. A joined queryset must not be combined with `|`."""
    if not words(q) or backend(queryset.db) != "fts5" or not claimtext.ready(connections[queryset.db]):
        return filter_claims(queryset, q)
    table, order = JOINED_ORDER
    return queryset.extra(  # noqa: S610 - constant SQL, the query bound as a parameter
        tables=[table],
        where=[f'"{table}".rowid = "factbase_claim"."id"', f'"{table}" MATCH %s'],
        params=[fts5_query(q)],
        order_by=[order],
    )


# --- index maintenance (migration 0003 and post_migrate) ------------------------------------

# (FTS table, content table, indexed column). External-content FTS5 tables: the text lives
# once, in the content table; the FTS table holds only the index, kept in step by triggers.
SQLITE_FTS = [
    (ENTITY_FTS, "factbase_entity", "name"),
    (ALIAS_FTS, "factbase_alias", "name"),
]
# PostgreSQL GIN expression indexes: (index name, table, column).
PG_GIN = [
    ("entity_name_fts", "factbase_entity", "name"),
    ("alias_name_fts", "factbase_alias", "name"),
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


SQLITE_TRIGGER_NAMES = [f"{fts}_{suffix}" for fts, _, _ in SQLITE_FTS for suffix in ("ai", "ad", "au")]


def install(connection) -> bool:
    """Create the full-text indexes on `connection` (idempotent) and fill them. Returns
    False when the database cannot have them (SQLite without FTS5, other vendors)."""
    forget_backend_cache()
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
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({column}, content='{table}', content_rowid='id')"
                )
        except DatabaseError:
            return False  # SQLite built without FTS5: search falls back to LIKE
        repair(connection, cursor=cursor, force=True)
    return True


def repair(connection, *, cursor=None, force: bool = False) -> None:
    """Recreate missing triggers and rebuild the FTS5 indexes from their content tables.

    Django's SQLite schema editor alters a table by copying it into a new one and dropping
    the old, which drops its triggers: after any such migration the indexes would go stale.
    post_migrate calls this so that they are put back and rebuilt."""
    if connection.vendor != "sqlite":
        return
    if cursor is None:
        with connection.cursor() as cursor:
            return repair(connection, cursor=cursor, force=force)
    if not sqlite_schema.table_exists(cursor, ENTITY_FTS):
        return
    if not force and sqlite_schema.missing_triggers(cursor, SQLITE_TRIGGER_NAMES) == 0:
        return
    for fts, table, column in SQLITE_FTS:
        for statement in _sqlite_triggers(fts, table, column):
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
    forget_backend_cache()


def drop_triggers(connection) -> None:
    """Stop keeping the FTS5 indexes in step (bulk loads); repair(force=True) restores them."""
    with connection.cursor() as cursor:
        sqlite_schema.drop_triggers(cursor, SQLITE_TRIGGER_NAMES)


def uninstall(connection) -> None:
    forget_backend_cache()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, _, _ in PG_GIN:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        elif connection.vendor == "sqlite":
            drop_triggers(connection)
            for fts, _, _ in SQLITE_FTS:
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def repair_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: see repair(); the claim-date interval index and the claim text
    index have the same need."""
    from factbase import intervals

    repair(connections[using])
    intervals.repair(connections[using])
    claimtext.repair(connections[using])
