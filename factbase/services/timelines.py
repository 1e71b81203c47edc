"""Entity timelines: the events an entity took part in (or that happened in it) and the
claims about it, in date order with each date's precision kept.

Order follows `PartialDate.sort_key`: by first possible day, then finer precision first, then
last possible day, so "2021-06" sorts as June (after 2021-06-01, before 2021-07-01) and never
as the 1st of June. A claim without its own date takes its event's date (`date_source:
"event"`). Undated items come last. Ties: events before claims, then by id.

A fixed number of queries whatever the size of the timeline: events with their location (1),
this entity's participations in them (1), claims with their entities, predicate and event (1),
claim spans (1).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q

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


def _event_item(event: Event, entity: Entity) -> tuple[PartialDate | None, dict]:
    roles = [p.role for p in event.entity_participations]
    if event.location_country_id == entity.pk:
        roles.append("location")
    if event.parent_id == entity.pk:
        roles.append("part_of")
    when = event.partial_date
    return when, {
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


def _claim_item(claim: Claim, entity: Entity) -> tuple[PartialDate | None, dict]:
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
    return when, {
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


def entity_timeline(*, entity: Entity, user=None, kinds: set[str] | None = None) -> list[dict]:
    """Timeline items for `entity`, as JSON-ready dicts. `user` decides which claims are
    visible (anonymous: published only). `kinds` limits to {"event"}, {"claim"} or both."""
    kinds = kinds or {"event", "claim"}
    rows: list[tuple[PartialDate | None, int, int, dict]] = []

    if "event" in kinds:
        takes_part = EventParticipant.objects.filter(event=OuterRef("pk"), entity=entity)
        events = (
            Event.objects.filter(Q(Exists(takes_part)) | Q(location_country_id=entity.pk) | Q(parent_id=entity.pk))
            .exclude(pk=entity.pk)
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
            when, item = _event_item(event, entity)
            rows.append((when, 0, event.pk, item))

    if "claim" in kinds:
        claims = (
            Claim.objects.visible_to(user)
            .filter(Q(subject=entity) | Q(object=entity) | Q(attributed_to=entity) | Q(event_id=entity.pk))
            .select_related("subject", "object", "attributed_to", "predicate", "event")
            .prefetch_related(Prefetch("spans", queryset=SourceSpan.objects.order_by("start", "id")))
        )
        for claim in claims:
            when, item = _claim_item(claim, entity)
            rows.append((when, 1, claim.pk, item))

    rows.sort(key=lambda row: ((0, row[0].sort_key) if row[0] else (1,), row[1], row[2]))
    return [item for *_, item in rows]
