"""No request, however malformed, gets a 500: each gets a 4xx with a JSON body."""

import json

import pytest
from django.urls import reverse


@pytest.fixture
def world(module_world, db):
    return module_world


def span(w, **extra):
    return {"document": w.document.pk, **extra}


# Bodies for POST claims/ that are wrong in shape, type or range.
BAD_CLAIM_BODIES = [
    lambda w: [],
    lambda w: "a string",
    lambda w: 42,
    lambda w: None,
    lambda w: {},
    lambda w: {"subject": "abc", "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": str(w.lavrov.pk), "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": 99999999999999999999, "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": -1, "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": True, "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": 1.5, "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": {"id": 1}, "predicate": "visited", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": 7, "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": ["visited"], "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "no such slug!", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": "Laos"},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [1, 2]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [{"document": "x", "exact": "Laos"}]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, start=-1, end=5)]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, start=10**30, end=10**31)]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, start=5)]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, start="5", end="9")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, exact="")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, exact=["Laos"])]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "spans": [span(w, exact="La\x00os")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "value": "\ud800", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "date": 2021, "spans": [span(w, exact="Laos")]},
    lambda w: {
        "subject": w.lavrov.pk,
        "predicate": "visited",
        "date": "2021-07-09/2021-07-01",
        "spans": [span(w, exact="Laos")],
    },
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "date": "0000", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "value_number": "NaN", "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "value_number": 1e300, "spans": [span(w, exact="Laos")]},
    lambda w: {"subject": w.lavrov.pk, "predicate": "visited", "value": "x" * 501, "spans": [span(w, exact="Laos")]},
]


@pytest.mark.parametrize("body", BAD_CLAIM_BODIES, ids=range(len(BAD_CLAIM_BODIES)))
def test_claim_create_malformed_body_is_400_json(curator_client, world, body):
    response = curator_client.post("/api/v1/claims/", json.dumps(body(world)), content_type="application/json")
    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict) and response.json()


BAD_ENTITY_BODIES = [
    ("people", {"name": ""}),
    ("people", {"name": "x" * 301}),
    ("people", {"name": "A", "slug": "not a slug"}),
    ("people", {"name": "A", "wikidata_qid": "Lavrov"}),
    ("people", {"name": "A", "aliases": "Lavrov"}),
    ("people", {"name": "A", "aliases": [None]}),
    ("people", {"name": "A", "aliases": [{"language": "en"}]}),
    ("people", {"name": "A", "aliases": [{"name": "B", "kind": "nickname"}]}),
    ("organisations", {"name": "A", "type": "club"}),
    ("organisations", {"name": "A", "parent": 0}),
    ("events", {"name": "A", "date": "July"}),
    ("events", {"name": "A", "participants": [{"entity": "Lavrov"}]}),
    ("events", {"name": "A", "participants": [{}]}),
    ("events", {"name": "A", "participants": {"entity": 1}}),
    ("documents", {"title": "A"}),
    ("documents", {"title": "A", "text": "   "}),
    ("documents", {"title": "A", "text": "B", "published": "yesterday"}),
    ("documents", {"title": "A", "text": "B", "url": "not a url"}),
    ("documents", {"title": "A", "text": "B", "publisher": 99999999999999999999}),
]


@pytest.mark.parametrize(("resource", "body"), BAD_ENTITY_BODIES, ids=range(len(BAD_ENTITY_BODIES)))
def test_create_malformed_body_is_400_json(curator_client, world, resource, body):
    response = curator_client.post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict) and response.json()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        ("name=Lavrov", "application/x-www-form-urlencoded", 415),
        ("<person/>", "application/xml", 415),
    ],
    ids=["syntax", "nested-too-deep", "not-utf8", "form", "xml"],
)
def test_unreadable_body_is_4xx_json(curator_client, world, body, content_type, status):
    response = curator_client.post("/api/v1/people/", body, content_type=content_type)
    assert response.status_code == status
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/99999999999999999999/",
        "/api/v1/claims/0/",
        "/api/v1/claims/abc/",
        "/api/v1/people/-1/",
        "/api/v1/predicates/no-such-predicate/",
        "/api/v1/nothing-here/",
    ],
)
def test_unknown_resource_is_404_json(api_client, world, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_detail_of_another_kind_is_404(api_client, world):
    """Ids are shared by every kind of entity; people/{id} of a country is not found."""
    assert api_client.get(f"/api/v1/people/{world.russia.pk}/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "-5"},
        {"page_size": "ten"},
        {"cursor": "not-base64!"},
        {"cursor": "cD1hYmM="},  # a forged position ("p=abc")
        {"cursor": "", "page": "2"},
        {"cursor": "", "ordering": "date"},
        {"subject": "1e3"},
        {"subject": "１２"},  # full-width digits
        {"date_from": "2021-00"},
        {"date_from": "-2021"},
        {"q": "lavrov\x00"},
        {"ordering": "-"},
    ],
)
def test_bad_query_parameter_is_400_json(api_client, world, params):
    response = api_client.get("/api/v1/claims/", params)
    assert response.status_code == 400, response.content
    assert set(response.json()) <= {*params, "non_field_errors"}


def test_page_past_the_end_is_404_json(api_client, world):
    # (A page beyond the first 1,000 rows is a 400 instead: tests/api/test_pagination.py.)
    response = api_client.get("/api/v1/claims/", {"page": "20"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("method", ["post", "patch"])
def test_event_participant_without_entity_is_400(curator_client, world, method):
    # PATCH makes the nested participant serializer partial: its required entity must still be asked for.
    url = reverse("event-detail", args=[world.brunei.pk]) if method == "patch" else reverse("event-list")
    response = getattr(curator_client, method)(url, {"name": "X", "participants": [{"role": "host"}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"participants": [{"entity": ["This field is required."]}]}
