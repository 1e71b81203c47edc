"""Full-text search expressions for the QuerySets: entity names and aliases
(`Entity.objects.matching(q)`), claim text (`Claim.objects.search(q)`: span quotes,
literal value, subject's name and aliases) and document text (`Document.objects.search(q)`).

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

Documents keep another meaning, a substring one: every word of the query occurs in the title
or the text, case-insensitively (`filter_documents`, served by the trigram index of
factbase/indexes/document_text.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import partial, reduce
from operator import and_, or_

from django.apps import apps
from django.db import connections
from django.db.models import BooleanField, Exists, F, Func, Max, Min, OuterRef, Q, Value
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.db.models.sql.where import ExtraWhere

from factbase.enums import ClaimStatus, EntityKind
from factbase.indexes import (
    claim_facets,
    claim_text,
    claim_words,
    conditions,
    document_text,
    entity_facets,
    entity_names,
    entity_words,
    event_names,
    event_words,
)

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


# More name and alias matches than this and an entity list walks its own order, testing each
# row, instead of reading every match and sorting them (`filter_entities`). Reading a match
# costs a few microseconds (its row, then the sort); walking costs less per row but must
# pass the rows that do not match, and the capped count (1,000 rows) walks twenty times as
# far as a page. At a million claims `maria` (4,600 matches, 2% of the people) is read in
# 20 ms and would be walked in 300; `a` (178,000 matches) is walked in a few ms and was read
# in 0.9 s.
MANY_MATCHES = 20_000


class _NameMatches(Func):
    """PostgreSQL: whether a name column matches a tsquery text, computed on the row (the
    expression the GIN index holds, without the index)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, query = (compiler.compile(expression) for expression in self.source_expressions)
        return entity_names.PG_NAME_TEST.format(column=column[0]), [*column[1], *query[1]]


def _capped_count(using: str, sql: str, params: list, cap: int) -> int:
    """How many rows `sql` selects, counting no further than cap + 1."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {int(cap) + 1}) found", params)  # noqa: S608 - constant SQL
        return cursor.fetchone()[0]


def _many_entities(q: str, using: str) -> bool:
    """Whether names and aliases together match more than MANY_MATCHES times, asked in one
    statement. SQLite counts the matches in its index, each side no further than that, or,
    for a query of one letter, the entity word index's entries of the letter's row word
    (`_letter_of`: `*a`), no further than that (at a million claims `a` counted 40,002 name
    and alias matches in FTS5 in 6 ms, and 20,001 entries of `*a` in 1); PostgreSQL asks its
    planner's estimate (from the statistics of the indexed expressions: counting the matches
    themselves means reading each one's row)."""
    with connections[using].cursor() as cursor:
        if backend(using) == "fts5":
            ready = entity_words.ready(cursor.db)
            letter = _letter_of(cursor, q, entity_words.SQLITE_LETTER, entity_words.PG_LETTER) if ready else None
            if letter is not None:
                cursor.execute(entity_words.SQLITE_CAPPED_ENTRIES, [*letter, int(MANY_MATCHES) + 1])
                return cursor.fetchone()[0] > MANY_MATCHES
            cap = int(MANY_MATCHES) + 1
            names, aliases = entity_names.SQLITE_NAME_MATCHES, entity_names.SQLITE_ALIAS_MATCHES
            cursor.execute(
                f"SELECT (SELECT count(*) FROM ({names} LIMIT {cap})) + (SELECT count(*) FROM ({aliases} LIMIT {cap}))",  # noqa: S608 - constant SQL
                [fts5_query(q)] * 2,
            )
            return cursor.fetchone()[0] > MANY_MATCHES
        both = f"{entity_names.PG_NAME_MATCHES} UNION ALL {entity_names.PG_ALIAS_MATCHES}"
        cursor.execute(f"EXPLAIN (FORMAT JSON) {both}", [pg_tsquery(q)] * 2)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"]) > MANY_MATCHES


def _many_events(queryset, q: str) -> bool | None:
    """SQLite, an event list: whether more than MANY_MATCHES events match `q`, counted in the
    event word index (event_words.py) no further than that, when it holds the query's words
    (`_sqlite_words_of`); else None. The entity name index counted every name and alias
    matching, of any kind, up to MANY_MATCHES each (8 ms at a million claims for `between`,
    against 2 here), for a list the index then reads alone (`event_word_rows`)."""
    if backend(queryset.db) != "fts5" or getattr(queryset.model, "KIND", "") != "event":
        return None
    if not event_words.ready(connections[queryset.db]):
        return None
    with connections[queryset.db].cursor() as cursor:
        found = _sqlite_words_of(cursor, q, event_words.SQLITE_PREFIX_WORDS)
        if found is None:
            return None
        cursor.execute(
            event_words.SQLITE_CAPPED_ENTRIES.format(words=", ".join(["%s"] * len(found))),
            [*found, int(MANY_MATCHES) + 1],
        )
        return cursor.fetchone()[0] > MANY_MATCHES


# PostgreSQL: the lower-cased name a search walk tests (`_walk_entities`).
PG_WALKED_NAME = "_lower_name"


def _walk_entities(queryset, q: str):
    """`queryset` narrowed to the matches of `q` as a test of each row, so that a list reads
    its rows in its own order (an index: `entity (name, id)`, the events' dates…) and stops
    when the page, or the capped count, is full. For a query that matches many names (`a`:
    half of them), reading every match and sorting them took seconds at a million claims;
    walking the names in order, half the rows pass and a page reads about a hundred.

    - SQLite: the matches are read once into a list (FTS5 with its prefix index: `a*` is one
      list), and each row looks itself up in it. `pk + 0` keeps SQLite from reading the rows
      through that list (what it does with a plain IN), so the list's order is walked.
    - PostgreSQL: the name is tested on the row (to_tsvector, as the index holds it), after a
      plain `lower(name) LIKE '%word%'` for each ASCII word, which every match passes (a
      matching word of the name starts with the query word, lower-cased as the index does)
      and which spares the costlier test on most rows when the query is rarer; then the
      entity's aliases, through their entity index. (A hashed list of the alias matches
      instead is charged by the planner once per row of an inner loop, which made it sort
      every event rather than walk their dates.)
    """
    kind = getattr(queryset.model, "KIND", "")
    # The order the list was given (the admin's event list: by name), else the model's.
    ordering = [str(field) for field in queryset.query.order_by] or list(queryset.model._meta.ordering)
    if kind and ordering[:1] == ["name"]:
        # A typed list in name order (people/, organisations/, countries/) states its kind on
        # the entity row, so that the (kind, name, id) index walks that kind's names only;
        # not the events, whose list is in date order (their date index is walked).
        queryset = queryset.filter(kind=kind)
    if backend(queryset.db) == "fts5":
        # Two lists rather than their UNION: no temporary table to merge them (a third less).
        match = [fts5_query(q)]
        names_sql, aliases_sql = entity_names.SQLITE_NAME_MATCHES, entity_names.SQLITE_ALIAS_ENTITY_IDS
        if kind:
            # A typed list: only matches between its table's smallest and largest id can be
            # its rows (entity_names.SQLITE_TYPED_BOUNDS); the lists shrink as far as the
            # kind's ids cluster (people/?q=a at a million claims: 166,000 names to 18,000).
            quote = connections[queryset.db].ops.quote_name
            table = {"table": quote(queryset.model._meta.db_table), "column": quote(queryset.model._meta.pk.column)}
            names_sql = entity_names.SQLITE_TYPED_NAME_MATCHES.format(**table)
            aliases_sql = entity_names.SQLITE_TYPED_ALIAS_ENTITY_IDS.format(**table)
        names = RawSQL(names_sql, match)  # noqa: S611 - constant SQL
        names.walked_query = q  # found again by probed_page() and streamed_count()
        aliases = RawSQL(aliases_sql, match)  # noqa: S611 - constant SQL
        return queryset.alias(_walked_pk=F("pk") + 0).filter(Q(_walked_pk__in=names) | Q(_walked_pk__in=aliases))
    query = pg_tsquery(q)
    # The LIKEs first: within an OR, PostgreSQL evaluates the conditions in the order written.
    name_hit = Q()
    for word in words(q):
        if word.isascii():
            name_hit &= Q(**{f"{PG_WALKED_NAME}__contains": word})
    name_hit &= Q(_NameMatches(F("name"), Value(query)))
    # On the entity row, not the typed one (`pk` of a person is its own table's column): the
    # whole test then runs where the names are walked.
    alias_hit = RawSQL(entity_names.PG_ALIAS_TEST, [query], output_field=BooleanField())  # noqa: S611 - constant SQL
    alias_hit.pg_walked_query = q  # found again by listed_matches()
    walked = queryset.alias(**{PG_WALKED_NAME: Lower("name")}).filter(name_hit | Q(alias_hit))
    # The joins the test holds (an event's name is on the entity row), for listed_matches
    # to let go of (a Query's clones copy its attributes).
    before = queryset.query.alias_refcount
    walked.query.pg_walked_refs = {
        alias: count - before.get(alias, 0)
        for alias, count in walked.query.alias_refcount.items()
        if count > before.get(alias, 0)
    }
    return walked


def _marked_walk(queryset, marker) -> tuple[int, str] | None:
    """(position in the WHERE, query) of a walk's test of `_walk_entities` in `queryset`, a
    condition among others ANDed, found by `marker` (the OR's tests -> its query), or None."""
    children = conditions.anded(queryset)
    for i, child in enumerate(children or ()):
        tests = getattr(child, "children", None)
        if tests and child.connector == "OR":
            q = marker(tests)
            if q is not None:
                return i, q
    return None


def _walked_test(queryset) -> tuple[int, str] | None:
    """The SQLite walk's test of `_walk_entities` in `queryset` (`_marked_walk`): the name
    list's IN comes first."""
    return _marked_walk(queryset, lambda tests: getattr(getattr(tests[0], "rhs", None), "walked_query", None))


def listed_matches(queryset):
    """`queryset`, walked for a search (`_walk_entities`), as a statement that reads every
    match is best given it: a facet count (api/facets.py). None when it is no such walk.

    - SQLite: as it is. Its walk already looks each row up in the match lists; the events'
      facets index (Event's `event_facets`) is read in order, with no row and no sort.
    - PostgreSQL: the walk's test of each row swapped for the two match lists read from the
      GIN indexes, each hashed once (`pk IN (names) OR pk IN (aliases)`). The walk pays for
      the name test of every row it passes (its tsvector computed, then the aliases looked
      up); a facet count must pass them all. For a typed table the lists are bounded by
      its smallest and largest id, as SQLite's (entity_names.SQLITE_TYPED_BOUNDS), read
      first as values: given as subqueries, the planner chose a plan five times as slow.

    At a million claims, `events/?facets=type,status&q=a` took 150 ms walked on SQLite, 90
    grouped; `q=visit` on PostgreSQL 560 ms walked, 72 listed (the whole request).

    - PostgreSQL, an event list searched for one prefix term and filtered by nothing else,
      walked or read whole: the event name index's rows (`EventNameRows`).
    - PostgreSQL, `entities/` searched for few matches, read whole: the same bitmap as a walk
      of `entities/` (`_pg_read_whole`)."""
    if backend(queryset.db) == "fts5":
        return queryset if _walked_test(queryset) is not None else None
    named = event_name_rows(queryset)
    if named is not None:
        return named
    found = _pg_walked_test(queryset) or _pg_read_whole(queryset)
    if found is None:
        return None
    position, q = found
    listed = conditions.without(queryset, position)
    # Without the test's joins: an event list joined every event to its entity row, 40 ms
    # at a million claims, for the name that the lists have already matched.
    for alias, count in getattr(listed.query, "pg_walked_refs", {}).items():
        listed.query.unref_alias(alias, count)
    names, aliases, params = entity_names.PG_NAME_MATCHES, entity_names.PG_ALIAS_MATCHES, [pg_tsquery(q)]
    if not getattr(queryset.model, "KIND", ""):
        # The entity rows hold the names: the name index's matches and the aliases' entities
        # as one bitmap of rows (entities/?facets=kind&q=a: 60 ms, against 109 with the
        # names as a list, which read each match's row twice).
        table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
        test = entity_names.PG_ENTITY_ROW_MATCHES.format(table=table)
        return listed.filter(RawSQL(test, params * 2, BooleanField()))  # noqa: S611 - constant SQL
    # An empty table's bounds are NULL: no match is between them.
    bounds = queryset.model._base_manager.using(queryset.db).aggregate(low=Min("pk"), high=Max("pk"))
    names += " AND id BETWEEN %s AND %s"
    aliases += " AND entity_id BETWEEN %s AND %s"
    params += [bounds["low"], bounds["high"]]
    return listed.filter(Q(pk__in=RawSQL(names, params)) | Q(pk__in=RawSQL(aliases, params)))  # noqa: S611 - constant SQL


def _pg_read_whole(queryset) -> tuple[int, str] | None:
    """(position in the WHERE, query) of the matches of a search read whole
    (`filter_entities`) in `entities/` (every kind), or None: its facets are counted from one
    bitmap of the name and alias indexes (`listed_matches`), where a walk of the list read
    every match by id (`entities/?facets=kind&q=islands` at a million claims, 13,490 matches:
    92 ms against 31)."""
    searched = None if getattr(queryset.model, "KIND", "") else _search_condition(queryset)
    return searched[:2] if searched is not None and not searched[2] else None


def _reads_whole(condition) -> bool:
    """Whether `condition` is a search's matches read whole (`filter_entities` marks them)."""
    return getattr(getattr(condition, "rhs", None), "read_whole", False)


def _pg_walked_test(queryset) -> tuple[int, str] | None:
    """The PostgreSQL walk's test of `_walk_entities` in `queryset` (`_marked_walk`): the
    alias test comes last."""
    return _marked_walk(queryset, lambda tests: getattr(getattr(tests[-1], "lhs", None), "pg_walked_query", None))


def event_name_rows(queryset) -> EventNameRows | None:
    """`queryset` as the event name index's rows (PostgreSQL, event_names.py) when it is an
    event list whose one condition is a search (walked, `_walk_entities`, or its matches
    read whole, `filter_entities`) of a query PostgreSQL parses into one prefix term; else
    None. With several terms, an event whose name holds one word and an alias the other
    would match the index's document, where the name and each alias are matched apart."""
    if getattr(queryset.model, "KIND", "") != "event" or not event_names.ready(connections[queryset.db]):
        return None
    searched = _event_search(queryset)
    if searched is None or searched[1]:
        return None  # no search, or other filters
    q = searched[0]
    with connections[queryset.db].cursor() as cursor:
        if len(_query_ranges(cursor, q)) != 1:
            return None
    return EventNameRows(q, queryset.db)


@dataclass(frozen=True)
class EventNameRows:
    """The events whose name or an alias matches `q`, a query of one prefix term, read from the
    event name index alone (PostgreSQL, event_names.py): a row per event with its type,
    status, date and name, found through the GIN index of its one document (`event_name_rows`).
    For the facets of an event search counted whole (counts.grouped_counts): at a million
    claims `a` matches 131,000 events, which the match lists found in the entity heap,
    hashed, and looked up from every event row. For the page and count of such a list
    (EventQuerySet.index_ids, index_count), which joined each match's entity row."""

    q: str
    using: str
    # The list's order as the table's columns, from its queryset (`in_order`): a window needs one.
    order: tuple[str, ...] = ()

    def in_order(self, ordering) -> EventNameRows | None:
        """These rows in `ordering` (a queryset's order_by: names and `F(...).asc()`/`.desc()`
        expressions of the event's date, name and id, as Event's Meta ordering and the
        list's `ordering=` give them), or None when it names anything else, or nothing."""
        order = _ordered_columns(ordering, event_names.ORDERED)
        return replace(self, order=order) if order else None

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [pg_tsquery(self.q), *params])
            return cursor.fetchall()

    def __getitem__(self, window: slice) -> list[int]:
        """The ids of a window of these events in the list's order (`order`): a page of the
        list, or its first COUNT_CAP + 1 rows (api/pagination.py). Every match is read and
        sorted, so for few matches only (`filter_entities`' matches read whole)."""
        if not self.order:
            raise ValueError("A window of events needs their order: in_order(ordering) first.")
        offset, stop = window.start or 0, window.stop
        sql = (
            f"SELECT event_id FROM {event_names.TABLE} WHERE {event_names.PG_MATCH} "  # noqa: S608 - columns from ORDERED
            f"ORDER BY {', '.join(self.order)} LIMIT %s OFFSET %s"
        )
        return [pk for (pk,) in self._fetch(sql, [stop - offset, offset])]

    def capped_count(self, cap: int) -> int:
        """How many events match, counting no further than cap + 1."""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {event_names.TABLE} WHERE {event_names.PG_MATCH} LIMIT %s) found"  # noqa: S608
        return self._fetch(sql, [int(cap) + 1])[0][0]

    def grouped(self, columns: list[str]) -> list[tuple[tuple, int]]:
        """The groups of these rows by every one of `columns` at once: (values, rows)."""
        if not set(columns) <= event_names.GROUPED:
            raise ValueError(f"The event name index holds only {', '.join(sorted(event_names.GROUPED))}.")
        listed = ", ".join(columns)
        sql = f"SELECT {listed}, count(*) FROM {event_names.TABLE} WHERE {event_names.PG_MATCH} GROUP BY {listed}"  # noqa: S608 - columns checked above
        return [(row[:-1], row[-1]) for row in self._fetch(sql, [])]


def event_word_rows(queryset) -> EventWordRows | None:
    """`queryset` as the event word index's rows (event_words.py) when it is an event list in
    an order the index holds (event_words.ORDERS: its own, or the id's) whose one condition
    is a search (walked, `_walk_entities`, or its matches read whole, `filter_entities`) of a
    query that matches from one to MERGED_WORDS words of the index (`_words_of`); else None."""
    engine = backend(queryset.db)
    orders = event_words.ORDERS if engine == "fts5" else event_words.PG_ORDERS
    order = orders.get(_ordered_columns(conditions.ordering(queryset), event_names.ORDERED))
    if order is None:
        return None
    rows = _event_words(queryset)
    return replace(rows, order=order) if rows is not None else None


def _event_words(queryset) -> EventWordRows | None:
    """`event_word_rows` in no order (a count's)."""
    engine = backend(queryset.db)
    if engine not in ("fts5", "postgresql") or getattr(queryset.model, "KIND", "") != "event":
        return None
    if not event_words.ready(connections[queryset.db]):
        return None
    searched = _event_search(queryset)
    if searched is None:
        return None
    q, fixed = searched
    with connections[queryset.db].cursor() as cursor:
        found = _letter_of(cursor, q, event_words.SQLITE_LETTER, event_words.PG_LETTER) or _words_of(
            cursor, q, event_words.SQLITE_PREFIX_WORDS, event_words.PG_PREFIX_WORDS
        )
    return EventWordRows(found, queryset.db, fixed=fixed) if found is not None else None


def _letter_of(cursor, q: str, sqlite_letter: str, pg_letter: str) -> tuple[str] | None:
    """The row word of a word index (entity_words.py, event_words.py) of the letter `q` is
    (entity_words.LETTER), when `q` is one letter that starts a word of the index; else None.
    One statement (the index's `sqlite_letter` or `pg_letter`), none for a query of more than
    one letter."""
    if cursor.db.vendor == "sqlite":
        found = words(q)
        if len(found) != 1 or len(found[0]) != 1:
            return None
        cursor.execute(sqlite_letter, [entity_words.LETTER + found[0]])
    else:
        query = pg_tsquery(q)
        if " & " in query or len(query.removesuffix(":*")) != 1:
            return None
        cursor.execute(pg_letter, [query])
    row = cursor.fetchone()
    return (row[0],) if row else None


def _event_search(queryset) -> tuple[str, tuple[tuple[str, object], ...]] | None:
    """(query, fixed) of `queryset` when its conditions are a search (`_search_condition`)
    and any number of `column = value` on the event's columns of event_words.FACETED (its
    type, its status), `fixed` those (column, value) in order; else None."""
    searched = _search_condition(queryset)
    if searched is None:
        return None
    position, q, _ = searched
    children = conditions.anded(queryset)
    fixed = tuple(_fixed_column(child) for child in children[:position] + children[position + 1 :])
    return None if None in fixed else (q, fixed)


def _search_condition(queryset) -> tuple[int, str, bool] | None:
    """(position in the WHERE, query, walked) of the search `queryset` is filtered by: walked
    (`_walk_entities`, found by the engine's walk test) or its matches read whole
    (`filter_entities`); None for no search, or two read whole."""
    children = conditions.anded(queryset)
    if not children:
        return None
    walked = (_walked_test if backend(queryset.db) == "fts5" else _pg_walked_test)(queryset)
    if walked is not None:
        return (*walked, True)
    read_whole = [position for position, child in enumerate(children) if _reads_whole(child)]
    if len(read_whole) != 1:
        return None
    return read_whole[0], children[read_whole[0]].rhs.read_whole_query, False


def _fixed_column(condition) -> tuple[str, object] | None:
    """(column, value) when `condition` is `column = value` on a column of the event row that
    the event word index holds (event_words.FACETED), else None."""
    found = _equality(condition)
    if found is None or found[0] != "event" or found[1] not in event_words.FACETED:
        return None
    return found[1:]


def text_column_equality(condition) -> tuple[str, object] | None:
    """(lookup, value) when `condition` is an equality that a claim's row in the claim text
    table answers: `column = value` on a claim column that the claim facet index holds too
    (claim_facets.HELD), or the predicate's slug (`predicate__slug`, answered by the
    predicate's id: PG_PREDICATE_OF_SLUG); else None. The caller checks that the
    condition is on the list's own claims (ClaimQuerySet.narrowed_text_search)."""
    found = _equality(condition)
    if found is None:
        return None
    model, column, value = found
    if model == "claim" and column in claim_facets.HELD:
        return column, value
    if (model, column) == ("predicate", "slug"):
        return PREDICATE_SLUG, value
    return None


PREDICATE_SLUG = "predicate__slug"
# PostgreSQL: the condition of a claim text or claim facet row on a predicate's slug.
PG_PREDICATE_OF_SLUG = "predicate_id = (SELECT id FROM factbase_predicate WHERE slug = %s)"


def _held_sql(lookup: str) -> str:
    """SQL: the condition of a row of the claim text table or the claim facet index that its
    `lookup` (TextRows.fixed) has a value, the value a parameter."""
    return PG_PREDICATE_OF_SLUG if lookup == PREDICATE_SLUG else f"{lookup} = %s"


def _equality(condition) -> tuple[str, str, object] | None:
    """(model name, column, value) when `condition` is `column = value` on a model's column,
    the value a constant (not an expression); else None."""
    target = getattr(getattr(condition, "lhs", None), "target", None)
    if not isinstance(condition, Exact) or getattr(target, "model", None) is None:
        return None
    if hasattr(condition.rhs, "resolve_expression"):
        return None
    return target.model._meta.model_name, target.column, condition.rhs


# A search narrowed to a type or status whose events among the words' are this many or fewer
# is read whole and sorted (`EventWordRows.__getitem__`); with more, it walks the list's
# order, testing each entry, and finds a page within (its words' entries) / NARROWED_SORTED
# entries of it per row.
NARROWED_SORTED = 5_000


@dataclass(frozen=True)
class EventWordRows:
    """The events one of whose `words` (of the event word index, event_words.py) their name or
    an alias holds (`event_word_rows`), read from the index alone: each word's events in the
    list's order, merged and stopped at the window's end, for a page and its capped count in
    one statement (EventQuerySet.index_ids); each facet value's events, each word's walked in
    id order, merged and stopped at the cap (`capped_counts`). At a million claims
    `events/?q=between` walked the events in date order and looked each one up in the word's
    match lists, read whole from FTS5 first; on PostgreSQL the facets of a word read every
    match from the event name index's GIN bitmap and grouped them."""

    words: tuple[str, ...]
    using: str
    # A window's order (a value of event_words.ORDERS on SQLite: the btree, columns and
    # ORDER BY; of PG_ORDERS on PostgreSQL: the columns and ORDER BY): `event_word_rows`
    # gives it.
    order: tuple[str, ...] | None = None
    # (column, value) of the list's filters on its type or status (`_event_search`): each
    # walk's entries tested against them.
    fixed: tuple[tuple[str, object], ...] = ()

    @property
    def _sqlite(self) -> bool:
        return connections[self.using].vendor == "sqlite"

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def __getitem__(self, window: slice) -> list[int]:
        """The ids of a window of these events in the list's order (`order`): a page, or the
        first COUNT_CAP + 1 (api/pagination.py). UNION keeps an event holding two of the
        words once (the columns selected are the same but for the word's); the compound
        SELECT's ORDER BY merges the walks, each read in that order from a btree of the index."""
        if not self.order:
            raise ValueError("A window of events needs their order: event_word_rows gives it.")
        offset, stop = window.start or 0, window.stop
        narrowed, values = event_words.narrowed(self.fixed), [value for _, value in self.fixed]
        # Narrowed to a type or status that few of the words' events hold (`events/?q=a&type=
        # meeting`: 1,030 of 132,440 at a million claims), those events are read whole from
        # the value's btree and sorted: the walk in the list's order passed 125,000 entries
        # to find a thousand of them (92 ms on PostgreSQL, against 3).
        whole = bool(self.fixed) and self._narrowed_entries(NARROWED_SORTED) <= NARROWED_SORTED
        if self._sqlite:
            index, columns, order = self.order
            if whole:  # the value's btree, named: SQLite walked the list's order and tested each entry
                index = f"INDEXED BY {event_words.FACETED[self.fixed[0][0]]}"
            walk = event_words.SQLITE_WORD_EVENTS.format(columns=columns, index=index, narrowed=narrowed)
            sql = " UNION ".join([walk] * len(self.words)) + f" ORDER BY {order} LIMIT %s OFFSET %s"
        else:
            # PostgreSQL merges the walks (UNION ALL of ordered arms, ordered) and keeps an
            # event once as they come (DISTINCT ON the order's columns, all of which are the
            # event's).
            columns, order = self.order
            distinct = ", ".join(term.split()[0] for term in order.split(", "))
            if whole:
                walk = event_words.PG_NARROWED_EVENTS.format(columns=columns, narrowed=narrowed)
            else:
                walk = event_words.PG_WORD_EVENTS.format(
                    columns=columns, order=order, limit=int(stop), narrowed=narrowed
                )
            walks = " UNION ALL ".join([walk] * len(self.words))
            sql = f"SELECT DISTINCT ON ({distinct}) {columns} FROM ({walks}) walks ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
        params = [param for word in self.words for param in (word, *values)]
        return [row[0] for row in self._fetch(sql, [*params, stop - offset, offset])]

    def _narrowed_entries(self, cap: int) -> int:
        """How many entries of the words hold the list's type or status (`fixed`), counted no
        further than cap + 1 (an event holding two of the words counts twice)."""
        sql = event_words.NARROWED_ENTRIES.format(
            words=", ".join(["%s"] * len(self.words)), narrowed=event_words.narrowed(self.fixed)
        )
        return self._fetch(sql, [*self.words, *(value for _, value in self.fixed), int(cap) + 1])[0][0]

    def capped_counts(self, pairs: list[tuple[str, object]], cap: int) -> list[int]:
        """How many of these events hold each (column, value) of `pairs` (columns of
        event_words.FACETED: checked by the caller), each counted no further than cap + 1, in
        one statement. Narrowed to a type or status, each walk tests the other: the engine
        walks the btree its statistics find the narrower (SQLite, the types'), which holds the
        entries of both equalities in id order."""
        counts, params = [], []
        for column, value in pairs:
            if any(fixed == column and held != value for fixed, held in self.fixed):
                counts.append("0")  # another value than the list's own of its column
                continue
            # The other columns' values (the pair's own column is its walk's).
            others = tuple((fixed, held) for fixed, held in self.fixed if fixed != column)
            narrowed, values = event_words.narrowed(others), [held for _, held in others]
            if self._sqlite:
                arm = event_words.SQLITE_WORD_VALUE_EVENTS.format(column=column, narrowed=narrowed)
                walks = " UNION ".join([arm] * len(self.words)) + " ORDER BY event_id"
            else:
                arm = event_words.PG_WORD_VALUE_EVENTS.format(column=column, limit=int(cap) + 1, narrowed=narrowed)
                walks = " UNION ALL ".join([arm] * len(self.words))
                walks = f"SELECT DISTINCT ON (event_id) event_id FROM ({walks}) walks ORDER BY event_id"  # noqa: S608
            counts.append(f"(SELECT count(*) FROM ({walks} LIMIT {int(cap) + 1}) found)")  # noqa: S608
            params += [param for word in self.words for param in (word, value, *values)]
        return list(self._fetch(f"SELECT {', '.join(counts)}", params)[0])  # noqa: S608 - constant SQL


def event_word_counts(queryset, pairs: list[tuple], cap: int) -> list[int] | None:
    """How many rows of `queryset` hold each (column, value) of `pairs`, each counted
    no further than cap + 1, from the event word index (`EventWordRows.capped_counts`): for
    the facets of an event list searched for one word and nothing else
    (`events/?facets=type,status&q=between`), which on SQLite the entity facet index counted
    as intersections of the word's whole list with each value's, and on PostgreSQL the event
    name index grouped whole (`EventNameRows.grouped`). None when the index cannot answer."""
    if not pairs or not all(column in event_words.FACETED for column, _ in pairs):
        return None
    rows = _event_words(queryset)
    return rows.capped_counts(pairs, cap) if rows is not None else None


def _ordered_columns(ordering, columns: dict[str, str]) -> tuple[str, ...] | None:
    """`ordering` (a queryset's order_by: field names, `-name`, and `F(...).asc()`/`.desc()`
    expressions) as ORDER BY terms of `columns` (field -> column), or None when it names a
    field not among them, or nothing."""
    order = []
    for item in ordering:
        if isinstance(item, str):
            descending, name, nulls = item.startswith("-"), item.lstrip("-"), ""
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, name = item.descending, item.expression.name
            nulls = " NULLS LAST" if item.nulls_last else " NULLS FIRST" if item.nulls_first else ""
        else:
            return None
        column = columns.get(name)
        if column is None:
            return None
        order.append(f"{column} {'DESC' if descending else 'ASC'}{nulls}")
    return tuple(order) or None


def entity_name_matches(queryset) -> EntityNameMatches | None:
    """`queryset` as its matches read with the columns it is ordered by (`EntityNameMatches`)
    when it is an entity list (`entities/`, or a typed list: its kind) filtered by a search and
    nothing else but a kind (`indexed_search`), in an order of those columns (a typed
    list's own, `family_name`, `type`, `iso`, are on its table: not these); else None.

    - A search of few matches, read whole (`reads_matches_whole`): on PostgreSQL always
      (from the entity word index's walks where it answers, else the name and alias
      indexes); on SQLite where the entity word index answers.
    - A search of many matches, walked (`_walk_entities`: `a`): where the entity word index
      answers (one letter's rows, or a prefix of a few words), in an order ending at the id.
      At a million claims the PostgreSQL walk of `people/?q=a` tested each person's name in
      name order, and the kind facet of `entities/?q=a` read 166,000 matches from the GIN
      indexes and grouped them."""
    engine = backend(queryset.db)
    searched = indexed_search(queryset) if engine in ("postgresql", "fts5") else None
    if searched is None:
        return None
    q, walked, kinds = searched
    order = _ordered_columns(conditions.ordering(queryset), entity_names.PG_NAMED_ORDERED)
    if not order:
        return None
    words_found = None
    if engine == "fts5" or walked:
        # SQLite, and a walk, read the entity word index or nothing (the ORM's statement).
        with connections[queryset.db].cursor() as cursor:
            words_found = entity_words_of(cursor, q)
        if words_found is None or not _ends_at_id(order):
            return None
    return EntityNameMatches(q, queryset.db, order, kinds, words_found)


def indexed_search(queryset) -> tuple[str, bool, tuple[str, ...]] | None:
    """(query, walked, kinds) of the search `queryset` is filtered by (`_search_condition`),
    when that and a kind are its only conditions; the kind a typed list's own (its rows' kind
    stated), or one `entities/` is filtered to (`kind=`), else none (every kind). None for
    anything else."""
    searched = _search_condition(queryset)
    if searched is None:
        return None
    position, q, walked = searched
    children = conditions.anded(queryset)
    kind = getattr(queryset.model, "KIND", "")
    stated = {_stated_kind(child) for child in children[:position] + children[position + 1 :]}
    if kind:
        return (q, walked, (kind,)) if stated <= {kind} else None
    if None in stated or len(stated) > 1:
        return None
    return q, walked, tuple(stated)


def _stated_kind(condition) -> str | None:
    """The kind `condition` is, when it is `kind = <a kind>` on the entity row, else None."""
    found = _equality(condition)
    return found[2] if found is not None and found[:2] == ("entity", "kind") else None


def _ends_at_id(order: tuple[str, ...]) -> bool:
    """Whether ORDER BY terms `order` end at the id: ties are then broken as the list's are,
    which the entity word index's walks need (`EntityNameMatches`)."""
    return bool(order) and order[-1].split()[0] == "id"


@dataclass(frozen=True)
class EntityNameMatches:
    """The entities (of `kinds`, or of every kind) whose name or an alias matches `q`, read
    with their name and kind, in `order`: for a page of an entity list and its capped count in
    one statement (EntityQuerySet.index_ids), for the reconciliation's first matches
    (`first_entity_ids`) and for the kind facet of `entities/?q=` (`entity_word_counts`).

    - A query of one prefix term that matches from one to `entity_words.MERGED_WORDS` words
      of the entity word index (entity_words.py; `words`, found when not given) reads those
      words' entries there, each word's entries of each kind asked in the list's order from
      the btree alone, merged, an entity that holds two of the words once: a page and the
      count stop at the 1,001st. At a million claims `entities/?q=islands` (12,896 matches)
      took 18 ms read and sorted whole on PostgreSQL, and 1 ms here; on SQLite 25 ms
      (FTS5's matches, each entity row read by id and sorted) against 1.
    - Any other (PostgreSQL only: SQLite asks the index or the ORM, `entity_name_matches`)
      reads the matches from the name and alias GIN indexes with their name and kind
      (`entity_names.PG_NAMED_MATCHES`), then sorts them. Through the ORM the matches' ids
      were found in the name index's rows, then each row read again by id for the name it
      is sorted by (and a typed list's row joined): at a million claims
      `entities/?q=islands` 47 ms against 18; `organisations/?q=ministry` 93 against 18."""

    q: str
    using: str
    order: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    words: tuple[str, ...] | None = None

    def _matches(self, cursor, stop: int, kinds: tuple[str, ...] | None = None) -> tuple[str, list, int]:
        """The statement that selects the matches (of `kinds`, else of the list's) once each
        in `order` (format `window`: its LIMIT and OFFSET, which stops at `stop`), its
        parameters, and the position of the id in its rows."""
        kinds = self.kinds if kinds is None else kinds
        order = ", ".join(self.order)
        columns = [term.split()[0] for term in self.order]
        words = self.words
        if words is None and _ends_at_id(self.order):
            words = entity_words_of(cursor, self.q)
        if words is not None:
            # A walk per word and kind (a kind's entries of a word are in name order), merged.
            pairs = [(word, kind) for word in words for kind in kinds or EntityKind.values]
            params = [param for pair in pairs for param in pair]
            if connections[self.using].vendor == "sqlite":
                # A compound SELECT's ORDER BY merges its arms, each read in that order from
                # the btree; UNION keeps an entity holding two of the words once.
                walks = " UNION ".join([entity_words.SQLITE_WORD_MATCHES] * len(pairs))
                return f"{walks} ORDER BY {order} {{window}}", params, 0
            walks = " UNION ALL ".join([entity_words.PG_WORD_MATCHES.format(order=order, limit=int(stop))] * len(pairs))
            # DISTINCT ON the order's columns: the merged walks, already in that order, are
            # deduplicated as they come (a plain DISTINCT was planned as a hash of every match,
            # then a sort).
            listed = ", ".join(columns)
            sql = f"SELECT DISTINCT ON ({listed}) {listed} FROM ({walks}) matches ORDER BY {order} {{window}}"  # noqa: S608
            return sql, params, len(columns) - 1
        query = pg_tsquery(self.q)
        of_kinds = f"WHERE kind IN ({', '.join(['%s'] * len(kinds))}) " if kinds else ""
        sql = f"SELECT id FROM ({entity_names.PG_NAMED_MATCHES}) matches {of_kinds}ORDER BY {order} {{window}}"  # noqa: S608
        return sql, [query, query, *kinds], 0

    def __getitem__(self, window: slice) -> list[int]:
        """The ids of a window of the matches in `order`: a page of the list, or its first
        COUNT_CAP + 1 rows (api/pagination.py). Every match is read and sorted, but for the
        words of the entity word index: for few matches only (`filter_entities`' matches
        read whole)."""
        offset, stop = window.start or 0, window.stop
        with connections[self.using].cursor() as cursor:
            sql, params, position = self._matches(cursor, stop)
            cursor.execute(sql.format(window="LIMIT %s OFFSET %s"), [*params, stop - offset, offset])
            return [row[position] for row in cursor.fetchall()]

    def capped_counts(self, kinds: list[str], cap: int) -> list[int]:
        """How many of the matches are of each of `kinds`, each counted no further than
        cap + 1, in one statement: each kind's walks stop there."""
        with connections[self.using].cursor() as cursor:
            counts, params = [], []
            for kind in kinds:
                sql, more, _ = self._matches(cursor, int(cap) + 1, (kind,))
                counts.append(f"(SELECT count(*) FROM ({sql.format(window=f'LIMIT {int(cap) + 1}')}) found)")  # noqa: S608
                params += more
            cursor.execute(f"SELECT {', '.join(counts)}", params)  # noqa: S608 - constant SQL
            return list(cursor.fetchone())


def entity_word_counts(queryset, pairs: list[tuple], cap: int) -> list[int] | None:
    """How many rows of `queryset` hold each (column, value) of `pairs`, each counted no
    further than cap + 1, from the entity word index (entity_words.py): for the kind facet
    of `entities/` searched for a prefix of a few words of the index, or one letter (its
    matches read whole or walked: `indexed_search`), and filtered by nothing else but a kind
    (whose facet is then that kind's count alone: `entities/?facets=kind&kind=event&q=a`
    grouped 132,440 events tested one by one on PostgreSQL, 1.7 s). Each kind
    is a capped walk of the words' entries of that kind (`EntityNameMatches.capped_counts`),
    where the whole match list was read and grouped (`entities/?facets=kind&q=<commonest
    country word>` at a million claims: 26 ms on SQLite, 10 on PostgreSQL, growing with the
    word). None when the index cannot answer."""
    if backend(queryset.db) not in ("postgresql", "fts5") or getattr(queryset.model, "KIND", ""):
        return None
    if not pairs or any(column != "kind" for column, _ in pairs):
        return None
    searched = indexed_search(queryset)
    if searched is None:
        return None
    q, _, kinds = searched
    with connections[queryset.db].cursor() as cursor:
        found = entity_words_of(cursor, q)
    if found is None:
        return None
    # Filtered to a kind (`kind=`), the list holds none of another.
    values = [value for _, value in pairs]
    asked = [value for value in values if not kinds or value in kinds]
    matches = EntityNameMatches(q, queryset.db, ("name ASC", "id ASC"), (), found)
    counted = dict(zip(asked, matches.capped_counts(asked, cap) if asked else [], strict=True))
    return [counted.get(value, 0) for value in values]


def entity_words_of(cursor, q: str) -> tuple[str, ...] | None:
    """The words of the entity word index (entity_words.py) that `q` matches as one prefix
    term, in order, when it matches from one to MERGED_WORDS words there; else None (a word
    of no entity, a prefix of more words, several terms). A query of one letter is its
    letter's row word (`_letter_of`: `*a`), which stands for every word it starts. One
    statement or two, none for a query of several chunks.

    - PostgreSQL: `pg_tsquery(q)` as PostgreSQL parses it.
    - SQLite: a query of one word (`words`, case-folded, as `fts5_query` hands it to FTS5),
      its words those from the word to the next prefix. The words here are FTS5's, its
      diacritics folded: a word holding a letter FTS5 folds starts none of them, and is read
      from the name and alias indexes, which fold it."""
    if not entity_words.ready(cursor.db):
        return None
    return _letter_of(cursor, q, entity_words.SQLITE_LETTER, entity_words.PG_LETTER) or _words_of(
        cursor, q, entity_words.SQLITE_PREFIX_WORDS, entity_words.PG_PREFIX_WORDS
    )


def _words_of(cursor, q: str, sqlite_prefix_words: str, pg_prefix_words: str) -> tuple[str, ...] | None:
    """The words of a word index (entity_words.py, event_words.py) that `q` matches, read by
    the index's statement for the engine (`entity_words_of`)."""
    if cursor.db.vendor == "sqlite":
        return _sqlite_words_of(cursor, q, sqlite_prefix_words)
    query = pg_tsquery(q)
    if " & " in query:
        return None  # several chunks: several terms
    cursor.execute(pg_prefix_words, [query, query, entity_words.MERGED_WORDS + 1])
    return _merged_words(cursor)


def _sqlite_words_of(cursor, q: str, prefix_words: str) -> tuple[str, ...] | None:
    """SQLite: the words of a word index (entity_words.py, event_words.py) that `q`, a query of
    one word (`words`), starts, read by `prefix_words` (the index's SQLITE_PREFIX_WORDS), when
    they are from one to MERGED_WORDS; else None."""
    found = words(q)
    if len(found) != 1:
        return None
    word = found[0]
    after = word[:-1] + chr(ord(word[-1]) + 1)
    cursor.execute(prefix_words, [word, after, after, entity_words.MERGED_WORDS + 1])
    return _merged_words(cursor)


def _merged_words(cursor) -> tuple[str, ...] | None:
    """The words `cursor` has just read, when they are from one to MERGED_WORDS."""
    found = tuple(word for (word,) in cursor.fetchall())
    return found if 0 < len(found) <= entity_words.MERGED_WORDS else None


def probed_page(queryset, rows: int):
    """For a page of `entities/` (every kind) in name order, walked for a search
    (`_walk_entities`) and ending within PROBED_ROWS rows: `queryset` with each row of the
    name index probed in the two full-text tables by rowid (its name, then its aliases),
    instead of looked up in the match lists read whole, which cost as much for a page of 51 as
    for the capped count's 1,001 (`a` matches 166,000 names at a million claims: 20 ms to
    read them). The count is found apart (`streamed_count`). Not for a typed list: its lists
    are bounded by its table's ids, and its walk may not stop at the page (the events sort
    each day's events by name: 1,000 probes for the first day at a million claims; the 250
    countries are scanned, not walked); there the bounded lists cost less than the probes.
    Nor for a word longer than the prefix indexes' (`_probes_fast`). None when `queryset`
    is not such a walk."""
    found = _walked_test(queryset)
    if found is None or rows > PROBED_ROWS or getattr(queryset.model, "KIND", "") or not _probes_fast(found[1]):
        return None
    ordering = conditions.ordering(queryset)
    if not ordering or ordering[0] != "name":
        return None
    position, q = found
    probed = conditions.without(queryset, position)
    column = connections[queryset.db].ops.quote_name
    table = column(queryset.model._meta.db_table)
    test = entity_names.SQLITE_ROW_PROBES.format(column=f"{table}.{column('id')}")
    probed = probed.filter(RawSQL(test, [fts5_query(q)] * 2, BooleanField()))  # noqa: S611 - constant SQL
    budget = entity_names.SQLITE_NAMES_BEFORE.format(column=f"{table}.{column('name')}")
    names = rows * PROBED_PER_ROW
    return ProbedPage(probed.filter(RawSQL(budget, [names] * 2, BooleanField())), queryset, names, queryset.db)  # noqa: S611


# The names a probed page may walk per row it needs (`probed_page`): `a` at a million claims
# matches about one name in two.
PROBED_PER_ROW = 4


@dataclass(frozen=True)
class ProbedPage:
    """A page of an entity search walked in name order (`probed_page`): first probed, over the
    first PROBED_PER_ROW names per row it needs; when they hold too few matches (the matches
    cluster in name order: `be` is mostly the events' "… between …", from "Agreement"), the
    walk of the match lists (`walked`). At a million claims the probes of `entities/?q=be`
    walked about 2,000 names to its first page (132 ms)."""

    probed: object
    walked: object
    names: int  # how many names the probes walk at most
    using: str

    def __getitem__(self, window: slice) -> list:
        found = list(self.probed[window])
        if len(found) == window.stop - (window.start or 0) or not self._more_names():
            return found  # the window whole, or every match: the probes walked every name
        return list(self.walked[window])

    def _more_names(self) -> bool:
        """Whether the table has names beyond those the probes walked."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(entity_names.SQLITE_NTH_NAME, [self.names])
            return cursor.fetchone() is not None


def streamed_count(queryset, cap: int) -> int | None:
    """The capped count of `entities/` walked for a search (`_walk_entities`) and filtered by
    nothing else, when the names alone settle it: the name matches read in rowid order from
    the full-text table, stopped after cap + 1. More than `cap` names match: that is the count
    (beyond the cap). None otherwise (fewer, when the aliases could add some; a typed list;
    other filters), for the queryset's own count. The match lists read whole cost 20 ms at a
    million claims for `a`, for a count that stops at 1,001."""
    found = _walked_test(queryset)
    if found is None or getattr(queryset.model, "KIND", "") or len(queryset.query.where.children) != 1:
        return None
    counted = _capped_count(queryset.db, entity_names.SQLITE_NAME_MATCHES, [fts5_query(found[1])], cap)
    return counted if counted > cap else None


def entity_facet_counts(queryset, pairs: list[tuple], cap: int) -> list[int] | None:
    """SQLite: how many rows of `queryset` hold each (column, value) of `pairs`, each counted
    no further than cap + 1, from the entity facet index (entity_facets.py): for an entity or
    event list filtered by a search of one word (walked, `_walk_entities`, or its matches
    read whole, `filter_entities`) and by nothing else. Each count is an intersection of the
    word's list and the value's in the index, in one statement for all. None when the index
    cannot answer: another engine, no index, several words, other filters, or a column it
    holds no token of."""
    connection = connections[queryset.db]
    if backend(queryset.db) != "fts5" or not entity_facets.INDEX.ready(connection):
        return None
    model = queryset.model._meta.model_name
    columns = entity_facets.TOKENIZED.get(model, {})
    children = conditions.anded(queryset)
    if not pairs or children is None or len(children) != 1 or not all(column in columns for column, _ in pairs):
        return None
    walked = _walked_test(queryset)
    matches = getattr(children[0], "rhs", None)
    q = walked[1] if walked is not None else getattr(matches, "read_whole_query", None)
    if q is None or len(words(q)) != 1:
        return None
    counted = entity_facets.SQLITE_CAPPED_COUNT.format(cap=int(cap) + 1)
    with connection.cursor() as cursor:
        query = entity_facets.exact_query(cursor, words(q)[0])
        if query == "":
            return [0] * len(pairs)  # no word of the index starts with it
        query = query or fts5_query(q)
        params = [
            entity_facets.facet_match(query, entity_facets.facet_token(model, column, value)) for column, value in pairs
        ]
        cursor.execute(f"SELECT {', '.join([counted] * len(pairs))}", params)  # noqa: S608 - constant SQL
        return list(cursor.fetchone())


def reads_matches_whole(queryset) -> bool:
    """Whether `queryset` is an entity list filtered by a search of few matches (MANY_MATCHES
    or fewer, `filter_entities`) and by nothing else but its kind (`indexed_search`): its
    rows are the matches, read by id and sorted, whatever the LIMIT, so a page and its capped
    count can be one statement (the first 1,001 rows: api/pagination.py) on PostgreSQL too,
    where each read the matches again (`people/?q=maria` at a million claims: 4,479
    matches, 5 ms a read)."""
    searched = indexed_search(queryset)
    return searched is not None and not searched[1]


def filter_entities(queryset, q: str, *, normalise):
    """`queryset` narrowed to entities whose name or an alias matches `q`. `normalise` is
    the models' name normalisation (for a query without words). With more than MANY_MATCHES
    matches the list walks its own order (`_walk_entities`); with fewer it reads the
    matches and sorts them, which a rare word makes cheap and a walk would make long."""
    # By name, not imported: the indexes never import the models (the models import them).
    alias_model = apps.get_model("factbase", "Alias")
    found = entity_ids_sql(q, queryset.db)
    if found is not None:
        many = _many_events(queryset, q)
        if many is None:
            many = _many_entities(q, queryset.db)
        if many:
            return _walk_entities(queryset, q)
        sql, params = found
        if backend(queryset.db) == "postgresql":
            # As an array computed once: PostgreSQL then reads the matching rows by id and
            # sorts them, where it otherwise hashed the matches and read every entity.
            sql = f"SELECT unnest(ARRAY({sql}))"
        matches = RawSQL(sql, params)  # noqa: S611 - constant SQL, parameters bound
        matches.read_whole = True  # found again by reads_matches_whole()
        matches.read_whole_query = q  # and by listed_matches()
        return queryset.filter(pk__in=matches)
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


# A walk that stops within this many rows probes the full-text tables row by row
# (`first_entity_ids`); a deeper one reads the match lists once, as `_walk_entities` does.
PROBED_ROWS = 200


def first_entity_ids(q: str, using: str, *, kinds: list[str], limit: int, offset: int = 0) -> list[int] | None:
    """The ids of `limit` entities from `offset` in name order (then id) whose name or an alias
    matches `q`, of `kinds` when given: what `Entity.objects.matching(q)` sliced answers,
    read in one statement after the choice of `_many_entities` instead of the ORM's two
    querysets (the reconciliation service asks a dozen of these a batch). None when the
    LIKE fallback applies.

    With many matches, SQLite walks the name index and probes the two full-text tables for
    each entity (their rowid with the MATCH), where `_walk_entities` reads every match into
    two lists first: 178,000 for `a` at a million claims, 100 ms, for a page whose first 50
    entities are about 100 probes (10 ms). The probes cost more per row than a look-up in
    those lists, so a list that also counts its rows (up to 1,001), or a walk deeper than
    PROBED_ROWS (the suggestions' cursor reaches 1,000), reads the entity word index's
    entries of the query instead, in name order, where that index answers (one letter, or a
    prefix of few words: 2.6 ms for `a` at 1,000 against 22 from the lists), else keeps the
    lists. With fewer, PostgreSQL reads each match's name once, with the match, or the
    entity word index's entries of a prefix of a few words (`EntityNameMatches`; `matching` reads the
    matches' ids, then each row again by id for its name); SQLite those entries too, where
    the index answers."""
    if not words(q):
        return None
    kind = backend(using)
    if kind == "like":
        return None
    many = _many_entities(q, using)
    kind_test = f"kind IN ({', '.join(['%s'] * len(kinds))}) AND " if kinds else ""
    if kind == "fts5":
        match = fts5_query(q)
        if many and offset + limit <= PROBED_ROWS and _probes_fast(q):
            sql = (
                f"SELECT id FROM factbase_entity e WHERE {kind_test}"  # noqa: S608 - constant SQL
                f"(EXISTS ({entity_names.SQLITE_NAME_PROBE}) OR EXISTS ({entity_names.SQLITE_ALIAS_PROBE}))"
            )
        else:
            with connections[using].cursor() as cursor:
                found = entity_words_of(cursor, q)
            if found is not None:
                return EntityNameMatches(q, using, ("name ASC", "id ASC"), tuple(kinds), found)[offset : offset + limit]
            if many:
                sql = (
                    f"SELECT id FROM factbase_entity e WHERE {kind_test}"  # noqa: S608 - constant SQL
                    f"(e.id + 0 IN ({entity_names.SQLITE_NAME_MATCHES}) OR e.id + 0 IN ({entity_names.SQLITE_ALIAS_ENTITY_IDS}))"
                )
            else:
                sql = f"SELECT id FROM factbase_entity WHERE {kind_test}id IN ({entity_names.SQLITE_ENTITY_IDS})"  # noqa: S608
        params = [*kinds, match, match]
    elif many:
        query = pg_tsquery(q)
        likes = "".join("lower(name) LIKE %s AND " for word in words(q) if word.isascii())
        name_test = entity_names.PG_NAME_TEST.format(column="name")
        alias_test = entity_names.PG_ALIAS_TEST
        sql = (
            f'SELECT id FROM factbase_entity "factbase_entity" WHERE {kind_test}(({likes}{name_test}) OR {alias_test})'  # noqa: S608
        )
        params = [*kinds, *(f"%{word}%" for word in words(q) if word.isascii()), query, query]
    else:
        return EntityNameMatches(q, using, ("name ASC", "id ASC"), tuple(kinds))[offset : offset + limit]
    with connections[using].cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY name, id LIMIT {int(limit)} OFFSET {int(offset)}", params)
        return [pk for (pk,) in cursor.fetchall()]


def entity_ids(queryset, q: str, *, normalise):
    """The ids of the entities of `queryset` whose name or an alias matches `q`, for another
    table's filter (`entity__in=`): the index's match list, never the walk of
    `_walk_entities`, which tests each row of an entity list in its own order (and, on
    PostgreSQL, names the entity table, which a subquery aliases)."""
    found = entity_ids_sql(q, queryset.db)
    if found is None:
        return filter_entities(queryset, q, normalise=normalise).values("pk")
    sql, params = found
    return queryset.filter(pk__in=RawSQL(sql, params)).values("pk")  # noqa: S611 - constant SQL, parameters bound


def filter_rows_naming(queryset, fields: list[str], q: str, *, normalise):
    """`queryset`, a list of rows that point to entities (aliases, roles, participations,
    mentions), narrowed to the rows whose entity through any of `fields` (foreign keys to
    entities) has a name or an alias matching `q`. With MANY_MATCHES or fewer matches each
    field is looked up in the index's match list, and the rows of those entities are read and
    sorted; with more, the list walks its own order and tests each row's entities, as
    `_walk_entities` tests an entity list's rows: a one-letter query (`a`: 166,000 of 350,000
    entities at a million claims) read every participation of half the entities and sorted
    them (0.3-1.1 s a page)."""
    found = entity_ids_sql(q, queryset.db)
    if found is None or not _many_entities(q, queryset.db):
        ids = entity_ids(apps.get_model("factbase", "Entity").objects.all(), q, normalise=normalise)
        return queryset.filter(reduce(or_, (Q(**{f"{field}__in": ids}) for field in fields)))
    match = Q()
    if backend(queryset.db) == "fts5":
        # Each field as `field + 0` (see _walk_entities), looked up in the two match lists.
        params = [fts5_query(q)]
        for field in fields:
            walked = f"_walked_{field}"
            queryset = queryset.alias(**{walked: F(field) + 0})
            match |= Q(**{f"{walked}__in": RawSQL(entity_names.SQLITE_NAME_MATCHES, params)})  # noqa: S611 - constant SQL
            match |= Q(**{f"{walked}__in": RawSQL(entity_names.SQLITE_ALIAS_ENTITY_IDS, params)})  # noqa: S611 - constant SQL
        return queryset.filter(match)
    # PostgreSQL: the entity's name tested on its row, through the join, after a LIKE on
    # each ASCII word, then its aliases through their entity index (as _walk_entities).
    query = pg_tsquery(q)
    alias_model = apps.get_model("factbase", "Alias")
    alias_hit = alias_model.objects.alias(_hit=_NameMatches(F("name"), Value(query))).filter(_hit=True)
    for field in fields:
        lower = f"_lower_{field}"
        queryset = queryset.alias(**{lower: Lower(f"{field}__name")})
        name_hit = Q()
        for word in words(q):
            if word.isascii():
                name_hit &= Q(**{f"{lower}__contains": word})
        name_hit &= Q(_NameMatches(F(f"{field}__name"), Value(query)))
        match |= name_hit | Q(Exists(alias_hit.filter(entity_id=OuterRef(field))))
    return queryset.filter(match)


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
        found = queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, parameters bound
        if backend(queryset.db) == "postgresql":
            # Noted for what the claim text table answers alone (ClaimQuerySet.text_search).
            setattr(found.query, PG_SEARCHED, q)  # a Query's clones copy its attributes
        return found

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


class _ClaimMatches(Func):
    """SQLite: whether the claim of the id column matches an FTS5 query, asked of the claim
    text index for that one rowid (a probe: no list of the matches is gathered)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, query = (compiler.compile(expression) for expression in self.source_expressions)
        return claim_text.SQLITE_PROBE.format(column=column[0]), [*column[1], *query[1]]


# SQLite: a search walked claim by claim (`claims_walked`) whose words all have one or two
# characters probes the text index for each claim when at least this share of the claims
# match; a sparser one is read into a list. At a million claims: `a` (81% of the claims) 6 ms
# probed against 75 ms listed for the first 1,001 facts, `b` (37%) 18 against 33, `se` (18%) 35
# against 18, `la` (3.5%) 165 against 15; every probe seeks in the word's list, and the
# sparser the word, the more facts are walked for 1,001 that have one.
PROBED_SHARE = 0.25


# PostgreSQL: a search of several words estimated at `many` claims or more (`claims_walked`)
# is walked when at least this fraction of `many` is counted. Its walk then tests some
# 20,000 claims at most for a page of facts (a share of 0.25% at a million; 2.25 µs each).
WALKED_SHARE = 10


def claims_walked(queryset, q: str, many: int):
    """`filter_claims` for a caller that walks its own rows in their order and asks each for
    one of the claims of `queryset` (the facts walked in id order, each asked for a matching
    claim: FactQuerySet.stating with `walk`), when at least `many` claims of any status match
    `q`; None when fewer do, or the backend cannot say, for the caller to gather the matches'
    facts instead; none of the claims (`none()`) when the count it asks finds no match of any
    status, so that the facts are neither walked nor gathered (a search of two words never
    together asked the index for their matches twice: counted here, then gathered).

    - PostgreSQL: `filter_claims`; each claim's text row is read by its primary key and its
      document tested. The planner's estimate decides (an EXPLAIN: no row is read): a count
      reads a table page for each match (54 ms for the 12,630 claims of a word at a million),
      and the estimate, from the index's statistics, was within 3% of the count for words in
      1%, 5% and 25% of the claims. Of several words it multiplies their shares, as if they
      were independent: `with that` was estimated at 30,026 claims where none has both, and
      the facts' walk then tested all 800,000 published claims (1.8 s). Such a search is
      counted before it is walked, up to a tenth of `many` (`pg_capped_count`, WALKED_SHARE).
    - FTS5: the matches are counted in the index, no further than `many`. Words of one or two
      characters matched by PROBED_SHARE of the claims or more (the count over the id of the
      last match counted) are probed in the index claim by claim: the index holds their lists
      (claim_text.PREFIXES), which a probe seeks in. Otherwise the matches are read once into
      a list, which each claim looks itself up in (`pk + 0`, so that SQLite walks the claims
      of each fact rather than reading every match's claim row through the list). A longer
      word is never probed: FTS5 first merges the lists of every word it starts on each probe
      (`ministry`: a minute for 3,000 facts). Gathered instead, the facts of `ministry`'s
      250,000 matches at a million claims took 140 ms (each match's claim row read for its
      fact and status); read into a list and walked, 30 ms.
    """
    using = queryset.db
    kind = backend(using)
    if not words(q) or kind not in ("fts5", "postgresql") or not claim_text.ready(connections[using]):
        return None
    if kind == "postgresql":
        many_estimated = pg_estimated_count(using, q) >= many
        if many_estimated and len(words(q)) > 1:  # the estimate takes the words as independent
            enough = max(1, many // WALKED_SHARE)
            counted = pg_capped_count(using, q, cap=enough)
            if not counted:
                return queryset.none()
            many_estimated = counted >= enough
        return filter_claims(queryset, q) if many_estimated else None
    match = fts5_query(q)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), max(rowid) FROM ({claim_text.SQLITE_MATCH} LIMIT {int(many)})",  # noqa: S608 - constant SQL
            [match],
        )
        found, last = cursor.fetchone()
    if not found:
        return queryset.none()
    if found < many:
        return None
    if not short_prefix_only(q) or found < PROBED_SHARE * last:
        listed = RawSQL(claim_text.SQLITE_MATCH, [match])  # noqa: S611 - constant SQL
        return queryset.alias(_walked_pk=F("pk") + 0).filter(_walked_pk__in=listed)
    return queryset.filter(_ClaimMatches(F("pk"), Value(match)))


def short_prefix_only(q: str, longest: int = claim_text.LONGEST_PREFIX) -> bool:
    """Whether every word of `q` has one or two characters (`longest`): lists the claim text
    index holds (claim_text.PREFIXES), so that one claim can be asked of them quickly."""
    return all(len(term) <= longest for term in words(q))


def _probes_fast(q: str) -> bool:
    """Whether an entity can be probed for `q` in the name tables quickly: every word is one
    of the lists their prefix indexes hold (entity_names.PREFIXES), which a probe seeks in.
    A longer word's prefix term merges the lists of every word it starts, once per probe: at
    a million claims a probe for `a` took 0.06 ms, for `bet` or `between` (116,331 names) 6 ms,
    and `entities/?q=between` walked 13.7 s to its first page."""
    return short_prefix_only(q, entity_names.LONGEST_PREFIX)


def short_prefix(q: str) -> bool:
    """Whether `q` has a word of one or two characters: a prefix that matches a large part of
    any text table (`a` most claims), whose every match an index hands over before the first."""
    return any(len(term) <= claim_text.LONGEST_PREFIX for term in words(q))


def pg_estimated_count(using: str, q: str) -> int:
    """The planner's estimate of the claims (of any status) that match `q`."""
    with connections[using].cursor() as cursor:
        return _estimated_rows(cursor, claim_text.PG_MATCH, [pg_tsquery(q)])


def _estimated_rows(cursor, sql: str, params: list) -> int:
    """The planner's estimate of the rows `sql` answers with."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


# The claim text index as a join: (table, the ordering that is id order).
JOINED_ORDER = (claim_text.FTS, f"{claim_text.FTS}.rowid")
# The conditions `join_claims` adds: the index's rowid is the claim's id, and the query.
JOINED_WHERE = (f'"{claim_text.FTS}".rowid = "factbase_claim"."id"', f'"{claim_text.FTS}" MATCH %s')


# PostgreSQL: the attribute of a QuerySet's query that holds the `q` of its claim text
# search (join_claims), for its capped count (pg_capped_count).
PG_SEARCHED = "factbase_claim_text_q"


def join_claims(queryset, q: str):
    """`filter_claims` for a query that is only narrowed further (the API's lists). With FTS5
    the claim text index is joined rather than read into an IN list, and ordered by its
    rowid, the claim id: SQLite then walks the index in order and stops when the page (or
    the capped count) is full, instead of collecting and sorting every match (at a million
    claims, 1 ms instead of 3 ms for a word in 2% of claims). On PostgreSQL the query notes
    `q` (PG_SEARCHED), so that its capped count can be read from the index table alone
    (`pg_capped_count`). Other backends, and a `q` without words, take `filter_claims`. A
    joined queryset must not be combined with `|`."""
    kind = backend(queryset.db)
    if not words(q) or kind not in ("fts5", "postgresql") or not claim_text.ready(connections[queryset.db]):
        return filter_claims(queryset, q)
    if kind == "postgresql":
        return filter_claims(queryset, q)  # which notes `q` (PG_SEARCHED)
    table, order = JOINED_ORDER
    return queryset.extra(  # noqa: S610 - constant SQL, the query bound as a parameter
        tables=[table], where=JOINED_WHERE, params=[fts5_query(q)], order_by=[order]
    )


def pg_searched(queryset) -> str | None:
    """The `q` of a PostgreSQL claim text search made by join_claims, else None."""
    return getattr(queryset.query, PG_SEARCHED, None)


def pg_fact_ids(using: str, q: str, status: str | None = None) -> RawSQL:
    """The facts of the claims (of `status`, or of any status) that match `q`, from the
    claim text table alone (it repeats each claim's fact), for an IN filter."""
    with connections[using].cursor() as cursor:
        exact = _exact_query(cursor, q)
    of_status, status_param = _equalities(status)
    sql = claim_text.PG_FACT_IDS.format(
        query=claim_text.PG_QUERY_TEXT if exact is None else claim_text.PG_QUERY_EXACT, status=of_status
    )
    return RawSQL(sql, [pg_tsquery(q) if exact is None else exact, *status_param])  # noqa: S611 - constant SQL


# The most matches (the planner's estimate, of any status) whose facets are counted whole from
# the claim facet index (TextRows.grouped_whole) rather than walked.
ONE_PASS_MATCHES = 300_000
# The most matches (the planner's estimate, of the list's status and equalities) of a search of
# one-letter words whose facets are counted whole from the claim facet index's letters. Every
# row of the index is read whatever the matches: at a million claims 40 ms for 50,000 matches
# grouped, 77 ms for 204,000, 165 ms for the 650,000 published matches of `a`, which the walks
# count in 35.
LETTER_MATCHES = 100_000
# Below this many matches of a letter (the planner's estimate, of any status), they are walked:
# the walks read no more than their matches, from the GIN index (api/facets.WALK: at a million
# claims `q`'s 4,722 published matches in 24 ms, where reading every row takes 48).
LETTER_WALKED = 20_000


@dataclass(frozen=True)
class TextRows:
    """The claims that match a query (of one status, or of any), each read from the claim
    text table alone as its row stands there (PostgreSQL): the columns it repeats
    (claim_text.REPEATED), never the claim row. `held`: only the rows that hold one of these
    (column, value) pairs. For the facets of a search (api/facets.py), which at a million
    claims read 13,000-20,000 claim rows for their facet columns, one random lookup each."""

    q: str
    status: str | None = None
    held: tuple[tuple[str, object], ...] = ()
    # Only the rows after this claim id (a walk continued where the last stopped).
    after: int | None = None
    # The list's own equalities besides the search and the status, each (lookup, value):
    # a column of claim_facets.HELD, or the predicate's slug (PREDICATE_SLUG).
    fixed: tuple[tuple[str, object], ...] = ()

    def holding_any(self, pairs) -> TextRows:
        return replace(self, held=tuple(pairs))

    def continued_after(self, pk: int) -> TextRows:
        return replace(self, after=pk)

    def absent(self, pairs, using: str) -> list[tuple[str, object]]:
        """Of the (column, value) `pairs`, those that no claim matching the query holds (of
        any status), proved from the claim text index's values table (claim_text.VALUES_TABLE):
        a value is held by no match when one word of the query has no word beside it there
        (each word is a prefix term). One statement besides the query's words, read from the
        query as PostgreSQL parses it; none proved when it is not a plain AND of prefix terms,
        or a column is not one the table keys. For the facets of a search: at a million
        claims, the 12 predicates no match of `with` holds were proved so by walking every
        match after the first walk's last (217 ms); from the table, 1 ms."""
        if not pairs or not {column for column, _ in pairs} <= set(claim_text.VALUE_LETTERS):
            return []
        with connections[using].cursor() as cursor:
            ranges = _query_ranges(cursor, self.q)
            if not ranges:
                return []
            tokens = {claim_text.value_token(column, value): (column, value) for column, value in pairs}
            cursor.execute(
                claim_text.PG_VALUES_ABSENT,
                [list(tokens), [low for low, _ in ranges], [high for _, high in ranges]],
            )
            return [tokens[token] for (token,) in cursor.fetchall()]

    def grouped_whole(self, columns: list[str], using: str) -> list[tuple[tuple, int]] | None:
        """Every match grouped by all of `columns` at once, each group (its values, in the
        columns' order; its matches), in one statement from the claim facet index
        (claim_facets.py): each match one narrow row, found by the index's GIN, or for a query
        of one-letter words by its letters (`_letters`). None when that is not the faster
        way or not possible: the index is not installed, a column is not one it holds, the rows
        are narrowed (`held`, `after`), the query has a word of two letters, or of one beside
        longer ones (`short_prefix`), or more than ONE_PASS_MATCHES estimated matches (the
        walks stop early where matches are dense: at a million claims `of`, 616,000 of them,
        took 180 ms walked against 250 ms counted whole), or it is not plain prefix terms
        ANDed (a phrase's index entries need the document read again, row by row).

        At a million claims the facets of a word of middling frequency (`conference`, 54,000
        published matches) took 555 ms walked from the claim text table, whose heap is too
        wide for PostgreSQL's default buffers, against 102-140 ms counted here (the statement
        72 ms)."""
        connection = connections[using]
        if (
            self.held
            or self.after is not None
            or not set(columns) <= set(claim_facets.HELD)
            or not claim_facets.ready(connection)
        ):
            return None
        with connection.cursor() as cursor:
            if short_prefix(self.q):
                bits = _letters(cursor, self.q, self.status, self.fixed)
                if bits is None:
                    return None
                matched = (claim_facets.letters_held(bits), bits)
            elif not _query_ranges(cursor, self.q) or pg_estimated_count(using, self.q) > ONE_PASS_MATCHES:
                return None
            else:
                matched = (f"{claim_facets.DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)", [pg_tsquery(self.q)])
            held, params = _equalities(self.status, facet_code, self.fixed)
            selected = ", ".join(columns)
            cursor.execute(
                f"SELECT {selected}, count(*) FROM {claim_facets.TABLE} "  # noqa: S608 - columns checked above
                f"WHERE {matched[0]}{held} GROUP BY {selected}",
                [*matched[1], *params],
            )
            # Grouped by the codes, decoded here: decoded in the statement, every row was.
            decode = [claim_facets.decoder(column) for column in columns]
            return [
                (tuple(value(code) for value, code in zip(decode, row[:-1], strict=True)), row[-1])
                for row in cursor.fetchall()
            ]

    def of_fact(self, fact) -> _FactMatches:
        """Whether the fact whose id is the expression `fact` has a claim among these rows:
        for the facts walked in id order, each asked for one (FactQuerySet.stating with
        `walk`), from the claim text table alone through its btree by fact
        (claim_text.PG_FACT_INDEX). At a million claims the capped count of
        `facts/?q=ministry with` (45,451 published matches) took 62 ms asked through the
        claims, 14-16 ms here."""
        if self.held or self.after is not None or self.fixed:
            raise ValueError("A walk by fact asks for any match: not narrowed by values or position.")
        where, params = self._where()
        return _FactMatches(fact, where=" AND ".join(where), params=params)

    def _where(self) -> tuple[list[str], list]:
        """The conditions on the claim text table's rows that keep the matches of the query
        (of the status, when one), and their parameters."""
        held, params = _equalities(self.status, fixed=self.fixed)
        return [f"document @@ to_tsquery('simple'::regconfig, %s){held}"], [pg_tsquery(self.q), *params]

    def sql(self, columns: dict[str, str], limit: int, *, last: bool = False) -> tuple[str, list]:
        """`SELECT <column> AS <name>, … LIMIT limit` over these rows, for `{name: column}`;
        with `last`, in claim id order and with the id as `walked_pk` (counts.walked_counts)."""
        if not set(columns.values()) <= set(claim_text.REPEATED) or not {c for c, _ in self.held} <= set(
            claim_text.REPEATED
        ):
            raise ValueError(f"The claim text table repeats only {', '.join(claim_text.REPEATED)}.")
        where, params = self._where()
        if self.held:
            where.append("(" + " OR ".join(f"{column} = %s" for column, _ in self.held) + ")")
            params.extend(value for _, value in self.held)
        if self.after is not None:
            where.append("claim_id > %s")
            params.append(self.after)
        selected = ", ".join(f"{column} AS {name}" for name, column in columns.items())
        order = ""
        if last:
            selected += ", claim_id AS walked_pk"
            order = " ORDER BY claim_id"
        return (
            f"SELECT {selected} FROM {claim_text.TABLE} WHERE {' AND '.join(where)}{order} LIMIT {int(limit)}",  # noqa: S608 - columns checked above
            params,
        )


class _FactMatches(Func):
    """PostgreSQL: whether the fact of the id expression has a row of the claim text table
    that meets `where` (TextRows.of_fact), read through the table's btree by fact."""

    output_field = BooleanField()

    def __init__(self, fact, *, where: str, params: list):
        super().__init__(fact)
        self.where, self.params = where, params

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        sql = f"EXISTS (SELECT 1 FROM {claim_text.TABLE} WHERE fact_id = {column} AND {self.where})"  # noqa: S608 - constant SQL
        return sql, [*column_params, *self.params]


# A prefix term of a tsquery's text, as PostgreSQL writes it: 'with':*
PREFIX_TERM = re.compile(r"'([^'\\]+)':\*")


def _prefix_ranges(tsquery_text: str) -> list[tuple[str, str]]:
    """The word range (claim_text.word_range) of each term of a tsquery's text when it is
    prefix terms ANDed (`pg_tsquery`'s, but for a chunk PostgreSQL parses into a phrase, such
    as a hyphenated word); else none."""
    terms = [PREFIX_TERM.fullmatch(term) for term in tsquery_text.split(" & ")]
    if not terms or not all(terms):
        return []
    ranges = [claim_text.word_range(term.group(1)) for term in terms]
    return [] if None in ranges else ranges


def _query_ranges(cursor, q: str) -> list[tuple[str, str]]:
    """The word range of each prefix term of `pg_tsquery(q)` as PostgreSQL parses it
    (`_prefix_ranges`): one statement."""
    cursor.execute("SELECT to_tsquery('simple'::regconfig, %s)::text", [pg_tsquery(q)])
    return _prefix_ranges(cursor.fetchone()[0])


def text_rows(queryset, columns, *, narrowed: bool = False) -> TextRows | None:
    """`queryset` as TextRows, when it is a PostgreSQL claim text search of every claim or of
    the published ones and nothing else (ClaimQuerySet.text_search), or, `narrowed`, with
    equalities the text table answers besides (ClaimQuerySet.narrowed_text_search), and the
    text table repeats every one of `columns`; else None."""
    found = getattr(queryset, "narrowed_text_search" if narrowed else "text_search", None)
    searched = found() if found is not None else None
    if searched is None or not set(columns) <= set(claim_text.REPEATED):
        return None
    if narrowed:
        q, status, fixed = searched
        return TextRows(q, status, fixed=fixed)
    return TextRows(*searched)


# `terms` not found yet (pg_capped_count, pg_capped_ids): their statement finds them. None is
# an answer (no exact words), which a caller that found it passes on.
UNASKED = object()


def pg_capped_count(using: str, q: str, status: str | None = None, fixed=(), *, cap: int, terms=UNASKED) -> int:
    """How many claims match `q` (of `status`, or of any status), counting no further than
    cap + 1, from the claim text table alone: it holds each claim's status, so no claim row
    is looked up (at a million claims the count of a common word looked up 1,001 of them).
    Each prefix term is asked as the words it matches, when they are few (`pg_exact_terms`,
    which `terms` gives when the caller found them already)."""
    return _pg_capped(using, q, status, fixed, cap=cap, select="count(*)", terms=terms)[0][0]


def pg_capped_ids(using: str, q: str, status: str | None = None, fixed=(), *, cap: int, terms=UNASKED) -> list[int]:
    """The ids of the claims that match `q` (of `status`, or of any status), no more than
    cap + 1 of them and in no order, read as `pg_capped_count` counts them: when there are
    no more than `cap`, every match (ClaimQuerySet.capped_matches)."""
    return [pk for (pk,) in _pg_capped(using, q, status, fixed, cap=cap, select="claim_id", terms=terms)]


def _pg_capped(using: str, q: str, status: str | None, fixed, *, cap: int, select: str, terms=UNASKED) -> list[tuple]:
    """The statement of `pg_capped_count` and `pg_capped_ids`, the matches kept by the status
    and by the equalities `fixed` (TextRows.fixed) when given. A query of one exact word (a
    prefix term that matches one word: `pg_exact_terms`) is read from the claim word index
    (claim_words.py), the word's entries of the status in its btree (nothing fixed: it holds
    no other column), stopping at the cap: at a million claims the capped count of
    `submarines` (18,609 matches) read 1,001 entries there (0.3 ms) where the GIN index
    below gathered all 18,609 into a bitmap first.

    Else on the claim text table or, for a query of exact words that the planner would find
    through the GIN index there (a bitmap scan), on the claim facet index (claim_facets.py)
    where it is installed. That holds the same matches, found by a GIN index over the same
    documents, but each a 56-byte row where the claim text table's are 300, so the first
    1,001 matches lie on fewer pages: at a million claims the capped count of `submarines`
    visited 478 pages there against 1,038 (4.6 against 8.6 ms, before the claim word index
    took a word's counts). A word the planner finds dense it reads in table order
    (`according`, 200,668 matches: 2.5 ms), which on the facet index would call the index's
    function on each row, and by the index costs more as the matches grow (22.5 ms). Only
    exact words: their index entries need no recheck, which would read each row's document
    through that function. The plan is asked first (EXPLAIN, 0.3 ms).

    A query of one-letter words of many matches is read from the claim facet index's letters
    where `_letters` says so, its rows in table order until the cap: at a million claims the
    count of `a` narrowed to a predicate and a polarity read the claim text table's rows for
    its 1,001 (72 ms); from the letters, 23."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if terms is UNASKED:
            terms = _exact_terms(cursor, q)
        of_status, status_param = _equalities(status, fixed=fixed)
        word = _one_word(terms)
        if word is not None and not fixed and claim_words.ready(connection):
            sql = claim_words.PG_CAPPED.format(select=select, status=of_status, cap=int(cap) + 1)
            cursor.execute(sql, [word, *_equalities(status, facet_code)[1]])
            return cursor.fetchall()
        bits = _letters(cursor, q, status, fixed) if short_prefix(q) and claim_facets.ready(connection) else None
        capped = partial(claim_text.PG_CAPPED.format, select=select, status=of_status, cap=int(cap) + 1)
        if bits is not None:
            sql = capped(table=claim_facets.TABLE, matched=claim_facets.letters_held(bits))
            cursor.execute(sql, [*bits, *_equalities(status, facet_code, fixed)[1]])
            return cursor.fetchall()
        exact = _exact_text(terms)
        query = claim_text.PG_QUERY_TEXT if exact is None else claim_text.PG_QUERY_EXACT
        matched = partial(claim_text.PG_MATCHED.format, query=query)
        sql = capped(table=claim_text.TABLE, matched=matched(document="document"))
        params = [pg_tsquery(q) if exact is None else exact, *status_param]
        if exact is not None and claim_facets.ready(connection) and _bitmap_planned(cursor, sql, params):
            sql = capped(table=claim_facets.TABLE, matched=matched(document=claim_facets.DOCUMENT))
            params = [exact, *_equalities(status, facet_code, fixed)[1]]
        cursor.execute(sql, params)
        return cursor.fetchall()


def _letters(cursor, q: str, status: str | None, fixed) -> list[int] | None:
    """The bits of the claim facet index's letters (claim_facets.letter_bits) that keep the
    matches of `q` when it is words of one letter each, to be read there rather than through a
    GIN index (TextRows.grouped_whole, `_pg_capped`); None for a query of other words, of few matches
    (LETTER_WALKED: the GIN index hands them over at once), or whose matches of `status` and
    the equalities `fixed` the planner puts above LETTER_MATCHES. Every row of the index may
    be read: worth it where a walk through the claim text table would read many rows for
    each match it keeps (`a`, in 81% of the claims, narrowed to a predicate that one in
    sixteen holds)."""
    ranges = _query_ranges(cursor, q)
    bits = claim_facets.letter_bits([low for low, _ in ranges]) if ranges else None
    if bits is None:
        return None
    every = _estimated_rows(cursor, claim_text.PG_MATCH, [pg_tsquery(q)])
    if every <= LETTER_WALKED:
        return None
    # The list's own matches, estimated again only where they could be fewer than the
    # letter's (a status or equalities) and the letter's are too many.
    held, params = _equalities(status, fixed=fixed)
    if every > LETTER_MATCHES and (
        not held or _estimated_rows(cursor, f"{claim_text.PG_MATCH}{held}", [pg_tsquery(q), *params]) > LETTER_MATCHES
    ):
        return None
    return bits


def _equalities(status: str | None, held=lambda column, value: value, fixed=()) -> tuple[str, list]:
    """The clause (" AND status = %s …") that keeps a row of the claim text table, the claim
    facet index or the claim word index of `status`, and of each of the equalities `fixed`
    (TextRows.fixed), and their parameters, each value as the table holds it (`held(column,
    value)`: the claim facet and word indexes hold codes, `facet_code`); none for every
    status and nothing fixed."""
    pairs = ([] if status is None else [("status", status)]) + list(fixed)
    return "".join(f" AND {_held_sql(column)}" for column, _ in pairs), [held(column, value) for column, value in pairs]


def facet_code(column: str, value):
    """`value` of `column` as the claim facet index holds it: a code for a text column
    (claim_facets.CODED), else the value."""
    return claim_facets.code(column, value) if column in claim_facets.CODED else value


def _bitmap_planned(cursor, sql: str, params: list) -> bool:
    """Whether PostgreSQL plans `sql` with a bitmap scan (an index's matches gathered first)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    return '"Bitmap Heap Scan"' in (plan if isinstance(plan, str) else json.dumps(plan))


@dataclass(frozen=True)
class TextPage:
    """The ids of the claims that match `q` (of `status`, or of any status), in id order
    (descending with `descending`): sliced, one statement gives a window of them as the
    paginator's rows, `{"pk": id}` (ClaimQuerySet.text_page, api/pagination.py). Read from
    the claim word index's btree (claim_words.py) when the query is one exact word (`terms`,
    from `pg_exact_terms`) of one status: at a million claims the first page of `submarines`
    1.8 ms → 0.1 ms. Else from the claim text table alone (`PG_PAGE`), not joined to the
    claims for their status: 4.1 ms → 1.8 ms."""

    using: str
    q: str
    status: str | None = None
    descending: bool = False
    terms: list[list[str]] | None = None
    # Equalities besides the status (TextRows.fixed): read from the claim text table.
    fixed: tuple[tuple[str, object], ...] = ()

    def __getitem__(self, window: slice) -> list[dict]:
        start = window.start or 0
        direction = " DESC" if self.descending else ""
        word = _one_word(self.terms)
        if (
            word is not None
            and self.status is not None
            and not self.fixed
            and claim_words.ready(connections[self.using])
        ):
            sql = claim_words.PG_PAGE.format(direction=direction)
            params = [word, facet_code("status", self.status), window.stop - start, start]
        else:
            of_status, status_param = _equalities(self.status, fixed=self.fixed)
            sql = claim_text.PG_PAGE.format(status=of_status, direction=direction)
            params = [pg_tsquery(self.q), *status_param, window.stop - start, start]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return [{"pk": pk} for (pk,) in cursor.fetchall()]


# A prefix term is asked as the words it matches when it matches no more than this many.
EXACT_WORDS = 8


def _exact_query(cursor, q: str) -> str | None:
    """`pg_tsquery(q)` as a tsquery's text with each prefix term swapped for the words of the
    claim texts that it matches, ORed (`'submarines:*'` → `'submarines'`): `_exact_terms`
    written out; None when they are none. GIN reads a word's list straight, where a prefix
    term first gathers every match into a bitmap: at a million claims the capped count of
    `submarines:*` (18,609 matches) took 11-13 ms, of the word itself 5-7 ms."""
    return _exact_text(_exact_terms(cursor, q))


def pg_exact_terms(using: str, q: str) -> list[list[str]] | None:
    """`_exact_terms` of `q` on the database `using` (its statements on a cursor of its own),
    for a caller that asks more than once (ClaimQuerySet.text_terms)."""
    with connections[using].cursor() as cursor:
        return _exact_terms(cursor, q)


def _exact_terms(cursor, q: str) -> list[list[str]] | None:
    """The words of the claim texts that each prefix term of `pg_tsquery(q)` matches, in
    order, a list per term, read from the claim text index's values table, where every word
    of a document is paired with its claim's status; None when a term matches none or more
    than EXACT_WORDS, or the query is not prefix terms ANDed (`_prefix_ranges`). The words
    are the prefix term's matches exactly, so a query of them has the same answer."""
    if short_prefix(q):
        return None
    ranges = _query_ranges(cursor, q)
    if not ranges:
        return None
    statuses = [claim_text.value_token("status", status) for status in ClaimStatus.values]
    cursor.execute(
        claim_text.PG_VALUES_WORDS.format(limit=EXACT_WORDS + 1),
        [[low for low, _ in ranges], [high for _, high in ranges], statuses],
    )
    found: dict[int, list[str]] = {}
    for position, word in cursor.fetchall():
        found.setdefault(position, []).append(word)
    terms = [sorted(found.get(position, [])) for position in range(1, len(ranges) + 1)]
    return terms if all(0 < len(term) <= EXACT_WORDS for term in terms) else None


def _exact_text(terms: list[list[str]] | None) -> str | None:
    """`terms` (`_exact_terms`) as a tsquery's text: each term's words ORed, the terms ANDed."""
    if terms is None:
        return None
    return " & ".join("(" + " | ".join(_tsquery_word(word) for word in term) + ")" for term in terms)


def _one_word(terms: list[list[str]] | None) -> str | None:
    """The word, when `terms` (`_exact_terms`) are one term of one word; else None."""
    return terms[0][0] if terms is not None and len(terms) == 1 and len(terms[0]) == 1 else None


def _tsquery_word(word: str) -> str:
    """`word` quoted as a tsquery's text holds it: in quotes, a backslash and a quote escaped."""
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def is_joined(queryset) -> bool:
    """Whether `queryset` joins the claim text index (`join_claims`)."""
    return JOINED_ORDER[0] in queryset.query.extra_tables


def joined_after(queryset, pk: int):
    """A joined claim search (`join_claims`) told the keyset position too, so that the index
    seeks to it instead of reading every match before it; other querysets unchanged."""
    if is_joined(queryset):
        return queryset.extra(where=[f"{JOINED_ORDER[1]} > %s"], params=[pk])  # noqa: S610 - constant SQL
    return queryset


def joined_holding_any(queryset, pairs):
    """A joined claim search (`join_claims`) narrowed in the index to the matches that hold
    one of the (column, value) `pairs` (claim_text.facets_match), when the index holds a
    token of each column (claim_text.TOKENIZED): a second MATCH, which FTS5 intersects with
    the query's own lists, so that the matches holding none are never read. The caller
    filters the claims by the same pairs; None for other querysets, or other columns. For
    the facets of a search (api/facets.py): at a million claims the 12 predicates that no
    match of `with` holds were proved so by reading all 191,619 published matches' rows
    (102 ms)."""
    if not is_joined(queryset) or not pairs or not {column for column, _ in pairs} <= set(claim_text.TOKENIZED):
        return None
    table = JOINED_ORDER[0]
    return queryset.extra(where=[f'"{table}" MATCH %s'], params=[claim_text.facets_match(pairs)])  # noqa: S610 - constant SQL


def joined_holding_each(queryset, pairs):
    """A joined claim search (`join_claims`) whose filters fix columns to the (column, value)
    `pairs` (a facet value chosen: the list's own conditions, which stay), narrowed in the
    index to the matches that hold every one whose column it holds a token of
    (claim_text.TOKENIZED), or the predicate of a slug (PREDICATE_SLUG: its token read from
    the predicate, claim_text.SQLITE_PREDICATE_OF_SLUG): a MATCH of each, which FTS5
    intersects with the query's lists, so that the matches of other values are never read.
    Other querysets, and other columns, unchanged. For a claim search narrowed to facet
    values (api/filters.py, ClaimFilterSet), its page, its count and its facets: at a million
    claims the first walk of the facets of `q=a&predicate=…` read 395,168 matches of `a` for
    the 20,000 of the predicate (84 ms), and 17 ms intersected with its token; the capped
    count of `q=a&modality=possible&polarity=negated`, of which there is none, read every
    match of `a` (200 ms), and 6.6 ms intersected."""
    for column, value in pairs:
        if column == PREDICATE_SLUG and is_joined(queryset):
            table = JOINED_ORDER[0]
            queryset = queryset.extra(  # noqa: S610 - constant SQL
                where=[f'"{table}" MATCH {claim_text.SQLITE_PREDICATE_OF_SLUG}'], params=[value]
            )
            continue
        held = joined_holding_any(queryset, [(column, value)])
        if held is not None:
            queryset = held
    return queryset


_JOINED_FROM = f'FROM "factbase_claim" , "{JOINED_ORDER[0]}"'
_CLAIM_COLUMN = re.compile(r'"factbase_claim"\."(\w+)"')


def covered(queryset, sql: str) -> str:
    """The statement `sql` of a joined claim search (`join_claims`) told to look its claims up
    in the covering index of the facet columns (claim_text.SQLITE_COVER, `INDEXED BY`), when
    every claim column it names is there; otherwise `sql` unchanged. SQLite looks a rowid up
    in the table itself whenever it can, and the claim rows are wide: at a million claims,
    20,000 matches of `conference` joined to their claims took 22.7 ms from the table, 14.5
    from this index."""
    if (
        not is_joined(queryset)
        or _JOINED_FROM not in sql
        or not set(_CLAIM_COLUMN.findall(sql)) <= set(claim_text.SQLITE_COVER_COLUMNS)
        or not claim_text.cover_ready(connections[queryset.db])
    ):
        return sql
    return sql.replace(
        _JOINED_FROM, f'FROM "factbase_claim" INDEXED BY {claim_text.SQLITE_COVER} , "{JOINED_ORDER[0]}"', 1
    )


def joined_holding_none(queryset, excluded: dict[str, list]):
    """A joined claim search (`join_claims`) narrowed in the index to the matches that, for
    some column of `excluded`, hold none of its values: the query's own MATCH rewritten as
    `(query) NOT (values of one column)`, ORed over the columns. A claim holds one token of
    each column (claim_text.TOKENIZED), so when `excluded` lists every value of a column but
    some, those matches are the ones that hold one of the rest, as `joined_holding_any`
    finds them, from fewer lists when the values left out are the more: at a million
    claims, the matches of `conference` after its first walk that hold one of the 12
    predicates none of its first 20,000 holds, proved to be none, took FTS5 19 ms as the 12
    ORed, and 7 ms as `NOT` the other 4. None for other querysets, other columns, or a
    column with no value."""
    if not is_joined(queryset) or not excluded or not set(excluded) <= set(claim_text.TOKENIZED):
        return None
    if not all(excluded.values()):
        return None
    children = conditions.anded(queryset) or []
    found = [n for n, child in enumerate(children) if isinstance(child, ExtraWhere) and child.sqls == JOINED_WHERE]
    if len(found) != 1:
        return None
    (query,) = children[found[0]].params
    match = " OR ".join(
        f"(({query}) NOT ({claim_text.facets_match([(column, value) for value in values])}))"
        for column, values in excluded.items()
    )
    return conditions.without(queryset, found[0]).extra(where=JOINED_WHERE, params=[match])  # noqa: S610 - constant SQL


def joined_in_id_order(queryset, *, descending: bool = False):
    """A joined claim search ordered by id, in the index's own order (its rowid is the
    claim id), ascending or descending; other querysets unchanged."""
    if is_joined(queryset):
        return queryset.extra(order_by=[f"-{JOINED_ORDER[1]}" if descending else JOINED_ORDER[1]])
    return queryset


def join_claim_spans(queryset, q: str):
    """`queryset` of source spans narrowed to the spans of claims whose text matches `q`
    (`filter_claims`). With FTS5 the claim text index is joined on the span's claim and
    read in its rowid order, the claim id (`joined_in_claim_order`): a common word is walked
    in claim order and a page stops when full, where an IN list first gathered every
    matching claim (1.5 s for `m` at a million claims). Elsewhere that IN list."""
    claims = apps.get_model("factbase", "Claim").objects.db_manager(queryset.db).all()
    if not words(q) or backend(queryset.db) != "fts5" or not claim_text.ready(connections[queryset.db]):
        return queryset.filter(claim__in=filter_claims(claims, q).values("pk"))
    table, order = JOINED_ORDER
    spans = queryset.model._meta.db_table
    return queryset.extra(  # noqa: S610 - constant SQL, the query bound as a parameter
        tables=[table],
        where=[f'"{table}".rowid = "{spans}"."claim_id"', f'"{table}" MATCH %s'],
        params=[fts5_query(q)],
        order_by=[order],
    )


def joined_in_claim_order(queryset):
    """Spans joined to the claim text index (`join_claim_spans`) in claim order, the claims
    read in the index's own order; other querysets unchanged. Only the index's rowid is
    named: a claim's spans then come from the span table's claim index, which ends with
    their id (a second ORDER BY term made SQLite sort every match: 0.6 s for `m`)."""
    if is_joined(queryset):
        return queryset.extra(order_by=[JOINED_ORDER[1]])
    return queryset


# --- documents ------------------------------------------------------------------------


def trigram_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression for the trigram table: every word as a quoted phrase (a
    substring of the title or the text), ANDed. Words hold only letters and digits."""
    return " AND ".join(f'"{word}"' for word in terms)


# SQLite: with more documents than this holding the words, a list walks its own order and
# tests each text, since a page then fills after a few hundred texts at most, and the capped
# count after a few thousand; with fewer, it reads the index's matches (a rare word otherwise
# means reading every text: 100 MB at a million claims). PostgreSQL decides by itself, from
# the statistics of its trigram indexes.
MANY_DOCUMENTS = 2_000


class _UpperTextContains(Func):
    """PostgreSQL: whether a document's text contains a word, case-insensitively, asked as
    `text__icontains` asks it (`UPPER(text) LIKE UPPER('%word%')`) but of the stored
    upper-cased copy (document_text.PG_UPPER_TEXT), so that no text is upper-cased (or
    decompressed) per request. The first expression is the text column, for its table."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        text, word = self.source_expressions
        column, params = compiler.compile(text)
        table = column.rsplit(".", 1)[0]
        pattern = f"%{connection.ops.prep_for_like_query(word.value)}%"
        return f'{table}."{document_text.PG_UPPER_TEXT}" LIKE UPPER(%s)', [*params, pattern]


def filter_documents(queryset, q: str):
    """`queryset` narrowed to documents whose title or text contains every word of `q`,
    case-insensitively (`icontains`: the meaning on every backend). On PostgreSQL the
    trigram indexes serve those very conditions (the text's asked of its stored upper-cased
    copy, `_UpperTextContains`). On SQLite, unless the words are common
    (MANY_DOCUMENTS), the trigram table first narrows the documents to those holding every
    word of three characters or more, and the conditions then decide on those alone (the
    table folds case as LIKE does, and more widely: it finds a superset). Without words,
    nothing."""
    terms = words(q)
    if not terms:
        return queryset.none()
    connection = connections[queryset.db]
    upper_text = connection.vendor == "postgresql" and document_text.ready(connection)
    condition = Q()
    for word in terms:
        in_text = Q(_UpperTextContains(F("text"), Value(word))) if upper_text else Q(text__icontains=word)
        condition &= Q(title__icontains=word) | in_text
    queryset = queryset.filter(condition)
    indexed = [word for word in terms if len(word) >= document_text.MIN_WORD]
    if indexed and connection.vendor == "sqlite" and document_text.ready(connection):
        query = trigram_query(indexed)
        if _capped_count(queryset.db, document_text.SQLITE_MATCH, [query], MANY_DOCUMENTS) <= MANY_DOCUMENTS:
            found = RawSQL(document_text.SQLITE_MATCH, [query])  # noqa: S611 - constant SQL
            queryset = queryset.filter(pk__in=found)
    return queryset
