"""`GET entities/{id}/timeline/`: events and claims about an entity in date order (the
ordering is the service's, factbase/services/timelines.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.projections.common import EntityRefSerializer
from api.serializers import timelines as s
from factbase.models import Entity
from factbase.services.timelines import entity_timeline


class EntityTimelineView(APIView):
    permission_classes = [permissions.AllowAny]
    response_serializer = s.TimelineSerializer  # the schema's, and (its results) the header of ?format=csv

    @extend_schema(
        summary="An entity's timeline",
        description="Events the entity took part in (or that happened in it, or are part of it) and claims about it "
        "(as subject, object, attribution or event), in date order with precision kept: `2021-06` sorts as June, "
        "after 2021-06-01. A claim without a date takes its event's. Undated items come last. Anonymous clients "
        "see published claims only.",
        parameters=[
            OpenApiParameter(
                "type", OpenApiTypes.STR, enum=["event", "claim"], description="Only events, or only claims."
            )
        ],
        responses=response_serializer,
    )
    def get(self, request, pk: int):
        entity = get_object_or_404(Entity, pk=pk)
        kind = request.query_params.get("type")
        if kind not in (None, "", "event", "claim"):
            raise ValidationError({"type": [f"Give event or claim, not {kind[:40]!r}."]})
        items = entity_timeline(entity=entity, user=request.user, kinds={kind} if kind else None)
        return Response({"entity": EntityRefSerializer(entity).data, "count": len(items), "results": items})
