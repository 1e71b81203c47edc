"""Every list and detail endpoint costs a constant number of queries, whatever the number
of rows and of their related records (pretalx's rule: a literal number, 1 and 3 rows)."""

import pytest

from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.factories.entities import IdentifierFactory


def make_country(i):
    country = CountryFactory()
    AliasFactory(entity=country, name=f"Old name {i}")
    IdentifierFactory(entity=country)
    return country


def make_person(i):
    person = PersonFactory(nationality=CountryFactory())
    AliasFactory(entity=person, name=f"Alias {i}")
    RoleFactory(person=person)
    RoleFactory(person=person, organisation=None)
    IdentifierFactory(entity=person)
    return person


def make_organisation(i):
    organisation = OrganisationFactory(country=CountryFactory(), parent=OrganisationFactory())
    AliasFactory(entity=organisation, name=f"Acronym {i}")
    IdentifierFactory(entity=organisation)
    return organisation


def make_event(i):
    event = EventFactory(location_country=CountryFactory(), parent=EventFactory())
    EventParticipantFactory(event=event)
    EventParticipantFactory(event=event, role="host")
    AliasFactory(entity=event, name=f"Visit {i}")
    IdentifierFactory(entity=event)
    return event


def make_claim(i):
    claim = ClaimFactory(published=True, event=EventFactory(), attributed_to=PersonFactory())
    SourceSpanFactory(claim=claim, document=claim.spans.get().document, quote="Laos")
    return claim


def make_document(i):
    document = DocumentFactory(publisher=OrganisationFactory())
    SourceSpanFactory(claim=ClaimFactory(published=True, spans=[]), document=document)
    MentionFactory(document=document)
    return document


def make_entity(i):
    return make_person(i) if i % 2 else make_country(i)


def make_predicate(i):
    return PredicateFactory(slug=f"predicate-{i}", label=f"predicate {i}")


# resource: (row builder, queries for a list page, queries for a detail page)
ENDPOINTS = {
    # count, rows (+ nationality/country/parent/publisher JOINs), then one prefetch per related list
    "countries": (make_country, 3, 3),  # list: count, rows, aliases; detail: + identifiers, no count
    "people": (make_person, 4, 4),  # + roles (with their organisation)
    "organisations": (make_organisation, 3, 3),
    "events": (make_event, 4, 4),  # + participants (with their entity)
    "claims": (make_claim, 4, 2),  # count, page ids, rows with every reference JOINed, spans (api/serializers/rows.py)
    "documents": (make_document, 2, 3),  # list without text; detail: + spans, mentions
    "entities": (make_entity, 3, 3),
    "predicates": (make_predicate, 2, 1),
}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_list_queries_constant_whatever_rows(api_client, django_assert_num_queries, db, resource, rows):
    make, queries, _ = ENDPOINTS[resource]
    for i in range(rows):
        make(i)
    with django_assert_num_queries(queries):
        response = api_client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert response.json()["count"] >= rows


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("resource", ENDPOINTS)
def test_detail_queries_constant_whatever_rows(api_client, django_assert_num_queries, db, resource, rows):
    make, _, queries = ENDPOINTS[resource]
    made = [make(i) for i in range(rows)]
    key = made[-1].slug if resource == "predicates" else made[-1].pk
    with django_assert_num_queries(queries):
        response = api_client.get(f"/api/v1/{resource}/{key}/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_claims_cursor_page_queries_constant_without_count(api_client, django_assert_num_queries, db, rows):
    for i in range(rows):
        make_claim(i)
    with django_assert_num_queries(3):  # page ids, rows, spans: no COUNT(*)
        response = api_client.get("/api/v1/claims/", {"cursor": ""})
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_claims_filtered_page_adds_no_reference_check(api_client, django_assert_num_queries, db, rows):
    """A non-empty filtered page proves its ids exist: no query to check them."""
    claims = [make_claim(i) for i in range(rows)]
    subject = claims[0].subject
    with django_assert_num_queries(4):  # count, page ids, rows, spans
        response = api_client.get("/api/v1/claims/", {"subject": subject.pk, "predicate": "visited"})
    assert [row["id"] for row in response.json()["results"]] == [claims[0].pk]
