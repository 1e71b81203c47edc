"""The curation queues through the API: a document's `curation_state` and `assignee`, the
`curation_state=` and `assignee=` filters, the steps as actions (take, release, assign,
submit, done, reopen), a claim's `send-back`, and the review queue as
`claims/?status=in_review&document=…&ordering=created`."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factbase.models import Claim, Document
from factbase.services.suggestions import matcher_invalidate
from tests.api.helpers import body
from tests.factories import ClaimFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matcher_invalidate()
    yield
    matcher_invalidate()


def queue_fields(response) -> dict:
    data = body(response)
    return {"curation_state": data["curation_state"], "assignee": data["assignee"]}


# ---------------------------------------------------------------- fields and filters


def test_documents_show_their_state_and_curator_to_curators_only(curator, curator_client, api_client):
    document = DocumentFactory(in_curation=True, assignee=curator)

    mine = curator_client.get(f"/api/v1/documents/{document.pk}/")
    public = api_client.get(f"/api/v1/documents/{document.pk}/")
    listed = curator_client.get("/api/v1/documents/")

    assert queue_fields(mine) == {
        "curation_state": "in_curation",
        "assignee": {"id": curator.pk, "username": "curator-1"},
    }
    # Who curates what is not shown to the public; where the document stands is.
    assert queue_fields(public) == {"curation_state": "in_curation", "assignee": None}
    assert [(row["id"], row["curation_state"], row["assignee"]) for row in body(listed)["results"]] == [
        (document.pk, "in_curation", {"id": curator.pk, "username": "curator-1"})
    ]


def test_documents_filter_by_state_and_assignee(curator, curator_client):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    new = DocumentFactory()
    mine = DocumentFactory(in_curation=True, assignee=curator)
    theirs = DocumentFactory(in_curation=True, assignee=other)
    done = DocumentFactory(done=True)

    def ids(query):
        response = curator_client.get(f"/api/v1/documents/?{query}&ordering=id")
        assert response.status_code == 200, body(response)
        return [row["id"] for row in body(response)["results"]]

    assert ids("curation_state=in_curation") == [mine.pk, theirs.pk]
    assert ids("curation_state=done") == [done.pk]
    assert ids("assignee=me") == [mine.pk]
    assert ids(f"assignee={other.pk}") == [theirs.pk]
    assert ids("assignee=none") == [new.pk, done.pk]
    assert ids("assignee=none&curation_state=new") == [new.pk]


def test_documents_filters_refuse_what_means_nothing(curator_client, api_client):
    state = curator_client.get("/api/v1/documents/?curation_state=finished")
    assignee = curator_client.get("/api/v1/documents/?assignee=alice")

    assert (state.status_code, assignee.status_code) == (400, 400)
    assert body(assignee) == {"assignee": ["Give a user's id, `me` or `none`."]}
    assert list(body(state)) == ["curation_state"]
    # Anonymous clients hold nothing.
    DocumentFactory(in_curation=True, assignee=UserFactory(username="curator-2"))
    assert body(api_client.get("/api/v1/documents/?assignee=me"))["results"] == []


def test_documents_assignee_naming_no_user_is_refused(curator_client):
    unknown = curator_client.get("/api/v1/documents/?assignee=987654")

    assert unknown.status_code == 400
    assert body(unknown) == {"assignee": ["No user has the id 987654."]}


def test_documents_assignee_filter_shows_the_public_nobody_holding_anything(api_client):
    """The public sees `"assignee": null` on every document, and the filter agrees: it does not
    tell who holds what."""
    holder = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    held = DocumentFactory(in_curation=True, assignee=holder)
    free = DocumentFactory()

    def ids(query):
        response = api_client.get(f"/api/v1/documents/?{query}&ordering=id")
        assert response.status_code == 200, body(response)
        return [row["id"] for row in body(response)["results"]]

    assert ids(f"assignee={holder.pk}") == []
    assert ids("assignee=none") == [held.pk, free.pk]
    assert ids("assignee=987654") == []  # nor which user ids exist


# ---------------------------------------------------------------- the steps


def test_a_document_goes_through_the_queue(curator, reviewer, curator_client, reviewer_client):
    document = DocumentFactory()
    claim = ClaimFactory(spans__document=document, in_review=True)

    taken = curator_client.post(f"/api/v1/documents/{document.pk}/take/")
    submitted = curator_client.post(f"/api/v1/documents/{document.pk}/submit/")
    early = reviewer_client.post(f"/api/v1/documents/{document.pk}/done/")
    reviewer_client.post(f"/api/v1/claims/{claim.pk}/publish/")
    done = reviewer_client.post(f"/api/v1/documents/{document.pk}/done/")
    reopened = reviewer_client.post(f"/api/v1/documents/{document.pk}/reopen/")

    assert queue_fields(taken) == {
        "curation_state": "in_curation",
        "assignee": {"id": curator.pk, "username": "curator-1"},
    }
    assert queue_fields(submitted)["curation_state"] == "ready_for_review"
    assert (early.status_code, body(early)) == (
        409,
        {"detail": "1 claim is still in review or a draft: publish or reject every claim first."},
    )
    assert queue_fields(done)["curation_state"] == "done"
    assert queue_fields(reopened) == {
        "curation_state": "in_curation",
        "assignee": {"id": curator.pk, "username": "curator-1"},
    }


def test_steps_refused_say_why(curator, curator_client):
    other = UserFactory(username="curator-2", is_staff=True, groups=["curators"])
    document = DocumentFactory(in_curation=True, assignee=other)
    draft = DocumentFactory(in_curation=True, assignee=curator)
    ClaimFactory(spans__document=draft)

    taken = curator_client.post(f"/api/v1/documents/{document.pk}/take/")
    released = curator_client.post(f"/api/v1/documents/{document.pk}/release/")
    done = curator_client.post(f"/api/v1/documents/{document.pk}/done/")
    submitted = curator_client.post(f"/api/v1/documents/{draft.pk}/submit/")

    assert (taken.status_code, body(taken)) == (
        409,
        {"detail": "curator-2 is curating this document: they release it, or a reviewer assigns it to someone else."},
    )
    assert (released.status_code, body(released)) == (
        403,
        {"detail": "curator-2 holds this document: only they, or a reviewer, release it."},
    )
    assert (done.status_code, body(done)) == (
        403,
        {"detail": "Only reviewers may mark documents done or send them back to curation."},
    )
    assert (submitted.status_code, body(submitted)) == (
        409,
        {"detail": "1 claim is a draft: submit them for review, or delete them."},
    )
    assert Document.objects.get(pk=document.pk).assignee == other


def test_steps_refuse_anonymous_clients(api_client):
    document = DocumentFactory()
    response = api_client.post(f"/api/v1/documents/{document.pk}/take/")
    assert response.status_code == 401
    assert Document.objects.get(pk=document.pk).curation_state == "new"


def test_assign_takes_a_curators_id(curator, reviewer_client, curator_client):
    document = DocumentFactory()

    by_curator = curator_client.post(
        f"/api/v1/documents/{document.pk}/assign/", {"assignee": curator.pk}, format="json"
    )
    missing = reviewer_client.post(f"/api/v1/documents/{document.pk}/assign/", {}, format="json")
    unknown = reviewer_client.post(f"/api/v1/documents/{document.pk}/assign/", {"assignee": 10**12}, format="json")
    reader = UserFactory(username="reader-1")
    not_curator = reviewer_client.post(
        f"/api/v1/documents/{document.pk}/assign/", {"assignee": reader.pk}, format="json"
    )
    assigned = reviewer_client.post(f"/api/v1/documents/{document.pk}/assign/", {"assignee": curator.pk}, format="json")

    assert by_curator.status_code == 403
    assert (missing.status_code, body(missing)) == (400, {"assignee": ["This field is required."]})
    assert (unknown.status_code, body(unknown)) == (400, {"assignee": [f"No user has id {10**12}."]})
    assert (not_curator.status_code, body(not_curator)) == (
        400,
        {"assignee": ["Assign the document to an active curator."]},
    )
    assert queue_fields(assigned) == {
        "curation_state": "in_curation",
        "assignee": {"id": curator.pk, "username": "curator-1"},
    }


# ---------------------------------------------------------------- claims: the review queue and sending back


def test_send_back_returns_a_claim_with_its_note(curator, reviewer_client, curator_client):
    document = DocumentFactory(ready_for_review=True, assignee=curator)
    claim = ClaimFactory(spans__document=document, in_review=True)

    sent = reviewer_client.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": "Check the date."}, format="json")
    again = reviewer_client.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": "Again."}, format="json")
    empty = reviewer_client.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": ""}, format="json")
    by_curator = curator_client.post(f"/api/v1/claims/{claim.pk}/send-back/", {"note": "x"}, format="json")

    assert (sent.status_code, body(sent)["status"], body(sent)["review_note"]) == (200, "draft", "Check the date.")
    assert body(curator_client.get(f"/api/v1/claims/{claim.pk}/"))["review_note"] == "Check the date."
    assert (again.status_code, body(again)) == (
        409,
        {"detail": "Only a claim in review can be sent back; this one is draft."},
    )
    assert (empty.status_code, body(empty)) == (400, {"note": ["This field may not be blank."]})
    assert (by_curator.status_code, body(by_curator)) == (
        403,
        {"detail": "Only reviewers may publish or reject claims."},
    )
    assert Document.objects.get(pk=document.pk).curation_state == "in_curation"


def test_the_review_queue_is_the_claims_in_review_oldest_first(reviewer_client):
    document, elsewhere = DocumentFactory(), DocumentFactory()
    now = timezone.now()
    newer = ClaimFactory(spans__document=document, in_review=True, created=now)
    older = ClaimFactory(spans__document=document, in_review=True, created=now - datetime.timedelta(days=1))
    ClaimFactory(spans__document=document, published=True, created=now - datetime.timedelta(days=2))
    ClaimFactory(spans__document=elsewhere, in_review=True, created=now - datetime.timedelta(days=3))

    response = reviewer_client.get(f"/api/v1/claims/?status=in_review&document={document.pk}&ordering=created")

    assert [row["id"] for row in body(response)["results"]] == [older.pk, newer.pk]
    assert Claim.objects.filter(status="in_review").count() == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans: PostgreSQL plans by its statistics")
def test_the_review_queue_walks_its_index(reviewer_client):
    """claims/?status=in_review&ordering=created reads the page's ids from (status, created,
    id) in order: the few claims in review, not a walk of every claim by date."""
    for _ in range(3):
        ClaimFactory(in_review=True)
        ClaimFactory(published=True)
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get("/api/v1/claims/?status=in_review&ordering=created")
    assert body(response)["count"] == 3
    (sql,) = [q["sql"] for q in queries.captured_queries if 'ORDER BY "factbase_claim"."created"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert plan == "SEARCH factbase_claim USING COVERING INDEX claim_status_created (status=?)"
