"""The whole database as the JSON Lines that `manage.py import` and `POST /api/v1/imports/`
take (docs/api.md, "Imports"): `manage.py export FILE` writes it.

Every reference is a natural key (an entity's slug, a document's SHA-256, a claim's uid),
never a database id, so the file loads into any database: importing it into an empty one
(migrated, reference fixtures loaded) gives the same API answers, ids aside, and importing
it again changes nothing. Lines come in an order in which each refers only to lines before
it: countries, organisations (a parent before its children), people, events (likewise),
aliases, documents (a revised text before its revision), mentions, then claims with their
spans. Timestamps and review dates are kept. What is not carried: edit history, the facts'
curated splits and joins (`fact_pinned`; facts are grouped again on import), resolved
contradictions' notes, merge records, users and tokens.
"""

from __future__ import annotations

from collections.abc import Iterator

from factbase.models import Alias, Claim, Country, Document, Entity, Event, Mention, Organisation, Person, SourceSpan

CHUNK = 1000


def _date(row) -> dict | None:
    if row.date_lower is None and not row.date_text:
        return None
    return {
        "lower": row.date_lower.isoformat() if row.date_lower else None,
        "upper": row.date_upper.isoformat() if row.date_upper else None,
        "precision": row.date_precision or None,
        "text": row.date_text,
    }


def _stamps(row) -> dict:
    return {"created": row.created.isoformat(), "updated": row.updated.isoformat()}


def _by_depth(rows: list) -> list:
    """Rows with a `parent` ordered so that each parent comes before its children."""
    by_id = {row.pk: row for row in rows}

    def depth(row, seen=()) -> int:
        parent = by_id.get(row.parent_id)
        return 0 if parent is None or parent.pk in seen else 1 + depth(parent, (*seen, row.pk))

    return sorted(rows, key=lambda row: (depth(row), row.pk))


def export_lines() -> Iterator[dict]:
    slugs = dict(Entity.objects.values_list("pk", "slug"))
    shas = dict(Document.objects.values_list("pk", "sha256"))

    def entity_line(entity, kind: str, **extra) -> dict:
        line = {
            "type": "entity",
            "kind": kind,
            "slug": entity.slug,
            "name": entity.name,
            "description": entity.description,
            "wikidata_qid": entity.wikidata_qid,
            **extra,
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in entity.identifiers.all()],
            **_stamps(entity),
        }
        return line

    for country in Country.objects.order_by("pk").prefetch_related("identifiers"):
        yield entity_line(
            country,
            "country",
            iso_alpha2=country.iso_alpha2,
            iso_alpha3=country.iso_alpha3,
            official_name=country.official_name,
            is_historical=country.is_historical,
        )
    for organisation in _by_depth(list(Organisation.objects.prefetch_related("identifiers"))):
        yield entity_line(
            organisation,
            "organisation",
            org_type=organisation.org_type,
            country=slugs.get(organisation.country_id),
            parent=slugs.get(organisation.parent_id),
        )
    for person in Person.objects.order_by("pk").prefetch_related("identifiers", "roles"):
        roles = sorted(person.roles.all(), key=lambda r: (r.date_lower is None, r.date_lower or 0, r.pk))
        yield entity_line(
            person,
            "person",
            given_name=person.given_name,
            family_name=person.family_name,
            nationality=slugs.get(person.nationality_id),
            roles=[{"title": r.title, "organisation": slugs.get(r.organisation_id), "date": _date(r)} for r in roles],
        )
    for event in _by_depth(list(Event.objects.prefetch_related("identifiers", "participants"))):
        yield entity_line(
            event,
            "event",
            event_type=event.event_type,
            status=event.status,
            date=_date(event),
            location={"country": slugs.get(event.location_country_id), "text": event.location_text},
            parent=slugs.get(event.parent_id),
            participants=[
                {"entity": slugs[p.entity_id], "role": p.role, "note": p.note}
                for p in sorted(event.participants.all(), key=lambda p: p.pk)
            ],
        )
    for alias in Alias.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "type": "alias",
            "entity": slugs[alias.entity_id],
            "name": alias.name,
            "language": alias.language,
            "kind": alias.kind,
        }
    for document in Document.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "type": "document",
            "title": document.title,
            "text": document.text,
            "sha256": document.sha256,
            "published": _date(document),
            "publisher": slugs.get(document.publisher_id),
            "language": document.language,
            "url": document.url,
            "revision_of": shas.get(document.revision_of_id),
            **_stamps(document),
        }
    for mention in Mention.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "type": "mention",
            "document": shas[mention.document_id],
            "entity": slugs[mention.entity_id],
            "start": mention.start,
            "end": mention.end,
        }
    last = 0
    while True:
        chunk = list(Claim.objects.filter(pk__gt=last).order_by("pk").select_related("predicate")[:CHUNK])
        if not chunk:
            return
        spans = {}
        for span in SourceSpan.objects.filter(claim__in=chunk).order_by("start", "id"):
            spans.setdefault(span.claim_id, []).append(span)
        for claim in chunk:
            yield {
                "type": "claim",
                "uid": str(claim.uid),
                "subject": slugs[claim.subject_id],
                "predicate": claim.predicate.slug,
                "object": slugs.get(claim.object_id),
                "value": claim.value,
                "value_number": str(claim.value_number) if claim.value_number is not None else None,
                "event": slugs.get(claim.event_id),
                "date": _date(claim),
                "attributed_to": slugs.get(claim.attributed_to_id),
                "attribution": claim.attribution,
                "modality": claim.modality,
                "polarity": claim.polarity,
                "status": claim.status,
                "confidence": claim.confidence,
                "notes": claim.notes,
                "rank": claim.rank,
                "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
                **_stamps(claim),
                "spans": [
                    {"document": shas[s.document_id], "start": s.start, "end": s.end} for s in spans.get(claim.pk, [])
                ],
            }
        last = chunk[-1].pk
