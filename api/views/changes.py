"""`GET changes/?after=<cursor>`: every change to entities, aliases, claims, documents and
mentions, in commit order, as the client may see it (factbase/indexes/changes.py keeps the
log; docs/api.md#changes says how a mirror follows it)."""

from __future__ import annotations

import datetime

from django.db import connections, router
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from api.pagination import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE_SIZE, _page_size
from api.serializers import changes as s
from factbase.indexes import changes
from factbase.models import Claim
from factbase.models.claims import sees_unpublished

# The detail route that shows each type (an alias inside its entity, a mention inside its
# document), and the row's column that holds that detail's id.
DETAILS = {
    "entity": ("entity-detail", "object_id"),
    "claim": ("claim-detail", "object_id"),
    "document": ("document-detail", "object_id"),
    "alias": ("entity-detail", "owner_id"),
    "mention": ("document-detail", "owner_id"),
}


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"


def shown_action(row: dict, *, everything: bool) -> str | None:
    """The action a client is told, or None when it may see nothing of the change. Curators
    are told what happened; an anonymous client sees only what it could read before and
    after: a claim that becomes visible was created for it, one that stops being visible
    was deleted."""
    action = row["action"]
    if everything:
        return action
    before, after = row["visible_before"], row["visible_after"]
    if before and after:
        return action
    if after:
        return "create"
    if before:
        return action if action in ("delete", "merge") else "delete"
    return None


class ChangeFeedView(APIView):
    # Anyone reads; what each client is told follows the claims' visibility.
    permission_model = "factbase.claim"
    response_serializer = s.ChangePageSerializer

    @extend_schema(
        summary="What changed, in commit order",
        description="Every change to entities, aliases, claims (their spans included: a span changes its claim), "
        "documents and mentions, oldest first, in the order the changes were committed: `?after=` a cursor reads "
        "the changes that follow it, and no change committed later can come before a cursor you have read. "
        "Anonymous clients are told what they may see: a claim entering `published` is a `create`, one leaving "
        "it a `delete`, and changes to other claims are left out. A merged entity's change is `merge` with "
        "`merged_into`; undoing a merge creates the entity again.\n\n"
        f"Pages of `page_size` changes (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}). A cursor older "
        "than the feed keeps (`FACTBASE_CHANGES_RETENTION_DAYS`) is answered 410: start again from a full export. "
        "To start a mirror, read `latest` first, then export everything, then follow `?after=` that cursor.",
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0},
                description="A cursor (a change's `cursor`, or `latest`): the changes after it. Left out: from the "
                "oldest change kept.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Changes per page, default {DEFAULT_PAGE_SIZE}; more than {MAX_PAGE_SIZE} gets "
                f"{MAX_PAGE_SIZE}.",
            ),
        ],
        responses={
            200: response_serializer,
            400: OpenApiResponse(description="A malformed cursor, or one that names no change."),
            410: OpenApiResponse(description="The cursor is older than what the feed keeps."),
        },
    )
    def get(self, request):
        everything = sees_unpublished(request.user)
        size = _page_size(request)
        raw = request.query_params.get("after", "")
        if raw and not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID):
            raise ValidationError(
                {"after": [f"A cursor is a whole number from 0, as the feed gives it; not {raw[:40]!r}."]}
            )
        connection = connections[router.db_for_read(Claim)]
        floor, latest, issued = changes.bounds(connection, everything=everything)
        after = int(raw) if raw else floor
        if after < floor:
            raise Gone(
                f"Cursor {after} is older than the changes this feed keeps (it starts after {floor}). Start again "
                "from a full export, taking `latest` before it."
            )
        if after > issued:
            raise ValidationError({"after": [f"Cursor {after} names no change: the newest is {issued}."]})
        rows = changes.read(connection, after=after, limit=size + 1, everything=everything)
        more = len(rows) > size
        rows = rows[:size]
        results = []
        for row in rows:
            action = shown_action(row, everything=everything)
            if action is None:  # never: read() left out what the client cannot see
                continue
            route, column = DETAILS[row["type"]]
            item = {
                "cursor": row["position"],
                "at": _at(row["at"]),
                "action": action,
                "type": row["type"],
                "id": row["object_id"],
                "url": None if action in ("delete", "merge") else reverse(route, args=[row[column]], request=request),
                "merged_into": row["merged_into"] if action == "merge" else None,
            }
            results.append(item)
        url = request.build_absolute_uri()
        return Response(
            {
                "results": results,
                "next": replace_query_param(url, "after", rows[-1]["position"]) if more else None,
                "latest": latest,
            }
        )


def _at(value) -> str:
    """ISO 8601 in UTC with a Z, from PostgreSQL's datetime or SQLite's text."""
    if isinstance(value, str):
        return value
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
