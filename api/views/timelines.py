"""`GET entities/{id}/timeline/`: events and claims about an entity in date order, a page at
a time. The database finds each page's items in the timeline's order from a cursor
(api/projections/timelines.py); factbase/services/timelines.py shapes them."""

from __future__ import annotations

import binascii
import datetime
from base64 import b64decode, b64encode
from urllib import parse

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from api.filters import TimelineFilterForm, unknown_predicate
from api.pagination import DEFAULT_PAGE_SIZE, INVALID_CURSOR, MAX_ID, MAX_PAGE_SIZE, _page_size
from api.projections import timelines as keyset
from api.projections.common import EntityRefSerializer
from api.serializers import timelines as s
from api.views.entities import merged_redirect
from factbase.models import Entity, Predicate
from factbase.models.claims import sees_unpublished
from factbase.partial_dates import PRECISIONS
from factbase.services.timelines import timeline_items

KIND_NAMES = {number: name for name, number in keyset.KINDS.items()}


# --- cursors: as DRF's (base64 of `r=1&p=…`), the position being an item's sort key ------------


def encode_cursor(key: keyset.Key, *, reverse: bool) -> str:
    if key.dated:
        position = f"{key.lower.isoformat()},{key.rank},{key.upper.isoformat()},{KIND_NAMES[key.kind]},{key.id}"
    else:
        position = f",,,{KIND_NAMES[key.kind]},{key.id}"
    tokens = {"r": "1", "p": position} if reverse else {"p": position}
    return b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")


def decode_cursor(encoded: str) -> tuple[keyset.Key, bool]:
    """(position, reverse) from a cursor the API handed out; a 400 for anything else."""
    try:
        tokens = parse.parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode("ascii"), strict_parsing=True)
        reverse = {"0": False, "1": True}[tokens.pop("r", ["0"])[0]]
        (position,) = tokens.pop("p")
        lower, rank, upper, kind, pk = position.split(",")
        if tokens or not (pk.isascii() and pk.isdigit() and 1 <= int(pk) <= MAX_ID):
            raise ValueError
        if lower or rank or upper:
            key = keyset.Key(
                datetime.date.fromisoformat(lower),
                {str(n): n for n in range(len(PRECISIONS))}[rank],
                datetime.date.fromisoformat(upper),
                keyset.KINDS[kind],
                int(pk),
            )
            if len(lower) != 10 or len(upper) != 10 or key.lower > key.upper:
                raise ValueError
        else:
            key = keyset.Key(None, None, None, keyset.KINDS[kind], int(pk))
    except (ValueError, KeyError, UnicodeError, binascii.Error):
        raise ValidationError({"cursor": [INVALID_CURSOR]}) from None
    return key, reverse


class EntityTimelineView(APIView):
    permission_model = "factbase.entity"
    answers_merged_ids = True  # a merged entity's timeline: 308 to its survivor's (api/schema.py documents it)
    response_serializer = s.TimelineSerializer  # the schema's, and (its results) the header of ?format=csv

    @extend_schema(
        summary="An entity's timeline",
        description="Events the entity took part in (or that happened in it, or are part of it) and claims about it "
        "(as subject, object, attribution or event), in date order with precision kept: `2021-06` sorts as June, "
        "after 2021-06-01. A claim without a date takes its event's. Undated items come last; on equal dates, "
        "events come before claims, then lower ids first. Anonymous clients see published claims only.\n\n"
        f"Pages of `page_size` items (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}) in that order: follow "
        "`next` (and `previous`) until it is null. Each page costs the same however deep it lies. `count` is the "
        "number of items when the first page holds them all, and null otherwise (as in cursor mode).\n\n"
        "`date_from` and `date_to` keep the items whose date (for a claim without one: its event's) overlaps the "
        "range, as on `claims/` and `events/`; undated items never match. `predicate` keeps the claims with that "
        "predicate and leaves out the events, which have none (with `type=event` it is a 400).",
        parameters=[
            OpenApiParameter(
                "type", OpenApiTypes.STR, enum=["event", "claim"], description="Only events, or only claims."
            ),
            OpenApiParameter(
                "predicate",
                OpenApiTypes.STR,
                description="Slug of a predicate (`visited`, `met-with`): only claims with it, and no events. See "
                "/api/v1/predicates/.",
            ),
            OpenApiParameter(
                "date_from",
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2021-07"},
                description="Items whose date reaches this partial date or later (2021, 2021-07, 2021-07-06).",
            ),
            OpenApiParameter(
                "date_to",
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2021-07"},
                description="Items whose date starts at or before this partial date (2021, 2021-07, 2021-07-31).",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Items per page, default {DEFAULT_PAGE_SIZE}; more than {MAX_PAGE_SIZE} gets "
                f"{MAX_PAGE_SIZE}.",
            ),
            OpenApiParameter(
                "cursor",
                OpenApiTypes.STR,
                description="Where the page starts: leave it out (or empty) for the first page, then use the "
                "`next` and `previous` links. Cursors are opaque.",
            ),
        ],
        responses=response_serializer,
    )
    def get(self, request, pk: int):
        try:
            entity = get_object_or_404(Entity.objects.annotate(takes_part_often=keyset.takes_part_often()), pk=pk)
        except Http404:
            redirect = merged_redirect(request, int(pk), kind="", url_name="entity-timeline")
            if redirect is None:
                raise
            return redirect
        values = TimelineFilterForm(request.query_params).cleaned()
        size = _page_size(request)
        raw_cursor = request.query_params.get("cursor")
        position, reverse = decode_cursor(raw_cursor) if raw_cursor else (None, False)

        kinds = {keyset.KINDS[values["type"]]} if values["type"] else set(keyset.KINDS.values())
        predicate_id = None
        if values["predicate"]:
            if values["type"] == "event":
                raise ValidationError({"predicate": ["A predicate filters claims; leave it out with type=event."]})
            predicate_id = Predicate.objects.filter(slug=values["predicate"]).values_list("pk", flat=True).first()
            if predicate_id is None:
                raise ValidationError({"predicate": [unknown_predicate(values["predicate"])]})
            kinds = {keyset.CLAIM}
        filters = keyset.Filters(
            published_only=not sees_unpublished(request.user),
            kinds=frozenset(kinds),
            predicate_id=predicate_id,
            lower=values["date_from"],
            upper=values["date_to"],
            takes_part_often=entity.takes_part_often,
        )

        if reverse:
            keys = keyset.page_keys(entity.pk, filters, before=position, limit=size + 1)
            has_previous, has_next = len(keys) > size, True
            keys = keys[-size:]
        else:
            keys = keyset.page_keys(entity.pk, filters, after=position, limit=size + 1)
            has_previous, has_next = position is not None, len(keys) > size
            keys = keys[:size]
        # Counted only when the first page holds every item, as it then costs nothing: a
        # count of a busy timeline would cost more than its page, on every page.
        count = len(keys) if position is None and not has_next else None

        event_ids, claim_ids = keyset.ids_by_kind(keys)
        items = timeline_items(entity=entity, event_ids=event_ids, claim_ids=claim_ids)
        url = request.build_absolute_uri()
        return Response(
            {
                "entity": EntityRefSerializer(entity).data,
                "count": count,
                "next": replace_query_param(url, "cursor", encode_cursor(keys[-1], reverse=False))
                if has_next and keys
                else None,
                "previous": replace_query_param(url, "cursor", encode_cursor(keys[0], reverse=True))
                if has_previous and keys
                else None,
                "results": [
                    items[KIND_NAMES[key.kind], key.id] for key in keys if (KIND_NAMES[key.kind], key.id) in items
                ],
            }
        )
