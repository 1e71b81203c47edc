"""`?format=csv` on every endpoint that serves it: flattening, and a header and the text/csv
media type on every answer, empty or not."""

import pytest
from django.db import connection
from django.urls import URLResolver, get_resolver

from api.renderers import CSVRenderer
from api.urls import router
from factbase.enums import JobKind
from factbase.indexes import changes
from factbase.models import Claim, Contradiction, Fact, Predicate
from factbase.services.jobs import job_start
from tests.api.helpers import csv_rows
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


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


# --- every CSV answer, empty or not, has its header and text/csv -------------------------------
#
# Routes that can answer with no rows (lists, suggestions, a timeline, accepted mentions, the
# export) are tested empty and not; routes that answer one object are tested once. A new route
# that serves CSV must be added here (test_every_csv_route_is_tested_here).

LISTS = {f"{basename}-list": prefix for prefix, _, basename in router.registry}
ENTITY_BASENAMES = {"entity": "entities", "person": "people", "organisation": "organisations", "event": "events"}
ENTITY_BASENAMES_ALL = {**ENTITY_BASENAMES, "country": "countries"}
CAN_BE_EMPTY = {
    *LISTS,
    "document-suggestions",
    "document-suggestions-accept",
    "entity-timeline",
    "changes",
    "export-claims-csv",  # empty and not: tests/api/test_exports.py
}
ONE_OBJECT = {
    "api-root",
    *(f"{basename}-detail" for _, _, basename in router.registry),
    "claim-publish",
    "claim-reject",
    "claim-submit",
    "claim-rank",
    "claim-send-back",
    *(f"document-{step}" for step in ("take", "release", "assign", "submit", "done", "reopen")),
    "fact-split",
    "fact-join",
    "fact-rank",
    "contradiction-resolve",
    *(f"job-{action}" for action in ("cancel", "suggestion-scans", "index-rebuilds", "fact-regroups")),
    "document-suggestions-reject",
    "imports",
    "document-revise",
    *(f"{basename}-{step}" for basename in ENTITY_BASENAMES_ALL for step in ("merge", "unmerge")),
}
CSV = "text/csv; charset=utf-8"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern


def test_every_csv_route_is_tested_here():
    serving_csv = {
        pattern.name
        for pattern in _routes(get_resolver().url_patterns)
        if hasattr(pattern.callback, "cls")
        if any(
            issubclass(renderer, CSVRenderer) for renderer in getattr(pattern.callback, "cls", None).renderer_classes
        )
    }
    assert serving_csv == CAN_BE_EMPTY | ONE_OBJECT


def lines(response) -> list[str]:
    assert response["Content-Type"] == CSV
    return response.content.decode().split("\r\n")


@pytest.mark.parametrize(("prefix", "viewset"), [(prefix, viewset) for prefix, viewset, _ in router.registry])
def test_an_empty_list_is_its_header(curator_client, prefix, viewset):
    query = {"format": "csv"}
    Predicate.objects.all().delete()  # the vocabulary the migrations install
    response = curator_client.get(f"/api/v1/{prefix}/", query)
    assert response.status_code == 200
    assert lines(response) == [",".join(viewset.serializer_class().fields), ""]


def test_suggestions_as_csv_empty_and_not(curator_client):
    document = DocumentFactory(text=TEXT)
    url = f"/api/v1/documents/{document.pk}/suggestions/"
    empty = curator_client.get(url, {"format": "csv"})
    assert (empty.status_code, lines(empty)) == (
        200,
        ["key,entity,start,end,exact,prefix,suffix,matched,ambiguous", ""],
    )

    lavrov = PersonFactory(name="Sergei Lavrov")
    response = curator_client.get(url, {"format": "csv"})

    assert lines(response)[0] == (
        "key,entity.id,entity.kind,entity.name,start,end,exact,prefix,suffix,matched,ambiguous"
    )
    assert [row["entity.id"] for row in csv_rows(response)] == [str(lavrov.pk)]


def test_accepted_mentions_as_csv_empty_and_not(curator_client):
    document = DocumentFactory(text=TEXT)
    lavrov = PersonFactory(name="Sergei Lavrov")
    (key,) = [
        item["key"] for item in curator_client.get(f"/api/v1/documents/{document.pk}/suggestions/").json()["results"]
    ]
    url = f"/api/v1/documents/{document.pk}/suggestions/accept/?format=csv"

    accepted = curator_client.post(url, {"keys": [key]}, format="json")
    again = curator_client.post(url, {"keys": [key]}, format="json")  # already recorded: nothing new

    assert accepted.status_code == 201
    assert [row["entity.id"] for row in csv_rows(accepted)] == [str(lavrov.pk)]
    assert (again.status_code, lines(again)) == (201, ["id,entity,start,end,exact", ""])


def test_timeline_as_csv_empty_and_not(api_client):
    person = PersonFactory()
    url = f"/api/v1/entities/{person.pk}/timeline/"
    assert lines(api_client.get(url, {"format": "csv"})) == ["type,id,date,date_source,label,roles", ""]
    claim = ClaimFactory(subject=person, published=True)
    assert [row["id"] for row in csv_rows(api_client.get(url, {"format": "csv"}))] == [str(claim.pk)]


def test_changes_as_csv_empty_and_not(api_client):
    changes.stamp_at_each_statement(connection)
    latest = api_client.get("/api/v1/changes/").json()["latest"]
    url = f"/api/v1/changes/?after={latest}"
    assert lines(api_client.get(url, {"format": "csv"})) == ["cursor,at,action,type,id,url,merged_into", ""]
    person = PersonFactory()
    assert [(row["action"], row["type"], row["id"]) for row in csv_rows(api_client.get(url, {"format": "csv"}))] == [
        ("create", "entity", str(person.pk))
    ]


@pytest.mark.parametrize(("prefix", "viewset"), [(prefix, viewset) for prefix, viewset, _ in router.registry])
def test_a_detail_is_one_row(curator, curator_client, prefix, viewset):
    claim = ClaimFactory(published=True, event=EventFactory())
    fact = Fact.objects.create(sources=1)
    Claim.objects.filter(pk=claim.pk).update(fact=fact)
    contradiction = Contradiction.objects.create(fact=fact, other=Fact.objects.create(), kind="polarity")
    key = (
        claim.predicate.slug
        if prefix == "predicates"
        else {
            "claims": claim.pk,
            "documents": claim.spans.get().document_id,
            "people": claim.subject_id,
            "entities": claim.subject_id,
            "events": claim.event_id,
            "organisations": OrganisationFactory().pk,
            "countries": CountryFactory().pk,
            "facts": fact.pk,
            "contradictions": contradiction.pk,
            "jobs": job_start(kind=JobKind.SUGGESTION_SCAN, by=curator).pk,
        }[prefix]
    )
    response = curator_client.get(f"/api/v1/{prefix}/{key}/", {"format": "csv"})
    assert response.status_code == 200
    assert [row.get("id", row.get("slug")) for row in csv_rows(response)] == [
        str(claim.predicate.id if prefix == "predicates" else key)
    ]
    assert lines(response)[0].startswith("id,")


def test_the_root_is_one_row(api_client, db):
    assert (
        csv_rows(api_client.get("/api/v1/", {"format": "csv"}))[0]["claims"]
        == "http://testserver/api/v1/claims/?format=csv"
    )


@pytest.mark.parametrize("step", ["submit", "publish", "reject"])
def test_a_claim_action_answers_one_row(reviewer_client, step):
    claim = ClaimFactory(status="in_review" if step != "submit" else "draft")
    client = reviewer_client
    response = client.post(f"/api/v1/claims/{claim.pk}/{step}/?format=csv", {}, format="json")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in csv_rows(response)] == [str(claim.pk)]
    assert lines(response)[0].startswith("id,uid,")


@pytest.mark.parametrize("prefix", ENTITY_BASENAMES.values())
def test_a_merge_its_redirect_and_its_undoing_answer_one_row(reviewer_client, prefix):
    survivor, loser = {
        "entities": (PersonFactory, PersonFactory),
        "people": (PersonFactory, PersonFactory),
        "organisations": (OrganisationFactory, OrganisationFactory),
        "events": (EventFactory, EventFactory),
    }[prefix]
    survivor, loser = survivor(), loser()
    loser_pk = loser.pk

    merged = reviewer_client.post(
        f"/api/v1/{prefix}/{loser_pk}/merge/?format=csv", {"into": survivor.pk}, format="json"
    )
    redirect = reviewer_client.get(f"/api/v1/{prefix}/{loser_pk}/", {"format": "csv"})
    undone = reviewer_client.post(f"/api/v1/{prefix}/{loser_pk}/unmerge/?format=csv", {}, format="json")

    assert [row["id"] for row in csv_rows(merged)] == [str(survivor.pk)]
    assert (redirect.status_code, csv_rows(redirect)) == (
        308,
        [{"detail": f"Entity {loser_pk} was merged into entity {survivor.pk}.", "merged_into": str(survivor.pk)}],
    )
    assert [row["id"] for row in csv_rows(undone)] == [str(loser_pk)]


def test_rejected_suggestions_and_a_revision_answer_one_row(curator_client):
    document = DocumentFactory(text=TEXT)
    PersonFactory(name="Sergei Lavrov")
    (key,) = [
        item["key"] for item in curator_client.get(f"/api/v1/documents/{document.pk}/suggestions/").json()["results"]
    ]

    rejected = curator_client.post(
        f"/api/v1/documents/{document.pk}/suggestions/reject/?format=csv", {"keys": [key]}, format="json"
    )
    revised = curator_client.post(
        f"/api/v1/documents/{document.pk}/revise/?format=csv", {"text": TEXT + " More."}, format="json"
    )

    assert lines(rejected) == ["rejected", "1", ""]
    assert (revised.status_code, lines(revised)[0].split(",")[:2]) == (201, ["previous", "document"])


def test_a_delete_answers_no_body(curator_client):
    person = PersonFactory()
    response = curator_client.delete(f"/api/v1/people/{person.pk}/?format=csv")
    assert (response.status_code, response.content) == (204, b"")
