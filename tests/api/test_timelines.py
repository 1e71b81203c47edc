"""GET entities/{id}/timeline/: order, cursor pages, filters, visibility, query count, CSV."""

import datetime
import io
import uuid
from base64 import b64encode

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.projections import timelines as keyset
from factbase.models import Claim, Entity, Event
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_publish, claim_update
from factbase.services.entities import entity_update
from tests.api.helpers import body, csv_rows
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    PersonFactory,
    PredicateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
INVALID_CURSOR = {"cursor": ["This cursor is not valid. Start again with cursor= (empty) and follow the next links."]}


def url(entity) -> str:
    return f"/api/v1/entities/{entity.pk}/timeline/"


def dated(factory, value, precision, **kwargs):
    lower, upper = value
    return factory(date_lower=lower, date_upper=upper, date_precision=precision, **kwargs)


def keys(response) -> list[tuple[str, int]]:
    return [(item["type"], item["id"]) for item in body(response)["results"]]


def walk(client, start: str, link: str = "next") -> list[list[tuple[str, int]]]:
    """Every page from `start`, following `link`."""
    pages, address = [], start
    while address:
        response = client.get(address)
        assert response.status_code == 200, body(response)
        pages.append(keys(response))
        address = body(response)[link]
    return pages


def reference_order(entity, user=None) -> list[tuple[str, int]]:
    """The timeline in full, sorted in Python from the model objects (PartialDate.sort_key):
    what the paged answers must add up to."""
    rows = []
    events = (
        Event.objects.filter(Q(participants__entity=entity) | Q(location_country_id=entity.pk) | Q(parent_id=entity.pk))
        .exclude(pk=entity.pk)
        .distinct()
    )
    for event in events:
        rows.append((event.partial_date, 0, event.pk, "event"))
    claims = Claim.objects.visible_to(user).filter(
        Q(subject=entity) | Q(object=entity) | Q(attributed_to=entity) | Q(event_id=entity.pk)
    )
    for claim in claims.select_related("event"):
        when = claim.partial_date or (claim.event.partial_date if claim.event else None)
        rows.append((when, 1, claim.pk, "claim"))
    rows.sort(key=lambda row: ((0, row[0].sort_key) if row[0] else (1,), row[1], row[2]))
    return [(kind, pk) for *_, pk, kind in rows]


def test_timeline_endpoint(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    visit = EventFactory(name="Visit")
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor")
    claim = ClaimFactory(subject=lavrov, published=True)
    ClaimFactory(subject=lavrov)  # a draft: hidden from anonymous clients

    response = api_client.get(url(lavrov))
    events = api_client.get(url(lavrov), {"type": "event"})
    bad = api_client.get(url(lavrov), {"type": "rumour"})

    data = body(response)
    assert data["entity"] == {"id": lavrov.pk, "kind": "person", "name": "Sergei Lavrov"}
    assert [(i["type"], i["id"]) for i in data["results"]] == [("event", visit.pk), ("claim", claim.pk)]
    assert (data["count"], data["next"], data["previous"]) == (2, None, None)
    assert [i["type"] for i in body(events)["results"]] == ["event"]
    assert (bad.status_code, body(bad)) == (400, {"type": ["Give event or claim, not 'rumour'."]})
    assert api_client.get("/api/v1/entities/999999/timeline/").status_code == 404


def test_timeline_orders_by_date_with_precision_kept(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    indonesia = CountryFactory(name="Indonesia")
    visit = EventFactory(name="Visit to Indonesia", location_country=indonesia)  # 2021-07-06/08, day precision
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor")
    june = dated(
        ClaimFactory, (D(2021, 6, 1), D(2021, 6, 30)), "month", subject=lavrov, object=indonesia, published=True
    )
    june_first = dated(
        ClaimFactory, (D(2021, 6, 1), D(2021, 6, 1)), "day", subject=lavrov, object=indonesia, published=True
    )
    year = dated(
        ClaimFactory, (D(2021, 1, 1), D(2021, 12, 31)), "year", subject=lavrov, object=indonesia, published=True
    )
    undated = ClaimFactory(subject=lavrov, object=indonesia, published=True)

    items = body(api_client.get(url(lavrov)))["results"]

    assert [(i["type"], i["id"], i["date"]["iso"]) for i in items] == [
        ("claim", year.pk, "2021"),
        ("claim", june_first.pk, "2021-06-01"),
        ("claim", june.pk, "2021-06"),
        ("event", visit.pk, "2021-07-06/2021-07-08"),
        ("claim", undated.pk, None),
    ]
    assert items[2]["date"] == {
        "lower": "2021-06-01",
        "upper": "2021-06-30",
        "precision": "month",
        "text": "",
        "iso": "2021-06",
    }
    assert items[3]["roles"] == ["visitor"]
    assert items[0]["roles"] == ["subject"]


def test_timeline_of_country_lists_events_held_there_and_claims_about_it(api_client):
    laos = CountryFactory(name="Laos")
    visit = EventFactory(name="Visit to Laos", location_country=laos)
    claim = ClaimFactory(object=laos, event=visit, published=True, predicate=PredicateFactory())

    items = body(api_client.get(url(laos)))["results"]

    assert [(i["type"], i["id"], i["roles"], i["date_source"]) for i in items] == [
        ("event", visit.pk, ["location"], "event"),
        ("claim", claim.pk, ["object"], "event"),
    ]
    assert items[1]["date"]["iso"] == "2021-07-06/2021-07-08"
    assert items[1]["quotes"] == ["Sergei Lavrov visited Indonesia"]


def test_timeline_hides_unpublished_claims_from_anonymous(api_client, curator_client):
    person = PersonFactory()
    draft = ClaimFactory(subject=person)

    assert keys(api_client.get(url(person))) == []
    assert body(api_client.get(url(person)))["count"] == 0
    assert keys(curator_client.get(url(person))) == [("claim", draft.pk)]


# --- pages ---------------------------------------------------------------------------------


def busy_entity():
    """An entity in every role, with dates of each precision, equal dates, claims dated by
    their event, undated items of both kinds, a claim found twice (subject and object) and
    drafts: 22 items for a curator, 14 for anonymous clients."""
    person = PersonFactory(name="Busy")
    other = PersonFactory()
    dated_event = EventFactory(date_lower=D(2021, 3, 1), date_upper=D(2021, 3, 31), date_precision="month")
    undated_event = EventFactory(date_lower=None, date_upper=None, date_precision="")
    for event in (dated_event, undated_event):
        EventParticipantFactory(event=event, entity=person, role="visitor")
        EventParticipantFactory(event=event, entity=person, role="host")  # found twice: one item
    EventFactory(location_country=None, parent=None)  # not about the person
    part = EventFactory(parent=dated_event, date_lower=D(2021, 3, 1), date_upper=D(2021, 3, 1))
    EventParticipantFactory(event=part, entity=person)
    dates = [
        ((D(2021, 3, 1), D(2021, 3, 1)), "day"),
        ((D(2021, 3, 1), D(2021, 3, 31)), "month"),
        ((D(2021, 1, 1), D(2021, 12, 31)), "year"),
        ((D(2021, 3, 1), D(2021, 3, 2)), "day"),
        ((D(2020, 12, 31), D(2021, 1, 1)), ""),  # a day, as an empty precision is
    ]
    for n, (value, precision) in enumerate(dates):
        for status in ("published", "draft"):
            roles = [{"subject": person}, {"subject": other, "object": person}, {"attributed_to": person}][n % 3]
            dated(ClaimFactory, value, precision, status=status, **roles)
    for status in ("published", "published", "draft"):
        ClaimFactory(subject=person, object=person, status=status)  # undated, found twice
        ClaimFactory(subject=person, event=dated_event, status=status)  # dated by its event
        ClaimFactory(subject=other, event=undated_event, attributed_to=person, status=status)
    ClaimFactory(subject=other, event=dated_event, published=True)  # about an event the person was at: not theirs
    return person, dated_event


@pytest.mark.parametrize(("size", "often"), [(1, 1_000), (3, 1_000), (50, 1_000), (1, 1), (3, 2)])
def test_pages_add_up_to_the_whole_timeline_in_order_both_ways(
    api_client, curator_client, curator, monkeypatch, size, often
):
    # `often`: from how many participations the events it takes part in are walked in date
    # order (api.projections.timelines.OFTEN): the busy entity has 3.
    monkeypatch.setattr(keyset, "OFTEN", often)
    person, _ = busy_entity()
    for client, user, total in ((api_client, None, 14), (curator_client, curator, 22)):
        expected = reference_order(person, user)
        pages = walk(client, f"{url(person)}?page_size={size}")
        assert len(expected) == total
        assert [item for page in pages for item in page] == expected
        assert all(len(page) == size for page in pages[:-1])
        last = client.get(f"{url(person)}?page_size={size}")
        while body(last)["next"]:
            last = client.get(body(last)["next"])
        assert walk(client, body(last)["previous"], "previous") == pages[-2::-1] if len(pages) > 1 else True


def test_the_timeline_follows_every_write_that_moves_an_undated_claim(api_client, reviewer):
    # A claim without a date of its own takes its event's: the index of undated claims by
    # entity (factbase/indexes/claim_dates.py) must follow the event's date, the claim's own
    # date, event, roles and status, whichever path writes them.
    person, march = busy_entity()
    later = EventFactory(date_lower=D(2022, 5, 1), date_upper=D(2022, 5, 31), date_precision="month")
    moved = ClaimFactory(subject=person, event=march, published=True)
    met = PredicateFactory(slug="met-with", label="met with", object_kinds=["person"])
    draft = ClaimFactory(subject=PersonFactory(), predicate=met, object=person, event=later, status="draft")

    def timeline():
        pages = walk(api_client, f"{url(person)}?page_size=3")
        return [item for page in pages for item in page]

    def check():
        assert timeline() == reference_order(person)

    check()
    entity_update(entity=march, date=PartialDate.parse("2023"))  # its claims move to 2023, after May 2022
    check()
    entity_update(entity=march, date=None)  # and to the undated end
    check()
    entity_update(entity=march, date=PartialDate.parse("2020-02-03"))
    check()
    claim_update(claim=moved, by=reviewer, event=later)  # the claim's event changes
    check()
    claim_update(claim=moved, by=reviewer, date=PartialDate.parse("2019"))  # a date of its own
    check()
    claim_update(claim=moved, by=reviewer, date=None, event=None)  # no date at all
    check()
    claim_publish(claim=draft, by=reviewer)  # now visible, dated by its event
    check()
    Claim.objects.filter(pk=draft.pk).update(object=None, attributed_to=person)  # another role
    check()
    assert ("claim", draft.pk) in timeline()
    Claim.objects.filter(pk=draft.pk).update(attributed_to=None)
    assert ("claim", draft.pk) not in timeline()
    check()


def test_pages_of_an_event_show_its_parts_and_claims_not_itself(api_client):
    _, event = busy_entity()
    assert [item for page in walk(api_client, f"{url(event)}?page_size=2") for item in page] == reference_order(event)
    assert ("event", event.pk) not in reference_order(event)


def test_count_is_given_when_the_first_page_holds_everything(api_client):
    person, _ = busy_entity()
    whole = body(api_client.get(url(person), {"page_size": 14}))
    first = body(api_client.get(url(person), {"page_size": 7}))
    second = body(api_client.get(first["next"]))
    assert (whole["count"], whole["next"], first["count"], second["count"]) == (14, None, None, None)
    assert first["previous"] is None
    assert second["previous"].startswith(f"http://testserver{url(person)}?")


def test_every_seed_timeline_pages_into_the_reference_order():
    call_command("load_checked", stdout=io.StringIO())
    curator = UserFactory(username="timeline-curator", is_staff=True, groups=["curators"])
    anonymous, signed_in = APIClient(), APIClient()
    signed_in.force_authenticate(curator)
    walked = 0
    for entity in Entity.objects.order_by("pk"):
        for client, user in ((anonymous, None), (signed_in, curator)):
            expected = reference_order(entity, user)
            pages = walk(client, f"{url(entity)}?page_size=4")
            assert [item for page in pages for item in page] == expected, entity.slug
            walked += len(expected)
    assert walked > 100  # the seed has timelines to walk


def test_page_size_is_capped_and_checked(api_client):
    country = CountryFactory()
    predicate = PredicateFactory()
    Claim.objects.bulk_create(
        [Claim(subject=country, predicate=predicate, status="published", uid=uuid.uuid4()) for _ in range(201)]
    )

    big = body(api_client.get(url(country), {"page_size": 1000}))
    rest = body(api_client.get(big["next"]))
    zero = api_client.get(url(country), {"page_size": "0"})
    default = body(api_client.get(url(country)))

    assert (len(big["results"]), big["count"], len(rest["results"]), rest["next"]) == (200, None, 1, None)
    assert len(default["results"]) == 50
    assert (zero.status_code, body(zero)) == (400, {"page_size": ["Give a whole number from 1 to 200, not '0'."]})


def cursor(text: str) -> str:
    return b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "value",
    [
        "x",
        "%%%",
        cursor("nonsense"),
        cursor("p=2021-01-01,0,2021-01-01,claim"),
        cursor("p=2021-01-01,0,2021-01-01,claim,0"),
        cursor("p=2021-01-01,0,2021-01-01,claim,-1"),
        cursor(f"p=2021-01-01,0,2021-01-01,claim,{2**63}"),
        cursor("p=2021-01-01,3,2021-01-01,claim,1"),
        cursor("p=2021-01-01,0,2021-01-01,rumour,1"),
        cursor("p=2021-13-01,0,2021-01-01,claim,1"),
        cursor("p=2021-02-01,0,2021-01-01,claim,1"),  # ends before it starts
        cursor("p=20210101,0,20210101,claim,1"),
        cursor("p=2021-01-01,,,claim,1"),
        cursor("p=,,,claim,1&r=2"),
        cursor("p=,,,claim,1&o=5"),
        cursor("p=,,,claim,1&p=,,,claim,2"),
        cursor("r=1"),
        "4pyTIMOp",  # base64 of text that is not ASCII
    ],
)
def test_a_forged_or_broken_cursor_is_400(api_client, value):
    person = PersonFactory()
    response = api_client.get(url(person), {"cursor": value})
    assert (response.status_code, body(response)) == (400, INVALID_CURSOR)


def test_a_handmade_cursor_in_the_api_format_pages_from_its_position(api_client):
    person = PersonFactory()
    early, late = (
        dated(ClaimFactory, (D(2020, 1, 1), D(2020, 1, 1)), "day", subject=person, published=True),
        dated(ClaimFactory, (D(2022, 1, 1), D(2022, 1, 1)), "day", subject=person, published=True),
    )
    undated = ClaimFactory(subject=person, published=True)
    assert keys(api_client.get(url(person), {"cursor": cursor("p=2021-01-01,2,2021-12-31,event,1")})) == [
        ("claim", late.pk),
        ("claim", undated.pk),
    ]
    assert keys(api_client.get(url(person), {"cursor": cursor("p=2021-01-01,2,2021-12-31,event,1&r=1")})) == [
        ("claim", early.pk)
    ]
    assert keys(api_client.get(url(person), {"cursor": cursor(f"p=,,,claim,{undated.pk}")})) == []
    assert keys(api_client.get(url(person), {"cursor": ""})) == [
        ("claim", early.pk),
        ("claim", late.pk),
        ("claim", undated.pk),
    ]


# --- filters -------------------------------------------------------------------------------


def test_date_filters_overlap_the_effective_date(api_client):
    person, event = busy_entity()  # the event: March 2021
    reference = reference_order(person)
    items = {
        (i["type"], i["id"]): i
        for page in [body(api_client.get(url(person), {"page_size": 200}))]
        for i in page["results"]
    }

    def overlapping(lower, upper):
        return [
            key
            for key in reference
            if items[key]["date"]["lower"] is not None
            and items[key]["date"]["lower"] <= upper
            and items[key]["date"]["upper"] >= lower
        ]

    march = walk(api_client, f"{url(person)}?date_from=2021-03&date_to=2021-03&page_size=2")
    from_march_second = walk(api_client, f"{url(person)}?date_from=2021-03-02&page_size=3")
    to_2020 = walk(api_client, f"{url(person)}?date_to=2020")

    assert [k for page in march for k in page] == overlapping("2021-03-01", "2021-03-31")
    assert [k for page in from_march_second for k in page] == overlapping("2021-03-02", "9999-12-31")
    assert [k for page in to_2020 for k in page] == overlapping("0001-01-01", "2020-12-31") != []
    by_event = [k for k in overlapping("2021-03-01", "2021-03-31") if items[k]["date_source"] == "event"]
    assert len(by_event) == 4  # the event itself, its part, and the claims it dates: 1 + 1 + 2 published
    assert ("event", event.pk) in by_event


def test_date_filters_refuse_what_claims_refuse(api_client):
    person = PersonFactory()
    for query in ({"date_from": "2021-13"}, {"date_to": "June"}, {"date_from": "2022", "date_to": "2021"}):
        timeline = api_client.get(url(person), query)
        claims = api_client.get("/api/v1/claims/", query)
        assert (timeline.status_code, body(timeline)) == (400, body(claims))


def test_predicate_keeps_its_claims_and_leaves_events_out(api_client, curator_client):
    person, _ = busy_entity()
    visited = PredicateFactory(slug="toured")
    claims = [
        ClaimFactory(subject=person, predicate=visited, published=True),
        dated(ClaimFactory, (D(2021, 1, 1), D(2021, 1, 1)), "day", subject=person, predicate=visited, published=True),
        ClaimFactory(object=person, predicate=visited),
    ]

    anonymous = walk(api_client, f"{url(person)}?predicate=toured&page_size=1")
    curator = walk(curator_client, f"{url(person)}?predicate=toured&type=claim")
    unknown = api_client.get(url(person), {"predicate": "no-such"})
    malformed = api_client.get(url(person), {"predicate": "a b"})
    events = api_client.get(url(person), {"predicate": "toured", "type": "event"})

    assert anonymous == [[("claim", claims[1].pk)], [("claim", claims[0].pk)]]
    assert curator == [[("claim", claims[1].pk), ("claim", claims[0].pk), ("claim", claims[2].pk)]]
    assert (unknown.status_code, body(unknown)) == (
        400,
        body(api_client.get("/api/v1/claims/", {"predicate": "no-such"})),
    )
    assert (malformed.status_code, body(malformed)) == (
        400,
        body(api_client.get("/api/v1/claims/", {"predicate": "a b"})),
    )
    assert (events.status_code, body(events)) == (
        400,
        {"predicate": ["A predicate filters claims; leave it out with type=event."]},
    )


def test_type_filter_pages_one_kind(api_client):
    person, _ = busy_entity()
    reference = reference_order(person)
    for kind in ("event", "claim"):
        pages = walk(api_client, f"{url(person)}?type={kind}&page_size=2")
        assert [k for page in pages for k in page] == [k for k in reference if k[0] == kind]


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_timeline_endpoint_query_count_is_constant(api_client, size):
    person = PersonFactory()
    first = dated(
        ClaimFactory,
        (D(2000, 1, 1), D(2000, 1, 1)),
        "day",
        subject=person,
        predicate=PredicateFactory(slug="met-with-first"),
        published=True,
    )
    for _ in range(size):
        event = EventFactory(location_country=CountryFactory())
        EventParticipantFactory(event=event, entity=person)
        ClaimFactory(subject=person, event=event, published=True)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url(person))
    # entity, the page's keys, events, participations, claims, spans; the count is free
    assert (body(response)["count"], len(queries)) == (2 * size + 1, 6)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url(person), {"predicate": first.predicate.slug})
    # entity, predicate, the page's keys, claims, spans; the count is free
    assert (keys(response), len(queries)) == ([("claim", first.pk)], 5)

    link = body(api_client.get(url(person), {"page_size": 1}))["next"]
    with CaptureQueriesContext(connection) as queries:
        second = api_client.get(link.replace("page_size=1", f"page_size={2 * size}"))
    # entity, the page's keys, events, participations, claims, spans
    assert ([i["type"] for i in body(second)["results"]], len(queries)) == (["event"] * size + ["claim"] * size, 6)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_of_timeline_and_errors(api_client):
    person = PersonFactory()
    claim = ClaimFactory(subject=person, published=True)

    timeline = api_client.get(url(person), {"format": "csv"})
    missing = api_client.get("/api/v1/entities/999999/timeline/", {"format": "csv"})

    assert [(row["type"], row["id"], row["roles"]) for row in csv_rows(timeline)] == [
        ("claim", str(claim.pk), "subject")
    ]
    assert (missing.status_code, csv_rows(missing)) == (404, [{"detail": "No Entity matches the given query."}])


def test_csv_of_a_timeline_is_a_page(api_client):
    person, _ = busy_entity()
    first = api_client.get(url(person), {"format": "csv", "page_size": 3})
    assert [(row["type"], int(row["id"])) for row in csv_rows(first)] == reference_order(person)[:3]


def test_empty_timeline_as_csv_is_a_header_with_content_type(api_client):
    person = PersonFactory()
    response = api_client.get(url(person), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == ["type,id,date,date_source,label,roles"]
