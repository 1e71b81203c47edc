"""The permission matrix: anonymous, a logged-in reader (no group), a curator and a
reviewer × every endpoint × every method. Each request runs in a savepoint that is rolled
back, so every role meets the same data."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.factories import PersonFactory, UserFactory

ROLES = ("anonymous", "reader", "curator", "reviewer")
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def world(module_world, db):
    """Built once for the module: these tests only read, or write inside a rolled-back savepoint."""
    return module_world


def everyone(status):
    return dict.fromkeys(ROLES, status)


def writers(status):
    """A write: anonymous 401 (no credentials), reader 403 (no permission)."""
    return {"anonymous": 401, "reader": 403, "curator": status, "reviewer": status}


def reviewers(status, curator=403):
    return {"anonymous": 401, "reader": 403, "curator": curator, "reviewer": status}


def claim_body(w):
    return {
        "subject": w.lavrov.pk,
        "predicate": "visited",
        "object": w.indonesia.pk,
        "spans": [{"document": w.document.pk, "exact": "Sergei Lavrov visited Indonesia"}],
    }


NOT_ALLOWED = 405
# name: (url, {method: (body or None, expected statuses by role)}) — methods left out are 405 for everyone.
MATRIX = {
    "countries-list": (lambda w: "/api/v1/countries/", {"get": (None, everyone(200))}),
    "countries-detail": (lambda w: f"/api/v1/countries/{w.russia.pk}/", {"get": (None, everyone(200))}),
    "entities-list": (lambda w: "/api/v1/entities/", {"get": (None, everyone(200))}),
    "entities-detail": (lambda w: f"/api/v1/entities/{w.lavrov.pk}/", {"get": (None, everyone(200))}),
    "predicates-list": (lambda w: "/api/v1/predicates/", {"get": (None, everyone(200))}),
    "predicates-detail": (lambda w: "/api/v1/predicates/visited/", {"get": (None, everyone(200))}),
    "people-list": (
        lambda w: "/api/v1/people/",
        {"get": (None, everyone(200)), "post": (lambda w: {"name": "Min Aung Hlaing"}, writers(201))},
    ),
    "people-detail": (
        lambda w: f"/api/v1/people/{PersonFactory(name='Uncited').pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "Uncited Person"}, writers(200)),
            "patch": (lambda w: {"description": "Not cited anywhere."}, writers(200)),
            "delete": (None, writers(204)),
        },
    ),
    "people-detail-cited": (
        lambda w: f"/api/v1/people/{w.lavrov.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "Sergei Viktorovich Lavrov"}, writers(200)),
            "patch": (lambda w: {"given_name": "Sergei", "family_name": "Lavrov"}, writers(200)),
            "delete": (None, writers(409)),
        },
    ),
    "organisations-list": (
        lambda w: "/api/v1/organisations/",
        {
            "get": (None, everyone(200)),
            "post": (lambda w: {"name": "Kommersant", "type": "media_outlet"}, writers(201)),
        },
    ),
    "organisations-detail": (
        lambda w: f"/api/v1/organisations/{w.asean.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "ASEAN", "type": "intergovernmental_body"}, writers(200)),
            "patch": (lambda w: {"aliases": ["Association of Southeast Asian Nations"]}, writers(200)),
            "delete": (None, writers(204)),
        },
    ),
    "organisations-detail-cited": (
        lambda w: f"/api/v1/organisations/{w.mfa.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "Russian Foreign Ministry", "type": "ministry"}, writers(200)),
            "patch": (lambda w: {"country": w.indonesia.pk}, writers(200)),
            "delete": (None, writers(409)),
        },
    ),
    "events-list": (
        lambda w: "/api/v1/events/",
        {"get": (None, everyone(200)), "post": (lambda w: {"name": "ASEAN video conference"}, writers(201))},
    ),
    "events-detail": (
        lambda w: f"/api/v1/events/{w.brunei.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "Brunei leg", "status": "cancelled"}, writers(200)),
            "patch": (lambda w: {"date": "2021-07"}, writers(200)),
            "delete": (None, writers(204)),
        },
    ),
    "events-detail-cited": (
        lambda w: f"/api/v1/events/{w.visit.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"name": "Lavrov in Indonesia", "date": "2021-07-06/2021-07-08"}, writers(200)),
            "patch": (lambda w: {"participants": [{"entity": w.lavrov.pk, "role": "visitor"}]}, writers(200)),
            "delete": (None, writers(409)),
        },
    ),
    "documents-list": (
        lambda w: "/api/v1/documents/",
        {
            "get": (None, everyone(200)),
            "post": (lambda w: {"title": "New", "text": "A brand new text.", "published": "2021-08-05"}, writers(201)),
        },
    ),
    "documents-detail": (
        lambda w: f"/api/v1/documents/{w.other_document.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"title": "Unrelated", "text": "A corrected text."}, writers(200)),
            "patch": (lambda w: {"title": "Renamed"}, writers(200)),
            "delete": (None, writers(204)),
        },
    ),
    "documents-detail-cited": (
        lambda w: f"/api/v1/documents/{w.document.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (lambda w: {"title": "Russia in Southeast Asia", "text": "A different text."}, writers(409)),
            "patch": (lambda w: {"text": "A different text."}, writers(409)),
            "delete": (None, writers(409)),
        },
    ),
    "claims-list": (
        lambda w: "/api/v1/claims/",
        {"get": (None, everyone(200)), "post": (claim_body, writers(201))},
    ),
    "claims-detail-draft": (
        lambda w: f"/api/v1/claims/{w.draft.pk}/",
        {
            "get": (None, {"anonymous": 404, "reader": 404, "curator": 200, "reviewer": 200}),
            "put": (claim_body, writers(200)),
            "patch": (lambda w: {"notes": "Checked against the Russian text."}, writers(200)),
            "delete": (None, writers(204)),
        },
    ),
    "claims-detail-published": (
        lambda w: f"/api/v1/claims/{w.published.pk}/",
        {
            "get": (None, everyone(200)),
            "put": (claim_body, reviewers(200)),
            "patch": (lambda w: {"confidence": "high"}, reviewers(200)),
            "delete": (None, writers(409)),
        },
    ),
    "claims-submit": (lambda w: f"/api/v1/claims/{w.draft.pk}/submit/", {"post": (None, writers(200))}),
    "claims-submit-published": (
        lambda w: f"/api/v1/claims/{w.published.pk}/submit/",
        {"post": (None, writers(409))},
    ),
    "claims-publish": (lambda w: f"/api/v1/claims/{w.draft.pk}/publish/", {"post": (None, reviewers(200))}),
    "claims-publish-published": (
        lambda w: f"/api/v1/claims/{w.published.pk}/publish/",
        {"post": (None, reviewers(409))},
    ),
    "claims-reject": (
        lambda w: f"/api/v1/claims/{w.draft.pk}/reject/",
        {"post": (lambda w: {"reason": "Not in the source."}, reviewers(200))},
    ),
    "auth-token": (
        lambda w: "/api/v1/auth/token/",
        {"post": (lambda w: {"username": "reader-1", "password": "correct horse battery staple"}, everyone(200))},
    ),
}


@pytest.fixture
def clients(reader, curator, reviewer):
    result = {"anonymous": APIClient()}
    for role, user in (("reader", reader), ("curator", curator), ("reviewer", reviewer)):
        result[role] = APIClient()
        result[role].force_authenticate(user)
    return result


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("endpoint", MATRIX)
def test_permission_matrix(clients, world, endpoint, method):
    url_of, allowed = MATRIX[endpoint]
    url = url_of(world)
    body_of, expected = allowed.get(method, (None, everyone(NOT_ALLOWED)))
    statuses = {}
    for role in ROLES:
        with transaction.atomic():
            body = body_of(world) if body_of else None
            response = getattr(clients[role], method)(url, body, format="json")
            transaction.set_rollback(True)
        statuses[role] = response.status_code
        assert response.status_code == 204 or response["Content-Type"] == "application/json"
    assert statuses == expected


def test_anonymous_write_is_401_with_www_authenticate(api_client, world):
    response = api_client.post("/api/v1/people/", {"name": "Anyone"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_token_auth_gives_a_token_that_authenticates_writes(db, curator):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "curator-1", "password": "correct horse battery staple"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/people/", {"name": "Nikolai Patrushev"}, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "nikolai-patrushev"


def test_token_auth_bad_password_is_400_saying_why(db, curator):
    response = APIClient().post("/api/v1/auth/token/", {"username": "curator-1", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_a_bad_token_is_401_even_for_reads(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_session_auth_works_for_the_browsable_api(db, curator):
    client = APIClient()
    client.force_login(UserFactory(username="curator-2", groups=["curators"]))
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
