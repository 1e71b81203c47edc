"""A queryset's WHERE read as its ANDed conditions, for the code that recognises a shape it
built itself (a condition whose right-hand side carries a marker: `claims_about`,
`events_of`, `read_whole`, `walked_query`) and asks it another way: `anded` finds the
conditions, `without` takes one out of a copy of the queryset; `ordering` is the order its
rows come in."""

from __future__ import annotations

from django.db.models.sql.where import AND


def anded(queryset) -> list | None:
    """The top-level conditions of `queryset`'s WHERE when they are ANDed and not negated
    (what `filter()` after `filter()` builds), else None."""
    where = queryset.query.where
    if where.connector != AND or where.negated:
        return None
    return where.children


def ordering(queryset) -> tuple | list:
    """The order `queryset`'s rows come in: its order_by, else its model's default (empty
    when it has neither, or its default is cleared by `order_by()`)."""
    query = queryset.query
    return query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ()


def without(queryset, index: int):
    """A copy of `queryset` without the `index`-th of its ANDed conditions (`anded`); the
    queryset itself is left as it is."""
    rest = queryset._chain()
    rest.query.where = queryset.query.where.clone()
    del rest.query.where.children[index]
    return rest
