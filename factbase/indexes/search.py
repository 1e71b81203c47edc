"""Full-text search expressions for the QuerySets: entity names and aliases
(`Entity.objects.matching(q)`) and claim text (`Claim.objects.search(q)`: span quotes,
literal value, subject's name and aliases).

Each question is answered from an index:
- entities, SQLite: FTS5 external-content tables kept in sync by triggers;
- entities, PostgreSQL: GIN expression indexes on `to_tsvector('simple', …)`
  (both factbase/indexes/entity_names.py);
- claims: one document per claim, keyed by claim id (factbase/indexes/claim_text.py);
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

from django.apps import apps
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from factbase.indexes import claim_text, entity_names

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16  # a longer query is not a name lookup; the rest of the words are ignored

# Characters with a meaning in to_tsquery's syntax; they become spaces in a query.
TSQUERY_SYNTAX = re.compile(r"[&|!():*'\\<>]")


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
    if connection.vendor == "sqlite" and entity_names.fts5_ready(using):
        return "fts5"
    return "like"


# --- entities -------------------------------------------------------------------------


def entity_ids_sql(q: str, using: str) -> tuple[str, list] | None:
    """SQL selecting the ids of entities whose name or an alias matches `q`, or None when
    the LIKE fallback applies (no FTS backend, or a query without any word)."""
    if not words(q):
        return None
    kind = backend(using)
    if kind == "fts5":
        match = fts5_query(q)
        return entity_names.SQLITE_ENTITY_IDS, [match, match]
    if kind == "postgresql":
        query = pg_tsquery(q)
        return entity_names.PG_ENTITY_IDS, [query, query]
    return None


def _like_word_prefix(field: str, word: str) -> Q:
    """`word` at the start of `field` or right after a space (normalised names collapse
    whitespace, so a space is the only separator stored)."""
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def filter_entities(queryset, q: str, *, normalise):
    """`queryset` narrowed to entities whose name or an alias matches `q`. `normalise` is
    the models' name normalisation (for a query without words)."""
    # By name, not imported: the indexes never import the models (the models import them).
    alias_model = apps.get_model("factbase", "Alias")
    found = entity_ids_sql(q, queryset.db)
    if found is not None:
        sql, params = found
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, parameters bound
    terms = words(q)
    if not terms:
        # Nothing word-like to look for (punctuation only): a plain substring match.
        needle = normalise(q or "")
        alias_hit = alias_model.objects.filter(entity_id=OuterRef("pk"), normalised__contains=needle)
        return queryset.filter(Q(normalised_name__contains=needle) | Exists(alias_hit))
    name_hit = reduce(and_, (_like_word_prefix("normalised_name", w) for w in terms))
    alias_hit = alias_model.objects.filter(
        reduce(and_, (_like_word_prefix("normalised", w) for w in terms)), entity_id=OuterRef("pk")
    )
    return queryset.filter(name_hit | Exists(alias_hit))


# --- claims ---------------------------------------------------------------------------


def claim_ids_sql(q: str, using: str) -> tuple[str, list] | None:
    """SQL selecting the ids of claims whose text (factbase/indexes/claim_text.py) matches
    `q`, or None when the LIKE fallback applies."""
    if not words(q):
        return None
    kind = backend(using)
    if not claim_text.ready(connections[using]):
        return None
    if kind == "fts5":
        return claim_text.SQLITE_MATCH, [fts5_query(q)]
    if kind == "postgresql":
        return claim_text.PG_MATCH, [pg_tsquery(q)]
    return None


def _like_text(field: str, word: str) -> Q:
    """LIKE fallback for free text: the word anywhere (word boundaries in running text are
    not only spaces, so the fallback is a little more generous than the indexes)."""
    return Q(**{f"{field}__icontains": word})


def filter_claims(queryset, q: str):
    """`queryset` narrowed to claims whose text matches `q`: every word of `q` is found in a
    span quote, the literal value, or the subject's name or an alias."""
    alias_model, span_model = apps.get_model("factbase", "Alias"), apps.get_model("factbase", "SourceSpan")
    terms = words(q)
    if not terms:
        return queryset.none()
    found = claim_ids_sql(q, queryset.db)
    if found is not None:
        sql, params = found
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, parameters bound

    def word_hit(word: str) -> Q:
        in_quote = span_model.objects.filter(_like_text("exact", word), claim_id=OuterRef("pk"))
        in_alias = alias_model.objects.filter(_like_word_prefix("normalised", word), entity_id=OuterRef("subject_id"))
        return (
            Exists(in_quote)
            | _like_text("value", word)
            | _like_word_prefix("subject__normalised_name", word)
            | Exists(in_alias)
        )

    return queryset.filter(reduce(and_, (word_hit(word) for word in terms)))


# The claim text index as a join: (table, the ordering that is id order).
JOINED_ORDER = (claim_text.FTS, f"{claim_text.FTS}.rowid")


def join_claims(queryset, q: str):
    """`filter_claims` for a query that is only narrowed further (the API's lists). With FTS5
    the claim text index is joined rather than read into an IN list, and ordered by its
    rowid, the claim id: SQLite then walks the index in order and stops when the page (or
    the capped count) is full, instead of collecting and sorting every match (at a million
    claims, 1 ms instead of 3 ms for a word in 2% of claims). Other backends, and a `q`
    without words, take `filter_claims`. A joined queryset must not be combined with `|`."""
    if not words(q) or backend(queryset.db) != "fts5" or not claim_text.ready(connections[queryset.db]):
        return filter_claims(queryset, q)
    table, order = JOINED_ORDER
    return queryset.extra(  # noqa: S610 - constant SQL, the query bound as a parameter
        tables=[table],
        where=[f'"{table}".rowid = "factbase_claim"."id"', f'"{table}" MATCH %s'],
        params=[fts5_query(q)],
        order_by=[order],
    )


def is_joined(queryset) -> bool:
    """Whether `queryset` joins the claim text index (`join_claims`)."""
    return JOINED_ORDER[0] in queryset.query.extra_tables


def joined_after(queryset, pk: int):
    """A joined claim search (`join_claims`) told the keyset position too, so that the index
    seeks to it instead of reading every match before it; other querysets unchanged."""
    if is_joined(queryset):
        return queryset.extra(where=[f"{JOINED_ORDER[1]} > %s"], params=[pk])  # noqa: S610 - constant SQL
    return queryset


def joined_in_id_order(queryset, *, descending: bool = False):
    """A joined claim search ordered by id, in the index's own order (its rowid is the
    claim id), ascending or descending; other querysets unchanged."""
    if is_joined(queryset):
        return queryset.extra(order_by=[f"-{JOINED_ORDER[1]}" if descending else JOINED_ORDER[1]])
    return queryset
