"""Every list and detail endpoint costs a constant number of queries, whatever the number
of rows and of their related records (pretalx's rule: a literal number, 1 and 3 rows)."""

import datetime as dt

import pytest
from django.db import connection

from factbase.models import Claim
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
    # page ids, rows (+ nationality/country/parent/publisher JOINs), then one query per related
    # list; a first page holding every row needs no COUNT (api/pagination.py; see
    # test_list_counts_*). The entity lists and claims read their page's rows by id
    # (api/projections/); documents and predicates read the page's rows directly.
    "countries": (make_country, 3, 3),  # list: page ids, rows, aliases; detail: rows, aliases, identifiers
    "people": (make_person, 4, 4),  # + roles (with their organisation)
    "organisations": (make_organisation, 3, 3),
    "events": (make_event, 4, 4),  # + participants (with their entity)
    "claims": (make_claim, 3, 2),  # page ids, rows with every reference JOINed, spans (api/projections/claims.py)
    "documents": (make_document, 1, 3),  # list without text; detail: + spans, mentions
    "entities": (make_entity, 3, 3),
    "predicates": (make_predicate, 1, 1),
}

# Details answered by a compiled projection.
DETAIL_IN_ONE_STATEMENT = {"countries", "people", "organisations", "events", "entities"}


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
    if connection.vendor == "postgresql" and resource in DETAIL_IN_ONE_STATEMENT:
        queries = 1  # the row and its lists in one statement (api/projections/compiler.py, `one`)
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
    with django_assert_num_queries(3):  # page ids, rows, spans
        response = api_client.get("/api/v1/claims/", {"subject": subject.pk, "predicate": "visited"})
    assert [row["id"] for row in response.json()["results"]] == [claims[0].pk]


@pytest.mark.parametrize("role", ["subject", "entity"])
@pytest.mark.parametrize("rows", [1, 3])
def test_an_entitys_dated_claims_cost_the_same_whatever_rows(api_client, django_assert_num_queries, db, role, rows):
    # The range asked of the role's date index (claim_dates.filter_overlapping_in_roles) is
    # part of the page's ids statement: no query of its own.
    claims = [make_claim(i) for i in range(rows)]
    subject = claims[0].subject
    day = dt.date(2021, 6, 1)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
        subject=subject, date_lower=day, date_upper=day, date_precision="day"
    )
    query = {role: subject.pk, "date_from": "2021", "date_to": "2021"}
    api_client.get("/api/v1/claims/", query)  # once a process: whether SQLite has the R*Tree
    with django_assert_num_queries(3):  # page ids with the count, rows, spans
        response = api_client.get("/api/v1/claims/", query)
    assert [row["id"] for row in response.json()["results"]] == [c.pk for c in claims]


@pytest.mark.parametrize("rows", [3, 5])
def test_list_counts_when_rows_fill_more_than_a_page(api_client, django_assert_num_queries, db, rows):
    for i in range(rows):
        make_claim(i)
    # SQLite: page ids with the capped count (one statement), rows, spans; PostgreSQL counts
    # on its own (api.pagination._PageNumbers._page_of_ids says why).
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):
        response = api_client.get("/api/v1/claims/", {"page_size": 2})
    body = response.json()
    assert (body["count"], len(body["results"])) == (rows, 2)
    assert body["next"].endswith("page=2&page_size=2")


def test_list_count_and_next_on_every_page_around_the_cap(api_client, db, monkeypatch):
    """count is exact up to COUNT_CAP and null beyond, next says whether more rows follow, on
    pages before, across and after the cap (where the ids statement changes shape)."""
    monkeypatch.setattr("api.pagination.COUNT_CAP", 4)
    claims = [make_claim(i) for i in range(7)]
    for total in (7, 5, 4, 3):  # the newest claims deleted between rounds
        for claim in claims[total:]:
            if claim.pk is not None:
                claim.delete()
        ids = sorted(claim.pk for claim in claims[:total])
        for size in (1, 2, 3):
            pages = -(-total // size)
            for page in range(1, pages + 1):
                body = api_client.get("/api/v1/claims/", {"page_size": size, "page": page}).json()
                assert [row["id"] for row in body["results"]] == ids[(page - 1) * size : page * size]
                assert body["count"] == (total if total <= 4 else None), (total, size, page)
                assert (body["next"] is not None) == (page < pages), (total, size, page)
            assert api_client.get("/api/v1/claims/", {"page_size": size, "page": pages + 1}).status_code == 404


def test_list_count_is_null_beyond_the_cap(api_client, db, monkeypatch):
    monkeypatch.setattr("api.pagination.COUNT_CAP", 3)
    for i in range(4):
        make_claim(i)
    first = api_client.get("/api/v1/claims/", {"page_size": 2}).json()
    last = api_client.get("/api/v1/claims/", {"page_size": 2, "page": 2}).json()
    assert (first["count"], first["next"] is not None) == (None, True)
    assert (last["count"], last["next"], len(last["results"])) == (None, None, 2)
    assert api_client.get("/api/v1/claims/", {"page_size": 2, "page": 3}).status_code == 404
