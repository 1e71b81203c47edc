"""Page numbers capped at 200 rows, and the cursor mode for deep exports."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import pagination
from factbase.indexes import search
from factbase.models import Predicate
from factbase.models.claims import ClaimQuerySet
from tests.factories import ClaimFactory, PredicateFactory


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


def _searched(client, params) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/claims/", params)
    assert response.status_code in (200, 404), response.content
    return response.json(), [query["sql"] for query in captured.captured_queries]


def _walks(statements: list[str]) -> list[str]:
    """The statements that find a page of claims by the search's subquery, not among ids,
    or in the claim text table's or the claim word index's id order (ClaimQuerySet.text_page)."""
    return [
        sql
        for sql in statements
        if (
            sql.startswith('SELECT "factbase_claim"."id" AS "pk" FROM "factbase_claim" WHERE')
            and "IN (SELECT claim_id FROM factbase_claim_text" in sql
            and not re.search(r'"factbase_claim"\."id" IN \(\d', sql)
        )
        or (sql.startswith(PAGED_FROM) and "ORDER BY claim_id" in sql)
    ]


# How a claim search's page of ids read from an index alone starts (ClaimQuerySet.text_page).
PAGED_FROM = ("SELECT claim_id FROM factbase_claim_text WHERE", "SELECT claim_id FROM factbase_claim_words WHERE")


def _pages(client, params) -> list[dict]:
    """Every page of a list, following `next` from `params`."""
    pages, url = [], "/api/v1/claims/"
    while url:
        pages.append(client.get(url, params).json())
        url, params = pages[-1]["next"], None
    return pages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table's GIN index is PostgreSQL's")
@pytest.mark.parametrize("client_name", ["api_client", "curator_client"])
def test_a_search_of_several_words_pages_through_its_matches_read_first(db, request, monkeypatch, client_name):
    # The planner estimates two words' matches as if the words were independent: for two
    # common words that no claim has together it walked every claim in id order for a page
    # (220 ms at a million claims). Their matches, when no more than the count's cap, are
    # read first and paged through (ClaimQuerySet.capped_matches).
    client = request.getfixturevalue(client_name)
    for value, status in [
        ("frigate sailed", "published"),
        ("frigate", "published"),
        ("frigate sailed", "draft"),
        ("sailed", "published"),
        ("sailed at dawn; the frigate", "published"),
        ("frigate sailed", "published"),
        ("frigates sailed", "in_review"),
    ]:
        ClaimFactory(value=value, status=status)
    asked = [
        {"q": "frigate sailed"},
        {"q": "frigate sailed", "ordering": "-id"},
        {"q": "frigate sail", "page_size": 1, "page": 2},
        {"q": "frigate sailed", "page_size": 1, "page": 9},  # past the end: 404
        {"q": "orlov sailed"},
        {"q": "frigate", "ordering": "id"},
    ]
    cursors = [{"q": "frigate sailed", "cursor": "", "page_size": 1}, {"q": "orlov sailed", "cursor": ""}]
    read_first = {str(params): _searched(client, params) for params in asked}
    walked = {str(params): _pages(client, params) for params in cursors}
    # With no match of either word read first, for each list every statement walks.
    for params in asked[:5] + cursors:
        statements = (read_first[str(params)] if str(params) in read_first else _searched(client, params))[1]
        assert any("SELECT claim_id FROM (SELECT claim_id FROM factbase_claim_text" in sql for sql in statements)
        assert not _walks(statements), params
    one_word = read_first[str(asked[5])][1]  # one word: planned as it stands
    assert _walks(one_word) and not any("SELECT claim_id FROM (" in sql for sql in one_word)
    body = read_first[str(asked[0])][0]
    assert body["count"] == len(body["results"]) == (3 if client_name == "api_client" else 5)
    assert [page["results"][0]["id"] for page in walked[str(cursors[0])]] == [row["id"] for row in body["results"]]

    monkeypatch.setattr(ClaimQuerySet, "capped_matches", lambda self, cap: None)
    for params in asked:
        assert _searched(client, params)[0] == read_first[str(params)][0], params
    for params in cursors:
        assert _pages(client, params) == walked[str(params)], params


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table's GIN index is PostgreSQL's")
def test_a_search_of_several_words_with_more_matches_than_the_cap_walks(db, api_client, monkeypatch):
    for _ in range(4):
        ClaimFactory(value="frigate sailed", status="published")
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    body, statements = _searched(api_client, {"q": "frigate sailed", "page_size": 3})
    assert (body["count"], len(body["results"])) == (None, 3) and "page=2" in body["next"]
    assert any("SELECT claim_id FROM (SELECT claim_id FROM factbase_claim_text" in sql for sql in statements)
    assert _walks(statements)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table is PostgreSQL's")
@pytest.mark.parametrize("client_name", ["api_client", "curator_client"])
def test_a_search_of_one_word_pages_in_the_claim_text_tables_id_order(db, request, monkeypatch, client_name):
    # A page of a one-word search in id order is read from an index alone
    # (ClaimQuerySet.text_page), each way, of the published claims or of every claim: the
    # same pages as the list's own statement gives. The published claims' pages of a word
    # that the texts hold come from the claim word index; the rest from the claim text table.
    client = request.getfixturevalue(client_name)
    for n in range(7):
        ClaimFactory(value=f"frigate {n}", status=("published", "draft", "published", "in_review")[n % 4])
    ClaimFactory(value="sailed", status="published")
    asked = [
        {"q": "frigate"},
        {"q": "frigate", "ordering": "-id"},
        {"q": "frig", "page_size": 2, "page": 2},
        {"q": "frigate", "ordering": "-id", "page_size": 2, "page": 2},
        {"q": "frigate", "page_size": 2, "page": 9},  # past the end: 404
        {"q": "zzyzxq"},
    ]
    read = {str(params): _searched(client, params) for params in asked}
    for params in asked:
        statements = read[str(params)][1]
        paged = [sql for sql in statements if sql.startswith(PAGED_FROM)]
        assert len(paged) == 1 and paged == _walks(statements), (params, statements)
        assert ("ORDER BY claim_id DESC LIMIT" in paged[0]) == (params.get("ordering") == "-id"), paged
        by_word = client_name == "api_client" and params["q"] != "zzyzxq"
        assert paged[0].startswith(PAGED_FROM[by_word]), (params, paged)
    bodies = {str(params): body for params, (body, _) in zip(asked, read.values(), strict=True)}
    assert bodies[str(asked[0])]["count"] == (4 if client_name == "api_client" else 7)
    ids = [row["id"] for row in bodies[str(asked[0])]["results"]]
    assert ids == sorted(ids) and [row["id"] for row in bodies[str(asked[1])]["results"]] == ids[::-1]
    assert bodies[str(asked[4])] == {"detail": "Invalid page."} and bodies[str(asked[5])]["results"] == []

    monkeypatch.setattr(ClaimQuerySet, "text_page", lambda self: None)
    for params in asked:
        body, statements = _searched(client, params)
        assert body == bodies[str(params)], params
        assert not any(sql.startswith(PAGED_FROM) for sql in statements)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table is PostgreSQL's")
@pytest.mark.parametrize("client_name", ["api_client", "curator_client"])
def test_a_search_narrowed_to_facet_values_pages_from_the_claim_text_table(db, request, monkeypatch, client_name):
    # A search narrowed by a facet value (the predicate by its slug, a modality, a status):
    # its matches read first, or its page and count read from the claim text table, which
    # repeats those columns, never the claims walked in id order testing each: `minister` of
    # one predicate, of which there is none, walked every claim for a page (402 ms at a
    # million claims). The same bodies as the list's own statements give.
    client = request.getfixturevalue(client_name)
    visited, met = PredicateFactory(slug="visited"), PredicateFactory(slug="met-with", label="met with")
    for n in range(9):
        ClaimFactory(
            value=f"frigate {n}",
            predicate=(visited, met)[n % 2],
            modality=("asserted", "planned", "planned")[n % 3],
            status=("published", "published", "draft")[n % 3],
        )
    asked = [
        {"q": "frigate", "predicate": "met-with"},
        {"q": "frigate", "modality": "planned", "ordering": "-id"},
        {"q": "frig", "predicate": "visited", "modality": "planned", "page_size": 1, "page": 2},
        {"q": "frigate", "polarity": "negated"},  # none
        {"q": "frigate", "status": "draft"},
        {"q": "frigate sail", "predicate": "met-with"},  # none
    ]
    read = {str(params): _searched(client, params) for params in asked}
    for params in asked:
        statements = read[str(params)][1]
        assert any(sql.startswith("SELECT claim_id FROM (SELECT claim_id FROM factbase_claim_") for sql in statements)
        assert not _walks(statements), (params, statements)
    assert read[str(asked[0])][0]["count"] == (3 if client_name == "api_client" else 4)
    assert read[str(asked[3])][0]["results"] == []
    # More matches than the count's cap: the page from the claim text table, its equalities in it.
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    body, statements = _searched(client, asked[0])
    paged = [sql for sql in statements if sql.startswith(PAGED_FROM[0])]
    assert body["count"] is None and len(paged) == 1, statements
    assert body["results"] == read[str(asked[0])][0]["results"]
    assert search.PG_PREDICATE_OF_SLUG.replace("%s", "'met-with'") in paged[0], paged
    monkeypatch.undo()

    for reader in ("capped_matches", "text_page", "index_count"):
        monkeypatch.setattr(ClaimQuerySet, reader, lambda self, *args: None)
    for params in asked:
        assert _searched(client, params)[0] == read[str(params)][0], params
