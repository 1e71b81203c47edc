"""facts/ and contradictions/: what each role reads, the filters, the curators' split and
join, the reviewers' ranks and resolutions, bad input, and what a page costs."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import filters
from factbase.indexes import search
from factbase.indexes.search import words
from factbase.models import Claim, Contradiction, Fact, SourceSpan
from factbase.models import claims as claims_module
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.facts import fact_rank
from factbase.synth import synth_build
from tests.factories import CountryFactory, DocumentFactory, OrganisationFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db

QUOTE = "Sergei Lavrov visited Indonesia"


def claim(subject, predicate, obj, *, document, publish=None, date="2021-07", **fields):
    made = claim_create(
        subject=subject,
        predicate=predicate,
        object=obj,
        date=PartialDate.parse(date) if date else None,
        spans=[{"document": document, "exact": QUOTE}],
        **fields,
    )
    return claim_publish(claim=made, by=publish) if publish else made


def ref(entity) -> dict:
    return {"id": entity.pk, "kind": entity.kind, "name": entity.name}


@pytest.fixture
def world(reviewer):
    """Lavrov visited Indonesia, said by two Kommersant articles (one publisher) and TASS
    (published), and by a draft; he did not visit Laos (published), while another source
    says he did (published): a contradiction. A draft alone says he visited Cambodia."""
    lavrov = PersonFactory(name="Sergei Lavrov")
    indonesia, laos, cambodia = (CountryFactory(name=n) for n in ("Indonesia", "Laos", "Cambodia"))
    visited = PredicateFactory()
    kommersant, tass = OrganisationFactory(name="Kommersant"), OrganisationFactory(name="TASS")
    k1, k2 = DocumentFactory(publisher=kommersant), DocumentFactory(publisher=kommersant)
    t1, own = DocumentFactory(publisher=tass), DocumentFactory(publisher=None)
    w = type("World", (), {})()
    w.lavrov, w.indonesia, w.laos, w.cambodia, w.visited = lavrov, indonesia, laos, cambodia, visited
    w.kommersant, w.tass, w.k1, w.k2, w.t1, w.own = kommersant, tass, k1, k2, t1, own
    w.c1 = claim(lavrov, visited, indonesia, document=k1, publish=reviewer)
    w.c2 = claim(lavrov, visited, indonesia, document=k2, publish=reviewer)
    w.c3 = claim(lavrov, visited, indonesia, document=t1, publish=reviewer)
    w.draft = claim(lavrov, visited, indonesia, document=own)
    w.no_laos = claim(lavrov, visited, laos, document=t1, polarity="negated", publish=reviewer)
    w.laos = claim(lavrov, visited, laos, document=own, publish=reviewer)
    w.cambodia_draft = claim(lavrov, visited, cambodia, document=own)
    for name in ("c1", "c2", "c3", "draft", "no_laos", "laos", "cambodia_draft"):
        getattr(w, name).refresh_from_db()
    w.fact = w.c1.fact
    return w


def test_a_fact_shows_its_statement_claims_documents_publishers_and_sources(api_client, world):
    w = world
    body = api_client.get(f"/api/v1/facts/{w.fact.pk}/").json()
    assert body == {
        "id": w.fact.pk,
        "subject": ref(w.lavrov),
        "predicate": {"slug": "visited", "label": "visited"},
        "object": ref(w.indonesia),
        "value": "",
        "polarity": "affirmed",
        "date": {"lower": "2021-07-01", "upper": "2021-07-31"},
        "rank": "normal",
        "sources": 2,  # Kommersant twice, TASS once; the draft does not count
        "contradicted": False,
        "first_published": "2021-07-01",
        "last_published": "2021-07-01",
        "claims": [
            {"id": c.pk, "status": "published", "rank": "normal", "attributed_to": None, "documents": [d.pk]}
            for c, d in ((w.c1, w.k1), (w.c2, w.k2), (w.c3, w.t1))
        ],
        "documents": [
            {"id": d.pk, "title": d.title, "published": "2021-07-01", "publisher": ref(p)}
            for d, p in ((w.k1, w.kommersant), (w.k2, w.kommersant), (w.t1, w.tass))
        ],
        "publishers": sorted([ref(w.kommersant), ref(w.tass)], key=lambda r: r["id"]),
        "contradictions": [],
    }


def test_curators_see_the_unpublished_claims_of_a_fact(curator_client, world):
    body = curator_client.get(f"/api/v1/facts/{world.fact.pk}/").json()
    assert [c["id"] for c in body["claims"]] == [world.c1.pk, world.c2.pk, world.c3.pk, world.draft.pk]
    assert body["sources"] == 2  # counted from the published claims, for everyone


def test_a_fact_of_drafts_only_is_absent_for_anonymous_clients(api_client, curator_client, world):
    hidden = world.cambodia_draft.fact_id
    assert api_client.get(f"/api/v1/facts/{hidden}/").status_code == 404
    assert hidden not in [row["id"] for row in api_client.get("/api/v1/facts/").json()["results"]]
    assert curator_client.get(f"/api/v1/facts/{hidden}/").status_code == 200
    assert hidden in [row["id"] for row in curator_client.get("/api/v1/facts/").json()["results"]]


def test_every_claim_shows_its_fact(api_client, world):
    body = api_client.get(f"/api/v1/claims/{world.c1.pk}/").json()
    assert body["fact"] == {"id": world.fact.pk, "sources": 2, "contradicted": False}
    listed = api_client.get("/api/v1/claims/", {"fact": world.no_laos.fact_id}).json()["results"]
    assert [row["fact"] for row in listed] == [{"id": world.no_laos.fact_id, "sources": 1, "contradicted": True}]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_filters(api_client, world):
    w = world
    laos, no_laos = w.laos.fact_id, w.no_laos.fact_id
    every = sorted([w.fact.pk, laos, no_laos])
    assert ids(api_client.get("/api/v1/facts/")) == every
    assert ids(api_client.get("/api/v1/facts/", {"subject": w.lavrov.pk})) == every
    assert ids(api_client.get("/api/v1/facts/", {"object": w.laos.object_id})) == sorted([laos, no_laos])
    assert ids(api_client.get("/api/v1/facts/", {"predicate": "visited", "min_sources": 2})) == [w.fact.pk]
    assert ids(api_client.get("/api/v1/facts/", {"contradicted": "true"})) == sorted([laos, no_laos])
    assert ids(api_client.get("/api/v1/facts/", {"contradicted": "false"})) == [w.fact.pk]
    assert ids(api_client.get("/api/v1/facts/", {"date_from": "2021-07", "date_to": "2021-07"})) == every
    assert ids(api_client.get("/api/v1/facts/", {"date_to": "2020"})) == []
    assert ids(api_client.get("/api/v1/facts/", {"ordering": "-sources"}))[0] == w.fact.pk
    assert ids(api_client.get("/api/v1/facts/", {"q": "indonesia"})) == every  # every span quotes it
    assert ids(api_client.get("/api/v1/facts/", {"q": "zanzibar"})) == []


@pytest.mark.parametrize("role", ["subject", "object"])
@pytest.mark.parametrize(
    "dates", [("2021", "2021"), ("2021-01-01", "2021-01-01"), ("2021-01", None), (None, "2020"), ("2023", "2024")]
)
def test_an_entitys_facts_in_a_date_range_have_a_claim_whose_dates_overlap_it(api_client, reviewer, world, role, dates):
    # The entity's claims of the range come per role from its date index and, apart, those
    # reaching into it from before (claim_dates.filter_overlapping_in_roles); undated never.
    w = world
    thailand, vietnam = CountryFactory(name="Thailand"), CountryFactory(name="Vietnam")
    claim(w.lavrov, w.visited, thailand, document=w.t1, publish=reviewer, date="2020-12/2021-01")
    claim(w.lavrov, w.visited, vietnam, document=w.t1, publish=reviewer, date=None)
    entity = w.lavrov if role == "subject" else thailand
    lower, upper = (None if d is None else PartialDate.parse(d) for d in dates)
    expected = sorted(
        {
            c.fact_id
            for c in Claim.objects.filter(status="published", **{role: entity})
            if c.date_lower is not None
            and (upper is None or c.date_lower <= upper.upper)
            and (lower is None or c.date_upper >= lower.lower)
        }
    )
    query = {
        role: entity.pk,
        **({"date_from": dates[0]} if dates[0] else {}),
        **({"date_to": dates[1]} if dates[1] else {}),
    }
    assert ids(api_client.get("/api/v1/facts/", query)) == expected
    if dates[0] == "2021-01-01":
        assert expected


def test_contradictions_list_the_spans_on_each_side(api_client, world):
    w = world
    body = api_client.get("/api/v1/contradictions/", {"resolved": "false"}).json()
    (found,) = body["results"]
    low, high = sorted([w.laos, w.no_laos], key=lambda c: c.fact_id)
    assert found["kind"] == "polarity"
    assert [side["fact"] for side in found["sides"]] == [low.fact_id, high.fact_id]
    assert [side["polarity"] for side in found["sides"]] == [low.polarity, high.polarity]
    assert [[span["claim"] for span in side["spans"]] for side in found["sides"]] == [[low.pk], [high.pk]]
    assert found["sides"][0]["spans"][0]["exact"] == QUOTE
    detail = api_client.get(f"/api/v1/facts/{w.laos.fact_id}/").json()
    assert detail["contradictions"] == [
        {"id": found["id"], "fact": w.no_laos.fact_id, "kind": "polarity", "resolved": False}
    ]


def test_reviewers_resolve_curators_may_not(api_client, curator_client, reviewer_client, world):
    contradiction = Contradiction.objects.get()
    path = f"/api/v1/contradictions/{contradiction.pk}/resolve/"
    assert api_client.post(path, {"note": "x"}, format="json").status_code == 401
    assert curator_client.post(path, {"note": "x"}, format="json").status_code == 403
    assert reviewer_client.post(path, {}, format="json").status_code == 400
    assert reviewer_client.post(path, {"note": "   "}, format="json").status_code == 400
    response = reviewer_client.post(path, {"note": "TASS corrected itself."}, format="json")
    assert response.status_code == 200
    assert (response.json()["resolved"], response.json()["note"]) == (True, "TASS corrected itself.")
    assert reviewer_client.post(path, {"note": "again"}, format="json").status_code == 409
    assert ids(api_client.get("/api/v1/facts/", {"contradicted": "true"})) == []


def test_curators_split_and_join(api_client, curator_client, world):
    w = world
    split = f"/api/v1/facts/{w.fact.pk}/split/"
    assert api_client.post(split, {"claim": w.c3.pk}, format="json").status_code == 401
    response = curator_client.post(split, {"claim": w.c3.pk}, format="json")
    assert response.status_code == 200
    new = response.json()["id"]
    assert response.json()["sources"] == 1
    assert Claim.objects.get(pk=w.c3.pk).fact_id == new
    assert curator_client.get(f"/api/v1/facts/{w.fact.pk}/").json()["sources"] == 1  # Kommersant alone now
    response = curator_client.post(f"/api/v1/facts/{w.fact.pk}/join/", {"fact": new}, format="json")
    assert response.status_code == 200
    assert response.json()["sources"] == 2
    assert curator_client.get(f"/api/v1/facts/{new}/").status_code == 404


@pytest.mark.parametrize(
    ("action", "payload", "status"),
    [
        ("split", {}, 400),
        ("split", {"claim": "x"}, 400),
        ("split", {"claim": 10**12}, 400),
        ("split", {"claim": 10**30}, 400),  # beyond a 64-bit id
        ("split", {"claim": True}, 400),
        ("split", {"claim": "other"}, 400),  # a claim of another fact
        ("split", {"claim": "lone"}, 409),  # the only claim of its fact
        ("join", {"fact": "self"}, 400),
        ("join", {"fact": 10**12}, 400),
        ("join", {"fact": 10**30}, 400),
        ("join", [], 400),
    ],
)
def test_bad_split_and_join_are_4xx(curator_client, world, action, payload, status):
    w = world
    target = w.fact.pk
    if payload.__class__ is dict and payload.get("claim") == "other":
        payload = {"claim": w.laos.pk}
    if payload.__class__ is dict and payload.get("claim") == "lone":
        target, payload = w.laos.fact_id, {"claim": w.laos.pk}
    if payload.__class__ is dict and payload.get("fact") == "self":
        payload = {"fact": target}
    response = curator_client.post(f"/api/v1/facts/{target}/{action}/", payload, format="json")
    assert response.status_code == status, response.content


def test_ranks_are_set_by_reviewers_and_best_keeps_the_preferred(api_client, curator_client, reviewer_client, world):
    w = world
    rank = f"/api/v1/facts/{w.laos.fact_id}/rank/"
    assert curator_client.post(rank, {"rank": "preferred"}, format="json").status_code == 403
    assert reviewer_client.post(rank, {"rank": "best"}, format="json").status_code == 400
    assert reviewer_client.post(rank, {"rank": "preferred"}, format="json").json()["rank"] == "preferred"
    assert ids(api_client.get("/api/v1/facts/", {"rank": "best"})) == [w.laos.fact_id]
    assert ids(api_client.get("/api/v1/facts/", {"rank": "preferred"})) == [w.laos.fact_id]
    claim_rank = f"/api/v1/claims/{w.c2.pk}/rank/"
    assert curator_client.post(claim_rank, {"rank": "preferred"}, format="json").status_code == 403
    assert reviewer_client.post(claim_rank, {"rank": "preferred"}, format="json").json()["rank"] == "preferred"
    best = ids(api_client.get("/api/v1/claims/", {"rank": "best", "fact": w.fact.pk}))
    assert best == [w.c2.pk]
    assert ids(api_client.get("/api/v1/claims/", {"rank": "normal", "fact": w.fact.pk})) == [w.c1.pk, w.c3.pk]


def test_best_rank_ignores_claims_in_no_fact(api_client, reviewer, world):
    """A claim of no fact beside a preferred one outranks nothing (and does not empty the
    list: the facts outranked are a NOT IN list, which a NULL would make unknown for all)."""
    w = world
    other = claim(PersonFactory(), w.visited, w.indonesia, document=w.t1, publish=reviewer).fact
    Claim.objects.filter(pk=w.cambodia_draft.pk).update(fact=None)
    fact_rank(fact=Fact.objects.get(pk=w.laos.fact_id), rank="preferred", by=reviewer)
    assert ids(api_client.get("/api/v1/facts/", {"rank": "best"})) == sorted([w.laos.fact_id, other.pk])


def test_best_rank_of_claims_finds_the_preferred_from_their_own_index(api_client, world):
    """claims/?rank=best looks for the facts holding a preferred claim in the small index of
    preferred claims (claim_preferred_fact), never through every claim row: at a million
    claims PostgreSQL otherwise scanned the table for them, 220-250 ms per statement."""
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get("/api/v1/claims/", {"rank": "best"}).status_code == 200
    page = next(q["sql"] for q in captured.captured_queries if "U0.\"rank\" = 'preferred'" in q["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test's tables are tiny
            cursor.execute(f"EXPLAIN {page}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {page}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "claim_preferred_fact" in plan, plan


# Filters whose facts are walked in order (FactQuerySet.stating) once enough claims match.
WALKED = [
    {"date_from": "2021"},
    {"date_to": "2021-07"},
    {"date_from": "2021-07", "date_to": "2021-07"},
    {"date_from": "2020", "date_to": "2020"},
    {"date_to": "2020", "ordering": "-sources"},
    {"date_from": "2019", "ordering": "-updated"},
    {"q": "s"},
    {"q": "se la"},
    {"q": "in", "ordering": "-sources"},
    {"q": "indonesia"},
    {"q": "lavrov visited", "ordering": "-id"},
    {"q": "visited s"},
]
# SQLite: how a walked search asks each claim (search.claims_walked): a probe of the claim text
# index by the claim's id, or a look-up in the list of its matches read once.
PROBED = "factbase_claim_text_fts.rowid ="
LISTED = "+ 0) IN (SELECT rowid FROM factbase_claim_text_fts"
# How a walked fact asks for a claim: through the claims' fact index, or (a PostgreSQL claim
# search and nothing else) through the claim text table's own (search.TextRows.of_fact).
THROUGH_CLAIMS = 'EXISTS(SELECT 1 AS "a" FROM "factbase_claim"'
BY_FACT = 'EXISTS (SELECT 1 FROM factbase_claim_text WHERE fact_id = "factbase_fact"."id"'


def fact_statements(client, query) -> list[str]:
    """The statements of a page of facts/ that read the facts table with a condition."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/facts/", query).status_code == 200
    return [q["sql"] for q in captured.captured_queries if 'FROM "factbase_fact" WHERE' in q["sql"]]


def page_sql(client, query) -> str:
    return fact_statements(client, query)[0]


@pytest.mark.parametrize("query", WALKED)
def test_facts_walked_in_order_are_the_facts_gathered_from_their_claims(
    api_client, curator_client, reviewer, world, monkeypatch, query
):
    claim(world.lavrov, world.visited, world.laos.object, document=world.k1, publish=reviewer, date="2020-03")
    clients = (api_client, curator_client)
    gathered = [ids(client.get("/api/v1/facts/", query)) for client in clients]
    assert "EXISTS" not in page_sql(api_client, query)
    monkeypatch.setattr(filters, "MANY_CLAIMS", 1)
    monkeypatch.setattr(search, "PROBED_SHARE", 0)  # whatever share of the claims a short word matches
    assert [ids(client.get("/api/v1/facts/", query)) for client in clients] == gathered
    walked = page_sql(api_client, query)
    by_fact = connection.vendor == "postgresql" and "q" in query
    for sql in (walked, page_sql(curator_client, query)):  # the published claims; every claim
        assert (BY_FACT in sql) == by_fact, sql
        assert (THROUGH_CLAIMS in sql) == (not by_fact), sql
    # SQLite probes words of one or two characters only; a longer word is read into a list.
    sqlite = "q" in query and connection.vendor == "sqlite"
    assert (PROBED in walked) == (sqlite and search.short_prefix_only(query["q"])), walked
    assert (LISTED in walked) == (sqlite and not search.short_prefix_only(query["q"])), walked


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite counts its matches; PostgreSQL estimates")
@pytest.mark.parametrize("q", ["s", "se la"])
def test_a_short_word_is_probed_when_it_matches_enough_of_the_claims_else_listed(
    api_client, curator_client, world, monkeypatch, q
):
    # At a million claims `a` (81% of the claims) is found in 6 ms probed and 75 ms listed;
    # `la` (3.5%) in 165 ms probed and 15 ms listed. The share is the count of the matches
    # (up to MANY_CLAIMS) over the id of the last one counted.
    clients = (api_client, curator_client)
    gathered = [ids(client.get("/api/v1/facts/", {"q": q})) for client in clients]
    many = 3
    monkeypatch.setattr(filters, "MANY_CLAIMS", many)
    counted = Claim.objects.search(q).order_by("pk").values_list("pk", flat=True)[:many]
    share = many / counted[many - 1]
    monkeypatch.setattr(search, "PROBED_SHARE", share * 0.99)
    assert PROBED in page_sql(api_client, {"q": q})
    assert [ids(client.get("/api/v1/facts/", {"q": q})) for client in clients] == gathered
    monkeypatch.setattr(search, "PROBED_SHARE", share * 1.01)
    walked = page_sql(api_client, {"q": q})
    assert LISTED in walked and PROBED not in walked, walked
    assert [ids(client.get("/api/v1/facts/", {"q": q})) for client in clients] == gathered


@pytest.mark.parametrize(
    "query",
    [
        # (A word no claim matches is neither walked nor gathered: its count says there is
        # nothing to find, test_a_search_that_no_claim_matches_asks_the_claim_text_index_once.)
        {"date_from": "2031"},
        {"q": "s", "date_from": "2021"},
        {"q": "sergei", "subject": "lavrov"},
        {"date_from": "2021", "subject": "lavrov"},
        {"date_from": "2021", "predicate": "visited"},
    ],
)
def test_facts_are_gathered_from_their_claims_for_an_entity_a_predicate_or_few_matches(
    api_client, world, monkeypatch, query
):
    query = {key: world.lavrov.pk if value == "lavrov" else value for key, value in query.items()}
    monkeypatch.setattr(filters, "MANY_CLAIMS", 1)
    assert '"factbase_fact"."id" IN (SELECT' in page_sql(api_client, query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimate; SQLite counts")
def test_a_search_walks_the_facts_when_the_planner_expects_many_matches(api_client, monkeypatch):
    # At a million claims a word in a quarter of them gave its facts from every match (0.6 s
    # for the page and again for its count); walked, the first 1,001 facts are found among the
    # first 4,000 (18 + 83 ms). A word in 1% of them is the other way round. The planner's
    # estimate decides, from the statistics of the claim text index.
    CountryFactory.create_batch(5)
    synth_build(claims=3000, seed=1, log=lambda message: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factbase_claim_text")
    quotes = Counter(
        word
        for exact in SourceSpan.objects.values_list("exact", flat=True)
        for word in set(words(exact))
        if len(word) > 3
    )
    (common, _), *_, (rare, _) = quotes.most_common()
    counted = {w: search.pg_capped_count("default", w, cap=10_000) for w in (common, rare)}
    estimated = {w: search.pg_estimated_count("default", w) for w in (common, rare)}
    assert counted[common] / 2 <= estimated[common] <= counted[common] * 2, (counted, estimated)
    assert estimated[rare] < counted[common] / 4, (counted, estimated)
    monkeypatch.setattr(filters, "MANY_CLAIMS", counted[common] // 4)
    assert BY_FACT in page_sql(api_client, {"q": common})
    assert '"factbase_fact"."id" IN (SELECT' in page_sql(api_client, {"q": rare})
    walked = ids(api_client.get("/api/v1/facts/", {"q": common, "page_size": 200}))
    monkeypatch.setattr(filters, "MANY_CLAIMS", 10**9)
    assert walked == ids(api_client.get("/api/v1/facts/", {"q": common, "page_size": 200}))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimate; SQLite counts")
def test_a_search_of_words_never_together_is_counted_before_its_facts_are_walked(api_client, reviewer, monkeypatch):
    # The planner estimates several words' matches as if the words were independent: at a
    # million claims `with that` at 30,026 claims, where none has both, and the walk tested
    # every published claim (1.8 s). Such a search is counted first (search.claims_walked).
    visited, document = PredicateFactory(), DocumentFactory()
    for name in ("Frigate Orlov", "Frigate Petrov", "Sailed Ivanov", "Sailed Sidorov", "Frigate Sailed Kuznetsov"):
        claim(PersonFactory(name=name), visited, CountryFactory(), document=document, publish=reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factbase_claim_text")
    monkeypatch.setattr(filters, "MANY_CLAIMS", 1)  # every estimate is of many: at least one row
    assert search.pg_estimated_count("default", "orlov sailed") >= filters.MANY_CLAIMS
    assert BY_FACT in page_sql(api_client, {"q": "frigate sailed"})
    # Counted first: none, so nothing is walked; and no fact is asked for at all (no match).
    assert fact_statements(api_client, {"q": "orlov sailed"}) == []
    assert ids(api_client.get("/api/v1/facts/", {"q": "orlov sailed"})) == []
    kuznetsov = Claim.objects.get(subject__name="Frigate Sailed Kuznetsov")
    assert ids(api_client.get("/api/v1/facts/", {"q": "frigate sailed"})) == [kuznetsov.fact_id]


@pytest.mark.parametrize("q", ["orlov sailed", "zzyzx", "zq"])
def test_a_search_that_no_claim_matches_asks_the_claim_text_index_once(api_client, reviewer, monkeypatch, q):
    # At a million claims `facts/?q=with that`, which no claim holds together, asked the index
    # for the words' matches twice: counted (search.claims_walked), then gathered for their
    # facts (19.4 ms on PostgreSQL, 24.5 on SQLite); counted once, 10.6 and 14.5.
    visited, document = PredicateFactory(), DocumentFactory()
    for name in ("Frigate Orlov", "Sailed Ivanov"):
        claim(PersonFactory(name=name), visited, CountryFactory(), document=document, publish=reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factbase_claim_text" if connection.vendor == "postgresql" else "SELECT 1")
    monkeypatch.setattr(filters, "MANY_CLAIMS", 1)  # PostgreSQL: estimated at many, so counted
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/facts/", {"q": q})
    assert response.status_code == 200 and response.json()["count"] == 0
    asked = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith("EXPLAIN") and ("MATCH" in query["sql"] or "@@" in query["sql"])
    ]
    assert len(asked) == 1, asked
    # Counted (SQLite always; PostgreSQL for several words, which it would otherwise estimate):
    # the facts are not asked for at all.
    if connection.vendor == "sqlite" or len(words(q)) > 1:
        assert fact_statements(api_client, {"q": q}) == []
    assert ids(api_client.get("/api/v1/facts/", {"q": "orlov frigate"})) != []  # a match: walked or gathered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner estimate; SQLite counts")
def test_the_facts_of_a_few_matches_of_several_words_are_those_of_their_ids(
    api_client, curator_client, reviewer, monkeypatch
):
    # The planner takes words as independent: at a million claims it expected 30,026 claims of
    # `with that`, none found, and walked every fact asking each for one (466 ms). The matches'
    # ids are read first (no more than LISTED_FACT_CLAIMS), then their facts
    # (ClaimQuerySet.fact_ids); more matches than that, the facts of the text table's rows.
    visited, document = PredicateFactory(), DocumentFactory()
    for name in ("Frigate Sailed Orlov", "Frigate Sailed Petrov", "Frigate Ivanov"):
        claim(PersonFactory(name=name), visited, CountryFactory(), document=document, publish=reviewer)
    draft = claim(PersonFactory(name="Frigate Sailed Sidorov"), visited, CountryFactory(), document=document)
    published = sorted(
        Claim.objects.published().filter(subject__name__startswith="Frigate Sailed").values_list("fact_id", flat=True)
    )
    expected = {api_client: published, curator_client: sorted([*published, draft.fact_id])}
    for client, facts in expected.items():
        listed = page_sql(client, {"q": "frigate sailed"})
        assert 'U0."id" IN (' in listed and "document @@" not in listed, listed
        assert ids(client.get("/api/v1/facts/", {"q": "frigate sailed"})) == facts
        assert ids(client.get("/api/v1/facts/", {"q": "frigate sailed", "ordering": "-id"})) == facts[::-1]
    assert fact_statements(api_client, {"q": "orlov petrov"}) == []  # no match, no fact to read
    assert ids(api_client.get("/api/v1/facts/", {"q": "orlov petrov"})) == []
    monkeypatch.setattr(claims_module, "LISTED_FACT_CLAIMS", 1)  # fewer than the matches
    for client, facts in expected.items():
        assert "document @@" in page_sql(client, {"q": "frigate sailed"})
        assert ids(client.get("/api/v1/facts/", {"q": "frigate sailed"})) == facts


def test_a_predicate_is_named_by_a_subquery_of_its_id_not_joined(api_client, world):
    # Joined on its slug, PostgreSQL walked every claim in fact order for a predicate that no
    # claim has; given its id, it reads the predicate's own claims in fact order.
    sql = page_sql(api_client, {"predicate": "visited"})
    assert 'JOIN "factbase_predicate"' not in sql and '"predicate_id" = (SELECT' in sql, sql
    assert ids(api_client.get("/api/v1/facts/", {"predicate": "visited"}))


@pytest.mark.parametrize(
    "query",
    [
        {"min_sources": "many"},
        {"min_sources": "-1"},
        {"subject": "x"},
        {"subject": "999999999"},
        {"predicate": "no-such-predicate"},
        {"contradicted": "perhaps"},
        {"rank": "best-ever"},
        {"date_from": "July"},
        {"ordering": "subject"},
    ],
)
def test_bad_filters_are_400(api_client, world, query):
    response = api_client.get("/api/v1/facts/", query)
    assert response.status_code == 400, response.content
    assert set(response.json()) >= set(query) or "detail" in response.json()


def test_unknown_facts_and_contradictions_are_404(api_client, reviewer_client):
    assert api_client.get("/api/v1/facts/999999/").status_code == 404
    assert reviewer_client.post("/api/v1/facts/999999/rank/", {"rank": "normal"}, format="json").status_code == 404
    assert api_client.get("/api/v1/contradictions/999999/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_of_facts_costs_the_same_whatever_its_size(api_client, django_assert_num_queries, reviewer, count):
    visited = PredicateFactory()
    for n in range(count):
        claim(
            PersonFactory(),
            visited,
            CountryFactory(),
            document=DocumentFactory(publisher=OrganisationFactory()),
            publish=reviewer,
        )
        claim(
            PersonFactory(), visited, CountryFactory(), document=DocumentFactory(), publish=reviewer, polarity="negated"
        )
    # The page's ids with their count, the facts, then the claims, their dates, their
    # documents and the contradictions.
    with django_assert_num_queries(6):
        response = api_client.get("/api/v1/facts/")
    assert len(response.json()["results"]) == 2 * count


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    "query, queries",
    [
        ({"date_from": "2021"}, 7),  # and how many claims the dates keep, up to MANY_CLAIMS
        # and how many claims match: counted up to MANY_CLAIMS on SQLite, the planner's estimate
        # on PostgreSQL
        ({"q": "s"}, 7),
        # and, on PostgreSQL, the words the prefix stands for, which its facts are read with
        # (search._exact_query: the query's text, then the words)
        ({"q": "sergei"}, 7 if connection.vendor == "sqlite" else 9),
        ({"rank": "best"}, 6),
    ],
)
def test_a_filtered_page_of_facts_costs_the_same_whatever_its_size(
    api_client, django_assert_num_queries, reviewer, count, query, queries
):
    visited = PredicateFactory()
    for n in range(count):
        claim(
            PersonFactory(name="Sergei Lavrov"), visited, CountryFactory(), document=DocumentFactory(), publish=reviewer
        )
    with django_assert_num_queries(queries):
        response = api_client.get("/api/v1/facts/", query)
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_a_fact_costs_the_same_whatever_its_claims(api_client, django_assert_num_queries, reviewer, count):
    lavrov, visited, indonesia = PersonFactory(), PredicateFactory(), CountryFactory()
    for _ in range(count):
        made = claim(
            lavrov, visited, indonesia, document=DocumentFactory(publisher=OrganisationFactory()), publish=reviewer
        )
    fact = Fact.objects.get(pk=Claim.objects.get(pk=made.pk).fact_id)
    with django_assert_num_queries(5):  # the fact, its claims, their dates, documents, contradictions
        response = api_client.get(f"/api/v1/facts/{fact.pk}/")
    assert response.json()["sources"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_of_contradictions_costs_the_same_whatever_its_size(
    api_client, django_assert_num_queries, reviewer, count
):
    visited = PredicateFactory()
    for _ in range(count):
        lavrov, laos = PersonFactory(), CountryFactory()
        claim(lavrov, visited, laos, document=DocumentFactory(), publish=reviewer)
        claim(lavrov, visited, laos, document=DocumentFactory(), publish=reviewer, polarity="negated")
    # The page with its count, the sides' facts (their sources), each side's first published
    # claim with the dates of all of them, and the sides' first spans.
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/contradictions/")
    assert len(response.json()["results"]) == count


def test_a_search_finds_the_facts_its_claims_are_in_as_they_change(api_client, curator_client, world):
    # On PostgreSQL the facts of a search are read from the claim text table, which repeats
    # each claim's fact and status (factbase/indexes/claim_text.py): a split, a join and a
    # change of status must show at once.
    w = world
    params = {"q": "indonesia"}

    def searched(client) -> list[int]:
        with CaptureQueriesContext(connection) as queries:
            found = ids(client.get("/api/v1/facts/", params))
        if connection.vendor == "postgresql":
            statements = [q["sql"] for q in queries.captured_queries if "factbase_claim_text" in q["sql"]]
            assert statements and not any('"factbase_claim"' in s for s in statements), statements
        return found

    every = sorted([w.fact.pk, w.laos.fact_id, w.no_laos.fact_id])
    assert searched(api_client) == every
    new = curator_client.post(f"/api/v1/facts/{w.fact.pk}/split/", {"claim": w.c3.pk}, format="json").json()["id"]
    assert searched(api_client) == sorted([*every, new])
    Claim.objects.filter(pk=w.c3.pk).update(status="draft")
    assert searched(api_client) == every
    assert searched(curator_client) == sorted([*every, new, w.cambodia_draft.fact_id])
    curator_client.post(f"/api/v1/facts/{w.fact.pk}/join/", {"fact": new}, format="json")
    assert searched(curator_client) == sorted([*every, w.cambodia_draft.fact_id])


def test_a_search_by_a_short_prefix_finds_facts_through_the_claims(api_client, world):
    # A prefix of one or two letters matches most claims: on PostgreSQL the facts are found by
    # walking the claims in fact order, which stops at the page, rather than from every match
    # the claim text table holds (0.3 + 0.5 s against 2 + 14 ms at a million claims).
    w = world
    with CaptureQueriesContext(connection) as queries:
        found = ids(api_client.get("/api/v1/facts/", {"q": "i"}))
    statements = [q["sql"] for q in queries.captured_queries]  # before the next request resets them
    assert w.fact.pk in found
    assert found == ids(api_client.get("/api/v1/facts/", {"q": "i", "page_size": 200}))
    if connection.vendor == "postgresql":
        fact_lists = [sql for sql in statements if sql.startswith('SELECT "factbase_fact"."id"')]
        assert fact_lists and not any("SELECT fact_id FROM factbase_claim_text" in sql for sql in fact_lists), (
            fact_lists
        )
