"""Facets (api/facets.py): `?facets=` counts the values of a field over every row matching
the filters, up to the list's count cap, in one statement."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.models import Claim
from tests.factories import ClaimFactory, EventFactory, OrganisationFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db


def facets(response) -> dict:
    assert response.status_code == 200, response.content
    return {name: {v["value"]: v["count"] for v in values} for name, values in response.json()["facets"].items()}


@pytest.fixture
def claims():
    visited, met = (
        PredicateFactory(slug="visited", label="visited"),
        PredicateFactory(slug="met-with", label="met with"),
    )
    lavrov, ministry = PersonFactory(), OrganisationFactory()
    made = [
        ClaimFactory(subject=lavrov, predicate=visited, status="published"),
        ClaimFactory(subject=lavrov, predicate=visited, status="published", polarity="negated"),
        ClaimFactory(subject=lavrov, predicate=met, status="published", modality="planned"),
        ClaimFactory(subject=ministry, predicate=met, status="published"),
        ClaimFactory(subject=lavrov, predicate=met, status="draft"),
    ]
    return lavrov, made


def expected(rows, field) -> dict:
    return dict(Counter(field(claim) for claim in rows))


def test_claim_facets_count_every_matching_row_as_the_client_sees_them(api_client, curator_client, claims):
    lavrov, made = claims
    names = "predicate,status,subject_kind,attribution,modality,polarity"
    published = [c for c in made if c.status == "published"]

    anonymous = facets(api_client.get("/api/v1/claims/", {"facets": names, "page_size": 1}))
    curator = facets(curator_client.get("/api/v1/claims/", {"facets": names}))
    about_lavrov = facets(api_client.get("/api/v1/claims/", {"facets": "predicate", "subject": lavrov.pk}))

    assert anonymous == {
        "predicate": expected(published, lambda c: c.predicate.slug),
        "status": {"published": 4},
        "subject_kind": expected(published, lambda c: c.subject.kind),
        "attribution": expected(published, lambda c: c.attribution),
        "modality": expected(published, lambda c: c.modality),
        "polarity": expected(published, lambda c: c.polarity),
    }
    assert curator["status"] == {"published": 4, "draft": 1}
    assert about_lavrov == {"predicate": {"visited": 2, "met-with": 1}}


def test_facet_values_come_commonest_first_with_their_labels(api_client, claims):
    values = api_client.get("/api/v1/claims/", {"facets": "predicate"}).json()["facets"]["predicate"]

    polarity = api_client.get("/api/v1/claims/", {"facets": "polarity"}).json()["facets"]["polarity"]

    # Ties in the value's order.
    assert values == [
        {"value": "met-with", "label": "met with", "count": 2},
        {"value": "visited", "label": "visited", "count": 2},
    ]
    assert polarity == [
        {"value": "affirmed", "label": "Affirmed", "count": 3},
        {"value": "negated", "label": "Negated", "count": 1},
    ]


def test_a_count_beyond_the_cap_is_null(api_client, claims, monkeypatch):
    from api import facets as module

    monkeypatch.setattr(module, "COUNT_CAP", 2)

    counted = facets(api_client.get("/api/v1/claims/", {"facets": "status,polarity"}))

    assert counted == {"status": {"published": None}, "polarity": {"affirmed": None, "negated": 1}}


def test_facets_cost_one_statement_whatever_their_number(api_client, claims):
    url = "/api/v1/claims/"
    with CaptureQueriesContext(connection) as plain:
        api_client.get(url)
    with CaptureQueriesContext(connection) as faceted:
        api_client.get(url, {"facets": "predicate,status,subject_kind,attribution,modality,polarity"})

    # The predicates' ids and labels, then one statement for every count.
    assert len(faceted.captured_queries) == len(plain.captured_queries) + 2


@pytest.mark.parametrize("value", ["bogus", "status,bogus", "kind"])
def test_a_facet_the_list_does_not_offer_is_a_400_naming_those_it_does(api_client, claims, value):
    response = api_client.get("/api/v1/claims/", {"facets": value})

    assert response.status_code == 400
    assert "Facets offered: predicate, status, subject_kind, attribution, modality, polarity." in str(response.json())


def test_no_facets_asked_no_facets_given(api_client, claims):
    assert "facets" not in api_client.get("/api/v1/claims/", {"facets": " , "}).json()
    assert "facets" not in api_client.get("/api/v1/claims/").json()


def test_entity_and_event_facets(api_client, db):
    EventFactory(event_type="meeting", status="occurred")
    EventFactory(event_type="meeting", status="planned")
    EventFactory(event_type="trip", status="occurred")
    PersonFactory()

    entities = facets(api_client.get("/api/v1/entities/", {"facets": "kind"}))
    events = facets(api_client.get("/api/v1/events/", {"facets": "type,status"}))
    met = facets(api_client.get("/api/v1/events/", {"facets": "status", "type": "meeting"}))

    assert entities["kind"]["event"] == 3 and entities["kind"]["person"] >= 1
    assert events == {"type": {"meeting": 2, "trip": 1}, "status": {"occurred": 2, "planned": 1}}
    assert met == {"status": {"occurred": 1, "planned": 1}}
    assert Claim.objects.count() == 0
