"""Exports in published standards: W3C Web Annotations and Popolo, validated against the
shipped schemas."""

import pytest

from tests.api.helpers import body
from tests.factbase.exports.schemas import annotation_validator, errors, popolo_validator, terms_outside_context
from tests.factories import (
    ClaimFactory,
    DocumentFactory,
    MentionFactory,
    RoleFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


def test_annotations_endpoint_serves_json_ld_valid_against_schema(api_client, curator_client):
    document = DocumentFactory(text=TEXT)
    published = ClaimFactory(spans=[], published=True)
    SourceSpanFactory(claim=published, document=document, quote="visited Indonesia")
    SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="Laos")
    MentionFactory(document=document, quote="Sergei Lavrov")
    url = f"/api/v1/documents/{document.pk}/annotations/"

    anonymous = api_client.get(url)
    curated = curator_client.get(url)

    data = body(anonymous)
    assert anonymous["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert errors(annotation_validator(), data) == []
    assert terms_outside_context(data) == set()
    assert (data["id"], data["total"], body(curated)["total"]) == (f"http://testserver{url}", 2, 3)
    assert data["first"]["items"][1]["target"]["source"] == f"http://testserver/api/v1/documents/{document.pk}/"


def test_annotations_page_parameter(api_client):
    document = DocumentFactory(text=TEXT)
    url = f"/api/v1/documents/{document.pk}/annotations/"

    first = api_client.get(url, {"page": 1})
    past = api_client.get(url, {"page": 2})
    bad = api_client.get(url, {"page": "x"})

    assert body(first)["type"] == "AnnotationPage"
    assert errors(annotation_validator(), body(first)) == []
    assert (past.status_code, bad.status_code) == (404, 400)
    assert api_client.get("/api/v1/documents/999999/annotations/").status_code == 404


# --- timeline -----------------------------------------------------------------------------


def test_popolo_endpoint_validates(api_client):
    role = RoleFactory()

    response = api_client.get("/api/v1/exports/popolo/")

    data = body(response)
    assert response.status_code == 200
    assert [m["id"] for m in data["memberships"]] == [str(role.uid)]
    assert [errors(popolo_validator("person"), p) for p in data["persons"]] == [[]]
    assert [errors(popolo_validator("organization"), o) for o in data["organizations"]] == [[]]
    assert [errors(popolo_validator("membership"), m) for m in data["memberships"]] == [[]]
    assert data["persons"][0]["links"] == [
        {"url": f"http://testserver/api/v1/entities/{role.person_id}/", "note": "Factbase API"}
    ]


# --- CSV ----------------------------------------------------------------------------------
