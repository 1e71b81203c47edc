"""The write-side limits of the data model (factbase/limits.py) through the API: a write that
would take an object beyond a limit is a 400 on the field it sent, naming the object, the
limit and its setting, and nothing is stored. The limits are set to 2 here (the write
serializers only bound a list at 1,000 items, a shape check); identifiers and roles have no
API write."""

import pytest

from factbase.models import Claim
from factbase.services.suggestions import document_suggestions
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    PersonFactory,
    PredicateFactory,
    SourceSpanFactory,
)
from tests.limits_world import FACTS, TEXT, small_limits  # noqa: F401 - small_limits applies to every test here

pytestmark = pytest.mark.django_db


def refusal(response, field: str, setting: str) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field], body
    message = " ".join(body[field])
    assert setting in message and "at most 2" in message, message
    return message


def test_aliases_beyond_the_limit_are_400_and_the_old_ones_stay(curator_client):
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=person, name="Lavrov")
    response = curator_client.patch(
        f"/api/v1/people/{person.pk}/", {"aliases": ["S. Lavrov", "Sergey Lavrov", "Lavrov S."]}, format="json"
    )
    assert "Sergei Lavrov" in refusal(response, "aliases", "FACTBASE_MAX_ALIASES_PER_ENTITY")
    assert list(person.aliases.values_list("name", flat=True)) == ["Lavrov"]


def test_aliases_at_the_limit_are_taken(curator_client):
    person = PersonFactory()
    response = curator_client.patch(f"/api/v1/people/{person.pk}/", {"aliases": ["A", "B"]}, format="json")
    assert response.status_code == 200 and person.aliases.count() == 2


def test_participants_beyond_the_limit_are_400_and_the_old_ones_stay(curator_client):
    event = EventFactory(name="ASEAN summit")
    kept = EventParticipantFactory(event=event)
    participants = [{"entity": person.pk} for person in PersonFactory.create_batch(3)]
    response = curator_client.patch(f"/api/v1/events/{event.pk}/", {"participants": participants}, format="json")
    assert "ASEAN summit" in refusal(response, "participants", "FACTBASE_MAX_PARTICIPANTS_PER_EVENT")
    assert list(event.participants.values_list("pk", flat=True)) == [kept.pk]


@pytest.fixture
def claim_body():
    document = DocumentFactory(title="Lavrov's tour", text=TEXT)
    PredicateFactory(slug="visited")
    fields = {"subject": PersonFactory().pk, "predicate": "visited", "object": CountryFactory().pk}
    return document, lambda *facts: {**fields, "spans": [{"document": document.pk, "exact": f} for f in facts]}


def test_a_span_on_a_full_document_is_400_and_no_claim_is_stored(curator_client, claim_body):
    document, body = claim_body
    for fact in FACTS[:2]:
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=fact)
    claims = Claim.objects.count()
    response = curator_client.post("/api/v1/claims/", body(FACTS[2]), format="json")
    assert "Lavrov's tour" in refusal(response, "spans", "FACTBASE_MAX_SPANS_PER_DOCUMENT")
    assert Claim.objects.count() == claims


def test_spans_beyond_a_claim_limit_are_400_on_create_and_on_update(curator_client, claim_body):
    document, body = claim_body
    response = curator_client.post("/api/v1/claims/", body(*FACTS[:3]), format="json")
    refusal(response, "spans", "FACTBASE_MAX_SPANS_PER_CLAIM")
    assert Claim.objects.count() == 0
    created = curator_client.post("/api/v1/claims/", body(*FACTS[:2]), format="json")
    assert created.status_code == 201
    claim = created.json()["id"]
    response = curator_client.patch(f"/api/v1/claims/{claim}/", {"spans": body(*FACTS[1:4])["spans"]}, format="json")
    refusal(response, "spans", "FACTBASE_MAX_SPANS_PER_CLAIM")
    assert sorted(Claim.objects.get(pk=claim).spans.values_list("exact", flat=True)) == sorted(FACTS[:2])


def test_suggestions_accepted_beyond_the_mention_limit_are_400_and_none_is_stored(curator_client):
    document = DocumentFactory(title="Lavrov's tour", text=TEXT)
    lavrov = PersonFactory(name="Lavrov")
    MentionFactory(document=document, entity=lavrov, quote="Lavrov flew")
    keys = [item.key for item in document_suggestions(document=document)]
    assert len(keys) == 3
    response = curator_client.post(
        f"/api/v1/documents/{document.pk}/suggestions/accept/", {"keys": keys}, format="json"
    )
    assert "Lavrov's tour" in refusal(response, "document", "FACTBASE_MAX_MENTIONS_PER_DOCUMENT")
    assert document.mentions.count() == 1
