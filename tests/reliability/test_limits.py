"""Hard limits on input: body size (413), length of `q` (400), page size (capped), spans per
claim (400), document size (400), and separate throttles for anonymous and signed-in
clients (429 with Retry-After). Nothing over a limit is stored."""

import pytest
from django.core.cache import cache

from factbase.models import Claim, Document
from tests.factories import DocumentFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttle_cache():
    cache.clear()
    yield
    cache.clear()


def test_body_over_the_limit_is_413_and_nothing_is_stored(curator_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = curator_client.post("/api/v1/documents/", {"title": "Big", "text": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json()["limit"] == 1000
    assert response.json()["detail"].endswith("the limit is 1000 bytes.")
    assert Document.objects.count() == 0


def test_body_over_the_limit_is_413_in_the_admin_too(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = admin_client.post("/admin/factbase/document/add/", {"title": "Big", "text": "x" * 2000})
    assert (response.status_code, Document.objects.count()) == (413, 0)


def test_q_longer_than_the_limit_is_400(api_client, settings):
    settings.FACTBASE_MAX_QUERY_LENGTH = 200
    assert api_client.get("/api/v1/entities/", {"q": "a" * 200}).status_code == 200
    response = api_client.get("/api/v1/entities/", {"q": "a" * 201})
    assert (response.status_code, response.json()) == (400, {"q": ["Ensure this value has at most 200 characters."]})


def test_repeated_q_cannot_smuggle_a_long_value(api_client):
    response = api_client.get("/api/v1/claims/?q=short&q=" + "a" * 500)
    assert response.status_code == 400


def test_page_size_is_capped(api_client):
    response = api_client.get("/api/v1/countries/", {"page_size": 100000})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 200


def test_more_spans_than_the_limit_is_400_and_nothing_is_stored(curator_client):
    document = DocumentFactory()
    PredicateFactory(slug="visited")
    body = {
        "subject": PersonFactory().pk,
        "predicate": "visited",
        "spans": [{"document": document.pk, "start": n, "end": n + 1} for n in range(51)],
    }
    response = curator_client.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["spans"]
    assert Claim.objects.count() == 0


def test_anonymous_throttle_answers_429_with_retry_after(api_client, settings, throttle_cache):
    settings.FACTBASE_THROTTLE_ANON = "3/minute"
    statuses = [api_client.get("/api/v1/predicates/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/predicates/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_signed_in_clients_have_their_own_throttle(api_client, curator_client, settings, throttle_cache):
    settings.FACTBASE_THROTTLE_ANON = "2/minute"
    settings.FACTBASE_THROTTLE_USER = "4/minute"
    anonymous = [api_client.get("/api/v1/predicates/").status_code for _ in range(3)]
    signed_in = [curator_client.get("/api/v1/predicates/").status_code for _ in range(5)]
    assert (anonymous, signed_in) == ([200, 200, 429], [200, 200, 200, 200, 429])


def test_throttles_are_off_unless_configured(api_client, settings, throttle_cache):
    assert (settings.FACTBASE_THROTTLE_ANON, settings.FACTBASE_THROTTLE_USER) == ("off", "off")
    assert {api_client.get("/api/v1/predicates/").status_code for _ in range(50)} == {200}


def test_document_over_the_size_limit_is_400_and_not_stored(curator_client, settings):
    settings.FACTBASE_MAX_DOCUMENT_BYTES = 100
    body = {"title": "Long", "text": "é" * 51, "published": "2021-08-05"}  # 102 bytes of UTF-8
    response = curator_client.post("/api/v1/documents/", body, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"text": ["The text is 102 bytes of UTF-8; the limit is 100. Split it into several documents."]},
    )
    assert Document.objects.count() == 0
    body["text"] = "é" * 50
    assert curator_client.post("/api/v1/documents/", body, format="json").status_code == 201
