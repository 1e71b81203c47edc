"""The entity lists' pages are index walks that stop at the page (docs/performance.md, "Entity
lists"): each case asks the API, then reads the query plan of the statement that found the
page's ids. Without the index (or the known-date bound of EventQuerySet.overlapping) the
database sorts every matching row instead."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.indexes.bulk import analyze
from tests.factories import EventFactory, EventParticipantFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans: PostgreSQL plans by its statistics"),
]


def page_plan(api_client, url) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url)
    assert response.status_code == 200
    # The paginator's ids statement (after a participant's events are counted, for the choice
    # of EventQuerySet.walked_page).
    sql = next(query["sql"] for query in queries.captured_queries if ' AS "pk" FROM ' in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture
def events():
    made = [EventFactory() for _ in range(3)]
    EventParticipantFactory(event=made[0])
    return made


@pytest.mark.parametrize("ordering", ["", "&ordering=-date"])
def test_events_from_a_date_walk_the_dates_index_in_date_order(api_client, events, ordering):
    plan = page_plan(api_client, f"/api/v1/events/?date_from=2021{ordering}")
    assert "USING INDEX event_dates (date_lower>?)" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # at most the name within one day is sorted


@pytest.mark.parametrize("ordering", ["", "&ordering=-date"])
def test_events_of_a_participant_and_their_dates_come_from_indexes_alone(api_client, events, ordering):
    entity = events[0].participants.get().entity_id
    analyze(connection)  # as after a bulk load: with no statistics, SQLite takes the unique index
    plan = page_plan(api_client, f"/api/v1/events/?participant={entity}{ordering}")
    assert "COVERING INDEX eventparticipant_entity_event (entity_id=?)" in plan, plan
    assert "INDEX event_entity_date (entity_ptr_id=?)" in plan, plan


@pytest.mark.parametrize("ordering", ["", "?ordering=-name", "?ordering=kind", "?ordering=-kind"])
def test_entities_in_name_or_kind_order_walk_an_index(api_client, events, ordering):
    PersonFactory()
    plan = page_plan(api_client, f"/api/v1/entities/{ordering}")
    index = "entity_kind_id" if "kind" in ordering else "entity_name"
    assert f"COVERING INDEX {index}" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_events_of_a_busy_participant_walk_the_dates_for_the_page(api_client, monkeypatch):
    """A participant in more than WALKED_PARTICIPATIONS events, filtered by nothing else: the
    page walks the dates' index and tests each event (EventQuerySet.walked_page), where the IN
    list gathered and sorted all of the participant's events; the count keeps the IN list. The
    answer is the same either way, in every order and on every page."""
    from factbase.models import entities

    made = [EventFactory() for _ in range(5)]
    busy = EventParticipantFactory(event=made[0]).entity
    for event in made[1:4]:
        EventParticipantFactory(event=event, entity=busy)
    analyze(connection)
    urls = [
        f"/api/v1/events/?participant={busy.pk}{more}"
        for more in ("", "&ordering=-date", "&ordering=name", "&page_size=2", "&page_size=2&page=2")
    ]
    read = [api_client.get(url).json() for url in urls]
    assert [event["id"] for event in read[0]["results"]] == [
        event.pk
        for event in sorted(
            made[:4], key=lambda event: (event.date_lower is None, event.date_lower, event.name, event.pk)
        )
    ]
    monkeypatch.setattr(entities, "WALKED_PARTICIPATIONS", 3)
    assert [api_client.get(url).json() for url in urls] == read
    with CaptureQueriesContext(connection) as queries:
        api_client.get(urls[0])
    page = next(query["sql"] for query in queries.captured_queries if "LIMIT 51" in query["sql"])
    # Each event tested (the plan on a handful of rows is the planner's whim; at a million
    # claims it walks event_dates), where the IN list was read whole.
    assert "EXISTS(" in page, page
    assert '"factbase_event"."entity_ptr_id" IN (' not in page, page


def test_a_search_of_entities_walked_probes_its_page_and_counts_the_names(api_client, monkeypatch):
    """entities/ walked for a search (more than MANY_MATCHES matches): the page probes each
    row of the name index in the full-text tables (search.probed_page) and the count reads the
    name matches in rowid order (search.streamed_count), with the answers of the match lists.
    A word longer than the prefix indexes' is never probed (each probe would merge its lists).
    The entity word index is switched off: where it holds the query's words, or its letter,
    it reads the page and count alone (tests/factbase/indexes/test_entity_words.py), and this
    is the path of any other query (a prefix of more words than it merges)."""
    from api import pagination
    from factbase.indexes import entity_words, search
    from tests.factories import AliasFactory, CountryFactory

    monkeypatch.setattr(entity_words, "ready", lambda connection: False)

    for i in range(4):
        PersonFactory(name=f"Sergei {i}")
    AliasFactory(entity=CountryFactory(name="Elsewhere"), name="Sergeyland")
    counted = {}
    for q in ("se", "serg"):
        urls = [f"/api/v1/entities/?q={q}&page_size=2{more}" for more in ("", "&page=2", "&page=3", "&kind=person")]
        for cap in (1_000, 2):
            monkeypatch.setattr(pagination, "COUNT_CAP", cap)
            monkeypatch.setattr(search, "MANY_MATCHES", 10**9)
            read = [api_client.get(url).json() for url in urls]
            assert read[0]["count"] == (5 if cap > 5 else None)
            monkeypatch.setattr(search, "MANY_MATCHES", -1)
            with CaptureQueriesContext(connection) as queries:
                assert [api_client.get(url).json() for url in urls] == read
            statements = [query["sql"] for query in queries.captured_queries]
            pages = [sql for sql in statements if ' AS "pk" FROM ' in sql and "LIMIT" in sql]
            if q == "se":
                assert 'f.rowid = "factbase_entity"."id"' in pages[0], pages[0]  # probed
                assert "+ 0) IN (" not in pages[0], pages[0]  # no match list
                # Every name probed (there are few): no walk of the lists after the probes.
                assert not any("+ 0) IN (" in sql and "ORDER BY" in sql for sql in pages), pages
            else:
                assert not any('f.rowid = "factbase_entity"."id"' in sql for sql in statements), pages
            streamed = [
                sql for sql in statements if sql.startswith("SELECT count(*) FROM (SELECT rowid FROM factbase_entity")
            ]
            # Probed, the page is read apart from its count; otherwise one statement reads both.
            assert bool(streamed) == (q == "se"), statements
            with CaptureQueriesContext(connection) as queries:
                api_client.get(urls[0])
            counted[q, cap] = [
                query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")
            ]
    # Beyond the cap the names settle the first page's count; within it, counted as rows stand.
    assert not counted["se", 2], counted["se", 2]
    assert len(counted["se", 1_000]) == 1, counted["se", 1_000]
    assert not counted["serg", 2] and not counted["serg", 1_000]


def test_a_probed_page_whose_names_hold_too_few_matches_walks_the_lists(api_client, monkeypatch):
    """The probes of a page walk no further than PROBED_PER_ROW names per row it needs
    (search.ProbedPage): matches that come late in name order are read from the match lists,
    with the same answers. The entity word index, which reads such a search alone where it
    holds the query's words, is switched off (tests/factbase/indexes/test_entity_words.py)."""
    from factbase.indexes import entity_words, search

    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    for i in range(12):
        PersonFactory(name=f"Anna {i:02}")  # first in name order, none a match
    for i in range(3):
        PersonFactory(name=f"Sergei {i}")
    urls = ["/api/v1/entities/?q=se&page_size=2", "/api/v1/entities/?q=se&page_size=2&page=2"]
    monkeypatch.setattr(search, "MANY_MATCHES", 10**9)
    read = [api_client.get(url).json() for url in urls]
    assert [[entity["name"] for entity in body["results"]] for body in read] == [["Sergei 0", "Sergei 1"], ["Sergei 2"]]
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    for per_row, walked in ((1, True), (100, False)):
        monkeypatch.setattr(search, "PROBED_PER_ROW", per_row)
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(urls[0]).json() == read[0]
        pages = [query["sql"] for query in queries.captured_queries if ' AS "pk" FROM ' in query["sql"]]
        assert 'f.rowid = "factbase_entity"."id"' in pages[0], pages  # probed first
        # One name probed per row: the first page's 3 names are the 3 first Annas.
        assert any("+ 0) IN (" in sql and "ORDER BY" in sql for sql in pages) == walked, pages
        assert api_client.get(urls[1]).json() == read[1]
