"""Claim writes: create with spans, update, and the review workflow
(draft → in review → published, or rejected)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from factbase.enums import ClaimStatus
from factbase.models import Claim, Document, SourceSpan
from factbase.models.claims import PUBLISH
from factbase.partial_dates import PartialDate
from factbase.services.errors import Conflict
from factbase.services.spans import anchor_from_input


def _span_from_spec(*, claim: Claim, spec: dict, index: int) -> SourceSpan:
    document = spec.get("document")
    if not isinstance(document, Document):
        raise ValidationError({"spans": f"Span {index + 1}: give the document it quotes."})
    try:
        anchor = anchor_from_input(text=document.text, spec=spec)
    except ValidationError as exc:
        raise ValidationError({"spans": [f"Span {index + 1}: {m}" for m in exc.messages]}) from exc
    return SourceSpan(
        claim=claim,
        document=document,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
    )


@transaction.atomic
def claim_create(*, spans: list[dict], date: PartialDate | None = None, by=None, **fields) -> Claim:
    """Create a draft claim with its spans. `spans` items are {document, start, end} or
    {document, exact, prefix?, suffix?}."""
    claim = Claim(**fields, created_by=by if getattr(by, "is_authenticated", False) else None)
    claim.status = ClaimStatus.DRAFT
    claim.set_partial_date(date)
    claim.full_clean()
    claim.save()
    span_add(claim=claim, specs=spans)
    return claim


@transaction.atomic
def span_add(*, claim: Claim, specs: list[dict]) -> list[SourceSpan]:
    created = []
    for index, spec in enumerate(specs):
        span = _span_from_spec(claim=claim, spec=spec, index=index)
        span.full_clean()
        span.save()
        created.append(span)
    return created


@transaction.atomic
def claim_update(*, claim: Claim, by=None, spans: list[dict] | None = None, **fields) -> Claim:
    date = fields.pop("date", ...)
    for name, value in fields.items():
        setattr(claim, name, value)
    if date is not ...:
        claim.set_partial_date(date)
    if spans is not None:
        claim.spans.all().delete()
        span_add(claim=claim, specs=spans)
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_submit(*, claim: Claim, by=None) -> Claim:
    if claim.status != ClaimStatus.DRAFT:
        raise Conflict({"status": f"Only a draft can be submitted for review; this claim is {claim.status}."})
    claim.status = ClaimStatus.IN_REVIEW
    claim.full_clean()
    claim.save()
    return claim


def _check_reviewer(by) -> None:
    if by is None or not by.has_perm(PUBLISH):
        raise PermissionDenied("Only reviewers may publish or reject claims.")


@transaction.atomic
def claim_publish(*, claim: Claim, by) -> Claim:
    _check_reviewer(by)
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW):
        raise Conflict({"status": f"Only a draft or in-review claim can be published; this one is {claim.status}."})
    claim.status = ClaimStatus.PUBLISHED
    claim.reviewed_by, claim.reviewed_at = by, timezone.now()
    claim.full_clean()  # refuses a claim without spans
    claim.save()
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, by, reason: str = "") -> Claim:
    _check_reviewer(by)
    if claim.status == ClaimStatus.REJECTED:
        raise Conflict({"status": "This claim is already rejected."})
    claim.status = ClaimStatus.REJECTED
    claim.reviewed_by, claim.reviewed_at = by, timezone.now()
    if reason:
        claim.notes = f"{claim.notes}\n\nRejected: {reason}".strip()
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, by=None) -> None:
    """Delete a claim that was never published (its spans go with it). A published claim is
    part of the record: reject it instead (Conflict)."""
    if claim.status == ClaimStatus.PUBLISHED:
        raise Conflict({"status": "A published claim cannot be deleted; reject it instead."})
    claim.delete()
