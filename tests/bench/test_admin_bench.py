"""bench/admin.py's case finder against a small world holding a row of every model: every URL
pattern of the admin is measured or listed as skipped with a reason, and a new screen the
finder cannot fill stops it (so a new admin screen cannot go unmeasured)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import path, resolve

from bench import admin as admin_bench
from factbase.enums import IdentifierScheme
from factbase.models import Claim, Contradiction, Document, Fact
from factbase.services.entities import entity_merge
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    JobFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    country = CountryFactory(name="Tuvalu")
    lavrov = PersonFactory(name="Sergei Lavrov", nationality=country)
    wang = PersonFactory(name="Wang Yi", nationality=country)
    ministry = OrganisationFactory(name="Russian Foreign Ministry", country=country)
    event = EventFactory(name="Lavrov in Jakarta")
    document = DocumentFactory()
    ClaimFactory(subject=lavrov, object=country, spans__document=document)
    published = ClaimFactory(subject=wang, object=country, published=True, spans__document=document)
    SourceSpanFactory(claim=published, document=document, quote="Russian Foreign Minister")
    AliasFactory(entity=lavrov, name="S. Lavrov")
    IdentifierFactory(entity=lavrov, scheme=IdentifierScheme.WIKIDATA, value="Q80510")
    RoleFactory(person=lavrov, organisation=ministry, title="Foreign Minister")
    EventParticipantFactory(event=event, entity=lavrov)
    EventParticipantFactory(event=event, entity=country)
    MentionFactory(document=document, entity=lavrov)
    entity_merge(survivor=PersonFactory(name="Kept"), loser=PersonFactory(name="Duplicate"))  # a merge record
    fact, other = Fact.objects.create(sources=1), Fact.objects.create(sources=1)
    Claim.objects.filter(pk=published.pk).update(fact=fact)
    Contradiction.objects.create(fact=fact, other=other, kind="polarity")
    JobFactory(succeeded=True)


def test_every_admin_url_pattern_is_measured_or_skipped_with_a_reason(world):
    found = admin_bench.find_cases()
    covered = {case["pattern"] for case in found["cases"]} | {skip["pattern"] for skip in found["skipped"]}
    patterns = admin_bench.admin_patterns()
    assert len(patterns) > 100  # the walk found the registry's screens, not an empty list
    assert [key for key in patterns if key not in covered] == []
    # With a row of every model, no object screen goes unmeasured for want of data.
    assert [s for s in found["skipped"] if "no row" in s["why"]] == []
    for case in found["cases"]:
        resolve(case["path"].split("?")[0])  # every path is an admin URL
    screens = {case["screen"] for case in found["cases"]}
    for expected in (
        "factbase.document suggestions",
        "factbase.document revise",
        "factbase.claim version",
        "factbase.person merge confirmation",
        "autocomplete",
    ):
        assert expected in screens
    labels = {(case["screen"], case["label"]) for case in found["cases"]}
    assert ("factbase.claim changelist", "status__exact=<heaviest>") in labels
    assert ("factbase.claim changelist", "document=<the document with the most spans>") in labels
    assert {screen for screen, _ in labels} >= {"factbase.country change", "factbase.event change"}
    assert ("factbase.person change", "most roles") in labels
    assert ("factbase.claim change", "most spans among drafts") in labels


def test_a_new_admin_screen_stops_the_finder(world, monkeypatch):
    model_admin = admin.site._registry[Document]
    urls = model_admin.get_urls()

    def get_urls():
        return [path("<int:object_id>/new-screen/", lambda request: None, name="factbase_document_new"), *urls]

    monkeypatch.setattr(model_admin, "get_urls", get_urls)
    with pytest.raises(admin_bench.Unfilled, match="factbase_document_new"):
        admin_bench.find_cases()
