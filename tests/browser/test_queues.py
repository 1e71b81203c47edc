"""The curation queues in a real browser (headless Chromium): a curator takes a document
from their queue with one click, decides its mention suggestions, submits its claims and the
document for review; a reviewer works through the review queue from the keyboard (publish
one, reject one with a reason, send one back with a note); the curator finds the sent-back
draft with its note. Screenshots of the document queue and the review screen go to
artifacts/screenshots/ (documents-queue.png, document-queue-panel.png, review-queue.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from factbase.models import Claim, Country, Document, Mention, Person, RejectedSuggestion
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create
from factbase.services.documents import document_create
from factbase.services.entities import entity_create
from factbase.services.suggestions import matcher_invalidate
from tests.browser.helpers import log_in
from tests.factories import PredicateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
    "In Vientiane, Lavrov met his counterpart; in Jakarta he spoke of arms sales."
)


@pytest.fixture
def world(curator):
    matcher_invalidate()  # the names of this world (the live server shares the process)
    lavrov = entity_create(model=Person, name="Sergei Lavrov", slug="sergei-lavrov", aliases=["Lavrov"])
    indonesia = entity_create(model=Country, name="Indonesia", slug="indonesia", iso_alpha2="ID", iso_alpha3="IDN")
    laos = entity_create(model=Country, name="Laos", slug="laos", iso_alpha2="LA", iso_alpha3="LAO")
    document = document_create(title="Lavrov in Southeast Asia", text=TEXT, published=PartialDate.parse("2021-07"))
    visited = PredicateFactory()
    claims = [
        claim_create(
            subject=lavrov,
            predicate=visited,
            object=country,
            spans=[{"document": document, "exact": quote}],
            by=curator,
        )
        for country, quote in (
            (indonesia, "Sergei Lavrov visited Indonesia"),
            (laos, "Laos"),
            (indonesia, "in Jakarta he spoke of arms sales"),
        )
    ]
    yield document, claims
    matcher_invalidate()


def test_a_document_through_both_queues(live_server, new_page, screenshot, curator, reviewer, world):
    document, (first, second, third) = world
    base = live_server.url

    # The curator's queue: take the document with one click.
    page = new_page()
    log_in(page, live_server, curator.username)
    page.goto(f"{base}/admin/factbase/document/")
    page.click("#fb-my-queue")
    expect(page.locator("#result_list")).to_contain_text("Lavrov in Southeast Asia")
    page.set_viewport_size({"width": 1600, "height": 900})  # the whole list, its progress column too
    screenshot(page, "documents-queue", full_page=True)
    page.click(f"#fb-take-{document.pk}")
    expect(page.locator("#fb-queue-state")).to_have_text("In curation")
    expect(page.locator("#fb-queue-assignee")).to_have_text(curator.username)
    pending = int(page.locator("#fb-queue-pending").inner_text())
    assert pending == 4  # Sergei Lavrov, Indonesia, Laos, and Lavrov again
    expect(page.locator("#fb-queue-claims-draft")).to_have_text("3 draft")
    screenshot(page, "document-queue-panel")

    # Submitting too early is refused, with the reasons.
    page.click("#fb-queue-submit")
    expect(page.locator("ul.messagelist")).to_contain_text("4 mention suggestions are still pending")
    expect(page.locator("ul.messagelist")).to_contain_text("3 claims are drafts")

    # Decide the suggestions: reject the first, accept the rest.
    page.click("#fb-suggestions-link")
    page.check("#fb-key-1")
    page.click("#fb-reject")
    expect(page.locator("ul.messagelist")).to_contain_text("Rejected 1 suggestion")
    page.check("#fb-toggle-all")
    page.click("#fb-accept")
    expect(page.locator("#fb-no-suggestions")).to_be_visible()
    assert (Mention.objects.filter(document=document).count(), RejectedSuggestion.objects.count()) == (3, 1)

    # Submit each claim for review from its screen.
    for claim in (first, second, third):
        page.goto(f"{base}/admin/factbase/claim/{claim.pk}/change/")
        page.click("#fb-submit-review")
        expect(page.locator("#fb-status")).to_have_text("In review")

    # And the document.
    page.goto(f"{base}/admin/factbase/document/{document.pk}/change/")
    expect(page.locator("#fb-queue-pending")).to_have_text("0")
    page.click("#fb-queue-submit")
    expect(page.locator("#fb-queue-state")).to_have_text("Ready for review")
    assert Document.objects.get(pk=document.pk).curation_state == "ready_for_review"

    # The reviewer's queue, from the keyboard.
    review = new_page()
    log_in(review, live_server, reviewer.username)
    review.goto(f"{base}/admin/factbase/claim/")
    review.click("#fb-review-queue-link")
    claim_shown = review.locator("#fb-review-claim")
    expect(claim_shown).to_have_attribute("data-claim", str(first.pk))
    expect(review.locator(f"#fb-review-span-{first.spans.get().pk} mark")).to_have_text(
        "Sergei Lavrov visited Indonesia"
    )
    screenshot(review, "review-queue", full_page=True)

    review.keyboard.press("n")  # skip to the next and back
    expect(claim_shown).to_have_attribute("data-claim", str(second.pk))
    review.keyboard.press("k")
    expect(claim_shown).to_have_attribute("data-claim", str(first.pk))

    review.keyboard.press("p")
    expect(claim_shown).to_have_attribute("data-claim", str(second.pk))
    expect(review.locator("ul.messagelist")).to_contain_text("Published")

    review.keyboard.press("r")
    expect(review.locator("#fb-review-reason")).to_be_focused()
    review.keyboard.type("Laos alone is no evidence of a visit.")
    review.keyboard.press("Enter")
    expect(claim_shown).to_have_attribute("data-claim", str(third.pk))

    review.keyboard.press("b")
    expect(review.locator("#fb-review-note")).to_be_focused()
    review.keyboard.type("The quote is about Jakarta: cite the visit itself.")
    review.keyboard.press("Enter")
    expect(review.locator("#fb-review-empty")).to_be_visible()

    statuses = dict(Claim.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "status"))
    assert [statuses[c.pk] for c in (first, second, third)] == ["published", "rejected", "draft"]
    assert Claim.objects.get(pk=second.pk).notes.endswith("Rejected: Laos alone is no evidence of a visit.")

    # The curator: the document is back in curation, the draft carries the note.
    page.goto(f"{base}/admin/factbase/document/?queue=mine")
    expect(page.locator("#result_list")).to_contain_text("In curation")
    page.goto(f"{base}/admin/factbase/claim/{third.pk}/change/")
    expect(page.locator("#fb-status")).to_have_text("Draft")
    note = page.locator("#fb-sent-back-note")
    expect(note).to_contain_text(f"Sent back by {reviewer.username}:")
    expect(note).to_contain_text("The quote is about Jakarta: cite the visit itself.")
    assert re.search("cite the visit", page.locator(".field-review_note").inner_text())
