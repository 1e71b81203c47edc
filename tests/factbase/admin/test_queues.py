"""The queues in the admin: the documents list's queue filter, progress and one-click Take,
the document screen's queue panel and steps, and the review queue (one claim at a time,
its spans in context, publish, reject with a reason, send back with a note, then the next)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from factbase.enums import ClaimStatus
from factbase.models import Claim, Document
from factbase.services.facts import claim_group, facts_refresh
from factbase.services.suggestions import matcher_invalidate
from tests.factories import ClaimFactory, DocumentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = reverse("admin:factbase_document_changelist")
REVIEW = reverse("admin:factbase_claim_review")


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matcher_invalidate()
    yield
    matcher_invalidate()


def listed(response) -> list[int]:
    return [document.pk for document in response.context["cl"].result_list]


# ---------------------------------------------------------------- the documents list


def test_my_queue_lists_mine_and_the_unassigned_not_done(curator, curator_admin):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    new = DocumentFactory()
    mine = DocumentFactory(in_curation=True, assignee=curator)
    DocumentFactory(in_curation=True, assignee=other)
    DocumentFactory(done=True)
    released = DocumentFactory(in_curation=True)

    assert sorted(listed(curator_admin.get(DOCUMENTS, {"queue": "open"}))) == sorted([new.pk, mine.pk, released.pk])
    assert listed(curator_admin.get(DOCUMENTS, {"queue": "mine"})) == [mine.pk]


def test_the_list_shows_state_curator_progress_and_take(curator, curator_admin):
    document = DocumentFactory(title="Lavrov in Jakarta")
    ClaimFactory(spans__document=document)
    ClaimFactory(spans__document=document, published=True)
    ClaimFactory(spans__document=document, published=True)
    held = DocumentFactory(in_curation=True, assignee=curator)

    html = curator_admin.get(DOCUMENTS).content.decode()

    row = re.search(rf"<tr>(?:(?!</tr>).)*?fb-take-{document.pk}.*?</tr>", html, re.S).group(0)
    assert (
        re.sub(r"<[^>]+>", " ", row).split()
        == "Lavrov in Jakarta 2021-07 - en 3 0 New Take 1 draft 2 published".split()
    )
    held_row = re.search(rf"<tr>(?:(?!</tr>).)*?{held.title}.*?</tr>", html, re.S).group(0)
    assert "fb-take-" not in held_row
    assert re.sub(r"<[^>]+>", " ", held_row).split()[-5:] == "In curation curator-1 no claims".split()
    assert 'id="fb-queue-form"' in html and 'href="?queue=open"' in html


@pytest.mark.parametrize("documents", [1, 3])
def test_my_queue_costs_the_same_whatever_rows(curator, curator_admin, django_assert_num_queries, documents):
    for _ in range(documents):
        document = DocumentFactory()
        ClaimFactory(spans__document=document, published=True)
    with django_assert_num_queries(7):
        response = curator_admin.get(DOCUMENTS, {"queue": "open"})
        response.render()
    assert len(listed(response)) == documents


def test_take_from_the_list_is_one_click(curator, curator_admin):
    document = DocumentFactory()
    response = curator_admin.post(reverse("admin:factbase_document_queue", args=[document.pk, "take"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:factbase_document_change", args=[document.pk])
    stored = Document.objects.get(pk=document.pk)
    assert (stored.curation_state, stored.assignee) == ("in_curation", curator)


def test_the_take_action_takes_the_selected(curator, curator_admin):
    free, held = DocumentFactory(), DocumentFactory(in_curation=True, assignee=UserFactory(username="curator-2"))
    response = curator_admin.post(
        DOCUMENTS, {"action": "take_documents", "_selected_action": [free.pk, held.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "1 document(s) taken: they are yours to curate.",
        f"Not taken: “{held}”: curator-2 is curating this document: they release it, or a reviewer assigns it to "
        "someone else.",
    ]
    assert Document.objects.get(pk=free.pk).assignee == curator


# ---------------------------------------------------------------- the document screen


def test_the_document_screen_shows_progress_and_the_curators_steps(curator, curator_admin):
    PersonFactory(name="Sergei Lavrov")  # named in the text: one pending suggestion
    document = DocumentFactory(in_curation=True, assignee=curator)
    ClaimFactory(spans__document=document)

    response = curator_admin.get(reverse("admin:factbase_document_change", args=[document.pk]))
    queue = response.context["queue"]

    assert (queue["state"], queue["mine"], queue["pending"], queue["claims"]) == (
        "in_curation",
        True,
        1,
        [("draft", "Draft", 1)],
    )
    assert [step for step, *_ in queue["steps"]] == ["submit", "release"]

    refused = curator_admin.post(reverse("admin:factbase_document_queue", args=[document.pk, "submit"]), follow=True)
    assert [str(m) for m in refused.context["messages"]] == [
        "Not submitted for review: 1 mention suggestion is still pending: accept or reject them (Suggested "
        "mentions). 1 claim is a draft: submit them for review, or delete them."
    ]
    assert Document.objects.get(pk=document.pk).curation_state == "in_curation"


def test_the_reviewer_marks_a_reviewed_document_done(reviewer, reviewer_admin):
    document = DocumentFactory(ready_for_review=True)
    ClaimFactory(spans__document=document, published=True)
    page = reviewer_admin.get(reverse("admin:factbase_document_change", args=[document.pk]))
    assert [step for step, *_ in page.context["queue"]["steps"]] == ["done", "reopen"]

    reviewer_admin.post(reverse("admin:factbase_document_queue", args=[document.pk, "done"]))

    assert Document.objects.get(pk=document.pk).curation_state == "done"


def test_a_curator_may_not_mark_done(curator_admin):
    document = DocumentFactory(ready_for_review=True)
    response = curator_admin.post(reverse("admin:factbase_document_queue", args=[document.pk, "done"]))
    assert response.status_code == 403
    assert Document.objects.get(pk=document.pk).curation_state == "ready_for_review"


# ---------------------------------------------------------------- the review queue


@pytest.fixture
def queue(curator):
    """Three claims in review, oldest first, in one document; one published claim of the
    same fact elsewhere."""
    document = DocumentFactory(ready_for_review=True, assignee=curator, title="Lavrov in Jakarta")
    now = timezone.now()
    claims = [
        ClaimFactory(
            spans__document=document, in_review=True, created_by=curator, created=now - datetime.timedelta(hours=3 - n)
        )
        for n in range(3)
    ]
    first = claims[0]
    twin = ClaimFactory(subject=first.subject, object=first.object, predicate=first.predicate, published=True)
    for claim in (first, twin):  # factories do not group: as a write would
        claim_group(claim)
        claim.save()
    facts_refresh([twin.fact_id])
    return document, claims


def test_the_review_screen_shows_the_oldest_claim_in_context(reviewer_admin, queue):
    document, claims = queue
    response = reviewer_admin.get(REVIEW)
    html = response.content.decode()

    first = claims[0]
    assert response.context["claim"] == first
    assert response.context["in_queue"] == "3"
    span = claims[0].spans.get()
    context = re.search(rf'id="fb-review-span-{span.pk}">(.*?)</blockquote>', html, re.S).group(1)
    # The text around the quote (all of this short one), the quote marked.
    assert context == escape(document.text[: span.start]) + "<mark>Sergei Lavrov visited Indonesia</mark>" + escape(
        document.text[span.end :]
    )
    fact = response.context["fact"]
    assert (fact["fact"].sources, fact["count"], [c.status for c in fact["others"]]) == (1, "1", ["published"])
    assert re.sub(r"<[^>]+>", "", re.search(r'id="fb-review-fact">(.*?)</p>', html, re.S).group(1)).split() == (
        f"Fact #{first.fact_id}: 1 independent source (published claims); 1 other claim states it.".split()
    )
    assert response.context["next_url"] == f"{REVIEW}?after={claims[0].pk}"
    assert response.context["previous_url"] == ""


def test_publish_reject_and_send_back_one_after_another(reviewer, reviewer_admin, queue):
    document, (first, second, third) = queue

    published = reviewer_admin.post(reverse("admin:factbase_claim_review_step", args=[first.pk, "publish"]))
    assert published["Location"] == f"{REVIEW}?after={first.pk}"
    assert reviewer_admin.get(published["Location"]).context["claim"] == second

    rejected = reviewer_admin.post(
        reverse("admin:factbase_claim_review_step", args=[second.pk, "reject"]), {"reason": "Not in the text."}
    )
    assert reviewer_admin.get(rejected["Location"]).context["claim"] == third

    sent = reviewer_admin.post(
        reverse("admin:factbase_claim_review_step", args=[third.pk, "send-back"]), {"note": "Which visit?"}
    )
    end = reviewer_admin.get(sent["Location"])
    assert end.context["claim"] is None and 'id="fb-review-empty"' in end.content.decode()

    stored = {c.pk: c for c in Claim.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert [(stored[c.pk].status, stored[c.pk].reviewed_by) for c in (first, second, third)] == [
        (ClaimStatus.PUBLISHED, reviewer),
        (ClaimStatus.REJECTED, reviewer),
        (ClaimStatus.DRAFT, reviewer),
    ]
    assert stored[second.pk].notes.endswith("Rejected: Not in the text.")
    assert stored[third.pk].review_note == "Which visit?"
    assert Document.objects.get(pk=document.pk).curation_state == "in_curation"  # back to its curator


def test_send_back_without_a_note_shows_the_same_claim_again(reviewer_admin, queue):
    _, (first, *_) = queue
    response = reviewer_admin.post(
        reverse("admin:factbase_claim_review_step", args=[first.pk, "send-back"]), {"note": " "}, follow=True
    )
    assert response.context["claim"] == first
    assert [str(m) for m in response.context["messages"]] == [
        f"“{first}” was not changed: Say what the curator should change."
    ]
    assert Claim.objects.get(pk=first.pk).status == ClaimStatus.IN_REVIEW


def test_skipping_walks_the_queue_and_wraps_at_its_end(reviewer_admin, queue):
    _, (first, second, third) = queue
    assert reviewer_admin.get(REVIEW, {"after": first.pk}).context["claim"] == second
    last = reviewer_admin.get(REVIEW, {"after": second.pk})
    assert last.context["claim"] == third and last.context["next_url"] == ""
    assert last.context["previous_url"] == f"{REVIEW}?after={first.pk}"
    end = reviewer_admin.get(REVIEW, {"after": third.pk})
    assert end.context["claim"] is None and end.context["wrapped_url"] == REVIEW


def test_the_queue_of_one_document(reviewer_admin, queue):
    document, (first, *_) = queue
    ClaimFactory(in_review=True, created=timezone.now() - datetime.timedelta(days=9))  # older, elsewhere
    response = reviewer_admin.get(REVIEW, {"document": document.pk})
    assert response.context["claim"] == first
    assert response.context["in_queue"] == "3"
    assert reviewer_admin.get(REVIEW).context["in_queue"] == "4"


@pytest.mark.parametrize("claims", [1, 3])
def test_the_review_screen_costs_the_same_whatever_the_queue(reviewer_admin, django_assert_num_queries, claims):
    document = DocumentFactory()
    for _ in range(claims):
        ClaimFactory(spans__document=document, in_review=True)
    with django_assert_num_queries(10):
        response = reviewer_admin.get(REVIEW, {"after": ""})
        response.render()
    assert response.context["claim"] is not None


def test_the_review_queue_is_for_reviewers(curator_admin):
    assert curator_admin.get(REVIEW).status_code == 403


def test_the_curator_sees_the_note_on_the_sent_back_claim(curator_admin, reviewer_admin, queue):
    _, (first, *_) = queue
    reviewer_admin.post(
        reverse("admin:factbase_claim_review_step", args=[first.pk, "send-back"]), {"note": "Which visit?"}
    )
    page = curator_admin.get(reverse("admin:factbase_claim_change", args=[first.pk])).content.decode()
    note = re.search(r'id="fb-sent-back-note">(.*?)</div>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", note).split() == "Sent back by reviewer-1: Which visit?".split()
