"""The claim-date interval index (factbase/indexes/claim_dates.py): the same answers as the plain
comparisons, on SQLite's R*Tree, PostgreSQL's GiST index and without either."""

import datetime

import pytest
from django.db import connection

from factbase.indexes import claim_dates
from factbase.models import Claim
from factbase.services.claims import claim_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(params=["index", "plain"])
def backend(request, monkeypatch):
    if request.param == "plain":
        monkeypatch.setattr(claim_dates, "backend", lambda using: "plain")
    return request.param


def dated(lower, upper, precision="day"):
    return ClaimFactory(date_lower=lower, date_upper=upper, date_precision=precision, spans=[])


@pytest.fixture
def claims():
    return {
        "day": dated(D(2021, 7, 6), D(2021, 7, 6)),
        "month": dated(D(2021, 7, 1), D(2021, 7, 31), "month"),
        "year": dated(D(2021, 1, 1), D(2021, 12, 31), "year"),
        "decade": dated(D(2010, 1, 1), D(2029, 12, 31), "year"),
        "before": dated(D(2021, 6, 1), D(2021, 6, 30), "month"),
        "after": dated(D(2021, 8, 1), D(2021, 8, 1)),
        "undated": ClaimFactory(spans=[]),
    }


def names(claims, queryset):
    found = set(queryset.values_list("pk", flat=True))
    return sorted(name for name, claim in claims.items() if claim.pk in found)


def test_backend_uses_the_index_of_the_database():
    assert claim_dates.backend("default") == {"sqlite": "rtree", "postgresql": "postgresql"}[connection.vendor]


def test_overlapping_finds_every_interval_that_shares_a_day(backend, claims):
    july = Claim.objects.overlapping(lower=D(2021, 7, 1), upper=D(2021, 7, 31))
    assert names(claims, july) == ["day", "decade", "month", "year"]


def test_overlapping_touching_bounds_count(backend, claims):
    assert names(claims, Claim.objects.overlapping(lower=D(2021, 6, 30), upper=D(2021, 6, 30))) == [
        "before",
        "decade",
        "year",
    ]


def test_overlapping_one_sided_uses_one_comparison(backend, claims):
    assert names(claims, Claim.objects.overlapping(lower=D(2021, 8, 1))) == ["after", "decade", "year"]


def test_overlapping_follows_updates_and_deletes(backend, claims):
    claim_update(claim=claims["after"], date_lower=D(2021, 7, 2), date_upper=D(2021, 7, 2))
    claims["day"].delete()
    del claims["day"]
    july = Claim.objects.overlapping(lower=D(2021, 7, 1), upper=D(2021, 7, 31))
    assert names(claims, july) == ["after", "decade", "month", "year"]


def test_claims_api_date_range_uses_the_interval(api_client, backend, claims):
    Claim.objects.update(status="published")
    response = api_client.get("/api/v1/claims/", {"date_from": "2021-07", "date_to": "2021-07", "ordering": "id"})
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == sorted(claims[name].pk for name in ("day", "decade", "month", "year"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the R*Tree and its triggers exist on SQLite only")
def test_repair_restores_dropped_triggers_and_refills(claims):
    claim_dates.INDEX.suspend(connection)
    late = dated(D(2021, 7, 20), D(2021, 7, 20))
    claim_dates.INDEX.restore(connection)
    july = Claim.objects.overlapping(lower=D(2021, 7, 15), upper=D(2021, 7, 25))
    assert late.pk in set(july.values_list("pk", flat=True))
