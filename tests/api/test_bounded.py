"""No GET route can answer an unbounded list.

A crowded world gives one person, one country, one organisation, one event and one document
as many related rows of every kind as the API allows: MAX_PAGE_SIZE + 1 of each collection
that is only read through paged lists (claims, members, sub-events, participations, mention
suggestions), and exactly the limit of each collection that a representation embeds whole
(aliases, identifiers, roles, participants, a document's spans and mentions, a claim's spans:
factbase/limits.py). Factories bypass the services that enforce those limits, so the crowd
is built at them, never above. Then every GET route of the URLconf (api/routes.py) is asked,
as a curator, with the crowded object in its path, with the largest `page_size` a client
could send, and in cursor mode: every list anywhere in a JSON answer must hold at most
MAX_PAGE_SIZE items, or at most the limit declared for it below, unless the route streams
(the exports, read in keyset chunks with flat memory) or runs no query at all (it cannot
grow with the data). A long list this test has no limit for fails it, and so does a new
route it cannot fill."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.pagination import MAX_PAGE_SIZE
from api.routes import get_routes
from factbase.limits import (
    ALIASES_PER_ENTITY,
    IDENTIFIERS_PER_ENTITY,
    LIMITS,
    MENTIONS_PER_DOCUMENT,
    PARTICIPANTS_PER_EVENT,
    ROLES_PER_PERSON,
    SPANS_PER_CLAIM,
    SPANS_PER_DOCUMENT,
)
from factbase.models import Claim, Contradiction, Fact
from factbase.services.suggestions import SCAN_BUSIEST
from tests.api.conftest import rolled_back_at_the_end
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    JobFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
    UserFactory,
)
from tests.factories.claims import MentionFactory

CROWD = MAX_PAGE_SIZE + 1

# Routes whose answer is a stream written chunk by chunk (memory stays flat).
STREAMING = {"export-claims-jsonl", "export-claims-csv", "export-popolo"}

# The lists a representation embeds whole, by the key that holds them, and the limit that
# bounds each (factbase/limits.py). `spans` anywhere is a claim's evidence; a document's
# detail embeds its own spans and mentions.
EMBEDDED = {
    "aliases": ALIASES_PER_ENTITY,
    "identifiers": IDENTIFIERS_PER_ENTITY,
    "roles": ROLES_PER_PERSON,
    "participants": PARTICIPANTS_PER_EVENT,
    "spans": SPANS_PER_CLAIM,
}
DOCUMENT_DETAIL = {"body.spans": SPANS_PER_DOCUMENT, "body.mentions": MENTIONS_PER_DOCUMENT}

# JSON in any of its media types: application/json, JSON-LD, the OpenAPI schema's.
JSON_TYPE = re.compile(r"^application/([\w.-]+\+)?json\b")
ACCEPT_JSON = "application/json, application/ld+json, application/vnd.oai.openapi+json, */*;q=0.1"


def bound(route, where: str):
    """The most items the list at `where` may hold, and why."""
    if route.name == "document-detail" and where in DOCUMENT_DETAIL:
        limit = DOCUMENT_DETAIL[where]
    else:
        limit = EMBEDDED.get(re.sub(r"\[\d+\]", "", where).rsplit(".", 1)[-1])
    if limit is None:
        return MAX_PAGE_SIZE, "a page"
    return max(MAX_PAGE_SIZE, limit.value), str(limit)


@pytest.fixture(scope="module")
def crowd(django_db_setup, django_db_blocker):
    with rolled_back_at_the_end(django_db_blocker):
        yield _build_crowd()


def _build_crowd():
    country = CountryFactory(name="Crowdland", slug="crowdland", iso_alpha2="QC", iso_alpha3="QQC")
    organisation = OrganisationFactory(name="Crowd Ministry", slug="crowd-ministry", country=country)
    person = PersonFactory(name="Busy Person", slug="busy-person", nationality=country)
    event = EventFactory(name="Big Summit", slug="big-summit", location_country=country)
    predicate = PredicateFactory()
    # Every fact names Crowdland; the facts after the mentioned ones are as many mention
    # suggestions.
    facts = max(CROWD, SPANS_PER_DOCUMENT.value, MENTIONS_PER_DOCUMENT.value + CROWD)
    fact = "Fact number {} in Crowdland.".format
    document = DocumentFactory(title="A long article", text=" ".join(fact(i) for i in range(facts)))
    for i in range(ALIASES_PER_ENTITY.value):
        AliasFactory(entity=person, name=f"Busy alias {i}")
    for i in range(IDENTIFIERS_PER_ENTITY.value):
        IdentifierFactory(entity=person, value=f"BUSY-{i}")
    for i in range(ROLES_PER_PERSON.value):
        RoleFactory(person=person, organisation=organisation, title=f"Post {i}")
    claims = []
    for i in range(CROWD):
        member = PersonFactory(nationality=country)
        RoleFactory(person=member, organisation=organisation)
        sub_event = EventFactory(location_country=country, parent=event)
        EventParticipantFactory(event=sub_event, entity=person)
        if i < PARTICIPANTS_PER_EVENT.value:
            EventParticipantFactory(event=event, entity=member)
        claims.append(
            ClaimFactory(
                subject=person,
                predicate=predicate,
                object=country,
                event=event,
                attributed_to=person,
                status="published",
                date_lower=datetime.date(2021, 7, 6),
                date_upper=datetime.date(2021, 7, 6),
                date_precision="day",
                spans=[],
            )
        )
    # The document's spans: the last claim holds as many as a claim may, the others share
    # the rest (a few each).
    crowded_claim, others = claims[-1], claims[:-1]
    for i in range(SPANS_PER_DOCUMENT.value):
        claim = crowded_claim if i < SPANS_PER_CLAIM.value else others[(i - SPANS_PER_CLAIM.value) % len(others)]
        SourceSpanFactory(claim=claim, document=document, quote=fact(i))
    for i in range(MENTIONS_PER_DOCUMENT.value):
        MentionFactory(document=document, entity=person, quote=fact(i))
    # One fact states every claim, and as many facts contradict it.
    crowded_fact = Fact.objects.create(sources=1, contradicted=True)
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(fact=crowded_fact)
    others = Fact.objects.bulk_create([Fact(sources=1) for _ in range(CROWD)])
    contradictions = Contradiction.objects.bulk_create(
        [Contradiction(fact=crowded_fact, other=other, kind="polarity") for other in others]
    )
    # A job of the curator who asks (others' are 404), its result as long as results get.
    curator = UserFactory(username="curator-1", is_staff=True, groups=["curators"])
    busiest = [{"document": document.pk, "suggestions": n} for n in range(SCAN_BUSIEST)]
    job = JobFactory(owner=curator, succeeded=True, result={"busiest": busiest, "missing": list(range(SCAN_BUSIEST))})
    return {
        "job": job.pk,
        "country": country.pk,
        "organisation": organisation.pk,
        "person": person.pk,
        "event": event.pk,
        "document": document.pk,
        "claim": crowded_claim.pk,
        "predicate": predicate.slug,
        "fact": crowded_fact.pk,
        "contradiction": contradictions[0].pk,
    }


def _path_params(route, crowd) -> dict:
    """The crowded object for each path parameter, by what the route is about."""
    if route.params == ["slug"]:
        return {"slug": crowd["predicate"]}
    if not route.params:
        return {}
    assert route.params == ["pk"], f"{route.name}: teach this test how to fill {route.params}"
    subject = route.name.split("-")[0]
    by_subject = {
        "country": "country",
        "person": "person",
        "organisation": "organisation",
        "event": "event",
        "claim": "claim",
        "document": "document",
        "entity": "person",
        "fact": "fact",
        "contradiction": "contradiction",
        "job": "job",
    }
    assert subject in by_subject, f"{route.name}: teach this test which crowded object it takes"
    return {"pk": crowd[by_subject[subject]]}


def _lists(value, where="body"):
    """Every list in a JSON value, with where it is."""
    if isinstance(value, list):
        yield where, value
        for i, item in enumerate(value):
            yield from _lists(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lists(item, f"{where}.{key}")


ROUTES = get_routes()


def test_the_walk_finds_every_kind_of_route():
    names = {route.name for route in ROUTES}
    assert {"claim-list", "claim-detail", "entity-timeline", "export-popolo", "document-annotations"} <= names


def test_the_crowd_fills_every_limit(crowd, curator_client):
    """The crowd stands at every limit, so that the bounds below are met, not guessed."""
    person = curator_client.get(f"/api/v1/people/{crowd['person']}/").json()
    event = curator_client.get(f"/api/v1/events/{crowd['event']}/").json()
    document = curator_client.get(f"/api/v1/documents/{crowd['document']}/").json()
    claim = curator_client.get(f"/api/v1/claims/{crowd['claim']}/").json()
    filled = {
        ALIASES_PER_ENTITY: len(person["aliases"]),
        IDENTIFIERS_PER_ENTITY: len(person["identifiers"]),
        ROLES_PER_PERSON: len(person["roles"]),
        PARTICIPANTS_PER_EVENT: len(event["participants"]),
        SPANS_PER_DOCUMENT: len(document["spans"]),
        MENTIONS_PER_DOCUMENT: len(document["mentions"]),
        SPANS_PER_CLAIM: len(claim["spans"]),
    }
    assert set(filled) == set(LIMITS), "a new limit: fill it in the crowd and check it here"
    assert {str(limit): n for limit, n in filled.items()} == {str(limit): limit.value for limit in filled}
    suggestions = curator_client.get(f"/api/v1/documents/{crowd['document']}/suggestions/").json()
    assert suggestions["count"] >= CROWD


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
@pytest.mark.parametrize("query", ["", f"?page_size={10**6}", "?cursor="])
def test_no_route_answers_an_unbounded_list(route, query, crowd, curator_client, db):
    path = route.path(**_path_params(route, crowd)) + query
    with CaptureQueriesContext(connection) as queries:
        response = curator_client.get(path, HTTP_ACCEPT=ACCEPT_JSON)
    assert response.status_code in (200, 400), f"{path}: {response.status_code}"
    if response.status_code == 400:
        return  # the route does not take this parameter and says so
    if response.streaming:
        assert route.name in STREAMING, f"{path} streams but is not a known export"
        b"".join(response.streaming_content)
        return
    assert route.name not in STREAMING, f"{path} should stream, but built its whole answer"
    if not queries.captured_queries:
        return  # answers without reading the database: it cannot grow with the data
    if not JSON_TYPE.match(response["Content-Type"]):
        pytest.fail(f"{path} reads the database and answers {response['Content-Type']}: teach this test to read it")
    too_long = [
        (where, len(items), why)
        for where, items in _lists(json.loads(response.content))
        for most, why in [bound(route, where)]
        if len(items) > most
    ]
    assert not too_long, f"{path} answers lists longer than they may be (a page is {MAX_PAGE_SIZE}): {too_long}"
