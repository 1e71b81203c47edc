"""Capped counts of several querysets in one statement: `SELECT (SELECT count(*) FROM (… LIMIT
cap + 1)), (…), …`. The API's facets (api/facets.py) count every value of a field this way,
each no further than the list's count cap, in one round trip whatever their number."""

from __future__ import annotations

from django.db import connections


def capped_counts(querysets: list, cap: int, using: str) -> list[int]:
    """How many rows each queryset has, each counted no further than cap + 1."""
    if not querysets:
        return []
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        sql, values = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS counted_{n})")  # noqa: S608 - compiled by the ORM
        params.extend(values)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 - compiled by the ORM, parameters bound
        return list(cursor.fetchone())
