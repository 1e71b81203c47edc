"""`claims/?entity=`: the claims whose subject, object or attribution is the entity. On SQLite a
page of them is an ordered merge of the three roles, each read in the page's order and
stopped after the capped count's rows (ClaimQuerySet.bounded); the answer must be the one
the whole set, sorted, gives: same rows, order and count, on every page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pagination
from factbase.models import Claim
from factbase.models.claims import ClaimQuerySet
from factbase.partial_dates import PartialDate
from tests.factories import ClaimFactory, CountryFactory, PersonFactory, PredicateFactory

DAYS = [None, dt.date(2021, 3, 1), dt.date(2021, 3, 1), dt.date(2020, 12, 30), dt.date(2022, 1, 5), None]


@pytest.fixture
def crowd(db):
    """An entity as subject, object, attribution, and as subject and attribution of one claim
    (a claim two arms find), with shared dates, empty dates and every status; and claims about
    others."""
    entity, other, country = PersonFactory(), PersonFactory(), CountryFactory()
    spoke = PredicateFactory(slug="said", label="said")
    for n in range(40):
        roles = [
            {"subject": entity},
            {"subject": other, "object": entity},
            {"subject": other, "attributed_to": entity},
            {"subject": entity, "attributed_to": entity},
            {"subject": other},
        ][n % 5]
        day = DAYS[n % len(DAYS)]
        ClaimFactory(
            **{"object": country, **roles},
            predicate=spoke if n % 3 == 0 else PredicateFactory(),
            status="draft" if n % 7 == 0 else "published",
            date_lower=day,
            date_upper=day and day + dt.timedelta(days=n % 4),
            date_precision="day" if day else "",
        )
    return entity


def pages(client, params):
    """Every page of page mode for `params`, as answered."""
    answers, number = [], 1
    while True:
        response = client.get("/api/v1/claims/", {**params, "page": number})
        if response.status_code != 200:
            return answers, response.status_code
        answers.append(response.json())
        if not answers[-1]["next"]:
            return answers, 200
        number += 1


@pytest.mark.parametrize("ordering", [None, "date", "-date", "-id", "created", "-created", "date,-created"])
@pytest.mark.parametrize(
    "extra", [{}, {"predicate": "said"}, {"date_from": "2021", "date_to": "2021"}, {"date_from": "2021-03-02"}]
)
def test_an_entitys_claims_are_the_whole_set_sorted_on_every_page(
    api_client, curator_client, crowd, monkeypatch, ordering, extra
):
    # A cap of 7 rows makes the merge stop inside the answer, as 1,000 does at a million claims.
    monkeypatch.setattr(pagination, "COUNT_CAP", 7)
    monkeypatch.setattr(pagination, "PAGE_DEPTH", 7)
    params = {"entity": crowd.pk, "page_size": 3, **extra, **({"ordering": ordering} if ordering else {})}
    for client in (api_client, curator_client):
        with CaptureQueriesContext(connection) as queries:
            merged = pages(client, params)
        if connection.vendor == "sqlite":
            # Not with both dates: the interval index's ids would be gathered once per arm.
            merges = "date_to" not in extra
            assert any(" UNION SELECT " in q["sql"] and "LIMIT 8)" in q["sql"] for q in queries) == merges
        with monkeypatch.context() as whole:
            whole.delattr(ClaimQuerySet, "bounded")
            assert pages(client, params) == merged
        assert merged[0][0]["results"], params


def test_a_claim_two_roles_find_is_listed_once(api_client, crowd):
    body = api_client.get("/api/v1/claims/", {"entity": crowd.pk, "ordering": "-date"}).json()
    found = [row["id"] for row in body["results"]]
    assert len(found) == len(set(found)) == body["count"] > 0


@pytest.mark.parametrize("role", ["subject", "object", "attributed_to", "entity"])
@pytest.mark.parametrize(
    "dates",
    [
        ("2021", "2021"),
        ("2021-01-01", "2021-01-01"),  # only the claims that start in 2020 and reach into it
        ("2020-12-31", "2021-03-01"),
        ("2021-03-02", "2021-03-02"),
        ("2023", "2024"),  # none
        ("2021", None),  # one-sided ranges
        (None, "2020"),
    ],
)
def test_an_entitys_claims_in_a_date_range_are_those_whose_dates_overlap_it(
    api_client, curator_client, crowd, role, dates
):
    # Per role, the claims that start within the range and apart those that reach into it
    # from before (claim_dates.filter_overlapping_in_roles): whole, in id order, counted.
    # Undated claims never match a date filter.
    held = {"subject": PersonFactory(), ("object" if role == "entity" else role): crowd}
    ClaimFactory(**held, status="published", date_lower=dt.date(2020, 12, 20), date_upper=dt.date(2021, 1, 10))
    lower, upper = (None if d is None else PartialDate.parse(d) for d in dates)
    params = {role: crowd.pk, "page_size": 200}
    params.update({"date_from": dates[0]} if dates[0] else {})
    params.update({"date_to": dates[1]} if dates[1] else {})
    fields = ("subject", "object", "attributed_to") if role == "entity" else (role,)
    for client, statuses in ((api_client, {"published"}), (curator_client, {"published", "draft"})):
        expected = [
            claim.pk
            for claim in Claim.objects.order_by("pk")
            if claim.status in statuses
            and any(getattr(claim, f"{field}_id") == crowd.pk for field in fields)
            and claim.date_lower is not None
            and (upper is None or claim.date_lower <= upper.upper)
            and (lower is None or claim.date_upper >= lower.lower)
        ]
        body = client.get("/api/v1/claims/", params).json()
        assert [row["id"] for row in body["results"]] == expected, params
        assert body["count"] == len(expected)
    if dates == ("2021-01-01", "2021-01-01"):
        assert expected
