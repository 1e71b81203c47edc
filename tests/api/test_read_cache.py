"""Hot reads from the cache (api/read_cache.py): entity details and the predicate list are
answered from the cache until anything they show changes, by whatever path (services, the
API, merges and unmerges, `.update()`, raw SQL, fixture loads), because their key is a
version the database's triggers keep. Most tests use the local-memory cache (the keys are
the same whatever the backend); one runs through Redis."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

from factbase.indexes import bulk, cache_versions, changes
from factbase.models import Alias, Entity, Predicate
from factbase.services.fixtures import fixtures_load
from tests.factories import (
    AliasFactory,
    CountryFactory,
    EventParticipantFactory,
    IdentifierFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# Queries of an entity detail read from the database, and of one answered from the cache
# (the version alone). PostgreSQL reads a detail in one UNION ALL; SQLite in one statement
# per list it embeds.
MISS = {"sqlite": 5, "postgresql": 2}
HIT = 1


@pytest.fixture(autouse=True)
def read_cache(settings):
    settings.FACTBASE_READ_CACHE = True
    caches["default"].clear()
    # The tests never commit: number the feed's rows at each statement (PostgreSQL).
    changes.stamp_at_each_statement(connection)


@pytest.fixture
def person(db):
    country = CountryFactory(name="Russia", slug="russia")
    person = PersonFactory(name="Sergei Lavrov", slug="lavrov", nationality=country)
    AliasFactory(entity=person, name="Lavrov")
    return person


def detail(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_repeated_detail_costs_one_query(api_client, person, django_assert_num_queries):
    path = f"/api/v1/people/{person.pk}/"
    with django_assert_num_queries(MISS[connection.vendor]):
        first = api_client.get(path)
    with django_assert_num_queries(HIT):
        again = api_client.get(path)
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert api_client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_the_cache_off_reads_the_database_every_time(api_client, person, settings, django_assert_num_queries):
    settings.FACTBASE_READ_CACHE = False
    path = f"/api/v1/people/{person.pk}/"
    api_client.get(path)
    with django_assert_num_queries(MISS[connection.vendor] - 1):  # no version to read
        api_client.get(path)


def test_the_predicate_list_is_answered_from_the_cache(api_client, django_assert_num_queries):
    PredicateFactory(slug="visited", label="visited")
    with django_assert_num_queries(HIT + 1):  # the version, then the page (it holds every row: no count)
        first = api_client.get("/api/v1/predicates/")
    with django_assert_num_queries(HIT):
        again = api_client.get("/api/v1/predicates/")
    assert again.json() == first.json()
    # Other parameters than the page's are read without the cache.
    with django_assert_num_queries(1):
        api_client.get("/api/v1/predicates/?cursor=")


def test_every_client_gets_the_same_detail(api_client, curator_client, person):
    path = f"/api/v1/people/{person.pk}/"
    caches["default"].clear()
    anonymous = detail(api_client, path)
    caches["default"].clear()
    assert detail(curator_client, path) == anonymous  # read by a curator from the database: no per-user part


ENTITY_WRITES = {
    "update() of the entity": lambda p: Entity.objects.filter(pk=p.pk).update(description="changed"),
    "raw SQL on an alias": lambda p: _sql("UPDATE factbase_alias SET name = 'Lavrov S.' WHERE entity_id = %s", p.pk),
    "an alias added": lambda p: AliasFactory(entity=p, name="S. Lavrov"),
    "aliases deleted in bulk": lambda p: Alias.objects.filter(entity=p).delete(),
    "an identifier added": lambda p: IdentifierFactory(entity=p, scheme="wikidata", value="Q1"),
    "a role added": lambda p: RoleFactory(person=p, organisation=OrganisationFactory()),
    "the nationality renamed": lambda p: Entity.objects.filter(pk=p.nationality_id).update(name="Russian Federation"),
    "a typed field by update()": lambda p: type(p).objects.filter(pk=p.pk).update(nationality=None),
}


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize("write", ENTITY_WRITES, ids=list(ENTITY_WRITES))
def test_any_write_to_what_a_detail_shows_is_seen_at_once(api_client, person, write):
    paths = [f"/api/v1/people/{person.pk}/", f"/api/v1/entities/{person.pk}/"]
    before = [detail(api_client, path) for path in paths]
    assert [detail(api_client, path) for path in paths] == before  # cached
    ENTITY_WRITES[write](person)
    caches["default"].clear()  # what the database answers now, for comparison...
    fresh = [detail(api_client, path) for path in paths]
    assert fresh != before
    caches["default"].set("unrelated", 1)
    # ...and what a warm cache answers is the same (asked again without clearing).
    assert [detail(api_client, path) for path in paths] == fresh


def test_a_warm_cache_never_answers_a_stale_detail(api_client, person):
    path = f"/api/v1/people/{person.pk}/"
    detail(api_client, path)
    Entity.objects.filter(pk=person.pk).update(name="Sergey Lavrov")
    assert detail(api_client, path)["name"] == "Sergey Lavrov"  # the cache was not cleared


def test_writes_through_the_api_and_merges_are_seen(curator_client, reviewer_client, person):
    path = f"/api/v1/people/{person.pk}/"
    assert detail(curator_client, path)["description"] == ""
    etag = curator_client.get(path)["ETag"]
    changed = curator_client.patch(path, {"description": "Foreign minister"}, format="json", headers={"If-Match": etag})
    assert changed.status_code == 200
    assert detail(curator_client, path)["description"] == "Foreign minister"
    assert curator_client.get(path)["ETag"] == changed["ETag"] != etag

    other = PersonFactory(name="S. V. Lavrov", slug="s-v-lavrov")
    other_path = f"/api/v1/people/{other.pk}/"
    detail(curator_client, other_path)
    assert reviewer_client.post(f"{other_path}merge/", {"into": person.pk}, format="json").status_code == 200
    assert curator_client.get(other_path).status_code == 308
    assert "S. V. Lavrov" in [alias["name"] for alias in detail(curator_client, path)["aliases"]]
    assert reviewer_client.post(f"{other_path}unmerge/").status_code == 200
    assert detail(curator_client, other_path)["name"] == "S. V. Lavrov"
    assert "S. V. Lavrov" not in [alias["name"] for alias in detail(curator_client, path)["aliases"]]


def test_event_participants_are_seen(api_client):
    participation = EventParticipantFactory()
    path = f"/api/v1/events/{participation.event_id}/"
    assert len(detail(api_client, path)["participants"]) == 1
    participation.delete()
    assert detail(api_client, path)["participants"] == []


PREDICATE_WRITES = {
    "created": lambda: PredicateFactory(slug="met", label="met"),
    "update()": lambda: Predicate.objects.filter(slug="visited").update(description="Went there."),
    "raw SQL delete": lambda: _sql("DELETE FROM factbase_predicate WHERE slug = %s", "visited"),
    "a fixture load": lambda: fixtures_load([ROOT / "fixtures" / "predicates.json"]),
    "loaddata": lambda: call_command("loaddata", str(ROOT / "fixtures" / "predicates.json"), verbosity=0),
}


@pytest.mark.parametrize("write", PREDICATE_WRITES, ids=list(PREDICATE_WRITES))
def test_any_write_to_the_predicates_is_seen_at_once(api_client, write):
    PredicateFactory(slug="visited", label="visited")
    Predicate.objects.exclude(slug="visited").delete()
    before = detail(api_client, "/api/v1/predicates/")
    assert detail(api_client, "/api/v1/predicates/") == before
    PREDICATE_WRITES[write]()
    expected = json.loads(json.dumps(list(Predicate.objects.order_by("label", "id").values_list("slug", flat=True))))
    assert [row["slug"] for row in detail(api_client, "/api/v1/predicates/")["results"]] == expected[:50]
    assert detail(api_client, "/api/v1/predicates/") != before


def test_through_redis_a_detail_is_cached_and_invalidated(api_client, person, shared_redis, django_assert_num_queries):
    from tests.factbase.test_operator_endpoints import sample

    path = f"/api/v1/people/{person.pk}/"
    hits = sample(api_client, "factbase_read_cache_total", resource="entity", result="hit")
    misses = sample(api_client, "factbase_read_cache_total", resource="entity", result="miss")
    first = detail(api_client, path)
    with django_assert_num_queries(HIT):
        assert detail(api_client, path) == first
    Entity.objects.filter(pk=person.pk).update(name="Sergey Lavrov")
    assert detail(api_client, path)["name"] == "Sergey Lavrov"
    assert sample(api_client, "factbase_read_cache_total", resource="entity", result="hit") == hits + 1
    assert sample(api_client, "factbase_read_cache_total", resource="entity", result="miss") == misses + 2


def test_a_position_handed_out_again_is_another_version(person):
    """A transaction rolled back (or a database restored from a dump) hands its positions out
    again, with other rows behind them: the newest row's time tells them apart."""
    with pytest.raises(RuntimeError), transaction.atomic():
        Entity.objects.filter(pk=person.pk).update(name="Rolled back")
        inside = cache_versions.entities_version(connection)
        raise RuntimeError
    time.sleep(0.005)
    Entity.objects.filter(pk=person.pk).update(name="Committed")
    after = cache_versions.entities_version(connection)
    assert after != inside
    if connection.vendor == "sqlite":
        assert after[2] == inside[2]  # the same position, handed out again


def test_rebuilt_indexes_give_every_version_a_new_epoch(person):
    entities = cache_versions.entities_version(connection)
    predicates = cache_versions.version(connection, "predicates")
    cache_versions.INDEX.rebuild(connection)  # a new database, a bulk load or a restore
    assert cache_versions.entities_version(connection)[0] != entities[0]
    assert cache_versions.entities_version(connection)[1:] == entities[1:]  # the feed alone would not tell
    assert cache_versions.version(connection, "predicates") != predicates


def test_a_predicate_added_in_the_admin_is_listed_at_once(api_client, client):
    from tests.factories import UserFactory

    PredicateFactory(slug="visited", label="visited")
    before = [row["slug"] for row in detail(api_client, "/api/v1/predicates/?page_size=200")["results"]]
    assert "condemned" not in before
    client.force_login(UserFactory(username="admin-1", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/factbase/predicate/add/",
        {"label": "condemned", "slug": "condemned", "description": "Spoke against.", "subject_kinds": ["person"]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = [row["slug"] for row in detail(api_client, "/api/v1/predicates/?page_size=200")["results"]]
    assert sorted(after) == sorted([*before, "condemned"])


def test_a_bulk_load_with_the_triggers_suspended_is_seen_once_it_ends(api_client, person):
    path = f"/api/v1/people/{person.pk}/"
    before = detail(api_client, path)
    with bulk.load(connection, ["factbase_alias"], log=lambda line: None):
        bulk.insert_rows(
            connection,
            "factbase_alias",
            ["entity_id", "name", "normalised", "language", "kind"],
            [(person.pk, "Lavrov S. V.", "lavrov s. v.", "en", "common")],
        )
    after = detail(api_client, path)
    assert [alias["name"] for alias in after["aliases"]] == sorted(
        [alias["name"] for alias in before["aliases"]] + ["Lavrov S. V."]
    )
