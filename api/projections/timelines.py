"""The keyset of an entity's timeline: which events and claims a page holds, found in the
database in the timeline's order, one statement per page whatever its depth.

The order is `PartialDate.sort_key` on each item's date (a claim without a date takes its
event's), dated items first, then events before claims, then the id. A page's position is
the key of an item, `Key(dated, lower, rank, upper, kind, id)`; the next page holds the
items after it. factbase/services/timelines.py then loads the page's items by id.

The statement is a UNION of branches, each a set of items that one index serves in key
order (claims with a date by role; claims dated by their event by role; undated claims by
role; events the entity takes part in, is the location or the parent of). Each branch
seeks to the position and stops after `limit` rows; the union (which also drops a claim
found twice, as subject and as object) is sorted and cut to `limit`. So a page reads at
most `limit` rows per branch, plus, for the claims dated by their event, that branch's
rows (an index cannot order claims by another table's date: those are sorted, and are
one claim in ten in the benchmark).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from django.db import connection

from factbase.enums import ClaimStatus
from factbase.models import Claim, Event, EventParticipant

EVENT, CLAIM = 0, 1  # ties: events before claims
KINDS = {"event": EVENT, "claim": CLAIM}


@dataclasses.dataclass(frozen=True)
class Key:
    """Where an item sorts: dated items by (lower, rank, upper), undated ones after them
    (lower, rank and upper None), then events before claims, then by id."""

    lower: datetime.date | None
    rank: int | None
    upper: datetime.date | None
    kind: int
    id: int

    @property
    def dated(self) -> bool:
        return self.lower is not None

    def sort_tuple(self) -> tuple:
        if self.dated:
            return (0, self.lower, self.rank, self.upper, self.kind, self.id)
        return (1, self.kind, self.id)


@dataclasses.dataclass(frozen=True)
class Filters:
    published_only: bool = True
    kinds: frozenset = frozenset(KINDS.values())
    predicate_id: int | None = None
    lower: datetime.date | None = None  # date_from: items whose date ends on or after it
    upper: datetime.date | None = None  # date_to: items whose date starts on or before it


def _rank(precision: str) -> str:
    # PartialDate.sort_key's precision rank (day < month < year); an empty precision is a day.
    return f"CASE {precision} WHEN 'month' THEN 1 WHEN 'year' THEN 2 ELSE 0 END"


@dataclasses.dataclass
class _Branch:
    kind: int
    dated: bool
    source: str  # FROM ... WHERE ..., with %s placeholders
    params: list
    lower: str = "NULL"
    precision: str = "''"
    upper: str = "NULL"
    id: str = ""

    def select(self, after: Key | None, before: Key | None, limit: int) -> tuple[str, list] | None:
        """The branch's rows past the position (`after`, or going back: `before`), in key
        order, at most `limit`; None when none can be."""
        conditions, params = [], list(self.params)
        position = after or before
        back = before is not None
        if position is not None:
            condition = self._seek(position, back)
            if condition is None:
                return None
            if condition:
                conditions.append(condition[0])
                params.extend(condition[1])
        direction = " DESC" if back else ""
        if self.dated:
            rank = _rank(self.precision)
            columns = f"{self.kind} AS k, {self.id} AS id, {self.lower} AS lo, {rank} AS rk, {self.upper} AS up"
            order = ", ".join(f"{c}{direction}" for c in (self.lower, rank, self.upper, self.id))
        else:
            # Typed NULLs: PostgreSQL reads an untyped NULL in a subquery as text, which the
            # UNION then cannot match with the dated branches' dates.
            columns = (
                f"{self.kind} AS k, {self.id} AS id, CAST(NULL AS DATE) AS lo, CAST(NULL AS INTEGER) AS rk, "
                "CAST(NULL AS DATE) AS up"
            )
            order = f"{self.id}{direction}"
        where = "".join(f" AND {c}" for c in conditions)
        # Every piece is this module's text or a column name; values go in as parameters.
        return f"SELECT {columns} FROM {self.source}{where} ORDER BY {order} LIMIT {int(limit)}", params  # noqa: S608

    def _seek(self, position: Key, back: bool) -> tuple[str, list] | None | bool:
        """The condition that keeps this branch's rows past `position`: (sql, params), False
        for no condition (all of them are past it), None for none of them."""
        if self.kind == position.kind:
            tie = "<" if back else ">"  # equal dates: past it when the id is
        else:
            tie = (
                ("<=" if self.kind < position.kind else None) if back else (">=" if self.kind > position.kind else None)
            )
        if not self.dated:
            if position.dated:
                return None if back else False
            if tie is None:
                return None
            return (f"{self.id} {tie[0]} %s", [position.id]) if self.kind == position.kind else False
        if not position.dated:
            return False if back else None
        rank = _rank(self.precision)
        bound = "<=" if back else ">="
        values = [position.lower, position.rank, position.upper]
        # The first comparison alone is what an index on the date can seek to; the row
        # value then says exactly where, with the kind's tie settled here.
        if self.kind == position.kind:
            row = f"({self.lower}, {rank}, {self.upper}, {self.id}) {tie} (%s, %s, %s, %s)"
            values = [*values, position.id]
        else:
            row = f"({self.lower}, {rank}, {self.upper}) {tie or ('<' if back else '>')} (%s, %s, %s)"
        return f"{self.lower} {bound} %s AND {row}", [position.lower, *values]


def _tables():
    claim = Claim._meta.db_table
    event = Event._meta.db_table
    event_pk = Event._meta.pk.column
    participant = EventParticipant._meta.db_table
    return claim, event, event_pk, participant


def _branches(entity_id: int, filters: Filters) -> list[_Branch]:
    claim, event, event_pk, participant = _tables()
    branches: list[_Branch] = []
    dated_only = filters.lower is not None or filters.upper is not None

    def date_range(lower: str, upper: str) -> tuple[str, list]:
        sql, params = "", []
        if filters.upper is not None:
            sql += f" AND {lower} <= %s"
            params.append(filters.upper)
        if filters.lower is not None:
            sql += f" AND {upper} >= %s"
            params.append(filters.lower)
        return sql, params

    if CLAIM in filters.kinds:
        for role in ("subject_id", "object_id", "attributed_to_id", "event_id"):
            where, params = f"c.{role} = %s", [entity_id]
            if filters.published_only:
                where += f" AND c.status = '{ClaimStatus.PUBLISHED}'"
            if filters.predicate_id is not None:
                where += " AND c.predicate_id = %s"
                params.append(filters.predicate_id)
            own, own_params = date_range("c.date_lower", "c.date_upper")
            branches.append(
                _Branch(
                    CLAIM,
                    True,
                    f"{claim} c WHERE {where} AND c.date_lower IS NOT NULL{own}",
                    [*params, *own_params],
                    "c.date_lower",
                    "c.date_precision",
                    "c.date_upper",
                    "c.id",
                )
            )
            # Claims without a date of their own take their event's.
            via, via_params = date_range("e.date_lower", "e.date_upper")
            branches.append(
                _Branch(
                    CLAIM,
                    True,
                    f"{claim} c JOIN {event} e ON e.{event_pk} = c.event_id "
                    f"WHERE {where} AND c.date_lower IS NULL AND e.date_lower IS NOT NULL{via}",
                    [*params, *via_params],
                    "e.date_lower",
                    "e.date_precision",
                    "e.date_upper",
                    "c.id",
                )
            )
            if not dated_only:
                branches.append(
                    _Branch(
                        CLAIM,
                        False,
                        f"{claim} c LEFT JOIN {event} e ON e.{event_pk} = c.event_id "
                        f"WHERE {where} AND c.date_lower IS NULL AND e.date_lower IS NULL",
                        params,
                        id="c.id",
                    )
                )

    if EVENT in filters.kinds:
        found = (
            (f"e.{event_pk} IN (SELECT p.event_id FROM {participant} p WHERE p.entity_id = %s)", [entity_id]),  # noqa: S608
            ("e.location_country_id = %s", [entity_id]),
            ("e.parent_id = %s", [entity_id]),
        )
        for where, params in found:
            where += f" AND e.{event_pk} <> %s"  # an event is not on its own timeline
            params = [*params, entity_id]
            dates, date_params = date_range("e.date_lower", "e.date_upper")
            branches.append(
                _Branch(
                    EVENT,
                    True,
                    f"{event} e WHERE {where} AND e.date_lower IS NOT NULL{dates}",
                    [*params, *date_params],
                    "e.date_lower",
                    "e.date_precision",
                    "e.date_upper",
                    f"e.{event_pk}",
                )
            )
            if not dated_only:
                branches.append(
                    _Branch(
                        EVENT, False, f"{event} e WHERE {where} AND e.date_lower IS NULL", params, id=f"e.{event_pk}"
                    )
                )
    return branches


def _to_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)  # SQLite hands back the ISO text


def page_keys(
    entity_id: int, filters: Filters, *, after: Key | None = None, before: Key | None = None, limit: int
) -> list[Key]:
    """The keys of up to `limit` items past the position, in timeline order (going back
    from `before`: the ones just before it, still in timeline order)."""
    parts, params = [], []
    for branch in _branches(entity_id, filters):
        select = branch.select(after, before, limit)
        if select is not None:
            parts.append(f"SELECT * FROM ({select[0]}) AS b{len(parts)}")  # noqa: S608
            params.extend(select[1])
    if not parts:
        return []
    direction = " DESC" if before is not None else ""
    order = ", ".join(
        f"{c}{direction}" for c in ("CASE WHEN lo IS NULL THEN 1 ELSE 0 END", "lo", "rk", "up", "k", "id")
    )
    sql = f"SELECT k, id, lo, rk, up FROM ({' UNION '.join(parts)}) AS timeline ORDER BY {order} LIMIT {int(limit)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = [Key(_to_date(lo), rk, _to_date(up), k, pk) for k, pk, lo, rk, up in rows]
    return keys[::-1] if before is not None else keys


def capped_count(entity_id: int, filters: Filters, cap: int) -> int | None:
    """How many items the timeline holds, or None when more than `cap`. Each branch reads
    at most cap + 1 rows: when one has more, so has the union; when none has, every branch
    is whole and the union counts exactly."""
    parts, params = [], []
    for branch in _branches(entity_id, filters):
        select = f"SELECT {branch.kind} AS k, {branch.id} AS id FROM {branch.source} LIMIT {int(cap) + 1}"  # noqa: S608
        parts.append(f"SELECT * FROM ({select}) AS b{len(parts)}")  # noqa: S608
        params.extend(branch.params)
    if not parts:
        return 0
    sql = f"SELECT COUNT(*) FROM ({' UNION '.join(parts)}) AS timeline"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (count,) = cursor.fetchone()
    return count if count <= cap else None


def ids_by_kind(keys: Iterable[Key]) -> tuple[list[int], list[int]]:
    events = [key.id for key in keys if key.kind == EVENT]
    claims = [key.id for key in keys if key.kind == CLAIM]
    return events, claims
