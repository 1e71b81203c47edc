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
    sql = queries.captured_queries[0]["sql"]
    assert ' AS "pk" FROM ' in sql, sql  # the paginator's ids statement
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
