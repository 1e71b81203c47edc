"""Claim writes: create with spans, update, the spans themselves (add, change, delete), and
the review workflow (draft → in review → published, or rejected).

The rules live here, and the admin, the API and every other caller go through them:
- only reviewers publish or reject (`is_reviewer`);
- only reviewers change a published claim, its evidence included (`claim_may_change`);
- a published claim keeps at least one span (`Claim.clean_evidence`, asked by `span_delete`
  and by every `full_clean()` of a claim);
- a published claim is never deleted: it is rejected.
Every write also keeps the claim in its fact (factbase/services/facts.py): grouped before it
is saved, and its fact's count of sources refreshed when a published claim changes.
The admin's permission hooks ask the same predicates, to show only what a user may do."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from factbase.enums import ClaimStatus
from factbase.limits import SPANS_PER_CLAIM, SPANS_PER_DOCUMENT
from factbase.models import Claim, Document, SourceSpan
from factbase.partial_dates import PartialDate
from factbase.permissions import allows
from factbase.services.errors import Conflict, Forbidden
from factbase.services.facts import claim_group, facts_drop_empty, facts_refresh
from factbase.services.spans import anchor_from_input, anchor_from_offsets


def span_from_spec(*, claim: Claim, spec: dict, index: int) -> SourceSpan:
    """The span (not saved) of the `index`th spec of a claim write; messages say which span."""
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


def is_reviewer(by) -> bool:
    """Whoever factbase/permissions.py lets publish (reviewers) publishes, rejects and changes
    published claims."""
    return allows(by, "publish", "factbase.claim")


def claim_may_change(*, claim: Claim, by) -> bool:
    """A published claim, its evidence included, is changed by reviewers only: a curator's
    edit would otherwise go public without review."""
    return claim.status != ClaimStatus.PUBLISHED or is_reviewer(by)


def _check_may_change(claim: Claim, by) -> None:
    if not claim_may_change(claim=claim, by=by):
        raise Forbidden("Only reviewers may change a published claim.")


@transaction.atomic
def claim_create(*, spans: list[dict], date: PartialDate | None = ..., by=None, **fields) -> Claim:
    """Create a draft claim with its spans. `spans` items are {document, start, end} or
    {document, exact, prefix?, suffix?}. `date` is a PartialDate (or None); the date's
    model fields may come instead, as the admin's form gives them."""
    claim = Claim(**fields, created_by=by if getattr(by, "is_authenticated", False) else None)
    claim.status = ClaimStatus.DRAFT
    if date is not ...:
        claim.set_partial_date(date)
    claim.full_clean()
    claim_group(claim)
    claim.save()
    span_add(claim=claim, specs=spans, by=by)
    return claim


@transaction.atomic
def span_add(*, claim: Claim, specs: list[dict], by=None) -> list[SourceSpan]:
    """Add spans to a claim (each {document, start, end} or {document, exact, prefix?})."""
    created = _spans_add(claim=claim, specs=specs, by=by)
    if claim.status == ClaimStatus.PUBLISHED:
        facts_refresh([claim.fact_id])
    return created


def _spans_add(*, claim: Claim, specs: list[dict], by=None) -> list[SourceSpan]:
    _check_may_change(claim, by)
    SPANS_PER_CLAIM.check_adding(claim, adding=len(specs), field="spans")
    adding = Counter(spec["document"] for spec in specs if isinstance(spec.get("document"), Document))
    for document, n in adding.items():
        SPANS_PER_DOCUMENT.check_adding(document, adding=n, field="spans")
    created = []
    for index, spec in enumerate(specs):
        span = span_from_spec(claim=claim, spec=spec, index=index)
        span.full_clean()
        span.save()
        created.append(span)
    return created


@transaction.atomic
def span_update(*, span: SourceSpan, by=None, **fields) -> SourceSpan:
    """Move a span within its document or to another one (`document`, `start`, `end`); the
    quote and its context are computed again from the text. A span stays with its claim."""
    unknown = set(fields) - {"document", "start", "end"}
    if unknown:
        raise ValidationError({name: "A span's claim and quote are not changed directly." for name in sorted(unknown)})
    _check_may_change(span.claim, by)
    SPANS_PER_DOCUMENT.check_moving(span, fields.get("document"), field="document")
    for name, value in fields.items():
        setattr(span, name, value)
    if {"document", "start", "end"} & set(fields):
        # The quote and its context come from the text at the new offsets.
        anchor = anchor_from_offsets(text=span.document.text, start=span.start, end=span.end)
        span.exact, span.prefix, span.suffix = anchor.exact, anchor.prefix, anchor.suffix
    span.full_clean()
    span.save()
    if span.claim.status == ClaimStatus.PUBLISHED:
        facts_refresh([span.claim.fact_id])
    return span


def span_may_delete(*, span: SourceSpan, by) -> bool:
    """Whether `span_delete` would remove the span (for the admin's delete button)."""
    if not claim_may_change(claim=span.claim, by=by):
        return False
    try:
        span.claim.clean_evidence(removing=[span.pk])
    except ValidationError:
        return False
    return True


@transaction.atomic
def span_delete(*, span: SourceSpan, by=None) -> None:
    """Remove a span. A published claim loses a span only by a reviewer's hand, and never
    its last one (Conflict): reject the claim instead."""
    # Lock the claim: two removals at once must not both see the other span still there.
    claim = Claim.objects.select_for_update().get(pk=span.claim_id)
    _check_may_change(claim, by)
    try:
        claim.clean_evidence(removing=[span.pk])
    except ValidationError as exc:
        raise Conflict(
            {
                "spans": "A published claim needs at least one source span as evidence: keep or add a span. "
                "If the claim has no evidence, ask a reviewer to reject it."
            }
        ) from exc
    span.delete()
    if claim.status == ClaimStatus.PUBLISHED:
        facts_refresh([claim.fact_id])


@transaction.atomic
def claim_update(*, claim: Claim, by=None, spans: list[dict] | None = None, **fields) -> Claim:
    """Change fields; `spans`, when given, replace the claim's spans. A published claim is
    changed by reviewers only (Forbidden) and keeps at least one span."""
    _check_may_change(claim, by)
    changed = set(fields)
    date = fields.pop("date", ...)
    for name, value in fields.items():
        setattr(claim, name, value)
    if date is not ...:
        claim.set_partial_date(date)
    if spans is not None:
        claim.spans.all().delete()
        _spans_add(claim=claim, specs=spans, by=by)
    claim.full_clean()  # a published claim left without spans is refused here (Claim.clean_evidence)
    left = claim_group(claim, changed=changed)
    claim.save()
    if left is not None:
        facts_drop_empty([left])
    if claim.status == ClaimStatus.PUBLISHED and (left is not None or spans is not None or "attributed_to" in changed):
        facts_refresh([left, claim.fact_id])
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
    if not is_reviewer(by):
        raise Forbidden("Only reviewers may publish or reject claims.")


@transaction.atomic
def claim_publish(*, claim: Claim, by) -> Claim:
    _check_reviewer(by)
    if claim.status not in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW):
        raise Conflict({"status": f"Only a draft or in-review claim can be published; this one is {claim.status}."})
    claim.status = ClaimStatus.PUBLISHED
    claim.reviewed_by, claim.reviewed_at = by, timezone.now()
    claim.full_clean()  # refuses a claim without spans
    claim.save()
    facts_refresh([claim.fact_id])  # one more source, maybe
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, by, reason: str = "") -> Claim:
    _check_reviewer(by)
    if claim.status == ClaimStatus.REJECTED:
        raise Conflict({"status": "This claim is already rejected."})
    was_published = claim.status == ClaimStatus.PUBLISHED
    claim.status = ClaimStatus.REJECTED
    claim.reviewed_by, claim.reviewed_at = by, timezone.now()
    if reason:
        claim.notes = f"{claim.notes}\n\nRejected: {reason}".strip()
    claim.full_clean()
    claim.save()
    if was_published:
        facts_refresh([claim.fact_id])  # one source fewer, maybe
    return claim


def claim_may_delete(*, claim: Claim) -> bool:
    """A published claim is part of the record: it is rejected, never deleted."""
    return claim.status != ClaimStatus.PUBLISHED


@transaction.atomic
def claim_delete(*, claim: Claim, by=None) -> None:
    """Delete a claim that was never published (its spans go with it). A published claim is
    part of the record: reject it instead (Conflict)."""
    if not claim_may_delete(claim=claim):
        raise Conflict({"status": "A published claim cannot be deleted; reject it instead."})
    fact = claim.fact_id
    claim.delete()
    facts_drop_empty([fact])
