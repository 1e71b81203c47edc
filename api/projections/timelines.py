"""The keyset of an entity's timeline: which events and claims a page holds, found in the
database in the timeline's order, one statement per page whatever its depth.

The order is `PartialDate.sort_key` on each item's date (a claim without a date takes its
event's), dated items first, then events before claims, then the id. A page's position is
the key of an item, `Key(lower, rank, upper, kind, id)`; the next page holds the items
after it. factbase/services/timelines.py then loads the page's items by id.

The statement is a UNION of branches, one per way an item belongs to the timeline: per
role (subject, object, attribution, event), the claims with a date of their own; the claims
without one, dated by their event or undated (whatever their role); the events the entity
takes part in, is the location of, or the parent of, dated and undated. Each branch seeks
to the position and stops after `limit` rows; the union (which also drops an item found
twice, a claim whose subject and object are the entity) is sorted and cut to `limit`.

What each branch reads for a page:
- dated claims by role, events held in a country: `limit` rows from the cursor's date on,
  through the (role, date_lower, ...) indexes (claim_subject_dates and the others). With
  `date_from`, the claims starting on or after it are that seek, and those starting before
  it and reaching it come from the claim-date interval index (claim_dates.spanning_sql);
- claims without a date of their own: `limit` rows of the index of undated claims by entity
  (factbase/indexes/claim_dates.py, `UNDATED`), which holds the date each takes from its
  event, kept by triggers when the event's date changes; undated ones in id order;
- events the entity takes part in: walked in date order when it takes part often, else
  its participations, sorted; with `date_from` always read and sorted (events have no
  interval index: a walk in date order would read every event before it).
So a page's cost does not grow with its depth, nor with the entity's claims; it grows with
its participations below OFTEN, or with `date_from`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from django.db import connections, router
from django.db.models import Exists, OuterRef

from factbase.enums import ClaimStatus
from factbase.indexes import claim_dates
from factbase.models import Claim, Event, EventParticipant

EVENT, CLAIM = 0, 1  # ties: events before claims
KINDS = {"event": EVENT, "claim": CLAIM}
OFTEN = 1_000  # participations from which an entity's events are walked in date order


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
    takes_part_often: bool = False  # the entity has OFTEN participations or more (takes_part_often())


def takes_part_often() -> Exists:
    """An annotation for the entity's own query: whether it has OFTEN participations or more."""
    return Exists(EventParticipant.objects.filter(entity=OuterRef("pk"))[OFTEN - 1 : OFTEN])


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
    rank: str = ""  # a column holding the precision's rank, instead of computing it from `precision`

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
            rank = self.rank or _rank(self.precision)
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
        rank = self.rank or _rank(self.precision)
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


def _connection():
    """Where the rest of the request reads (a replica, with read replicas): the keys must
    come from the same copy of the data as the rows `timeline_items` reads for them."""
    return connections[router.db_for_read(Claim)]


def _branches(entity_id: int, filters: Filters) -> list[_Branch]:
    claim, event, event_pk, participant = _tables()
    connection = _connection()
    # A subquery the planner must answer on its own before joining (PostgreSQL does not pull
    # up a subquery with an OFFSET, SQLite does not flatten one with a LIMIT into a join).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"
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
        condition, params = "", []
        if filters.published_only:
            condition += f" AND {{c}}.status = '{ClaimStatus.PUBLISHED}'"
        if filters.predicate_id is not None:
            condition += " AND {c}.predicate_id = %s"
            params.append(filters.predicate_id)
        for role in ("subject_id", "object_id", "attributed_to_id", "event_id"):
            # With date_from, the claims that start on or after it (a seek in date order), and
            # apart, those that start before it and reach it (from the interval index).
            wheres: list[tuple[str, list]] = []
            if filters.lower is None:
                own, own_params = date_range("c.date_lower", "c.date_upper")
                wheres.append((f"c.{role} = %s AND c.date_lower IS NOT NULL{own}", [entity_id, *own_params]))
            else:
                before, before_params = date_range("c.date_lower", "c.date_lower")  # date_lower >= date_from
                wheres.append((f"c.{role} = %s{before}", [entity_id, *before_params]))
                spanning, spanning_params = claim_dates.spanning_sql(
                    connection.alias, "c", filters.lower, among=f"c.{role} = %s"
                )
                wheres.append((spanning, [entity_id, *spanning_params]))
            for where, where_params in wheres:
                branches.append(
                    _Branch(
                        CLAIM,
                        True,
                        f"{claim} c WHERE {where}{condition.format(c='c')}",
                        [*where_params, *params],
                        "c.date_lower",
                        "c.date_precision",
                        "c.date_upper",
                        "c.id",
                    )
                )
        # Claims without a date of their own, whatever their role: from the index of undated
        # claims by entity, which holds the date each takes from its event (`lo`, `rk`, `up`;
        # NULL when it has none). A claim is there once per entity.
        undated = f"{claim_dates.UNDATED} u WHERE u.entity_id = %s{condition.format(c='u')}"
        via, via_params = date_range("u.lo", "u.up")
        branches.append(
            _Branch(
                CLAIM,
                True,
                f"{undated} AND u.lo IS NOT NULL{via}",
                [entity_id, *params, *via_params],
                "u.lo",
                upper="u.up",
                id="u.claim_id",
                rank="u.rk",
            )
        )
        if not dated_only:
            branches.append(
                _Branch(
                    CLAIM,
                    False,
                    f"{undated} AND u.lo IS NULL AND u.rk IS NULL AND u.up IS NULL",
                    [entity_id, *params],
                    id="u.claim_id",
                )
            )

    if EVENT in filters.kinds:
        # The events the entity takes part in, each once (it may have several roles). Two
        # ways: for a busy entity, walk the events in date order and probe its participations
        # (a page's worth); for any other, read its participations, then sort them (walking
        # the events would read them all to find three). Which one is decided from the
        # entity's participations (`takes_part_often`): SQLite's statistics cannot tell, and
        # CROSS JOIN fixes SQLite's join order.
        # With date_from, a walk in date order would read every event before it.
        if filters.takes_part_often and filters.lower is None:
            taking_part = (
                f"{event} e WHERE EXISTS (SELECT 1 FROM {participant} p "  # noqa: S608
                f"WHERE p.event_id = e.{event_pk} AND p.entity_id = %s) AND"
            )
        else:
            taking_part = (
                f"(SELECT DISTINCT p.event_id FROM {participant} p WHERE p.entity_id = %s{fence}) p "  # noqa: S608
                f"CROSS JOIN {event} e WHERE e.{event_pk} = p.event_id AND"
            )
        found = (
            (taking_part, [entity_id]),
            (f"{event} e WHERE e.location_country_id = %s AND", [entity_id]),
            (f"{event} e WHERE e.parent_id = %s AND", [entity_id]),
        )
        for source, params in found:
            source += f" e.{event_pk} <> %s"  # an event is not on its own timeline
            params = [*params, entity_id]
            dates, date_params = date_range("e.date_lower", "e.date_upper")
            branches.append(
                _Branch(
                    EVENT,
                    True,
                    f"{source} AND e.date_lower IS NOT NULL{dates}",
                    [*params, *date_params],
                    "e.date_lower",
                    "e.date_precision",
                    "e.date_upper",
                    f"e.{event_pk}",
                )
            )
            if not dated_only:
                branches.append(_Branch(EVENT, False, f"{source} AND e.date_lower IS NULL", params, id=f"e.{event_pk}"))
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
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = [Key(_to_date(lo), rk, _to_date(up), k, pk) for k, pk, lo, rk, up in rows]
    return keys[::-1] if before is not None else keys


def ids_by_kind(keys: Iterable[Key]) -> tuple[list[int], list[int]]:
    events = [key.id for key in keys if key.kind == EVENT]
    claims = [key.id for key in keys if key.kind == CLAIM]
    return events, claims
