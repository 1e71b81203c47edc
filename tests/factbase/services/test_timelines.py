"""Entity timelines: events and claims in date order, precision kept, undated last."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.services.timelines import entity_timeline
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    PersonFactory,
    PredicateFactory,
)

pytestmark = pytest.mark.django_db


def dated(factory, value, precision, **kwargs):
    lower, upper = value
    return factory(date_lower=lower, date_upper=upper, date_precision=precision, **kwargs)


D = datetime.date


def test_timeline_orders_by_date_with_precision_kept():
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

    items = entity_timeline(entity=lavrov)

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


def test_timeline_of_country_lists_events_held_there_and_claims_about_it():
    laos = CountryFactory(name="Laos")
    visit = EventFactory(name="Visit to Laos", location_country=laos)
    claim = ClaimFactory(object=laos, event=visit, published=True, predicate=PredicateFactory())

    items = entity_timeline(entity=laos)

    assert [(i["type"], i["id"], i["roles"], i["date_source"]) for i in items] == [
        ("event", visit.pk, ["location"], "event"),
        ("claim", claim.pk, ["object"], "event"),
    ]
    assert items[1]["date"]["iso"] == "2021-07-06/2021-07-08"
    assert items[1]["quotes"] == ["Sergei Lavrov visited Indonesia"]


def test_timeline_hides_unpublished_claims_from_anonymous(curator):
    person = PersonFactory()
    draft = ClaimFactory(subject=person)

    assert entity_timeline(entity=person, user=None) == []
    assert [i["id"] for i in entity_timeline(entity=person, user=curator)] == [draft.pk]


def test_timeline_filters_by_kind():
    person = PersonFactory()
    event = EventFactory()
    EventParticipantFactory(event=event, entity=person)
    ClaimFactory(subject=person, published=True)

    assert [i["type"] for i in entity_timeline(entity=person, kinds={"event"})] == ["event"]


@pytest.mark.parametrize("size", [1, 3])
def test_timeline_query_count_is_constant(size):
    person = PersonFactory()
    for _ in range(size):
        event = EventFactory(location_country=CountryFactory())
        EventParticipantFactory(event=event, entity=person)
        ClaimFactory(subject=person, event=event, published=True)

    with CaptureQueriesContext(connection) as queries:
        items = entity_timeline(entity=person)

    assert len(items) == 2 * size
    assert len(queries) == 4
