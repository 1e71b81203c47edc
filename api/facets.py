"""Facets: `?facets=status,predicate` on a list adds, beside the page, how many of all the
rows matching the filters hold each value of those fields:
`"facets": {"status": [{"value": "published", "label": "Published", "count": 812}, …]}`.

Counts are exact up to the list's own cap (COUNT_CAP, as `count`) and null beyond it ("more
than 1,000"), so that a facet never counts a million rows: each value's count reads no
further than COUNT_CAP + 1 matching rows, through that value's index. Every count of a
request is one statement (a scalar subquery per value), whatever the number of facets and
values. Values that no matching row holds are left out; the rest come commonest first.

Each list declares the facets it offers (`facets` on its view): a field of a few values
(its choices) or a relation to a small table (a claim's predicate, by slug)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND
from rest_framework.exceptions import ValidationError

from api.pagination import COUNT_CAP
from factbase.indexes.counts import capped_counts, walked_counts

FACETS_PARAM = "facets"
# The rows a filtered list walks once for all its facets (count_facets).
WALK = 20_000


@dataclass(frozen=True)
class Facet:
    """One facet: the ORM path its values are compared on, and its values as (value
    compared, value shown, label), or a function that reads them (a table's rows)."""

    lookup: str
    values: tuple | Callable[[], list]

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
    query = queryset.query
    where = query.where
    if where.connector != AND or where.negated:
        return {}
    fixed = {}
    for condition in where.children:
        column = getattr(condition, "lhs", None)
        if (
            isinstance(condition, Exact)
            and isinstance(column, Col)
            and column.alias == query.base_table
            and not hasattr(condition.rhs, "resolve_expression")
        ):
            fixed[column.target.attname] = condition.rhs
    return fixed


def count_facets(queryset, names: list[str], offered: dict[str, Facet]) -> dict[str, list[dict]]:
    """`{name: [{value, label, count}]}` over every row of `queryset`, in one or two statements.

    - A value other than the one the filters fix its column to holds no row, and is not
      counted: PostgreSQL read all 100,000 drafts to find that none is published (23 ms).
    - Filtered by anything but the list's facet columns (a date range, a search, an
      entity), the matching rows are walked once, at most WALK of them, and grouped by every
      facet's value: exact when fewer than WALK match, and a value held by more than
      COUNT_CAP of the walked rows is "more than" in any case. A month's claims at a million (4,437) counted by predicate this way
      took one walk, where one count per predicate read the month again for each of the 60.
    - The values left (none held more than COUNT_CAP walked rows, or no walk) are counted
      each through its own index, no further than COUNT_CAP + 1 rows, all in one statement.
      Filtered by the facet columns only (a claim's status, for an anonymous client), this is
      the fast way: they are indexed with the status (factbase/models/claims.py), where a
      walk would read 20,000 rows for nothing."""
    fixed = fixed_columns(queryset)
    asked = []  # (name, compared, shown, label)
    for name in names:
        facet = offered[name]
        for compared, shown, label in facet.choices():
            if facet.lookup in fixed and fixed[facet.lookup] != compared:
                continue
            asked.append((name, compared, shown, label))
    counts: dict[tuple, int] = {}
    where = queryset.query.where
    indexed = {facet.lookup for facet in offered.values()}
    if where.negated or len(fixed) < len(where.children) or not set(fixed) <= indexed:
        walked, held = walked_counts(queryset, [offered[name].lookup for name in names], WALK, queryset.db)
        column = {name: n for n, name in enumerate(names)}
        for name, compared, _, _ in asked:
            count = held[column[name]].get(str(compared), 0)
            if walked < WALK or count > COUNT_CAP:
                counts[name, compared] = count
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
