"""The API's write contract: every write goes through the services
and ends in the same checks as the admin's."""

import pytest

from factbase.models import Claim, Document, Event, Person
from tests.api.conftest import TEXT
from tests.factories import ClaimFactory, DocumentFactory, PersonFactory


def post(client, url, body):
    return client.post(url, body, format="json")


# --- entities ---------------------------------------------------------------------------


def test_person_create_with_aliases_and_an_automatic_unique_slug(curator_client, world):
    body = {
        "name": "Sergei Lavrov",
        "aliases": ["S. Lavrov", {"name": "Сергей Лавров", "language": "ru", "kind": "official"}],
        "nationality": world.russia.pk,
    }
    response = post(curator_client, "/api/v1/people/", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["slug"], created["aliases"], created["nationality"]) == (
        "sergei-lavrov-2",  # the world already has sergei-lavrov
        [
            {"name": "S. Lavrov", "language": "en", "kind": "common"},
            {"name": "Сергей Лавров", "language": "ru", "kind": "official"},
        ],
        {"id": world.russia.pk, "kind": "country", "name": "Russia"},
    )
    assert Person.objects.get(pk=created["id"]).aliases.count() == 2


def test_person_create_refuses_a_country_id_of_the_wrong_kind(curator_client, world):
    response = post(curator_client, "/api/v1/people/", {"name": "Nobody", "nationality": world.lavrov.pk})
    assert response.status_code == 400
    assert response.json() == {"nationality": [f"Entity {world.lavrov.pk} is a person; give the id of a country."]}


def test_person_create_refuses_a_duplicate_alias(curator_client, world):
    response = post(curator_client, "/api/v1/people/", {"name": "Nobody", "aliases": ["Twice", "Twice"]})
    assert response.status_code == 400
    assert response.json() == {"aliases": ["Alias 2: 'Twice' is listed twice."]}
    assert not Person.objects.filter(name="Nobody").exists()  # all or nothing


def test_person_create_refuses_a_taken_slug(curator_client, world):
    response = post(curator_client, "/api/v1/people/", {"name": "Another", "slug": "sergei-lavrov"})
    assert response.status_code == 400
    assert response.json() == {"slug": ["Entity with this Slug already exists."]}


def test_person_patch_replaces_the_aliases(curator_client, world):
    response = curator_client.patch(f"/api/v1/people/{world.lavrov.pk}/", {"aliases": ["Sergey Lavrov"]}, format="json")
    assert response.status_code == 200
    assert response.json()["aliases"] == [{"name": "Sergey Lavrov", "language": "en", "kind": "common"}]


def test_event_create_with_date_wording_and_participants(curator_client, world):
    body = {
        "name": "ASEAN foreign ministers' video conference",
        "type": "video_conference",
        "date": "2021-07-06/2021-07-08",
        "date_text": "during the visit",
        "location_country": world.indonesia.pk,
        "parent": world.visit.pk,
        "participants": [
            {"entity": world.lavrov.pk, "role": "attendee"},
            {"entity": world.asean.pk, "role": "organiser", "note": "10 foreign ministers"},
        ],
    }
    response = post(curator_client, "/api/v1/events/", body)
    assert response.status_code == 201
    created = response.json()
    assert {k: created[k] for k in ("type", "date", "location", "parent")} == {
        "type": "video_conference",
        "date": {"lower": "2021-07-06", "upper": "2021-07-08", "precision": "day", "text": "during the visit"},
        "location": {"country": {"id": world.indonesia.pk, "kind": "country", "name": "Indonesia"}, "text": ""},
        "parent": {"id": world.visit.pk, "kind": "event", "name": "Lavrov's visit to Indonesia"},
    }
    assert [(p["entity"]["id"], p["role"], p["note"]) for p in created["participants"]] == [
        (world.lavrov.pk, "attendee", ""),
        (world.asean.pk, "organiser", "10 foreign ministers"),
    ]


def test_event_patch_date_text_alone_rewords_the_current_date(curator_client, world):
    response = curator_client.patch(f"/api/v1/events/{world.visit.pk}/", {"date_text": "July 6 to 8"}, format="json")
    assert response.status_code == 200
    assert response.json()["date"] == {
        "lower": "2021-07-06",
        "upper": "2021-07-08",
        "precision": "day",
        "text": "July 6 to 8",
    }


def test_entity_delete_uncited_is_204_and_cited_is_409_changing_nothing(curator_client, world):
    uncited = PersonFactory()
    assert curator_client.delete(f"/api/v1/people/{uncited.pk}/").status_code == 204
    assert not Person.objects.filter(pk=uncited.pk).exists()

    response = curator_client.delete(f"/api/v1/people/{world.lavrov.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This cannot be deleted while other records refer to it: 2 claims and 1 event participant. "
        "Deleting never cascades; remove or re-point those first."
    }
    assert Claim.objects.filter(subject=world.lavrov).count() == 2


# --- documents --------------------------------------------------------------------------


def test_document_create_keeps_the_text_exactly(curator_client, db):
    text = "  Leading spaces, CRLF\r\nand an emoji 🙂 stay.\n"
    response = post(
        curator_client,
        "/api/v1/documents/",
        {"title": "Kommersant", "text": text, "published": "2021-08-05", "url": "https://www.kommersant.ru/"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["text"], body["published"], body["url"]) == (
        text,
        {"lower": "2021-08-05", "upper": "2021-08-05", "precision": "day", "text": ""},
        "https://www.kommersant.ru/",
    )
    assert Document.objects.get(pk=body["id"]).text == text


def test_document_text_edit_is_409_under_spans_and_allowed_without(curator_client, world):
    locked = curator_client.patch(f"/api/v1/documents/{world.document.pk}/", {"text": "Rewritten."}, format="json")
    assert locked.status_code == 409
    assert locked.json() == {
        "detail": "This text is locked: spans or mentions point into it, or it has a newer revision. "
        "Create a new document (a revision) instead."
    }
    world.document.refresh_from_db()
    assert world.document.text == TEXT

    free = curator_client.patch(f"/api/v1/documents/{world.other_document.pk}/", {"text": "Corrected."}, format="json")
    assert free.status_code == 200
    assert free.json()["text"] == "Corrected."


def test_document_title_edit_under_spans_is_fine(curator_client, world):
    response = curator_client.patch(f"/api/v1/documents/{world.document.pk}/", {"title": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


def test_document_delete_cited_is_409(curator_client, world):
    response = curator_client.delete(f"/api/v1/documents/{world.document.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This cannot be deleted while other records refer to it: 3 source spans. "
        "Deleting never cascades; remove or re-point those first."
    }


# --- claims -----------------------------------------------------------------------------


def test_claim_create_from_a_quote_fills_the_offsets_and_context(curator_client, world):
    body = {
        "subject": world.lavrov.pk,
        "predicate": "visited",
        "object": world.indonesia.pk,
        "date": "2021-07-06/2021-07-08",
        "date_text": "from July 6 to 8",
        "spans": [{"document": world.document.pk, "exact": "visited Indonesia and Laos"}],
    }
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "draft"
    assert created["date"] == {
        "lower": "2021-07-06",
        "upper": "2021-07-08",
        "precision": "day",
        "text": "from July 6 to 8",
    }
    [span] = created["spans"]
    assert {k: span[k] for k in ("document", "start", "end", "exact", "prefix", "suffix")} == {
        "document": world.document.pk,
        "start": 39,
        "end": 65,
        "exact": "visited Indonesia and Laos",
        "prefix": " Foreign Minister Sergei Lavrov ",
        "suffix": " from July 6 to 8. He met with t",
    }
    assert Claim.objects.get(pk=created["id"]).created_by.username == "curator-1"


def test_claim_create_counts_offsets_in_code_points(curator_client, world):
    start = TEXT.index("Emoji")  # after a 🙂, which is 2 UTF-16 units but 1 code point
    body = {
        "subject": world.streltsov.pk,
        "predicate": "said",
        "value": "emoji",
        "spans": [{"document": world.document.pk, "start": start, "end": start + 5}],
    }
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 201
    assert response.json()["spans"][0]["exact"] == "Emoji"


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (
            {"exact": "Lavrov visited Jakarta"},
            "Span 1: The quote 'Lavrov visited Jakarta' does not occur in the document.",
        ),
        (
            {"exact": "count"},  # in "countries" and in "counted"
            "Span 1: The quote 'count' occurs 2 times; add a prefix (the text just before it).",
        ),
        (
            {"start": 10, "end": 9999},
            f"Span 1: End offset 9999 is past the end of the document ({len(TEXT)} characters).",
        ),
        (
            {"start": 25, "end": 31, "exact": "Lavrov"},
            "Span 1: The document has 'Sergei' at those offsets, not 'Lavrov'.",
        ),
    ],
)
def test_claim_create_refuses_a_span_that_does_not_fit(curator_client, world, span, message):
    body = {"subject": world.lavrov.pk, "predicate": "visited", "spans": [{"document": world.document.pk, **span}]}
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 400
    assert response.json() == {"spans": [message]}
    assert Claim.objects.count() == 3  # nothing stored half-way


def test_claim_create_ambiguous_quote_anchors_with_a_prefix(curator_client, world):
    body = {
        "subject": world.lavrov.pk,
        "predicate": "visited",
        "spans": [{"document": world.document.pk, "exact": "count", "prefix": "not be "}],
    }
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 201
    assert response.json()["spans"][0]["start"] == TEXT.index("counted")


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"predicate": "flew-to"},
            {"predicate": ["No predicate has the slug flew-to; the vocabulary is at /api/v1/predicates/."]},
        ),
        ({"object": None, "subject": None}, {"subject": ["This field may not be null."]}),
        ({"spans": []}, {"spans": {"non_field_errors": ["This list may not be empty."]}}),
        ({"spans": [{"document": 0}]}, {"spans": [{"document": ["No document has id 0."]}]}),
        ({"spans": [{"exact": "Lavrov"}]}, {"spans": [{"document": ["This field is required."]}]}),
        ({"date": "2021-02-30"}, {"date": ["'2021-02-30': day 30 does not exist in 2021-02."]}),
        ({"date_text": "late June"}, {"date_text": ["Give date too: this only words it."]}),
        ({"polarity": "maybe"}, {"polarity": ['"maybe" is not a valid choice.']}),
    ],
)
def test_claim_create_bad_field_is_400_naming_it(curator_client, world, change, errors):
    body = {
        "subject": world.lavrov.pk,
        "predicate": "visited",
        "object": world.indonesia.pk,
        "spans": [{"document": world.document.pk, "exact": "Sergei Lavrov visited Indonesia"}],
        **change,
    }
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 400
    assert response.json() == errors


def test_claim_create_predicate_rules_come_from_the_model(curator_client, world):
    body = {
        "subject": world.russia.pk,  # "visited" takes a person or organisation
        "predicate": "said",
        "object": world.indonesia.pk,  # "said" takes no object
        "spans": [{"document": world.document.pk, "exact": "Laos"}],
    }
    response = post(curator_client, "/api/v1/claims/", body)
    assert response.status_code == 400
    assert response.json() == {
        "subject": ["“said” takes a subject of kind person, not country."],
        "object": ["“said” takes no object entity; put a literal in value instead."],
    }


def test_claim_patch_replaces_the_spans(curator_client, world):
    response = curator_client.patch(
        f"/api/v1/claims/{world.draft.pk}/",
        {"spans": [{"document": world.document.pk, "exact": "Indonesia and Laos"}]},
        format="json",
    )
    assert response.status_code == 200
    assert [s["exact"] for s in response.json()["spans"]] == ["Indonesia and Laos"]


def test_claim_workflow_submit_publish_and_reject(curator_client, reviewer_client, world):
    submitted = curator_client.post(f"/api/v1/claims/{world.draft.pk}/submit/")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "in_review")

    published = reviewer_client.post(f"/api/v1/claims/{world.draft.pk}/publish/")
    assert (published.status_code, published.json()["status"]) == (200, "published")
    assert published.json()["reviewed_at"] is not None

    rejected = reviewer_client.post(
        f"/api/v1/claims/{world.draft.pk}/reject/", {"reason": "The source says Laos only."}, format="json"
    )
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert rejected.json()["notes"] == "Rejected: The source says Laos only."

    again = reviewer_client.post(f"/api/v1/claims/{world.draft.pk}/publish/")
    assert again.status_code == 409
    assert again.json() == {"detail": "Only a draft or in-review claim can be published; this one is rejected."}


def test_claim_publish_works_straight_from_draft(reviewer_client, world):
    response = reviewer_client.post(f"/api/v1/claims/{world.draft.pk}/publish/")
    assert (response.status_code, response.json()["status"]) == (200, "published")


def test_claim_publish_refuses_a_claim_without_evidence(reviewer_client, world):
    bare = ClaimFactory(subject=world.lavrov, predicate=world.visited, object=world.indonesia, spans=[])
    response = reviewer_client.post(f"/api/v1/claims/{bare.pk}/publish/")
    assert response.status_code == 400
    assert response.json() == {"status": ["A published claim needs at least one source span as evidence."]}


def test_claim_curator_cannot_edit_a_published_claim(curator_client, world):
    response = curator_client.patch(f"/api/v1/claims/{world.published.pk}/", {"confidence": "low"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only reviewers may change a published claim."}


def test_claim_curator_cannot_replace_the_spans_of_a_published_claim(curator_client, world):
    before = list(world.published.spans.values_list("start", "end"))
    response = curator_client.patch(
        f"/api/v1/claims/{world.published.pk}/",
        {"spans": [{"document": world.document.pk, "exact": "Indonesia and Laos"}]},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only reviewers may change a published claim."}
    assert list(world.published.spans.values_list("start", "end")) == before


def test_claim_reviewer_replaces_the_spans_of_a_published_claim(reviewer_client, world):
    response = reviewer_client.patch(
        f"/api/v1/claims/{world.published.pk}/",
        {"spans": [{"document": world.document.pk, "exact": "Indonesia and Laos"}]},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], [s["exact"] for s in response.json()["spans"]]) == (
        "published",
        ["Indonesia and Laos"],
    )


def test_claim_curator_cannot_publish_or_reject(curator_client, world):
    published = curator_client.post(f"/api/v1/claims/{world.draft.pk}/publish/")
    rejected = curator_client.post(f"/api/v1/claims/{world.draft.pk}/reject/", {}, format="json")
    assert [(r.status_code, r.json()) for r in (published, rejected)] == [
        (403, {"detail": "Only reviewers may publish or reject claims."}),
        (403, {"detail": "Only reviewers may publish or reject claims."}),
    ]
    assert Claim.objects.get(pk=world.draft.pk).status == "draft"


def test_claim_delete_draft_is_204_published_is_409(curator_client, world):
    assert curator_client.delete(f"/api/v1/claims/{world.draft.pk}/").status_code == 204
    response = curator_client.delete(f"/api/v1/claims/{world.published.pk}/")
    assert response.status_code == 409
    assert response.json() == {"detail": "A published claim cannot be deleted; reject it instead."}


def test_event_with_claims_cannot_be_deleted(curator_client, world):
    assert curator_client.delete(f"/api/v1/events/{world.visit.pk}/").status_code == 409
    assert Event.objects.filter(pk=world.visit.pk).exists()


def test_document_create_on_a_second_document_keeps_ids_separate(curator_client, db):
    first = DocumentFactory()
    response = post(curator_client, "/api/v1/documents/", {"title": "Second", "text": "Another text."})
    assert response.status_code == 201
    assert response.json()["id"] != first.pk
