"""GET changes/: each action of each type, what anonymous clients and curators are told,
merges, paging and resuming, bad and pruned cursors, the query count of a page, the schema.

Inside a test's transaction nothing commits, so on PostgreSQL the log's rows are numbered
at the end of each statement instead (`stamp_at_each_statement`); numbering at commit, under
concurrent writers, is tested in tests/reliability/test_change_feed.py."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from factbase.indexes import changes
from factbase.models import Alias, Claim, Country, Entity, Mention, Predicate
from factbase.services import claims as claim_services
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.api.conftest import TEXT, build_world
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventParticipantFactory,
    IdentifierFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.factories.claims import MentionFactory

URL = "/api/v1/changes/"


@pytest.fixture(autouse=True)
def stamped(db):
    changes.stamp_at_each_statement(connection)


def latest(client) -> int:
    response = client.get(URL)
    assert response.status_code == 200, response.content
    return response.json()["latest"]


def follow(client, after: int, page_size: int = 200) -> list[dict]:
    """Every change after `after`, page by page."""
    items, url = [], f"{URL}?after={after}&page_size={page_size}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        url = body["next"]
    return items


def brief(items) -> list[tuple]:
    return [(item["action"], item["type"], item["id"]) for item in items]


def detail(type_: str, pk: int) -> str:
    return (
        f"http://testserver/api/v1/{ {'entity': 'entities', 'claim': 'claims', 'document': 'documents'}[type_] }/{pk}/"
    )


def test_changes_of_entities_and_aliases_name_their_detail(curator_client):
    start = latest(curator_client)
    person = PersonFactory(name="Maria Zakharova")
    alias = AliasFactory(entity=person, name="Zakharova")
    Alias.objects.filter(pk=alias.pk).update(name="M. Zakharova")  # .update() is logged too
    person_id, alias_id = person.pk, alias.pk
    alias.delete()
    person.delete()
    items = follow(curator_client, start)
    assert brief(items) == [
        ("create", "entity", person_id),
        ("create", "alias", alias_id),
        ("update", "entity", person_id),  # its representation shows its aliases
        ("update", "alias", alias_id),
        ("update", "entity", person_id),
        ("delete", "alias", alias_id),
        ("update", "entity", person_id),
        ("delete", "entity", person_id),
    ]
    assert [item["url"] for item in items] == [detail("entity", person_id)] * 5 + [
        None,
        detail("entity", person_id),
        None,
    ]
    cursors = [item["cursor"] for item in items]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors) and cursors[0] > start
    assert all(set(item) == {"cursor", "at", "action", "type", "id", "url", "merged_into"} for item in items)
    assert all(item["merged_into"] is None for item in items)
    assert items[0]["at"].endswith("Z") and datetime.datetime.fromisoformat(items[0]["at"])


def test_changes_of_documents_mentions_and_spans(curator_client):
    start = latest(curator_client)
    document = DocumentFactory(text=TEXT)
    document_id = document.pk
    person = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(subject=person, spans=[])
    after_setup = latest(curator_client)
    mention = MentionFactory(document=document, entity=person, quote="Sergei Lavrov")
    span = SourceSpanFactory(claim=claim, document=document, quote="Laos")
    span.delete()
    Mention.objects.filter(pk=mention.pk).delete()
    document_id = document_id
    document.delete()
    assert brief(follow(curator_client, start))[:2] == [
        ("create", "document", document_id),
        ("create", "entity", person.pk),
    ]
    items = follow(curator_client, after_setup)
    assert brief(items) == [
        ("create", "mention", mention.pk),
        ("update", "document", document_id),
        ("update", "claim", claim.pk),  # a span is part of its claim…
        ("update", "document", document_id),  # …and of the document it quotes
        ("update", "claim", claim.pk),
        ("update", "document", document_id),
        ("delete", "mention", mention.pk),
        ("update", "document", document_id),
        ("delete", "document", document_id),
    ]
    assert items[0]["url"] == detail("document", document_id)  # a mention is read in its document


def test_renaming_an_entity_updates_whatever_names_it(curator_client):
    world = build_world()
    start = latest(curator_client)
    Entity.objects.filter(pk=world.russia.pk).update(name="Russian Federation")
    assert sorted(brief(follow(curator_client, start))) == sorted(
        [
            ("update", "entity", world.russia.pk),
            ("update", "claim", world.draft.pk),  # its object
            ("update", "entity", world.mfa.pk),  # its country
            ("update", "entity", world.lavrov.pk),  # his nationality
        ]
    )
    start = latest(curator_client)
    Entity.objects.filter(pk=world.lavrov.pk).update(wikidata_qid="Q1")  # no new name: only itself
    assert brief(follow(curator_client, start)) == [("update", "entity", world.lavrov.pk)]


def test_anonymous_clients_are_told_of_published_claims_only(api_client, curator_client, reviewer):
    world = build_world()
    start = latest(curator_client)
    draft = world.draft
    claim_services.claim_submit(claim=draft, by=reviewer)
    claim_services.claim_publish(claim=draft, by=reviewer)
    Claim.objects.filter(pk=draft.pk).update(status="rejected")  # leaves `published`
    hidden = ClaimFactory(subject=world.lavrov, predicate=world.visited, object=world.indonesia, spans=[])
    SourceSpanFactory(claim=hidden, document=world.document, quote="Laos")
    assert brief(follow(api_client, start)) == [
        ("create", "claim", draft.pk),  # published: from now on anonymous clients see it
        ("update", "document", world.document.pk),  # whose detail now shows its span
        ("delete", "claim", draft.pk),
        ("update", "document", world.document.pk),
    ]
    items = follow(api_client, start)
    assert [item["url"] for item in items] == [
        detail("claim", draft.pk),
        detail("document", world.document.pk),
        None,
        detail("document", world.document.pk),
    ]
    assert brief(follow(curator_client, start)) == [
        ("update", "claim", draft.pk),  # submitted
        ("update", "claim", draft.pk),  # published
        ("update", "document", world.document.pk),
        ("update", "claim", draft.pk),  # rejected
        ("update", "document", world.document.pk),
        ("create", "claim", hidden.pk),
        ("update", "claim", hidden.pk),
        ("update", "document", world.document.pk),
    ]
    # `latest` is what each client may see.
    assert latest(api_client) == items[-1]["cursor"] < latest(curator_client)


def test_a_merge_is_told_as_merge_and_an_unmerge_as_a_create(api_client, curator_client, reviewer):
    world = build_world()
    start = latest(curator_client)
    streltsov = world.streltsov.pk
    entity_merge(survivor=world.lavrov, loser=world.streltsov, by=reviewer)
    items = follow(api_client, start)
    merged = [item for item in items if item["id"] == streltsov and item["type"] == "entity"]
    assert merged[-1] == {
        "cursor": merged[-1]["cursor"],
        "at": merged[-1]["at"],
        "action": "merge",
        "type": "entity",
        "id": streltsov,
        "url": None,
        "merged_into": world.lavrov.pk,
    }
    assert ("update", "entity", world.lavrov.pk) in brief(items)
    assert ("update", "claim", world.attributed.pk) in brief(items)  # its subject moved
    assert brief(follow(curator_client, start)).count(("merge", "entity", streltsov)) == 1
    middle = latest(curator_client)
    entity_unmerge(merged_id=streltsov, by=reviewer)
    items = brief(follow(api_client, middle))
    assert ("create", "entity", streltsov) in items
    assert ("update", "entity", world.lavrov.pk) in items  # the survivor loses the alias it was given
    assert items.index(("create", "entity", streltsov)) < items.index(("update", "claim", world.attributed.pk))


def test_pages_follow_one_another_and_resume_from_any_cursor(api_client, curator_client):
    start = latest(curator_client)
    for i in range(7):
        PersonFactory(name=f"Person {i}")
    everything = follow(api_client, start)
    assert len(everything) == 7
    assert follow(api_client, start, page_size=2) == everything
    first = api_client.get(f"{URL}?after={start}&page_size=3").json()
    assert first["results"] == everything[:3]
    assert first["next"] == f"http://testserver{URL}?after={everything[2]['cursor']}&page_size=3"
    assert follow(api_client, everything[4]["cursor"]) == everything[5:]
    last = api_client.get(f"{URL}?after={everything[-1]['cursor']}").json()
    assert last == {"results": [], "next": None, "latest": everything[-1]["cursor"]}


def test_without_a_cursor_the_feed_starts_at_the_oldest_change_kept(api_client, curator_client):
    call_command("prune_changes", "--days", "0", stdout=StringIO())
    floor = latest(curator_client)
    person = PersonFactory()
    body = api_client.get(URL).json()
    assert brief(body["results"]) == [("create", "entity", person.pk)]
    assert body["results"][0]["cursor"] > floor


@pytest.mark.parametrize(
    "after", ["abc", "-1", "1.5", " 1", "1e3", "٣", "9" * 30, str(2**63), "0x10", "%00", "1,2"], ids=repr
)
def test_a_malformed_cursor_is_a_400(api_client, after):
    response = api_client.get(URL, {"after": after})
    assert response.status_code == 400
    assert "after" in response.json()


def test_a_cursor_beyond_every_change_is_a_400(api_client, curator_client):
    beyond = 2**62  # no feed hands out that many positions
    response = api_client.get(URL, {"after": beyond})
    assert response.status_code == 400
    (message,) = response.json()["after"]
    assert re.fullmatch(rf"Cursor {beyond} names no change: the newest is \d+\.", message)


def test_a_pruned_cursor_is_410_gone_and_says_what_to_do(api_client, curator_client, settings):
    start = latest(curator_client)
    PersonFactory()
    kept = latest(curator_client)
    call_command("prune_changes", stdout=(out := StringIO()))  # 90 days: nothing this old
    assert out.getvalue() == "Deleted 0 change(s) older than 90 day(s).\n"
    assert api_client.get(URL, {"after": start}).status_code == 200
    settings.FACTBASE_CHANGES_RETENTION_DAYS = 0
    call_command("prune_changes", stdout=(out := StringIO()))
    assert out.getvalue().startswith("Deleted ")
    response = api_client.get(URL, {"after": start})
    assert response.status_code == 410
    assert response.json() == {
        "detail": f"Cursor {start} is older than the changes this feed keeps (it starts after {kept}). Start again "
        "from a full export, taking `latest` before it."
    }
    assert api_client.get(URL, {"after": kept}).json() == {"results": [], "next": None, "latest": kept}
    person = PersonFactory()  # positions are never handed out again after a prune
    assert brief(follow(api_client, kept)) == [("create", "entity", person.pk)]


def test_prune_keeps_what_is_younger_than_the_retention(curator_client):
    start = latest(curator_client)
    PersonFactory()
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    assert changes.prune(connection, before=before) == 0
    assert len(follow(curator_client, start)) == 1


def test_prune_rejects_negative_days():
    with pytest.raises(Exception, match="--days must be 0 or more"):
        call_command("prune_changes", "--days", "-1", stdout=StringIO())


@pytest.mark.parametrize("rows", [1, 3])
def test_a_page_costs_the_same_whatever_its_size(api_client, curator_client, django_assert_num_queries, rows):
    start = latest(curator_client)
    for _ in range(rows):
        PersonFactory()
    with django_assert_num_queries(2):  # where the feed starts and ends, then the page
        response = api_client.get(URL, {"after": start})
    assert len(response.json()["results"]) == rows


def test_the_schema_describes_the_route_and_its_parameters(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"after", "page_size"}
    assert {"200", "400", "410"} <= set(operation["responses"])


def test_the_api_root_links_the_feed(api_client):
    assert api_client.get("/api/v1/").json()["changes"] == f"http://testserver{URL}"


def test_rows_shown_inside_an_entity_update_it(curator_client):
    world = build_world()
    start = latest(curator_client)
    IdentifierFactory(entity=world.lavrov, scheme="wikidata", value="Q1")
    RoleFactory(person=world.streltsov, organisation=world.mfa, title="Spokesman")
    EventParticipantFactory(event=world.brunei, entity=world.lavrov, role="visitor")
    Country.objects.filter(pk=world.indonesia.pk).update(official_name="Republic of Indonesia")  # a typed column
    Predicate.objects.filter(pk=world.visited.pk).update(label="went to")
    assert brief(follow(curator_client, start)) == [
        ("update", "entity", world.lavrov.pk),
        ("update", "entity", world.streltsov.pk),
        ("update", "entity", world.brunei.pk),
        ("update", "entity", world.indonesia.pk),
        ("update", "claim", world.published.pk),  # the claims that show the predicate's label
        ("update", "claim", world.draft.pk),
    ]


@pytest.mark.parametrize("who", ["reader", "curator", "reviewer"])
def test_who_is_told_what_follows_who_sees_unpublished_claims(api_client, curator_client, who, request):
    world = build_world()
    start = latest(curator_client)
    Claim.objects.filter(pk=world.draft.pk).update(notes="checked")
    client = request.getfixturevalue(f"{who}_client")
    expected = [] if who == "reader" else [("update", "claim", world.draft.pk)]
    assert brief(follow(client, start)) == expected


def test_changes_made_while_the_triggers_were_missing_restart_the_feed(api_client, curator_client):
    PersonFactory()
    before = latest(curator_client)
    changes.INDEX.suspend(connection)  # as a bulk load does (factbase/indexes/bulk.py)
    PersonFactory()  # not logged
    changes.INDEX.restore(connection)
    assert api_client.get(URL, {"after": before}).status_code == 410
    body = api_client.get(URL).json()
    assert body["results"] == [] and body["latest"] > before
    person = PersonFactory()  # logged again
    assert brief(follow(api_client, body["latest"])) == [("create", "entity", person.pk)]
    changes.INDEX.restore(connection, force=True)  # nothing missing: the feed goes on
    assert brief(follow(api_client, body["latest"])) == [("create", "entity", person.pk)]


@pytest.mark.parametrize("rows", [1, 3])
def test_a_curators_page_costs_the_same_whatever_its_size(curator_client, django_assert_num_queries, rows):
    start = latest(curator_client)
    for _ in range(rows):
        PersonFactory()
    with django_assert_num_queries(2):  # as anonymous (the user's permissions are cached on it)
        response = curator_client.get(URL, {"after": start})
    assert len(response.json()["results"]) == rows


def test_an_anonymous_page_is_full_of_what_it_may_see(api_client, curator_client):
    world = build_world()
    start = latest(curator_client)
    people = []
    for i in range(3):
        Claim.objects.filter(pk=world.draft.pk).update(notes=f"draft note {i}")  # not for anonymous clients
        people.append(PersonFactory(name=f"Person {i}"))
    page = api_client.get(URL, {"after": start, "page_size": 2}).json()
    assert brief(page["results"]) == [("create", "entity", person.pk) for person in people[:2]]
    assert brief(follow(api_client, start, page_size=2)) == [("create", "entity", person.pk) for person in people]


def test_a_fact_gaining_a_source_updates_each_of_its_claims(api_client, reviewer):
    # A claim shows its fact's sources and whether it is contradicted: when another
    # document's claim joins the fact, every claim of it reads differently.
    from factbase.partial_dates import PartialDate

    lavrov, indonesia, visited = PersonFactory(), CountryFactory(), PredicateFactory()
    quote = "Sergei Lavrov visited Indonesia"

    def stated(document):
        made = claim_services.claim_create(
            subject=lavrov,
            predicate=visited,
            object=indonesia,
            date=PartialDate.parse("2021-07"),
            spans=[{"document": document, "exact": quote}],
            by=reviewer,
        )
        return claim_services.claim_publish(claim=made, by=reviewer)

    first = stated(DocumentFactory())
    start = latest(api_client)
    second = stated(DocumentFactory())

    told = brief(follow(api_client, start))
    shown = api_client.get(f"/api/v1/claims/{first.pk}/").json()["fact"]

    assert ("create", "claim", second.pk) in told
    assert ("update", "claim", first.pk) in told
    assert shown["sources"] == 2
