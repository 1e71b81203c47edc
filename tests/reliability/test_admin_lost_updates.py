"""No lost updates in the admin: saving a change form over an edit someone else made after
the form was opened is refused, says so, and keeps the other edit."""

import pytest
from django.test import Client
from django.urls import reverse

from factbase.models import Claim, Person
from factbase.services.claims import claim_publish
from tests.factbase.admin.helpers import form_data
from tests.factories import ClaimFactory, PersonFactory, SourceSpanFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Someone else changed this"


def logged_in(username, group):
    client = Client()
    client.force_login(UserFactory(username=username, is_staff=True, groups=[group]))
    return client


@pytest.fixture
def alice():
    return logged_in("alice", "curators")


@pytest.fixture
def bob():
    return logged_in("bob", "curators")


def change_url(obj):
    return reverse(f"admin:factbase_{obj._meta.model_name}_change", args=[obj.pk])


def test_admin_save_over_an_edit_made_after_opening_is_refused(alice, bob):
    person = PersonFactory(name="Sergei Lavrov")
    alice_form = form_data(alice.get(change_url(person)))
    bob_form = form_data(bob.get(change_url(person)))
    assert bob.post(change_url(person), {**bob_form, "description": "Foreign Minister of Russia"}).status_code == 302

    response = alice.post(change_url(person), {**alice_form, "name": "S. Lavrov"})

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert "last change by bob" in response.content.decode()
    person.refresh_from_db()
    assert (person.name, person.description) == ("Sergei Lavrov", "Foreign Minister of Russia")


def test_admin_save_after_reopening_succeeds(alice, bob):
    person = PersonFactory(name="Sergei Lavrov")
    stale = form_data(alice.get(change_url(person)))
    Person.objects.filter(pk=person.pk).update(description="changed elsewhere")
    assert REFUSAL in alice.post(change_url(person), {**stale, "name": "S. Lavrov"}).content.decode()

    fresh = form_data(alice.get(change_url(person)))
    assert alice.post(change_url(person), {**fresh, "name": "S. Lavrov"}).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.description) == ("S. Lavrov", "changed elsewhere")


def test_admin_save_without_intervening_edit_succeeds(alice):
    person = PersonFactory(name="Sergei Lavrov")
    form = form_data(alice.get(change_url(person)))
    assert form["fb_version"]
    assert alice.post(change_url(person), {**form, "name": "Sergey Lavrov"}).status_code == 302
    person.refresh_from_db()
    assert person.name == "Sergey Lavrov"


def test_admin_claim_save_over_a_publish_is_refused(reviewer):
    carol = logged_in("carol", "reviewers")
    claim = ClaimFactory(notes="first reading")
    SourceSpanFactory(claim=claim)
    form = form_data(carol.get(change_url(claim)))
    claim_publish(claim=Claim.objects.get(pk=claim.pk), by=reviewer)
    response = carol.post(change_url(claim), {**form, "notes": "my rewrite"})
    assert REFUSAL in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.notes) == ("published", "first reading")


def test_admin_curator_save_over_a_publish_is_forbidden(alice, reviewer):
    claim = ClaimFactory(notes="first reading")
    SourceSpanFactory(claim=claim)
    form = form_data(alice.get(change_url(claim)))
    claim_publish(claim=Claim.objects.get(pk=claim.pk), by=reviewer)
    response = alice.post(change_url(claim), {**form, "notes": "my rewrite"})
    assert response.status_code == 403  # a published claim changes only under review
    claim.refresh_from_db()
    assert (claim.status, claim.notes) == ("published", "first reading")


def test_admin_add_form_has_no_version_field(alice):
    response = alice.get(reverse("admin:factbase_person_add"))
    assert "fb_version" not in response.context["adminform"].form.fields
