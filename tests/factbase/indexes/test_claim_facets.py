"""The claim facet index (factbase/indexes/claim_facets.py, PostgreSQL): its rows and its GIN
entries follow every write that changes a claim's document or facet columns, and a claim
search's facets counted whole from it answer as the walks do (api/facets.py)."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.indexes import claim_facets, claim_text, search
from factbase.models import Alias, Claim, Entity, SourceSpan
from tests.factbase.indexes.answers import rebuilt, with_and_without
from tests.factories import AliasFactory, ClaimFactory, PersonFactory, PredicateFactory, SourceSpanFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim facet index is PostgreSQL's alone"),
]

WORDS = ["lavrov", "submarines", "frigate", "moscow", "sergei", "paris", "minsk", "zzyzx"]


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT claim_id, {', '.join(claim_facets.HELD)}, letters FROM {claim_facets.TABLE} ORDER BY claim_id"  # noqa: S608
        )
        return cursor.fetchall()


def _found() -> dict[str, list[int]]:
    """The claims each of WORDS finds through the index's GIN alone: its entries, not the
    documents they were made from (a scan would read the documents as they stand now)."""
    found = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for word in WORDS:
            sql = (
                f"SELECT claim_id FROM {claim_facets.TABLE} "  # noqa: S608
                f"WHERE {claim_facets.DOCUMENT} @@ to_tsquery('simple'::regconfig, %s) ORDER BY claim_id"
            )
            cursor.execute(f"EXPLAIN {sql}", [search.pg_tsquery(word)])
            assert "Bitmap Index Scan on claim_facets_document" in " ".join(row[0] for row in cursor.fetchall())
            cursor.execute(sql, [search.pg_tsquery(word)])
            found[word] = [claim_id for (claim_id,) in cursor.fetchall()]
    return found


def _expected() -> tuple[list[tuple], dict[str, list[int]]]:
    """The rows and the matches a rebuild gives from the tables as they stand, the index
    left as it was; and each word's matches in the claim text table."""
    rows = rebuilt(claim_facets.INDEX, _rows)
    matches = {}
    with connection.cursor() as cursor:
        for word in WORDS:
            cursor.execute(f"{claim_text.PG_MATCH} ORDER BY claim_id", [search.pg_tsquery(word)])
            matches[word] = [claim_id for (claim_id,) in cursor.fetchall()]
    return rows, matches


def _in_step() -> list[tuple]:
    rows, matches = _expected()
    assert _rows() == rows
    assert _found() == matches
    return rows


def test_the_index_follows_every_write_that_changes_a_claims_document_or_facets():
    lavrov = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(subject=lavrov, value="submarines", status="draft")
    other = ClaimFactory(value="frigate", modality="planned")
    rows = _in_step()
    assert [row[0] for row in rows] == [claim.pk, other.pk]
    assert rows[0][2] == claim_facets.CODED["status"].index("draft") + 1

    Claim.objects.filter(pk=claim.pk).update(status="published")  # a facet column alone
    assert _in_step()[0][2] == claim_facets.CODED["status"].index("published") + 1
    Claim.objects.filter(pk=other.pk).update(modality="possible", polarity="negated")
    _in_step()
    Claim.objects.filter(pk=claim.pk).update(value="frigate")  # the document
    assert claim.pk in _found()["frigate"]
    _in_step()
    span = SourceSpanFactory(claim=other, exact="talks in Minsk")
    _in_step()
    assert other.pk in _found()["minsk"]
    SourceSpan.objects.filter(pk=span.pk).update(exact="talks in Paris")
    _in_step()
    Entity.objects.filter(pk=lavrov.pk).update(name="Sergei V. Lavrov")  # a subject renamed
    _in_step()
    alias = AliasFactory(entity=lavrov, name="Moscow envoy")
    assert claim.pk in _found()["moscow"]
    Alias.objects.filter(pk=alias.pk).delete()
    assert claim.pk not in _found()["moscow"]
    _in_step()
    with connection.cursor() as cursor:  # a document updated in place, as no trigger here does
        cursor.execute(
            f"UPDATE {claim_text.TABLE} SET document = to_tsvector('simple', 'zzyzx') WHERE claim_id = %s",  # noqa: S608
            [other.pk],
        )
    assert _found()["zzyzx"] == [other.pk]
    Claim.objects.filter(pk=other.pk).delete()
    assert [row[0] for row in _in_step()] == [claim.pk]
    with connection.cursor() as cursor:  # as a flush between tests does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {claim_text.TABLE}")
    assert _rows() == []


@pytest.fixture
def searched(db):
    """Claims of every status, kind of subject, attribution, modality and polarity, whose
    documents hold "frigate" and "lavrov" in several ways."""
    lavrov = PersonFactory(name="Sergei Lavrov")
    made = []
    for n, (status, modality, polarity, attribution) in enumerate(
        [
            ("published", "asserted", "affirmed", "states"),
            ("published", "planned", "negated", "reports"),
            ("published", "planned", "affirmed", "quotes"),
            ("draft", "possible", "affirmed", "opines"),
            ("in_review", "expected", "negated", "states"),
            ("rejected", "asserted", "affirmed", "states"),
        ]
    ):
        made.append(
            ClaimFactory(
                subject=lavrov if n % 2 else PersonFactory(name=f"Person {n}"),
                value="frigates sold" if n % 3 else "a frigate",
                status=status,
                modality=modality,
                polarity=polarity,
                attribution=attribution,
            )
        )
    return made


FACETS = "predicate,status,subject_kind,attribution,modality,polarity"
ASKED = [
    {"q": "frigate", "facets": FACETS},
    {"q": "frigates", "facets": FACETS},
    {"q": "lavrov frigate", "facets": FACETS},
    {"q": "frigate", "facets": "modality,status", "polarity": "negated"},  # narrowed: counted too
    {"q": "zzyzx", "facets": FACETS},
    {"q": "fr", "facets": FACETS},  # a short prefix: walked
    {"q": "frigate-sold", "facets": FACETS},  # a phrase: walked
]


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_searchs_facets_counted_whole_answer_as_the_walks(api_client, curator_client, searched, who):
    """The same bodies with the index and without it (uninstalled: the facets are walked from
    the claim text table), for every client; the index serves a plain search alone."""
    client = api_client if who == "anonymous" else curator_client
    asked = [("/api/v1/claims/", params) for params in ASKED]
    indexed, walked, read = with_and_without(client, claim_facets.INDEX, asked, reading=claim_facets.TABLE)
    assert indexed == walked
    counts = {item["value"]: item["count"] for item in indexed[0]["facets"]["status"]}
    assert counts == (
        {"published": 3} if who == "anonymous" else {"published": 3, "draft": 1, "in_review": 1, "rejected": 1}
    )
    for body in indexed:  # every match counted once in each facet
        for facet in body.get("facets", {}).values():
            assert sum(item["count"] for item in facet) in (0, body["count"])
    assert indexed[2]["count"] > 0
    # One statement for each of the four plain searches and the narrowed one, none for the
    # short prefix or the phrase. The table may also serve a page's capped count or matches
    # (search._pg_capped).
    grouped = [sql for sql in read if "GROUP BY" in sql]
    assert len(grouped) == 5
    assert "polarity = 2" in grouped[3], grouped[3]  # `negated`'s code, in the statement
    capped = tuple(
        f"SELECT {select} FROM (SELECT claim_id FROM {claim_facets.TABLE} " for select in ("count(*)", "claim_id")
    )
    assert all("GROUP BY" in sql or sql.startswith(capped) for sql in read)


def test_a_search_of_too_many_matches_is_walked(api_client, searched, monkeypatch):
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", 0)
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/v1/claims/", {"q": "frigate", "facets": FACETS}).status_code == 200
    assert not any(claim_facets.TABLE in q["sql"] for q in queries.captured_queries)


def test_a_rebuild_of_every_index_writes_each_row_once(searched, function_calls):
    """`indexes.rebuild` refills the claim text table, then this index from it: not also
    through this index's insert trigger while the claim text table is refilled."""

    def insert_trigger_runs() -> int:
        return function_calls("factbase_claim_facets_on_insert")

    ClaimFactory(value="frigate")
    assert insert_trigger_runs() > 0  # counted
    before = insert_trigger_runs()
    indexes.rebuild(connection)
    assert insert_trigger_runs() == before
    _in_step()


NARROWED = [
    {"predicate": "met-with"},
    {"predicate": "visited", "modality": "planned"},
    {"status": "published"},
    {"status": "draft"},
    {"polarity": "negated", "modality": "planned"},
]


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_search_narrowed_to_facet_values_counts_from_the_index_or_the_text_table_alone(
    api_client, curator_client, searched, who, monkeypatch
):
    """A search narrowed by equalities the claim text table answers (a facet value chosen,
    the predicate by its slug) counts its facets from this index, each equality in the
    statement, or, walked, from the claim text table: never from the claims' rows. The same
    bodies either way. At a million claims `claims/?facets=…&q=ministry&modality=asserted`
    read its matches' claim rows (329 ms); from the index, 75."""
    from api import facets as module

    met = PredicateFactory(slug="met-with", label="met with")
    for n in range(3):
        ClaimFactory(value="frigate", predicate=met, status="published", modality=("planned", "asserted")[n % 2])
    client = api_client if who == "anonymous" else curator_client
    asked = [("/api/v1/claims/", {"q": "frigate", "facets": FACETS, **narrowing}) for narrowing in NARROWED]
    # Walked (a short prefix, or too many matches), from the claim text table alone.
    monkeypatch.setattr(search, "ONE_PASS_MATCHES", -1)
    monkeypatch.setattr(module, "WALK", 1)
    stepped = []
    for path, params in asked:
        with CaptureQueriesContext(connection) as queries:
            stepped.append(client.get(path, params).json())
        walks = [q["sql"] for q in queries.captured_queries if "walked" in q["sql"]]
        assert walks
        assert all(f"FROM {claim_text.TABLE} " in sql and '"factbase_claim"' not in sql for sql in walks), walks
    monkeypatch.undo()
    indexed, walked, read = with_and_without(client, claim_facets.INDEX, asked, reading=claim_facets.TABLE)
    assert indexed == walked == stepped
    assert indexed[0]["facets"]["predicate"] == [{"value": "met-with", "label": "met with", "count": 3}]
    grouped = [sql for sql in read if "GROUP BY" in sql]
    assert len(grouped) == len(NARROWED), read
    assert search.PG_PREDICATE_OF_SLUG.replace("%s", "'met-with'") in grouped[0], grouped[0]


def test_a_search_narrowed_by_what_the_text_table_does_not_answer_is_not_read_there(searched):
    lavrov = searched[1].subject
    every = Claim.objects.all()
    assert every.published().search("frigate").filter(modality="planned").narrowed_text_search() == (
        "frigate",
        "published",
        (("modality", "planned"),),
    )
    assert every.search("frigate").filter(predicate__slug="visited").narrowed_text_search() == (
        "frigate",
        None,
        ((search.PREDICATE_SLUG, "visited"),),
    )
    for narrowed in (
        every.published().search("frigate").filter(subject=lavrov),
        every.published().search("frigate").filter(modality="planned", subject=lavrov),
        every.published().search("frigate").filter(rank="preferred"),
        every.published().search("frigate").exclude(modality="planned"),
        every.published().search("frigate").filter(predicate__label="visited"),
        every.published().search("frigate").filter(modality=F("polarity")),  # not a constant
        every.published().filter(modality="planned"),
    ):
        assert narrowed.narrowed_text_search() is None, narrowed.query
        assert search.text_rows(narrowed, ["status"], narrowed=True) is None
    # A fact's walk asks for any match of the search: narrowed rows are refused.
    with pytest.raises(ValueError):
        search.TextRows("frigate", "published", fixed=(("modality", "planned"),)).of_fact(F("id"))


def _letters_of_words() -> int:
    """The letters of the one claim's document, from its words read here."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tsvector_to_array(document) FROM {claim_text.TABLE}")  # noqa: S608
        (words,) = cursor.fetchone()
    return sum({1 << claim_facets.LETTERS.index(word[0]) for word in words if word[0] in claim_facets.LETTERS})


def test_a_claims_letters_are_the_first_characters_of_its_documents_words():
    """Bit n for each word that starts with LETTERS[n], from the quotes, the value and the
    subject's names; none for a word that starts with another character."""
    claim = ClaimFactory(subject=PersonFactory(name="Zoe Ümlaut"), value="apple 97")
    letters = _rows()[0][-1]
    assert letters == _letters_of_words()
    for letter in "za9":
        assert letters & claim_facets.letter_bits([letter])[0]
    assert not letters & claim_facets.letter_bits(["q"])[0]
    SourceSpanFactory(claim=claim, exact="Quiet talks")
    assert _rows()[0][-1] == _letters_of_words() == letters | sum(claim_facets.letter_bits(["q", "t"]))
    Claim.objects.filter(pk=claim.pk).update(value="")
    assert not _rows()[0][-1] & claim_facets.letter_bits(["9"])[0]
    assert claim_facets.letter_bits(["b", "a"]) == [1, 2]
    assert claim_facets.letter_bits(["ü"]) is None
    assert claim_facets.letter_bits(["ab"]) is None


LETTERED = [
    {"q": "f", "facets": FACETS},
    {"q": "f", "facets": FACETS, "polarity": "negated"},
    {"q": "f", "facets": FACETS, "predicate": "visited", "modality": "planned"},
    {"q": "s f", "facets": FACETS},
    {"q": "F", "facets": "status,modality"},
    {"q": "x", "facets": FACETS},  # no match
]


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_search_of_letters_counts_from_the_index_letters(api_client, curator_client, searched, who, monkeypatch):
    """A search of one-letter words whose matches are many (LETTER_WALKED) but not too many
    (LETTER_MATCHES), narrowed or not, counts its facets and its capped count from the
    index's letters, each letter's bit in the statement: the same bodies as walked. At a
    million claims `claims/?facets=…&q=a&predicate=…` walked 395,168 rows of the claim text
    table for 20,000 matches (168 ms); here 49."""
    client = api_client if who == "anonymous" else curator_client
    asked = [("/api/v1/claims/", params) for params in LETTERED]
    monkeypatch.setattr(search, "LETTER_WALKED", 0)
    indexed, walked, read = with_and_without(client, claim_facets.INDEX, asked, reading=claim_facets.TABLE)
    assert indexed == walked
    assert indexed[0]["count"] == (3 if who == "anonymous" else 6)  # every claim's value has an f
    assert indexed[1]["count"] == (1 if who == "anonymous" else 2)
    grouped = [sql for sql in read if "GROUP BY" in sql]
    assert len(grouped) == len(LETTERED), read
    f, s = (claim_facets.letter_bits([letter])[0] for letter in "fs")
    assert f"letters & {f} <> 0" in grouped[0], grouped[0]
    assert "polarity = 2" in grouped[1], grouped[1]
    assert search.PG_PREDICATE_OF_SLUG.replace("%s", "'visited'") in grouped[2], grouped[2]
    assert f"letters & {f} <> 0 AND letters & {s} <> 0" in grouped[3], grouped[3]
    capped = [
        sql for sql in read if sql.startswith(("SELECT count(*) FROM (SELECT claim_id", "SELECT claim_id FROM ("))
    ]
    assert capped and all("letters & " in sql for sql in capped), read


@pytest.mark.parametrize(
    ("walked", "most", "q"),
    [
        (20_000, 100_000, "f"),  # few matches: walked, as the GIN index hands them over at once
        (0, 0, "f"),  # too many matches of the list's equalities
        (0, 100_000, "fr"),  # a word of two letters
        (0, 100_000, "f frigate"),  # a letter beside a word
        (0, 100_000, "ü"),  # a letter the index has no bit of
    ],
)
def test_a_search_of_letters_is_walked_where_the_letters_should_not_answer(
    api_client, searched, monkeypatch, walked, most, q
):
    monkeypatch.setattr(search, "LETTER_WALKED", walked)
    monkeypatch.setattr(search, "LETTER_MATCHES", most)
    with CaptureQueriesContext(connection) as queries:
        body = api_client.get("/api/v1/claims/", {"q": q, "facets": FACETS, "polarity": "negated"}).json()
    assert "facets" in body
    assert not any("letters & " in query["sql"] for query in queries.captured_queries), queries.captured_queries
