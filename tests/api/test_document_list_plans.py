"""The documents list from a publication date is a walk of the (date_lower, date_upper, id)
index in the list's date order (DocumentQuerySet.overlapping): without the known-date bound,
SQLite took the `date_upper` range and sorted every document published since, texts and all."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DocumentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans: PostgreSQL plans by its statistics"),
]


@pytest.mark.parametrize("ordering", ["", "&ordering=-published"])
def test_documents_from_a_date_walk_the_dates_index_in_date_order(api_client, ordering):
    for n in range(3):
        DocumentFactory(text=f"Text {n}.", date_lower=dt.date(2021, 1, 1 + n), date_upper=dt.date(2021, 1, 1 + n))
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/documents/?published_from=2021{ordering}")
    assert response.json()["count"] == 3
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH factbase_document USING INDEX" in plan and "(date_lower>?)" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # at most the ids within one day are sorted
