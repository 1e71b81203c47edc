"""Facets: `?facets=status,predicate` on a list adds, beside the page, how many of all the
rows matching the filters hold each value of those fields:
`"facets": {"status": [{"value": "published", "label": "Published", "count": 812}, …]}`.

Counts are exact up to the list's own cap (COUNT_CAP, as `count`) and null beyond it ("more
than 1,000"), so that a facet never counts a million rows (count_facets says how). Values
that no matching row holds are left out; the rest come commonest first.

Each list declares the facets it offers (`facets` on its view): a field of a few values
(its choices) or a relation to a small table (a claim's predicate, by slug)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from math import prod
from operator import or_

from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from rest_framework.exceptions import ValidationError

from api.pagination import COUNT_CAP
from factbase.indexes import conditions, search
from factbase.indexes.counts import (
    Arms,
    capped_counts,
    continued_after,
    grouped_counts,
    in_id_order,
    walked_counts,
    whole_counts,
)

FACETS_PARAM = "facets"
# The rows a filtered list walks once for all its facets (count_facets).
WALK = 20_000


@dataclass(frozen=True)
class Facet:
    """One facet: the ORM path its values are compared on, and its values as (value
    compared, value shown, label), or a function that reads them (a table's rows)."""

    lookup: str
    values: tuple | Callable[[], list]
    # The ORM path of the value shown, where a filter compares that instead (the predicate's
    # slug, through a join): a list so filtered holds that value alone (`shown_fixed`).
    shown_lookup: str = ""

    def choices(self) -> list[tuple]:
        return list(self.values() if callable(self.values) else self.values)


def of_choices(lookup: str, choices) -> Facet:
    """A facet over a field with choices (a TextChoices' `.choices`)."""
    return Facet(lookup, tuple((value, value, str(label)) for value, label in choices))


def requested_facets(request, offered: dict[str, Facet]) -> list[str]:
    """The facet names asked for, in the order asked; a 400 that names the offered ones for
    any other."""
    raw = request.query_params.get(FACETS_PARAM)
    if raw is None or not raw.strip():
        return []
    names = []
    for name in (part.strip() for part in raw.split(",")):
        if not name:
            continue
        if name not in offered:
            known = ", ".join(offered) or "none"
            raise ValidationError({FACETS_PARAM: [f"No facet {name[:40]!r} on this list. Facets offered: {known}."]})
        if name not in names:
            names.append(name)
    return names


def fixed_columns(queryset) -> dict[str, object]:
    """The columns of `queryset`'s own table that its filters fix to one value (`status =
    'published'` for an anonymous client, `polarity = 'negated'` when asked): top-level
    conditions of the AND, each an `=` with a value."""
    query, children = queryset.query, conditions.anded(queryset)
    if children is None:
        return {}
    fixed = {}
    for condition in children:
        column = getattr(condition, "lhs", None)
        if (
            isinstance(condition, Exact)
            and isinstance(column, Col)
            and column.alias == query.base_table
            and not hasattr(condition.rhs, "resolve_expression")
        ):
            fixed[column.target.attname] = condition.rhs
    return fixed


def shown_fixed(queryset, offered: dict[str, Facet]) -> dict[str, object]:
    """`{facet lookup: value shown}` for each facet of `offered` whose shown value
    (`Facet.shown_lookup`) a top-level condition of `queryset` fixes: `predicate__slug =
    'visited'`, a condition on the joined predicate row that `fixed_columns` does not see."""
    children = conditions.anded(queryset) or ()
    found = {}
    for facet in offered.values():
        if not facet.shown_lookup:
            continue
        field = _final_field(queryset.model, facet.shown_lookup)
        for condition in children:
            if (
                isinstance(condition, Exact)
                and getattr(condition.lhs, "target", None) == field
                and not hasattr(condition.rhs, "resolve_expression")
            ):
                found[facet.lookup] = condition.rhs
    return found


def _final_field(model, path: str):
    """The field an ORM path (`predicate__slug`) ends at, from `model`."""
    *relations, name = path.split(LOOKUP_SEP)
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _walked(queryset, asked: list[tuple], offered: dict[str, Facet]) -> dict[tuple, int]:
    """Counts of the (name, value) pairs `asked` over the rows of a filtered `queryset`, by
    walks of at most WALK rows grouped by every facet at once (count_facets).

    The first walk reads any matching rows. When it stops at WALK, a value held by more than
    COUNT_CAP of them is "more than"; the values left are counted by walking only the rows
    that hold one of them: a walk that ends short counted every one exactly, and one that
    does not holds some value more than COUNT_CAP times (it is "more than"), and the rest
    are walked again. Counting each value
    left on its own read the filtered rows once per value: 30 values from the 22,833
    published claims of the busiest subject at a million, 1.3 s on SQLite. Rows walked in id
    order (a search's) are not walked again: each walk goes on after the last id walked and
    adds to the counts so far. On SQLite a search's rows that hold a value are found in the
    claim text index (`_holding`): the walks read only those, and the values that no row
    walked holds are first looked for once, all together. On PostgreSQL those values are
    looked up in the claim text values table (`_absent_beside`). A search narrowed to facet
    values comes narrowed in SQLite's index too (search.joined_holding_each, from the list's
    filters): the walks read only those values' matches."""
    counts: dict[tuple, int] = {}
    # Read where an index holds the facet columns beside the filters' own entries, when it
    # can answer for every filter (`_beside`): no claim row is read.
    beside = _beside(queryset, [offered[name].lookup for name, _ in asked])
    if isinstance(beside, search.TextRows):
        # PostgreSQL: a search's matches counted whole from the claim facet index, when it
        # answers (search.TextRows.grouped_whole); walked from the claim text table otherwise.
        names = _names(asked)
        whole = whole_counts(beside, [offered[name].lookup for name in names], queryset.db)
        if whole is not None:
            return _of_pairs(asked, names, whole)
    # Walked in id order (a search, from either engine's claim text index), a walk goes on
    # where the last stopped (counts.continued_after) and adds to its counts.
    left, limit, rows = list(asked), WALK, beside or queryset
    ordered = in_id_order(rows)
    before: dict[tuple, int] = {}
    values = Counter(name for name, _ in asked)
    while left:
        names = list(dict.fromkeys(name for name, _ in left))
        walked, held, last = walked_counts(
            rows,
            [offered[name].lookup for name in names],
            limit,
            queryset.db,
            last=ordered,
            # The combinations of every value asked of each name, and NULL.
            groups=prod(values[name] + 1 for name in names),
        )
        column = {name: n for n, name in enumerate(names)}
        found = {
            (name, compared): before.get((name, compared), 0) + held[column[name]].get(str(compared), 0)
            for name, compared in left
        }
        if walked < limit:
            counts.update(found)
            break
        counts.update((pair, count) for pair, count in found.items() if count > COUNT_CAP)
        # A value left that no row walked so far holds is often held by no match at all (12
        # of the 16 predicates for `with`), which a walk proves only at the last match.
        unseen = [pair for pair in left if pair not in counts and not found[pair]]
        if isinstance(beside, search.TextRows):
            # PostgreSQL: the claim text values table answers for every one (under 1 ms).
            counts.update((pair, 0) for pair in _absent_beside(beside, unseen, offered, queryset.db))
            unseen = [pair for pair in unseen if pair not in counts]
        if rows is queryset or rows is beside:
            # A value that no row of the fixed columns holds (no published claim has an
            # event as its subject) would be walked through every matching row to prove it.
            counts.update((pair, 0) for pair in _held_by_none(queryset, unseen, offered))
        left = [pair for pair in left if pair not in counts]
        if not left:
            break
        if ordered:
            # SQLite: when an index finds the matches that hold a value (`_holding`), a
            # walk of one row after the last id walked proves the values no row walked
            # holds all absent (`_held_by_no_match`), and the next walk is sized for the
            # others alone. At a million claims `with`'s 12 predicates and 3 rarer
            # modalities walked together read 13,226 matches (54 ms); the look takes 29 ms,
            # and the modalities' walk 7. On PostgreSQL the walk read every match after the
            # first walk's (217 ms); the values table, above, answers in 1 ms.
            unseen = [pair for pair in left if not found[pair]]
            counts.update((pair, 0) for pair in _held_by_no_match(queryset, beside, unseen, left, asked, offered, last))
            left = [pair for pair in left if pair not in counts]
            if not left:
                break
            # Only the rows after the last walked, as many as should take every value left
            # past COUNT_CAP if they come as they came so far (each search statement costs
            # SQLite ~10 ms before its first row), and at least enough that a walk which
            # does not end short takes one past it. Walked again from the start, the rows
            # for `q=ministry` at a million claims (198,664 published matches) were every
            # match: 147 ms of CPU.
            before = found
            needed = [COUNT_CAP + 1 - found[pair] for pair in left]
            limit = sum(needed)
            held_so_far = sum(found[pair] for pair in left)
            for pair, more in zip(left, needed, strict=True):
                if found[pair]:
                    limit = max(limit, more * held_so_far * 5 // (found[pair] * 4))
            rows = continued_after(_holding(queryset, beside, left, offered)[0], last)
            continue
        # At least (COUNT_CAP + 1) rows per value left, so that a walk that does not end
        # short settles one (some value holds more than COUNT_CAP of them); at least WALK,
        # so that one walk settles most: each reads the matching rows from the start again.
        limit = max(WALK, (COUNT_CAP + 1) * len(left))
        rows = _holding(queryset, beside, left, offered)[0]
    return counts


def _counted_whole(queryset, asked: list[tuple], offered: dict[str, Facet]) -> dict[tuple, int]:
    """Counts of the (name, value) pairs `asked` over every row of `queryset`, in one
    statement grouped by every facet at once (counts.grouped_counts): for an entity search
    walked (the entities' `listed_matches`), whose every match costs little more than its
    first WALK, where `_walked`'s second walk tests the rows again to settle the values left
    (an event type that no match holds is proved absent only by the last match)."""
    names = _names(asked)
    return _of_pairs(asked, names, grouped_counts(queryset, [offered[name].lookup for name in names]))


def _names(asked: list[tuple]) -> list[str]:
    """The facet names of the (name, value) pairs `asked`, once each, in their order."""
    return list(dict.fromkeys(name for name, _ in asked))


def _of_pairs(asked: list[tuple], names: list[str], held: list[dict[str, int]]) -> dict[tuple, int]:
    """Counts of the (name, value) pairs `asked`, from `held`: for each of `names`, `{value as
    text: rows holding it}` (counts.grouped_counts, counts.whole_counts)."""
    column = {name: n for n, name in enumerate(names)}
    return {(name, compared): held[column[name]].get(str(compared), 0) for name, compared in asked}


def _holding(
    queryset, beside, pairs: list[tuple], offered: dict[str, Facet], asked: list[tuple] = ()
) -> tuple[object, bool]:
    """The rows of `queryset` (read from `beside` when given) that hold one of the (name,
    value) `pairs`, and whether an index finds them: SQLite's claim text index holds a token
    of each facet value (search.joined_holding_any), so that the matches of a search that
    hold none are never read. Otherwise each row is tested. With `asked` (every pair the
    facets count), the index may find them as the matches that hold none of the other values
    asked of the same facets, when those are fewer (search.joined_holding_none)."""
    lookups = [(offered[name].lookup, compared) for name, compared in pairs]
    if beside is not None:
        return beside.holding_any(lookups), False
    held = queryset.filter(reduce(or_, (Q(**{lookup: compared}) for lookup, compared in lookups)))
    others: dict[str, list] = {offered[name].lookup: [] for name, _ in pairs}
    for name, compared in asked:
        if offered[name].lookup in others and (name, compared) not in pairs:
            others[offered[name].lookup].append(compared)
    found = None
    if asked and sum(len(values) for values in others.values()) < len(pairs):
        found = search.joined_holding_none(held, others)
    if found is None:
        found = search.joined_holding_any(held, lookups)
    return (held, False) if found is None else (found, True)


def _absent_beside(beside, unseen: list[tuple], offered, using: str) -> list[tuple]:
    """Of the (name, value) pairs `unseen`, those that no match of a search read from
    PostgreSQL's claim text table (`beside`) holds, proved from the claim text values table:
    no word of the query has them beside it (search.TextRows.absent)."""
    if not unseen:
        return []
    columns = {(offered[name].lookup, compared): (name, compared) for name, compared in unseen}
    return [columns[pair] for pair in beside.absent(list(columns), using)]


def _held_by_no_match(
    queryset, beside, unseen: list[tuple], left: list[tuple], asked: list[tuple], offered, last: int
) -> list[tuple]:
    """Of the (name, value) pairs `unseen` (among those `left` to count, held by no row
    walked so far, up to the id `last`), those proved held by no row at all, without walking
    the rest, on SQLite: when some values left were seen, a walk of one row of the matches
    after `last` that hold one, found in the claim text index (`_holding`, which may find them
    as the matches holding none of the other values `asked`), proves them all absent or none."""
    if not unseen or isinstance(beside, search.TextRows):
        return []
    if len(unseen) < len(left):
        holders, indexed = _holding(queryset, beside, unseen, offered, asked)
        if indexed and not _any_row(continued_after(holders, last), offered[unseen[0][0]].lookup):
            return unseen
    return []


def _any_row(rows, lookup: str) -> bool:
    """Whether `rows` (a walk's: `walked_counts`) has a row at all: a walk of one."""
    return walked_counts(rows, [lookup], 1, rows.db, last=in_id_order(rows))[0] > 0


def _beside(queryset, lookups: list[str]):
    """The rows of `queryset` read from index entries that hold the `lookups` beside the
    filters' own, or None: a claim search's matches from the claim text table, which repeats
    the facet columns (search.text_rows, PostgreSQL); a date range's claims from the
    (status, date_lower, …) index and the few that reach into it from before
    (ClaimQuerySet.overlapping_arms)."""
    text = search.text_rows(queryset, lookups, narrowed=True)
    if text is not None:
        return text
    arms = getattr(queryset, "overlapping_arms", None)
    found = arms() if arms is not None else None
    return None if found is None else Arms(found)


def _held_by_none(queryset, pairs: list[tuple], offered: dict[str, Facet]) -> list[tuple]:
    """Of the (name, value) `pairs`, those that no row holds among the rows that the filters
    on facet columns select (a claim's status for an anonymous client), each looked up in
    its index: one statement. Each pair is asked within the fixed columns that an index led
    by its own column holds next (`_indexed_beside`), no others: asked within a modality too,
    SQLite walked the modality's published claims to prove that none has an event as its
    subject (177 ms at a million claims for `modality=asserted`), where the index of the
    subject's kind and the status answers at once."""
    indexed = {facet.lookup for facet in offered.values()}
    fixed = {column: value for column, value in fixed_columns(queryset).items() if column in indexed}
    base = queryset.model._base_manager.using(queryset.db)
    querysets = []
    for name, compared in pairs:
        column = offered[name].lookup
        within = _indexed_beside(queryset.model, column, fixed)
        querysets.append(base.filter(**within, **{column: compared}))
    return [pair for pair, held in zip(pairs, capped_counts(querysets, 0, queryset.db), strict=True) if not held]


def _indexed_beside(model, column: str, fixed: dict[str, object]) -> dict[str, object]:
    """Of the `fixed` columns of `model` (`{column: value}`), the most that one index of the
    model holds right after `column`, in a row (a claim's modality: its status, from
    claim_modality_status); none when no index is led by `column`."""
    best: dict[str, object] = {}
    for index in model._meta.indexes:
        fields = [model._meta.get_field(name.lstrip("-")).attname for name in index.fields]
        if index.condition is not None or not fields or fields[0] != column:
            continue
        run = {}
        for field in fields[1:]:
            if field not in fixed:
                break
            run[field] = fixed[field]
        if len(run) > len(best):
            best = run
    return best


def count_facets(queryset, names: list[str], offered: dict[str, Facet]) -> dict[str, list[dict]]:
    """`{name: [{value, label, count}]}` over every row of `queryset`.

    - A value other than the one the filters fix its column to holds no row, and is not
      counted: PostgreSQL read all 100,000 drafts to find that none is published (23 ms).
    - Filtered by anything but the list's facet columns (a date range, a search, an
      entity), the matching rows are walked, at most WALK of them, and grouped by every
      facet's value: exact when fewer than WALK match; otherwise the values that no more than
      COUNT_CAP of them held are walked again, from their own rows only (`_walked`). A
      month's claims at a million (4,437) counted by predicate this way took one walk, where
      one count per predicate read the month again for each of the 60. An entity search
      walked row by row is counted whole instead, in one grouped statement (`_counted_whole`),
      and so is a claim search on PostgreSQL where the claim facet index answers
      (search.TextRows.grouped_whole: a plain search of at most 300,000 matches). The kinds
      of `entities/` searched for a prefix of a few words and nothing else are each a capped
      walk of the entity word index (search.entity_word_counts). An event search of a prefix
      of few words and nothing else counts each value as a capped walk of the event word
      index (search.event_word_counts), and on SQLite an entity or event search of one word
      that index does not answer is counted in the entity facet index, each value a capped
      intersection there (search.entity_facet_counts). The events of a participant and nothing else count
      each value as a capped walk of the participant event index
      (EventQuerySet.index_facet_counts).
    - Filtered by the facet columns only (a claim's status, for an anonymous client), each
      value is counted through its own index, no further than COUNT_CAP + 1 rows, all in one
      statement: they are indexed with the status (factbase/models/claims.py), where a walk
      would read 20,000 rows for nothing.
    - A list that can hold no row (`none()`: a search of no word, `q=!!`) holds no value:
      its statements cannot be written (EmptyResultSet)."""
    if queryset.query.is_empty():
        return {name: [] for name in names}
    fixed = fixed_columns(queryset)
    # A facet's value fixed by a filter through a join, by its shown value (the predicate's
    # slug): counted alone as well. Asked of every predicate, a search narrowed to one walked
    # its matches again for each of the others (at a million claims
    # `claims/?facets=predicate&predicate=…&q=a` took 3.5 s on SQLite, 0.16 without).
    shown = shown_fixed(queryset, offered)
    asked = []  # (name, compared, shown, label)
    for name in names:
        facet = offered[name]
        for compared, shown_value, label in facet.choices():
            if facet.lookup in fixed and fixed[facet.lookup] != compared:
                continue
            if facet.lookup in shown and shown[facet.lookup] != shown_value:
                continue
            asked.append((name, compared, shown_value, label))
    counts: dict[tuple, int] = {}
    where = queryset.query.where
    indexed = {facet.lookup for facet in offered.values()}
    if where.negated or len(fixed) < len(where.children) or not set(fixed) <= indexed:
        pairs = [(name, compared) for name, compared, _, _ in asked]
        lookups = [(offered[name].lookup, compared) for name, compared in pairs]
        # Asked in turn, the first that answers: the list's own (EventQuerySet.index_facet_counts:
        # a participant's events, each value a capped walk of the participant event index);
        # `entities/` searched for a prefix of a few words, each kind a capped walk of the entity
        # word index; an event search of a prefix of few words, each value a capped walk of the
        # event word index; SQLite: else an entity or event search of one word, counted in the
        # entity facet index.
        counters = [search.entity_word_counts, search.event_word_counts, search.entity_facet_counts]
        if hasattr(queryset, "index_facet_counts"):
            counters.insert(0, type(queryset).index_facet_counts)
        in_index = next(
            (found for count in counters if (found := count(queryset, lookups, COUNT_CAP)) is not None), None
        )
        if in_index is not None:
            counts = dict(zip(pairs, in_index, strict=True))
        else:
            listed = getattr(queryset, "listed_matches", None)
            listed = listed() if listed is not None else None
            if listed is None:
                counts = _walked(queryset, pairs, offered)
            else:
                counts = _counted_whole(listed, pairs, offered)
    left = [(name, compared) for name, compared, _, _ in asked if (name, compared) not in counts]
    querysets = [queryset.filter(**{offered[name].lookup: compared}) for name, compared in left]
    counts.update(zip(left, capped_counts(querysets, COUNT_CAP, queryset.db), strict=True))
    found = {name: [] for name in names}
    for name, compared, shown, label in asked:
        count = counts[name, compared]
        if count:
            found[name].append({"value": shown, "label": label, "count": count if count <= COUNT_CAP else None})
    for values in found.values():
        values.sort(key=lambda item: (item["count"] is not None, -(item["count"] or 0), str(item["value"])))
    return found
