"""One representation per detail (api/views/base.py, api/conditional.py): the ETag a GET
answers is the one a write's If-Match is checked against, and the answer to the write is
what the next GET shows, for every resource a client can write."""

import pytest

from tests.factories import ClaimFactory, DocumentFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

WRITABLE = {
    "people": PersonFactory,
    "organisations": OrganisationFactory,
    "events": EventFactory,
    "claims": ClaimFactory,  # a draft: curators may change it
    "documents": DocumentFactory,
}


@pytest.mark.parametrize("resource", WRITABLE)
def test_the_etag_of_get_is_the_one_if_match_checks(curator_client, resource):
    url = f"/api/v1/{resource}/{WRITABLE[resource]().pk}/"
    read = curator_client.get(url)

    written = curator_client.patch(url, {}, format="json", HTTP_IF_MATCH=read["ETag"])

    assert written.status_code == 200, written.content  # not 412: the tags agree
    again = curator_client.get(url)  # `updated` moved: a new version, read the same way
    assert (again.json(), again["ETag"]) == (written.json(), written["ETag"])
    assert again["ETag"] != read["ETag"]


@pytest.mark.parametrize("resource", WRITABLE)
def test_an_if_match_of_another_version_is_refused(curator_client, resource):
    url = f"/api/v1/{resource}/{WRITABLE[resource]().pk}/"
    current = curator_client.get(url)["ETag"]
    response = curator_client.patch(url, {}, format="json", HTTP_IF_MATCH='"' + "0" * 40 + '"')
    assert (response.status_code, response["ETag"]) == (412, current)
