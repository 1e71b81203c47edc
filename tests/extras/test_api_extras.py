"""The curation and export endpoints: suggestions, revise, annotations, timeline, Popolo,
CSV everywhere, and idempotent POST documents/."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.urls import router
from factbase.models import Document, Mention, SourceSpan
from tests.extras.schemas import annotation_validator, errors, popolo_validator, terms_outside_context
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    PersonFactory,
    RoleFactory,
    SourceSpanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


@pytest.fixture
def reader_client(db):
    client = APIClient()
    client.force_authenticate(UserFactory(username="reader-1"))
    return client


def body(response):
    return json.loads(response.content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# --- POST documents/ (ingest) -------------------------------------------------------------


def test_post_documents_same_text_again_is_409_naming_existing(curator_client):
    payload = {"title": "Lavrov in Jakarta", "text": TEXT, "published": "2021-08"}
    first = curator_client.post("/api/v1/documents/", payload, format="json")

    again = curator_client.post("/api/v1/documents/", {**payload, "title": "Copy"}, format="json")

    document = Document.objects.get()
    assert first.status_code == 201
    assert first.data["id"] == document.pk
    assert (again.status_code, body(again)) == (
        409,
        {"detail": f"Document #{document.pk} already has exactly this text (sha256 {document.sha256[:12]}…)."},
    )


def test_post_documents_refuses_blank_or_nul_text(curator_client):
    blank = curator_client.post("/api/v1/documents/", {"title": "T", "text": "   \n"}, format="json")
    nul = curator_client.post("/api/v1/documents/", {"title": "T", "text": "a\x00b"}, format="json")

    assert (blank.status_code, nul.status_code) == (400, 400)
    assert body(nul) == {"text": ["Null characters are not allowed."]}
    assert Document.objects.count() == 0


# --- suggestions --------------------------------------------------------------------------


def test_suggestions_list_for_curators(curator_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=lavrov, name="Lavrov")
    laos = CountryFactory(name="Laos")
    document = DocumentFactory(text=TEXT)
    MentionFactory(document=document, entity=lavrov, quote="Sergei Lavrov")

    response = curator_client.get(f"/api/v1/documents/{document.pk}/suggestions/")

    assert response.status_code == 200
    assert body(response) == {
        "document": document.pk,
        "count": 2,
        "results": [
            {
                "key": f"{laos.pk}:61:65",
                "entity": {"id": laos.pk, "kind": "country", "name": "Laos"},
                "start": 61,
                "end": 65,
                "exact": "Laos",
                "prefix": TEXT[29:61],
                "suffix": TEXT[65:97],
                "matched": "Laos",
                "ambiguous": False,
            },
            {
                "key": f"{lavrov.pk}:84:90",
                "entity": {"id": lavrov.pk, "kind": "person", "name": "Sergei Lavrov"},
                "start": 84,
                "end": 90,
                "exact": "Lavrov",
                "prefix": TEXT[52:84],
                "suffix": " left.",
                "matched": "Lavrov",
                "ambiguous": False,
            },
        ],
    }


def test_suggestions_are_curation_tooling(api_client, reader_client):
    document = DocumentFactory(text=TEXT)

    anonymous = api_client.get(f"/api/v1/documents/{document.pk}/suggestions/")
    reader = reader_client.get(f"/api/v1/documents/{document.pk}/suggestions/")

    assert (anonymous.status_code, reader.status_code) == (401, 403)
    assert body(reader) == {"detail": "Only curators may see and accept mention suggestions."}


def test_suggestions_accept_records_mentions(curator_client, curator):
    laos = CountryFactory(name="Laos")
    document = DocumentFactory(text=TEXT)
    url = f"/api/v1/documents/{document.pk}/suggestions/accept/"

    response = curator_client.post(url, {"keys": [f"{laos.pk}:61:65"]}, format="json")
    bad = curator_client.post(url, {"keys": ["nope"]}, format="json")
    outside = curator_client.post(url, {"keys": [f"{laos.pk}:61:6500"]}, format="json")

    mention = Mention.objects.get()
    assert (response.status_code, body(response)) == (
        201,
        [
            {
                "id": mention.pk,
                "entity": {"id": laos.pk, "kind": "country", "name": "Laos"},
                "start": 61,
                "end": 65,
                "exact": "Laos",
            }
        ],
    )
    assert mention.created_by == curator
    assert (bad.status_code, body(bad)) == (400, {"keys": ["'nope' is not a suggestion key (entity:start:end)."]})
    assert outside.status_code == 400
    assert Mention.objects.count() == 1


def test_suggestions_reject_hides_them(curator_client):
    laos = CountryFactory(name="Laos")
    document = DocumentFactory(text=TEXT)
    key = f"{laos.pk}:61:65"

    response = curator_client.post(
        f"/api/v1/documents/{document.pk}/suggestions/reject/", {"keys": [key]}, format="json"
    )

    assert (response.status_code, body(response)) == (200, {"rejected": 1})
    assert body(curator_client.get(f"/api/v1/documents/{document.pk}/suggestions/"))["results"] == []


# --- revise -------------------------------------------------------------------------------


def test_revise_endpoint_creates_revision_and_reports_anchors(curator_client, api_client):
    document = DocumentFactory(text=TEXT)
    span = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="visited Indonesia and Laos")
    url = f"/api/v1/documents/{document.pk}/revise/"

    anonymous = api_client.post(url, {"text": "Corrected. " + TEXT}, format="json")
    response = curator_client.post(url, {"text": "Corrected. " + TEXT}, format="json")
    again = curator_client.post(url, {"text": "Corrected twice. " + TEXT}, format="json")

    revision = Document.objects.get(revision_of=document)
    span.refresh_from_db()
    assert anonymous.status_code == 401
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/documents/{revision.pk}/"
    assert body(response) == {
        "previous": document.pk,
        "document": revision.pk,
        "counts": {"ok": 0, "moved": 1, "needs_review": 0},
        "anchors": [
            {
                "kind": "span",
                "id": span.pk,
                "status": "moved",
                "exact": "visited Indonesia and Laos",
                "old_start": 39,
                "old_end": 65,
                "start": 50,
                "end": 76,
                "note": span.anchor_note,
                "claim_id": span.claim_id,
                "entity_id": None,
            }
        ],
    }
    assert (again.status_code, body(again)) == (
        409,
        {"detail": f"Document #{document.pk} already has a newer revision (#{revision.pk}); revise that one."},
    )
    old = curator_client.get(f"/api/v1/documents/{document.pk}/")
    assert (old.status_code, old.data["text"]) == (200, TEXT)


def test_revise_endpoint_refuses_identical_text(curator_client):
    document = DocumentFactory(text=TEXT)

    response = curator_client.post(f"/api/v1/documents/{document.pk}/revise/", {"text": TEXT}, format="json")

    assert (response.status_code, body(response)) == (
        400,
        {"text": ["The new text is identical to the current one; there is nothing to revise."]},
    )


# --- annotations --------------------------------------------------------------------------


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


def test_timeline_endpoint(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    visit = EventFactory(name="Visit")
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor")
    claim = ClaimFactory(subject=lavrov, published=True)
    ClaimFactory(subject=lavrov)  # a draft: hidden from anonymous clients

    response = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/")
    events = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/", {"type": "event"})
    bad = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/", {"type": "rumour"})

    data = body(response)
    assert data["entity"] == {"id": lavrov.pk, "kind": "person", "name": "Sergei Lavrov"}
    assert [(i["type"], i["id"]) for i in data["results"]] == [("event", visit.pk), ("claim", claim.pk)]
    assert data["count"] == 2
    assert [i["type"] for i in body(events)["results"]] == ["event"]
    assert (bad.status_code, body(bad)) == (400, {"type": ["Give event or claim, not 'rumour'."]})
    assert api_client.get("/api/v1/entities/999999/timeline/").status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_timeline_endpoint_query_count_is_constant(api_client, size):
    person = PersonFactory()
    for _ in range(size):
        event = EventFactory(location_country=CountryFactory())
        EventParticipantFactory(event=event, entity=person)
        ClaimFactory(subject=person, event=event, published=True)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/entities/{person.pk}/timeline/")

    assert body(response)["count"] == 2 * size
    assert len(queries) == 5


# --- Popolo -------------------------------------------------------------------------------


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


@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
def test_every_list_endpoint_serves_csv(curator_client, prefix):
    ClaimFactory(published=True)
    json_response = curator_client.get(f"/api/v1/{prefix}/")

    response = curator_client.get(f"/api/v1/{prefix}/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(item["id"]) for item in json_response.data["results"]]
    assert response.content.decode().splitlines()[0].startswith("id,")


def test_csv_flattens_nested_fields_of_the_page(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    claims = [ClaimFactory(subject=lavrov, published=True) for _ in range(3)]

    response = api_client.get("/api/v1/claims/", {"format": "csv", "page_size": 2, "ordering": "id"})

    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(claims[0].pk), str(claims[1].pk)]
    assert rows[0]["subject.name"] == "Sergei Lavrov"
    assert rows[0]["subject.kind"] == "person"
    assert rows[0]["spans.exact"] == "Sergei Lavrov visited Indonesia"


def test_csv_of_timeline_and_errors(api_client):
    person = PersonFactory()
    claim = ClaimFactory(subject=person, published=True)

    timeline = api_client.get(f"/api/v1/entities/{person.pk}/timeline/", {"format": "csv"})
    missing = api_client.get("/api/v1/entities/999999/timeline/", {"format": "csv"})

    assert [(row["type"], row["id"], row["roles"]) for row in csv_rows(timeline)] == [
        ("claim", str(claim.pk), "subject")
    ]
    assert (missing.status_code, csv_rows(missing)) == (404, [{"detail": "No Entity matches the given query."}])


def test_span_anchor_status_is_visible_in_document_detail(curator_client):
    document = DocumentFactory(text=TEXT)
    SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="Lavrov left.")
    curator_client.post(
        f"/api/v1/documents/{document.pk}/revise/", {"text": TEXT.replace("left", "went")}, format="json"
    )

    response = curator_client.get(f"/api/v1/documents/{document.pk}/")

    assert [span["anchor_status"] for span in response.data["spans"]] == ["needs_review"]
    assert SourceSpan.objects.get().document_id == document.pk


def test_empty_timeline_as_csv_is_a_header_with_content_type(api_client):
    person = PersonFactory()
    response = api_client.get(f"/api/v1/entities/{person.pk}/timeline/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == ["type,id,date,date_source,label,roles"]
