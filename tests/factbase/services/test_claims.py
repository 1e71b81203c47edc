"""The claim services' rules, on the service path itself: only reviewers change a published
claim or its evidence, a published claim keeps at least one span and is never deleted,
only reviewers publish or reject. The admin and the API reach the same code (their tests
are in tests/factbase/admin and tests/api)."""

import pytest
from django.core.exceptions import ValidationError

from factbase.models import Claim, SourceSpan
from factbase.services.claims import (
    claim_delete,
    claim_reject,
    claim_update,
    span_add,
    span_delete,
    span_update,
)
from factbase.services.errors import Conflict, Forbidden
from tests.factories import ClaimFactory, DocumentFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

LAST_SPAN = (
    "A published claim needs at least one source span as evidence: keep or add a span. "
    "If the claim has no evidence, ask a reviewer to reject it."
)


def two_span_claim(**traits):
    claim = ClaimFactory(spans=[], **traits)
    document = DocumentFactory()
    first = SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov")
    second = SourceSpanFactory(claim=claim, document=document, quote="Indonesia")
    return claim, first, second


# --- a published claim keeps at least one span ----------------------------------------------


def test_span_delete_refuses_the_last_span_of_a_published_claim(reviewer):
    claim = ClaimFactory(published=True)
    span = claim.spans.get()

    with pytest.raises(Conflict) as info:
        span_delete(span=span, by=reviewer)

    assert info.value.message_dict == {"spans": [LAST_SPAN]}
    assert list(claim.spans.all()) == [span]


def test_span_delete_removes_one_of_two_spans_of_a_published_claim(reviewer):
    claim, first, second = two_span_claim(published=True)

    span_delete(span=first, by=reviewer)

    assert list(claim.spans.all()) == [second]


def test_span_delete_removes_the_last_span_of_a_draft(curator):
    claim = ClaimFactory()

    span_delete(span=claim.spans.get(), by=curator)

    assert claim.spans.count() == 0


def test_claim_update_refuses_replacing_a_published_claims_spans_with_none(reviewer):
    claim = ClaimFactory(published=True)
    span = claim.spans.get()

    with pytest.raises(ValidationError) as info:
        claim_update(claim=claim, by=reviewer, spans=[])

    assert info.value.message_dict == {"status": ["A published claim needs at least one source span as evidence."]}
    assert list(SourceSpan.objects.filter(claim=claim)) == [span]


# --- only reviewers change a published claim, its evidence included -------------------------


def test_claim_update_of_a_published_claim_is_refused_to_a_curator(curator):
    claim = ClaimFactory(published=True, notes="as reviewed")

    with pytest.raises(Forbidden) as info:
        claim_update(claim=claim, by=curator, notes="edited without review")

    assert str(info.value) == "Only reviewers may change a published claim."
    assert Claim.objects.get(pk=claim.pk).notes == "as reviewed"


def test_claim_update_of_a_published_claim_is_allowed_to_a_reviewer(reviewer):
    claim = ClaimFactory(published=True)

    claim_update(claim=claim, by=reviewer, notes="checked again")

    assert Claim.objects.get(pk=claim.pk).notes == "checked again"


def test_claim_update_of_a_draft_is_allowed_to_a_curator(curator):
    claim = ClaimFactory()

    claim_update(claim=claim, by=curator, notes="a first reading")

    assert Claim.objects.get(pk=claim.pk).notes == "a first reading"


def test_span_add_to_a_published_claim_is_refused_to_a_curator(curator):
    claim = ClaimFactory(published=True)
    document = claim.spans.get().document

    with pytest.raises(Forbidden):
        span_add(claim=claim, specs=[{"document": document, "exact": "Indonesia and Laos"}], by=curator)

    assert claim.spans.count() == 1


def test_span_update_of_a_published_claims_span_is_refused_to_a_curator(curator):
    span = ClaimFactory(published=True).spans.get()

    with pytest.raises(Forbidden):
        span_update(span=span, by=curator, start=span.start + 1)

    assert SourceSpan.objects.get(pk=span.pk).start == span.start


def test_span_update_recomputes_the_quote_from_the_text(reviewer):
    span = ClaimFactory(published=True).spans.get()
    text = span.document.text
    start = text.index("Indonesia")

    span_update(span=span, by=reviewer, start=start, end=start + len("Indonesia"))

    stored = SourceSpan.objects.get(pk=span.pk)
    assert (stored.exact, stored.prefix, stored.suffix) == ("Indonesia", text[:start][-32:], text[start + 9 :][:32])


def test_span_delete_of_a_published_claims_span_is_refused_to_a_curator(curator):
    claim, first, second = two_span_claim(published=True)

    with pytest.raises(Forbidden):
        span_delete(span=first, by=curator)

    assert list(claim.spans.order_by("start")) == [first, second]


# --- a published claim is rejected, never deleted; reviewers publish and reject -------------


def test_claim_delete_refuses_a_published_claim_even_to_a_reviewer(reviewer):
    claim = ClaimFactory(published=True)

    with pytest.raises(Conflict) as info:
        claim_delete(claim=claim, by=reviewer)

    assert info.value.messages == ["A published claim cannot be deleted; reject it instead."]
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claim_reject_is_refused_to_a_curator(curator):
    claim = ClaimFactory(in_review=True)

    with pytest.raises(Forbidden) as info:
        claim_reject(claim=claim, by=curator)

    assert str(info.value) == "Only reviewers may publish or reject claims."
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
