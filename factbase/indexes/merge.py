"""The first rows of a union, in the union's order, as an ordered merge of index walks.

`claims/?entity=` is the union of three questions (the entity as subject, as object, as
attribution), each answered by an index of its own. SQLite gathered the three answers
whole (55,000 ids for the busiest entity at a million claims) and sorted them before the
first page, so a page's time grew with the entity. A compound SELECT with an ORDER BY and
a LIMIT is executed by SQLite as a merge of its arms, each read in that order, and stops
at the limit: when each arm can read an index in order, the work is the rows asked for,
whatever the entity's size. UNION (not UNION ALL) merges a row that two arms hold (an
entity that is both subject and object of a claim) into one, since the rows of one claim
are equal and adjacent in the merge.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL


def first_of_union(arms, ordering, rows: int) -> RawSQL:
    """An `IN` operand: the ids of the first `rows` rows of the union of `arms` (querysets
    of one model, `values_list("pk", *the other fields of ordering)`), in `ordering`, which
    must end with the id. The arms run in the same database."""
    union = arms[0].union(*arms[1:]).order_by(*ordering)[:rows]
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    return RawSQL(f"SELECT pk FROM ({sql})", params)  # noqa: S608, S611 - SQL compiled by Django
