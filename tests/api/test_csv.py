"""`?format=csv` on every list endpoint: flattening, headers."""

import pytest

from api.urls import router
from tests.api.helpers import csv_rows
from tests.factories import (
    ClaimFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. Lavrov left."


@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
def test_every_list_endpoint_serves_csv(curator_client, prefix):
    ClaimFactory(published=True)
    json_response = curator_client.get(f"/api/v1/{prefix}/")

    response = curator_client.get(f"/api/v1/{prefix}/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(item["id"]) for item in json_response.data["results"]]
    assert response.content.decode().splitlines()[0].startswith("id,")


def test_csv_flattens_nested_fields_of_the_page(api_client):
    lavrov = PersonFactory(name="Sergei Lavrov")
    claims = [ClaimFactory(subject=lavrov, published=True) for _ in range(3)]

    response = api_client.get("/api/v1/claims/", {"format": "csv", "page_size": 2, "ordering": "id"})

    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(claims[0].pk), str(claims[1].pk)]
    assert rows[0]["subject.name"] == "Sergei Lavrov"
    assert rows[0]["subject.kind"] == "person"
    assert rows[0]["spans.exact"] == "Sergei Lavrov visited Indonesia"
