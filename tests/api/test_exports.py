"""Streaming claim exports (api/views/exports.py): JSON Lines and CSV, every visible claim,
the claims filters, constant queries per chunk."""

import csv
import io
import json

import pytest
from rest_framework.renderers import JSONRenderer

from api.projections.claims import ClaimSerializer
from api.views import exports
from factbase.models import Claim
from tests.factories import ClaimFactory, EventFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db

JSONL = "/api/v1/exports/claims.jsonl"
CSV = "/api/v1/exports/claims.csv"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def expected(claims) -> list[dict]:
    data = ClaimSerializer(Claim.objects.for_api().filter(pk__in=[c.pk for c in claims]).order_by("pk"), many=True).data
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def claims():
    published = [ClaimFactory(published=True, event=EventFactory(), attributed_to=PersonFactory()) for _ in range(3)]
    SourceSpanFactory(claim=published[0], document=published[0].spans.get().document, quote="Laos")
    draft = ClaimFactory()
    return published, draft


def test_jsonl_export_streams_each_visible_claim_as_in_the_api(api_client, claims):
    published, _ = claims
    response = api_client.get(JSONL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims.jsonl"'
    lines = body(response).decode().splitlines()
    assert [json.loads(line) for line in lines] == expected(published)


def test_jsonl_export_shows_drafts_to_curators(curator_client, claims):
    published, draft = claims
    lines = body(curator_client.get(JSONL)).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == sorted([c.pk for c in [*published, draft]])


def test_jsonl_export_takes_the_claims_filters(api_client, claims):
    published, _ = claims
    lines = body(api_client.get(JSONL, {"subject": published[1].subject_id})).decode().splitlines()
    assert [json.loads(line) for line in lines] == expected([published[1]])


def test_export_of_a_bad_filter_is_400_json(api_client, claims):
    response = api_client.get(JSONL, {"status": "nonsense"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_export_of_an_unknown_reference_is_400(api_client, claims):
    response = api_client.get(CSV, {"subject": 2**40}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["subject"]


def test_csv_export_flattens_like_the_csv_format(api_client, claims):
    published, _ = claims
    response = api_client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(response).decode())))
    assert list(rows[0]) == exports.CSV_COLUMNS
    assert [row["id"] for row in rows] == [str(c.pk) for c in published]
    first = expected(published)[0]
    assert rows[0]["subject.name"] == first["subject"]["name"]
    assert rows[0]["spans.exact"] == "; ".join(span["exact"] for span in first["spans"])
    assert rows[0]["object.id"] == str(first["object"]["id"])


def test_csv_export_of_nothing_is_the_header(api_client, db):
    assert body(api_client.get(CSV)).decode() == ",".join(exports.CSV_COLUMNS) + "\r\n"


@pytest.mark.parametrize("count", [2, 5])
def test_export_costs_three_queries_per_chunk(api_client, django_assert_num_queries, monkeypatch, count):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    for _ in range(count):
        ClaimFactory(published=True)
    chunks = -(-count // 2)
    with django_assert_num_queries(3 * chunks + 1):  # ids, rows, spans per chunk; an empty last ids query
        lines = body(api_client.get(JSONL)).decode().splitlines()
    assert len(lines) == count


def test_claim_chunks_walk_ids_without_offset(db):
    made = [ClaimFactory() for _ in range(5)]
    chunks = list(exports.claim_chunks(Claim.objects.all(), chunk_rows=2))
    assert [[row["id"] for row in chunk] for chunk in chunks] == [
        [made[0].pk, made[1].pk],
        [made[2].pk, made[3].pk],
        [made[4].pk],
    ]
