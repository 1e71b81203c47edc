"""The curator endpoints on a document: idempotent POST documents/, mention suggestions
(list, accept, reject) and revisions with re-anchoring."""

import pytest

from factbase.models import Document, Mention, SourceSpan
from tests.api.helpers import body
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    MentionFactory,
    PersonFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


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
        "next": None,
        "previous": None,
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


def test_suggestions_come_a_page_at_a_time(curator_client):
    CountryFactory(name="Laos")
    document = DocumentFactory(text=" ".join(f"Visit {i} to Laos." for i in range(250)))
    url = f"/api/v1/documents/{document.pk}/suggestions/"

    first = body(curator_client.get(url, {"page_size": 10**6}))
    last = body(curator_client.get(url, {"page": 2, "page_size": 200}))

    assert (first["count"], len(first["results"]), first["previous"]) == (250, 200, None)
    assert first["next"].endswith("page=2&page_size=1000000")
    assert (last["count"], len(last["results"]), last["next"]) == (250, 50, None)
    assert last["previous"].endswith("?page_size=200")
    starts = [item["start"] for item in first["results"] + last["results"]]
    assert starts == sorted(starts) and len(set(starts)) == 250
    assert curator_client.get(url, {"page": 3, "page_size": 200}).status_code == 404
    assert curator_client.get(url, {"page": "x"}).status_code == 400


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


def test_span_anchor_status_is_visible_in_document_detail(curator_client):
    document = DocumentFactory(text=TEXT)
    SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote="Lavrov left.")
    curator_client.post(
        f"/api/v1/documents/{document.pk}/revise/", {"text": TEXT.replace("left", "went")}, format="json"
    )

    response = curator_client.get(f"/api/v1/documents/{document.pk}/")

    assert [span["anchor_status"] for span in response.data["spans"]] == ["needs_review"]
    assert SourceSpan.objects.get().document_id == document.pk


def test_suggestion_pages_add_up_to_the_whole_list_and_follow_a_rename(curator_client):
    # What the matcher found in a text is kept between pages (factbase/services/suggestions.py),
    # and forgotten when a name changes.
    CountryFactory(name="Laos")
    thailand = CountryFactory(name="Thailand")
    document = DocumentFactory(text=" ".join(f"Visit {i} to Laos and Siam." for i in range(30)))
    url = f"/api/v1/documents/{document.pk}/suggestions/"

    whole = body(curator_client.get(url, {"page_size": 200}))["results"]
    pages = [body(curator_client.get(url, {"page": n, "page_size": 7}))["results"] for n in range(1, 6)]
    assert [item for page in pages for item in page] == whole
    assert len(whole) == 30

    type(thailand).objects.filter(pk=thailand.pk).update(name="Siam")
    renamed = body(curator_client.get(url, {"page": 2, "page_size": 7}))
    assert renamed["count"] == 60
    assert [item["exact"] for item in renamed["results"]] == ["Siam", "Laos"] * 3 + ["Siam"]
