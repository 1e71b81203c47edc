"""Deleting anything a client may have stored the id of is never a silent success: every
API route that offers DELETE either refuses (409, saying what still refers to the record, or
why it is kept) or deletes and leaves a deletion record in the model's history, with who
and when, for the change feed to tell clients. The routes are walked from the URLconf: a
new route with DELETE is covered without anyone adding it here."""

import pytest

from api.routes import get_endpoints
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# resource -> (a record nothing cites, a record that is kept: cited, or published)
RECORDS = {
    "people": (lambda: PersonFactory(), lambda: ClaimFactory().subject),
    "organisations": (
        lambda: OrganisationFactory(),
        lambda: ClaimFactory(attributed_to=OrganisationFactory()).attributed_to,
    ),
    "events": (lambda: EventFactory(), lambda: ClaimFactory(event=EventFactory()).event),
    "documents": (lambda: DocumentFactory(), lambda: ClaimFactory().spans.get().document),
    "claims": (lambda: ClaimFactory(), lambda: ClaimFactory(published=True)),
}
DELETE_ROUTES = sorted(endpoint.template for endpoint in get_endpoints() if "delete" in endpoint.methods)


def resource(template: str) -> str:
    return template.removeprefix("/api/v1/").split("/")[0]


def test_every_route_that_deletes_is_covered():
    assert {resource(template) for template in DELETE_ROUTES} == set(RECORDS)


@pytest.mark.parametrize("template", DELETE_ROUTES)
def test_a_deletion_is_recorded_with_who_and_when(curator_client, curator, template):
    uncited, _ = RECORDS[resource(template)]
    record = uncited()

    response = curator_client.delete(template.format(pk=record.pk))

    assert response.status_code == 204
    assert not type(record).objects.filter(pk=record.pk).exists()
    deletion = type(record).history.filter(id=record.pk).latest("history_id")
    assert (deletion.history_type, deletion.history_user) == ("-", curator)


@pytest.mark.parametrize("template", DELETE_ROUTES)
def test_a_record_that_is_kept_is_a_409_saying_why(curator_client, template):
    _, kept = RECORDS[resource(template)]
    record = kept()

    response = curator_client.delete(template.format(pk=record.pk))

    assert response.status_code == 409
    detail = response.json()["detail"] if "detail" in response.json() else str(response.json())
    assert "refer to it" in detail or "reject it instead" in detail
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_country_deleted_by_a_staff_administrator_is_recorded(client, administrator):
    country = CountryFactory(name="Tuvalu")
    client.force_login(administrator)

    response = client.post(f"/admin/factbase/country/{country.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    deletion = type(country).history.filter(id=country.pk).latest("history_id")
    assert (deletion.history_type, deletion.history_user) == ("-", administrator)
