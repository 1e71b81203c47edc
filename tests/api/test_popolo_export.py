"""The streamed Popolo export (`exports/popolo/`, api/views/standards.py and
factbase/exports/popolo.py): the same document as the in-memory export it replaced, read in
keyset chunks with a fixed number of queries per chunk."""

import datetime
import json

import pytest
from django.db.models import F
from django.http import StreamingHttpResponse

from api.renderers import FastJSONRenderer
from factbase.exports import popolo
from factbase.models import Organisation, Person, Role
from tests.factories import (
    AliasFactory,
    CountryFactory,
    IdentifierFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/popolo/"
BASE = "http://testserver/api/v1"


def streamed(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def previous_export() -> dict:
    """The export as it was built before it streamed: model instances, prefetches, every row
    in memory, each membership from the Role instance. Memberships in Role.Meta.ordering
    (undated roles last), the order the stream keeps on both databases."""
    from django.db.models import Prefetch

    from factbase.models import Alias, Identifier

    def common(entity):
        identifiers = [{"scheme": "factbase", "identifier": str(entity.pk)}]
        if entity.wikidata_qid:
            identifiers.append({"scheme": "wikidata", "identifier": entity.wikidata_qid})
        for identifier in entity.identifiers.all():
            if not (identifier.scheme == "wikidata" and identifier.value == entity.wikidata_qid):
                identifiers.append({"scheme": identifier.scheme, "identifier": identifier.value})
        return {
            "id": entity.slug,
            "name": entity.name,
            "other_names": [
                {"name": a.name, "note": f"{a.get_kind_display()} ({a.language})"} for a in entity.aliases.all()
            ],
            "identifiers": identifiers,
            "created_at": entity.created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updated_at": entity.updated.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": [{"url": f"{BASE}/entities/{entity.pk}/", "note": "Factbase API"}],
        }

    def person(entity):
        data = common(entity)
        for key, value in (("given_name", entity.given_name), ("family_name", entity.family_name)):
            if value:
                data[key] = value
        if entity.nationality_id:
            data["national_identity"] = entity.nationality.name
        if entity.description:
            data["summary"] = entity.description
        return data

    def organization(entity):
        data = common(entity)
        data["classification"] = entity.org_type
        if entity.parent_id:
            data["parent_id"] = entity.parent.slug
        return data

    def membership(role):
        data = {"id": str(role.uid), "person_id": role.person.slug, "role": role.title, "label": str(role)}
        if role.organisation_id:
            data["organization_id"] = role.organisation.slug
        when = role.partial_date
        if when is not None and "/" in when.isoformat():
            data["start_date"], data["end_date"] = when.isoformat().split("/")
        return data

    aliases = Prefetch("aliases", queryset=Alias.objects.order_by("name", "id"))
    identifiers = Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "id"))
    people = Person.objects.select_related("nationality").prefetch_related(aliases, identifiers).order_by("pk")
    organisations = Organisation.objects.select_related("parent").prefetch_related(aliases, identifiers)
    roles = Role.objects.select_related("person", "organisation")
    return {
        "persons": [person(p) for p in people],
        "organizations": [organization(o) for o in organisations.order_by("pk")],
        "memberships": [membership(r) for r in roles.order_by("person_id", F("date_lower").asc(nulls_last=True), "id")],
    }


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def world():
    """People with and without aliases, identifiers and nationality; organisations with and
    without a parent; roles dated (intervals and single dates), undated, and tied on their
    start, so that chunk edges fall inside a person's roles."""
    russia = CountryFactory(name="Russia")
    lavrov = PersonFactory(
        name="Sergei Lavrov",
        given_name="Sergei",
        family_name="Lavrov",
        nationality=russia,
        wikidata_qid="Q41364",
        description="Diplomat.",
    )
    AliasFactory(entity=lavrov, name="Lavrov", kind="as_written")
    AliasFactory(entity=lavrov, name="Сергей Лавров", language="ru", kind="official")
    IdentifierFactory(entity=lavrov, scheme="wikidata", value="Q41364")
    IdentifierFactory(entity=lavrov, scheme="url", value="https://www.mid.ru/")
    others = [PersonFactory() for _ in range(4)]
    ministry = OrganisationFactory(name="Ministry", wikidata_qid="Q1")
    AliasFactory(entity=ministry, name="MFA")
    embassy = OrganisationFactory(name="Embassy", parent=ministry, org_type="embassy")
    OrganisationFactory(name="Lone")
    for start, end, precision in (
        ("2004-03-09", "2021-07-31", "day"),
        ("2004-03-09", "2004-03-09", "day"),
        ("2004-01-01", "2004-12-31", "year"),
        ("2021-07-01", "2021-07-31", "month"),
    ):
        RoleFactory(
            person=lavrov,
            organisation=ministry,
            date_lower=day(start),
            date_upper=day(end),
            date_precision=precision,
        )
    RoleFactory(person=lavrov, organisation=None, title="Diplomat")  # undated: last of his roles
    RoleFactory(person=lavrov, organisation=embassy, title="Ambassador")
    RoleFactory(person=others[0], organisation=embassy, date_lower=day("1990-01-01"), date_upper=day("1999-12-31"))
    RoleFactory(person=others[0], organisation=None, date_lower=day("1990-01-01"), date_upper=day("1990-01-01"))
    RoleFactory(person=others[2], organisation=ministry)
    return lavrov


def test_the_export_is_a_streaming_json_response(api_client, world):
    response = api_client.get(URL)

    assert isinstance(response, StreamingHttpResponse)
    assert (response.status_code, response["Content-Type"], response.get("ETag")) == (200, "application/json", None)
    data = json.loads(streamed(response))
    assert list(data) == ["persons", "organizations", "memberships"]
    assert (len(data["persons"]), len(data["organizations"]), len(data["memberships"])) == (5, 3, 9)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1000])
def test_the_streamed_body_is_the_previous_export_in_its_encoding(api_client, world, monkeypatch, chunk_rows):
    monkeypatch.setattr(popolo, "CHUNK_ROWS", chunk_rows)

    body = streamed(api_client.get(URL))

    # FastJSONRenderer's bytes for the document built the old way, whatever the chunk size.
    assert body == FastJSONRenderer().render(previous_export())


def test_undated_roles_come_last_within_a_person_on_every_database(world):
    (chunk,) = popolo.memberships()

    roles = sorted(world.roles.all(), key=lambda r: (r.date_lower is None, r.date_lower or datetime.date.min, r.pk))
    assert [m["id"] for m in chunk if m["person_id"] == world.slug] == [str(r.uid) for r in roles]
    assert [r.title for r in roles][-2:] == ["Diplomat", "Ambassador"]  # undated, in id order
    assert [r.date_lower for r in roles][1:3] == [day("2004-03-09")] * 2  # a tie on the start, in id order


def test_memberships_walk_the_keyset_without_skipping_or_repeating(world):
    whole = [m["id"] for chunk in popolo.memberships() for m in chunk]

    for size in (1, 2, 4):
        chunks = list(popolo.memberships(chunk_rows=size))
        assert [m["id"] for chunk in chunks for m in chunk] == whole
        assert [len(chunk) for chunk in chunks][:-1] == [size] * (len(chunks) - 1)


def test_people_and_organisations_are_read_in_id_chunks(world):
    chunks = list(popolo.persons(chunk_rows=2))

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert [p["id"] for chunk in chunks for p in chunk] == list(
        Person.objects.order_by("pk").values_list("slug", flat=True)
    )
    assert [o["id"] for chunk in popolo.organizations(chunk_rows=2) for o in chunk] == list(
        Organisation.objects.order_by("pk").values_list("slug", flat=True)
    )


@pytest.mark.parametrize(
    ("rows", "queries"),
    [
        # Chunks of 2. People and organisations: rows, aliases, identifiers per chunk;
        # memberships: one query per chunk; a full last chunk costs one more (empty) query.
        (1, 3 + 3 + 1),
        (3, 3 * 2 + 3 * 2 + 2),
        (4, (3 * 2 + 1) + (3 * 2 + 1) + (2 + 1)),
    ],
)
def test_queries_per_chunk_are_fixed(api_client, django_assert_num_queries, monkeypatch, rows, queries):
    monkeypatch.setattr(popolo, "CHUNK_ROWS", 2)
    for _ in range(rows):
        role = RoleFactory(date_lower=day("2020-01-01"), date_upper=day("2020-12-31"), date_precision="year")
        AliasFactory(entity=role.person)
        AliasFactory(entity=role.organisation)
        IdentifierFactory(entity=role.person)

    with django_assert_num_queries(queries):
        data = json.loads(streamed(api_client.get(URL)))

    assert [len(data[key]) for key in ("persons", "organizations", "memberships")] == [rows] * 3


def test_an_empty_database_gives_empty_lists(api_client):
    response = api_client.get(URL)

    assert streamed(response) == b'{"persons":[],"organizations":[],"memberships":[]}'


def test_other_formats_are_refused_not_failed(api_client, world):
    browsable = api_client.get(URL, {"format": "api"})
    indented = api_client.get(URL, HTTP_ACCEPT="application/json; indent=4")

    assert browsable.status_code == 404
    assert indented.status_code == 200
    assert json.loads(streamed(indented)) == json.loads(streamed(api_client.get(URL)))
