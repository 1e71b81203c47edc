"""GET entities/{id}/timeline/: content, query count, CSV."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import body, csv_rows
from tests.factories import (
    ClaimFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


def test_timeline_endpoint(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    visit = EventFactory(name="Visit")
    EventParticipantFactory(event=visit, entity=lavrov, role="visitor")
    claim = ClaimFactory(subject=lavrov, published=True)
    ClaimFactory(subject=lavrov)  # a draft: hidden from anonymous clients

    response = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/")
    events = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/", {"type": "event"})
    bad = api_client.get(f"/api/v1/entities/{lavrov.pk}/timeline/", {"type": "rumour"})

    data = body(response)
    assert data["entity"] == {"id": lavrov.pk, "kind": "person", "name": "Sergei Lavrov"}
    assert [(i["type"], i["id"]) for i in data["results"]] == [("event", visit.pk), ("claim", claim.pk)]
    assert data["count"] == 2
    assert [i["type"] for i in body(events)["results"]] == ["event"]
    assert (bad.status_code, body(bad)) == (400, {"type": ["Give event or claim, not 'rumour'."]})
    assert api_client.get("/api/v1/entities/999999/timeline/").status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_timeline_endpoint_query_count_is_constant(api_client, size):
    person = PersonFactory()
    for _ in range(size):
        event = EventFactory(location_country=CountryFactory())
        EventParticipantFactory(event=event, entity=person)
        ClaimFactory(subject=person, event=event, published=True)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/entities/{person.pk}/timeline/")

    assert body(response)["count"] == 2 * size
    assert len(queries) == 5


# --- Popolo -------------------------------------------------------------------------------


def test_csv_of_timeline_and_errors(api_client):
    person = PersonFactory()
    claim = ClaimFactory(subject=person, published=True)

    timeline = api_client.get(f"/api/v1/entities/{person.pk}/timeline/", {"format": "csv"})
    missing = api_client.get("/api/v1/entities/999999/timeline/", {"format": "csv"})

    assert [(row["type"], row["id"], row["roles"]) for row in csv_rows(timeline)] == [
        ("claim", str(claim.pk), "subject")
    ]
    assert (missing.status_code, csv_rows(missing)) == (404, [{"detail": "No Entity matches the given query."}])


def test_empty_timeline_as_csv_is_a_header_with_content_type(api_client):
    person = PersonFactory()
    response = api_client.get(f"/api/v1/entities/{person.pk}/timeline/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == ["type,id,date,date_source,label,roles"]
