"""What factbase/permissions.py says, in plain cases (the matrix in tests/test_permission_matrix.py
checks that the admin and the API do what it says; these check that it says the right thing),
and the country screen as a curator meets it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from factbase.enums import IdentifierScheme
from factbase.models import Alias, Country, Entity, Identifier
from factbase.permissions import allows, refusal
from tests.factbase.admin.helpers import form_data
from tests.factories import ClaimFactory, CountryFactory, IdentifierFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(curator, reviewer, administrator):
    return {"curator": curator, "reviewer": reviewer, "administrator": administrator}


def test_reference_data_changes_by_staff_administrators_only(users):
    country = CountryFactory(name="Tuvalu")
    for role in ("curator", "reviewer"):
        for action in ("add", "change", "delete", "merge"):
            assert not allows(users[role], action, country), (role, action)
        assert not allows(users[role], "change", "factbase.predicate")
        assert allows(users[role], "add", Alias(entity=country)), role  # an alias is curation
    for action in ("add", "change", "delete", "merge"):
        assert allows(users["administrator"], action, country)
    assert allows(AnonymousUser(), "view", country)
    assert not allows(AnonymousUser(), "change", country)


def test_a_countrys_identifiers_are_its_reference_record(users):
    country, person = CountryFactory(name="Tuvalu"), PersonFactory()
    iso = IdentifierFactory(entity=country, scheme=IdentifierScheme.ISO3166_NUMERIC, value="798")
    wikidata = IdentifierFactory(entity=person, scheme=IdentifierScheme.WIKIDATA, value="Q80510")
    for role in ("curator", "reviewer"):
        assert allows(users[role], "view", iso)
        assert not allows(users[role], "change", iso) and not allows(users[role], "delete", iso)
        assert not allows(users[role], "add", Identifier(entity=country))
        assert allows(users[role], "change", wikidata)
    assert allows(users["administrator"], "delete", iso)
    assert refusal("delete", iso) == "Only staff administrators may change countries."


def test_a_row_of_the_all_kinds_list_takes_its_kinds_rules(users):
    country = Entity.objects.get(pk=CountryFactory().pk)
    person = Entity.objects.get(pk=PersonFactory().pk)
    assert not allows(users["curator"], "delete", country)
    assert allows(users["curator"], "delete", person)
    assert not allows(users["curator"], "merge", person)
    assert allows(users["reviewer"], "merge", person)
    assert not allows(users["reviewer"], "merge", country)
    assert not allows(users["administrator"], "add", "factbase.entity")  # added by kind


def test_workflow_rights(users):
    assert not allows(AnonymousUser(), "view_unpublished", "factbase.claim")
    assert allows(users["curator"], "submit", "factbase.claim")
    assert not allows(users["curator"], "publish", "factbase.claim")
    assert allows(users["reviewer"], "publish", "factbase.claim")
    assert allows(users["curator"], "suggest", "factbase.mention")
    assert not allows(AnonymousUser(), "revise", "factbase.document")
    assert refusal("publish", "factbase.claim") == "Only reviewers may publish or reject claims."


def test_a_logged_in_user_without_a_group_is_a_reader():
    reader = UserFactory(username="reader-9")
    assert allows(reader, "view", "factbase.claim")
    assert not allows(reader, "view", "factbase.claim", public=False)  # not in the admin
    assert not allows(reader, "add", "factbase.claim")


def test_an_undeclared_action_is_an_error_not_a_refusal(users):
    with pytest.raises(ImproperlyConfigured, match="declares no rule for 'launch' on factbase.claim"):
        allows(users["curator"], "launch", "factbase.claim")


# ---------------------------------------------------------------- the country screen


@pytest.fixture
def curator_admin(curator):
    client = Client()
    client.force_login(curator)
    return client


def test_a_curator_adds_an_alias_to_a_country_but_cannot_change_its_iso_codes(curator_admin):
    country = CountryFactory(name="Tuvalu", iso_alpha2="TV", iso_alpha3="TUV")
    url = reverse("admin:factbase_country_change", args=[country.pk])

    page = curator_admin.get(url)
    assert {"iso_alpha2", "iso_alpha3", "name"} <= set(page.context["adminform"].readonly_fields)
    assert "iso_alpha2" not in page.context["adminform"].form.fields
    assert page.context["has_delete_permission"] is False
    data = {
        **form_data(page),
        "iso_alpha2": "XX",
        "name": "Renamed",
        "aliases-TOTAL_FORMS": "1",
        "aliases-0-name": "Ellice Islands",
        "aliases-0-language": "en",
        "aliases-0-kind": "historical",
    }
    response = curator_admin.post(url, data)

    assert response.status_code == 302
    country.refresh_from_db()
    assert (country.name, country.iso_alpha2, country.iso_alpha3) == ("Tuvalu", "TV", "TUV")
    assert list(country.aliases.values_list("name", flat=True)) == ["Ellice Islands"]


def test_a_curator_cannot_delete_a_country_even_one_nothing_cites(curator_admin):
    country = CountryFactory(name="Tuvalu")
    url = reverse("admin:factbase_country_delete", args=[country.pk])

    assert curator_admin.get(url).status_code == 403
    assert curator_admin.post(url, {"post": "yes"}).status_code == 403
    entity_url = reverse("admin:factbase_entity_delete", args=[country.pk])
    assert curator_admin.post(entity_url, {"post": "yes"}).status_code == 403
    response = curator_admin.post(
        reverse("admin:factbase_entity_changelist"),
        {"action": "delete_selected", "_selected_action": [country.pk], "post": "yes"},
    )
    assert response.status_code == 403  # Django's delete_selected: the country's own screen says no
    assert Country.objects.filter(pk=country.pk).exists()


def test_a_curator_cannot_put_an_identifier_on_a_country(curator_admin):
    country = CountryFactory(name="Tuvalu")
    person = PersonFactory()
    identifier = IdentifierFactory(entity=person, scheme=IdentifierScheme.OTHER, value="registry-42")
    url = reverse("admin:factbase_identifier_change", args=[identifier.pk])

    response = curator_admin.post(url, {**form_data(curator_admin.get(url)), "entity": country.pk})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Only staff administrators may change countries."]
    identifier.refresh_from_db()
    assert identifier.entity_id == person.pk
    add = curator_admin.post(
        reverse("admin:factbase_identifier_add"),
        {"entity": country.pk, "scheme": IdentifierScheme.ISO3166_NUMERIC, "value": "798"},
    )
    assert add.status_code == 200
    assert not Identifier.objects.filter(value="798").exists()


def test_the_api_stays_read_only_for_countries_and_predicates(curator_client, reviewer_client):
    country = CountryFactory(name="Tuvalu")
    ClaimFactory()  # a predicate exists
    for client in (curator_client, reviewer_client):
        assert client.delete(f"/api/v1/countries/{country.pk}/").status_code == 405
        assert client.patch(f"/api/v1/countries/{country.pk}/", {"iso": "XX"}, format="json").status_code == 405
        assert client.post("/api/v1/predicates/", {"slug": "x"}, format="json").status_code == 405


def test_a_curator_reads_a_countrys_past_versions_but_does_not_revert_them(curator_admin):
    country = CountryFactory(name="Tuvalu", slug="tuvalu")
    version = country.history.latest("history_id").history_id
    url = reverse("admin:factbase_country_simple_history", args=[country.pk, version])

    page = curator_admin.get(url)

    assert page.status_code == 200
    assert "iso_alpha2" not in page.context["adminform"].form.fields
    assert curator_admin.post(url, {"name": "Reverted"}).status_code == 403
    country.refresh_from_db()
    assert country.name == "Tuvalu"
