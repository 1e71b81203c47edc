"""The entity word index (factbase/indexes/entity_words.py, both engines): its rows follow
every write of an entity's name or of an alias, merges and unmerges included, and an entity
search of one word reads its page, count and kind facet there with the same answers as from
the name and alias indexes (GIN on PostgreSQL, FTS5 on SQLite)."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from factbase.indexes import entity_words, search
from factbase.models import Alias, Entity, Person
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factbase.indexes.answers import in_step, live
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"

# What a read from the index looks like in the captured SQL.
READ = "FROM factbase_entity_words WHERE lexeme = "


@pytest.fixture(autouse=True)
def live_definitions(db):
    yield from live(entity_words.INDEX)


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, entity_id, name, kind FROM {entity_words.TABLE} ORDER BY 1, 2")  # noqa: S608
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    """The rows, in step with the tables; and beside each entity's words, a row for the first
    letter of each, with the same name and kind."""
    rows = in_step(entity_words.INDEX, _rows)
    assert {row for row in rows if row[0].startswith(entity_words.LETTER)} == {
        (entity_words.LETTER + lexeme[0], entity_id, name, kind)
        for lexeme, entity_id, name, kind in rows
        if not lexeme.startswith(entity_words.LETTER)
    }
    return rows


def _words_of(entity) -> set[str]:
    """The words of `entity`'s rows (not its letters': `_letters_of`)."""
    return {
        lexeme
        for lexeme, entity_id, _, _ in _rows()
        if entity_id == entity.pk and not lexeme.startswith(entity_words.LETTER)
    }


def _letters_of(entity) -> set[str]:
    return {
        lexeme.removeprefix(entity_words.LETTER)
        for lexeme, entity_id, _, _ in _rows()
        if entity_id == entity.pk and lexeme.startswith(entity_words.LETTER)
    }


def test_the_index_follows_every_write_of_a_name_or_an_alias():
    lavrov = PersonFactory(name="Sergei Lavrov")
    other = PersonFactory(name="Sergey Lavrov")
    assert _words_of(lavrov) == {"sergei", "lavrov"}
    assert _letters_of(lavrov) == {"s", "l"}
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
    assert _letters_of(lavrov) == {"s", "v", "l", "m", "e"}
    _in_step()
    AliasFactory(entity=lavrov, name="Lavrov")  # a word its name holds too: one row
    assert len([row for row in _rows() if row[1] == lavrov.pk and row[0] == "lavrov"]) == 1
    Alias.objects.filter(pk=alias.pk).update(name="Kremlin envoy")
    assert "kremlin" in _words_of(lavrov) and "moscow" not in _words_of(lavrov)
    Alias.objects.filter(pk=alias.pk).update(entity=other)  # moved: off one, onto the other
    assert "kremlin" not in _words_of(lavrov) and "kremlin" in _words_of(other)
    assert "k" not in _letters_of(lavrov) and "k" in _letters_of(other)
    _in_step()
    Alias.objects.filter(pk=alias.pk).delete()
    assert "kremlin" not in _words_of(other)
    _in_step()
    org = OrganisationFactory(name="Lavrov Foundation", slug="lavrov-foundation")
    assert {kind for _, entity_id, _, kind in _rows() if entity_id == org.pk} == {"organisation"}
    # The words as each engine's name index holds them: SQLite's FTS5 folds diacritics.
    forum = OrganisationFactory(name="Zürich Forum", slug="zurich-forum")
    assert _words_of(forum) == ({"zürich", "forum"} if POSTGRESQL else {"zurich", "forum"})
    _in_step()
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
    in one that holds "summit" too (so `summit` is a prefix of two words, `summitr` of one),
    names that tie across kinds, and some not matched."""
    made = [
        EventFactory(name="Summit in Minsk", event_type="meeting"),
        PersonFactory(name="Summit in Minsk"),  # the same name, another kind
        EventFactory(name="Summit in Geneva", event_type="meeting"),
        OrganisationFactory(name="Summit Council", slug="summit-council"),
        EventFactory(name="Talks in Oslo", event_type="conference"),
        PersonFactory(name="Ana Summitry"),
        OrganisationFactory(name="Arctic Council", slug="arctic"),
        PersonFactory(name="Maria Geneva"),
        OrganisationFactory(name="Summitry Institute", slug="summitry"),  # summitry alone
    ]
    AliasFactory(entity=made[4], name="Oslo summit")  # by its alias only
    AliasFactory(entity=made[2], name="Geneva summit")  # by its name and an alias: once
    AliasFactory(entity=made[5], name="Summit envoy")  # summitry and summit: once
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
    {"q": "summit"},  # a prefix of two words (summit, summitry): both walked, merged
    {"q": "summit", "ordering": "-name", "page_size": 2, "page": 2},
    {"q": "summit", "ordering": "kind,-id"},
    {"q": "summit", "facets": "kind"},
    {"q": "summit minsk"},  # two terms: the GIN indexes
    {"q": "zzyzx"},  # no word
    {"q": "geneva", "kind": "event"},  # a kind: its walks alone
]
TYPED = [
    ("/api/v1/people/", {"q": "geneva"}),
    ("/api/v1/people/", {"q": "summit", "ordering": "-name"}),
    ("/api/v1/events/", {"q": "summit geneva", "ordering": "name"}),
    ("/api/v1/organisations/", {"q": "council", "ordering": "-id"}),
]
# Which of ASKED + TYPED read the index.
READS = [True] * 12 + [False, False, True] + [True, True, False, True]


def _answers(api_client, asked) -> tuple[list, list[list[str]]]:
    answers, statements = [], []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(path, params)
        assert response.status_code == 200, response.content
        answers.append(response.json())
        statements.append([query["sql"] for query in queries.captured_queries])
    return answers, statements


def _same_without_the_index(api_client, asked, monkeypatch, reading: str) -> tuple[list, list[list[str]]]:
    """The bodies of `asked` and each one's statements, with the index; the same bodies
    asked again with it switched off, and then no statement holding `reading`."""
    indexed, statements = _answers(api_client, asked)
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    unindexed, without = _answers(api_client, asked)
    assert indexed == unindexed
    assert not any(reading in sql for sqls in without for sql in sqls)
    return indexed, statements


def test_a_search_of_one_word_reads_the_index_with_the_same_answers(api_client, summits, monkeypatch):
    """Pages in every ordering, counts and the kind facet of `entities/`, and typed lists:
    the same bodies with the index and without it; the index read for one word (a prefix of
    one word included), never for a prefix of several, several terms, or another filter."""
    asked = [("/api/v1/entities/", params) for params in ASKED] + TYPED
    worded, statements = _same_without_the_index(api_client, asked, monkeypatch, READ)
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
    # The kind facet: each kind's walks counted no further than the cap, in one statement
    # (search.entity_word_counts).
    faceted = [
        sql for sql in statements[ASKED.index({"q": "minsk", "facets": "kind"})] if READ in sql and "count(*)" in sql
    ]
    assert len(faceted) == 1 and faceted[0].count(READ) == 4 and faceted[0].count("LIMIT 1001) found)") == 4, faceted
    # A prefix of two words: each word's entries of each kind walked, merged; an entity
    # holding both words listed once.
    summit = worded[ASKED.index({"q": "summit"})]
    assert [row["name"] for row in summit["results"]] == [
        "Ana Summitry",
        "Summit Council",
        "Summit in Geneva",
        "Summit in Minsk",
        "Summit in Minsk",
        "Summitry Institute",
        "Talks in Oslo",
    ]
    assert summit["count"] == 7
    assert worded[ASKED.index({"q": "summit", "facets": "kind"})]["facets"]["kind"] == [
        {"value": "event", "label": "Event", "count": 3},
        {"value": "organisation", "label": "Organisation", "count": 2},
        {"value": "person", "label": "Person", "count": 2},
    ]
    merged = [sql for sql in statements[ASKED.index({"q": "summit"})] if READ in sql]
    assert len(merged) == 1 and merged[0].count(READ) == 2 * 4, merged
    # Merged as they come: DISTINCT ON the order on PostgreSQL, a compound SELECT's UNION on SQLite.
    assert ("SELECT DISTINCT ON (name, id)" if POSTGRESQL else " UNION SELECT ") in merged[0], merged
    # A typed list walks its own kind's entries alone.
    typed = [sql for sql in statements[len(ASKED) + 1] if READ in sql]
    assert len(typed) == 1 and typed[0].count(READ) == 2 and typed[0].count("AND kind = 'person'") == 2, typed


def test_a_query_is_read_there_when_it_is_a_prefix_of_few_words(summits, monkeypatch):
    """`search.entity_words_of`: one prefix term, and the words it matches there, from one to
    MERGED_WORDS."""
    with connection.cursor() as cursor:
        assert search.entity_words_of(cursor, "Geneva") == ("geneva",)
        assert search.entity_words_of(cursor, "gen") == ("geneva",)
        assert search.entity_words_of(cursor, "summit") == ("summit", "summitry")
        assert search.entity_words_of(cursor, "summitr") == ("summitry",)
        assert search.entity_words_of(cursor, "summit minsk") is None
        assert search.entity_words_of(cursor, "zzyzx") is None
        assert search.entity_words_of(cursor, "!!") is None
        # A letter SQLite's FTS5 folds starts no word there (its words are folded): read from FTS5.
        PersonFactory(name="Ana Sümmitova")
        assert search.entity_words_of(cursor, "Sümmit") == (("sümmitova",) if POSTGRESQL else None)
        monkeypatch.setattr(entity_words, "MERGED_WORDS", 1)
        assert search.entity_words_of(cursor, "summit") is None
        assert search.entity_words_of(cursor, "summitr") == ("summitry",)


def test_the_reconciliations_first_matches_read_it_with_the_same_answers(summits, monkeypatch):
    asked = [("geneva", []), ("council", ["organisation"]), ("minsk", ["person", "event"]), ("summit", [])]
    found = [search.first_entity_ids(q, "default", kinds=kinds, limit=5) for q, kinds in asked]
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    assert found == [search.first_entity_ids(q, "default", kinds=kinds, limit=5) for q, kinds in asked]
    assert [len(ids) for ids in found] == [2, 2, 2, 5]


def test_the_reconciliations_deep_matches_of_many_read_it_on_sqlite(summits, monkeypatch):
    # A suggestion's cursor reaches 1,000: past the probes (search.PROBED_ROWS), SQLite read
    # every match of `a` into two lists for the page at 1,000 (22 ms at a million claims);
    # the letter's entries walked in name order, 2.6 ms. PostgreSQL walks its own name test.
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    monkeypatch.setattr(search, "PROBED_ROWS", 0)
    asked = [("s", []), ("s", ["event"]), ("summit", []), ("minsk", ["person", "event"])]
    with CaptureQueriesContext(connection) as queries:
        found = [search.first_entity_ids(q, "default", kinds=kinds, limit=2, offset=1) for q, kinds in asked]
    walks = [
        query["sql"]
        for query in queries.captured_queries
        if "SELECT entity_id AS id, name, kind" + f" {READ}" in query["sql"]
    ]
    assert len(walks) == (0 if POSTGRESQL else len(asked)), walks
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    assert found == [search.first_entity_ids(q, "default", kinds=kinds, limit=2, offset=1) for q, kinds in asked]
    assert all(found), found


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite reads such an order through the ORM (search.entity_name_matches)")
def test_an_order_that_does_not_end_at_the_id_is_read_from_the_name_indexes(summits):
    """The merged walks are deduplicated on the order's columns: an order without the id
    would drop an entity that ties with another on them (two "Summit in Minsk"), so it is read
    as before, from the name and alias indexes."""
    by_name = search.EntityNameMatches("minsk", "default", ("name ASC",))
    with CaptureQueriesContext(connection) as queries:
        found = by_name[0:10]
    assert sorted(found) == sorted(entity.pk for entity in summits[:2])
    assert not any(READ in query["sql"] for query in queries.captured_queries)
    assert search.EntityNameMatches("minsk", "default", ("name ASC", "id ASC"))[0:10] == [pk for pk in sorted(found)]


# A walk of the letter rows of `s` (entity_words.LETTER), as a page, its count or a facet reads them.
LETTER_WALK = f"SELECT entity_id AS id, name, kind FROM factbase_entity_words WHERE lexeme = '{entity_words.LETTER}s'"
# Searches of one letter, each as a client asks them.
ONE_LETTER = [
    ("/api/v1/entities/", {"q": "s"}),
    ("/api/v1/entities/", {"q": "S", "ordering": "-name"}),
    ("/api/v1/entities/", {"q": "s", "ordering": "kind,-id"}),
    ("/api/v1/entities/", {"q": "s", "page_size": 2, "page": 2}),
    ("/api/v1/entities/", {"q": "s", "facets": "kind"}),
    ("/api/v1/people/", {"q": "s"}),
    ("/api/v1/organisations/", {"q": "s", "ordering": "-id"}),
    ("/api/v1/entities/", {"q": "s", "kind": "person", "ordering": "-name"}),  # the kind's walk alone
    ("/api/v1/entities/", {"q": "s", "kind": "organisation", "facets": "kind"}),
    ("/api/v1/entities/", {"q": "s m"}),  # two terms: as before
]
LETTER_READS = [True] * 9 + [False]


@pytest.mark.parametrize("walked", [True, False], ids=["walked", "read-whole"])
def test_a_search_of_one_letter_reads_its_letter_rows_with_the_same_answers(api_client, summits, monkeypatch, walked):
    """A query of one letter starts more words than the walks merge (`a`): its page, count and
    kind facet are one walk of its letter's rows, per kind, whether the list walks its
    matches (more than MANY_MATCHES) or reads them whole, with the same bodies as without
    the index."""
    if walked:
        monkeypatch.setattr(search, "MANY_MATCHES", 2 if not POSTGRESQL else 0)
    assert search.indexed_search(Entity.objects.matching("s")) == ("s", walked, ())
    # Anything else than a kind, or two kinds, or a typed list's other kind: not read there.
    assert search.indexed_search(Entity.objects.matching("s").filter(kind="person")) == ("s", walked, ("person",))
    assert search.indexed_search(Entity.objects.matching("s").filter(slug="summit-council")) is None
    assert search.indexed_search(Entity.objects.matching("s").filter(kind="person").filter(kind="event")) is None
    assert search.indexed_search(Person.objects.matching("s").filter(given_name="Ana")) is None
    assert search.indexed_search(Person.objects.matching("s").filter(kind="event")) is None
    assert search.indexed_search(Entity.objects.matching("s").filter(kind=F("kind"))) is None  # not a constant
    lettered, statements = _same_without_the_index(api_client, ONE_LETTER, monkeypatch, LETTER_WALK)
    assert [any(LETTER_WALK in sql for sql in sqls) for sqls in statements] == LETTER_READS
    assert [row["name"] for row in lettered[0]["results"]] == [
        "Ana Summitry",
        "Summit Council",
        "Summit in Geneva",
        "Summit in Minsk",
        "Summit in Minsk",
        "Summitry Institute",
        "Talks in Oslo",
    ]
    assert lettered[0]["count"] == 7
    assert lettered[ONE_LETTER.index(("/api/v1/entities/", {"q": "s", "facets": "kind"}))]["facets"]["kind"] == [
        {"value": "event", "label": "Event", "count": 3},
        {"value": "organisation", "label": "Organisation", "count": 2},
        {"value": "person", "label": "Person", "count": 2},
    ]
    # The page and its count: one statement, each kind's walk stopped at the count's cap (on
    # PostgreSQL in the walk itself, for its plan), and no other read of the matches: no
    # FTS5 probe of a page (search.probed_page), no FTS5 count of the matches
    # (search._many_entities counts the letter's entries).
    page = [sql for sql in statements[0] if LETTER_WALK in sql]
    assert len(page) == 1 and page[0].count(LETTER_WALK) == 4 and page[0].endswith("LIMIT 1001 OFFSET 0"), page
    if POSTGRESQL:
        assert page[0].count("ORDER BY name ASC, id ASC LIMIT 1001)") == 4, page
        assert not any("to_tsvector" in sql and "EXPLAIN" not in sql for sql in statements[0]), statements[0]
    else:
        assert not any("factbase_entity_fts" in sql or "factbase_alias_fts" in sql for sql in statements[0])
    # The kind facet: each kind's walk stopped at the cap, in one statement.
    faceted = [
        sql
        for sql in statements[ONE_LETTER.index(("/api/v1/entities/", {"q": "s", "facets": "kind"}))]
        if LETTER_WALK in sql and "count(*)" in sql
    ]
    assert len(faceted) == 1 and faceted[0].count(LETTER_WALK) == 4, faceted
    typed = [sql for sql in statements[ONE_LETTER.index(("/api/v1/people/", {"q": "s"}))] if LETTER_WALK in sql]
    assert len(typed) == 1 and typed[0].count(LETTER_WALK) == 1 and "AND kind = 'person'" in typed[0], typed
    # entities/ filtered to a kind: that kind's walk alone, for the page and for its kind
    # facet (no other kind is in the list).
    kinded = [sql for sql in statements[7] if LETTER_WALK in sql]
    assert len(kinded) == 1 and kinded[0].count(LETTER_WALK) == 1 and "AND kind = 'person'" in kinded[0], kinded
    assert [row["name"] for row in lettered[7]["results"]] == ["Summit in Minsk", "Ana Summitry"]
    faceted = [sql for sql in statements[8] if LETTER_WALK in sql and "count(*)" in sql]
    assert len(faceted) == 1 and faceted[0].count(LETTER_WALK) == 1 and "kind = 'organisation'" in faceted[0]
    assert lettered[8]["facets"]["kind"] == [{"value": "organisation", "label": "Organisation", "count": 2}]


@pytest.mark.skipif(POSTGRESQL, reason="PostgreSQL asks its planner's estimate (search._many_entities)")
def test_sqlite_counts_a_letters_matches_in_its_letter_rows(summits, monkeypatch):
    """Whether a search of one letter walks its list or reads its matches whole
    (`search._many_entities`): its letter's entries counted no further than MANY_MATCHES,
    each entity once (7 hold a word starting with `s`; FTS5 counts its 6 names and 3 aliases)."""
    monkeypatch.setattr(search, "MANY_MATCHES", 7)
    with CaptureQueriesContext(connection) as queries:
        assert not search._many_entities("s", "default")
    counted = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT count(*) FROM (")]
    assert counted == [
        f"SELECT count(*) FROM (SELECT 1 FROM factbase_entity_words WHERE lexeme = '{entity_words.LETTER}s' LIMIT 8)"
    ]
    monkeypatch.setattr(search, "MANY_MATCHES", 6)
    assert search._many_entities("s", "default")
    monkeypatch.setattr(search, "MANY_MATCHES", 8)  # more than the 7 entries, fewer than FTS5's 9
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    assert search._many_entities("s", "default")
