"""The event name index (factbase/indexes/event_names.py, PostgreSQL): its rows follow every
write that changes what they hold, and an event search read from it answers as the match
lists do (factbase/indexes/search.py, `EventNameRows`)."""

import datetime

import pytest
from django.db import connection

from factbase.indexes import event_names, event_words, search
from factbase.models import Alias, Entity, Event
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factbase.indexes.answers import in_step, with_and_without
from tests.factories import AliasFactory, EventFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the event name index is PostgreSQL's alone"),
]


@pytest.fixture(autouse=True)
def without_event_words(monkeypatch):
    """The event word index answers a search of a prefix of few words first
    (test_event_words.py): switched off, so that every search here is the event name index's
    (as one of more words is: `a`)."""
    monkeypatch.setattr(event_words, "ready", lambda connection: False)


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT event_id, event_type, status, date_lower, name, document::text FROM {event_names.TABLE} "  # noqa: S608
            "ORDER BY event_id"
        )
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    return in_step(event_names.INDEX, _rows)


def test_the_index_follows_every_write_that_changes_an_events_row():
    summit = EventFactory(name="Summit in Geneva", event_type="meeting", status="planned")
    talks = EventFactory(name="Talks in Oslo", event_type="conference", date_lower=None, date_upper=None)
    person = PersonFactory(name="Anna Oslo")
    assert [row[0] for row in _in_step()] == [summit.pk, talks.pk]  # the person has none

    Entity.objects.filter(pk=summit.pk).update(name="Geneva summit meeting")  # the entity row alone
    assert "'meeting'" in _in_step()[0][-1]
    alias = AliasFactory(entity=talks, name="Nordic forum")
    assert "'nordic'" in _in_step()[1][-1]
    Alias.objects.filter(pk=alias.pk).update(name="Arctic forum")
    assert "'arctic'" in _in_step()[1][-1] and "'nordic'" not in _rows()[1][-1]
    Alias.objects.filter(pk=alias.pk).update(entity=summit)  # moved: both events' rows
    rows = _in_step()
    assert "'arctic'" in rows[0][-1] and "'arctic'" not in rows[1][-1]
    Alias.objects.filter(pk=alias.pk).delete()
    assert "'arctic'" not in _in_step()[0][-1]
    Event.objects.filter(pk=talks.pk).update(event_type="war")
    assert _in_step()[1][1] == "war"
    Event.objects.filter(pk=talks.pk).update(status="cancelled")
    assert _in_step()[1][2] == "cancelled"
    day = datetime.date(2020, 1, 2)
    Event.objects.filter(pk=talks.pk).update(date_lower=day, date_upper=day)
    assert _in_step()[1][3] == day
    person.name = "Anna Bergen"  # not an event: nothing written
    person.save()
    _in_step()

    later = EventFactory(name="Visit to Paris")
    later_id = later.pk
    assert [row[0] for row in _in_step()] == [summit.pk, talks.pk, later_id]
    entity_merge(survivor=summit, loser=later)  # the loser's row goes; its name is an alias now
    rows = _in_step()
    assert [row[0] for row in rows] == [summit.pk, talks.pk] and "'paris'" in rows[0][-1]
    entity_unmerge(merged_id=later_id)
    rows = _in_step()
    assert [row[0] for row in rows] == [summit.pk, talks.pk, later_id] and "'paris'" not in rows[0][-1]
    Event.objects.filter(pk=later_id).delete()
    assert [row[0] for row in _in_step()] == [summit.pk, talks.pk]
    with connection.cursor() as cursor:  # as a flush between tests does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks run first
        cursor.execute("TRUNCATE factbase_event CASCADE")
    assert _rows() == []


@pytest.fixture
def events(db):
    """Events whose names or aliases hold "summit", with dates that tie and are missing, and
    one whose name and alias hold one word each of "talks summit"."""
    made = [
        # Made first, named last: the list's order by name is not its order by id.
        EventFactory(name="Talks in Oslo", event_type="conference", status="occurred"),
        EventFactory(name="Summit in Geneva", event_type="meeting", status="occurred"),
        EventFactory(name="Summit in Minsk", event_type="meeting", status="planned"),
        EventFactory(name="Summit in Minsk", event_type="war", status="planned"),  # date and name tie
        EventFactory(name="Summitry", event_type="interview", date_lower=None, date_upper=None),
        EventFactory(
            name="Summit of Baku",
            event_type="trip",
            date_lower=datetime.date(2020, 5, 1),
            date_upper=datetime.date(2020, 5, 1),
        ),
        EventFactory(name="Visit to Paris", event_type="official_visit", status="cancelled"),
    ]
    AliasFactory(entity=made[0], name="Oslo summit")  # matched by its alias only
    AliasFactory(entity=made[1], name="Geneva summit")  # by its name and an alias: once
    AliasFactory(entity=PersonFactory(name="Summit Kaur"), name="Kaur")  # not an event
    return made


ASKED = [
    {"q": "summit", "facets": "type,status"},
    {"q": "sum", "facets": "type,status", "page_size": 2, "page": 2},
    {"q": "summit", "page_size": 3, "page": 2},
    {"q": "oslo"},
    {"q": "talks summit", "facets": "type,status"},  # two terms: the name and an alias apart
    {"q": "summit minsk"},
    {"q": "zzyzx", "facets": "type,status"},
    {"q": "summit", "ordering": "-date"},
    {"q": "summit", "ordering": "-name"},
    {"q": "summit", "ordering": "name,-date", "page_size": 2, "page": 2},
    {"q": "summit", "ordering": "date,-id"},
    {"q": "summit", "ordering": "-id"},
    {"q": "summit", "facets": "status", "type": "meeting"},
]


@pytest.mark.parametrize("walked", [False, True], ids=["read-whole", "walked"])
def test_an_event_search_from_the_index_answers_as_the_match_lists(api_client, events, monkeypatch, walked):
    """The same bodies with the index and without it (uninstalled: the lists are read through
    the match lists again), for searches of few matches read whole (page, count and facets
    from the index, in every ordering) and of many walked (count and facets from it); the
    index serves only a search of one term and nothing else."""
    if walked:
        monkeypatch.setattr(search, "MANY_MATCHES", -1)
    asked = [("/api/v1/events/", params) for params in ASKED]
    indexed, listed, read = with_and_without(api_client, event_names.INDEX, asked, reading=event_names.TABLE)
    assert indexed == listed
    assert [event["name"] for event in indexed[0]["results"]] == [
        "Summit of Baku",
        "Summit in Geneva",
        "Summit in Minsk",
        "Summit in Minsk",
        "Talks in Oslo",
        "Summitry",
    ]
    assert indexed[0]["count"] == 6
    assert indexed[0]["facets"]["status"][0] == {"value": "occurred", "label": "Occurred", "count": 4}
    talks_summit = indexed[ASKED.index({"q": "talks summit", "facets": "type,status"})]
    assert talks_summit["count"] == 0 and talks_summit["results"] == []
    assert any("GROUP BY" in sql for sql in read)  # the facets
    assert any("LIMIT" in sql and "count(*)" in sql for sql in read) == walked  # a walked page's count
    assert any("ORDER BY date_lower" in sql for sql in read) != walked  # a page read whole...
    assert any("ORDER BY name DESC, event_id DESC" in sql for sql in read) != walked  # ...in any order
    # The captured statements hold their query's text, so none of them asked for two terms.
    assert any("'summit:*'" in sql for sql in read)
    assert not any("'talks:* & summit:*'" in sql or "minsk" in sql for sql in read)
