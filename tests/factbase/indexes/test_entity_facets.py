"""The entity facet index (factbase/indexes/entity_facets.py, SQLite): its documents follow
every write that changes what they hold, and the facets of an entity or event search read
from it answer as the match lists do (search.entity_facet_counts)."""

import pytest
from django.db import connection

from api import facets as facets_module
from factbase.indexes import entity_facets, entity_words, event_words, search
from factbase.models import Alias, Entity, Event
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from tests.factbase.indexes.answers import in_step, with_and_without
from tests.factories import AliasFactory, CountryFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the entity facet index is SQLite's alone"),
]

MARK = "\ue000"


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, names, facets FROM {entity_facets.FTS} ORDER BY rowid")  # noqa: S608
        return cursor.fetchall()


def _in_step() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in in_step(entity_facets.INDEX, _rows)}


def _matches(word: str) -> list[int]:
    """The entities whose document holds `word` in its names, from the index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {entity_facets.FTS} WHERE {entity_facets.FTS} MATCH %s ORDER BY rowid",  # noqa: S608
            [f"names : {search.fts5_query(word)}"],
        )
        return [pk for (pk,) in cursor.fetchall()]


def test_the_index_follows_every_write_that_changes_an_entitys_document():
    summit = EventFactory(name="Summit in Geneva", event_type="military_exercise", status="planned")
    person = PersonFactory(name="Anna Oslo")
    rows = _in_step()
    assert rows[summit.pk] == (
        "Summit in Geneva",
        f"{MARK}kevent {MARK}tmilitaryexercise {MARK}splanned",
    )
    assert rows[person.pk] == ("Anna Oslo", f"{MARK}kperson")

    Entity.objects.filter(pk=summit.pk).update(name="Geneva summit meeting")  # the entity row alone
    assert _in_step()[summit.pk][0] == "Geneva summit meeting"
    alias = AliasFactory(entity=person, name="Nordic Anna")
    AliasFactory(entity=person, name="A. Oslo")
    assert _in_step()[person.pk][0] in ("Anna Oslo Nordic Anna A. Oslo", "Anna Oslo A. Oslo Nordic Anna")
    Alias.objects.filter(pk=alias.pk).update(name="Arctic Anna")
    assert _matches("arctic") == [person.pk] and _matches("nordic") == []
    Alias.objects.filter(pk=alias.pk).update(entity=summit)  # moved: both documents
    assert _matches("arctic") == [summit.pk]
    assert "Arctic" not in _in_step()[person.pk][0]
    Alias.objects.filter(pk=alias.pk).delete()
    assert _matches("arctic") == []
    Event.objects.filter(pk=summit.pk).update(event_type="war")
    assert f"{MARK}twar" in _in_step()[summit.pk][1]
    Event.objects.filter(pk=summit.pk).update(status="cancelled")
    assert _in_step()[summit.pk][1] == f"{MARK}kevent {MARK}twar {MARK}scancelled"

    later = EventFactory(name="Visit to Paris")
    later_id = later.pk
    assert set(_in_step()) == {summit.pk, person.pk, later_id}
    entity_merge(survivor=summit, loser=later)  # the loser's document goes; its name is an alias now
    assert set(_in_step()) == {summit.pk, person.pk} and _matches("paris") == [summit.pk]
    entity_unmerge(merged_id=later_id)
    assert set(_in_step()) == {summit.pk, person.pk, later_id} and _matches("paris") == [later_id]
    Event.objects.filter(pk=later_id).delete()
    assert set(_in_step()) == {summit.pk, person.pk}
    with connection.cursor() as cursor:  # the event row alone, in plain SQL: the entity stays
        cursor.execute("DELETE FROM factbase_event WHERE entity_ptr_id = %s", [summit.pk])
    assert _in_step()[summit.pk][1] == f"{MARK}kevent"
    person.delete()
    assert set(_in_step()) == {summit.pk}


@pytest.fixture
def named(db):
    """Events and other entities whose names or aliases hold "summit", and some that do not."""
    made = [
        EventFactory(name="Summit in Geneva", event_type="meeting", status="occurred"),
        EventFactory(name="Summit in Minsk", event_type="meeting", status="planned"),
        EventFactory(name="Talks in Oslo", event_type="phone_call", status="occurred"),
        EventFactory(name="Visit to Paris", event_type="official_visit", status="occurred"),
        EventFactory(name="Sümmitry lecture", event_type="interview", status="cancelled"),
        EventFactory(name="Summit of arms", event_type="arms_transfer", status="occurred"),
    ]
    AliasFactory(entity=made[2], name="Oslo summit")  # matched by its alias only
    AliasFactory(entity=made[0], name="Geneva summit")  # by its name and an alias: once
    AliasFactory(entity=made[3], name="Talks")  # "talks summit": its name and an alias apart
    PersonFactory(name="Summit Kaur")
    OrganisationFactory(name="Arctic Council", slug="arctic")
    CountryFactory(name="Summitania")
    return made


ASKED = [
    ("/api/v1/events/", {"q": "summit", "facets": "type,status"}),
    ("/api/v1/events/", {"q": "s", "facets": "type,status"}),
    ("/api/v1/events/", {"q": "oslo", "facets": "status"}),
    ("/api/v1/events/", {"q": "summit", "facets": "status", "type": "meeting"}),  # another filter
    ("/api/v1/events/", {"q": "talks summit", "facets": "type,status"}),  # two words: not from the index
    ("/api/v1/events/", {"q": "zzyzx", "facets": "type,status"}),
    ("/api/v1/entities/", {"q": "summit", "facets": "kind"}),
    ("/api/v1/entities/", {"q": "SUMMIT", "facets": "kind", "page_size": 2, "page": 2}),
    ("/api/v1/entities/", {"q": "a", "facets": "kind"}),
    ("/api/v1/entities/", {"q": "summit", "facets": "kind", "kind": "event"}),  # another filter
    ("/api/v1/entities/", {"q": "summ", "facets": "kind"}),  # the words it starts, each a term
    ("/api/v1/entities/", {"q": "Sümmit", "facets": "kind"}),  # a letter the tokenizer folds
]


@pytest.mark.parametrize("walked", [False, True], ids=["read-whole", "walked"])
@pytest.mark.parametrize("cap", [1_000, 2])
def test_an_entity_search_counts_its_facets_from_the_index_as_the_match_lists_do(
    api_client, named, monkeypatch, walked, cap
):
    """The same bodies with the index and without it (uninstalled: the facets are counted
    from the match lists again), for searches of few matches read whole and of many walked,
    with every count within the cap and some beyond it; only a search of one word and
    nothing else reads the index. The entity word index, which answers `entities/`' kinds
    for a prefix of few words first, is switched off (tests/factbase/indexes/test_entity_words.py),
    and so is the event word index, which answers an event search's facets first
    (tests/factbase/indexes/test_event_words.py)."""
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    monkeypatch.setattr(event_words, "ready", lambda connection: False)
    if walked:
        monkeypatch.setattr(search, "MANY_MATCHES", -1)
    monkeypatch.setattr(facets_module, "COUNT_CAP", cap)
    indexed, listed, read = with_and_without(
        api_client, entity_facets.INDEX, ASKED, reading=f"{entity_facets.FTS} MATCH"
    )
    assert indexed == listed
    # Eight of the twelve requests read the index, one statement each: not the two with
    # another filter, nor two words, nor `zzyzx`, which starts no word of the index.
    assert len(read) == 8, read
    # A prefix of three letters or more asked as the words it starts: `summit` (3 times),
    # `summ` (both "summit", "summitania" and "summitry"), `oslo`; `s` and `a` as prefixes.
    assert sum('names : ("summit" OR "summitania" OR "summitry")' in sql for sql in read) == 4
    assert sum('names : ("oslo")' in sql for sql in read) == 1
    assert sum('names : "s"*' in sql or 'names : "a"*' in sql for sql in read) == 2
    assert not any('"talks"' in sql for sql in read)
    by_value = {
        name: {item["value"]: item["count"] for item in values} for name, values in indexed[0]["facets"].items()
    }
    if cap == 1_000:
        assert by_value == {
            "type": {"meeting": 2, "phone_call": 1, "interview": 1, "arms_transfer": 1},
            "status": {"occurred": 3, "planned": 1, "cancelled": 1},
        }
        assert indexed[6]["facets"]["kind"] == [
            {"value": "event", "label": "Event", "count": 5},
            {"value": "country", "label": "Country", "count": 1},
            {"value": "person", "label": "Person", "count": 1},
        ]
    else:
        assert by_value["status"] == {"occurred": None, "planned": 1, "cancelled": 1}
        assert indexed[6]["facets"]["kind"][0] == {
            "value": "event",
            "label": "Event",
            "count": None,
        }  # "more than" first


def test_a_prefix_longer_than_the_prefix_indexes_is_asked_as_the_words_it_starts(named, monkeypatch):
    with connection.cursor() as cursor:
        assert entity_facets.exact_query(cursor, "summ") == '("summit" OR "summitania" OR "summitry")'
        assert entity_facets.exact_query(cursor, "zzyzx") == ""
        assert entity_facets.exact_query(cursor, "su") is None  # the prefix index holds it
        assert entity_facets.exact_query(cursor, "sümmit") is None  # folded by the tokenizer
        monkeypatch.setattr(entity_facets, "EXACT_WORDS", 2)
        assert entity_facets.exact_query(cursor, "summ") is None  # too many words
        assert entity_facets.exact_query(cursor, "summitr") == '("summitry")'
