"""An entity list searched for few matches on PostgreSQL (`entities/`, and a typed list in
name or id order): its page and capped count in one statement that reads each match's row
once, with the name and kind it is ordered by (factbase/indexes/search.py,
`EntityNameMatches`), answering as the ORM's read of the same matches by id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.indexes import entity_words, search
from factbase.models import Entity, Person
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's matches read whole"),
]

# What the statement reads (entity_names.PG_NAMED_MATCHES), found in the captured SQL.
NAMED = "UNION SELECT e.id, e.name, e.kind FROM factbase_alias"


@pytest.fixture(autouse=True)
def _without_the_entity_word_index(monkeypatch):
    """The name and alias GIN indexes' read: the entity word index, which answers a prefix of
    few words first, is tested in tests/factbase/indexes/test_entity_words.py."""
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)


@pytest.fixture
def summits(db):
    """Entities of every kind named "summit" or holding it in an alias: names that tie across
    kinds (their order then by id), one matched by its name and an alias (once), one by its
    alias only, and some not matched."""
    made = [
        EventFactory(name="Summit in Minsk", event_type="meeting"),
        PersonFactory(name="Summit in Minsk"),  # the same name, another kind
        EventFactory(name="Summit in Geneva", event_type="meeting"),
        OrganisationFactory(name="Summit Council", slug="summit-council"),
        EventFactory(name="Talks in Oslo", event_type="conference"),
        PersonFactory(name="Ana Summitry"),
        OrganisationFactory(name="Arctic Council", slug="arctic"),
    ]
    AliasFactory(entity=made[4], name="Oslo summit")  # by its alias only
    AliasFactory(entity=made[2], name="Geneva summit")  # by its name and an alias: once
    return made


ASKED = [
    {"q": "summit"},
    {"q": "summit", "ordering": "name"},
    {"q": "summit", "ordering": "-name"},
    {"q": "summit", "ordering": "kind"},
    {"q": "summit", "ordering": "-kind"},
    {"q": "summit", "ordering": "kind,-name"},
    {"q": "summit", "ordering": "id"},
    {"q": "summit", "ordering": "-id"},
    {"q": "summit", "page_size": 2, "page": 2},
    {"q": "summit", "ordering": "-name", "page_size": 2, "page": 3},
    {"q": "sum", "page_size": 2},
    {"q": "summit minsk"},
    {"q": "summit geneva", "ordering": "-name"},  # name and alias both hold the two words
    {"q": "zzyzx"},
    {"q": "summit", "kind": "event"},  # a kind: its matches alone
    {"q": "summit", "facets": "kind"},
]
# Typed lists: (path, params, read so).
TYPED = [
    ("/api/v1/people/", {"q": "summit"}, True),
    ("/api/v1/people/", {"q": "summit", "ordering": "-name"}, True),
    ("/api/v1/people/", {"q": "summit", "ordering": "-id", "page_size": 1, "page": 2}, True),
    ("/api/v1/people/", {"q": "summit", "ordering": "family_name"}, False),  # on the person row
    ("/api/v1/organisations/", {"q": "summit council"}, True),
    ("/api/v1/organisations/", {"q": "council", "ordering": "-type"}, False),
    ("/api/v1/events/", {"q": "summit minsk", "ordering": "-name"}, True),  # two terms, by name
    ("/api/v1/events/", {"q": "summit minsk"}, False),  # by date
]


def _answers(api_client, asked) -> tuple[list, list[list[str]]]:
    """The bodies of `asked` ((path, params) pairs) and the statements of each."""
    answers, statements = [], []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            answers.append(api_client.get(path, params).json())
        statements.append([query["sql"] for query in queries.captured_queries])
    return answers, statements


def test_a_page_of_few_matches_reads_them_once_with_their_names(api_client, summits, monkeypatch):
    """The same bodies as through the ORM (the matches' ids, then their rows read by id and
    sorted), in every ordering and page; each such list, filtered to a kind or not, is one
    statement for its page and count."""
    asked = [("/api/v1/entities/", params) for params in ASKED]
    named, statements = _answers(api_client, asked)
    monkeypatch.setattr(search, "entity_name_matches", lambda queryset: None)
    through_the_orm, unnamed = _answers(api_client, asked)

    assert named == through_the_orm
    assert not any(NAMED in sql for sqls in unnamed for sql in sqls)
    assert [(row["name"], row["kind"]) for row in named[0]["results"]] == [
        ("Ana Summitry", "person"),
        ("Summit Council", "organisation"),
        ("Summit in Geneva", "event"),
        ("Summit in Minsk", "event"),  # the tie: by id
        ("Summit in Minsk", "person"),
        ("Talks in Oslo", "event"),
    ]
    assert named[0]["count"] == 6
    by_kind = named[ASKED.index({"q": "summit", "ordering": "kind,-name"})]["results"]
    assert [(row["kind"], row["name"]) for row in by_kind] == [
        ("event", "Talks in Oslo"),
        ("event", "Summit in Minsk"),
        ("event", "Summit in Geneva"),
        ("organisation", "Summit Council"),
        ("person", "Summit in Minsk"),
        ("person", "Ana Summitry"),
    ]
    assert named[ASKED.index({"q": "summit", "kind": "event"})]["count"] == 3
    # The page and its count, one statement for each list asked; of the kind's matches alone
    # for the one filtered to a kind.
    reads = [[sql for sql in sqls if NAMED in sql] for sqls in statements]
    assert [len(read) for read in reads] == [1] * len(ASKED)
    assert "WHERE kind IN ('event')" in reads[ASKED.index({"q": "summit", "kind": "event"})][0]
    reading = [sql for read in reads for sql in read]
    assert not any("count(*)" in sql.lower() for sql in reading)
    assert any("ORDER BY name DESC, id DESC" in sql for sql in reading)
    assert any("ORDER BY kind ASC, name DESC, id DESC" in sql for sql in reading)


def test_a_typed_list_in_name_or_id_order_reads_its_kinds_matches_so(api_client, summits, monkeypatch):
    """People, organisations and events searched for few matches, in an order of the entity
    row's columns: the same bodies as through the ORM, their page and count from the matches
    of their kind alone; in an order of their own table's columns (or the events' dates),
    through the ORM."""
    asked = [(path, params) for path, params, _ in TYPED]
    named, statements = _answers(api_client, asked)
    monkeypatch.setattr(search, "entity_name_matches", lambda queryset: None)
    through_the_orm, _ = _answers(api_client, asked)

    assert named == through_the_orm
    assert [[sql for sql in sqls if NAMED in sql] != [] for sqls in statements] == [read for _, _, read in TYPED]
    assert [row["name"] for row in named[0]["results"]] == ["Ana Summitry", "Summit in Minsk"]
    assert [row["name"] for row in named[2]["results"]] == ["Summit in Minsk"] and named[2]["count"] == 2
    assert [row["name"] for row in named[4]["results"]] == ["Summit Council"]
    assert [row["name"] for row in named[6]["results"]] == ["Summit in Minsk"]
    read = next(sql for sql in statements[1] if NAMED in sql)
    assert "WHERE kind IN ('person')" in read, read


def test_only_a_search_of_few_matches_in_an_order_of_the_entity_rows_columns_is_read_so(summits):
    """Not an order the statement's columns cannot give, not a list filtered by anything
    else but a kind, not a walk of many matches (the entity word index, switched off here,
    reads one: its tests); a typed list by name or id, with its kind."""
    searched = Entity.objects.matching("summit")
    assert search.entity_name_matches(searched.order_by("name", "id")) is not None
    assert search.entity_name_matches(searched.order_by("-updated", "id")) is None
    assert search.entity_name_matches(searched.filter(kind="event")).kinds == ("event",)
    assert search.entity_name_matches(searched.filter(kind="event").filter(kind="person")) is None
    assert search.entity_name_matches(searched.filter(slug__startswith="s")) is None
    people = Person.objects.matching("summit")
    assert search.entity_name_matches(people.order_by("name", "entity_ptr")).kinds == ("person",)
    assert search.entity_name_matches(people.order_by("family_name", "pk")) is None
    assert search.entity_name_matches(people.filter(nationality__isnull=True).order_by("name")) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "MANY_MATCHES", -1)
        walked = Entity.objects.matching("summit").order_by("name", "id")
    assert search.entity_name_matches(walked) is None  # but from the entity word index (its tests)
