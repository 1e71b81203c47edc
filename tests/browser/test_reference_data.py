"""Reference data in the admin, as a curator meets it: a country can be read and given
aliases, but it has no delete button, its ISO codes are not editable, and its delete URL
answers 403. A staff administrator sees the button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from factbase.models import Country
from tests.browser.helpers import log_in
from tests.factories import CountryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_curator_finds_no_delete_button_on_a_country_and_a_403_on_its_delete_url(
    live_server, new_page, screenshot, curator, administrator
):
    tuvalu = CountryFactory(name="Tuvalu", slug="tuvalu", iso_alpha2="TV", iso_alpha3="TUV")
    change_url = f"{live_server.url}/admin/factbase/country/{tuvalu.pk}/change/"
    delete_url = f"{live_server.url}/admin/factbase/country/{tuvalu.pk}/delete/"

    page = new_page()
    log_in(page, live_server, curator.username)
    page.goto(change_url)
    expect(page.locator("#content h2, #content-main").first).to_contain_text("Tuvalu")
    expect(page.locator("a.deletelink")).to_have_count(0)
    expect(page.locator("input[name=iso_alpha2]")).to_have_count(0)  # shown, not editable
    expect(page.locator(".field-iso_alpha2 .readonly")).to_have_text("TV")
    expect(page.locator("#aliases-group")).to_be_visible()  # aliases are curation
    screenshot(page, "country-as-curator")

    response = page.goto(delete_url)
    assert response.status == 403
    page.goto(f"{live_server.url}/admin/factbase/country/")
    expect(page.locator("select[name=action] option[value=delete_selected]")).to_have_count(0)
    assert Country.objects.filter(pk=tuvalu.pk).exists()

    staff = new_page()
    log_in(staff, live_server, administrator.username)
    staff.goto(change_url)
    expect(staff.locator("a.deletelink")).to_have_count(1)
    expect(staff.locator("input[name=iso_alpha2]")).to_have_value("TV")
