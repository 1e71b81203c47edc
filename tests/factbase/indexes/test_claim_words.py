"""The claim word index (factbase/indexes/claim_words.py, PostgreSQL): its rows follow every
write that changes a claim's document or status, and a claim search of one word reads its
page and count there with the same answers as from the claim text table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.indexes import claim_facets, claim_text, claim_words, search
from factbase.models import Alias, Claim, Entity, SourceSpan
from tests.factbase.indexes.answers import in_step, with_and_without
from tests.factories import AliasFactory, ClaimFactory, PersonFactory, SourceSpanFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim word index is PostgreSQL's alone"),
]


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme, status, claim_id FROM {claim_words.TABLE} ORDER BY 1, 2, 3")  # noqa: S608
        return cursor.fetchall()


def _in_step() -> list[tuple]:
    return in_step(claim_words.INDEX, _rows)


def _words_of(claim) -> set[str]:
    return {lexeme for lexeme, _, claim_id in _rows() if claim_id == claim.pk}


def _status_of(claim) -> set[int]:
    return {status for _, status, claim_id in _rows() if claim_id == claim.pk}


def test_the_index_follows_every_write_that_changes_a_claims_document_or_status():
    lavrov = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(subject=lavrov, value="submarines", status="draft", spans=[])
    other = ClaimFactory(value="frigate", spans=[])
    _in_step()
    assert {"submarines", "sergei", "lavrov"} <= _words_of(claim)
    assert _status_of(claim) == {claim_facets.code("status", "draft")}

    Claim.objects.filter(pk=claim.pk).update(status="published")  # the status alone
    assert _status_of(claim) == {claim_facets.code("status", "published")}
    _in_step()
    Claim.objects.filter(pk=other.pk).update(modality="possible")  # neither: rows stand
    _in_step()
    Claim.objects.filter(pk=claim.pk).update(value="frigate")  # the document
    assert "frigate" in _words_of(claim) and "submarines" not in _words_of(claim)
    _in_step()
    span = SourceSpanFactory(claim=other, exact="talks in Minsk")
    assert "minsk" in _words_of(other)
    SourceSpan.objects.filter(pk=span.pk).update(exact="talks in Paris")
    assert "paris" in _words_of(other) and "minsk" not in _words_of(other)
    _in_step()
    Entity.objects.filter(pk=lavrov.pk).update(name="Sergei V. Lavrov")  # a subject renamed
    assert "v" in _words_of(claim)
    alias = AliasFactory(entity=lavrov, name="Moscow envoy")
    assert "moscow" in _words_of(claim)
    Alias.objects.filter(pk=alias.pk).delete()
    assert "moscow" not in _words_of(claim)
    _in_step()
    with connection.cursor() as cursor:  # a document and a status updated in place at once
        cursor.execute(
            f"UPDATE {claim_text.TABLE} SET document = to_tsvector('simple', 'zzyzx'), status = 'rejected' "  # noqa: S608
            "WHERE claim_id = %s",
            [other.pk],
        )
    assert _words_of(other) == {"zzyzx"} and _status_of(other) == {claim_facets.code("status", "rejected")}
    Claim.objects.filter(pk=other.pk).delete()
    assert _words_of(other) == set()
    assert {claim_id for _, _, claim_id in _in_step()} == {claim.pk}
    with connection.cursor() as cursor:  # as a flush between tests does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {claim_text.TABLE}")
    assert _rows() == []


@pytest.fixture
def searched(db):
    """Claims of every status whose documents hold "frigate", "corvettes", "corvette" and
    "lavrov" (the subject of the published ones)."""
    lavrov = PersonFactory(name="Sergei Lavrov")
    statuses = ["published", "draft", "published", "in_review", "published", "rejected", "published"]
    return [
        ClaimFactory(
            subject=PersonFactory(name=f"Person {n}") if n % 2 else lavrov,
            value=("a frigate", "corvettes sold", "corvette sank")[n % 3],
            status=status,
            spans=[],
        )
        for n, status in enumerate(statuses)
    ]


ASKED = [
    {"q": "frigate"},
    {"q": "corvettes", "ordering": "-id"},
    {"q": "lavrov", "page_size": 1, "page": 2},
    {"q": "lavrov", "ordering": "-id", "page_size": 1, "page": 2},
    {"q": "lavrov", "page_size": 2},
    {"q": "lavro"},  # a prefix of one word
    {"q": "corvette"},  # a prefix of two words: the claim text table
    {"q": "lavrov frigate"},  # two words: the claim text table
    {"q": "zzyzx"},  # no word: the claim text table
    {"q": "lavrov", "page_size": 2, "page": 9},  # past the end
]


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_search_of_one_word_answers_from_the_index_as_from_the_claim_text_table(
    api_client, curator_client, searched, who
):
    """The same bodies with the index and without it (uninstalled: pages and counts from the
    claim text table); the index serves the published claims' pages of one word, and the
    counts of one word of any status."""
    client = api_client if who == "anonymous" else curator_client
    asked = [("/api/v1/claims/", params) for params in ASKED]
    indexed, unindexed, read = with_and_without(client, claim_words.INDEX, asked, reading=claim_words.TABLE)
    assert indexed == unindexed
    anonymous = who == "anonymous"
    assert [body.get("count") for body in indexed] == (
        [2, 1, 4, 4, 4, 4, 2, 2, 0, None] if anonymous else [3, 2, 4, 4, 4, 4, 4, 2, 0, None]
    )
    assert [row["id"] for row in indexed[2]["results"]] == [indexed[4]["results"][1]["id"]]
    assert [row["id"] for row in indexed[3]["results"]] == [indexed[5]["results"][-2]["id"]]
    pages = [sql for sql in read if "ORDER BY claim_id" in sql]
    counts = [sql for sql in read if sql.startswith("SELECT count(*) FROM")]
    assert sorted(pages + counts) == sorted(read), read
    # Anonymous: every page of one word from the index, in both orders; a curator's pages (of
    # every status) never. A count of one word where a page leaves its count open.
    assert len(pages) == (7 if anonymous else 0)
    assert any("ORDER BY claim_id DESC" in sql for sql in pages) == anonymous
    assert len(counts) == 4  # lavrov: page 2 both ways, a page of 2, past the end


def test_a_count_of_one_word_reads_no_further_than_the_cap(searched):
    with CaptureQueriesContext(connection) as queries:
        assert search.pg_capped_count(connection.alias, "lavrov", "published", cap=1) == 2
        assert search.pg_capped_count(connection.alias, "corvettes", None, cap=10) == 2
        ids = search.pg_capped_ids(connection.alias, "frigate", "published", cap=10)
    assert sorted(ids) == [searched[0].pk, searched[6].pk]
    words = [q["sql"] for q in queries.captured_queries if claim_words.TABLE in q["sql"]]
    assert len(words) == 3 and "LIMIT 2" in words[0] and "LIMIT 11" in words[1]


def test_a_rebuild_of_every_index_writes_each_row_once(searched, function_calls):
    """`indexes.rebuild` refills the claim text table, then this index from it: not also
    through this index's insert trigger while the claim text table is refilled."""

    def insert_trigger_runs() -> int:
        return function_calls("factbase_claim_words_on_insert")

    rows = _rows()
    ClaimFactory(value="frigate", spans=[])
    assert insert_trigger_runs() > 0  # counted
    before = insert_trigger_runs()
    indexes.rebuild(connection)
    assert insert_trigger_runs() == before
    assert len(_rows()) > len(rows) and _in_step()


def test_a_searchs_words_are_found_once_for_its_page_and_count(api_client, searched, monkeypatch):
    """The words each prefix term matches are asked once a request (ClaimQuerySet.text_terms),
    also when the answer is that there are none to ask by (more than EXACT_WORDS: here any)."""
    monkeypatch.setattr(search, "EXACT_WORDS", 0)
    for params in ({"q": "lavrov", "page_size": 2}, {"q": "lavrov"}):
        with CaptureQueriesContext(connection) as queries:
            body = api_client.get("/api/v1/claims/", params).json()
        assert body["count"] == 4
        asked = [q["sql"] for q in queries.captured_queries if claim_text.VALUES_TABLE in q["sql"]]
        assert len(asked) == 1, asked
        assert not any(claim_words.TABLE in q["sql"] for q in queries.captured_queries)
