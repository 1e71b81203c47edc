"""The values()-based claim representation (api/serializers/rows.py) is exactly
ClaimSerializer's, and the fast JSON renderer (api/renderers.py) encodes like DRF's."""

import datetime
import decimal
import json
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from api.renderers import FastJSONRenderer
from api.serializers import rows
from api.serializers.claims import ClaimSerializer
from factbase.models import Claim
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
        spans=[],
    )
    SourceSpanFactory(claim=full, document=document, quote="Laos")
    SourceSpanFactory(claim=full, document=document, quote="Indonesia")
    worded = ClaimFactory(subject=PersonFactory(name="Streltsov"), date_text="two years ago", spans=[])
    SourceSpanFactory(claim=worded, document=DocumentFactory(), quote="Streltsov said")
    return [bare, full, worded]


def test_rows_claims_equal_claim_serializer(varied_claims):
    ids = [claim.pk for claim in varied_claims]
    expected = ClaimSerializer(Claim.objects.for_api().filter(pk__in=ids).order_by("pk"), many=True).data
    assert rows.claims(ids) == [dict(item) for item in expected]


def test_rows_claims_keep_the_order_asked_for(varied_claims):
    ids = [claim.pk for claim in reversed(varied_claims)]
    assert [row["id"] for row in rows.claims(ids)] == ids


def test_rows_claims_of_no_ids_are_empty(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows.claims([]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_rows_claims_cost_two_queries_whatever_rows(django_assert_num_queries, count):
    claims = [ClaimFactory(event=EventFactory(), attributed_to=PersonFactory()) for _ in range(count)]
    with django_assert_num_queries(2):  # rows with their names, spans
        assert len(rows.claims([claim.pk for claim in claims])) == count


def test_claims_list_answers_the_serializer_representation(api_client, varied_claims):
    published = [claim for claim in varied_claims if claim.status == "published"]
    expected = ClaimSerializer(Claim.objects.for_api().filter(pk__in=[c.pk for c in published]), many=True).data
    response = api_client.get("/api/v1/claims/")
    assert response.json()["results"] == json.loads(JSONRenderer().render(expected))


def test_fast_renderer_encodes_like_drf():
    data = {
        "text": "Moscow’s “influence” 🙂",
        "number": decimal.Decimal("12.5000"),
        "day": datetime.date(2021, 7, 6),
        "moment": datetime.datetime(2021, 7, 6, 12, 30, 5, 123456, tzinfo=datetime.UTC),
        "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("This field is required."),
        "nested": [{"a": None, "b": True}, (1, 2)],
    }
    assert json.loads(FastJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))


def test_fast_renderer_indents_on_request():
    body = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert body == b'{\n  "a": [\n    1\n  ]\n}'
