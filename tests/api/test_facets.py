"""Facets (api/facets.py): `?facets=` counts the values of a field over every row matching
the filters, up to the list's count cap, in one statement."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.indexes import claim_text, entity_facets, entity_words, event_words, search
from factbase.models import Claim
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
)

pytestmark = pytest.mark.django_db


def facets(response) -> dict:
    assert response.status_code == 200, response.content
    return {name: {v["value"]: v["count"] for v in values} for name, values in response.json()["facets"].items()}


@pytest.fixture
def claims():
    visited, met = (
        PredicateFactory(slug="visited", label="visited"),
        PredicateFactory(slug="met-with", label="met with"),
    )
    lavrov, ministry = PersonFactory(), OrganisationFactory()
    made = [
        ClaimFactory(subject=lavrov, predicate=visited, status="published"),
        ClaimFactory(subject=lavrov, predicate=visited, status="published", polarity="negated"),
        ClaimFactory(subject=lavrov, predicate=met, status="published", modality="planned"),
        ClaimFactory(subject=ministry, predicate=met, status="published"),
        ClaimFactory(subject=lavrov, predicate=met, status="draft"),
    ]
    return lavrov, made


def expected(rows, field) -> dict:
    return dict(Counter(field(claim) for claim in rows))


def test_claim_facets_count_every_matching_row_as_the_client_sees_them(api_client, curator_client, claims):
    lavrov, made = claims
    names = "predicate,status,subject_kind,attribution,modality,polarity"
    published = [c for c in made if c.status == "published"]

    anonymous = facets(api_client.get("/api/v1/claims/", {"facets": names, "page_size": 1}))
    curator = facets(curator_client.get("/api/v1/claims/", {"facets": names}))
    about_lavrov = facets(api_client.get("/api/v1/claims/", {"facets": "predicate", "subject": lavrov.pk}))

    assert anonymous == {
        "predicate": expected(published, lambda c: c.predicate.slug),
        "status": {"published": 4},
        "subject_kind": expected(published, lambda c: c.subject.kind),
        "attribution": expected(published, lambda c: c.attribution),
        "modality": expected(published, lambda c: c.modality),
        "polarity": expected(published, lambda c: c.polarity),
    }
    assert curator["status"] == {"published": 4, "draft": 1}
    assert about_lavrov == {"predicate": {"visited": 2, "met-with": 1}}


def test_facet_values_come_commonest_first_with_their_labels(api_client, claims):
    values = api_client.get("/api/v1/claims/", {"facets": "predicate"}).json()["facets"]["predicate"]

    polarity = api_client.get("/api/v1/claims/", {"facets": "polarity"}).json()["facets"]["polarity"]

    # Ties in the value's order.
    assert values == [
        {"value": "met-with", "label": "met with", "count": 2},
        {"value": "visited", "label": "visited", "count": 2},
    ]
    assert polarity == [
        {"value": "affirmed", "label": "Affirmed", "count": 3},
        {"value": "negated", "label": "Negated", "count": 1},
    ]


def test_a_count_beyond_the_cap_is_null(api_client, claims, monkeypatch):
    from api import facets as module

    monkeypatch.setattr(module, "COUNT_CAP", 2)

    counted = facets(api_client.get("/api/v1/claims/", {"facets": "status,polarity"}))

    assert counted == {"status": {"published": None}, "polarity": {"affirmed": None, "negated": 1}}


def test_facets_cost_one_statement_whatever_their_number(api_client, claims):
    url = "/api/v1/claims/"
    with CaptureQueriesContext(connection) as plain:
        api_client.get(url)
    with CaptureQueriesContext(connection) as faceted:
        api_client.get(url, {"facets": "predicate,status,subject_kind,attribution,modality,polarity"})

    # The predicates' ids and labels, then one statement for every count.
    assert len(faceted.captured_queries) == len(plain.captured_queries) + 2


@pytest.mark.parametrize("value", ["bogus", "status,bogus", "kind"])
def test_a_facet_the_list_does_not_offer_is_a_400_naming_those_it_does(api_client, claims, value):
    response = api_client.get("/api/v1/claims/", {"facets": value})

    assert response.status_code == 400
    assert "Facets offered: predicate, status, subject_kind, attribution, modality, polarity." in str(response.json())


def test_no_facets_asked_no_facets_given(api_client, claims):
    assert "facets" not in api_client.get("/api/v1/claims/", {"facets": " , "}).json()
    assert "facets" not in api_client.get("/api/v1/claims/").json()


def test_entity_and_event_facets(api_client, db):
    EventFactory(event_type="meeting", status="occurred")
    EventFactory(event_type="meeting", status="planned")
    EventFactory(event_type="trip", status="occurred")
    PersonFactory()

    entities = facets(api_client.get("/api/v1/entities/", {"facets": "kind"}))
    events = facets(api_client.get("/api/v1/events/", {"facets": "type,status"}))
    met = facets(api_client.get("/api/v1/events/", {"facets": "status", "type": "meeting"}))

    assert entities["kind"]["event"] == 3 and entities["kind"]["person"] >= 1
    assert events == {"type": {"meeting": 2, "trip": 1}, "status": {"occurred": 2, "planned": 1}}
    assert met == {"status": {"occurred": 1, "planned": 1}}
    assert Claim.objects.count() == 0


@pytest.fixture
def summits(db):
    """Events and other entities named "summit" or holding it in an alias, and some not."""
    made = [
        EventFactory(name="Summit in Geneva", event_type="meeting", status="occurred"),
        EventFactory(name="Summit in Minsk", event_type="meeting", status="planned"),
        EventFactory(name="Talks in Oslo", event_type="conference", status="occurred"),
        EventFactory(name="Visit to Paris", event_type="official_visit", status="occurred"),
        EventFactory(name="Summitry lecture", event_type="interview", status="cancelled"),
    ]
    AliasFactory(entity=made[2], name="Oslo summit")  # matched by its alias only
    AliasFactory(entity=made[0], name="Geneva summit")  # by its name and an alias: once
    PersonFactory(name="Summit Kaur")
    OrganisationFactory(name="Arctic Council", slug="arctic")
    AliasFactory(entity=OrganisationFactory(name="Northern forum", slug="northern"), name="Summit forum")
    return made


def test_a_searched_entity_lists_facets_as_the_walk_counts_them(api_client, summits, monkeypatch):
    """A search of many matches walks an entity list's rows (search._walk_entities); its
    facets count the same rows, every one in one grouped statement (search.listed_matches).
    On PostgreSQL from the match lists: no name tested row by row, no event joined to its
    entity row, the events' lists bounded by the event table's ids. An event search of one
    word and nothing else, on either engine, from the event word index (each value a capped
    walk); on SQLite an entity search of one word and nothing else from the entity facet
    index; narrowed by a type, the events in the order of their facets' index, which holds
    their id (no row read, no sort). The entity word index, which answers an entity search
    of a prefix of few words or of one letter first, walked or not, is switched off
    (tests/factbase/indexes/test_entity_words.py)."""
    monkeypatch.setattr(search, "MANY_MATCHES", -1)  # every search walks
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    with CaptureQueriesContext(connection) as queries:
        events = facets(api_client.get("/api/v1/events/", {"facets": "type,status", "q": "summit"}))
        entities = facets(api_client.get("/api/v1/entities/", {"facets": "kind", "q": "Summit"}))
        # Narrowed by a type: the event word index reads it too (test_event_words.py); here
        # what answers without it.
        with monkeypatch.context() as without:
            without.setattr(event_words, "ready", lambda connection: False)
            met = facets(api_client.get("/api/v1/events/", {"facets": "status", "q": "summit", "type": "meeting"}))

    assert events == {
        "type": {"meeting": 2, "conference": 1, "interview": 1},
        "status": {"occurred": 2, "planned": 1, "cancelled": 1},
    }
    assert entities == {"kind": {"event": 4, "person": 1, "organisation": 1}}
    assert met == {"status": {"occurred": 1, "planned": 1}}
    grouped = [
        q["sql"]
        for q in queries.captured_queries
        if "GROUP BY" in q["sql"] and ("facet_0" in q["sql"] or "factbase_event_names" in q["sql"])
    ]
    # An event search of one word and nothing else: the event word index (its own tests:
    # tests/factbase/indexes/test_event_words.py).
    counted = [q["sql"] for q in queries.captured_queries if f"FROM {event_words.TABLE} " in q["sql"]]
    assert len([sql for sql in counted if "ORDER BY event_id LIMIT 1001) found)" in sql]) == 1, counted
    if connection.vendor == "sqlite":
        # Of entities, the entity facet index (its own tests: test_entity_facets.py).
        # Narrowed by a type, the walk grouped.
        assert len([q for q in queries.captured_queries if f"{entity_facets.FTS} MATCH" in q["sql"]]) == 1
        (met_counts,) = grouped
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {met_counts}")
            plan = " ".join(row[-1] for row in cursor.fetchall())
        assert "USING COVERING INDEX event_facets" in plan and "TEMP B-TREE" not in plan
    else:
        assert len(grouped) == 2
        entity_counts, met_counts = grouped
        # Narrowed by a type: the match lists.
        assert "JOIN" not in met_counts and "LOWER(" not in met_counts
        assert met_counts.count("BETWEEN") == 2
        assert "= ANY(ARRAY(" in entity_counts and "LOWER(" not in entity_counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's match lists read whole")
def test_entities_searched_for_few_matches_count_their_facets_from_one_bitmap(api_client, summits, monkeypatch):
    """`entities/` searched for few matches (read whole) counts its facets as a walk of it
    does: from one bitmap of the name and alias indexes (search._pg_read_whole), with the
    same answers as the walk of the list's rows. The entity word index, which answers a
    prefix of few words first, is switched off (tests/factbase/indexes/test_entity_words.py)."""
    monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    asked = [{"facets": "kind", "q": "summit"}, {"facets": "kind", "q": "summit", "kind": "event"}]
    with CaptureQueriesContext(connection) as queries:
        bitmap = [api_client.get("/api/v1/entities/", params).json() for params in asked]
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    monkeypatch.setattr(search, "_pg_read_whole", lambda queryset: None)
    with CaptureQueriesContext(connection) as queries:
        walked = [api_client.get("/api/v1/entities/", params).json() for params in asked]
    assert bitmap == walked
    assert bitmap[0]["facets"]["kind"][0] == {"value": "event", "label": "Event", "count": 4}
    assert len(grouped) == 2 and all("= ANY(ARRAY(" in sql and "unnest" not in sql for sql in grouped), grouped
    assert not any("= ANY(ARRAY(" in q["sql"] for q in queries.captured_queries)


def test_a_searched_event_lists_facets_without_events(api_client, db, monkeypatch):
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    PersonFactory(name="Summit Kaur")

    assert facets(api_client.get("/api/v1/events/", {"facets": "type,status", "q": "summit"})) == {
        "type": {},
        "status": {},
    }


def _statements(api_client, params) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        counted = facets(api_client.get("/api/v1/claims/", params))
    return counted, [q["sql"] for q in queries.captured_queries if "count(*)" in q["sql"].lower()]


def test_values_the_filters_rule_out_are_not_counted(api_client, claims, monkeypatch):
    # An anonymous client's list is filtered to published claims: PostgreSQL read every
    # draft to find that none is published.
    lavrov, made = claims

    status, status_sql = _statements(api_client, {"facets": "status"})
    negated, _ = _statements(api_client, {"facets": "polarity", "polarity": "negated"})

    assert status == {"status": {"published": 4}}
    assert not any("'draft'" in sql or "'in_review'" in sql for sql in status_sql), status_sql
    assert negated == {"polarity": {"negated": 1}}
    # A predicate, filtered by its slug through a join: the other predicates not counted (a
    # search narrowed to one walked its matches again for each of them, the values its first
    # walk, of one row here, had not settled).
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 1)
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)
    met = made[2].predicate
    for params in (
        {"facets": "predicate", "predicate": "visited"},
        {"facets": "predicate,polarity", "predicate": "visited", "q": lavrov.name.split()[0]},
    ):
        visited, visited_sql = _statements(api_client, params)
        assert visited["predicate"] == {"visited": 2}
        # (Quoted in the claims' statements, bare in the claim text table's on PostgreSQL.)
        assert not any(re.search(rf'predicate_id"? = {met.pk}\b', sql) for sql in visited_sql), visited_sql


@pytest.mark.parametrize("walk", [1, 2, 3, 20_000])
@pytest.mark.parametrize("cap", [1, 2, 1000])
def test_a_filtered_list_walks_its_rows_and_walks_again_for_what_is_left(api_client, claims, monkeypatch, walk, cap):
    # Whether the walk covers every matching row (exact), stops short (a value held by more
    # than the cap of the walked rows is "more than"; the rows holding the rest are walked
    # again) or settles nothing, the counts are the same.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", walk)
    monkeypatch.setattr(module, "COUNT_CAP", cap)
    # Walked, as a search of more matches than the claim facet index counts whole is
    # (tests/factbase/indexes/test_claim_facets.py has that index follow the same changes).
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)
    lavrov, made = claims
    mine = [c for c in made if c.status == "published" and c.subject == lavrov]

    counted, sql = _statements(api_client, {"facets": "predicate,polarity,subject_kind", "subject": lavrov.pk})

    def expected_values(rows) -> dict:
        return {
            "predicate": expected(rows, lambda c: c.predicate.slug),
            "polarity": expected(rows, lambda c: c.polarity),
            "subject_kind": expected(rows, lambda c: c.subject.kind),
        }

    def capped(values: dict) -> dict:
        return {value: (n if n <= cap else None) for value, n in values.items()}

    assert counted == {
        "predicate": capped(expected(mine, lambda c: c.predicate.slug)),
        "polarity": capped(expected(mine, lambda c: c.polarity)),
        "subject_kind": capped(expected(mine, lambda c: c.subject.kind)),
    }
    walked = [s for s in sql if "walked" in s]
    values = sum(len(v) for v in expected_values(mine).values())
    # Never a count per value, only whether any published claim holds it (one statement);
    # each walk after the first settles at least one value.
    per_value = [s for s in sql if "counted_" in s]
    assert len(per_value) <= 1 and all("LIMIT 1)" in s for s in per_value), sql
    assert 1 <= len(walked) <= 1 + values, sql
    # No published claim has an event as its subject: no walk looks for one.
    assert not any("'event'" in s for s in walked[1:]), sql
    if walk > len(mine):
        assert len(walked) == 1, sql  # the walk saw every row: nothing left


def test_an_unfiltered_list_counts_each_value_through_its_index(api_client, claims):
    # A walk of a million published claims would read 20,000 of them for nothing: each
    # value is counted from its (value, status, id) index, no further than the cap.
    counted, sql = _statements(api_client, {"facets": "modality,attribution,polarity,predicate"})

    assert not any("walked" in s for s in sql), sql
    if connection.vendor == "sqlite":
        facet_sql = next(s for s in sql if "modality" in s)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + facet_sql)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        for index in ("claim_modality_status", "claim_attribution_status", "claim_polarity_status"):
            assert index in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the joined claim text index is SQLite's (FTS5)")
def test_a_searched_lists_counts_walk_the_text_index_in_its_order(api_client, claims, monkeypatch):
    # Unordered, SQLite counted a predicate's claims from the predicate's own index and
    # tested the text match on each: 24 s for `q=ministry` at a million claims.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 1)  # the walk stops short: the values are walked again
    lavrov, made = claims
    counted, sql = _statements(api_client, {"facets": "predicate,polarity", "q": lavrov.name.split()[0]})

    statements = [s for s in sql if "walked" in s]
    assert counted == {"predicate": {"visited": 2, "met-with": 1}, "polarity": {"affirmed": 2, "negated": 1}}
    # The first walk, then the walk of what is left, and on SQLite before it the look for
    # the values that no row walked holds (`_walked`).
    assert len(statements) == (3 if connection.vendor == "sqlite" else 2), sql
    for statement in statements:
        assert 'ORDER BY ("factbase_claim_text_fts".rowid)' in statement or (
            'ORDER BY "factbase_claim_text_fts".rowid' in statement
        ), statement


@pytest.mark.parametrize("walk", [1, 2, 20_000])
@pytest.mark.parametrize("cap", [1, 1000])
def test_a_searched_lists_counts_follow_every_change_of_the_claims(
    api_client, curator_client, claims, monkeypatch, walk, cap
):
    # On PostgreSQL a search's facets are read from the claim text table, which repeats the
    # facet columns (factbase/indexes/claim_text.py), never from the claim rows: it must
    # follow each change of them, through the ORM, a queryset update or plain SQL.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", walk)
    monkeypatch.setattr(module, "COUNT_CAP", cap)
    # Walked, as a search of more matches than the claim facet index counts whole is
    # (tests/factbase/indexes/test_claim_facets.py has that index follow the same changes).
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)
    lavrov, made = claims
    names = "predicate,status,subject_kind,attribution,modality,polarity"
    q = lavrov.name.split()[0]

    def asked(client) -> tuple[dict, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            counted = facets(client.get("/api/v1/claims/", {"facets": names, "q": q}))
        return counted, [s["sql"] for s in queries.captured_queries if "walked" in s["sql"]]

    def capped(values: dict) -> dict:
        return {value: (n if n <= cap else None) for value, n in values.items()}

    def expected_of(published_only: bool) -> dict:
        rows = [c for c in Claim.objects.filter(subject=lavrov) if c.status == "published" or not published_only]
        found = {
            "predicate": expected(rows, lambda c: c.predicate.slug),
            "status": expected(rows, lambda c: c.status),
            "subject_kind": expected(rows, lambda c: c.subject_kind),
            "attribution": expected(rows, lambda c: c.attribution),
            "modality": expected(rows, lambda c: c.modality),
            "polarity": expected(rows, lambda c: c.polarity),
        }
        return {name: capped(values) for name, values in found.items()}

    draft = next(c for c in made if c.status == "draft")
    draft.status = "published"
    draft.save()
    Claim.objects.filter(pk=made[0].pk).update(polarity="negated", modality="planned", attribution="reports")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE factbase_claim SET predicate_id = %s WHERE id = %s", [made[2].predicate_id, made[1].pk])
    for client, published_only in ((api_client, True), (curator_client, False)):
        counted, walked = asked(client)
        assert counted == expected_of(published_only)
        assert walked, "a search's facets walk its matches"
        if connection.vendor == "postgresql":
            assert not any('"factbase_claim"' in s or "factbase_claim " in s for s in walked), walked


def test_a_searched_lists_values_left_are_found_in_the_text_index(api_client, monkeypatch):
    # SQLite's claim text index holds a token of each facet value: after the first walk, the
    # values that no match walked holds are looked for once (a walk of one row) among the
    # matches that hold them, and the others are walked among their holders only, both
    # narrowed in the index. At a million claims `q=with` read every published match's row
    # (191,619) to prove that 12 predicates are held by none.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 2)
    monkeypatch.setattr(module, "COUNT_CAP", 1)
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)  # walked, not counted whole
    visited, chairs = PredicateFactory(slug="visited"), PredicateFactory(slug="chairs")
    zakharova = PersonFactory(name="Maria Zakharova")  # the factory's quotes name Lavrov
    for polarity in ("affirmed", "negated", "affirmed"):
        ClaimFactory(subject=zakharova, predicate=visited, status="published", polarity=polarity)
    ClaimFactory(predicate=chairs, status="published")  # held, but by no match
    ClaimFactory(subject=zakharova, predicate=chairs, status="draft")  # a match, but not shown

    with CaptureQueriesContext(connection) as queries:
        counted = facets(api_client.get("/api/v1/claims/", {"facets": "predicate,polarity", "q": "zakharova"}))

    assert counted == {"predicate": {"visited": None}, "polarity": {"affirmed": None, "negated": 1}}
    walked = [q["sql"] for q in queries.captured_queries if "walked" in q["sql"]]
    if connection.vendor == "sqlite":
        first, look, *rest = walked
        assert first.count("MATCH") == 1, first
        assert look.count("MATCH") == 2 and "LIMIT 1)" in look, look
        assert rest and all(statement.count("MATCH") == 2 for statement in rest), rest


def test_a_subjects_counts_walk_its_index_alone(api_client, claims):
    # The subject's index holds the facet columns (claim_subject_fact_facets): the walk reads
    # no claim row. Through the rows, the busiest subject's walks took 254 ms on SQLite at a
    # million claims; from the index, 51.
    lavrov, made = claims
    counted, _ = _statements(api_client, {"facets": "predicate,polarity", "subject": lavrov.pk})
    with CaptureQueriesContext(connection) as queries:
        api_client.get(
            "/api/v1/claims/",
            {"facets": "predicate,status,subject_kind,attribution,modality,polarity", "subject": lavrov.pk},
        )
    walked = [q["sql"] for q in queries.captured_queries if "walked" in q["sql"]]
    assert counted == {"predicate": {"visited": 2, "met-with": 1}, "polarity": {"affirmed": 2, "negated": 1}}
    assert walked
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + walked[0])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX claim_subject_fact_facets" in plan, plan


@pytest.mark.parametrize("walk", [1, 2, 20_000])
@pytest.mark.parametrize("cap", [1, 1000])
def test_a_date_ranges_counts_walk_the_claims_starting_in_it_and_reaching_into_it(
    api_client, curator_client, claims, monkeypatch, walk, cap
):
    # An anonymous client's date range is walked as two arms: the claims that start within
    # it, from the (status, date_lower, date_upper, <facets>) index alone, and those that
    # start before it and reach into it, from the interval index. A claim starting on the
    # range's first day is counted once; one ending the day before, or starting after, not.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", walk)
    monkeypatch.setattr(module, "COUNT_CAP", cap)
    # Walked, as a search of more matches than the claim facet index counts whole is
    # (tests/factbase/indexes/test_claim_facets.py has that index follow the same changes).
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)
    lavrov, made = claims
    met = made[2].predicate
    dated = [
        ((2020, 6, 1), (2021, 2, 1), {"polarity": "negated"}),  # reaches into 2021 from before
        ((2021, 1, 1), (2021, 12, 31), {"modality": "planned"}),  # the year itself
        ((2021, 12, 31), (2022, 1, 5), {}),  # starts on its last day
        ((2021, 5, 1), (2021, 5, 31), {"attribution": "quotes"}),
        ((2020, 1, 1), (2020, 12, 31), {}),  # ends the day before
        ((2022, 1, 1), (2022, 1, 1), {}),  # starts the day after
    ]
    for lower, upper, fields in dated:
        ClaimFactory(
            subject=lavrov,
            predicate=met,
            status="published",
            date_lower=datetime.date(*lower),
            date_upper=datetime.date(*upper),
            date_precision="day",
            **fields,
        )
    ClaimFactory(
        subject=lavrov,
        predicate=met,
        status="draft",
        date_lower=datetime.date(2021, 3, 1),
        date_upper=datetime.date(2021, 3, 1),
        date_precision="day",
    )
    names = "predicate,status,subject_kind,attribution,modality,polarity"
    in_2021 = [
        c
        for c in Claim.objects.exclude(date_lower=None)
        if c.date_lower <= datetime.date(2021, 12, 31) and c.date_upper >= datetime.date(2021, 1, 1)
    ]

    def expected_of(rows) -> dict:
        found = {
            "predicate": expected(rows, lambda c: c.predicate.slug),
            "status": expected(rows, lambda c: c.status),
            "subject_kind": expected(rows, lambda c: c.subject_kind),
            "attribution": expected(rows, lambda c: c.attribution),
            "modality": expected(rows, lambda c: c.modality),
            "polarity": expected(rows, lambda c: c.polarity),
        }
        return {
            name: {value: (n if n <= cap else None) for value, n in values.items()} for name, values in found.items()
        }

    params = {"facets": names, "date_from": "2021", "date_to": "2021"}
    with CaptureQueriesContext(connection) as queries:
        anonymous = facets(api_client.get("/api/v1/claims/", params))
    walked = [q["sql"] for q in queries.captured_queries if "walked" in q["sql"]]
    curator = facets(curator_client.get("/api/v1/claims/", params))

    assert anonymous == expected_of([c for c in in_2021 if c.status == "published"])
    assert curator == expected_of(in_2021)
    assert walked and all("arms" in sql for sql in walked), walked
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + walked[0].replace("%s", "?"), [])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX claim_status_dates_facets" in plan, plan
        # Those reaching in: the interval index's few ids, each claim read by its id, not
        # every published claim that starts before the range.
        assert "INTEGER PRIMARY KEY" in plan and "(status=?)" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the facet tokens are SQLite's claim text index's")
@pytest.mark.parametrize("held_after_the_walk", [False, True])
def test_a_searched_lists_values_left_are_looked_for_as_the_matches_holding_none_of_the_others(
    api_client, monkeypatch, held_after_the_walk
):
    # When the values no match walked holds are more than the other values of their facet,
    # the look finds the matches that hold one of them as those holding none of the others
    # (a claim holds one value of each facet): at a million claims `conference`'s 12
    # predicates held by no match took 19 ms as 12 lists ORed, 7 ms as NOT the other 4.
    # A match after the first walk that holds one of them must still be found.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 2)
    monkeypatch.setattr(module, "COUNT_CAP", 1)
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)  # walked, not counted whole
    visited = PredicateFactory(slug="visited")
    others = [PredicateFactory(slug=slug) for slug in ("chairs", "signed", "opened", "closed")]
    zakharova = PersonFactory(name="Maria Zakharova")  # the factory's quotes name Lavrov
    for polarity in ("affirmed", "negated", "affirmed"):
        ClaimFactory(subject=zakharova, predicate=visited, status="published", polarity=polarity)
    for predicate in others:
        ClaimFactory(predicate=predicate, status="published")  # held, but by no match
    if held_after_the_walk:
        ClaimFactory(subject=zakharova, predicate=others[2], status="published")
    ClaimFactory(subject=zakharova, predicate=others[1], status="draft")  # a match, but not shown

    with CaptureQueriesContext(connection) as queries:
        counted = facets(api_client.get("/api/v1/claims/", {"facets": "predicate,polarity", "q": "zakharova"}))

    predicates = {"visited": None, "opened": 1} if held_after_the_walk else {"visited": None}
    assert counted == {"predicate": predicates, "polarity": {"affirmed": None, "negated": 1}}
    walked = [q["sql"] for q in queries.captured_queries if "walked" in q["sql"]]
    first, look, *_ = walked
    assert "LIMIT 1)" in look, look
    assert look.count("MATCH") == first.count("MATCH") == 1 and ") NOT (" in look, look


def test_a_value_no_match_held_until_a_change_is_counted_after_it(api_client, curator_client, monkeypatch):
    # The values no match walked holds are proved held by none where an index can
    # (PostgreSQL: the claim text values table; SQLite: the facet tokens): the proof must
    # follow every change that gives a match a value no match held before, through a new
    # claim, a plain SQL update, a queryset update and a publication.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 1)  # every value but the first row's is left after the first walk
    visited, chairs = PredicateFactory(slug="visited"), PredicateFactory(slug="chairs")
    zakharova = PersonFactory(name="Maria Zakharova")  # the factory's quotes name Lavrov
    made = [ClaimFactory(subject=zakharova, predicate=visited, status="published") for _ in range(3)]
    ClaimFactory(predicate=chairs, status="published", modality="planned")  # held, but by no match
    names = "predicate,status,modality"

    def counted(client=api_client) -> dict:
        return facets(client.get("/api/v1/claims/", {"facets": names, "q": "zakharova"}))

    assert counted() == {"predicate": {"visited": 3}, "status": {"published": 3}, "modality": {"asserted": 3}}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE factbase_claim SET predicate_id = %s WHERE id = %s", [chairs.pk, made[0].pk])
    Claim.objects.filter(pk=made[1].pk).update(modality="planned")
    assert counted()["predicate"] == {"visited": 2, "chairs": 1}
    assert counted()["modality"] == {"asserted": 2, "planned": 1}
    ClaimFactory(subject=zakharova, predicate=chairs, status="draft", modality="possible")
    assert counted(curator_client)["status"] == {"published": 3, "draft": 1}
    assert counted(curator_client)["modality"] == {"asserted": 2, "planned": 1, "possible": 1}
    Claim.objects.filter(status="draft").update(status="published")
    assert counted() == {
        "predicate": {"chairs": 2, "visited": 2},
        "status": {"published": 4},
        "modality": {"asserted": 2, "planned": 1, "possible": 1},
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text values table is PostgreSQL's")
def test_a_searched_lists_values_no_match_holds_are_proved_so_without_a_walk(api_client, monkeypatch):
    # PostgreSQL: after the first walk, the values that no match walked holds are looked up
    # in the claim text values table, which has beside each value the words of the claims
    # that held it: one with no word of the query's beside it is held by no match, and is
    # not walked for. At a million claims `q=with` walked every match after the first walk
    # to prove that 12 predicates are held by none (217 ms); the look takes 1 ms.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 2)
    monkeypatch.setattr(module, "COUNT_CAP", 1)
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)  # walked, not counted whole
    visited, chairs = PredicateFactory(slug="visited"), PredicateFactory(slug="chairs")
    zakharova = PersonFactory(name="Anne-Marie Zakharova")
    for polarity in ("affirmed", "negated", "affirmed"):
        ClaimFactory(subject=zakharova, predicate=visited, status="published", polarity=polarity)
    ClaimFactory(predicate=chairs, status="published")  # held, but by no match

    for q, proved in (("zakharova", True), ("marie zakharova", True), ("anne-marie", False)):
        with CaptureQueriesContext(connection) as queries:
            counted = facets(api_client.get("/api/v1/claims/", {"facets": "predicate,polarity", "q": q}))
        assert counted == {"predicate": {"visited": None}, "polarity": {"affirmed": None, "negated": 1}}, q
        sql = [query["sql"] for query in queries.captured_queries]
        looked = [s for s in sql if "factbase_claim_text_values" in s]
        walked = [s for s in sql if "walked" in s]
        # A hyphenated word is a phrase to PostgreSQL: nothing is proved, the values are walked.
        assert bool(looked) == proved, (q, sql)
        held = f"predicate_id = {chairs.pk}"
        assert all(held not in s for s in walked[1:]) == proved, (q, walked)


def test_a_prefix_terms_words_are_a_range_in_code_point_order():
    from factbase.indexes import claim_text

    assert claim_text.word_range("with") == ("with", "witi")
    assert claim_text.word_range("мос") == ("мос", "мот")
    assert claim_text.word_range("a\U0010ffff") is None
    # The code point after U+D7FF that UTF-8 can hold is U+E000 (the surrogates between are none).
    assert claim_text.word_range("a\ud7ff") == ("a\ud7ff", "a\ue000")
    assert search._prefix_ranges("'with':* & 'lavrov':*") == [("with", "witi"), ("lavrov", "lavrow")]
    assert search._prefix_ranges("'zakharova-maria':* <-> 'zakharova':*") == []
    assert search._prefix_ranges("") == []


@pytest.mark.parametrize("groups", [None, 1, 5_000, 5_001])
def test_a_walk_groups_every_lookup_at_once_or_each_alone_to_the_same_counts(claims, groups):
    # counts.walked_counts: with few combinations of values (COMBINED_GROUPS), one GROUP BY
    # of every lookup, summed per lookup (the first walk of `q=with`'s facets at a million
    # claims on PostgreSQL: 46 ms one aggregate per lookup, 33 at once); otherwise one
    # aggregate per lookup. The same counts, and the same last id, either way.
    from factbase.indexes.counts import walked_counts

    lavrov, made = claims
    rows = Claim.objects.filter(subject=lavrov)
    walked = walked_counts(rows, ["predicate_id", "status", "modality"], 10, "default", groups=groups)
    visited, met = made[0].predicate_id, made[2].predicate_id
    assert walked == (
        4,
        [{str(visited): 2, str(met): 2}, {"published": 3, "draft": 1}, {"asserted": 3, "planned": 1}],
        None,
    )
    joined = search.join_claims(Claim.objects.filter(status="published"), lavrov.name.split()[0])
    if search.is_joined(joined):
        first = walked_counts(joined, ["polarity", "modality"], 2, "default", last=True, groups=groups)
        assert (
            first[0] == 2
            and first[2] == sorted(c.pk for c in made if c.status == "published" and c.subject == lavrov)[1]
        )


def test_a_facets_shown_value_fixed_through_a_join_is_found_when_a_constant(claims):
    """`facets.shown_fixed`: `predicate__slug = 'visited'` fixes the predicate facet to that
    value; a comparison with an expression, or no such condition, fixes nothing."""
    from django.db.models import F

    from api.facets import shown_fixed
    from api.views.claims import ClaimViewSet

    offered = ClaimViewSet.facets
    assert shown_fixed(Claim.objects.filter(predicate__slug="visited"), offered) == {"predicate_id": "visited"}
    assert shown_fixed(Claim.objects.filter(predicate__slug=F("predicate__label")), offered) == {}
    assert shown_fixed(Claim.objects.filter(predicate__label="visited"), offered) == {}


NARROWINGS = [
    {"predicate": "met-with"},
    {"predicate": "visited", "polarity": "negated"},
    {"modality": "planned"},
    {"polarity": "affirmed"},
    {"status": "published"},
    {"status": "draft"},
]


@pytest.mark.parametrize("walk", [1, 20_000])
@pytest.mark.parametrize("narrowing", NARROWINGS, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()))
@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_search_narrowed_to_facet_values_counts_its_matches_holding_them(
    api_client, curator_client, claims, monkeypatch, walk, narrowing, who
):
    # A facet value chosen after the first facets: the claims of the search holding it, as
    # the client sees them, whichever way each engine narrows its walks (its index's tokens
    # of the value on SQLite, the claim text table's columns on PostgreSQL).
    from api import facets as module

    monkeypatch.setattr(module, "WALK", walk)
    monkeypatch.setattr(module, "COUNT_CAP", 1)
    lavrov, made = claims
    ClaimFactory(subject=lavrov, predicate=made[2].predicate, status="published", polarity="negated")
    client = api_client if who == "anonymous" else curator_client
    params = {"facets": "predicate,status,subject_kind,modality,polarity", "q": lavrov.name.split()[0], **narrowing}
    shown = (
        Claim.objects.filter(subject=lavrov) if who == "curator" else Claim.objects.filter(subject=lavrov).published()
    )
    for field, value in narrowing.items():
        shown = shown.filter(**{"predicate__slug" if field == "predicate" else field: value})
    rows = list(shown.select_related("predicate"))
    fields = {
        "predicate": lambda claim: claim.predicate.slug,
        "status": lambda claim: claim.status,
        "subject_kind": lambda claim: claim.subject_kind,
        "modality": lambda claim: claim.modality,
        "polarity": lambda claim: claim.polarity,
    }
    capped = {
        name: {v: (n if n <= 1 else None) for v, n in expected(rows, field).items()} for name, field in fields.items()
    }

    assert facets(client.get("/api/v1/claims/", params)) == capped


NARROWINGS = [
    {"predicate": "met-with"},
    {"modality": "planned"},
    {"polarity": "negated", "predicate": "visited"},
    {"modality": "possible", "polarity": "negated"},  # held by no claim
]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the facet tokens are SQLite's claim text index's")
@pytest.mark.parametrize("narrowing", NARROWINGS)
def test_a_search_narrowed_to_facet_values_reads_only_their_matches_in_the_text_index(
    api_client, curator_client, claims, monkeypatch, narrowing
):
    """The page, the count and the facets' walks of a claim search narrowed to a modality, a
    polarity or a predicate (by its slug) each ask the claim text index for those values'
    tokens, beside the query's words: the same bodies as the claims compared alone. At a
    million claims the first walk of the facets of `q=a&predicate=…` read 395,168 matches of
    `a` for the 20,000 of the predicate (84 ms), and 17 intersected with its token; the
    count of `q=a&modality=possible&polarity=negated` read every match of `a` (200 ms), and
    6.6 intersected."""
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 1)
    lavrov, made = claims
    params = {"facets": "predicate,polarity", "q": lavrov.name.split()[0], **narrowing}
    tokens = [
        claim_text.SQLITE_PREDICATE_OF_SLUG.replace("%s", f"'{value}'")
        if name == "predicate"
        else f'"{claim_text.facet_token(name, value)}"'
        for name, value in narrowing.items()
    ]
    for client in (api_client, curator_client):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/claims/", params).json()
        searched = [q["sql"] for q in queries.captured_queries if "MATCH" in q["sql"]]
        assert any("walked" in sql for sql in searched) and any("LIMIT 1001" in sql for sql in searched)
        for sql in searched:
            assert all(token in sql for token in tokens), sql
        with monkeypatch.context() as unnarrowed:
            unnarrowed.setattr(search, "joined_holding_each", lambda queryset, pairs: queryset)
            assert client.get("/api/v1/claims/", params).json() == body
    # The curator's count: every claim about Lavrov (the query) that holds the values.
    held = [
        claim
        for claim in made
        if claim.subject == lavrov
        and all(
            (claim.predicate.slug if name == "predicate" else getattr(claim, name)) == value
            for name, value in narrowing.items()
        )
    ]
    assert body["count"] == len(held)


def test_a_value_no_row_holds_is_proved_so_within_the_fixed_columns_its_index_holds(api_client, claims, monkeypatch):
    # Proved within a modality too, SQLite walked the modality's published claims to find
    # none about an event (177 ms at a million): the index of the subject's kind holds the
    # status beside it, not the modality.
    from api import facets as module

    monkeypatch.setattr(module, "WALK", 1)  # the first walk settles nothing
    lavrov, made = claims
    for params in (
        {"q": lavrov.name.split()[0], "modality": "planned"},  # SQLite; PostgreSQL's values table proves it first
        {"subject": lavrov.pk, "modality": "planned"},
    ):
        with CaptureQueriesContext(connection) as queries:
            counted = facets(api_client.get("/api/v1/claims/", {"facets": "subject_kind", **params}))
        assert counted == {"subject_kind": {"person": 1}}
        proofs = [q["sql"] for q in queries.captured_queries if "LIMIT 1)" in q["sql"] and "'event'" in q["sql"]]
        if "subject" in params or connection.vendor == "sqlite":
            assert proofs
        assert not any("modality" in sql for sql in proofs), proofs


@pytest.mark.parametrize(
    "params",
    [
        {"q": "!!"},  # a search of no word: no claim
        {"q": "''", "predicate": "visited"},
        {"q": "!!", "subject": 0},
    ],
)
def test_a_list_that_can_hold_no_row_has_empty_facets(api_client, claims, params):
    # Its statements cannot be written (the ORM raises EmptyResultSet): a 500 before.
    lavrov, _ = claims
    params = {"facets": "predicate,status,modality", **params}
    if "subject" in params:
        params["subject"] = lavrov.pk
    response = api_client.get("/api/v1/claims/", params)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert response.json()["facets"] == {"predicate": [], "status": [], "modality": []}
