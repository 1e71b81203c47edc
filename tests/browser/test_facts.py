"""The facts and contradictions screens in a real browser (headless Chromium): a curator
joins two facts and splits a claim out of one; a reviewer ranks a fact and resolves a
contradiction with a note after reading both sides' evidence; a curator can do neither.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from factbase.models import Claim, Contradiction, Fact
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.documents import document_create
from tests.browser.helpers import log_in
from tests.factories import CountryFactory, PersonFactory, PredicateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT = "Sergei Lavrov arrived in Vientiane on July 8 for talks with the Lao leadership."
DENIAL = "The ministry said that Sergei Lavrov did not travel to Laos this summer."
EDITIONS = itertools.count(1)  # each document a text of its own (documents are unique by hash)


def claim(subject, obj, quote: str, *, by=None, **fields) -> Claim:
    """A claim quoting `quote` from a document of its own, published by `by` when given."""
    edition = next(EDITIONS)
    document = document_create(
        title=f"{quote[:40]} ({edition})",
        text=f"{quote}\n\nEdition {edition}.\n",
        published=PartialDate.parse("2021-08"),
    )
    made = claim_create(
        subject=subject,
        predicate=PredicateFactory(),
        object=obj,
        date=PartialDate.parse("2021-07"),
        spans=[{"document": document, "exact": quote}],
        **fields,
    )
    return claim_publish(claim=made, by=by) if by is not None else made


def act(page, live_server, changelist: str, ids, action: str) -> None:
    """Tick the rows of `ids` in a changelist and run `action` on them."""
    page.goto(f"{live_server.url}{reverse(changelist)}")
    for pk in ids:
        page.check(f"input.action-select[value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_curator_joins_two_facts_and_splits_a_claim_out(live_server, new_page, screenshot, curator):
    lavrov = PersonFactory(name="Sergei Lavrov")
    laos, lao_pdr = CountryFactory(name="Laos"), CountryFactory(name="Lao PDR")
    first = claim(lavrov, laos, VISIT)
    repeat = claim(lavrov, laos, VISIT)
    other = claim(lavrov, lao_pdr, VISIT)  # the same country, entered twice: another fact
    kept = Claim.objects.get(pk=first.pk).fact_id
    assert Claim.objects.get(pk=repeat.pk).fact_id == kept != Claim.objects.get(pk=other.pk).fact_id
    page = new_page()
    log_in(page, live_server, curator.username)

    act(page, live_server, "admin:factbase_fact_changelist", [kept, other.fact_id], "join_facts")

    expect(page.locator(".messagelist")).to_contain_text(f"Joined 1 fact(s) into fact #{kept}.")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    joined = Claim.objects.get(pk=other.pk)
    assert (joined.fact_id, joined.fact_pinned) == (kept, True)
    screenshot(page, "facts-joined")

    page.click(f"text=claims of fact #{kept}")
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    page.check(f"input.action-select[value='{repeat.pk}']")
    page.select_option("select[name=action]", "split_from_facts")
    page.click("button[name=index]")

    expect(page.locator(".messagelist")).to_contain_text("1 claim(s) split out of their facts.")
    split = Claim.objects.get(pk=repeat.pk)
    assert split.fact_id != kept and split.fact_pinned
    assert set(Claim.objects.filter(fact_id=kept).values_list("pk", flat=True)) == {first.pk, other.pk}
    page.goto(f"{live_server.url}{reverse('admin:factbase_fact_changelist')}")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


@pytest.fixture
def contradiction(reviewer):
    lavrov, laos = PersonFactory(name="Sergei Lavrov"), CountryFactory(name="Laos")
    visit = claim(lavrov, laos, VISIT, by=reviewer)
    denial = claim(lavrov, laos, DENIAL, by=reviewer, polarity="negated")
    found = Contradiction.objects.get()
    assert {found.fact_id, found.other_id} == {visit.fact_id, denial.fact_id}
    return found


def test_reviewer_ranks_a_fact_and_resolves_a_contradiction(live_server, new_page, screenshot, reviewer, contradiction):
    page = new_page()
    log_in(page, live_server, reviewer.username)

    act(page, live_server, "admin:factbase_fact_changelist", [contradiction.fact_id], "rank_preferred")

    expect(page.locator(".messagelist")).to_contain_text("1 fact(s) ranked preferred.")
    row = page.locator(
        "#result_list tbody tr", has=page.locator(f"input.action-select[value='{contradiction.fact_id}']")
    )
    expect(row.locator("td.field-rank")).to_have_text("Preferred")
    assert Fact.objects.get(pk=contradiction.fact_id).rank == "preferred"

    page.goto(f"{live_server.url}{reverse('admin:factbase_contradiction_changelist')}?resolved__exact=0")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list tbody tr th a").click()
    evidence = page.locator(".field-evidence")
    expect(evidence).to_contain_text(f"Fact #{contradiction.fact_id}")
    expect(evidence).to_contain_text(f"Fact #{contradiction.other_id}")
    expect(evidence.locator("q")).to_have_text([VISIT, DENIAL])
    screenshot(page, "contradiction-both-sides", full_page=True)

    page.fill("#id_note", "The ministry's denial is the later statement; the visit report was premature.")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    contradiction.refresh_from_db()
    assert contradiction.resolved and contradiction.resolved_by == reviewer
    assert contradiction.note == "The ministry's denial is the later statement; the visit report was premature."
    assert not Fact.objects.filter(pk__in=[contradiction.fact_id, contradiction.other_id], contradicted=True).exists()
    page.goto(f"{live_server.url}{reverse('admin:factbase_contradiction_changelist')}?resolved__exact=0")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)


def test_curator_cannot_rank_or_resolve(live_server, new_page, curator, contradiction):
    page = new_page()
    log_in(page, live_server, curator.username)
    facts = f"{live_server.url}{reverse('admin:factbase_fact_changelist')}"
    page.goto(facts)
    offered = page.locator("select[name=action] option").evaluate_all("options => options.map(o => o.value)")
    assert "join_facts" in offered
    assert not [action for action in offered if action.startswith("rank_")]

    url = f"{live_server.url}{reverse('admin:factbase_contradiction_change', args=[contradiction.pk])}"
    page.goto(url)
    expect(page.locator(".field-evidence q")).to_have_count(2)  # the evidence, to read
    expect(page.locator("#id_note")).to_have_count(0)
    expect(page.locator("input[name=_save]")).to_have_count(0)

    # What the screens do not offer is refused when sent anyway, with the curator's session.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    sent = {"csrfmiddlewaretoken": token}
    resolve = page.request.post(url, form={**sent, "note": "Resolved by a curator."}, headers={"Referer": url})
    assert resolve.status == 403
    rank = page.request.post(
        facts,
        form={**sent, "action": "rank_preferred", "_selected_action": str(contradiction.fact_id), "index": "0"},
        headers={"Referer": facts},
    )
    assert rank.ok  # the admin answers an action it does not offer with "No action selected."
    contradiction.refresh_from_db()
    assert not contradiction.resolved and contradiction.note == ""
    assert Fact.objects.get(pk=contradiction.fact_id).rank == "normal"
