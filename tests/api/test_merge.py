"""Merging through the API: who may, what is refused, the redirect a merged id answers with,
merged ids in every entity filter, and undoing a merge, which leaves every answer as it was."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from factbase.models import Entity, EntityMerge, Person, RejectedSuggestion
from factbase.services.entities import entity_merge
from tests.api.conftest import ids
from tests.api.helpers import body as json_body
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    EventParticipantFactory,
    IdentifierFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db

KIND_PATHS = {"person": "people", "country": "countries", "organisation": "organisations", "event": "events"}


@pytest.fixture
def administrator_client(administrator):
    client = APIClient()
    client.force_authenticate(administrator)
    return client


def body(response):
    """The JSON of an answer; a JSON Lines export as a list."""
    if response.get("Content-Type", "").startswith("application/x-ndjson"):
        return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    if response.get("Content-Type", "").startswith("text/csv"):
        return b"".join(response.streaming_content).decode().splitlines()[1:]  # the rows, not the header
    return json_body(response)


def merge(client, loser, into, path="entities"):
    return client.post(f"/api/v1/{path}/{loser.pk}/merge/", {"into": into}, format="json")


def duplicate_of_lavrov(world):
    """A busy duplicate of Lavrov: aliases, an identifier, roles, participations, mentions
    (one at the same characters as Lavrov's), claims as subject, object and attribution."""
    dup = PersonFactory(name="S. V. Lavrov", slug="s-v-lavrov", nationality=world.russia, wikidata_qid="Q80510")
    AliasFactory(entity=dup, name="Lavrov")  # Lavrov has it too
    AliasFactory(entity=dup, name="Сергей Лавров", language="ru")
    IdentifierFactory(entity=dup, value="lavrov-viaf")
    RoleFactory(person=dup, organisation=world.asean, title="Envoy")
    RoleFactory(person=dup, organisation=None, title="Diplomat")
    EventParticipantFactory(event=world.visit, entity=dup, role="visitor")  # as Lavrov
    EventParticipantFactory(event=world.brunei, entity=dup, role="attendee")
    MentionFactory(document=world.document, entity=world.lavrov, quote="Sergei Lavrov")
    MentionFactory(document=world.document, entity=dup, quote="Sergei Lavrov")  # the same characters
    MentionFactory(document=world.other_document, entity=dup, quote="Nothing")
    RejectedSuggestion.objects.create(document=world.other_document, entity=dup, start=0, end=7)
    met = ClaimFactory(subject=dup, predicate=world.met_with, object=world.streltsov, status="published", spans=[])
    SourceSpanFactory(claim=met, document=world.document, quote="He met with the leaders")
    ClaimFactory(subject=world.streltsov, predicate=world.met_with, object=dup, spans__document=world.document)
    ClaimFactory(
        subject=world.streltsov, predicate=world.said, object=None, attributed_to=dup, event=world.visit, published=True
    )
    return dup


# ---------------------------------------------------------------- who may merge


def test_merge_is_refused_to_anonymous_clients_and_curators(api_client, curator_client, world):
    dup = PersonFactory(name="Lavrov, S.")
    assert merge(api_client, dup, world.lavrov.pk).status_code == 401
    response = merge(curator_client, dup, world.lavrov.pk, path="people")
    assert (response.status_code, response.json()) == (403, {"detail": "Only reviewers may merge duplicate people."})
    assert Entity.objects.filter(pk=dup.pk).exists()


@pytest.mark.parametrize("path", ["entities", "people"])
def test_a_reviewer_merges_and_gets_the_survivor(reviewer_client, world, path):
    dup = PersonFactory(name="Lavrov, S.")
    response = merge(reviewer_client, dup, world.lavrov.pk, path=path)
    assert response.status_code == 200, response.content
    assert response.json() == reviewer_client.get(f"/api/v1/{path}/{world.lavrov.pk}/").json()
    assert "Lavrov, S." in [alias["name"] for alias in response.json()["aliases"]]
    assert not Entity.objects.filter(pk=dup.pk).exists()
    assert EntityMerge.objects.get(merged_id=dup.pk).survivor_id == world.lavrov.pk


def test_countries_are_merged_by_staff_administrators_only_even_through_entities(
    reviewer_client, administrator_client, world
):
    for path in ("entities", "countries"):
        response = merge(reviewer_client, world.indonesia, world.russia.pk, path=path)
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "Only staff administrators may merge countries."},
        )
    assert merge(administrator_client, world.indonesia, world.russia.pk, path="countries").status_code == 200


# ---------------------------------------------------------------- refusals


def bad_into(world):
    merged = PersonFactory(name="Gone")
    merged_pk = merged.pk
    entity_merge(survivor=world.streltsov, loser=merged)
    return [
        ({}, {"into": ["This field is required."]}),
        ({"into": "abc"}, {"into": ["Give the id as a number, not str."]}),
        ({"into": 1.5}, {"into": ["Give the id as a number, not float."]}),
        ({"into": True}, {"into": ["Give the id as a number, not bool."]}),
        ({"into": 2**70}, {"into": [f"No entity has id {2**70}."]}),
        ({"into": 10**9}, {"into": [f"No entity has id {10**9}."]}),
        ({"into": world.lavrov.pk}, {"into": ["Pick two different entities to merge."]}),
        ({"into": world.russia.pk}, {"into": ["Cannot merge a person into a country."]}),
        (
            {"into": merged_pk},
            {"into": [f"Entity {merged_pk} was merged into entity {world.streltsov.pk}; give {world.streltsov.pk}."]},
        ),
    ]


def test_bad_into_is_a_400_saying_why_and_changes_nothing(reviewer_client, world):
    for data, errors in bad_into(world):
        response = reviewer_client.post(f"/api/v1/entities/{world.lavrov.pk}/merge/", data, format="json")
        assert (response.status_code, response.json()) == (400, errors), data
    assert Person.objects.filter(pk=world.lavrov.pk).exists()
    assert EntityMerge.objects.count() == 1  # the one bad_into made


def test_merging_an_entity_that_is_not_there_is_a_404(reviewer_client, world):
    dup = PersonFactory()
    dup_pk = dup.pk
    entity_merge(survivor=world.lavrov, loser=dup)
    response = reviewer_client.post(f"/api/v1/people/{dup_pk}/merge/", {"into": world.lavrov.pk}, format="json")
    assert response.status_code == 404
    assert merge(reviewer_client, world.russia, world.lavrov.pk, path="people").status_code == 404  # not a person


# ---------------------------------------------------------------- the redirect


@pytest.mark.parametrize("kind", ["person", "country", "organisation", "event"])
def test_a_merged_id_redirects_to_the_survivor_on_its_kinds_path_and_on_entities(api_client, world, kind):
    survivor = {"person": world.lavrov, "country": world.russia, "organisation": world.mfa, "event": world.visit}[kind]
    loser = {
        "person": world.streltsov,
        "country": world.indonesia,
        "organisation": world.asean,
        "event": world.brunei,
    }[kind]
    loser_pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)

    for path in (KIND_PATHS[kind], "entities"):
        response = api_client.get(f"/api/v1/{path}/{loser_pk}/?format=json")
        assert response.status_code == 308
        assert response["Location"] == f"http://testserver/api/v1/{path}/{survivor.pk}/?format=json"
        assert response.json() == {
            "detail": f"Entity {loser_pk} was merged into entity {survivor.pk}.",
            "merged_into": survivor.pk,
        }
        assert api_client.get(response["Location"]).status_code == 200
    other_path = "countries" if kind != "country" else "people"
    assert api_client.get(f"/api/v1/{other_path}/{loser_pk}/").status_code == 404


def test_a_merged_ids_timeline_redirects_to_the_survivors(api_client, world):
    streltsov_pk = world.streltsov.pk
    entity_merge(survivor=world.lavrov, loser=world.streltsov)
    response = api_client.get(f"/api/v1/entities/{streltsov_pk}/timeline/", {"page_size": 2})
    assert (response.status_code, response["Location"]) == (
        308,
        f"http://testserver/api/v1/entities/{world.lavrov.pk}/timeline/?page_size=2",
    )
    assert response.json()["merged_into"] == world.lavrov.pk


def test_an_id_never_used_is_still_a_404(api_client, world):
    assert api_client.get("/api/v1/entities/999999999/").status_code == 404
    assert api_client.get("/api/v1/entities/999999999/timeline/").status_code == 404


def test_a_chain_of_merges_redirects_in_one_hop(api_client, world):
    a, b = PersonFactory(name="A"), PersonFactory(name="B")
    a_pk, b_pk = a.pk, b.pk
    entity_merge(survivor=b, loser=a)
    entity_merge(survivor=world.lavrov, loser=b)
    for pk in (a_pk, b_pk):
        response = api_client.get(f"/api/v1/people/{pk}/")
        assert (response.status_code, response.json()["merged_into"]) == (308, world.lavrov.pk)


# ---------------------------------------------------------------- merged ids in filters


def filter_cases(w):
    """(path, parameter, merged id, survivor id): every filter that takes an entity id."""
    ids = w.ids
    return [
        ("claims", "subject", ids["dup"], ids["lavrov"]),
        ("claims", "object", ids["dup"], ids["lavrov"]),
        ("claims", "entity", ids["dup"], ids["lavrov"]),
        ("claims", "attributed_to", ids["dup"], ids["lavrov"]),
        ("claims", "event", ids["brunei"], ids["visit"]),
        ("events", "participant", ids["dup"], ids["lavrov"]),
        ("events", "country", ids["russia_dup"], ids["russia"]),
        ("people", "nationality", ids["russia_dup"], ids["russia"]),
        ("people", "organisation", ids["asean"], ids["mfa"]),
        ("organisations", "country", ids["russia_dup"], ids["russia"]),
        ("exports/claims.jsonl", "subject", ids["dup"], ids["lavrov"]),
        ("exports/claims.csv", "event", ids["brunei"], ids["visit"]),
    ]


@pytest.fixture
def merged_world(world):
    from tests.factories import CountryFactory, EventFactory

    world.dup = duplicate_of_lavrov(world)
    world.russia_dup = CountryFactory(
        name="Russian Federation", slug="russian-federation", iso_alpha2="", iso_alpha3=""
    )
    PersonFactory(nationality=world.russia_dup)
    OrganisationFactory(country=world.russia_dup)
    EventFactory(location_country=world.russia_dup)
    ClaimFactory(subject=world.lavrov, event=world.brunei, published=True)
    names = ("dup", "lavrov", "brunei", "visit", "russia_dup", "russia", "asean", "mfa")
    world.ids = {name: getattr(world, name).pk for name in names}
    for loser, survivor in (("dup", "lavrov"), ("brunei", "visit"), ("russia_dup", "russia"), ("asean", "mfa")):
        entity_merge(survivor=getattr(world, survivor), loser=getattr(world, loser))
    return world


def test_every_entity_filter_answers_a_merged_id_as_its_survivors(reviewer_client, merged_world):
    answers, expected = {}, {}
    for path, name, merged, survivor in filter_cases(merged_world):
        for page in ({}, {"page_size": 1, "page": 2}) if not path.startswith("exports/") else ({},):
            key = (path, name, tuple(page))
            url = f"/api/v1/{path}" if path.startswith("exports/") else f"/api/v1/{path}/"
            as_merged, as_survivor = (reviewer_client.get(url, {name: pk, **page}) for pk in (merged, survivor))
            answers[key] = (as_merged.status_code, without_links(body(as_merged)))
            expected[key] = (as_survivor.status_code, without_links(body(as_survivor)))
            if not page:  # something to compare
                assert expected[key][0] == 200 and expected[key][1] not in ([], {}), key
                assert expected[key][1] != {"count": 0, "results": []}, key
    assert answers == expected


def without_links(data):
    """A page's `next` and `previous` links repeat the query as given (the merged id)."""
    return (
        {key: value for key, value in data.items() if key not in ("next", "previous")}
        if isinstance(data, dict)
        else data
    )


def test_a_merged_id_of_another_kind_is_still_refused(api_client, merged_world):
    dup = merged_world.ids["dup"]
    response = api_client.get("/api/v1/claims/", {"event": dup})
    assert response.status_code == 400
    assert response.json() == {"event": [f"Entity {dup} is a person; this filter takes the id of a event."]}


def test_a_merged_id_costs_queries_only_when_given(api_client, merged_world, django_assert_num_queries):
    lavrov, dup = merged_world.ids["lavrov"], merged_world.ids["dup"]
    with CaptureQueriesContext(connection) as survivor_queries:
        assert api_client.get("/api/v1/claims/", {"subject": lavrov}).status_code == 200
    # The same request with the merged id: an empty page (its ids), the reference check that
    # finds the merge (one query), then the survivor's page.
    with django_assert_num_queries(len(survivor_queries) + 2):
        assert api_client.get("/api/v1/claims/", {"subject": dup}).status_code == 200


# ---------------------------------------------------------------- undoing a merge


def test_unmerge_is_refused_to_curators_and_404_without_a_record(
    curator_client, reviewer_client, administrator_client, world
):
    dup = PersonFactory(name="Dup")
    dup_pk = dup.pk
    entity_merge(survivor=world.lavrov, loser=dup)
    assert curator_client.post(f"/api/v1/entities/{dup_pk}/unmerge/").status_code == 403
    assert APIClient().post(f"/api/v1/entities/{dup_pk}/unmerge/").status_code == 401
    response = reviewer_client.post(f"/api/v1/entities/{world.lavrov.pk}/unmerge/")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"No merge of entity {world.lavrov.pk} is recorded."},
    )
    assert administrator_client.post(f"/api/v1/countries/{dup_pk}/unmerge/").status_code == 404  # not a country's


def test_unmerge_that_cannot_be_exact_is_a_400_saying_why(reviewer_client, world):
    dup = PersonFactory(name="Dup")
    claim = ClaimFactory(subject=dup)
    dup_pk = dup.pk
    entity_merge(survivor=world.lavrov, loser=dup)
    ClaimFactory._meta.model.objects.filter(pk=claim.pk).update(subject=world.streltsov)

    response = reviewer_client.post(f"/api/v1/people/{dup_pk}/unmerge/")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            f"Cannot undo the merge of Dup (#{dup_pk}) exactly: what referred to it has since been deleted or "
            f"changed to refer to another entity than Sergei Lavrov (#{world.lavrov.pk}): 1 claim (#{claim.pk})."
        ]
    }
    assert EntityMerge.objects.filter(merged_id=dup_pk).exists()


def recorded_answers(client, world, entities) -> dict:
    """Every answer that shows the entities involved: their details on each path, timelines,
    the lists filtered by them, the claims, events and documents that name them."""
    paths = []
    for entity in entities:
        kind_path = KIND_PATHS[entity.kind]
        paths += [
            f"/api/v1/{kind_path}/{entity.pk}/",
            f"/api/v1/entities/{entity.pk}/",
            f"/api/v1/entities/{entity.pk}/timeline/",
            f"/api/v1/claims/?subject={entity.pk}",
            f"/api/v1/claims/?object={entity.pk}",
            f"/api/v1/claims/?entity={entity.pk}",
            f"/api/v1/claims/?attributed_to={entity.pk}",
            f"/api/v1/events/?participant={entity.pk}",
            f"/api/v1/exports/claims.jsonl?entity={entity.pk}",
        ]
    paths += [f"/api/v1/claims/{pk}/" for pk in world.claim_ids]
    paths += [
        f"/api/v1/events/{world.visit.pk}/",
        f"/api/v1/events/{world.brunei.pk}/",
        f"/api/v1/organisations/{world.asean.pk}/",
        f"/api/v1/people/?organisation={world.asean.pk}",
        "/api/v1/people/?q=lavrov",
        "/api/v1/entities/?q=lavrov",
        f"/api/v1/documents/{world.document.pk}/",
        f"/api/v1/documents/{world.document.pk}/annotations/",
        f"/api/v1/documents/{world.other_document.pk}/suggestions/",
        "/api/v1/exports/popolo/",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        answers[path] = (response.status_code, response.get("ETag"), body(response))
    return answers


def test_merge_then_unmerge_leaves_every_answer_as_it_was(reviewer_client, world):
    dup = duplicate_of_lavrov(world)
    world.claim_ids = sorted(
        set(world.lavrov.claims_as_subject.values_list("pk", flat=True))
        | set(dup.claims_as_subject.values_list("pk", flat=True))
        | set(dup.claims_as_object.values_list("pk", flat=True))
        | set(dup.claims_attributed.values_list("pk", flat=True))
    )
    before = recorded_answers(reviewer_client, world, [world.lavrov, dup])
    assert all(status == 200 for status, _, _ in before.values()), {p: a[0] for p, a in before.items()}

    merged = reviewer_client.post(f"/api/v1/people/{world.lavrov.pk}/merge/", {"into": dup.pk}, format="json")
    assert merged.status_code == 200, merged.content
    during = recorded_answers(reviewer_client, world, [Person.objects.get(pk=dup.pk)])
    restored = reviewer_client.post(f"/api/v1/people/{world.lavrov.pk}/unmerge/")

    assert restored.status_code == 200, restored.content
    assert restored.json() == before[f"/api/v1/people/{world.lavrov.pk}/"][2]
    assert during != {path: answer for path, answer in before.items() if path in during}  # the merge showed
    assert recorded_answers(reviewer_client, world, [world.lavrov, dup]) == before
    assert not EntityMerge.objects.exists()


def test_the_schema_documents_the_redirect_and_the_actions():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert set(schema["components"]["schemas"]["MergeRequest"]["properties"]) == {"into"}
    redirecting = sorted(
        path for path, operations in paths.items() if "308" in operations.get("get", {}).get("responses", {})
    )
    assert redirecting == sorted(
        [f"/api/v1/{prefix}/{{id}}/" for prefix in ("countries", "entities", "events", "organisations", "people")]
        + ["/api/v1/entities/{id}/timeline/"]
    )
    redirect = paths["/api/v1/people/{id}/"]["get"]["responses"]["308"]
    assert set(redirect["headers"]) == {"Location"}
    for prefix in ("countries", "entities", "events", "organisations", "people"):
        merge_operation = paths[f"/api/v1/{prefix}/{{id}}/merge/"]["post"]
        assert merge_operation["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/MergeRequest"
        }
        assert {"200", "400", "401", "403", "404"} <= set(merge_operation["responses"])
        assert "post" in paths[f"/api/v1/{prefix}/{{id}}/unmerge/"]


def test_the_first_merge_of_a_chain_is_undone_through_the_api(reviewer_client, api_client, world):
    a, b = PersonFactory(name="A", slug="a"), PersonFactory(name="B", slug="b")
    claim = ClaimFactory(subject=a, published=True)
    a_pk, b_pk = a.pk, b.pk
    before = reviewer_client.get(f"/api/v1/people/{a_pk}/").json()
    assert merge(reviewer_client, a, b_pk).status_code == 200
    assert merge(reviewer_client, Person.objects.get(pk=b_pk), world.lavrov.pk).status_code == 200
    assert api_client.get(f"/api/v1/people/{a_pk}/")["Location"].endswith(f"/people/{world.lavrov.pk}/")

    restored = reviewer_client.post(f"/api/v1/entities/{a_pk}/unmerge/")

    assert (restored.status_code, restored.json()) == (200, reviewer_client.get(f"/api/v1/entities/{a_pk}/").json())
    assert reviewer_client.get(f"/api/v1/people/{a_pk}/").json() == before
    assert ids(api_client.get("/api/v1/claims/", {"subject": a_pk})) == [claim.pk]
    assert api_client.get(f"/api/v1/people/{b_pk}/").json()["merged_into"] == world.lavrov.pk
