"""Hostile input: SQL injection in every filter of every endpoint, HTML and script in every
text field (rendered inert by the admin and the browsable API), invalid UTF-8, JSON nested
10,000 deep, huge ids. Each gets a 4xx (or an empty, correct answer), never a 500, and
nothing is stored half-way."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from api.urls import router
from factbase.enums import JobKind
from factbase.models import (
    Alias,
    Claim,
    Country,
    Document,
    Entity,
    Event,
    Job,
    Organisation,
    Person,
    Predicate,
    SourceSpan,
)
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.documents import document_create
from factbase.services.entities import entity_create
from factbase.services.jobs import job_start
from factbase.services.mentions import mention_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR '1'='1",
    "1 OR 1=1",
    "1; DROP TABLE factbase_claim; --",
    "1) UNION SELECT username, password FROM auth_user --",
    '" OR ""="',
    "%' --",
    "\\'; SELECT pg_sleep(5); --",
    "2021-01-01' OR 'x'='x",
]
HUGE_NUMBERS = ["99999999999999999999999999", str(2**63), str(2**63 - 1), "-1", "1e309", "0x10", "１２"]
XSS = "<script>alert('fb-xss')</script><img src=x onerror=alert('fb-xss')>"
RAW_MARKERS = ["<script>alert('fb-xss')", "<img src=x onerror"]


def counts():
    return (
        Entity.objects.count(),
        Claim.objects.count(),
        SourceSpan.objects.count(),
        Document.objects.count(),
        Alias.objects.count(),
        get_user_model().objects.count(),
    )


def filter_names(viewset) -> list[str]:
    filterset = getattr(viewset, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else []
    return [*names, "ordering", "page", "page_size", "cursor", "format"]


ENDPOINTS = [(prefix, viewset) for prefix, viewset, _ in router.registry]


@pytest.fixture
def world(curator):
    """A little of everything, every text field carrying script."""
    country = entity_create(model=Country, name=f"Laos {XSS}", slug="laos", aliases=[XSS], description=XSS)
    org = entity_create(model=Organisation, name=f"Kommersant {XSS}", slug="kommersant", description=XSS)
    person = entity_create(model=Person, name=f"Lavrov {XSS}", slug="lavrov", nationality=country, given_name=XSS)
    event = entity_create(
        model=Event, name=f"Visit {XSS}", slug="visit", location_text=XSS, date=PartialDate.parse("2021-07")
    )
    document = document_create(title=f"Article {XSS}", text=f"Lavrov visited Laos. {XSS} The end.", publisher=org)
    mention_create(document=document, entity=person, exact="Lavrov")
    predicate = Predicate.objects.create(
        slug="visited", label=f"visited {XSS}", description=XSS, subject_kinds=["person"], object_kinds=["country"]
    )
    claim = claim_create(
        subject=person,
        predicate=predicate,
        object=country,
        event=event,
        value=XSS,
        notes=XSS,
        attributed_to=org,
        spans=[{"document": document, "exact": XSS}],
    )
    # Its denial, both published: a contradiction, whose sides show their names.
    reviewer = UserFactory(username="reviewer-xss", groups=["reviewers"])
    denial = claim_create(
        subject=person,
        predicate=predicate,
        object=country,
        polarity="negated",
        value=XSS,
        spans=[{"document": document, "exact": XSS}],
    )
    claim_publish(claim=denial, by=reviewer)
    claim_publish(claim=claim, by=reviewer)
    # The curator's job, as if it had failed on a message quoting its input.
    job = job_start(kind=JobKind.SUGGESTION_SCAN, by=curator, parameters={"documents": [document.pk]})
    Job.objects.filter(pk=job.pk).update(status="failed", error=f"Failed on {XSS}")
    return {"claim": claim, "document": document, "person": person, "country": country, "org": org, "event": event}


@pytest.mark.parametrize(("prefix", "viewset"), ENDPOINTS, ids=[prefix for prefix, _ in ENDPOINTS])
def test_sql_injection_in_every_filter_is_harmless(curator_client, world, prefix, viewset):
    before = counts()
    unexpected = []
    for name in filter_names(viewset):
        for value in INJECTIONS:
            response = curator_client.get(f"/api/v1/{prefix}/", {name: value})
            if response.status_code not in (200, 400, 404):
                unexpected.append((name, value, response.status_code))
            elif response.status_code == 200 and name not in ("ordering", "format", "q") and response.json()["count"]:
                # An injected condition never widens a filter into "everything".
                unexpected.append((name, value, "matched rows"))
    assert unexpected == []
    assert counts() == before


@pytest.mark.parametrize(("prefix", "viewset"), ENDPOINTS, ids=[prefix for prefix, _ in ENDPOINTS])
def test_huge_and_malformed_numbers_in_id_filters_are_4xx(curator_client, world, prefix, viewset):
    unexpected = []
    for name in filter_names(viewset):
        for value in HUGE_NUMBERS:
            status = curator_client.get(f"/api/v1/{prefix}/", {name: value}).status_code
            if status >= 500:
                unexpected.append((name, value, status))
    for value in HUGE_NUMBERS:
        status = curator_client.get(f"/api/v1/{prefix}/{value}/").status_code
        if status != 404:
            unexpected.append(("detail", value, status))
    assert unexpected == []


def test_id_filter_beyond_64_bits_is_400(api_client, world):
    response = api_client.get("/api/v1/claims/", {"subject": "99999999999999999999999999"})
    assert response.status_code == 400
    assert list(response.json()) == ["subject"]


def test_injected_text_is_stored_literally(curator_client, world):
    body = {
        "subject": world["person"].pk,
        "predicate": "visited",
        "value": "x'); DROP TABLE factbase_claim; --",
        "spans": [{"document": world["document"].pk, "exact": "Lavrov visited Laos."}],
    }
    response = curator_client.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201
    assert Claim.objects.get(pk=response.json()["id"]).value == "x'); DROP TABLE factbase_claim; --"


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/documents/", "/api/v1/people/"])
def test_invalid_utf8_body_is_400_and_nothing_is_stored(curator_client, world, path):
    before = counts()
    response = curator_client.generic("POST", path, b'{"title": "\xff\xfe", "name": "\xc3\x28"}', "application/json")
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("query", ["q=%ff%fe", "subject=%c3%28", "date_from=%ed%a0%80", "ordering=%ff"])
def test_invalid_utf8_query_string_is_400(api_client, world, query):
    response = api_client.get(f"/api/v1/claims/?{query}")
    assert (response.status_code, response.json()) == (400, {"detail": "The query string is not valid UTF-8."})


def test_invalid_utf8_in_the_path_is_404(api_client):
    assert api_client.get("/api/v1/claims/%ff%fe/").status_code == 404


def test_json_nested_10000_deep_is_400_and_nothing_is_stored(curator_client, world):
    before = counts()
    body = '{"name": "x", "aliases": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = curator_client.generic("POST", "/api/v1/people/", body.encode(), "application/json")
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"12",
        b'"text"',
        b'{"spans": {"$gt": ""}}',
        b'{"subject": {"id": 1}, "predicate": ["visited"], "spans": [null]}',
        b'{"subject": 1e309, "predicate": "visited", "spans": []}',
    ],
)
def test_malformed_claim_bodies_are_400_and_nothing_is_stored(curator_client, world, body):
    before = counts()
    response = curator_client.generic("POST", "/api/v1/claims/", body, "application/json")
    assert response.status_code == 400
    assert counts() == before


def test_claim_with_one_bad_span_stores_nothing(curator_client, world):
    before = counts()
    body = {
        "subject": world["person"].pk,
        "predicate": "visited",
        "object": world["country"].pk,
        "spans": [
            {"document": world["document"].pk, "exact": "Lavrov visited Laos."},
            {"document": world["document"].pk, "start": 5, "end": 10_000_000},
        ],
    }
    assert curator_client.post("/api/v1/claims/", body, format="json").status_code == 400
    assert counts() == before


@pytest.mark.parametrize(("prefix", "viewset"), ENDPOINTS, ids=[prefix for prefix, _ in ENDPOINTS])
def test_browsable_api_renders_script_inert(curator_client, world, prefix, viewset):
    list_page = curator_client.get(f"/api/v1/{prefix}/", HTTP_ACCEPT="text/html")
    pages = [list_page]
    for item in curator_client.get(f"/api/v1/{prefix}/").json()["results"][:3]:
        key = item["slug"] if viewset.lookup_field == "slug" else item["id"]
        pages.append(curator_client.get(f"/api/v1/{prefix}/{key}/", HTTP_ACCEPT="text/html"))
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert [marker for marker in RAW_MARKERS if marker in html] == []
    assert "&lt;script&gt;alert(" in list_page.content.decode()


def admin_pages(world):
    from django.contrib import admin

    urls = []
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?q=" + "%3Cscript%3E")
        for obj in model._default_manager.all()[:3]:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk]))
    return urls


def test_admin_pages_render_script_inert(world):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-1234"))
    leaks = []
    for url in admin_pages(world):
        response = client.get(url, follow=True)
        html = response.content.decode()
        if response.status_code != 200:
            leaks.append((url, response.status_code))
        leaks += [(url, marker) for marker in RAW_MARKERS if marker in html]
    assert leaks == []
    page = client.get(reverse("admin:factbase_claim_change", args=[world["claim"].pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;fb-xss&#x27;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/documents/99999999999999999999999/suggestions/",
        "/api/v1/documents/99999999999999999999999/annotations/",
        "/api/v1/entities/99999999999999999999999/timeline/",
    ],
)
def test_huge_id_in_any_route_is_4xx(curator_client, path):
    response = curator_client.get(path)
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/") and "json" in response["Content-Type"]
