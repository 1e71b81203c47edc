"""The curator admin in a real browser (headless Chromium): a claim made from a mouse
selection in the seed article, the review workflow's permissions, a published claim keeping
its evidence, and a merge of duplicates, and its undoing.
Screenshots of the document and claim screens go to artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from playwright.sync_api import expect

from factbase.models import Claim, Country, EntityMerge, Person, SourceSpan
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish, claim_submit
from factbase.services.documents import document_create
from factbase.services.entities import entity_create, entity_merge
from tests.browser.helpers import log_in, pick, select_with_mouse
from tests.factories import PredicateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = next((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
SENTENCE = (
    "Russian Foreign Minister Sergei Lavrov visited the Southeast Asian countries of Indonesia and Laos "
    "from July 6 to 8."
)
# Characters outside the Basic Multilingual Plane before the sentence: each is one code point
# (what the server counts) but two UTF-16 units (what the browser counts).
EMOJI_LINE = "🌏🇷🇺🇮🇩 Russia in Southeast Asia\n\n"


@pytest.fixture
def seed_article():
    text = EMOJI_LINE + SEED.read_text(encoding="utf-8")
    return document_create(
        title="Stepping Up Activities in China’s Backyard", text=text, published=PartialDate.parse("2021-08")
    )


@pytest.fixture
def visited():
    return PredicateFactory(slug="visited", label="visited", subject_kinds=["person"], object_kinds=["country"])


@pytest.fixture
def lavrov():
    return entity_create(model=Person, name="Sergei Lavrov", slug="sergei-lavrov", aliases=["Lavrov"])


@pytest.fixture
def indonesia():
    return entity_create(model=Country, name="Indonesia", slug="indonesia", iso_alpha2="ID", iso_alpha3="IDN")


def test_curator_creates_claim_from_mouse_selection(
    live_server, new_page, screenshot, curator, seed_article, visited, lavrov, indonesia
):
    start = seed_article.text.index(SENTENCE)
    end = start + len(SENTENCE)
    # Five code points outside the BMP before it: the browser counts 5 more UTF-16 units.
    assert len(seed_article.text[:start].encode("utf-16-le")) // 2 == start + 5
    page = new_page()
    log_in(page, live_server, curator.username)
    document_url = f"{live_server.url}/admin/factbase/document/{seed_article.pk}/change/"
    page.goto(document_url)

    select_with_mouse(page, SENTENCE)

    expect(page.locator("#fb-sel-offsets")).to_have_text(f"{start}–{end}")
    expect(page.locator("#fb-new-mention")).to_have_attribute("aria-disabled", "false")
    screenshot(page, "document-screen-selection")
    page.click("#fb-new-claim")
    expect(page.locator(".fb-selection-panel")).to_contain_text(SENTENCE)
    expect(page.locator("#id_spans-0-start")).to_have_value(str(start))
    pick(page, "subject", "lavr", "Sergei Lavrov")
    pick(page, "predicate", "visit", "visited")
    pick(page, "object", "indo", "Indonesia")
    page.click("input[name=_save]")

    page.wait_for_url(document_url)
    span = SourceSpan.objects.get()
    assert (span.document_id, span.start, span.end, span.exact) == (seed_article.pk, start, end, SENTENCE)
    assert str(span.claim) == "Sergei Lavrov visited Indonesia"
    highlighted = page.locator(f'mark[data-refs~="span-{span.pk}"]')
    assert "".join(highlighted.all_text_contents()) == SENTENCE
    expect(highlighted.first).to_have_attribute("title", "Claim: Sergei Lavrov visited Indonesia (draft)")
    highlighted.first.hover()  # the title's tooltip, and the toolbar, name the claim
    expect(page.locator("#fb-refs")).to_have_text("Here: Sergei Lavrov visited Indonesia")
    page.evaluate("window.scrollBy({top: -200, behavior: 'instant'})")
    screenshot(page, "document-screen")

    page.goto(f"{live_server.url}/admin/factbase/claim/{span.claim_id}/change/")
    expect(page.locator(".fb-evidence-quote mark.fb-quote")).to_have_text(SENTENCE)
    screenshot(page, "claim-screen", full_page=True)


def test_curator_cannot_publish_but_reviewer_can(
    live_server, new_page, screenshot, curator, reviewer, seed_article, visited, lavrov, indonesia
):
    claims = [
        claim_submit(
            claim=claim_create(
                subject=lavrov,
                predicate=visited,
                object=indonesia,
                spans=[{"document": seed_article, "exact": quote}],
                by=curator,
            ),
            by=curator,
        )
        for quote in (SENTENCE, "Lavrov also held a videoconference")
    ]
    claim_url = f"{live_server.url}/admin/factbase/claim/{claims[0].pk}/change/"
    changelist_url = f"{live_server.url}/admin/factbase/claim/"

    curator_page = new_page()
    log_in(curator_page, live_server, curator.username)
    curator_page.goto(claim_url)
    expect(curator_page.locator("#fb-status")).to_have_text("In review")
    expect(curator_page.locator("#fb-publish")).to_have_count(0)
    expect(curator_page.locator("#fb-reject")).to_have_count(0)
    expect(curator_page.locator("select[name=status]")).to_have_count(0)
    curator_page.goto(changelist_url)
    actions = curator_page.locator("select[name=action] option").all_inner_texts()
    assert not any("Publish" in action or "Reject" in action for action in actions)
    token = next(c["value"] for c in curator_page.context.cookies() if c["name"] == "csrftoken")
    refused = curator_page.request.post(
        live_server.url + reverse("admin:factbase_claim_transition", args=[claims[0].pk, "publish"]),
        headers={"X-CSRFToken": token, "Referer": claim_url},
    )
    assert refused.status == 403

    reviewer_page = new_page()
    log_in(reviewer_page, live_server, reviewer.username)
    reviewer_page.goto(claim_url)
    reviewer_page.click("#fb-publish")
    expect(reviewer_page.locator("#fb-status")).to_have_text("Published")
    screenshot(reviewer_page, "claim-screen-published")
    reviewer_page.goto(changelist_url)
    reviewer_page.check(f"input.action-select[value='{claims[1].pk}']")
    reviewer_page.select_option("select[name=action]", "publish_claims")
    reviewer_page.click("button[name=index]")
    expect(reviewer_page.locator(".messagelist")).to_contain_text("1 claim(s) published.")

    assert list(Claim.objects.order_by("pk").values_list("status", "reviewed_by__username")) == [
        ("published", reviewer.username),
        ("published", reviewer.username),
    ]


def test_reviewer_removing_the_only_span_of_a_published_claim_is_told_why(
    live_server, new_page, screenshot, reviewer, seed_article, visited, lavrov, indonesia
):
    claim = claim_create(
        subject=lavrov, predicate=visited, object=indonesia, spans=[{"document": seed_article, "exact": SENTENCE}]
    )
    claim_publish(claim=claim, by=reviewer)
    page = new_page()
    log_in(page, live_server, reviewer.username)
    claim_url = f"{live_server.url}/admin/factbase/claim/{claim.pk}/change/"
    page.goto(claim_url)

    page.check("#id_spans-0-DELETE")
    page.click("input[name=_save]")

    expect(page.locator(".inline-group .errorlist.nonform")).to_have_text(
        "A published claim needs at least one source span as evidence: keep or add a span. "
        "If the claim has no evidence, ask a reviewer to reject it."
    )
    screenshot(page, "claim-screen-last-span-kept")
    assert list(claim.spans.values_list("exact", flat=True)) == [SENTENCE]


def test_merge_of_duplicate_people_leaves_no_claim_behind(
    live_server, new_page, screenshot, reviewer, seed_article, visited, lavrov, indonesia
):
    duplicate = entity_create(model=Person, name="Sergey Lavrov", slug="sergey-lavrov")
    for quote in (SENTENCE, "Lavrov also held a videoconference"):
        claim_create(
            subject=duplicate, predicate=visited, object=indonesia, spans=[{"document": seed_article, "exact": quote}]
        )
    claim_create(
        subject=lavrov,
        predicate=visited,
        object=indonesia,
        attributed_to=duplicate,
        spans=[{"document": seed_article, "exact": "Lavrov had also originally planned to visit Brunei"}],
    )
    page = new_page()
    log_in(page, live_server, reviewer.username)  # merging is reviewers' work
    page.goto(f"{live_server.url}/admin/factbase/person/")

    page.check(f"input.action-select[value='{lavrov.pk}']")
    page.check(f"input.action-select[value='{duplicate.pk}']")
    page.select_option("select[name=action]", "merge_entities")
    page.click("button[name=index]")
    expect(page.locator("table.fb-merge-table tbody tr")).to_have_count(2)
    page.check(f"#survivor-{lavrov.pk}")
    screenshot(page, "merge-confirmation")
    page.click("#fb-merge-confirm")

    page.wait_for_url(re.compile(rf"/admin/factbase/person/{lavrov.pk}/change/$"))
    expect(page.locator(".messagelist")).to_contain_text("Merged “Sergey Lavrov” into “Sergei Lavrov”")
    loser = Q(subject_id=duplicate.pk) | Q(object_id=duplicate.pk) | Q(attributed_to_id=duplicate.pk)
    assert Claim.objects.filter(loser).count() == 0
    assert (Claim.objects.filter(subject=lavrov).count(), Claim.objects.filter(attributed_to=lavrov).count()) == (3, 1)
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert sorted(lavrov.aliases.values_list("name", flat=True)) == ["Lavrov", "Sergey Lavrov"]


def test_reviewer_undoes_a_merge_from_the_list_of_merges(
    live_server, new_page, screenshot, reviewer, seed_article, visited, lavrov, indonesia
):
    duplicate = entity_create(model=Person, name="Sergey Lavrov", slug="sergey-lavrov", aliases=["S. Lavrov"])
    claim = claim_create(
        subject=duplicate, predicate=visited, object=indonesia, spans=[{"document": seed_article, "exact": SENTENCE}]
    )
    duplicate_pk = duplicate.pk
    entity_merge(survivor=lavrov, loser=duplicate)
    page = new_page()
    log_in(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/admin/factbase/entitymerge/")

    record = EntityMerge.objects.get(merged_id=duplicate_pk)
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(f"Sergey Lavrov (#{duplicate_pk})")
    page.check(f"input.action-select[value='{record.pk}']")
    page.select_option("select[name=action]", "undo_merges")
    screenshot(page, "merge-undo")
    page.click("button[name=index]")

    expect(page.locator(".messagelist")).to_contain_text("Restored “Sergey Lavrov” exactly as before the merge.")
    expect(page.locator("#result_list")).to_have_count(0)  # no merges left to list
    restored = Person.objects.get(pk=duplicate_pk)
    assert (restored.slug, list(restored.aliases.values_list("name", flat=True))) == ("sergey-lavrov", ["S. Lavrov"])
    assert Claim.objects.get(pk=claim.pk).subject_id == duplicate_pk
    assert list(lavrov.aliases.values_list("name", flat=True)) == ["Lavrov"]
