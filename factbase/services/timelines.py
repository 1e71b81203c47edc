"""Entity timelines: the items of a page, the events an entity took part in (or that
happened in it, or are part of it) and the claims about it, each with its date and the
entity's roles in it.

The timeline's order is `PartialDate.sort_key`: by first possible day, then finer precision
first, then last possible day, so "2021-06" sorts as June (after 2021-06-01, before
2021-07-01) and never as the 1st of June. A claim without its own date takes its event's
date (`date_source: "event"`). Undated items come last. Ties: events before claims, then by
id. The database finds a page's items in that order (api/projections/timelines.py); this
module shapes them.

A fixed number of queries whatever the size of the page: events with their location (1),
this entity's participations in them (1), claims with their entities, predicate and event (1),
claim spans (1).
"""

from __future__ import annotations

from django.db.models import Prefetch

from factbase.models import Claim, Entity, Event, EventParticipant, SourceSpan
from factbase.partial_dates import PartialDate


def _date(value: PartialDate | None) -> dict:
    if value is None:
        return {"lower": None, "upper": None, "precision": None, "text": "", "iso": None}
    return {
        "lower": value.lower.isoformat(),
        "upper": value.upper.isoformat(),
        "precision": value.precision,
        "text": value.text,
        "iso": value.isoformat(),
    }


def _ref(entity: Entity | None) -> dict | None:
    if entity is None:
        return None
    return {"id": entity.pk, "kind": entity.kind, "name": entity.name}


def _event_item(event: Event, entity: Entity) -> dict:
    roles = [p.role for p in event.entity_participations]
    if event.location_country_id == entity.pk:
        roles.append("location")
    if event.parent_id == entity.pk:
        roles.append("part_of")
    when = event.partial_date
    return {
        "type": "event",
        "id": event.pk,
        "date": _date(when),
        "date_source": "event" if when else None,
        "label": event.name,
        "roles": roles,
        "event_type": event.event_type,
        "status": event.status,
        "location": {
            "country": _ref(event.location_country),
            "text": event.location_text,
        },
    }


def _claim_item(claim: Claim, entity: Entity) -> dict:
    roles = []
    if claim.subject_id == entity.pk:
        roles.append("subject")
    if claim.object_id == entity.pk:
        roles.append("object")
    if claim.attributed_to_id == entity.pk:
        roles.append("attribution")
    if claim.event_id == entity.pk:
        roles.append("event")
    when, source = claim.partial_date, "claim"
    if when is None and claim.event is not None:
        when, source = claim.event.partial_date, "event"
    return {
        "type": "claim",
        "id": claim.pk,
        "uid": str(claim.uid),
        "date": _date(when),
        "date_source": source if when else None,
        "label": str(claim),
        "roles": roles,
        "subject": _ref(claim.subject),
        "predicate": {"slug": claim.predicate.slug, "label": claim.predicate.label},
        "object": _ref(claim.object),
        "value": claim.value,
        "event": _ref(claim.event),
        "attributed_to": _ref(claim.attributed_to),
        "modality": claim.modality,
        "polarity": claim.polarity,
        "status": claim.status,
        "quotes": [span.exact for span in claim.spans.all()],
    }


def timeline_items(*, entity: Entity, event_ids: list[int], claim_ids: list[int]) -> dict[tuple[str, int], dict]:
    """The timeline items of the given events and claims, as JSON-ready dicts keyed by
    (type, id). Which ones, and in which order, the caller has decided (a page of the
    timeline: api/projections/timelines.py); visibility included."""
    items: dict[tuple[str, int], dict] = {}
    if event_ids:
        events = (
            Event.objects.filter(pk__in=event_ids)
            .select_related("location_country")
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=EventParticipant.objects.filter(entity=entity).order_by("role", "id"),
                    to_attr="entity_participations",
                )
            )
        )
        for event in events:
            items["event", event.pk] = _event_item(event, entity)
    if claim_ids:
        claims = (
            Claim.objects.filter(pk__in=claim_ids)
            .select_related("subject", "object", "attributed_to", "predicate", "event")
            .prefetch_related(Prefetch("spans", queryset=SourceSpan.objects.order_by("start", "id")))
        )
        for claim in claims:
            items["claim", claim.pk] = _claim_item(claim, entity)
    return items
