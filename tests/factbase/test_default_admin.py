"""Every kind of record can be created through the admin's forms: curated records by a
curator, reference data (countries, predicates) by a staff administrator only."""

import pytest
from django.urls import reverse

from factbase.models import Claim, Country, Document, Event, Organisation, Person, Predicate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_curator(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def admin_client_administrator(client, administrator):
    client.force_login(administrator)
    return client


REFERENCE = (Country, Predicate)


def inline_management_data(client, url):
    """What a browser posts for the add form's inlines (aliases, roles…) left empty."""
    response = client.get(url)
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Country, {"name": "Laos", "slug": "laos", "iso_alpha2": "LA", "iso_alpha3": "LAO"}),
        (Person, {"name": "Sergei Lavrov", "slug": "sergei-lavrov"}),
        (Organisation, {"name": "ASEAN", "slug": "asean", "org_type": "intergovernmental_body"}),
        (
            Event,
            {
                "name": "Lavrov visit",
                "slug": "lavrov-visit",
                "event_type": "official_visit",
                "status": "occurred",
                "date_lower": "2021-07-06",
                "date_upper": "2021-07-08",
                "date_precision": "day",
            },
        ),
        (
            Predicate,
            {"slug": "visited", "label": "visited", "subject_kinds": ["person"], "object_kinds": ["country"]},
        ),
        (Document, {"title": "Article", "text": "Some text.", "language": "en"}),
    ],
)
def test_records_are_created_in_admin(request, model, data):
    client = request.getfixturevalue("admin_client_administrator" if model in REFERENCE else "admin_client_curator")
    url = reverse(f"admin:factbase_{model._meta.model_name}_add")
    response = client.post(url, {**inline_management_data(client, url), **data})
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    assert model.objects.count() == 1


@pytest.mark.parametrize("model", REFERENCE)
def test_curators_do_not_add_reference_data(admin_client_curator, model):
    url = reverse(f"admin:factbase_{model._meta.model_name}_add")
    assert admin_client_curator.get(url).status_code == 403
    assert admin_client_curator.post(url, {"name": "Laos", "slug": "laos", "label": "visited"}).status_code == 403
    assert model.objects.count() == 0


def test_admin_refuses_reversed_event_dates(admin_client_curator):
    url = reverse("admin:factbase_event_add")
    response = admin_client_curator.post(
        url,
        {
            "name": "E",
            "slug": "e",
            "event_type": "meeting",
            "status": "occurred",
            "date_lower": "2021-07-08",
            "date_upper": "2021-07-06",
            "date_precision": "day",
        },
    )
    assert response.status_code == 200
    assert "upper bound" in str(response.context["adminform"].errors)
    assert Event.objects.count() == 0


def test_admin_claim_form_checks_predicate_kinds(admin_client_curator):
    country = Country.objects.create(name="Laos", slug="laos")
    predicate = Predicate.objects.create(
        slug="visited", label="visited", subject_kinds=["person"], object_kinds=["country"]
    )
    response = admin_client_curator.post(
        reverse("admin:factbase_claim_add"),
        {
            "subject": country.pk,
            "predicate": predicate.pk,
            "attribution": "states",
            "modality": "asserted",
            "polarity": "affirmed",
            "status": "draft",
            "confidence": "medium",
        },
    )
    assert response.status_code == 200
    assert "takes a subject of kind person" in str(response.context["adminform"].errors)
    assert Claim.objects.count() == 0
