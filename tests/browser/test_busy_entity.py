"""The busiest entity's page on a generated corpus (factbase/synth), as a curator opens it:
HTML under the admin's 500 KB, its latest participations inline and a link to all of them,
which lists them all. Its server time is measured by the admin benchmark (bench/admin.py),
not here, and its queries are pinned whatever it holds (tests/factbase/admin/test_change_forms.py)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db.models import Count
from playwright.sync_api import expect

from factbase.models import Country, EventParticipant
from factbase.synth import synth_build
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIMS = 20_000  # the busiest country then takes part in some 400 events and is in some 500 claims

# The navigation's body size.
NAVIGATION = """
() => performance.getEntriesByType("navigation")[0].encodedBodySize
"""


def test_the_busiest_country_opens_within_the_size_target_and_links_to_all_its_participations(
    live_server, new_page, screenshot, curator
):
    synth_build(claims=CLAIMS, seed=1, log=lambda message: None)
    busiest = (
        EventParticipant.objects.filter(entity__kind="country")
        .values("entity_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "entity_id")
        .first()
    )
    country, participations = Country.objects.get(pk=busiest["entity_id"]), busiest["n"]
    assert participations > 100, "the corpus is too small to show a busy entity"
    url = f"{live_server.url}/admin/factbase/country/{country.pk}/change/"

    page = new_page()
    log_in(page, live_server, curator.username)
    page.goto(url)
    assert page.evaluate(NAVIGATION) < 500_000

    expect(page.locator("#participations-group tbody tr.has_original")).to_have_count(10)
    link = page.locator("#participations-rest a")
    expect(link).to_have_text(f"All {participations:,} participations →")
    screenshot(page, "busiest-country")

    link.click()  # the participations changelist, filtered to this country
    per_page = admin.site.get_model_admin(EventParticipant).list_per_page
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(min(participations, per_page))
    assert all(country.name in row for row in rows.all_inner_texts())
