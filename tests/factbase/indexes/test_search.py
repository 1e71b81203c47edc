"""Full-text search (factbase/indexes/search.py): entity names and aliases, claim text. The same
behaviour is required from every backend: FTS5 on SQLite, GIN/tsvector on PostgreSQL, and
the LIKE fallback."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.indexes import claim_facets, entity_names, search
from factbase.models import Alias, Claim, Country, Entity, Person
from factbase.models.claims import ClaimQuerySet
from factbase.services.entities import entity_update
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    PersonFactory,
    SourceSpanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    lavrov = PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov")
    shoigu = PersonFactory(name="Sergei Shoigu", slug="sergei-shoigu")
    myanmar = CountryFactory(name="Myanmar", slug="myanmar")
    AliasFactory(entity=myanmar, name="Burma")
    return lavrov, shoigu, myanmar


@pytest.fixture(params=["list", "walk"])
def entity_reading(request, monkeypatch):
    """Entity search read both ways (factbase/indexes/search.py, `filter_entities`): the
    matches read and sorted, or the list's order walked with each row tested, as a query
    matching more than MANY_MATCHES names is. Both must give the same answers."""
    monkeypatch.setattr(search, "MANY_MATCHES", -1 if request.param == "walk" else 10**9)
    return request.param


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_backend_uses_the_index_of_the_database():
    expected = {"sqlite": "fts5", "postgresql": "postgresql"}[connection.vendor]
    assert search.backend("default") == expected


def test_matching_family_name_finds_person(search_backend, entity_reading, people):
    assert names(Entity.objects.matching("lavrov")) == ["Sergei Lavrov"]


def test_matching_word_prefix_finds_person(search_backend, entity_reading, people):
    assert names(Entity.objects.matching("Lav")) == ["Sergei Lavrov"]


def test_matching_every_word_must_match(search_backend, entity_reading, people):
    assert names(Entity.objects.matching("sergei")) == ["Sergei Lavrov", "Sergei Shoigu"]
    assert names(Entity.objects.matching("sergei sho")) == ["Sergei Shoigu"]


def test_matching_alias_finds_entity(search_backend, entity_reading, people):
    assert names(Entity.objects.matching("Burma")) == ["Myanmar"]


def test_matching_inside_a_word_does_not_match(search_backend, entity_reading, people):
    assert names(Entity.objects.matching("avrov")) == []


def test_matching_on_typed_queryset_keeps_kind(search_backend, entity_reading, people):
    assert names(Person.objects.matching("sergei")) == ["Sergei Lavrov", "Sergei Shoigu"]
    assert names(Person.objects.matching("burma")) == []


def test_matching_follows_renames_and_deleted_aliases(search_backend, entity_reading, people):
    lavrov, _, myanmar = people
    entity_update(entity=lavrov, name="Sergey Lavrov")
    Alias.objects.filter(entity=myanmar).delete()
    assert names(Entity.objects.matching("sergey")) == ["Sergey Lavrov"]
    assert names(Entity.objects.matching("sergei")) == ["Sergei Shoigu"]  # the old name is gone
    assert names(Entity.objects.matching("burma")) == []


def test_matching_punctuation_only_query_matches_substring(search_backend, entity_reading, people):
    AliasFactory(entity=people[2], name="M&M")
    assert names(Entity.objects.matching("&")) == ["Myanmar"]


def test_matching_after_entity_delete_forgets_it(search_backend, entity_reading):
    PersonFactory(name="Nikolai Patrushev", slug="patrushev").delete()
    assert names(Entity.objects.matching("patrushev")) == []


def test_search_finds_claim_by_span_quote(search_backend):
    document = DocumentFactory()
    met = ClaimFactory(spans=[])
    SourceSpanFactory(claim=met, document=document, quote="He met with the leaders")
    ClaimFactory(spans=[])  # no span: not found
    assert list(Claim.objects.search("leaders")) == [met]


def test_search_finds_claim_by_value_and_subject_name(search_backend):
    valued = ClaimFactory(spans=[], value="Su-35 warplanes")
    streltsov = ClaimFactory(spans=[], subject=PersonFactory(name="Dmitry Streltsov", slug="streltsov"))
    assert list(Claim.objects.search("warplanes")) == [valued]
    assert list(Claim.objects.search("streltsov")) == [streltsov]


def test_search_requires_every_word(search_backend):
    document = DocumentFactory()
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov visited Indonesia")
    assert list(Claim.objects.search("lavrov indonesia")) == [claim]
    assert list(Claim.objects.search("lavrov brunei")) == []


def test_search_without_words_finds_nothing(search_backend):
    ClaimFactory()
    assert list(Claim.objects.search("  ?! ")) == []


def test_search_composes_with_other_filters(search_backend):
    document = DocumentFactory()
    published = ClaimFactory(published=True, spans=[])
    SourceSpanFactory(claim=published, document=document, quote="Sergei Lavrov visited Indonesia")
    draft = ClaimFactory(spans=[])
    SourceSpanFactory(claim=draft, document=document, quote="Sergei Lavrov visited Indonesia")
    assert list(Claim.objects.published().search("visited")) == [published]
    assert list(Claim.objects.search("visited").order_by("-id")) == [draft, published]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers exist on SQLite only")
def test_restore_puts_back_dropped_triggers_and_reindexes(people):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {entity_names.ENTITY_FTS}_ai")
    PersonFactory(name="Maria Zakharova", slug="zakharova")
    assert names(Entity.objects.matching("zakharova")) == []  # stale without its trigger
    entity_names.INDEX.restore(connection)
    assert names(Entity.objects.matching("zakharova")) == ["Maria Zakharova"]
    PersonFactory(name="Dmitry Peskov", slug="peskov")
    assert names(Entity.objects.matching("peskov")) == ["Dmitry Peskov"]


def test_matching_in_a_list_order_walked_or_sorted(search_backend, entity_reading, people):
    AliasFactory(entity=people[1], name="Sergei Kuzhugetovich Shoigu")
    assert list(Person.objects.matching("ser").order_by("name", "id").values_list("name", flat=True)) == [
        "Sergei Lavrov",
        "Sergei Shoigu",
    ]
    assert list(Entity.objects.matching("s").order_by("-name", "id").values_list("name", flat=True)) == [
        "Sergei Shoigu",
        "Sergei Lavrov",
    ]
    assert Person.objects.matching("kuzhu").count() == 1
    assert list(Person.objects.matching("myanmar")) == []


WALKED = "+ 0) IN" if connection.vendor == "sqlite" else "to_tsvector('simple'::regconfig, \"factbase_entity\""


def test_many_matches_are_walked_and_few_are_read(people, monkeypatch):
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    assert WALKED in str(Person.objects.matching("sergei").query)  # a test of each row
    monkeypatch.setattr(search, "MANY_MATCHES", 10**9)
    assert WALKED not in str(Person.objects.matching("sergei").query)  # the matches read


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text tables")
def test_a_typed_walk_reads_the_matches_within_its_tables_ids(monkeypatch):
    """A typed list's walk reads only the name and alias matches between its table's smallest
    and largest id, by rowid in the full-text table (entity_names.SQLITE_TYPED_BOUNDS), with
    the answers of the whole lists when the kinds' ids interleave."""
    made = []
    for i in range(3):
        made.append(PersonFactory(name=f"Sergei Person {i}"))
        made.append(CountryFactory(name=f"Sergeia Country {i}"))
    AliasFactory(entity=made[1], name="Sergeyland")
    AliasFactory(entity=made[2], name="Sergeyev")
    monkeypatch.setattr(search, "MANY_MATCHES", 10**9)
    read = {model: list(model.objects.matching("serg").values_list("pk", flat=True)) for model in (Person, Country)}
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    for model in (Person, Country):
        walked = model.objects.matching("serg").values("pk")
        assert list(walked.values_list("pk", flat=True)) == read[model]
        sql, params = walked.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "factbase_entity_fts VIRTUAL TABLE INDEX 0:M1><" in plan, plan  # bounded by rowid
    assert read[Person] == [made[0].pk, made[2].pk, made[4].pk]
    assert read[Country] == [made[1].pk, made[3].pk, made[5].pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite counts the matches; PostgreSQL estimates them")
def test_the_number_of_matches_decides(people, monkeypatch):
    monkeypatch.setattr(search, "MANY_MATCHES", 1)
    assert search._many_entities("sergei", "default")  # two names
    assert not search._many_entities("burma", "default")  # one alias


def test_words_and_fts5_query_quote_every_word():
    assert search.words("Su-35, “U.S.” foo_bar") == ["su", "35", "u", "s", "foo", "bar"]
    assert search.fts5_query('Lav "OR" x') == '"lav"* "or"* "x"*'


def test_first_ids_matching_is_matching_sliced_in_name_order(search_backend, entity_reading, people):
    """The reconciliation service's look-up reads in one statement what `matching(q)` sliced
    answers, on the index read both ways and on the LIKE fallback."""
    lavrov, shoigu, myanmar = people
    AliasFactory(entity=lavrov, name="Sergueï Lavrov")
    for name in ("Sergei Aksyonov", "Anna Sergeeva", "Sergei Burma"):
        PersonFactory(name=name)
    CountryFactory(name="Serbia")
    for q, kinds in [
        ("sergei", []),
        ("serg", ["person"]),
        ("se", []),
        ("se", ["country"]),
        ("burma", []),
        ("burma", ["person"]),
        ("lavrov sergueï", []),
        ("nothing", []),
    ]:
        entities = Entity.objects.filter(kind__in=kinds) if kinds else Entity.objects.all()
        expected = list(entities.matching(q).values_list("pk", flat=True))
        assert bool(expected) == (q != "nothing"), q
        assert Entity.objects.first_ids_matching(q, kinds=kinds, limit=50) == expected, (q, kinds)
        assert Entity.objects.first_ids_matching(q, kinds=kinds, limit=2) == expected[:2], (q, kinds)
        assert Entity.objects.first_ids_matching(q, kinds=kinds, limit=2, offset=1) == expected[1:3], (q, kinds)


def test_first_ids_matching_deep_reads_the_match_lists(people, monkeypatch):
    """Past PROBED_ROWS the walk reads the match lists, with the same answers."""
    for name in ("Sergei Aksyonov", "Anna Sergeeva", "Sergei Burma"):
        PersonFactory(name=name)
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    expected = list(Entity.objects.matching("s").values_list("pk", flat=True))
    assert len(expected) >= 4
    shallow = Entity.objects.first_ids_matching("s", limit=2, offset=1)
    monkeypatch.setattr(search, "PROBED_ROWS", 0)
    assert Entity.objects.first_ids_matching("s", limit=2, offset=1) == shallow == expected[1:3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite probes its name tables")
def test_first_ids_matching_probes_only_the_words_the_prefix_indexes_hold(people, monkeypatch):
    """A probe for a word longer than the prefix indexes' merges the lists of every word it
    starts, probe after probe: such a word reads the match lists, with the same answers."""
    for name in ("Sergei Aksyonov", "Anna Sergeeva", "Sergei Burma"):
        PersonFactory(name=name)
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    for q, probed in (("se", True), ("serg", False), ("se serg", False)):
        expected = list(Entity.objects.matching(q).values_list("pk", flat=True))
        assert len(expected) >= 3, q
        with CaptureQueriesContext(connection) as queries:
            assert Entity.objects.first_ids_matching(q, limit=2) == expected[:2], q
        assert any("f.rowid = e.id" in query["sql"] for query in queries.captured_queries) == probed, q


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text values table is PostgreSQL's")
def test_a_search_count_asks_each_prefix_as_the_words_it_matches_of_every_status(monkeypatch):
    # PostgreSQL's capped count asks a prefix term as the words it matches, read from the
    # claim text values table; those words must be every claim's, whatever its status, so
    # that the count of every status (a reviewer's) and of one are the prefix term's own.
    quotes = {
        "published": "The frigates sailed at dawn",
        "draft": "A frigate's captain said it sailed",
        "in_review": "Frigatebirds sailed over the port",
        "rejected": "O'Frigate sailed; a back\\slash",
    }
    document = DocumentFactory(text=" ".join(quotes.values()))
    for status, quote in quotes.items():
        claim = ClaimFactory(spans=[], status=status)
        SourceSpanFactory(claim=claim, document=document, quote=quote)
    with connection.cursor() as cursor:
        exact = search._exact_query(cursor, "frigate sailed")
    assert exact is not None and "frigates" in exact and "frigatebirds" in exact and "':*" not in exact, exact
    for status in (None, *quotes):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM factbase_claim_text WHERE document @@ to_tsquery('simple', %s)"
                + ("" if status is None else " AND status = %s"),
                [search.pg_tsquery("frigate sailed")] + ([] if status is None else [status]),
            )
            expected = cursor.fetchone()[0]
        assert search.pg_capped_count("default", "frigate sailed", status, cap=10) == expected, status
    assert search.pg_capped_count("default", "frigate sailed", cap=10) == 4
    # More words than EXACT_WORDS, none, or a short prefix: the prefix term as it is.
    with connection.cursor() as cursor:
        assert search._exact_query(cursor, "zzyzxq") is None
        assert search._exact_query(cursor, "fr") is None
    monkeypatch.setattr(search, "EXACT_WORDS", 1)
    with connection.cursor() as cursor:
        assert search._exact_query(cursor, "frigate") is None
    assert search.pg_capped_count("default", "frigate", cap=10) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a tsquery's text")
def test_a_word_quoted_for_a_tsquery_is_read_back_as_itself():
    words = ["it's", "back\\slash", "''", "\\'", "plain"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(w ORDER BY n) FROM unnest(%s::text[]) WITH ORDINALITY AS q(t, n), "
            "LATERAL (SELECT (regexp_match(t::tsquery::text, '^''(.*)''$'))[1]) AS r(w)",
            [[search._tsquery_word(word) for word in words]],
        )
        shown = cursor.fetchone()[0]
    # tsquery's output doubles a quote and a backslash inside its quotes.
    assert [word.replace("'", "''").replace("\\", "\\\\") for word in words] == shown


def _statuses_claims() -> None:
    """Claims of every status, some matching `frigate` (a word, exact) and `frig` (a prefix)."""
    for value, status in [
        ("frigate sailed", "published"),
        ("the frigate", "published"),
        ("frigate captain", "draft"),
        ("frigates in port", "in_review"),
        ("a frigate's mast", "rejected"),
        ("sailed at dawn", "published"),
    ]:
        ClaimFactory(value=value, status=status)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_bitmap_plan_is_told_from_a_scan_in_table_order():
    _statuses_claims()
    sql = "SELECT count(*) FROM factbase_claim_text WHERE document @@ to_tsquery('simple'::regconfig, %s)"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert search._bitmap_planned(cursor, sql, ["frigate"])
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        assert not search._bitmap_planned(cursor, sql, ["frigate"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim facet index is PostgreSQL's")
def test_a_capped_count_of_exact_words_planned_by_its_index_is_read_from_the_claim_facet_index(monkeypatch):
    # The same matches as the claim text table's, each status asked by its code there.
    _statuses_claims()
    asked = [
        (q, status)
        for q in ("frigate", "frigate sailed", "frig", "fr", "zzyzxq")
        for status in (None, "published", "draft", "rejected")
    ]

    def answers() -> tuple[dict, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            found = {
                (q, status): (
                    search.pg_capped_count("default", q, status, cap=10),
                    sorted(search.pg_capped_ids("default", q, status, cap=10)),
                )
                for q, status in asked
            }
        return found, [query["sql"] for query in captured.captured_queries]

    monkeypatch.setattr(search, "_bitmap_planned", lambda cursor, sql, params: False)
    from_text, statements = answers()
    assert not any("factbase_claim_facets" in sql for sql in statements)
    assert from_text[("frigate", None)][0] == 5 and from_text[("frigate", "published")][0] == 2
    assert from_text[("frigate", "draft")][0] == 1 and from_text[("frigate sailed", None)][0] == 1
    assert from_text[("fr", None)][0] == 5

    monkeypatch.setattr(search, "_bitmap_planned", lambda cursor, sql, params: True)
    from_facets, statements = answers()
    assert from_facets == from_text
    read = [
        sql for sql in statements if sql.startswith("SELECT count(*) FROM (SELECT claim_id FROM factbase_claim_facets ")
    ]
    # Each asked word is exact but `fr`, too short a prefix, and `zzyzxq`, which matches no
    # word: asked as they stand, on the claim text table.
    assert len(read) == 12, statements
    assert all(f"WHERE {claim_facets.DOCUMENT} @@ '" in sql and "'::tsquery" in sql for sql in read), read


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table is PostgreSQL's")
def test_a_claim_searchs_text_search_is_found_once_for_a_queryset(monkeypatch):
    found = []
    original = ClaimQuerySet._found_narrowed_text_search

    def counted(self):
        found.append(self)
        return original(self)

    monkeypatch.setattr(ClaimQuerySet, "_found_narrowed_text_search", counted)
    searched = Claim.objects.search("frigate")
    assert searched.text_search() == searched.text_search() == ("frigate", None)
    assert searched.narrowed_text_search() == ("frigate", None, ())
    assert len(found) == 1
    assert searched.all().text_search() == ("frigate", None) and len(found) == 2  # a clone asks again
    narrowed = searched.filter(modality="planned")
    assert narrowed.text_search() is None and narrowed.narrowed_text_search()[2] == (("modality", "planned"),)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the facet tokens are SQLite's claim text index's")
def test_a_joined_search_narrowed_to_a_predicate_by_its_slug_asks_that_predicates_token():
    """The predicate's token is read from its row by the slug: a slug that no predicate has
    (one deleted since the filter checked it) matches no claim, where an empty token was an
    FTS5 syntax error."""
    claim = ClaimFactory(value="frigate")
    searched = Claim.objects.search_joined("frigate")
    slug = claim.predicate.slug
    assert list(search.joined_holding_each(searched, [(search.PREDICATE_SLUG, slug)])) == [claim]
    assert list(search.joined_holding_each(searched, [(search.PREDICATE_SLUG, "no-such-predicate")])) == []
    other = ClaimFactory(value="frigate", modality="planned")
    assert list(search.joined_holding_each(searched, [("modality", "planned")])) == [other]
    assert list(search.joined_holding_each(Claim.objects.all(), [(search.PREDICATE_SLUG, "x")])) == [claim, other]
