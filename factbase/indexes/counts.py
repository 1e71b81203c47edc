"""Counts for the API's facets (api/facets.py), each in one statement whatever the number of
facets and values:

- `capped_counts`: capped counts of several querysets, `SELECT (SELECT count(*) FROM (… LIMIT
  cap + 1)), (…), …`: every value of a field, each no further than the list's count cap;
- `walked_counts`: one walk of at most `limit` rows of a queryset, and how many of them hold
  each value of each of several fields (`WITH walked AS (… LIMIT limit) SELECT …, count(*)
  … GROUP BY …`, by all the fields at once on PostgreSQL when their values make few groups,
  else one `GROUP BY` per field joined by `UNION ALL`), of a queryset, of a claim search's
  rows in the claim text table (search.TextRows) or of disjoint querysets together (`Arms`);
- `grouped_counts`: every row of a queryset grouped by all the fields at once (`SELECT …,
  count(*) … GROUP BY …`), summed per field: an entity search counted whole, or an event
  search's rows in the event name index (search.EventNameRows).

A `GROUP BY` of all the fields at once is summed per field here (`_summed`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Count, F, Q

from factbase.indexes import search


def _unordered(queryset):
    """`queryset` for counting: no ORDER BY, but for a claim search joined to SQLite's
    claim text index, which keeps its index's order. Unordered, SQLite took the predicate's
    own index (predicate, status, id) for `q=ministry&predicate=…`, and tested the text
    match on each of the predicate's claims: 24 s to count 1,001 at a million claims,
    against 35 ms walking the matches."""
    return search.joined_in_id_order(queryset.order_by())


@dataclass(frozen=True)
class Arms:
    """The rows of disjoint querysets together, for a walk (`walked_counts`) of a filter
    that no one index answers with the columns walked, but each arm's does (a date range:
    ClaimQuerySet.overlapping_arms). `holding_any`: only the rows that hold one of these
    (lookup, value) pairs, in each arm."""

    querysets: tuple

    def holding_any(self, pairs) -> Arms:
        held = reduce(or_, (Q(**{lookup: value}) for lookup, value in pairs))
        return Arms(tuple(queryset.filter(held) for queryset in self.querysets))

    def sql(self, columns: dict[str, str], limit: int) -> tuple[str, list]:
        """`SELECT <lookup> AS <name>, … LIMIT limit` over these rows, for `{name: lookup}`."""
        parts, params = [], []
        for queryset in self.querysets:
            sql, values = (
                queryset.order_by()
                .values(**{name: F(lookup) for name, lookup in columns.items()})
                .query.sql_with_params()
            )
            parts.append(f"SELECT * FROM ({sql}) AS arm_{len(parts)}")  # noqa: S608 - compiled by the ORM
            params.extend(values)
        return f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS arms LIMIT {int(limit)}", params  # noqa: S608


def capped_counts(querysets: list, cap: int, using: str) -> list[int]:
    """How many rows each queryset has, each counted no further than cap + 1."""
    if not querysets:
        return []
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        sql, values = _unordered(queryset).values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS counted_{n})")  # noqa: S608 - compiled by the ORM
        params.extend(values)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 - compiled by the ORM, parameters bound
        return list(cursor.fetchone())


# Groups a walk's rows may fall into (the product of the numbers of values of its lookups)
# beyond which walked_counts aggregates each lookup on its own.
COMBINED_GROUPS = 5_000


def walked_counts(
    queryset, lookups: list[str], limit: int, using: str, *, last: bool = False, groups: int | None = None
) -> tuple[int, list[dict[str, int]], int | None]:
    """(rows walked, for each lookup `{value as text: rows holding it}`, the greatest id
    walked when `last`, else None) over at most `limit` rows of `queryset`, in no particular
    order (in id order when `last`: a walk continued after that id, `continued_after`).
    The values come back as text (the arms of the UNION hold fields of different types);
    NULL is None. `queryset` may be a claim search's rows in the claim text table
    (search.TextRows), the lookups its columns, or `Arms`; with `last`, only what `in_id_order`
    accepts.

    On PostgreSQL, with `groups` (how many combinations of values the lookups can take) no
    more than COMBINED_GROUPS, the walked rows are grouped by every lookup at once, and the
    groups summed here; otherwise, and on SQLite, by each lookup on its own, one aggregate
    per lookup over the materialised walk. At a million claims, the first walk of `q=with`'s
    facets (20,000 rows, 6 lookups, 143 groups): on PostgreSQL 46 ms one aggregate per
    lookup, 33 at once; on SQLite the whole request took 5-8 ms more at once (it sorts the
    rows for a GROUP BY of six columns)."""
    if not lookups:
        return 0, [], None
    if isinstance(queryset, search.TextRows):
        sql, params = queryset.sql({f"facet_{n}": lookup for n, lookup in enumerate(lookups)}, limit, last=last)
    elif isinstance(queryset, Arms):
        sql, params = queryset.sql({f"facet_{n}": lookup for n, lookup in enumerate(lookups)}, limit)
    else:
        columns = {f"facet_{n}": F(lookup) for n, lookup in enumerate(lookups)}
        if last:
            columns["walked_pk"] = F("pk")
        sql, params = _unordered(queryset).values(**columns)[:limit].query.sql_with_params()
        sql = search.covered(queryset, sql)  # SQLite: a search's facet columns from their own index
    greatest = None
    if groups is not None and groups <= COMBINED_GROUPS and connections[using].vendor == "postgresql":
        facets = ", ".join(f"CAST(facet_{n} AS TEXT)" for n in range(len(lookups)))
        greatest_sql = ", max(walked_pk)" if last else ""
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"WITH walked AS ({sql}) SELECT {facets}, count(*){greatest_sql} FROM walked GROUP BY {facets}",  # noqa: S608 - compiled by the ORM, parameters bound
                params,
            )
            rows = cursor.fetchall()
        found = _summed(((row[: len(lookups)], row[len(lookups)]) for row in rows), len(lookups))
        if last:
            greatest = max((row[-1] for row in rows), default=None)
        return sum(found[0].values()), found, greatest
    arms = [
        f"SELECT {n}, CAST(facet_{n} AS TEXT), count(*) FROM walked GROUP BY facet_{n}"  # noqa: S608 - constants
        for n in range(len(lookups))
    ]
    if last:
        arms.append("SELECT -1, CAST(max(walked_pk) AS TEXT), 0 FROM walked")
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH walked AS ({sql}) {' UNION ALL '.join(arms)}", params)  # noqa: S608 - compiled by the ORM, parameters bound
        rows = cursor.fetchall()
    found: list[dict[str, int]] = [{} for _ in lookups]
    for n, value, count in rows:
        if n == -1:
            greatest = None if value is None else int(value)
        else:
            found[n][value] = count
    return sum(found[0].values()), found, greatest


def in_id_order(rows) -> bool:
    """Whether a walk of `rows` can go in id order and be continued after the last id walked
    (`continued_after`): a claim search joined to SQLite's claim text index, read in its rowid
    order, or a search's rows in PostgreSQL's claim text table, read in its primary key's."""
    return isinstance(rows, search.TextRows) or (not isinstance(rows, Arms) and search.is_joined(rows))


def continued_after(rows, pk: int):
    """`rows` (`in_id_order`) after the id `pk`: a walk continued where the last stopped."""
    if isinstance(rows, search.TextRows):
        return rows.continued_after(pk)
    return search.joined_after(rows.filter(pk__gt=pk), pk)


def grouped_counts(queryset, lookups: list[str]) -> list[dict[str, int]]:
    """For each lookup, `{value as text: rows holding it}` over every row of `queryset`, from
    one GROUP BY of every lookup together, summed here: for facets of few values each (an
    event's type and status: 39 groups), where `walked_counts`' one aggregate per lookup over
    a materialised walk cost a third more (events/?q=between at a million claims on
    PostgreSQL, 116,331 rows: 117 ms against 86). `queryset` may be an event search's rows in
    the event name index (search.EventNameRows), the lookups its columns."""
    if not lookups:
        return []
    if isinstance(queryset, search.EventNameRows):
        return _summed(queryset.grouped(lookups), len(lookups))
    columns = {f"facet_{n}": F(lookup) for n, lookup in enumerate(lookups)}
    grouped = queryset.order_by().values(**columns).annotate(rows=Count("*")).values_list(*columns, "rows")
    return _summed(((row[:-1], row[-1]) for row in grouped), len(lookups))


def whole_counts(rows: search.TextRows, lookups: list[str], using: str) -> list[dict[str, int]] | None:
    """For each lookup, `{value as text: rows holding it}` over every match of a claim search
    (search.TextRows), counted whole from the claim facet index (`grouped_whole`), or None
    where that index should not or cannot answer."""
    grouped = rows.grouped_whole(lookups, using)
    return None if grouped is None else _summed(grouped, len(lookups))


def _summed(groups, width: int) -> list[dict[str, int]]:
    """For each of `width` fields, `{value as text: rows holding it}`, from the groups of a
    `GROUP BY` of every field at once, each (its values, in the fields' order; its rows)."""
    found: list[dict[str, int]] = [{} for _ in range(width)]
    for values, rows in groups:
        for held, value in zip(found, values, strict=True):
            key = None if value is None else str(value)
            held[key] = held.get(key, 0) + rows
    return found
