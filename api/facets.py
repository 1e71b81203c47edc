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

from rest_framework.exceptions import ValidationError

from api.pagination import COUNT_CAP
from factbase.indexes.counts import capped_counts

FACETS_PARAM = "facets"


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


def count_facets(queryset, names: list[str], offered: dict[str, Facet]) -> dict[str, list[dict]]:
    """`{name: [{value, label, count}]}` over every row of `queryset`, in one statement."""
    keys, querysets = [], []
    for name in names:
        facet = offered[name]
        for compared, shown, label in facet.choices():
            keys.append((name, shown, label))
            querysets.append(queryset.filter(**{facet.lookup: compared}))
    found = {name: [] for name in names}
    for (name, shown, label), count in zip(keys, capped_counts(querysets, COUNT_CAP, queryset.db), strict=True):
        if count:
            found[name].append({"value": shown, "label": label, "count": count if count <= COUNT_CAP else None})
    for values in found.values():
        values.sort(key=lambda item: (item["count"] is not None, -(item["count"] or 0), str(item["value"])))
    return found
