"""No lost updates through the API: details carry an ETag; a write with a stale If-Match is
refused with 412 and changes nothing; without If-Match writes work as before."""

import pytest

from factbase.models import Claim, Person
from factbase.services.entities import alias_add
from tests.factories import ClaimFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

STALE = (
    "This resource changed since you read it: If-Match does not match its current ETag. "
    "Read it again, re-apply your change, and send the new ETag."
)


def url(person):
    return f"/api/v1/people/{person.pk}/"


def test_detail_carries_a_stable_etag(api_client):
    person = PersonFactory()
    first, second = api_client.get(url(person)), api_client.get(url(person))
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith('"') and len(first["ETag"]) == 42


def test_etag_changes_when_anything_shown_changes(api_client):
    person = PersonFactory()
    before = api_client.get(url(person))["ETag"]
    alias_add(entity=person, name="S. V. Lavrov")  # a related row, not the person's own
    assert api_client.get(url(person))["ETag"] != before


def test_write_with_stale_if_match_is_refused_and_changes_nothing(curator_client):
    person = PersonFactory(description="as read")
    stale = curator_client.get(url(person))["ETag"]
    assert curator_client.patch(url(person), {"description": "someone else's edit"}).status_code == 200
    current = curator_client.get(url(person))["ETag"]

    response = curator_client.patch(url(person), {"description": "my edit"}, HTTP_IF_MATCH=stale)

    assert (response.status_code, response.json()) == (412, {"detail": STALE})
    assert response["ETag"] == current
    assert Person.objects.get(pk=person.pk).description == "someone else's edit"


def test_write_with_current_if_match_succeeds_and_returns_the_new_etag(curator_client):
    person = PersonFactory(description="as read")
    etag = curator_client.get(url(person))["ETag"]
    response = curator_client.patch(url(person), {"description": "my edit"}, HTTP_IF_MATCH=etag)
    assert (response.status_code, response.json()["description"]) == (200, "my edit")
    assert response["ETag"] != etag
    assert response["ETag"] == curator_client.get(url(person))["ETag"]


def test_write_without_if_match_still_works(curator_client):
    person = PersonFactory(description="as read")
    response = curator_client.patch(url(person), {"description": "blind edit"})
    assert (response.status_code, Person.objects.get(pk=person.pk).description) == (200, "blind edit")


def test_if_match_star_and_weak_tags_match_the_current_version(curator_client):
    person = PersonFactory()
    etag = curator_client.get(url(person))["ETag"]
    assert curator_client.patch(url(person), {"description": "a"}, HTTP_IF_MATCH="*").status_code == 200
    etag = curator_client.get(url(person))["ETag"]
    assert curator_client.patch(url(person), {"description": "b"}, HTTP_IF_MATCH=f"W/{etag}").status_code == 200


def test_delete_with_stale_if_match_is_refused(curator_client):
    person = PersonFactory()
    stale = curator_client.get(url(person))["ETag"]
    curator_client.patch(url(person), {"description": "changed"})
    assert curator_client.delete(url(person), HTTP_IF_MATCH=stale).status_code == 412
    assert Person.objects.filter(pk=person.pk).exists()


def test_publish_with_stale_if_match_is_refused(reviewer_client):
    claim = ClaimFactory(notes="first")
    SourceSpanFactory(claim=claim)
    claim_url = f"/api/v1/claims/{claim.pk}/"
    stale = reviewer_client.get(claim_url)["ETag"]
    Claim.objects.filter(pk=claim.pk).update(notes="changed by someone else")
    response = reviewer_client.post(f"{claim_url}publish/", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_get_with_current_if_none_match_is_304(api_client):
    person = PersonFactory()
    etag = api_client.get(url(person))["ETag"]
    response = api_client.get(url(person), HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)
