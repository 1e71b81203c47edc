"""The suggestion and revision screens in a real browser (headless Chromium): a curator
opens the seed article, accepts two suggested mentions and rejects the rest, then corrects
a typo as a new revision and reads the re-anchoring report."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from factbase.models import Country, Document, Mention, Person, RejectedSuggestion
from factbase.partial_dates import PartialDate
from factbase.services.documents import document_create
from factbase.services.entities import entity_create
from factbase.services.mentions import mention_create
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(settings.BASE_DIR) / "seeds" / "000_3a67f61cbea0bcb9.txt"


@pytest.fixture
def seed_article():
    return document_create(
        title="Stepping Up Activities in China’s Backyard",
        text=SEED.read_bytes().decode("utf-8"),
        published=PartialDate.parse("2021-08"),
    )


def test_curator_accepts_and_rejects_suggestions_in_bulk(live_server, new_page, screenshot, curator, seed_article):
    entity_create(model=Person, name="Sergei Lavrov", slug="sergei-lavrov", aliases=["Lavrov"])
    entity_create(model=Country, name="Laos", slug="laos", iso_alpha2="LA", iso_alpha3="LAO")
    page = new_page()
    log_in(page, live_server, curator.username)
    page.goto(f"{live_server.url}/admin/factbase/document/{seed_article.pk}/change/")

    page.click("#fb-suggestions-link")

    rows = page.locator("table.fb-suggestions-table tbody tr")
    total = rows.count()
    assert total == seed_article.text.count("Lavrov") + seed_article.text.count("Laos")
    screenshot(page, "suggestions-screen")
    page.check("#fb-key-1")
    page.check("#fb-key-2")
    page.click("#fb-accept")
    expect(page.locator("ul.messagelist")).to_contain_text("Recorded 2 mentions.")
    assert Mention.objects.filter(document=seed_article, created_by=curator).count() == 2
    expect(rows).to_have_count(total - 2)

    page.check("#fb-toggle-all")
    page.click("#fb-reject")
    expect(page.locator("#fb-no-suggestions")).to_be_visible()
    assert RejectedSuggestion.objects.filter(document=seed_article).count() == total - 2


def test_curator_revises_text_and_reads_report(live_server, new_page, screenshot, curator, seed_article):
    laos = entity_create(model=Country, name="Laos", slug="laos", iso_alpha2="LA", iso_alpha3="LAO")
    first_laos = seed_article.text.index("Laos")
    mention = mention_create(document=seed_article, entity=laos, start=first_laos, end=first_laos + 4)
    page = new_page()
    log_in(page, live_server, curator.username)
    page.goto(f"{live_server.url}/admin/factbase/document/{seed_article.pk}/change/")

    page.click("#fb-revise-link")
    correction = "Correction appended below.\n\n"
    page.fill("#fb-revise-text", correction + seed_article.text)
    page.click("#fb-revise-submit")

    expect(page.locator("#fb-revise-counts")).to_contain_text("moved")
    screenshot(page, "revise-report")
    revision = Document.objects.get(revision_of=seed_article)
    mention.refresh_from_db()
    assert (mention.document, mention.start, mention.anchor_status) == (revision, first_laos + len(correction), "moved")
    page.click("#fb-revision-link")
    expect(page.locator("#fb-text")).to_contain_text("Correction appended below.")
    assert revision.text == correction + seed_article.text  # the browser's CRLF line breaks were undone
