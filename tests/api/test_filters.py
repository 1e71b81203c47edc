"""Every filter of the API's resources, with data that matches and data that does not;
date filters at day, month and year precision; bad values are 400s that say why."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.models import Claim, Entity, Fact
from tests.api.conftest import ids
from tests.factories.claims import ClaimFactory


@pytest.fixture
def world(module_world, db):
    """Built once for the module: these tests only read, or write inside a rolled-back savepoint."""
    return module_world


# (resource, params built from the world, names of the expected rows in the default order)
CASES = [
    # countries
    ("countries", lambda w: {"q": "indo"}, ["indonesia"]),
    ("countries", lambda w: {"q": "federation"}, ["russia"]),  # alias only
    ("countries", lambda w: {"q": "atlantis"}, []),
    ("countries", lambda w: {"iso": "ru"}, ["russia"]),
    ("countries", lambda w: {"iso": "IDN"}, ["indonesia"]),
    ("countries", lambda w: {"iso": "FR"}, []),
    # people
    ("people", lambda w: {"q": "sergei"}, ["lavrov"]),
    ("people", lambda w: {"q": "dmitry"}, ["streltsov"]),  # alias only
    ("people", lambda w: {"q": "putin"}, []),
    ("people", lambda w: {"nationality": w.russia.id}, ["lavrov"]),
    ("people", lambda w: {"nationality": w.indonesia.id}, []),
    ("people", lambda w: {"organisation": w.mfa.id}, ["lavrov"]),
    ("people", lambda w: {"organisation": w.asean.id}, []),
    # organisations
    ("organisations", lambda w: {"q": "ministry"}, ["mfa"]),
    ("organisations", lambda w: {"q": "kommersant"}, []),
    ("organisations", lambda w: {"type": "ministry"}, ["mfa"]),
    ("organisations", lambda w: {"type": "intergovernmental_body"}, ["asean"]),
    ("organisations", lambda w: {"type": "media_outlet"}, []),
    ("organisations", lambda w: {"country": w.russia.id}, ["mfa"]),
    ("organisations", lambda w: {"country": w.indonesia.id}, []),
    # events (visit: 2021-07-06…08; Brunei leg: 2021-07-09)
    ("events", lambda w: {"q": "brunei"}, ["brunei"]),
    ("events", lambda w: {"q": "summit"}, []),
    ("events", lambda w: {"type": "official_visit"}, ["visit"]),
    ("events", lambda w: {"type": "military_exercise"}, []),
    ("events", lambda w: {"status": "cancelled"}, ["brunei"]),
    ("events", lambda w: {"status": "planned"}, []),
    ("events", lambda w: {"participant": w.lavrov.id}, ["visit"]),
    ("events", lambda w: {"participant": w.streltsov.id}, []),
    ("events", lambda w: {"country": w.indonesia.id}, ["visit"]),
    ("events", lambda w: {"country": w.russia.id}, []),
    ("events", lambda w: {"date_to": "2021-07-06"}, ["visit"]),  # day
    ("events", lambda w: {"date_to": "2021-07-05"}, []),
    ("events", lambda w: {"date_from": "2021-07-09"}, ["brunei"]),
    ("events", lambda w: {"date_from": "2021-07-10"}, []),
    ("events", lambda w: {"date_from": "2021-07-08", "date_to": "2021-07-08"}, ["visit"]),
    ("events", lambda w: {"date_from": "2021-07"}, ["visit", "brunei"]),  # month
    ("events", lambda w: {"date_from": "2021-08"}, []),
    ("events", lambda w: {"date_to": "2021-06"}, []),
    ("events", lambda w: {"date_from": "2021", "date_to": "2021"}, ["visit", "brunei"]),  # year
    ("events", lambda w: {"date_from": "2022"}, []),
    ("events", lambda w: {"date_to": "2020"}, []),
    # claims (published: 2021-07-06…08; draft: no date; attributed: August 2021)
    ("claims", lambda w: {"q": "indonesia"}, ["published"]),  # span text
    ("claims", lambda w: {"q": "influence"}, ["attributed"]),  # span text and value
    ("claims", lambda w: {"q": "dmitry"}, ["attributed"]),  # the subject's alias
    ("claims", lambda w: {"q": "jakarta"}, []),
    ("claims", lambda w: {"subject": w.lavrov.id}, ["published", "draft"]),
    ("claims", lambda w: {"subject": w.russia.id}, []),
    ("claims", lambda w: {"object": w.indonesia.id}, ["published"]),
    ("claims", lambda w: {"object": w.lavrov.id}, []),
    ("claims", lambda w: {"entity": w.russia.id}, ["draft"]),  # as object
    ("claims", lambda w: {"entity": w.streltsov.id}, ["attributed"]),  # as subject and attribution
    ("claims", lambda w: {"entity": w.mfa.id}, []),
    ("claims", lambda w: {"predicate": "said"}, ["attributed"]),
    ("claims", lambda w: {"predicate": "met-with"}, []),
    ("claims", lambda w: {"event": w.visit.id}, ["published"]),
    ("claims", lambda w: {"event": w.brunei.id}, []),
    ("claims", lambda w: {"document": w.document.id}, ["published", "draft", "attributed"]),
    ("claims", lambda w: {"document": w.other_document.id}, []),
    ("claims", lambda w: {"attributed_to": w.streltsov.id}, ["attributed"]),
    ("claims", lambda w: {"attributed_to": w.lavrov.id}, []),
    ("claims", lambda w: {"modality": "possible"}, ["attributed"]),
    ("claims", lambda w: {"modality": "planned"}, []),
    ("claims", lambda w: {"polarity": "negated"}, ["attributed"]),
    ("claims", lambda w: {"polarity": "affirmed"}, ["published", "draft"]),
    ("claims", lambda w: {"status": "draft"}, ["draft"]),
    ("claims", lambda w: {"status": "in_review"}, []),
    ("claims", lambda w: {"date_to": "2021-07-06"}, ["published"]),  # day
    ("claims", lambda w: {"date_to": "2021-07-05"}, []),
    ("claims", lambda w: {"date_from": "2021-07-08"}, ["published", "attributed"]),
    ("claims", lambda w: {"date_from": "2021-09-01"}, []),
    ("claims", lambda w: {"date_from": "2021-08"}, ["attributed"]),  # month
    ("claims", lambda w: {"date_to": "2021-07"}, ["published"]),
    ("claims", lambda w: {"date_to": "2021-06"}, []),
    ("claims", lambda w: {"date_from": "2021"}, ["published", "attributed"]),  # year
    ("claims", lambda w: {"date_from": "2022"}, []),
    ("claims", lambda w: {"date_to": "2020"}, []),
    ("claims", lambda w: {"document": w.document.id, "date_from": "2021-08", "date_to": "2021"}, ["attributed"]),
    ("claims", lambda w: {"event": w.visit.id, "date_from": "2021-07", "date_to": "2021-07"}, ["published"]),
    ("claims", lambda w: {"event": w.visit.id, "date_from": "2021-08", "date_to": "2021"}, []),
    # documents (document: July 2021; other_document: 2020-01-15)
    ("documents", lambda w: {"q": "lavrov visited"}, ["document"]),
    ("documents", lambda w: {"q": "unrelated"}, ["other_document"]),  # title
    ("documents", lambda w: {"q": "jakarta"}, []),
    ("documents", lambda w: {"published_from": "2021-07-31"}, ["document"]),  # day
    ("documents", lambda w: {"published_to": "2020-01-14"}, []),
    ("documents", lambda w: {"published_from": "2021-07"}, ["document"]),  # month
    ("documents", lambda w: {"published_from": "2021-08"}, []),
    ("documents", lambda w: {"published_to": "2020"}, ["other_document"]),  # year
    ("documents", lambda w: {"published_from": "2019", "published_to": "2019"}, []),
    # entities: one lookup across kinds
    ("entities", lambda w: {"q": "lavrov"}, ["visit", "lavrov"]),
    ("entities", lambda w: {"q": "federation"}, ["russia"]),
    ("entities", lambda w: {"q": "putin"}, []),
    ("entities", lambda w: {"kind": "person"}, ["lavrov", "streltsov"]),
    ("entities", lambda w: {"kind": "organisation"}, ["asean", "mfa"]),
    ("entities", lambda w: {"q": "lavrov", "kind": "event"}, ["visit"]),
    ("entities", lambda w: {"q": "lavrov", "kind": "country"}, []),
]


@pytest.mark.parametrize(
    ("resource", "params", "expected"), CASES, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(CASES)]
)
def test_filter_returns_exactly_the_matching_rows(curator_client, world, resource, params, expected):
    response = curator_client.get(f"/api/v1/{resource}/", params(world))
    assert ids(response) == [getattr(world, name).pk for name in expected]
    assert response.json()["count"] == len(expected)


def test_claims_anonymous_sees_published_only_even_when_asking_for_drafts(api_client, world):
    assert ids(api_client.get("/api/v1/claims/")) == [world.published.pk, world.attributed.pk]
    assert ids(api_client.get("/api/v1/claims/", {"status": "draft"})) == []
    assert ids(api_client.get("/api/v1/claims/", {"subject": world.lavrov.pk})) == [world.published.pk]


@pytest.mark.parametrize(
    ("resource", "ordering", "expected"),
    [
        ("people", "-name", ["streltsov", "lavrov"]),
        ("people", "name", ["lavrov", "streltsov"]),
        ("events", "-date", ["brunei", "visit"]),
        # Unknown dates sort last in both directions, on SQLite and PostgreSQL alike.
        ("claims", "date", ["published", "attributed", "draft"]),
        ("claims", "-date", ["attributed", "published", "draft"]),
        ("claims", "-id", ["attributed", "draft", "published"]),
        ("documents", "title", ["document", "other_document"]),
        ("documents", "-published", ["document", "other_document"]),
        ("entities", "kind,-name", ["russia", "indonesia", "visit", "brunei", "mfa", "asean", "streltsov", "lavrov"]),
    ],
)
def test_ordering_sorts_by_the_whitelisted_fields(curator_client, world, resource, ordering, expected):
    response = curator_client.get(f"/api/v1/{resource}/", {"ordering": ordering})
    assert ids(response) == [getattr(world, name).pk for name in expected]


def test_ordering_ties_are_broken_by_id_in_the_direction_of_the_last_field(curator_client, world):
    # So that each ordering is one index read forwards or backwards (api/filters.py).
    world.lavrov.__class__.objects.filter(pk=world.streltsov.pk).update(family_name="Same")
    world.lavrov.__class__.objects.filter(pk=world.lavrov.pk).update(family_name="Same")
    ascending = ids(curator_client.get("/api/v1/people/", {"ordering": "family_name"}))
    descending = ids(curator_client.get("/api/v1/people/", {"ordering": "-family_name"}))
    assert ascending == sorted([world.lavrov.pk, world.streltsov.pk])
    assert descending == sorted([world.lavrov.pk, world.streltsov.pk], reverse=True)


def test_claim_date_ordering_breaks_ties_by_id_both_ways_with_undated_claims_last(curator_client):
    claims = [
        ClaimFactory(date_lower=dt.date(2021, 7, 6), date_upper=dt.date(2021, 7, 6)),
        ClaimFactory(date_lower=dt.date(2021, 7, 6), date_upper=dt.date(2021, 7, 6)),
        ClaimFactory(date_lower=None, date_upper=None),
        ClaimFactory(date_lower=dt.date(2020, 1, 1), date_upper=dt.date(2020, 1, 1)),
    ]
    same_day = sorted([claims[0].pk, claims[1].pk])
    mine = {claim.pk for claim in claims}

    def order(ordering):
        return [
            pk
            for pk in ids(curator_client.get("/api/v1/claims/", {"ordering": ordering, "page_size": 200}))
            if pk in mine
        ]

    assert order("date") == [claims[3].pk, *same_day, claims[2].pk]
    assert order("-date") == [*reversed(same_day), claims[3].pk, claims[2].pk]


def unknown_id():
    return (Entity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


BAD = [
    ("people", lambda w: {"nationality": "abc"}, {"nationality": ["Give an id: a whole number such as 42."]}),
    ("people", lambda w: {"nationality": "4.0"}, {"nationality": ["Give an id: a whole number such as 42."]}),
    ("people", lambda w: {"nationality": "0"}, {"nationality": ["Ids start at 1."]}),
    (
        "people",
        lambda w: {"nationality": "99999999999999999999"},
        {"nationality": ["No record has an id this large."]},
    ),
    ("claims", lambda w: {"subject": unknown_id()}, lambda w: {"subject": [f"No entity has id {unknown_id()}."]}),
    (
        "people",
        lambda w: {"nationality": w.lavrov.pk},
        lambda w: {"nationality": [f"Entity {w.lavrov.pk} is a person; this filter takes the id of a country."]},
    ),
    (
        "claims",
        lambda w: {"event": w.russia.pk},
        lambda w: {"event": [f"Entity {w.russia.pk} is a country; this filter takes the id of a event."]},
    ),
    (
        "claims",
        lambda w: {"predicate": "flew-to"},
        {"predicate": ["No predicate has the slug 'flew-to'; the vocabulary is at /api/v1/predicates/."]},
    ),
    (
        "claims",
        lambda w: {"document": w.other_document.pk + 1000},
        lambda w: {"document": [f"No document has id {w.other_document.pk + 1000}."]},
    ),
    ("events", lambda w: {"date_from": "2021-13"}, {"date_from": ["'2021-13': the month must be between 01 and 12."]}),
    (
        "events",
        lambda w: {"date_to": "July 2021"},
        {"date_to": ["'July 2021' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, or an interval A/B of those."]},
    ),
    (
        "claims",
        lambda w: {"date_from": "2021-08", "date_to": "2021-07"},
        {"date_to": ["The range ends before it starts (date_from is later)."]},
    ),
    (
        "events",
        lambda w: {"type": "picnic"},
        {"type": ["Select a valid choice. picnic is not one of the available choices."]},
    ),
    (
        "countries",
        lambda w: {"iso": "R1"},
        {"iso": ["An ISO 3166-1 code is two or three letters: RU, RUS."]},
    ),
    (
        "people",
        lambda w: {"ordering": "salary"},
        {"ordering": ["Select a valid choice. salary is not one of the available choices."]},
    ),
]


@pytest.mark.parametrize(("resource", "params", "errors"), BAD, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(BAD)])
def test_filter_bad_value_is_400_saying_why(api_client, world, resource, params, errors):
    response = api_client.get(f"/api/v1/{resource}/", params(world))
    assert response.status_code == 400
    assert response.json() == (errors(world) if callable(errors) else errors)


def test_filter_known_id_without_matches_is_an_empty_200(api_client, world):
    """An id that exists but has no published claims is an answer, not an error."""
    response = api_client.get("/api/v1/claims/", {"subject": world.mfa.pk})
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_documents_or_an_events_claims_in_a_date_range_are_compared_on_their_rows(curator_client, world):
    # A document's, an event's or a fact's claims are few: the interval index's answer for the whole range (100,000
    # claims for a year at a million) is not gathered to keep two of them (ClaimQuerySet.overlapping).
    # An entity's come per role from its date index (claim_dates.filter_overlapping_in_roles),
    # the interval index asked on SQLite only for the claims reaching into the range from before.
    range_ = {"date_from": "2021", "date_to": "2021"}
    fact = Fact.objects.create(sources=1)
    Claim.objects.filter(subject=world.lavrov).update(fact=fact)
    entity_uses_the_index = connection.vendor == "sqlite"
    for reference, expected in (
        ({"document": world.document.id}, False),
        ({"event": world.visit.id}, False),
        ({"fact": fact.id}, False),
        ({"subject": world.lavrov.id}, entity_uses_the_index),
        ({"entity": world.lavrov.id}, entity_uses_the_index),
        ({}, True),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get("/api/v1/claims/", {**reference, **range_}).status_code == 200
        interval_index = any("factbase_claim_dates" in q["sql"] or "daterange" in q["sql"] for q in queries)
        assert interval_index == expected, reference
        by_role = any(" UNION ALL " in q["sql"] and "factbase_claim" in q["sql"] for q in queries)
        assert by_role == bool({"subject", "entity"} & set(reference)), reference


def _filtersets():
    from api.filters import FactbaseFilterSet

    found, stack = [], [FactbaseFilterSet]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls._meta.model is not None:
            found.append(cls)
    return found


def test_filter_forms_share_their_fields_and_none_holds_a_queryset():
    # The forms of a FilterSet share its fields (api.filters._SharedFields): a field with a
    # queryset would then share that queryset's cache between requests, so none may have one.
    filtersets = _filtersets()
    assert len(filtersets) >= 10
    for filterset_class in filtersets:
        first, second = filterset_class(data={}).form, filterset_class(data={}).form
        assert first.fields is not second.fields
        for name, field in first.fields.items():
            assert field is second.fields[name], (filterset_class.__name__, name)
            assert not hasattr(field, "queryset"), (filterset_class.__name__, name)


def test_a_filter_forms_values_and_errors_are_its_own(api_client, world):
    # The shared fields hold nothing of one request for the next: a bad value, then a good one.
    bad = api_client.get("/api/v1/claims/", {"subject": "x", "date_from": "2021-13"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"subject", "date_from"}
    good = api_client.get("/api/v1/claims/", {"subject": world.lavrov.id})
    assert good.status_code == 200
    again = api_client.get("/api/v1/claims/", {"date_from": "2021-13"})
    assert set(again.json()) == {"date_from"}
