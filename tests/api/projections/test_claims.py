"""A claim's compiled projection (api/projections/claims.py) is exactly ClaimSerializer's
representation, costs two queries whatever the rows, and answers the claims list."""

import datetime
import decimal
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api.projections.claims import CLAIMS, ClaimSerializer
from api.renderers import flatten
from api.views import exports
from factbase.models import Claim, Fact
from tests.factories import (
    ClaimFactory,
    DocumentFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    SourceSpanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_claims():
    """One claim of every shape: bare, fully referenced, dated, numbered, reviewed, two spans."""
    document = DocumentFactory()
    bare = ClaimFactory(object=None, value="Su-35 warplanes", spans=[])
    SourceSpanFactory(claim=bare, document=document, quote="Sergei Lavrov")
    full = ClaimFactory(
        published=True,
        event=EventFactory(),
        attributed_to=OrganisationFactory(name="Kommersant", slug="kommersant"),
        attribution="reports",
        modality="planned",
        polarity="negated",
        confidence="high",
        notes="Curator's note",
        value_number=decimal.Decimal("12.5"),
        date_lower=datetime.date(2021, 7, 6),
        date_upper=datetime.date(2021, 7, 8),
        date_precision="day",
        date_text="July 6 to 8",
        reviewed_by=UserFactory(),
        reviewed_at=timezone.now(),
        rank="preferred",
        fact=Fact.objects.create(sources=2, contradicted=True),
        spans=[],
    )
    SourceSpanFactory(claim=full, document=document, quote="Laos")
    SourceSpanFactory(claim=full, document=document, quote="Indonesia")
    worded = ClaimFactory(subject=PersonFactory(name="Streltsov"), date_text="two years ago", spans=[])
    SourceSpanFactory(claim=worded, document=DocumentFactory(), quote="Streltsov said")
    return [bare, full, worded]


def test_compiled_claims_equal_claim_serializer(varied_claims):
    ids = [claim.pk for claim in varied_claims]
    expected = ClaimSerializer(Claim.objects.for_api().filter(pk__in=ids).order_by("pk"), many=True).data
    assert CLAIMS.many(ids) == [dict(item) for item in expected]


def test_compiled_claims_keep_the_order_asked_for(varied_claims):
    ids = [claim.pk for claim in reversed(varied_claims)]
    assert [row["id"] for row in CLAIMS.many(ids)] == ids


def test_compiled_claims_of_no_ids_are_empty(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert CLAIMS.many([]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_compiled_claims_cost_two_queries_whatever_rows(django_assert_num_queries, count):
    claims = [ClaimFactory(event=EventFactory(), attributed_to=PersonFactory()) for _ in range(count)]
    with django_assert_num_queries(2):  # rows with their names, spans
        assert len(CLAIMS.many([claim.pk for claim in claims])) == count


def test_claims_list_answers_the_serializer_representation(api_client, varied_claims):
    published = [claim for claim in varied_claims if claim.status == "published"]
    expected = ClaimSerializer(Claim.objects.for_api().filter(pk__in=[c.pk for c in published]), many=True).data
    response = api_client.get("/api/v1/claims/")
    assert response.json()["results"] == json.loads(JSONRenderer().render(expected))


def test_csv_columns_are_the_flattened_claim(varied_claims):
    full = varied_claims[1]  # every reference set: flatten() gives every column
    (represented,) = CLAIMS.many([full.pk])
    assert CLAIMS.csv_columns == list(flatten(represented))


def test_csv_export_header_is_the_projection(api_client, db):
    assert exports.CSV_COLUMNS == CLAIMS.csv_columns
    assert exports.CSV_COLUMNS[:5] == ["id", "uid", "subject.id", "subject.kind", "subject.name"]
    assert exports.CSV_COLUMNS[-2:] == ["spans.suffix", "spans.anchor_status"]
