"""The entity word index (factbase/indexes/entity_words.py, PostgreSQL): its rows follow every
write of an entity's name or of an alias, merges and unmerges included, and an entity search
of one word reads its page, count and kind facet there with the same answers as from the
name and alias GIN indexes."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from factbase.indexes import entity_words, search
from factbase.models import Alias, Entity
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the entity word index is PostgreSQL's alone"),
]

# What a read from the index looks like in the captured SQL.
READ = "FROM factbase_entity_words WHERE lexeme = "


class _Rollback(Exception):
    pass


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, entity_id, name, kind FROM {entity_words.TABLE} ORDER BY 1, 2")  # noqa: S608
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    """The rows, as a rebuild from the entity and alias tables as they stand gives them."""
    try:
        with transaction.atomic():
            entity_words.INDEX.rebuild(connection)
            rebuilt = _rows()
            raise _Rollback
    except _Rollback:
        pass
    rows = _rows()
    assert rows == rebuilt
    return rows


def _words_of(entity) -> set[str]:
    return {lexeme for lexeme, entity_id, _, _ in _rows() if entity_id == entity.pk}


def test_the_index_follows_every_write_of_a_name_or_an_alias():
    lavrov = PersonFactory(name="Sergei Lavrov")
    other = PersonFactory(name="Sergey Lavrov")
    assert _words_of(lavrov) == {"sergei", "lavrov"}
    assert {(name, kind) for _, entity_id, name, kind in _rows() if entity_id == lavrov.pk} == {
        ("Sergei Lavrov", "person")
    }
    _in_step()
    Entity.objects.filter(pk=lavrov.pk).update(name="Sergei V. Lavrov")  # renamed: its name beside each word
    assert _words_of(lavrov) == {"sergei", "v", "lavrov"}
    assert {name for _, entity_id, name, _ in _rows() if entity_id == lavrov.pk} == {"Sergei V. Lavrov"}
    Entity.objects.filter(pk=lavrov.pk).update(normalised_name="x")  # neither name nor kind: rows stand
    _in_step()
    alias = AliasFactory(entity=lavrov, name="Moscow envoy")
    assert _words_of(lavrov) == {"sergei", "v", "lavrov", "moscow", "envoy"}
    AliasFactory(entity=lavrov, name="Lavrov")  # a word its name holds too: one row
    assert len([row for row in _rows() if row[1] == lavrov.pk and row[0] == "lavrov"]) == 1
    Alias.objects.filter(pk=alias.pk).update(name="Kremlin envoy")
    assert "kremlin" in _words_of(lavrov) and "moscow" not in _words_of(lavrov)
    Alias.objects.filter(pk=alias.pk).update(entity=other)  # moved: off one, onto the other
    assert "kremlin" not in _words_of(lavrov) and "kremlin" in _words_of(other)
    _in_step()
    Alias.objects.filter(pk=alias.pk).delete()
    assert "kremlin" not in _words_of(other)
    _in_step()
    org = OrganisationFactory(name="Lavrov Foundation", slug="lavrov-foundation")
    assert {kind for _, entity_id, _, kind in _rows() if entity_id == org.pk} == {"organisation"}
    Alias.objects.filter(entity=lavrov).delete()
    Entity.objects.filter(pk=lavrov.pk).delete()
    assert _words_of(lavrov) == set()
    _in_step()


def test_a_merge_and_an_unmerge_leave_it_in_step():
    survivor = PersonFactory(name="Sergei Lavrov")
    loser = PersonFactory(name="S. V. Lavrov")
    loser_pk = loser.pk
    AliasFactory(entity=loser, name="Foreign minister")
    entity_merge(survivor=survivor, loser=loser)
    rows = _in_step()
    assert {"minister", "foreign"} <= _words_of(survivor)
    assert not [row for row in rows if row[1] == loser_pk]
    entity_unmerge(merged_id=loser_pk)
    _in_step()
    assert "minister" in _words_of(Entity.objects.get(pk=loser_pk))


@pytest.fixture
def summits(db):
    """Entities of every kind holding the word "summit" in their name or an alias, "summitry"
    in one (so `summit` is a prefix of two words, `summit` exact of one), names that tie
    across kinds, and some not matched."""
    made = [
        EventFactory(name="Summit in Minsk", event_type="meeting"),
        PersonFactory(name="Summit in Minsk"),  # the same name, another kind
        EventFactory(name="Summit in Geneva", event_type="meeting"),
        OrganisationFactory(name="Summit Council", slug="summit-council"),
        EventFactory(name="Talks in Oslo", event_type="conference"),
        PersonFactory(name="Ana Summitry"),
        OrganisationFactory(name="Arctic Council", slug="arctic"),
        PersonFactory(name="Maria Geneva"),
    ]
    AliasFactory(entity=made[4], name="Oslo summit")  # by its alias only
    AliasFactory(entity=made[2], name="Geneva summit")  # by its name and an alias: once
    return made


# Searches read whole (few matches), each as `entities/` asks them.
ASKED = [
    {"q": "geneva"},  # one word of the index: read there
    {"q": "Geneva", "ordering": "-name"},
    {"q": "genev", "ordering": "id"},  # a prefix of that one word only
    {"q": "geneva", "ordering": "-id", "page_size": 1, "page": 2},
    {"q": "geneva", "ordering": "kind,-name"},
    {"q": "council", "page_size": 1, "page": 2},
    {"q": "minsk", "facets": "kind"},
    {"q": "council", "facets": "kind", "ordering": "-kind"},
    {"q": "summit"},  # a prefix of two words (summit, summitry): the GIN indexes
    {"q": "summit", "facets": "kind"},
    {"q": "summit minsk"},  # two terms
    {"q": "zzyzx"},  # no word
    {"q": "geneva", "kind": "event"},  # another filter: not read whole
]
TYPED = [
    ("/api/v1/people/", {"q": "geneva"}),
    ("/api/v1/people/", {"q": "minsk", "ordering": "-name"}),
    ("/api/v1/events/", {"q": "summit geneva", "ordering": "name"}),
    ("/api/v1/organisations/", {"q": "council", "ordering": "-id"}),
]
# Which of ASKED + TYPED read the index.
READS = [True, True, True, True, True, True, True, True, False, False, False, False, False] + [True, True, False, True]


def _answers(api_client, asked) -> tuple[list, list[list[str]]]:
    answers, statements = [], []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(path, params)
        assert response.status_code == 200, response.content
        answers.append(response.json())
        statements.append([query["sql"] for query in queries.captured_queries])
    return answers, statements


def test_a_search_of_one_word_reads_the_index_with_the_same_answers(api_client, summits, monkeypatch):
    """Pages in every ordering, counts and the kind facet of `entities/`, and typed lists:
    the same bodies with the index and without it; the index read for one word (a prefix of
    one word included), never for a prefix of several, several terms, or another filter."""
    asked = [("/api/v1/entities/", params) for params in ASKED] + TYPED
    worded, statements = _answers(api_client, asked)
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    unworded, without = _answers(api_client, asked)

    assert worded == unworded
    assert not any(READ in sql for sqls in without for sql in sqls)
    assert [any(READ in sql for sql in sqls) for sqls in statements] == READS
    geneva = worded[0]
    assert [(row["name"], row["kind"]) for row in geneva["results"]] == [
        ("Maria Geneva", "person"),
        ("Summit in Geneva", "event"),
    ]
    assert geneva["count"] == 2
    assert worded[ASKED.index({"q": "minsk", "facets": "kind"})]["facets"]["kind"] == [
        {"value": "event", "label": "Event", "count": 1},
        {"value": "person", "label": "Person", "count": 1},
    ]
    # The page and its count: one statement of the index, no COUNT.
    reads = [sql for sql in statements[0] if READ in sql]
    assert len(reads) == 1 and reads[0].endswith("LIMIT 1001 OFFSET 0"), reads
    assert "ORDER BY name DESC, id DESC" in next(sql for sql in statements[1] if READ in sql)
    # The kind facet: the word's entries grouped by kind (search.EntityWordRows).
    faceted = statements[ASKED.index({"q": "minsk", "facets": "kind"})]
    assert [sql for sql in faceted if READ in sql and sql.endswith("GROUP BY kind")], faceted


def test_a_word_is_read_there_only_when_the_query_matches_it_alone(summits):
    """`search.entity_word`: one prefix term matching exactly one word of the index."""
    with connection.cursor() as cursor:
        assert search.entity_word(cursor, "Geneva") == "geneva"
        assert search.entity_word(cursor, "gen") == "geneva"
        assert search.entity_word(cursor, "summit") is None  # summit, summitry
        assert search.entity_word(cursor, "summitr") == "summitry"
        assert search.entity_word(cursor, "summit minsk") is None
        assert search.entity_word(cursor, "zzyzx") is None
        assert search.entity_word(cursor, "!!") is None


def test_the_reconciliations_first_matches_read_it_with_the_same_answers(summits, monkeypatch):
    asked = [("geneva", []), ("council", ["organisation"]), ("minsk", ["person", "event"]), ("summit", [])]
    found = [search.first_entity_ids(q, "default", kinds=kinds, limit=5) for q, kinds in asked]
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    assert found == [search.first_entity_ids(q, "default", kinds=kinds, limit=5) for q, kinds in asked]
    assert [len(ids) for ids in found] == [2, 2, 2, 5]
