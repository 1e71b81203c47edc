"""The participant event index (factbase/indexes/participant_events.py, both engines): its rows
follow every write of a participation and of an event's type and status, merges and unmerges
included, and the events of a participant read their capped count and facets there with the
same answers as without it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import facets, pagination
from factbase import indexes
from factbase.enums import EventStatus, EventType
from factbase.indexes import event_spans, participant_events
from factbase.models import Event, EventParticipant, entities
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factbase.indexes.answers import in_step, live, with_and_without
from tests.factories import EventFactory, EventParticipantFactory, PersonFactory

pytestmark = pytest.mark.django_db

# What a facet count and a list count read of the index look like in the captured SQL.
FACETED = f"FROM {participant_events.TABLE} WHERE entity_id = "
NAMED = f"FROM {participant_events.TABLE}"


@pytest.fixture(autouse=True)
def live_definitions(db):
    yield from live(participant_events.INDEX)


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entity_id, event_id, event_type, status, date_lower, date_upper FROM {participant_events.TABLE} "  # noqa: S608
            "ORDER BY 1, 2"
        )
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    return in_step(participant_events.INDEX, _rows)


def _of(entity) -> set[tuple]:
    """(event, type, status) of each of `entity`'s rows."""
    return {(event, kind, status) for pk, event, kind, status, _, _ in _rows() if pk == entity.pk}


def _dates_of(entity) -> set[tuple]:
    """(event, date_lower, date_upper) of each of `entity`'s rows, as the table holds them."""
    return {(event, str(lower), str(upper)) for pk, event, _, _, lower, upper in _rows() if pk == entity.pk}


def test_the_index_follows_every_write_of_a_participation_and_an_event():
    ana, boris = PersonFactory(), PersonFactory()
    summit = EventFactory(event_type="meeting")
    first = EventParticipantFactory(event=summit, entity=ana, role="host")
    assert _of(ana) == {(summit.pk, "meeting", "occurred")}
    second = EventParticipantFactory(event=summit, entity=ana, role="visitor")  # a second role: one row
    assert _of(ana) == {(summit.pk, "meeting", "occurred")}
    _in_step()
    first.delete()  # another role remains: the row stays
    assert _of(ana) == {(summit.pk, "meeting", "occurred")}
    EventParticipant.objects.filter(pk=second.pk).update(role="host", note="chaired")  # neither moved
    assert _of(ana) == {(summit.pk, "meeting", "occurred")}
    EventParticipant.objects.filter(pk=second.pk).update(entity=boris)  # moved to another entity
    assert _of(ana) == set()
    assert _of(boris) == {(summit.pk, "meeting", "occurred")}
    talks = EventFactory(event_type="conference", status="planned")
    EventParticipant.objects.filter(pk=second.pk).update(event=talks)  # moved to another event
    assert _of(boris) == {(talks.pk, "conference", "planned")}
    _in_step()
    Event.objects.filter(pk=talks.pk).update(event_type="trip")
    assert _of(boris) == {(talks.pk, "trip", "planned")}
    Event.objects.filter(pk=talks.pk).update(status="cancelled")
    assert _of(boris) == {(talks.pk, "trip", "cancelled")}
    Event.objects.filter(pk=talks.pk).update(date_lower=datetime.date(2019, 1, 2))
    assert _dates_of(boris) == {(talks.pk, "2019-01-02", "2021-07-08")}
    Event.objects.filter(pk=talks.pk).update(date_upper=datetime.date(2019, 1, 3))
    assert _dates_of(boris) == {(talks.pk, "2019-01-02", "2019-01-03")}
    _in_step()
    EventParticipantFactory(event=summit, entity=boris)
    summit.delete()  # its participations with it
    assert _of(boris) == {(talks.pk, "trip", "cancelled")}
    EventParticipant.objects.filter(pk=second.pk).delete()  # the last: the row goes
    assert _of(boris) == set()
    _in_step()


def test_a_merge_and_an_unmerge_leave_it_in_step():
    survivor, loser = PersonFactory(), PersonFactory()
    loser_pk = loser.pk
    shared, own = EventFactory(), EventFactory(event_type="war")
    EventParticipantFactory(event=shared, entity=survivor, role="host")
    EventParticipantFactory(event=shared, entity=loser, role="visitor")  # both in one event: one row after
    EventParticipantFactory(event=own, entity=loser)
    entity_merge(survivor=survivor, loser=loser)
    rows = _in_step()
    assert _of(survivor) == {(shared.pk, "official_visit", "occurred"), (own.pk, "war", "occurred")}
    assert not [row for row in rows if row[0] == loser_pk]
    entity_unmerge(merged_id=loser_pk)
    rows = _in_step()
    assert {row[1] for row in rows if row[0] == loser_pk} == {shared.pk, own.pk}


def test_a_rebuild_writes_every_row_from_the_tables():
    ana = PersonFactory()
    for event in (EventFactory(), EventFactory(event_type="war", status="planned")):
        EventParticipantFactory(event=event, entity=ana, role="host")
        EventParticipantFactory(event=event, entity=ana, role="visitor")
    rows = _rows()
    assert len(rows) == 2
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {participant_events.TABLE}")  # noqa: S608 - constant
    participant_events.INDEX.rebuild(connection)
    assert _rows() == rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's heap")
def test_a_rebuild_lays_an_entitys_rows_together():
    """Written in key order, an entity's rows lie together in PostgreSQL's heap, where its
    facet values' walks read them."""
    people = [PersonFactory() for _ in range(3)]
    for event in [EventFactory() for _ in range(3)]:
        for person in reversed(people):
            EventParticipantFactory(event=event, entity=person)
    participant_events.INDEX.rebuild(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT entity_id, event_id FROM {participant_events.TABLE} ORDER BY ctid")  # noqa: S608
        laid = cursor.fetchall()
    assert laid == sorted(laid)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement trigger")
def test_an_event_written_without_a_new_type_or_status_rewrites_no_row():
    """Every update of events runs the statement trigger (transition tables take no column
    list): it rewrites the rows of the events whose type or status changed, no others."""
    taken = EventParticipantFactory()
    versions = "SELECT ctid::text FROM factbase_participant_events"  # a row rewritten moves
    with connection.cursor() as cursor:
        cursor.execute(versions)
        before = cursor.fetchall()
        Event.objects.filter(pk=taken.event_id).update(date_precision="month", status="occurred")
        cursor.execute(versions)
        assert cursor.fetchall() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a truncate trigger is PostgreSQL's")
def test_a_truncate_of_the_participations_empties_it():
    EventParticipantFactory()
    assert _rows()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check left pending
        cursor.execute("TRUNCATE factbase_eventparticipant")
    assert _rows() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table rebuilds")
@pytest.mark.django_db(transaction=True)
def test_migrations_suspend_it_for_sqlites_table_rebuilds():
    """Its triggers read the participation and event tables: SQLite refuses to rename a table
    a trigger reads, which its schema editor's table rebuild does, so migrations suspend them
    and put them back after, with a rebuild."""
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    assert participant_events.INDEX.check(connection)  # its triggers gone
    with connection.schema_editor() as editor:
        editor._remake_table(EventParticipant)
    indexes.after_migrate(sender=None)
    assert participant_events.INDEX.check(connection) == []
    taken = EventParticipantFactory()
    assert _of(taken.entity) == {(taken.event_id, "official_visit", "occurred")}


@pytest.fixture
def busy(db):
    """A person in events of three types and two statuses (one event in two roles), another
    event without them, and another person in one of them."""
    ana, other = PersonFactory(), PersonFactory()
    made = [
        EventFactory(event_type="meeting"),
        EventFactory(event_type="meeting"),
        EventFactory(event_type="meeting", status="planned"),
        EventFactory(event_type="war"),
        EventFactory(event_type="trip", status="planned"),
    ]
    for event in made:
        EventParticipantFactory(event=event, entity=ana, role="host")
    EventParticipantFactory(event=made[0], entity=ana, role="visitor")
    EventParticipantFactory(event=made[3], entity=other)
    EventFactory(event_type="war")
    return ana, other


def _asked(ana, other) -> list[tuple[str, dict]]:
    return [
        ("/api/v1/events/", {"participant": ana.pk, "facets": "type,status"}),
        ("/api/v1/events/", {"participant": ana.pk, "page_size": 2}),
        ("/api/v1/events/", {"participant": other.pk, "facets": "type,status"}),
        ("/api/v1/events/", {"participant": ana.pk, "type": "meeting", "facets": "status"}),  # not read there
        ("/api/v1/events/", {"participant": ana.pk, "q": "event", "facets": "type"}),  # nor this
        # The facets not read there (the events within dates are: `test_a_participants_events_within_dates`).
        ("/api/v1/events/", {"participant": ana.pk, "date_from": "2022", "facets": "status"}),
    ]


def test_a_participants_events_read_their_count_and_facets_there(api_client, busy, monkeypatch):
    """The capped count and the facets of a participant's events, filtered by nothing else:
    from the index, the same bodies as without it, each value counted no further than the cap
    (two here: a value of three events is "more than", and so is the list of five)."""
    ana, other = busy
    monkeypatch.setattr(facets, "COUNT_CAP", 2)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    # On SQLite the page of a busy participant is walked, then counted (fewer: page and count
    # are one statement of the IN list).
    monkeypatch.setattr(entities, "WALKED_PARTICIPATIONS", 2)
    asked = _asked(ana, other)
    statements = []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(path, params).status_code == 200
        statements.append([query["sql"] for query in queries.captured_queries if NAMED in query["sql"]])
    assert [bool(sqls) for sqls in statements] == [True, True, True, False, False, connection.vendor == "sqlite"]
    (faceted,) = statements[0]
    # Every type and status, in one statement.
    assert faceted.count(FACETED) == len(EventType.choices) + len(EventStatus.choices), faceted
    # Each value's walk and the list's count stop one past the cap.
    assert faceted.count(" LIMIT 3) v)") == len(EventType.choices) + len(EventStatus.choices), faceted
    assert statements[1] == [
        f"SELECT count(*) FROM (SELECT 1 FROM {participant_events.TABLE} WHERE entity_id = {ana.pk} LIMIT 3) v"
    ]
    indexed, unindexed, _ = with_and_without(api_client, participant_events.INDEX, asked, reading=NAMED)
    assert indexed == unindexed
    assert indexed[0]["facets"] == {
        "type": [
            {"value": "meeting", "label": "Meeting", "count": None},
            {"value": "trip", "label": "Trip (several legs)", "count": 1},
            {"value": "war", "label": "War or conflict", "count": 1},
        ],
        "status": [
            {"value": "occurred", "label": "Occurred", "count": None},
            {"value": "planned", "label": "Planned", "count": 2},
        ],
    }
    assert indexed[1]["count"] is None  # five: more than the cap
    assert indexed[2]["facets"]["type"] == [{"value": "war", "label": "War or conflict", "count": 1}]
    assert indexed[5]["facets"]["status"] == []  # none of them after 2021
    assert indexed[3]["facets"]["status"] == [
        {"value": "occurred", "label": "Occurred", "count": 2},
        {"value": "planned", "label": "Planned", "count": 1},
    ]


def test_a_participants_events_within_dates_are_read_from_its_dates(api_client, monkeypatch):
    """The events of a participant within a date range (from, to, or both), on SQLite: its
    entries of the index's dates btree within the range, no earlier than the widest event's
    span before it, when they are few (FEW_WITHIN; PostgreSQL reads the participations); the
    same bodies as without the index, an event reaching into the range from before included,
    one ended before it and another entity's left out."""
    ana, other = PersonFactory(), PersonFactory()
    made = {
        "reaching": EventFactory(date_lower=datetime.date(2020, 6, 1), date_upper=datetime.date(2021, 1, 10)),
        "within": EventFactory(date_lower=datetime.date(2021, 3, 1), date_upper=datetime.date(2021, 3, 2)),
        "ended": EventFactory(date_lower=datetime.date(2020, 5, 1), date_upper=datetime.date(2020, 12, 31)),
        "after": EventFactory(date_lower=datetime.date(2022, 2, 1), date_upper=datetime.date(2022, 2, 1)),
        "undated": EventFactory(date_lower=None, date_upper=None, date_precision=""),
    }
    for event in made.values():
        EventParticipantFactory(event=event, entity=ana)
    EventParticipantFactory(event=EventFactory(date_lower=datetime.date(2021, 5, 1)), entity=other)
    asked = [
        ("/api/v1/events/", {"participant": ana.pk, "date_from": "2021", "date_to": "2021"}),
        ("/api/v1/events/", {"participant": ana.pk, "date_from": "2021"}),
        ("/api/v1/events/", {"participant": ana.pk, "date_to": "2020"}),
        ("/api/v1/events/", {"participant": ana.pk, "date_from": "2021", "facets": "type", "ordering": "-date"}),
    ]
    within = f"FROM {participant_events.TABLE} WHERE entity_id = {ana.pk} AND "
    reads = []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(path, params).status_code == 200
        # The widest span read once, by the participant's filter and the dates' together.
        widest = sum(query["sql"] == event_spans.WIDEST for query in queries.captured_queries)
        assert widest == ("date_from" in params), (params, widest)
        # As SQLite shows a date; PostgreSQL adds `::date`.
        reads.append(
            [query["sql"].replace("::date", "") for query in queries.captured_queries if within in query["sql"]]
        )
    if connection.vendor != "sqlite":
        assert not any(reads), reads
        reads = [[""]] * len(asked)
    else:
        assert all(reads), reads
        # More of them in the range than FEW_WITHIN: the participations, as on PostgreSQL.
        monkeypatch.setattr(participant_events, "FEW_WITHIN", 1)
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(*asked[0]).status_code == 200
        pages = [query["sql"] for query in queries.captured_queries if "ORDER BY" in query["sql"]]
        assert pages and not any(within in sql for sql in pages), pages
        monkeypatch.setattr(participant_events, "FEW_WITHIN", 2)  # two there: read from the btree
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(*asked[0]).status_code == 200
        assert any(within in query["sql"] and "ORDER BY" in query["sql"] for query in queries.captured_queries)
    # From 2021: no event starting more than the widest span (244 days: ended) before it.
    if connection.vendor == "sqlite":
        assert "date_upper >= '2021-01-01' AND date_lower >= '2020-05-02' AND date_lower <= '2021-12-31'" in reads[0][0]
        assert "date_lower <= '2020-12-31'" in reads[2][0] and "date_upper" not in reads[2][0].split(within)[1]
    indexed, unindexed, _ = with_and_without(api_client, participant_events.INDEX, asked, reading=NAMED)
    assert indexed == unindexed
    names = {event.pk: name for name, event in made.items()}
    assert [names[row["id"]] for row in indexed[0]["results"]] == ["reaching", "within"]
    assert [names[row["id"]] for row in indexed[1]["results"]] == ["reaching", "within", "after"]
    assert [names[row["id"]] for row in indexed[2]["results"]] == ["ended", "reaching"]
