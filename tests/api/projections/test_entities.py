"""Entity lists and details from their compiled projections (api/projections/entities.py) are
exactly the list and detail serializers' output, for every kind and shape, and GET answers
with them."""

import datetime

import pytest
from django.db import connection

from api.conditional import etag_for
from api.projections import entities as p
from factbase.models import Country, Entity, Event, Organisation, Person
from tests.factories import (
    AliasFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db

DETAIL = {
    Entity: p.EntityDetailSerializer,
    Country: p.CountryDetailSerializer,
    Person: p.PersonDetailSerializer,
    Organisation: p.OrganisationDetailSerializer,
    Event: p.EventDetailSerializer,
}


LIST = {
    Entity: p.EntitySerializer,
    Country: p.CountrySerializer,
    Person: p.PersonSerializer,
    Organisation: p.OrganisationSerializer,
    Event: p.EventSerializer,
}
ROUTES = {Entity: "entities", Country: "countries", Person: "people", Organisation: "organisations", Event: "events"}


def serialized(model, pk):
    queryset = model.objects.for_api().with_identifiers()
    return DETAIL[model](queryset.get(pk=pk)).data


def serialized_list(model, ids):
    rows = {row.pk: row for row in model.objects.for_api().filter(pk__in=ids)}
    return [dict(LIST[model](rows[pk]).data) for pk in ids if pk in rows]


@pytest.fixture
def world():
    russia = CountryFactory(name="Russia", slug="russia", official_name="Russian Federation")
    soviet = CountryFactory(name="Soviet Union", slug="soviet-union", iso_alpha2="", iso_alpha3="", is_historical=True)
    ministry = OrganisationFactory(name="Ministry of Foreign Affairs", slug="mfa", country=russia)
    department = OrganisationFactory(name="Asia Department", slug="asia", parent=ministry, org_type="other")
    lavrov = PersonFactory(
        name="Sergei Lavrov", slug="lavrov", given_name="Sergei", family_name="Lavrov", nationality=russia
    )
    bare = PersonFactory(name="Streltsov", slug="streltsov", description="Professor")
    AliasFactory(entity=lavrov, name="Lavrov S. V.", language="ru")
    AliasFactory(entity=lavrov, name="Foreign Minister Lavrov")
    IdentifierFactory(entity=lavrov, scheme="other", value="B-2")
    IdentifierFactory(entity=lavrov, scheme="other", value="A-1")
    RoleFactory(
        person=lavrov,
        organisation=ministry,
        title="Foreign Minister",
        date_lower=datetime.date(2004, 3, 9),
        date_upper=datetime.date(2004, 3, 9),
        date_precision="day",
    )
    RoleFactory(person=lavrov, organisation=None, title="Diplomat", date_text="since the 1970s")
    RoleFactory(person=lavrov, organisation=department, title="Adviser")
    visit = EventFactory(name="Visit to Laos", slug="visit", location_country=russia, location_text="Vientiane")
    sub = EventFactory(
        name="Talks", slug="talks", parent=visit, date_lower=None, date_upper=None, date_precision="", status="planned"
    )
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor", note="led the delegation")
    EventParticipantFactory(event=visit, entity=ministry, role="organiser")
    return [russia, soviet, ministry, department, lavrov, bare, visit, sub]


def test_every_kind_matches_its_detail_serializer(world):
    checked = 0
    for entity in world:
        typed = type(entity)
        for model in (Entity, typed):
            assert p.DETAILS[model].one(entity.pk) == serialized(model, entity.pk), (model, entity)
            checked += 1
    assert checked == 2 * len(world)


@pytest.mark.parametrize("model", list(LIST))
def test_every_kind_matches_its_list_serializer(world, model):
    """Nested aliases, roles (with and without an organisation, dated or worded) and
    participants, references set and null: a page in the order asked for, other kinds left
    out."""
    ids = [entity.pk for entity in reversed(world)]
    expected = serialized_list(model, ids)
    assert len(expected) == sum(isinstance(entity, model) for entity in world)
    assert p.LISTS[model].many(ids) == expected


@pytest.mark.parametrize("model", list(LIST))
def test_list_pages_answer_the_serializers_output(api_client, world, model):
    for params in ({}, {"ordering": "-id", "page_size": 1}, {"ordering": "-id", "page_size": 1, "page": 2}):
        body = api_client.get(f"/api/v1/{ROUTES[model]}/", params).json()
        ids = [row["id"] for row in body["results"]]
        assert ids, params
        assert body["results"] == serialized_list(model, ids), params


def test_a_missing_or_other_kind_id_is_none(world):
    russia, lavrov = world[0], world[4]
    assert p.DETAILS[Person].one(999_999) is None
    assert p.DETAILS[Person].one(russia.pk) is None  # a country is no person
    assert p.DETAILS[Entity].one(lavrov.pk)["kind"] == "person"


def test_get_answers_from_rows_with_the_same_etag_as_the_serializer(api_client, world, django_assert_num_queries):
    lavrov = world[4]
    # Row, aliases, identifiers, roles; on PostgreSQL in one statement (compiler.py, `one`).
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        response = api_client.get(f"/api/v1/people/{lavrov.pk}/")
    assert response.status_code == 200
    assert response.json() == serialized(Person, lavrov.pk)
    assert response["ETag"] == etag_for(serialized(Person, lavrov.pk))


def test_get_of_the_wrong_kind_is_404(api_client, world):
    russia = world[0]
    response = api_client.get(f"/api/v1/people/{russia.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Person matches the given query."}
