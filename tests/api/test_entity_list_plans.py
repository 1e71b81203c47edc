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
