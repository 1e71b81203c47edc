"""The curation queues' services: each step of a document (take, assign, release, submit,
done, reopen) allowed and refused with its message, and a claim sent back to its curator."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from factbase.enums import ClaimStatus, CurationState
from factbase.models import Claim, Document
from factbase.services.errors import Conflict, Forbidden
from factbase.services.queues import (
    claim_send_back,
    document_assign,
    document_done,
    document_progress,
    document_release,
    document_reopen,
    document_submit,
    document_take,
    documents_settle,
)
from factbase.services.suggestions import matcher_invalidate, suggestions_accept, suggestions_reject
from tests.factories import ClaimFactory, DocumentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matcher_invalidate()  # the names of this test's world, not a previous one's
    yield
    matcher_invalidate()


def state_of(document) -> tuple[str, object]:
    stored = Document.objects.get(pk=document.pk)
    return stored.curation_state, stored.assignee


def messages(exc_info) -> list[str]:
    return exc_info.value.messages


# ---------------------------------------------------------------- take, assign, release


def test_take_makes_a_new_document_the_curators(curator):
    document = DocumentFactory()
    document_take(document=document, by=curator)
    assert state_of(document) == (CurationState.IN_CURATION, curator)
    assert document.history.count() == 2


def test_take_twice_by_the_same_curator_changes_nothing(curator):
    document = DocumentFactory()
    document_take(document=document, by=curator)
    document_take(document=document, by=curator)
    assert state_of(document) == (CurationState.IN_CURATION, curator)
    assert document.history.count() == 2


def test_take_refuses_a_document_someone_holds(curator):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    document = DocumentFactory(in_curation=True, assignee=other)
    with pytest.raises(Conflict) as refused:
        document_take(document=document, by=curator)
    assert messages(refused) == [
        "curator-2 is curating this document: they release it, or a reviewer assigns it to someone else."
    ]
    assert state_of(document) == (CurationState.IN_CURATION, other)


@pytest.mark.parametrize("state", [CurationState.READY_FOR_REVIEW, CurationState.DONE])
def test_take_refuses_a_document_past_curation(curator, state):
    document = DocumentFactory(curation_state=state)
    with pytest.raises(Conflict) as refused:
        document_take(document=document, by=curator)
    label = CurationState(state).label.lower()
    assert messages(refused) == [f"This document is {label}: only a reviewer sends it back to curation."]


def test_take_refuses_anyone_who_does_not_curate():
    reader = UserFactory(username="reader")
    document = DocumentFactory()
    with pytest.raises(Forbidden, match="Only curators may take documents to curate."):
        document_take(document=document, by=reader)
    assert state_of(document) == (CurationState.NEW, None)


def test_a_released_document_is_taken_by_the_next_curator(curator):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    document = DocumentFactory()
    document_take(document=document, by=other)
    document_release(document=document, by=other)
    assert state_of(document) == (CurationState.IN_CURATION, None)
    document_take(document=document, by=curator)
    assert state_of(document) == (CurationState.IN_CURATION, curator)


def test_release_of_someone_elses_document_is_for_reviewers(curator, reviewer):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    document = DocumentFactory(in_curation=True, assignee=other)
    with pytest.raises(Forbidden, match="curator-2 holds this document: only they, or a reviewer, release it."):
        document_release(document=document, by=curator)
    document_release(document=document, by=reviewer)
    assert state_of(document) == (CurationState.IN_CURATION, None)


def test_release_refuses_a_document_nobody_holds(curator):
    with pytest.raises(Conflict) as refused:
        document_release(document=DocumentFactory(), by=curator)
    assert messages(refused) == ["Nobody holds this document to release it (it is new)."]


def test_assign_is_for_reviewers_and_to_curators(curator, reviewer):
    document = DocumentFactory()
    with pytest.raises(Forbidden, match="Only reviewers may assign documents to curators."):
        document_assign(document=document, assignee=curator, by=curator)
    with pytest.raises(ValidationError) as refused:
        document_assign(document=document, assignee=UserFactory(username="reader"), by=reviewer)
    assert refused.value.message_dict == {"assignee": ["Assign the document to an active curator."]}
    document_assign(document=document, assignee=curator, by=reviewer)
    assert state_of(document) == (CurationState.IN_CURATION, curator)


# ---------------------------------------------------------------- submit


@pytest.fixture
def lavrov():
    return PersonFactory(name="Sergei Lavrov")  # named in every DocumentFactory text


def test_submit_refuses_pending_suggestions_and_drafts(curator, lavrov):
    document = DocumentFactory(in_curation=True, assignee=curator)
    ClaimFactory(spans__document=document)  # a draft
    ClaimFactory(spans__document=document)
    with pytest.raises(Conflict) as refused:
        document_submit(document=document, by=curator)
    assert messages(refused) == [
        "1 mention suggestion is still pending: accept or reject them (Suggested mentions).",
        "2 claims are drafts: submit them for review, or delete them.",
    ]
    assert state_of(document) == (CurationState.IN_CURATION, curator)


def test_submit_moves_a_curated_document_to_review(curator, lavrov):
    document = DocumentFactory(in_curation=True, assignee=curator)
    for status in ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED, ClaimStatus.REJECTED:
        ClaimFactory(spans__document=document, status=status)
    start = document.text.index("Sergei Lavrov")
    suggestions_accept(document=document, keys=[(lavrov.pk, start, start + len("Sergei Lavrov"))], by=curator)
    assert document_progress(document=document).pending_suggestions == 0

    document_submit(document=document, by=curator)

    assert state_of(document) == (CurationState.READY_FOR_REVIEW, curator)


def test_submit_counts_rejected_suggestions_as_decided(curator, lavrov):
    document = DocumentFactory(in_curation=True, assignee=curator)
    start = document.text.index("Sergei Lavrov")
    suggestions_reject(document=document, keys=[(lavrov.pk, start, start + len("Sergei Lavrov"))], by=curator)
    document_submit(document=document, by=curator)
    assert state_of(document)[0] == CurationState.READY_FOR_REVIEW


def test_submit_is_the_curators_or_a_reviewers(curator, reviewer):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    document = DocumentFactory(in_curation=True, assignee=other)
    with pytest.raises(Forbidden, match="Curator-2 holds this document: only they, or a reviewer, submit it"):
        document_submit(document=document, by=curator)
    document_submit(document=document, by=reviewer)
    assert state_of(document)[0] == CurationState.READY_FOR_REVIEW


def test_submit_refuses_a_document_not_in_curation(curator):
    with pytest.raises(Conflict) as refused:
        document_submit(document=DocumentFactory(), by=curator)
    assert messages(refused) == ["Only a document in curation can be submitted for review; this one is new."]


# ---------------------------------------------------------------- done and back to curation


def test_done_needs_every_claim_decided(reviewer):
    document = DocumentFactory(ready_for_review=True)
    waiting = ClaimFactory(spans__document=document, in_review=True)
    ClaimFactory(spans__document=document, published=True)
    with pytest.raises(Conflict) as refused:
        document_done(document=document, by=reviewer)
    assert messages(refused) == ["1 claim is still in review or a draft: publish or reject every claim first."]
    Claim.objects.filter(pk=waiting.pk).update(status=ClaimStatus.REJECTED)
    document_done(document=document, by=reviewer)
    assert state_of(document)[0] == CurationState.DONE


def test_done_is_for_reviewers(curator):
    document = DocumentFactory(ready_for_review=True)
    with pytest.raises(Forbidden, match="Only reviewers may mark documents done"):
        document_done(document=document, by=curator)


def test_done_refuses_a_document_in_curation(reviewer):
    with pytest.raises(Conflict) as refused:
        document_done(document=DocumentFactory(in_curation=True), by=reviewer)
    assert messages(refused) == ["Only a document ready for review can be marked done; this one is in curation."]


@pytest.mark.parametrize("state", [CurationState.READY_FOR_REVIEW, CurationState.DONE])
def test_reopen_sends_a_document_back_to_its_curator(curator, reviewer, state):
    document = DocumentFactory(curation_state=state, assignee=curator)
    document_reopen(document=document, by=reviewer)
    assert state_of(document) == (CurationState.IN_CURATION, curator)


def test_reopen_refuses_a_document_in_curation(reviewer, curator):
    with pytest.raises(Conflict) as refused:
        document_reopen(document=DocumentFactory(in_curation=True), by=reviewer)
    assert messages(refused) == [
        "Only a document ready for review or done goes back to curation; this one is in curation."
    ]
    with pytest.raises(Forbidden):
        document_reopen(document=DocumentFactory(done=True), by=curator)


# ---------------------------------------------------------------- sending a claim back


def test_send_back_returns_the_claim_as_a_draft_with_the_note(curator, reviewer):
    document = DocumentFactory(ready_for_review=True, assignee=curator)
    claim = ClaimFactory(spans__document=document, in_review=True, created_by=curator)

    claim_send_back(claim=claim, note="The quote says planned, not visited.", by=reviewer)

    claim.refresh_from_db()
    assert (claim.status, claim.review_note, claim.reviewed_by) == (
        ClaimStatus.DRAFT,
        "The quote says planned, not visited.",
        reviewer,
    )
    # Its document goes back to its curator's queue.
    assert state_of(document) == (CurationState.IN_CURATION, curator)


def test_send_back_needs_a_note_and_a_claim_in_review(reviewer):
    claim = ClaimFactory(in_review=True)
    with pytest.raises(ValidationError) as refused:
        claim_send_back(claim=claim, note="  ", by=reviewer)
    assert refused.value.message_dict == {"note": ["Say what the curator should change."]}
    with pytest.raises(ValidationError) as refused:
        claim_send_back(claim=claim, note="x" * 2001, by=reviewer)
    assert refused.value.message_dict == {"note": ["Keep the note within 2,000 characters."]}
    published = ClaimFactory(published=True)
    with pytest.raises(Conflict) as refused:
        claim_send_back(claim=published, note="Why?", by=reviewer)
    assert messages(refused) == ["Only a claim in review can be sent back; this one is published."]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_send_back_is_for_reviewers(curator):
    claim = ClaimFactory(in_review=True)
    with pytest.raises(Forbidden, match="Only reviewers may publish or reject claims."):
        claim_send_back(claim=claim, note="Please check.", by=curator)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


# ---------------------------------------------------------------- progress and the loader's settling


def test_progress_counts_mentions_suggestions_and_claims(curator, lavrov):
    document = DocumentFactory()
    ClaimFactory(spans__document=document)
    ClaimFactory(spans__document=document, published=True)
    ClaimFactory(spans__document=document, published=True)
    progress = document_progress(document=document)
    assert progress == type(progress)(
        mentions=0,
        rejected_suggestions=0,
        pending_suggestions=1,
        claims={ClaimStatus.DRAFT: 1, ClaimStatus.PUBLISHED: 2},
    )


def test_settle_marks_done_only_documents_whose_claims_are_all_decided():
    decided, undecided, bare = DocumentFactory(), DocumentFactory(), DocumentFactory()
    ClaimFactory(spans__document=decided, published=True)
    ClaimFactory(spans__document=decided, status=ClaimStatus.REJECTED)
    ClaimFactory(spans__document=undecided, published=True)
    ClaimFactory(spans__document=undecided, in_review=True)
    assert documents_settle([decided.pk, undecided.pk, bare.pk]) == 1
    assert [state_of(d)[0] for d in (decided, undecided, bare)] == ["done", "new", "new"]
