"""The event word index (factbase/indexes/event_words.py, both engines): its rows follow every
write of an event's name, aliases, date, type and status, merges and unmerges included, and
an event search of one word reads its page, count and facets there with the same answers as
from the name and alias indexes."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.indexes import entity_words, event_words, search
from factbase.models import Alias, Entity, Event
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factbase.indexes.answers import in_step, live, with_and_without
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"
# What a read of the index looks like in the captured SQL: a page's walk in the list's own
# order, in the id's, a facet's; any statement that names the table.
if SQLITE:
    READ = " FROM factbase_event_words INDEXED BY event_words_order WHERE lexeme = "
    BY_ID = " FROM factbase_event_words INDEXED BY sqlite_autoindex_factbase_event_words_1 WHERE lexeme = "
else:
    READ = "SELECT event_id, date_lower, name FROM factbase_event_words WHERE lexeme = "
    BY_ID = re.compile(
        r"\(SELECT event_id FROM factbase_event_words WHERE lexeme = '[^']+' ORDER BY event_id (ASC|DESC) LIMIT \d+\)"
    )
COUNTED = "SELECT event_id FROM factbase_event_words WHERE lexeme = "
NAMED = "FROM factbase_event_words"


def _by_id(sql: str) -> bool:
    """Whether `sql` walks the index in id order."""
    return BY_ID in sql if SQLITE else bool(BY_ID.search(sql))


# How each engine folds a word: FTS5 folds diacritics, PostgreSQL's 'simple' only the case.
ZURICH = "zurich" if SQLITE else "zürich"


@pytest.fixture(autouse=True)
def live_definitions(db):
    yield from live(event_words.INDEX)


def _rows() -> list[tuple]:
    """(word, date_key, name, event_id, type, status) of every row: the date as SQLite's
    date_key is (ISO text, DATE_UNKNOWN for an undated event) on both engines."""
    date_key = "date_key" if SQLITE else f"coalesce(date_lower::text, '{event_words.DATE_UNKNOWN}')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lexeme, {date_key}, name, event_id, event_type, status FROM {event_words.TABLE} ORDER BY 1, 4"  # noqa: S608
        )
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    return in_step(event_words.INDEX, _rows)


def _of(event) -> set[tuple]:
    """(word, date_key, name, type, status) of each of `event`'s rows of a word (not of a
    letter: `_letters`)."""
    return {
        (lexeme, date, name, kind, status)
        for lexeme, date, name, pk, kind, status in _rows()
        if pk == event.pk and not lexeme.startswith(entity_words.LETTER)
    }


def _letters(event) -> set[str]:
    """The letters of `event`'s letter rows."""
    return {
        row[0].removeprefix(entity_words.LETTER)
        for row in _rows()
        if row[3] == event.pk and row[0] != row[0].removeprefix(entity_words.LETTER)
    }


def test_the_index_follows_every_write_of_an_event():
    summit = EventFactory(name="Minsk Summit", event_type="meeting", date_lower=datetime.date(2021, 3, 1))
    assert _of(summit) == {
        ("minsk", "2021-03-01", "Minsk Summit", "meeting", "occurred"),
        ("summit", "2021-03-01", "Minsk Summit", "meeting", "occurred"),
    }
    assert _letters(summit) == {"m", "s"}  # each word's first letter, once
    _in_step()
    Entity.objects.filter(pk=summit.pk).update(name="Minsk Talks")  # its entity row renamed
    assert {row[0] for row in _of(summit)} == {"minsk", "talks"}
    assert {row[2] for row in _of(summit)} == {"Minsk Talks"}
    Event.objects.filter(pk=summit.pk).update(event_type="conference")
    assert {row[3] for row in _of(summit)} == {"conference"}
    Event.objects.filter(pk=summit.pk).update(status="planned")
    assert {row[4] for row in _of(summit)} == {"planned"}
    Event.objects.filter(pk=summit.pk).update(date_lower=None, date_upper=None)  # undated: after every date
    assert {row[1] for row in _of(summit)} == {event_words.DATE_UNKNOWN}
    Event.objects.filter(pk=summit.pk).update(
        date_lower=datetime.date(1999, 1, 2), date_upper=datetime.date(1999, 1, 2)
    )
    assert {row[1] for row in _of(summit)} == {"1999-01-02"}
    _in_step()
    alias = AliasFactory(entity=summit, name="Belarus round")
    assert {row[0] for row in _of(summit)} == {"minsk", "talks", "belarus", "round"}
    assert _letters(summit) == {"m", "t", "b", "r"}
    AliasFactory(entity=summit, name="Minsk")  # a word its name holds too: one row
    assert len([row for row in _rows() if row[3] == summit.pk and row[0] == "minsk"]) == 1
    Alias.objects.filter(pk=alias.pk).update(name="Zürich round")  # folded as the engine folds it
    assert {row[0] for row in _of(summit)} == {"minsk", "talks", ZURICH, "round"}
    other = EventFactory(name="Oslo Forum")
    Alias.objects.filter(pk=alias.pk).update(entity=other)  # moved: off one, onto the other
    assert ZURICH not in {row[0] for row in _of(summit)}
    assert ZURICH in {row[0] for row in _of(other)}
    _in_step()
    person = PersonFactory(name="Ana Summit")  # no event: no row
    AliasFactory(entity=person, name="Summit envoy")
    assert not [row for row in _rows() if row[3] == person.pk]
    Alias.objects.filter(pk=alias.pk).update(entity=person)  # moved off an event onto a person
    assert ZURICH not in {row[0] for row in _of(other)}
    Alias.objects.filter(pk=alias.pk).delete()
    Alias.objects.filter(entity=summit, name="Minsk").delete()  # its word stays: the name holds it
    assert "minsk" in {row[0] for row in _of(summit)}
    vienna = AliasFactory(entity=summit, name="Vienna round")
    assert "vienna" in {row[0] for row in _of(summit)}
    Alias.objects.filter(pk=vienna.pk).delete()
    assert "vienna" not in {row[0] for row in _of(summit)}
    assert "v" not in _letters(summit)
    _in_step()
    Event.objects.filter(pk=other.pk).delete()  # the event's row, then its entity row
    Entity.objects.filter(pk=other.pk).delete()
    assert _of(other) == set()
    _in_step()


def test_a_merge_and_an_unmerge_leave_it_in_step():
    survivor = EventFactory(name="Minsk Summit")
    loser = EventFactory(name="Summit of Minsk", date_lower=datetime.date(2020, 1, 1))
    loser_pk = loser.pk
    AliasFactory(entity=loser, name="Belarus talks")
    entity_merge(survivor=survivor, loser=loser)
    rows = _in_step()
    assert {"belarus", "talks", "of"} <= {row[0] for row in _of(survivor)}
    assert not [row for row in rows if row[3] == loser_pk]
    entity_unmerge(merged_id=loser_pk)
    _in_step()
    assert "belarus" in {row[0] for row in _of(Event.objects.get(pk=loser_pk))}


def test_a_rebuild_writes_every_row_from_the_tables():
    made = [EventFactory(name="Minsk Summit"), EventFactory(name="Oslo Forum", date_lower=None, date_upper=None)]
    AliasFactory(entity=made[1], name="Nordic round")
    PersonFactory(name="Ana Summit")  # no event: no row
    rows = _rows()
    assert {row[0] for row in rows} == {"minsk", "summit", "oslo", "forum", "nordic", "round"} | {
        entity_words.LETTER + letter for letter in "msofnr"
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {event_words.TABLE}")  # noqa: S608 - constant
    event_words.INDEX.rebuild(connection)
    assert _rows() == rows


@pytest.mark.skipif(SQLITE, reason="a truncate trigger is PostgreSQL's")
def test_a_truncate_of_the_aliases_or_the_events_rewrites_it():
    """The aliases truncated: every event's rows written again from its name alone; the
    events truncated: none left."""
    summit = EventFactory(name="Minsk Summit")
    AliasFactory(entity=summit, name="Belarus round")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check left pending
        cursor.execute("TRUNCATE factbase_alias")
        assert {row[0] for row in _of(summit)} == {"minsk", "summit"}
        _in_step()
        cursor.execute("TRUNCATE factbase_event CASCADE")
    assert _rows() == []


@pytest.mark.skipif(SQLITE, reason="PostgreSQL's statement triggers")
def test_a_write_that_changes_none_of_its_columns_rewrites_no_row():
    """Every update of events and entities runs the statement triggers (transition tables
    take no column list): they rewrite the rows of the events whose date, type, status or
    name changed, no others. Each column changed alone rewrites them."""
    summit = EventFactory(name="Minsk Summit", event_type="meeting", date_lower=datetime.date(2021, 3, 1))
    versions = f"SELECT ctid::text FROM {event_words.TABLE} ORDER BY lexeme"  # a row rewritten moves
    with connection.cursor() as cursor:

        def moved(write) -> bool:
            cursor.execute(versions)
            before = cursor.fetchall()
            write()
            cursor.execute(versions)
            return cursor.fetchall() != before

        events, entities = Event.objects.filter(pk=summit.pk), Entity.objects.filter(pk=summit.pk)
        assert not moved(lambda: events.update(date_upper=datetime.date(2021, 3, 9), location_text="Minsk"))
        assert not moved(lambda: entities.update(description="Talks in Minsk"))
        assert moved(lambda: events.update(date_lower=datetime.date(2021, 3, 2)))
        assert moved(lambda: events.update(event_type="conference"))
        assert moved(lambda: events.update(status="planned"))
        assert moved(lambda: entities.update(name="Minsk Talks"))
    _in_step()


@pytest.mark.skipif(SQLITE, reason="PostgreSQL's heap")
def test_a_rebuild_lays_a_words_rows_together():
    """PostgreSQL: a rebuild writes the rows in key order, so that a word's rows lie together
    in the heap, as its walks read them."""
    for name in ("Oslo Summit", "Minsk Forum", "Arctic Summit", "Summit of Oslo"):
        EventFactory(name=name)
    event_words.INDEX.rebuild(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, event_id FROM {event_words.TABLE} ORDER BY ctid")  # noqa: S608
        laid = cursor.fetchall()
    assert laid == sorted(laid)


@pytest.mark.skipif(not SQLITE, reason="SQLite's table rebuilds")
@pytest.mark.django_db(transaction=True)
def test_migrations_suspend_it_for_sqlites_table_rebuilds():
    """Its triggers read the entity, event and alias tables: SQLite refuses to rename a table
    a trigger reads, which its schema editor's table rebuild does, so migrations suspend them
    and put them back after, with a rebuild."""
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    assert event_words.INDEX.check(connection)  # its triggers gone
    with connection.schema_editor() as editor:
        editor._remake_table(Event)
    indexes.after_migrate(sender=None)
    assert event_words.INDEX.check(connection) == []
    event = EventFactory(name="Minsk Summit")
    assert {row[0] for row in _of(event)} == {"minsk", "summit"}


@pytest.fixture
def summits(db):
    """Events holding "summit" in their name or an alias on dates that tie (broken by name,
    then id), undated ones (last), "summitry" in one that holds "summit" too (so `summit` is a
    prefix of two words), others not matched, and a person and an organisation named for a
    summit (not events)."""
    day = datetime.date(2021, 5, 1)
    made = [
        EventFactory(name="Summit in Minsk", event_type="meeting", date_lower=day),
        EventFactory(name="Summit in Minsk", event_type="meeting", date_lower=day),  # a tie to the id
        EventFactory(name="Geneva Summit", event_type="conference", status="planned", date_lower=day),
        EventFactory(name="Talks in Oslo", event_type="conference", date_lower=datetime.date(2019, 2, 3)),
        EventFactory(name="Summitry Days", event_type="trip", date_lower=None, date_upper=None),
        EventFactory(name="Arctic Summit", event_type="trip", status="cancelled", date_lower=None, date_upper=None),
        EventFactory(
            name="Arctic Council Visit", date_lower=datetime.date(2022, 1, 1), date_upper=datetime.date(2022, 1, 2)
        ),
        PersonFactory(name="Ana Summit"),
        OrganisationFactory(name="Summit Council", slug="summit-council"),
    ]
    AliasFactory(entity=made[3], name="Oslo summit")  # by its alias only
    AliasFactory(entity=made[2], name="Summit at Geneva")  # by its name and an alias: once
    AliasFactory(entity=made[4], name="Summit week")  # summitry and summit: once
    return made


# Event searches as `events/` asks them.
ASKED = [
    {"q": "summit"},  # a prefix of two words (summit, summitry): both walked, merged
    {"q": "Summit", "page_size": 2, "page": 2},
    {"q": "summitr"},  # a prefix of one word
    {"q": "oslo"},
    {"q": "summit", "facets": "type,status"},
    {"q": "arctic", "facets": "status"},
    {"q": "summit", "page_size": 1, "page": 7},  # past the last
    {"q": "summit", "ordering": "-id"},  # the id's order, either way
    {"q": "summit", "ordering": "id", "page_size": 2, "page": 2},
    {"q": "S"},  # one letter: its letter rows, one walk
    {"q": "s", "facets": "type,status"},
    {"q": "g", "ordering": "-id"},
    {"q": "summit", "ordering": "-date"},  # another order: not here
    {"q": "summit", "date_from": "2021"},  # another filter: not here
    {"q": "summit minsk"},  # two words: not here
    {"q": "ana"},  # a word of no event (a person's): not here
    {"q": "zzyzx"},
    {"q": "é"},  # a letter no event's word starts with, as the index holds them: not here
]
# Which of ASKED read the index.
READS = [True] * 12 + [False] * 6


def _answers(api_client) -> tuple[list, list[list[str]]]:
    answers, statements = [], []
    for params in ASKED:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get("/api/v1/events/", params)
        assert response.status_code in (200, 404), response.content
        answers.append(response.json())
        statements.append([query["sql"] for query in queries.captured_queries])
    return answers, statements


def test_a_search_of_one_word_reads_the_index_with_the_same_answers(api_client, summits):
    """Pages, counts and facets of `events/`: the same bodies with the index and without it;
    the index read for one word (a prefix of two words included) in the list's own order,
    never for another order, another filter, or several words."""
    worded, statements = _answers(api_client)
    assert [any(READ in sql or _by_id(sql) for sql in sqls) for sqls in statements] == READS
    summit = worded[0]
    # Dated first, by date, then name, then id; the undated last; an event that holds both
    # words (Summitry Days: summitry, summit) once.
    assert [(row["name"], row["id"]) for row in summit["results"]] == [
        ("Talks in Oslo", summits[3].pk),
        ("Geneva Summit", summits[2].pk),
        ("Summit in Minsk", summits[0].pk),
        ("Summit in Minsk", summits[1].pk),
        ("Arctic Summit", summits[5].pk),
        ("Summitry Days", summits[4].pk),
    ]
    assert summit["count"] == 6
    assert [row["name"] for row in worded[1]["results"]] == ["Summit in Minsk", "Summit in Minsk"]
    assert worded[1]["count"] == 6
    assert worded[ASKED.index({"q": "summitr"})]["count"] == 1
    # One letter: the events one of whose words starts with it, each once, in the list's order;
    # one walk of the letter's rows.
    letter = ASKED.index({"q": "S"})
    assert [row["id"] for row in worded[letter]["results"]] == [row["id"] for row in summit["results"]]
    (walk,) = [sql for sql in statements[letter] if READ in sql]
    assert walk.count(READ) == 1 and f"lexeme = '{entity_words.LETTER}s'" in walk, walk
    assert worded[ASKED.index({"q": "s", "facets": "type,status"})]["facets"]["status"] == [
        {"value": "occurred", "label": "Occurred", "count": 4},
        {"value": "cancelled", "label": "Cancelled", "count": 1},
        {"value": "planned", "label": "Planned", "count": 1},
    ]
    assert [row["name"] for row in worded[ASKED.index({"q": "g", "ordering": "-id"})]["results"]] == ["Geneva Summit"]
    by_id = sorted(summits[:6], key=lambda event: event.pk)
    assert [row["id"] for row in worded[ASKED.index({"q": "summit", "ordering": "-id"})]["results"]] == [
        event.pk for event in reversed(by_id)
    ]
    assert [
        row["id"]
        for row in worded[ASKED.index({"q": "summit", "ordering": "id", "page_size": 2, "page": 2})]["results"]
    ] == [event.pk for event in by_id[2:4]]
    assert worded[ASKED.index({"q": "summit", "facets": "type,status"})]["facets"] == {
        "type": [
            {"value": "conference", "label": "Conference", "count": 2},
            {"value": "meeting", "label": "Meeting", "count": 2},
            {"value": "trip", "label": "Trip (several legs)", "count": 2},
        ],
        "status": [
            {"value": "occurred", "label": "Occurred", "count": 4},
            {"value": "cancelled", "label": "Cancelled", "count": 1},
            {"value": "planned", "label": "Planned", "count": 1},
        ],
    }
    # The page and its count: one statement of the index (each word walked, merged), no COUNT.
    reads = [sql for sql in statements[0] if READ in sql]
    assert len(reads) == 1 and reads[0].count(READ) == 2 and reads[0].endswith("LIMIT 1001 OFFSET 0"), reads
    if SQLITE:
        assert " UNION SELECT " in reads[0] and "ORDER BY date_key, name, event_id" in reads[0]
    else:
        assert " UNION ALL " in reads[0] and "SELECT DISTINCT ON (date_lower, name, event_id)" in reads[0]
    (read_by_id,) = [sql for sql in statements[ASKED.index({"q": "summit", "ordering": "-id"})] if _by_id(sql)]
    assert "ORDER BY event_id DESC LIMIT" in read_by_id
    # The facets: each value's walks counted no further than the cap, in one statement.
    faceted = [
        sql for sql in statements[ASKED.index({"q": "summit", "facets": "type,status"})] if "LIMIT 1001) found)" in sql
    ]
    values = 13 + 3  # the event types and statuses
    assert len(faceted) == 1 and faceted[0].count(COUNTED) == 2 * values, faceted
    # Each value's merged walks stopped at the cap; on PostgreSQL each walk too (for its plan).
    assert faceted[0].count("ORDER BY event_id LIMIT 1001)") == values * (1 if SQLITE else 3), faceted
    # Each walk on the btree named for it, whatever the statistics say (`_plans`); on
    # PostgreSQL, merged from walks of its btrees, with no sort (`_pg_plans`).
    (_plans if SQLITE else _pg_plans)([reads[0], read_by_id, faceted[0]])
    # Last: the index uninstalled until the test's rollback.
    indexed, unindexed, _ = with_and_without(
        api_client, event_words.INDEX, [("/api/v1/events/", params) for params in ASKED], reading=NAMED
    )
    assert indexed == worded
    assert worded == unindexed


# Statistics that each favour other btrees than some walk's own (sqlite_stat1's rows: btree,
# stat), as stale ones can: the list order's btree unselective, then the key, then the facets'.
# Unnamed, the walks of the list's order went to the key and a sort of every entry, and those
# of the id order to the status btree and a sort; a facet's kept to its btree.
MISLEADING = [
    [("factbase_event_words", "1000000 10 1"), ("event_words_order", "1000000 500000 2 1 1")],
    [
        ("factbase_event_words", "1000000 500000 1"),
        ("event_words_order", "1000000 10 2 1 1"),
        ("event_words_status", "1000000 10 5 1"),
    ],
    [
        ("factbase_event_words", "1000000 10 1"),
        ("event_words_type", "1000000 500000 100000 1"),
        ("event_words_status", "1000000 500000 100000 1"),
    ],
]


def _pg_plans(statements: list[str]) -> None:
    """PostgreSQL: each of `statements` merges index scans of the btrees its walks are ordered
    for (the list's order, the key backward, each facet column's), with no sort and no scan
    of the table, with the planner's sequential scans and bitmaps off as with them on (a
    tiny test table would be read whole otherwise)."""
    expected = [
        {event_words.LIST_ORDER},
        {event_words.PG_KEY},
        set(event_words.FACETED.values()),
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {event_words.TABLE}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        try:
            for sql, btrees in zip(statements, expected, strict=True):
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                nodes = list(_nodes(plan[0]["Plan"]))
                assert not [node for node in nodes if node["Node Type"] in ("Sort", "Seq Scan", "Bitmap Heap Scan")], (
                    sql
                )
                scanned = {node.get("Index Name") for node in nodes if "Index Name" in node}
                assert scanned == btrees, (sql, scanned)
                assert any(node["Node Type"] == "Merge Append" for node in nodes), sql
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _plans(statements: list[str]) -> None:
    """Each of `statements` walks the btrees it names (INDEXED BY; a facet's, the btree of its
    column), searched, never scanned or sorted whole, under each of MISLEADING's statistics. With the list's order as the key
    and another btree added unanalyzed, the list order's walk at a million claims went to the
    new btree and a sort of every entry (69 ms)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {event_words.TABLE}")  # sqlite_stat1 made
        try:
            for stats in MISLEADING:
                cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [event_words.TABLE])
                for index, stat in stats:
                    cursor.execute(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                        [event_words.TABLE, index, stat],
                    )
                cursor.execute("ANALYZE sqlite_schema")  # the statistics read again
                for sql in statements:
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                    plan = " ".join(row[-1] for row in cursor.fetchall())
                    assert "TEMP B-TREE FOR ORDER BY" not in plan and f"SCAN {event_words.TABLE}" not in plan, (
                        sql,
                        plan,
                    )
                    # A facet's walks name none: SQLite takes the btree of both equalities.
                    named = re.findall(r"INDEXED BY (\w+)", sql) or re.findall(r"AND (\w+) = '", sql)
                    searched = [
                        "PRIMARY KEY"
                        if name == event_words.PRIMARY_KEY
                        else f"COVERING INDEX {event_words.FACETED.get(name, name)}"
                        for name in named
                    ]
                    assert (
                        re.findall(rf"SEARCH {event_words.TABLE} USING (PRIMARY KEY|COVERING INDEX \w+)", plan)
                        == searched
                    ), (stats, sql, plan)
        finally:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [event_words.TABLE])
            cursor.execute("ANALYZE sqlite_schema")


def test_a_list_of_many_matches_walked_reads_it_too(api_client, summits, monkeypatch):
    """Past MANY_MATCHES events (counted in the index on SQLite: `search._many_events`;
    estimated on PostgreSQL) the list is walked, not read whole; the index reads it either
    way, with the same answers."""
    walked_test = search._walked_test if SQLITE else search._pg_walked_test
    monkeypatch.setattr(search, "MANY_MATCHES", 2 if SQLITE else 0)
    walked = search.filter_entities(Event.objects.all(), "summit", normalise=str)
    assert walked_test(walked) is not None
    if SQLITE:
        read_whole = search.filter_entities(Event.objects.all(), "oslo", normalise=str)
        assert walked_test(read_whole) is None and search.reads_matches_whole(read_whole)
        # Events counted, not names: `council` is one event's word and an organisation's too.
        monkeypatch.setattr(search, "MANY_MATCHES", 1)
        assert search.reads_matches_whole(search.filter_entities(Event.objects.all(), "council", normalise=str))
        assert walked_test(search.filter_entities(Entity.objects.all(), "council", normalise=str)) is not None
    asked = [("/api/v1/events/", {"q": "summit"}), ("/api/v1/events/", {"q": "summit", "facets": "type,status"})]
    indexed, unindexed, read = with_and_without(api_client, event_words.INDEX, asked, reading=READ)
    assert len(read) == 2, read  # each request's page
    assert indexed == unindexed and indexed[0]["count"] == 6
    assert read


def test_a_query_is_read_there_when_it_starts_few_words_of_events(summits, monkeypatch):
    """`search.event_word_rows`: one word, starting from one to MERGED_WORDS words of events
    (a word only a person or an organisation holds starts none)."""
    assert search.event_word_rows(Event.objects.matching("summit")).words == ("summit", "summitry")
    assert search.event_word_rows(Event.objects.matching("Summitr")).words == ("summitry",)
    assert search.event_word_rows(Event.objects.matching("council")).words == ("council",)
    assert search.event_word_rows(Event.objects.matching("ana")) is None
    # One letter: its letter rows, whatever the number of words it starts; none for a letter
    # that starts no event's word (FTS5 folds `é` to `e`: read from the name and alias indexes).
    assert search.event_word_rows(Event.objects.matching("S")).words == (entity_words.LETTER + "s",)
    assert search.event_word_rows(Event.objects.matching("z")) is None
    assert search.event_word_rows(Event.objects.matching("é")) is None
    assert search.event_word_rows(Event.objects.matching("summit minsk")) is None
    assert search.event_word_rows(Event.objects.matching("summit").order_by("name")) is None
    assert search.event_word_rows(Event.objects.matching("summit").filter(status="planned")).fixed == (
        ("status", "planned"),
    )
    assert search.event_word_rows(Event.objects.matching("summit").filter(date_precision="day")) is None
    assert search.event_word_rows(Event.objects.matching("summit").filter(status=F("status"))) is None
    assert search.event_word_rows(Entity.objects.matching("summit")) is None
    monkeypatch.setattr(event_words.entity_words, "MERGED_WORDS", 1)
    assert search.event_word_rows(Event.objects.matching("summit")) is None


# Event searches narrowed to a type or a status (`search._event_search`), as `events/` asks them.
NARROWED = [
    {"q": "summit", "type": "meeting"},
    {"q": "summit", "status": "planned"},
    {"q": "summit", "type": "conference", "facets": "type,status"},
    {"q": "s", "type": "trip", "ordering": "-id"},
    {"q": "summit", "type": "meeting", "status": "cancelled"},  # none
    {"q": "summit", "type": "trip", "page_size": 1, "page": 2},
    {"q": "summit", "type": "meeting", "ordering": "-date"},  # another order: not here
]


@pytest.mark.parametrize("whole", [True, False], ids=["sorted", "walked"])
def test_a_search_narrowed_to_a_type_or_status_reads_the_index_with_the_same_answers(
    api_client, summits, monkeypatch, whole
):
    """A search narrowed to a type or a status (`events/?q=a&type=meeting`) reads the index,
    each entry tested against them: its page and count read whole from the value's btree and
    sorted when few of the words' entries hold it (NARROWED_SORTED), else walked in the
    list's order; its facets each value's walk. The same bodies as without the index."""
    if not whole:
        monkeypatch.setattr(search, "NARROWED_SORTED", 0)
    # Another value than the list's own of its column: none, whatever the words' events hold.
    rows = search.event_word_rows(Event.objects.matching("summit").filter(event_type="meeting"))
    assert rows.capped_counts([("event_type", "trip"), ("event_type", "meeting")], 1000) == [0, 2]
    asked = [("/api/v1/events/", params) for params in NARROWED]
    statements = []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            api_client.get(path, params)
        statements.append([query["sql"] for query in queries.captured_queries])
    indexed, unindexed, _ = with_and_without(api_client, event_words.INDEX, asked, reading=NAMED)
    assert indexed == unindexed
    # A page read from the index (not only its words looked up, or its matches counted).
    assert [any(NAMED in sql and " OFFSET " in sql for sql in sqls) for sqls in statements] == [True] * 6 + [False]
    assert [(row["name"], row["id"]) for row in indexed[0]["results"]] == [
        ("Summit in Minsk", summits[0].pk),
        ("Summit in Minsk", summits[1].pk),
    ]
    assert indexed[0]["count"] == 2
    assert [row["name"] for row in indexed[1]["results"]] == ["Geneva Summit"]
    assert indexed[2]["count"] == 2 and indexed[2]["facets"] == {
        "type": [{"value": "conference", "label": "Conference", "count": 2}],
        "status": [
            {"value": "occurred", "label": "Occurred", "count": 1},
            {"value": "planned", "label": "Planned", "count": 1},
        ],
    }
    assert [row["id"] for row in indexed[3]["results"]] == sorted((summits[4].pk, summits[5].pk), reverse=True)
    assert indexed[4]["count"] == 0
    assert [row["name"] for row in indexed[5]["results"]] == ["Summitry Days"] and indexed[5]["count"] == 2
    # The page and its count: one statement, its walks narrowed to the type; read whole from
    # the type's btree and sorted, or walked in the list's order.
    (page,) = [sql for sql in statements[0] if NAMED in sql and "LIMIT 1001 OFFSET 0" in sql]
    assert page.count("AND event_type = 'meeting'") == 2, page  # summit, summitry
    counted = [sql for sql in statements[0] if "IN ('summit', 'summitry') AND event_type = 'meeting' LIMIT" in sql]
    assert len(counted) == 1, statements[0]  # the type's entries, counted to NARROWED_SORTED
    if SQLITE:
        walked = "INDEXED BY event_words_type" if whole else "INDEXED BY event_words_order"
        assert page.count(walked) == 2, page
    else:
        walked = (
            "ORDER BY event_id)" if whole else "ORDER BY date_lower ASC NULLS LAST, name ASC, event_id ASC LIMIT 1001)"
        )
        assert page.count(walked) == 2, page
    # Each facet value's walks narrowed to the type too.
    # Each facet value's walks narrowed to the type too, but the type's own (its walk's value).
    (faceted,) = [sql for sql in statements[2] if "LIMIT 1001) found)" in sql]
    arms = re.findall(r"WHERE lexeme = '\w+'((?: AND \w+ = '\w+')+)", faceted)
    assert sorted(arms) == sorted(
        [" AND event_type = 'conference'"] * 2
        + [f" AND status = '{status}' AND event_type = 'conference'" for status in ("occurred", "planned", "cancelled")]
        * 2
    ), faceted
