"""Page numbers capped at 200 rows, and the cursor mode for deep exports."""

import pytest

from factbase.models import Predicate
from tests.factories import ClaimFactory


@pytest.fixture
def predicates(db):
    Predicate.objects.bulk_create(Predicate(slug=f"predicate-{n:03d}", label=f"predicate {n:03d}") for n in range(205))
    return list(Predicate.objects.order_by("label", "id").values_list("pk", flat=True))


def test_page_size_is_capped_at_200(api_client, predicates):
    body = api_client.get("/api/v1/predicates/", {"page_size": 1000}).json()
    assert (body["count"], len(body["results"])) == (205, 200)
    assert body["next"] == "http://testserver/api/v1/predicates/?page=2&page_size=1000"


def test_default_page_size_is_50(api_client, predicates):
    body = api_client.get("/api/v1/predicates/").json()
    assert [row["id"] for row in body["results"]] == predicates[:50]


def test_pages_follow_next_and_previous(api_client, predicates):
    first = api_client.get("/api/v1/predicates/", {"page_size": 100}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    assert [len(page["results"]) for page in (first, second, third)] == [100, 100, 5]
    assert (first["previous"], third["next"]) == (None, None)
    assert api_client.get(third["previous"]).json() == second
    assert [row["id"] for page in (first, second, third) for row in page["results"]] == predicates


def test_cursor_mode_walks_every_row_in_id_order_without_a_count(api_client, predicates):
    seen, url, params = [], "/api/v1/predicates/", {"cursor": "", "page_size": 90}
    pages = 0
    while url:
        body = api_client.get(url, params).json()
        assert body["count"] is None
        seen += [row["id"] for row in body["results"]]
        url, params, pages = body["next"], None, pages + 1
    assert (pages, seen) == (3, sorted(predicates))


def test_cursor_mode_previous_link_goes_back(api_client, predicates):
    first = api_client.get("/api/v1/predicates/", {"cursor": "", "page_size": 10}).json()
    second = api_client.get(first["next"]).json()
    assert first["previous"] is None
    assert api_client.get(second["previous"]).json()["results"] == first["results"]


def test_cursor_mode_applies_filters(curator_client, db):
    claims = [ClaimFactory(status=status) for status in ("draft", "published", "draft", "published")]
    body = curator_client.get("/api/v1/claims/", {"cursor": "", "status": "draft"}).json()
    assert [row["id"] for row in body["results"]] == [claims[0].pk, claims[2].pk]


def test_cursor_mode_refuses_ordering_and_page(api_client, db):
    response = api_client.get("/api/v1/claims/", {"cursor": "", "ordering": "-date", "page": 2})
    assert response.status_code == 400
    assert response.json() == {
        "page": ["Cursor mode always pages by id; leave this parameter out."],
        "ordering": ["Cursor mode always pages by id; leave this parameter out."],
    }


def test_bad_page_size_is_400_saying_why(api_client, db):
    response = api_client.get("/api/v1/claims/", {"page_size": "0"})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number from 1 to 200, not '0'."]}


@pytest.mark.parametrize(
    ("page", "page_size", "refused"),
    [(20, 50, False), (21, 50, True), (5, 200, False), (6, 200, True), (1_000, 1, False), (1_001, 1, True)],
)
def test_page_mode_reaches_the_first_1000_rows(api_client, db, page, page_size, refused):
    # Deeper than 1,000 rows, OFFSET would skip row by row: the 400 points to cursor mode. Within
    # them, a page past the end of this small table is the usual 404.
    response = api_client.get("/api/v1/claims/", {"page": page, "page_size": page_size})
    if refused:
        assert response.status_code == 400
        message = response.json()["page"][0]
        assert "first 1,000 rows" in message and "cursor=" in message
        assert f"page {page:,} of {page_size} rows" in message
    else:
        assert response.status_code == 404


def test_a_huge_page_number_is_the_depth_400(api_client, db):
    response = api_client.get("/api/v1/predicates/", {"page": 10**30})
    assert response.status_code == 400 and "cursor" in response.json()["page"][0]
