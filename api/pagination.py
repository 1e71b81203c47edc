"""Pagination for every list endpoint: page numbers by default, a cursor for deep exports.

Every list answers `{count, next, previous, results}`.

- **Page mode** (default): `?page=N&page_size=M`. `page_size` defaults to 50 and is capped
  at 200 (a larger value gets 200). `count` is the total number of matching rows when there
  are at most 1,000 of them, and null when there are more ("more than 1,000"): counting a
  million rows on every page would cost more than the page itself, and a count that grows
  with the match set would make a page's time grow with the database. `next` is set
  whenever another page exists, counted or not. (A first page that holds every row is
  counted without a query.)
- **Cursor mode**: add `cursor=` (empty) to start, then follow `next` until it is null.
  Rows come in id order, each page is found through the primary-key index (no `OFFSET`,
  however deep), and `count` is null (no `COUNT(*)` over the whole table). Cursors are
  opaque: only use the links the API hands out. Cursor mode orders by id and does not
  combine with `ordering` or `page`.

Page mode reaches the first PAGE_DEPTH (1,000) rows, as far as it counts (COUNT_CAP): a page
ending beyond them is a 400 that points to cursor mode. A database skips OFFSET rows one by
one and joins each, so a page as deep as the table (page 20,000 of a million claims) took
seconds, and one 10,000 rows deep still took 190-470 ms on an entity list at a million
claims; cursor mode seeks to any depth in the time of a first page.

A malformed `page`, `page_size` or `cursor` is a 400 that says why; a page past the end
is a 404.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.projections.compiler import capped_count

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_ID = 2**63 - 1  # the largest BigAutoField value: a larger cursor position is forged
COUNT_CAP = 1_000  # page mode counts up to this many rows; beyond, `count` is null
PAGE_DEPTH = COUNT_CAP  # page mode reaches this many rows; cursor mode reaches every row
INVALID_CURSOR = "This cursor is not valid. Start again with cursor= (empty) and follow the next links."


def _page_size(request) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}, not {raw[:40]!r}."]})
    return min(int(raw), MAX_PAGE_SIZE)


class _PageNumbers(pagination.PageNumberPagination):
    """Page numbers without Django's Paginator: one extra row tells whether a next page
    exists, and the count is capped (COUNT_CAP) so that it never scans a million rows. On
    SQLite the claims' page ids and their count come from one statement (_page_of_ids)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    display_page_controls = False  # the browsable API has no page count to draw links from

    def get_page_size(self, request):
        return _page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.number = self.get_page_number(request, None)
        offset = (self.number - 1) * size
        if offset + size > PAGE_DEPTH:
            raise ValidationError(
                {
                    "page": [
                        f"Page mode reaches the first {PAGE_DEPTH:,} rows; page {self.number:,} of {size} rows "
                        f"would end at row {offset + size:,}. For deeper pages use cursor mode: cursor= (empty), "
                        "then follow the next links."
                    ]
                }
            )
        if (
            isinstance(queryset, QuerySet)
            and queryset._fields == ("pk",)
            and issubclass(queryset._iterable_class, ValuesIterable)
        ):
            page = self._page_of_ids(queryset, offset, size)
        else:
            page = self._page_of_rows(queryset, offset, size)
        if not page and self.number > 1:
            raise NotFound("Invalid page.")
        return page

    def _page_of_ids(self, queryset, offset: int, size: int) -> list[dict]:
        """A values("pk") queryset (the claims' read path, which then reads the rows itself):
        one statement finds the page and the count, the ids of the first COUNT_CAP + 1 rows
        when the page lies within them, else the page's ids and one more. Page and count
        share the index work; a count of its own repeated it.

        Not on PostgreSQL: asked for the first 1,001 rows in id order, its planner walks the
        primary key and filters (68 ms for a month at a million claims), where the page alone
        (LIMIT 51) and an unordered capped count each use the filters' indexes (2 + 10 ms)."""
        ids = queryset.values_list("pk", flat=True)
        # Ids an index reads alone, in the list's order, sliced as `ids` is below, a page and
        # its count in one statement on PostgreSQL too (EventQuerySet.index_ids: an event
        # search from the event word index, walks that stop at the count's cap).
        indexed = queryset.index_ids() if hasattr(queryset, "index_ids") else None
        if indexed is not None:
            ids = indexed
        if (
            connections[queryset.db].vendor == "postgresql"
            and indexed is None
            # Rows read whole by either statement (an entity search of few matches): one read.
            and not (hasattr(queryset, "pages_with_count") and queryset.pages_with_count())
        ):
            return self._page_then_count(queryset, offset, size)
        # A queryset whose page is found by another walk than its count (the events of a busy
        # participant: EventQuerySet.walked_page) is read as on PostgreSQL, page then count.
        # Not a list an index reads alone: its ids are the page already.
        walked = (
            queryset.walked_page(offset + size + 1) if indexed is None and hasattr(queryset, "walked_page") else None
        )
        if walked is not None:
            return self._page_then_count(queryset, offset, size, page_from=walked)
        # The statement reads no further than the count's cap or the page and one more:
        # a queryset that can stop its index walks there is told (ClaimQuerySet.bounded).
        if hasattr(queryset, "bounded"):
            ids = queryset.bounded(max(COUNT_CAP, offset + size) + 1).values_list("pk", flat=True)
        if offset + size <= COUNT_CAP:
            found = list(ids[: COUNT_CAP + 1])
            page_ids = found[offset : offset + size]
            self.has_next = len(found) > offset + size
            self.count = len(found) if len(found) <= COUNT_CAP else None
        else:
            found = list(ids[offset : offset + size + 1])
            page_ids = found[:size]
            self.has_next = len(found) > size
            # Past COUNT_CAP there are more rows than that, unless this is the last page.
            total = None if self.has_next else offset + len(page_ids)
            self.count = total if total is not None and total <= COUNT_CAP else None
        return [{"pk": pk} for pk in page_ids]

    def _page_then_count(self, queryset, offset: int, size: int, *, page_from=None) -> list[dict]:
        """PostgreSQL: the page's ids and one more, then a capped count unless the page
        settles it (see _page_of_ids). `page_from`: the same rows, as the page is best read.
        A claim search of several words reads its matches first, up to the cap: when they
        are no more, they are the page and the count (ClaimQuerySet.capped_matches)."""
        matches = _matches_read_first(queryset)
        if matches is not None and len(matches) <= COUNT_CAP:
            found = matches[offset : offset + size + 1]
        else:
            # A claim search's page read from its index alone (ClaimQuerySet.text_page).
            if page_from is None and hasattr(queryset, "text_page"):
                page_from = queryset.text_page()
            page_from = queryset if page_from is None else page_from
            found = [row["pk"] for row in page_from[offset : offset + size + 1]]  # ids_of: planned for its filters
        page_ids = found[:size]
        self.has_next = len(found) > size
        if matches is not None:
            self.count = len(matches) if len(matches) <= COUNT_CAP else None
        elif offset == 0 and not self.has_next:
            self.count = len(page_ids)  # the whole result is on this page: nothing to count
        elif offset >= COUNT_CAP and page_ids:
            self.count = None  # rows beyond the cap exist
        else:
            # The claims' queryset counts some shapes from an index alone (ClaimQuerySet.index_count).
            index_count = getattr(queryset, "index_count", None)
            counted = index_count(COUNT_CAP) if index_count else None
            if counted is None:
                counted = capped_count(queryset, COUNT_CAP)
            self.count = counted if counted <= COUNT_CAP else None
        return [{"pk": pk} for pk in page_ids]

    def _page_of_rows(self, queryset, offset: int, size: int) -> list:
        """Anything else: the page's rows and one more, then a capped count unless the first
        page holds every row."""
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        if offset == 0 and not self.has_next:
            self.count = len(rows)  # the whole result is on this page: nothing to count
        elif not isinstance(queryset, QuerySet):
            self.count = None
        else:
            # COUNT over at most COUNT_CAP + 1 rows: SELECT COUNT(*) FROM (… LIMIT 1001).
            counted = capped_count(queryset, COUNT_CAP)
            self.count = counted if counted <= COUNT_CAP else None
        return rows

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in (None, ""):
            return 1
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": [f"Give a page number from 1 up, not {raw[:40]!r}."]})
        return int(raw)


def _matches_read_first(queryset) -> list[int] | None:
    """The ids of a list best read before its page, up to COUNT_CAP + 1, where it has them (a
    PostgreSQL claim search of several words: ClaimQuerySet.capped_matches); else None."""
    return queryset.capped_matches(COUNT_CAP) if hasattr(queryset, "capped_matches") else None


def page_of_list(request, items: list) -> dict:
    """`{count, next, previous, results}` for a list computed in memory (a document's mention
    suggestions): page mode, `page` and `page_size` as on every list, and `count` exact (the
    whole list is at hand anyway)."""
    paginator = _PageNumbers()
    page = paginator.paginate_queryset(items, request)
    return {
        "count": len(items),
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
        "results": page,
    }


class _Cursor(pagination.CursorPagination):
    ordering = ("pk",)  # unique and indexed: each page is one index range scan
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request)

    def get_ordering(self, request, queryset, view):
        return self.ordering

    def paginate_queryset(self, queryset, request, view=None):
        # Narrow to the position first where the queryset knows how to seek there
        # (ClaimQuerySet.after: a joined claim text search seeks in its index too); DRF then
        # adds its own id > position, which changes nothing.
        cursor = self.decode_cursor(request)
        # A claim search of several words with few matches pages through their ids, read first
        # (ClaimQuerySet.capped_matches): its own walk in id order may test every claim.
        matches = _matches_read_first(queryset)
        if matches is not None and len(matches) <= COUNT_CAP:
            queryset = queryset.filter(pk__in=matches)
        if cursor is not None and not cursor.reverse and cursor.position is not None and hasattr(queryset, "after"):
            queryset = queryset.after(int(cursor.position))
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        if not request.query_params.get(self.cursor_query_param):
            return None  # `cursor=` (empty): the first page
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
        position = cursor.position if cursor is not None else None
        if cursor is None or (
            position is not None and not (position.isascii() and position.isdigit() and int(position) <= MAX_ID)
        ):
            raise ValidationError({"cursor": [INVALID_CURSOR]})
        return cursor


class FactbasePagination(pagination.BasePagination):
    """Page numbers, or a cursor when the request has a `cursor` parameter (module docstring)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        if "cursor" in params:
            clashes = [name for name in ("page", "ordering") if name in params]
            if clashes:
                raise ValidationError(
                    {name: ["Cursor mode always pages by id; leave this parameter out."] for name in clashes}
                )
            self.impl = _Cursor()
            self.count = None
        else:
            self.impl = _PageNumbers()
        page = self.impl.paginate_queryset(queryset, request, view)
        if isinstance(self.impl, _PageNumbers):
            self.count = self.impl.count
        return page

    @property
    def display_page_controls(self) -> bool:  # the browsable API's page links
        return getattr(getattr(self, "impl", None), "display_page_controls", False)

    def to_html(self):
        return self.impl.to_html()

    def get_paginated_response(self, data):
        return pagination.Response(
            {
                "count": self.count,
                "next": self.impl.get_next_link(),
                "previous": self.impl.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": f"Rows matching the filters, when there are at most {COUNT_CAP:,}; null "
                    "beyond that (`next` still says whether another page exists) and in cursor mode.",
                    "example": 123,
                },
                "next": {**link, "description": "The next page, or null on the last one."},
                "previous": {**link, "description": "The previous page, or null on the first one."},
                "results": schema,
                "facets": {
                    "type": "object",
                    "description": "Only when `facets` is asked for (on the lists that offer it): for each facet, "
                    "the values held by the rows matching the filters, commonest first, each counted up to "
                    f"{COUNT_CAP:,} (`count` null beyond that).",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["value", "label", "count"],
                            "properties": {
                                "value": {"type": "string", "description": "What the filter of that name takes."},
                                "label": {"type": "string"},
                                "count": {"type": "integer", "nullable": True},
                            },
                        },
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, schema):
            return {"name": name, "required": False, "in": "query", "description": description, "schema": schema}

        return [
            parameter(
                "page",
                f"Page number, from 1 (page mode). Page mode reaches the first {PAGE_DEPTH:,} rows; use cursor "
                "mode beyond.",
                {"type": "integer", "minimum": 1},
            ),
            parameter(
                "page_size",
                f"Rows per page, default {DEFAULT_PAGE_SIZE}; more than {MAX_PAGE_SIZE} gets {MAX_PAGE_SIZE}.",
                {"type": "integer", "minimum": 1},
            ),
            parameter(
                "cursor",
                "Cursor mode for deep exports: pass it empty to start, then follow `next`. Rows come in id "
                "order without OFFSET, and `count` is null. Does not combine with `page` or `ordering`.",
                {"type": "string"},
            ),
            *(
                [
                    parameter(
                        "facets",
                        "Comma-separated facets to count over every row matching the filters: "
                        f"{', '.join(f'`{name}`' for name in view.facets)}. Adds `facets` to the page.",
                        {"type": "string"},
                    )
                ]
                if getattr(view, "facets", None)
                else []
            ),
        ]
