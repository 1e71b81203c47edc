"""The reconciliation service (W3C Reconciliation API 0.2, api/views/reconcile.py) on the
committed fixtures: its answers validate against the specification's own JSON schemas
(tests/data/reconciliation-0.2/), names find their entities in any script, word order or
spelling, types and properties narrow and move the scores, `match` is given only when one
candidate is clearly right, and bad input is a 400."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from api.serializers.reconcile import MAX_LIMIT, MAX_QUERIES
from factbase.models import Country, Entity
from factbase.services import reconciliation
from tests.api.conftest import rolled_back_at_the_end
from tests.factories import EventFactory, PersonFactory

URL = "/api/v1/reconcile/"
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "reconciliation-0.2"
# The manifest's `authentication` refers to the Swagger 2.0 schema on another host: nothing
# is fetched, an empty schema (anything) stands in for it.
SWAGGER = "http://swagger.io/v2/schema.json"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    resources.append((SWAGGER, Resource.from_contents({"definitions": {}}, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(name: str, instance) -> None:
    """`instance` is valid for the specification's schema `name` (a file of SCHEMAS)."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft7Validator(schema, registry=REGISTRY, format_checker=Draft7Validator.FORMAT_CHECKER).validate(instance)


@pytest.fixture(scope="module")
def fixtures(django_db_setup, django_db_blocker):
    """The committed fixtures, loaded once for the module and rolled back after it."""
    with rolled_back_at_the_end(django_db_blocker):
        call_command("load_checked", stdout=io.StringIO())
        yield


@pytest.fixture
def ids(fixtures, db):
    return dict(Entity.objects.values_list("slug", "pk"))


def reconcile(client, queries: dict, **extra):
    response = client.post(URL, {"queries": json.dumps(queries)}, **extra)
    assert response.status_code == 200, response.content
    body = response.json()
    validate("reconciliation-result-batch.json", body)
    return body


def ask(client, query: str, **options) -> list[dict]:
    return reconcile(client, {"q0": {"query": query, **options}})["q0"]["result"]


def rank(results: list[dict], pk: int) -> int | None:
    """The 1-based rank of the entity `pk` among `results`, None if absent."""
    return next((n for n, result in enumerate(results, 1) if result["id"] == str(pk)), None)


# --- the manifest -------------------------------------------------------------------------


def test_the_manifest_is_valid_and_names_every_service(api_client, db):
    response = api_client.get(URL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    validate("manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["view"]["url"] == "http://testserver/api/v1/entities/{{id}}/"
    assert manifest["preview"]["url"] == "http://testserver/api/v1/reconcile/preview/?id={{id}}"
    assert [t["id"] for t in manifest["defaultTypes"]] == ["person", "country", "organisation", "event"]
    suggest = manifest["suggest"]
    assert {name: s["service_url"] + s["service_path"] for name, s in suggest.items()} == {
        "entity": "http://testserver/api/v1/reconcile/suggest/entity/",
        "type": "http://testserver/api/v1/reconcile/suggest/type/",
        "property": "http://testserver/api/v1/reconcile/suggest/property/",
    }


def test_the_validator_refuses_what_the_specification_refuses():
    """The schemas bite: a result without a score, a manifest without its spaces."""
    with pytest.raises(Exception, match="score"):
        validate("reconciliation-result-batch.json", {"q0": {"result": [{"id": "1", "name": "x"}]}})
    with pytest.raises(Exception, match="identifierSpace"):
        validate("manifest.json", {"versions": ["0.2"], "name": "x", "schemaSpace": "x"})


# --- batches --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"), [("Lavrov Sergei", "sergei-lavrov"), ("Сергей Лавров", "sergei-lavrov"), ("Burma", "myanmar")]
)
def test_the_three_named_examples_find_their_entity_first(api_client, ids, query, slug):
    results = ask(api_client, query)
    assert results[0]["id"] == str(ids[slug])
    assert results[0]["score"] == 100
    assert results[0]["match"] is True


def test_a_batch_answers_every_query_by_its_key_in_a_valid_shape(api_client, ids):
    body = reconcile(
        api_client,
        {
            "q0": {"query": "Sergei Lavrov", "type": "person", "limit": 3},
            "q1": {"query": "Burma", "type": ["country"]},
            "q2": {"query": "Nobody Whatsoever"},
        },
    )
    assert set(body) == {"q0", "q1", "q2"}
    lavrov = body["q0"]["result"][0]
    assert lavrov == {
        "id": str(ids["sergei-lavrov"]),
        "name": "Sergei Lavrov",
        "score": 100.0,
        "match": True,
        "type": [{"id": "person", "name": "Person"}],
        "description": "Russian diplomat; Minister of Foreign Affairs of Russia since 2004.",
    }
    assert len(body["q0"]["result"]) <= 3
    assert body["q2"]["result"] == []


def test_a_json_body_and_a_get_answer_as_the_form_does(api_client, ids):
    queries = {"q0": {"query": "Lavrov Sergei"}}
    form = reconcile(api_client, queries)
    as_json = api_client.post(URL, {"queries": queries}, format="json")
    as_text = api_client.post(URL, {"queries": json.dumps(queries)}, format="json")
    as_get = api_client.get(URL, {"queries": json.dumps(queries)})
    assert as_json.json() == as_text.json() == as_get.json() == form


def test_the_limit_caps_the_candidates(api_client, ids):
    assert len(ask(api_client, "Lavrov")) > 2
    assert len(ask(api_client, "Lavrov", limit=2)) == 2


# --- types ------------------------------------------------------------------------------


def test_a_type_keeps_only_entities_of_that_type(api_client, ids):
    events = ask(api_client, "Lavrov", type="event")
    assert events and {r["type"][0]["id"] for r in events} == {"event"}
    assert rank(events, ids["sergei-lavrov"]) is None
    both = ask(api_client, "Lavrov", type=["person", "event"])
    assert rank(both, ids["sergei-lavrov"]) == 1


def test_the_wrong_type_finds_nothing_and_matches_nothing(api_client, ids):
    assert ask(api_client, "Lavrov", type="country") == []
    assert not any(r["match"] for r in ask(api_client, "Burma", type="person"))


# --- properties -------------------------------------------------------------------------


@pytest.fixture
def namesake(ids):
    """Another Sergei Lavrov, a Ukrainian."""
    ukraine = Country.objects.get(slug="ukraine")
    return PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov-ukraine", nationality=ukraine)


def test_two_namesakes_are_no_match_until_a_nationality_tells_them_apart(api_client, ids, namesake):
    alone = ask(api_client, "Sergei Lavrov", type="person")
    assert [r["score"] for r in alone[:2]] == [100, 100]
    assert not any(r["match"] for r in alone)

    russian = ask(api_client, "Sergei Lavrov", type="person", properties=[{"pid": "nationality", "v": "Russia"}])
    assert russian[0]["id"] == str(ids["sergei-lavrov"]) and russian[0]["match"] is True
    assert rank(russian, namesake.pk) == 2
    assert russian[1]["score"] == 100 - reconciliation.PENALTY

    ukrainian = ask(api_client, "Sergei Lavrov", type="person", properties=[{"pid": "nationality", "v": "UA"}])
    assert ukrainian[0]["id"] == str(namesake.pk) and ukrainian[0]["match"] is True

    by_id = ask(api_client, "Sergei Lavrov", properties=[{"pid": "country", "v": {"id": str(namesake.nationality_id)}}])
    assert by_id[0]["id"] == str(namesake.pk)

    stateless = PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov-of-nowhere")
    with_stateless = ask(api_client, "Sergei Lavrov", properties=[{"pid": "nationality", "v": "Russia"}])
    assert [r["id"] for r in with_stateless[:3]] == [str(ids["sergei-lavrov"]), str(stateless.pk), str(namesake.pk)]
    assert with_stateless[1]["score"] == 100 - reconciliation.MISSING
    assert with_stateless[0]["match"] is False  # the one without a nationality may be him


def test_a_property_raises_a_misspelt_name_and_lowers_the_wrong_one(api_client, ids):
    plain = ask(api_client, "Sergei Lavorv")[0]
    assert plain["id"] == str(ids["sergei-lavrov"])
    raised = ask(api_client, "Sergei Lavorv", properties=[{"pid": "nationality", "v": "Russian Federation"}])[0]
    lowered = ask(api_client, "Sergei Lavorv", properties=[{"pid": "nationality", "v": "Myanmar"}])[0]
    assert raised["score"] == plain["score"] + reconciliation.BONUS
    assert lowered["score"] == plain["score"] - reconciliation.PENALTY


def test_an_event_date_tells_apart_two_events_of_one_name(api_client, ids):
    undated = EventFactory(
        name="Lavrov's visit to Laos (July 2021)", slug="an-undated-visit", date_lower=None, date_upper=None
    )
    earlier = EventFactory(
        name="Lavrov's visit to Laos (July 2021)",
        slug="a-visit-in-2019",
        date_lower="2019-03-01",
        date_upper="2019-03-02",
        date_precision="day",
    )
    query = "Lavrov's visit to Laos (July 2021)"
    real = ids["lavrov-visit-to-laos-2021"]
    in_2021 = ask(api_client, query, type="event", properties=[{"pid": "date", "v": "2021-07"}])
    assert [(r["id"], r["score"]) for r in in_2021[:3]] == [
        (str(real), 100),
        (str(undated.pk), 100 - reconciliation.MISSING),
        (str(earlier.pk), 100 - reconciliation.PENALTY),
    ]
    # The undated one may be the same visit: too close for a match.
    assert not any(r["match"] for r in in_2021)
    in_2019 = ask(api_client, query, type="event", properties=[{"pid": "date", "v": "2019"}])
    assert in_2019[0]["id"] == str(earlier.pk)
    undated.delete()
    assert ask(api_client, query, type="event", properties=[{"pid": "date", "v": "2021-07-07"}])[0]["match"] is True


# --- match ------------------------------------------------------------------------------


def test_match_needs_a_clear_first(api_client, ids):
    exact = ask(api_client, "Vladimir Putin")
    assert exact[0]["match"] is True and not any(r["match"] for r in exact[1:])
    misspelt = ask(api_client, "Sergei Lavorv")
    assert misspelt[0]["id"] == str(ids["sergei-lavrov"])
    assert misspelt[0]["score"] < reconciliation.MATCH_SCORE and misspelt[0]["match"] is False


def test_an_exact_name_of_the_asked_type_matches_even_near_another(api_client, ids):
    """A first candidate 5 points ahead of the next is no match by score; asked with a type,
    being the only exact name makes it one; two exact names never are."""
    candidates = [
        reconciliation.Candidate(1, "A", "country", "", 100.0, exact=True),
        reconciliation.Candidate(2, "B", "country", "", 95.0, exact=False),
    ]
    reconciliation._decide_match(candidates, typed=False)
    assert candidates[0].match is False
    reconciliation._decide_match(candidates, typed=True)
    assert candidates[0].match is True
    both_exact = [
        reconciliation.Candidate(1, "A", "country", "", 100.0, exact=True),
        reconciliation.Candidate(2, "A", "country", "", 100.0, exact=True),
    ]
    reconciliation._decide_match(both_exact, typed=True)
    assert not any(c.match for c in both_exact)


# --- the table ----------------------------------------------------------------------------

# (query, options, expected entity's slug or None for "nothing", the rank it must reach).
# docs/api.md ("Reconciliation") shows this table with the ranks found.
TABLE = [
    ("Sergei Lavrov", {}, "sergei-lavrov", 1),
    ("Lavrov Sergei", {}, "sergei-lavrov", 1),
    ("Сергей Лавров", {}, "sergei-lavrov", 1),
    ("sergey lavrov", {}, "sergei-lavrov", 1),
    ("Sergei Lavorv", {}, "sergei-lavrov", 1),
    ("Lavrov", {"type": "country"}, None, None),
    ("Burma", {}, "myanmar", 1),
    ("Myanmr", {}, "myanmar", 1),
    ("Putin Vladimir", {}, "vladimir-putin", 1),
    ("Vladmir Putin", {}, "vladimir-putin", 1),
    ("Владимир Путин", {}, "vladimir-putin", 1),
    ("Hlaing Min Aung", {}, "min-aung-hlaing", 1),
    ("Sergei Shoygu", {}, "sergei-shoigu", 1),
    ("Komersant", {}, "kommersant", 1),
    ("Коммерсантъ", {}, "kommersant", 1),
    ("The Independent", {"type": "organisation"}, "nezavisimaya-gazeta", 1),
    ("Indonésia", {}, "indonesia", 1),
    ("Russian Federation", {"type": "country"}, "russia", 1),
    ("Yi Wang", {"type": "person"}, "wang-yi", 1),
    ("Patrushev", {"type": "person"}, "nikolai-patrushev", 1),
]


def table_ranks(client, ids) -> list[tuple[str, str, int | None, bool]]:
    queries = {f"q{n}": {"query": query, **options} for n, (query, options, _, _) in enumerate(TABLE)}
    body = reconcile(client, queries)
    found = []
    for n, (query, _, slug, _) in enumerate(TABLE):
        results = body[f"q{n}"]["result"]
        if slug is None:
            found.append((query, "nothing", len(results) or None, any(r["match"] for r in results)))
        else:
            found.append((query, slug, rank(results, ids[slug]), bool(results and results[0]["match"])))
    return found


def test_the_table_of_twenty_queries_ranks_each_entity_where_expected(api_client, ids):
    assert len(TABLE) == 20
    found = table_ranks(api_client, ids)
    assert [(query, at) for query, _, at, _ in found] == [(query, at) for query, _, _, at in TABLE]
    assert [query for query, slug, _, matched in found if slug == "nothing" and matched] == []


def test_a_batch_asks_a_bounded_number_of_queries_per_query(api_client, ids):
    """Each query asks the exact names (2 queries) and the name index (2 each time: its
    size, then its matches) for the text, then, having found almost nothing, for each of the
    two words cut and each word alone: at most 2 + 2 + 8. A query of one word ("sergei",
    "lavorv") also asks which words of the entity word index it matches
    (search.entity_words_of): 2 more. The candidates' rows come in a few queries for the whole
    batch."""
    with CaptureQueriesContext(connection) as one:
        ask(api_client, "Sergei Lavorv")
    with CaptureQueriesContext(connection) as three:
        reconcile(api_client, {f"q{n}": {"query": "Sergei Lavorv"} for n in range(3)})
    assert len(one) <= 12 + 2 + 3
    assert len(three) - len(one) <= 2 * 12, [q["sql"] for q in three.captured_queries]


def test_a_question_repeated_in_a_batch_is_asked_once(api_client, ids):
    """A column repeats its names: the same text, type and properties are looked up and
    scored once for the batch, and each key still gets its own limit."""
    with CaptureQueriesContext(connection) as one:
        alone = ask(api_client, "Sergei Lavorv")
    batch = {f"q{n}": {"query": "Sergei Lavorv"} for n in range(5)}
    batch["q5"] = {"query": "Sergei Lavorv", "limit": 1}
    with CaptureQueriesContext(connection) as repeated:
        body = reconcile(api_client, batch)
    assert len(repeated) == len(one), [q["sql"] for q in repeated.captured_queries]
    assert [body[f"q{n}"]["result"] for n in range(5)] == [alone] * 5
    assert body["q5"]["result"] == alone[:1]
    typed = reconcile(api_client, {"q0": {"query": "Lavrov"}, "q1": {"query": "Lavrov", "type": "country"}})
    assert typed["q0"]["result"] and typed["q1"]["result"] == []


def test_label_bound_is_never_below_the_score():
    labels = ["sergei lavrov", "lavrov", "myanmar", "burma", "min aung hlaing", "a", "maria garcia lopez", "x y z"]
    queries = ["sergei lavorv", "lavrov sergei", "myanmr", "a", "maria", "hlaing min", "z y", "zzzz qqqq"]
    for query in queries:
        for label in labels:
            bound, score = reconciliation.label_bound(query, label), reconciliation.label_score(query, label)
            assert bound >= score, (query, label)
    assert reconciliation.label_bound("myanmr", "burma") < 100.0  # a bound, not a constant


def test_scoring_only_the_candidates_that_can_show_changes_no_answer(fixtures, db):
    """`_ranked` scores exactly only what a key shows and the next candidate (and whoever is
    named exactly the query): the same first candidates, scores and match as scoring all."""
    ids = list(Entity.objects.values_list("pk", flat=True))
    facts = reconciliation._facts(set(ids), with_properties=True)
    for text, options, _, _ in TABLE + [("a", {}, None, None), ("sergei", {}, None, None)]:
        query = reconciliation.Query(text=text, types=[options["type"]] if "type" in options else [])
        query.countries = {"country": set(Country.objects.filter(slug="russia").values_list("pk", flat=True))}
        every = reconciliation._ranked(query, ids, facts, needed=len(ids))
        for limit in (1, 3):
            shown = reconciliation._ranked(query, ids, facts, needed=limit + 1)[:limit]
            assert [(c.id, c.score, c.match) for c in shown] == [(c.id, c.score, c.match) for c in every[:limit]]
        assert len(reconciliation._ranked(query, ids, facts, needed=2)) < len(every) or len(every) <= 2


def test_a_namesake_scored_low_still_keeps_the_match_from_the_first():
    """`match` for a typed query looks at every candidate named exactly the query: one that
    a property sets far down is still scored, however many candidates come before it."""
    text = "abcdefgh ij"
    rows = {pk: {"id": pk, "kind": "person", "name": text, "description": ""} for pk in (1, 2)}
    labels = {1: [text], 2: [text]}
    for pk in range(3, 8):
        rows[pk] = {"id": pk, "kind": "person", "name": "abcdefgh ik", "description": ""}
        labels[pk] = ["abcdefgh ik"]
    countries = {1: 10, 2: 20, **{pk: 10 for pk in range(3, 8)}}
    facts = reconciliation._Facts(rows, labels, countries, {})
    query = reconciliation.Query(text=text, types=["person"], countries={"nationality": {10}})
    ranked = reconciliation._ranked(query, list(rows), facts, needed=2)
    assert [(c.id, c.score, c.exact) for c in ranked[:2]] == [(1, 100.0, True), (3, 95.9, False)]
    assert (2, 85.0) in [(c.id, c.score) for c in ranked]
    assert not ranked[0].match  # the namesake from elsewhere is exact too


# --- suggest and preview ------------------------------------------------------------------


def test_suggest_entities_completes_a_prefix(api_client, ids):
    response = api_client.get(f"{URL}suggest/entity/", {"prefix": "lavr", "type": "person"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    validate("suggest-entities-response.json", body)
    assert [r["id"] for r in body["result"]] == [str(ids["sergei-lavrov"])]
    assert body["result"][0]["notable"] == [{"id": "person", "name": "Person"}]
    every = api_client.get(f"{URL}suggest/entity/", {"prefix": "la"}).json()["result"]
    assert len(every) == 10
    after = api_client.get(f"{URL}suggest/entity/", {"prefix": "la", "cursor": 10}).json()["result"]
    assert after and not {r["id"] for r in after} & {r["id"] for r in every}


def test_suggest_types_and_properties(api_client, db):
    types = api_client.get(f"{URL}suggest/type/", {"prefix": "Per"}).json()
    validate("suggest-types-response.json", types)
    assert types == {"result": [{"id": "person", "name": "Person"}]}
    properties = api_client.get(f"{URL}suggest/property/", {"prefix": "n"}).json()
    validate("suggest-properties-response.json", properties)
    assert [p["id"] for p in properties["result"]] == ["nationality"]


def test_the_preview_is_a_small_escaped_html_card(api_client, db):
    person = PersonFactory(name="<script>alert(1)</script> Lavrov", description='Says "hi" & <b>bye</b>')
    response = api_client.get(f"{URL}preview/", {"id": person.pk}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Lavrov" in html
    assert "&lt;b&gt;bye&lt;/b&gt;" in html and "Person" in html
    assert f'href="http://testserver/api/v1/entities/{person.pk}/"' in html


@pytest.mark.parametrize(
    ("query", "status"), [({}, 400), ({"id": "x"}, 400), ({"id": "0"}, 400), ({"id": 10**12}, 404)]
)
def test_the_preview_refuses_what_is_no_entity(api_client, db, query, status):
    response = api_client.get(f"{URL}preview/", query, HTTP_ACCEPT="text/html")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


# --- bad input ----------------------------------------------------------------------------

BAD_BATCHES = {
    "no queries": None,
    "not JSON": "{q0: nope",
    "not an object": "[1, 2]",
    "empty": "{}",
    "a query that is no object": json.dumps({"q0": "Lavrov"}),
    "no query text": json.dumps({"q0": {"type": "person"}}),
    "an empty query": json.dumps({"q0": {"query": "  "}}),
    "a query that is no text": json.dumps({"q0": {"query": 12}}),
    "a NUL": json.dumps({"q0": {"query": "La\x00vrov"}}),
    "a lone surrogate": '{"q0": {"query": "La\\ud800vrov"}}',
    "a long query": json.dumps({"q0": {"query": "a" * 301}}),
    "an unknown key": json.dumps({"q0": {"query": "Lavrov", "colour": "red"}}),
    "an unknown type": json.dumps({"q0": {"query": "Lavrov", "type": "planet"}}),
    "a type that is no text": json.dumps({"q0": {"query": "Lavrov", "type": [1]}}),
    "a huge limit": json.dumps({"q0": {"query": "Lavrov", "limit": MAX_LIMIT + 1}}),
    "a zero limit": json.dumps({"q0": {"query": "Lavrov", "limit": 0}}),
    "a fractional limit": json.dumps({"q0": {"query": "Lavrov", "limit": 2.5}}),
    "a limit that is text": json.dumps({"q0": {"query": "Lavrov", "limit": "5"}}),
    "properties not a list": json.dumps({"q0": {"query": "Lavrov", "properties": {"pid": "country"}}}),
    "a property without v": json.dumps({"q0": {"query": "Lavrov", "properties": [{"pid": "country"}]}}),
    "an unknown property": json.dumps({"q0": {"query": "Lavrov", "properties": [{"pid": "eyes", "v": "blue"}]}}),
    "a bad date": json.dumps({"q0": {"query": "visit", "properties": [{"pid": "date", "v": "July"}]}}),
    "a value that is a list of lists": json.dumps(
        {"q0": {"query": "x", "properties": [{"pid": "country", "v": [[1]]}]}}
    ),
    "too many queries": json.dumps({f"q{n}": {"query": "Lavrov"} for n in range(MAX_QUERIES + 1)}),
    "too deep": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("raw", BAD_BATCHES.values(), ids=BAD_BATCHES.keys())
def test_bad_batches_get_a_clear_400(api_client, db, raw):
    data = {} if raw is None else {"queries": raw}
    response = api_client.post(URL, data, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["queries"][0]


@pytest.mark.parametrize("body", [[1], "text", {"queries": [1]}, {"queries": 5}, {"q0": {"query": "Lavrov"}}])
def test_bad_json_bodies_get_a_400(api_client, db, body):
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400, response.content


def test_a_body_that_is_not_json_gets_a_400(api_client, db):
    response = api_client.post(URL, b"{nope", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("suggest/entity/", {}),
        ("suggest/entity/", {"prefix": " "}),
        ("suggest/entity/", {"prefix": "a", "type": "planet"}),
        ("suggest/entity/", {"prefix": "a", "cursor": "-1"}),
        ("suggest/entity/", {"prefix": "a", "cursor": "1001"}),
        ("suggest/entity/", {"prefix": "a\x00"}),
        ("suggest/type/", {}),
        ("suggest/property/", {"prefix": "x" * 301}),
    ],
)
def test_bad_suggest_requests_get_a_400(api_client, db, path, query):
    response = api_client.get(URL + path, query)
    assert response.status_code == 400, response.content
