"""The widest event (factbase/indexes/event_spans.py, both engines): its one row holds at least
the longest span of any event after every write, a rebuild sets it to the longest there is,
and an event list from a date reads only the events that start that many days before it,
with the same answers as without it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.indexes import event_spans
from factbase.models import Event
from tests.factbase.indexes.answers import live, with_and_without
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def live_definitions(db):
    yield from live(event_spans.INDEX)


def _widest() -> int:
    with connection.cursor() as cursor:
        cursor.execute(event_spans.WIDEST)
        return cursor.fetchone()[0]


def _dated(lower, upper, **kwargs):
    return EventFactory(date_lower=lower, date_upper=upper, **kwargs)


def test_it_widens_with_every_wider_event_and_a_rebuild_sets_it_anew():
    start = _widest()  # the factory's events span two days
    long = _dated(datetime.date(2020, 1, 1), datetime.date(2020, 1, 31))
    assert _widest() == max(start, 30)
    _dated(datetime.date(2020, 1, 1), datetime.date(2020, 1, 2))  # narrower: no change
    assert _widest() == max(start, 30)
    _dated(None, None, date_precision="")  # undated: no span
    assert _widest() == max(start, 30)
    Event.objects.filter(pk=long.pk).update(date_upper=datetime.date(2021, 1, 1))  # widened
    assert _widest() == 366
    Event.objects.filter(pk=long.pk).update(date_lower=datetime.date(2019, 1, 1))  # its start moved
    assert _widest() == 731
    Event.objects.filter(pk=long.pk).update(date_lower=datetime.date(2020, 12, 31))  # narrowed: still a bound
    assert _widest() == 731
    event_spans.INDEX.rebuild(connection)  # the longest there is
    assert _widest() == 1
    Event.objects.all().delete()
    event_spans.INDEX.rebuild(connection)
    assert _widest() == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table rebuilds")
@pytest.mark.django_db(transaction=True)
def test_a_table_rebuild_of_events_loses_no_trigger():
    """SQLite's table rebuild of events drops its triggers with the old table; post_migrate
    puts them back, and the widest span there is with them."""
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Event)
    assert event_spans.INDEX.check(connection)  # its triggers gone
    indexes.after_migrate(sender=None)
    assert event_spans.INDEX.check(connection) == []
    _dated(datetime.date(2000, 1, 1), datetime.date(2000, 3, 1))
    assert _widest() == 60


@pytest.fixture
def dated(db):
    """Events around the middle of 2021: one a year long reaching into it from 2020, one of
    two days inside it, one ended the day before, one starting after it, and an undated one."""
    return [
        _dated(datetime.date(2020, 7, 2), datetime.date(2021, 7, 1), name="Long talks"),
        _dated(datetime.date(2021, 7, 1), datetime.date(2021, 7, 2), name="Summit"),
        _dated(datetime.date(2021, 6, 29), datetime.date(2021, 6, 30), name="Ended"),
        _dated(datetime.date(2021, 8, 1), datetime.date(2021, 8, 3), name="Later", event_type="war"),
        _dated(None, None, name="Undated", date_precision=""),
    ]


ASKED = [
    {"date_from": "2021-07-01"},
    {"date_from": "2021-07-01", "date_to": "2021-07-31"},
    {"date_from": "2021-07", "ordering": "-date"},
    {"date_from": "2021-07-01", "facets": "type,status"},
    {"date_to": "2021-07-01"},  # no bound from below: nothing read
]


def test_a_list_from_a_date_starts_the_widest_span_before_it(api_client, dated):
    """The list's statement bounds `date_lower` from below by the day less the widest span
    (364 days here: Long talks), read first; the answers are those without the index, the
    year-long event reaching in included."""
    assert _widest() == 364
    reads = []
    for params in ASKED:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/events/", params).status_code == 200
        reads.append([query["sql"] for query in queries.captured_queries])
    bound = "date_lower\" >= '2020-07-02'"
    assert [any(bound in sql for sql in sqls) for sqls in reads] == [True, True, True, True, False]
    assert [sum(sql == event_spans.WIDEST for sql in sqls) for sqls in reads] == [1, 1, 1, 1, 0]
    indexed, unindexed, _ = with_and_without(
        api_client, event_spans.INDEX, [("/api/v1/events/", params) for params in ASKED], reading=event_spans.WIDEST
    )
    assert indexed == unindexed
    assert [row["name"] for row in indexed[0]["results"]] == ["Long talks", "Summit", "Later"]
    assert [row["name"] for row in indexed[1]["results"]] == ["Long talks", "Summit"]


def test_a_bound_narrower_than_an_event_would_miss_it(api_client, dated):
    """What the bound holds: set narrower than the year-long event (as no trigger leaves it),
    the list from its last day misses it. So the bound must never narrow."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {event_spans.TABLE} SET widest = 1")  # noqa: S608 - constant
    found = api_client.get("/api/v1/events/", {"date_from": "2021-07-01"}).json()
    assert [row["name"] for row in found["results"]] == ["Summit", "Later"]


def test_without_its_row_or_before_the_first_day_the_bound_is_the_first_day(api_client, dated):
    """A bound before the first day there is (`date_from=0001`), or no row at all: from the
    first day there is, as without the index."""
    every = ["Long talks", "Ended", "Summit", "Later"]
    found = api_client.get("/api/v1/events/", {"date_from": "0001"})
    assert found.status_code == 200, found.content
    assert [row["name"] for row in found.json()["results"]] == every
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {event_spans.TABLE}")  # noqa: S608 - constant
    found = api_client.get("/api/v1/events/", {"date_from": "2021-07-01"}).json()
    assert [row["name"] for row in found["results"]] == ["Long talks", "Summit", "Later"]
