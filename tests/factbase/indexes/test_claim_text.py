"""The claim text index (factbase/indexes/claim_text.py): one document per claim, kept in step with
its spans, value, subject and the subject's names by triggers, on SQLite and PostgreSQL.
Every behaviour runs on the index and on the LIKE fallback, which must agree."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from factbase import indexes
from factbase.indexes import claim_dates, claim_text, search
from factbase.indexes.new_claims import new_claims
from factbase.models import Claim, SourceSpan
from factbase.services.entities import alias_add, entity_merge, entity_update
from tests.factories import AliasFactory, ClaimFactory, DocumentFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return DocumentFactory()


def found(q):
    return list(Claim.objects.search(q).order_by("pk"))


def test_the_index_exists_on_this_database():
    assert claim_text.ready(connection)
    assert search.claim_ids_sql("lavrov", "default") is not None


def test_words_may_fall_in_different_parts_of_a_claim(search_backend, document):
    lavrov = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    claim = ClaimFactory(subject=lavrov, spans=[], value="")
    SourceSpanFactory(claim=claim, document=document, quote="He met with the leaders")
    other = ClaimFactory(spans=[])
    SourceSpanFactory(claim=other, document=document, quote="He met with the leaders")
    assert found("lavrov leaders") == [claim]
    assert found("lavrov indonesia") == []  # no part of the claim says Indonesia


def test_words_may_come_from_two_spans(search_backend, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    SourceSpanFactory(claim=claim, document=document, quote="foreign ministers")
    assert found("indonesia ministers") == [claim]


def test_follows_span_changes(search_backend, document):
    claim = ClaimFactory(spans=[])
    span = SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    assert found("indonesia") == [claim]
    SourceSpan.objects.filter(pk=span.pk).update(exact="visited Laos")
    assert found("indonesia") == []
    assert found("laos") == [claim]
    span.delete()
    assert found("laos") == []


def test_follows_a_span_moving_to_another_claim(search_backend, document):
    first, second = ClaimFactory(spans=[]), ClaimFactory(spans=[])
    span = SourceSpanFactory(claim=first, document=document, quote="visited Indonesia")
    SourceSpan.objects.filter(pk=span.pk).update(claim=second)
    assert found("indonesia") == [second]


def test_follows_value_and_subject_changes(search_backend):
    claim = ClaimFactory(spans=[], value="Su-35 warplanes")
    assert found("warplanes") == [claim]
    Claim.objects.filter(pk=claim.pk).update(value="corvettes")
    assert found("warplanes") == []
    assert found("corvettes") == [claim]
    Claim.objects.filter(pk=claim.pk).update(subject=PersonFactory(name="Dmitry Streltsov", slug="streltsov"))
    assert found("streltsov corvettes") == [claim]


def test_follows_subject_renames_and_aliases(search_backend):
    person = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    claim = ClaimFactory(subject=person, spans=[])
    entity_update(entity=person, name="Sergey Lavrov")
    assert found("sergey") == [claim]
    assert found("sergei") == []
    alias = alias_add(entity=person, name="Lavrov S. V.")
    assert found("sergei") == []
    alias.name = "Sergei Viktorovich Lavrov"
    alias.save()
    assert found("viktorovich") == [claim]
    alias.delete()
    assert found("viktorovich") == []


def test_follows_merges(search_backend):
    survivor = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    loser = PersonFactory(name="S. Lavrov", slug="s-lavrov")
    AliasFactory(entity=loser, name="Minister Lavrov")
    claim = ClaimFactory(subject=loser, spans=[])
    entity_merge(survivor=survivor, loser=loser)
    # The claim now speaks of the survivor, whose aliases include the loser's names.
    assert found("sergei") == [claim]
    assert found("minister") == [claim]


def test_forgets_deleted_claims(search_backend, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    claim.delete()
    assert found("indonesia") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite triggers are the ones suspended for migrations")
def test_migrate_suspends_and_restores_the_sqlite_triggers(document):
    claim = ClaimFactory(spans=[])
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    assert found("indonesia") == []  # not kept in step while suspended
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate repairs
    assert found("indonesia") == [claim]
    other = ClaimFactory(spans=[])
    SourceSpanFactory(claim=other, document=document, quote="visited Indonesia")
    assert found("indonesia") == [claim, other]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table rebuild is what the suspension is for")
@pytest.mark.django_db(transaction=True)
def test_sqlite_table_rebuild_needs_the_suspension():
    """Django's SQLite schema editor rebuilds a table by copy, drop and rename; with the
    cross-table triggers present SQLite refuses the rename. Suspended, it goes through."""
    with pytest.raises(OperationalError, match="error in trigger"), connection.schema_editor() as editor:
        editor._remake_table(Claim)  # rolled back with the schema editor's transaction
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Claim)
    indexes.after_migrate(sender=None)  # as post_migrate does: every index's triggers back
    claim = ClaimFactory(spans=[], value="corvettes")
    assert found("corvettes") == [claim]


def test_rebuild_writes_what_the_triggers_wrote(document):
    claims = [ClaimFactory(spans=[], value=f"value {n}") for n in range(3)]
    SourceSpanFactory(claim=claims[0], document=document, quote="visited Indonesia")
    before = {q: found(q) for q in ("indonesia", "value", "lavrov")}
    assert before["indonesia"] == [claims[0]] and len(before["value"]) == 3
    with connection.cursor() as cursor:  # empty the index: only the rebuild can fill it again
        cursor.execute(f"DELETE FROM {claim_text.FTS if connection.vendor == 'sqlite' else claim_text.TABLE}")
    assert found("indonesia") == []
    claim_text.INDEX.rebuild(connection)
    assert {q: found(q) for q in before} == before


@pytest.fixture
def searchable(document):
    """Claims whose text matches "leaders" in several ways, and some that do not."""
    lavrov = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    made = []
    for n in range(9):
        claim = ClaimFactory(spans=[], subject=lavrov if n % 3 == 0 else PersonFactory(), published=n % 2 == 0)
        quote = "He met with the leaders" if n % 4 != 1 else "visited Indonesia"
        SourceSpanFactory(claim=claim, document=document, quote=quote)
        made.append(claim)
    return made


@pytest.mark.parametrize("q", ["leaders", "lavrov", "lavrov leaders", "indonesia", "nothing"])
def test_joined_search_answers_as_search_does(searchable, q):
    """search_joined (the API's lists: the index joined, read in its own order) finds what
    search (an IN list) finds, narrowed, reordered, counted and walked by id."""
    plain, joined = Claim.objects.search(q), Claim.objects.search_joined(q)
    assert list(joined) == list(plain.order_by("pk"))
    assert joined.count() == plain.count()
    assert list(joined.filter(status="published")) == list(plain.filter(status="published").order_by("pk"))
    assert list(joined.order_by("-created", "-pk")) == list(plain.order_by("-created", "-pk"))
    middle = searchable[4].pk
    assert list(joined.order_by("pk").filter(pk__gt=middle)) == list(plain.filter(pk__gt=middle).order_by("pk"))
    assert list(joined.values_list("pk", flat=True)[:3]) == list(plain.order_by("pk").values_list("pk", flat=True)[:3])
    assert list(joined.order_by("pk").after(middle)) == list(plain.order_by("pk").after(middle))
    assert list(joined.values_list("pk", flat=True).after(middle)) == list(
        plain.filter(pk__gt=middle).order_by("pk").values_list("pk", flat=True)
    )


def test_api_search_pages_and_cursor_walk_agree_with_search(api_client, searchable):
    expected = list(Claim.objects.published().search("leaders").order_by("pk").values_list("pk", flat=True))
    assert len(expected) >= 3
    pages = api_client.get("/api/v1/claims/", {"q": "leaders", "page_size": 2})
    first = pages.json()
    assert first["count"] == len(expected)
    walked, url, params = [], "/api/v1/claims/", {"q": "leaders", "page_size": 2, "cursor": ""}
    while url:
        body = api_client.get(url, params).json()
        walked += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert walked == expected
    assert [row["id"] for row in first["results"]] == expected[:2]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the join is SQLite's (FTS5) shape")
def test_joined_search_in_id_order_reads_the_index_in_its_own_order():
    """Ordered by id, the SQL orders by the index's rowid, which SQLite reads without a sort
    (ordering by the claim's id instead made it collect and sort every match)."""
    for queryset in (Claim.objects.search_joined("leaders"), Claim.objects.search_joined("leaders").order_by("pk")):
        sql, params = queryset.query.sql_with_params()
        assert sql.endswith(f'ORDER BY ("{claim_text.FTS}".rowid) ASC')
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "TEMP B-TREE" not in plan
    sql, params = Claim.objects.search_joined("leaders").order_by("pk").after(5).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # MATCH on the whole index (FTS5 numbers it after the last column), and a rowid bound: it
    # seeks past the position.
    columns = len(claim_text.SQLITE_COLUMNS.split(","))
    assert f":M{columns}>" in plan, plan
    reordered = str(Claim.objects.search_joined("leaders").order_by("-created").query)
    assert "rowid) ASC" not in reordered


def counted(queryset, cap):
    """capped_count of `queryset`, and whether it read the claims table."""
    with CaptureQueriesContext(connection) as queries:
        number = queryset.capped_count(cap)
    return number, any('"factbase_claim"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("q", ["leaders", "lavrov", "indonesia", "nothing"])
def test_capped_count_of_a_search_counts_what_the_search_finds(searchable, q):
    """A search of every claim, or of the published ones, is counted from the claim text
    table alone on PostgreSQL; narrowed further, it is counted as it stands. Either way the
    number is the search's, up to the cap and one more."""
    postgresql = connection.vendor == "postgresql"
    for queryset in (Claim.objects.all(), Claim.objects.published()):
        joined = queryset.search_joined(q)
        for cap in (1, 2, 100):
            assert counted(joined, cap) == (min(joined.count(), cap + 1), not postgresql)
            assert counted(joined.order_by("pk").values("pk"), cap)[0] == min(joined.count(), cap + 1)
        narrowed = joined.filter(subject__slug="lavrov")
        assert counted(narrowed, 100) == (narrowed.count(), True)
    assert counted(Claim.objects.filter(status="draft").search_joined(q), 100)[1]


def test_capped_count_follows_status_changes(searchable):
    published = Claim.objects.published().search_joined("leaders")
    before = published.capped_count(100)
    assert before == published.count() > 0
    draft = Claim.objects.exclude(status="published").filter(pk__in=Claim.objects.search("leaders")).first()
    Claim.objects.filter(pk=draft.pk).update(status="published")
    assert published.capped_count(100) == published.count() == before + 1
    Claim.objects.filter(pk=draft.pk).update(status="rejected")
    assert published.capped_count(100) == published.count() == before


def _undated_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT claim_id, entity_id FROM {claim_dates.UNDATED} ORDER BY claim_id, entity_id")  # noqa: S608
        return cursor.fetchall()


def test_new_claims_indexes_the_batch_once_and_then_leaves_writes_to_the_triggers(document):
    """The importer's batch (`new_claims`): what the insert triggers skip inside it (PostgreSQL)
    or lose (SQLite) is written at its end, for the claims `ids()` names, and the claim text
    and undated claims then hold what a rebuild writes. After it the triggers index again."""
    inside = []
    with transaction.atomic(), new_claims(connection, lambda: [claim.pk for claim in inside]):
        inside.append(ClaimFactory(spans=[], value="batched"))
        SourceSpanFactory(claim=inside[0], document=document, quote="Sergei Lavrov visited Indonesia")
    assert found("batched") == found("indonesia") == inside
    after = ClaimFactory(spans=[], value="afterwards")
    SourceSpanFactory(claim=after, document=document, quote="He met with the leaders")
    assert found("afterwards") == found("leaders") == [after]
    assert {row[0] for row in _undated_rows()} == {inside[0].pk, after.pk}
    written, undated = {q: found(q) for q in ("batched", "indonesia", "leaders")}, _undated_rows()
    claim_text.INDEX.rebuild(connection)
    claim_dates.INDEX.rebuild(connection)
    assert ({q: found(q) for q in written}, _undated_rows()) == (written, undated)


# --- the claim columns the PostgreSQL text table repeats -----------------------------------


def _repeated_out_of_step() -> list:
    """The claims whose row in the PostgreSQL claim text table does not repeat their columns
    (claim_text.REPEATED) as they stand, or that have no row there."""
    columns = list(claim_text.REPEATED)
    differ = " OR ".join(f"t.{column} IS DISTINCT FROM c.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM factbase_claim c LEFT JOIN {claim_text.TABLE} t ON t.claim_id = c.id "  # noqa: S608
            f"WHERE t.claim_id IS NULL OR {differ} ORDER BY c.id"
        )
        return [row[0] for row in cursor.fetchall()]


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the text table repeats them there")


def _changes():
    """(column, the new value's maker) for every column the text table repeats."""
    from factbase.models import Fact
    from tests.factories import OrganisationFactory, PredicateFactory

    return {
        "status": lambda: "published",
        "subject_kind": lambda: "organisation",
        "attribution": lambda: "reports",
        "modality": lambda: "planned",
        "polarity": lambda: "negated",
        "predicate_id": lambda: PredicateFactory(slug="chairs").pk,
        "fact_id": lambda: Fact.objects.create().pk,
        "subject_id": lambda: OrganisationFactory().pk,  # the subject's kind with it
    }


def _claim_with_text(document):
    """A draft claim with a value and a span, whose text answers "indonesia warplanes"."""
    claim = ClaimFactory(spans=[], value="warplanes", status="draft", attribution="states")
    SourceSpanFactory(claim=claim, document=document, quote="Sergei Lavrov visited Indonesia")
    return claim


def _change(claim, column: str, path: str) -> None:
    """`column` of `claim` changed to its next value (`_changes`) by a model save ("save"), a
    queryset update ("update") or plain SQL ("sql")."""
    value = _changes()[column]()
    if path == "save":
        setattr(claim, column, value)
        claim.save()
    elif path == "update":
        Claim.objects.filter(pk=claim.pk).update(**{column: value})
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE factbase_claim SET {column} = %s WHERE id = %s", [value, claim.pk])  # noqa: S608
    assert Claim.objects.filter(pk=claim.pk).values_list(column, flat=True).get() == value


@postgresql_only
@pytest.mark.parametrize(
    ("column", "path"),
    # A save derives the subject's kind from the subject (the subject_id case changes it).
    [
        (column, path)
        for column in _changes()
        for path in ("save", "update", "sql")
        if (column, path) != ("subject_kind", "save")
    ],
)
def test_the_repeated_columns_follow_each_change(document, column, path):
    """Each repeated column (and the subject, which sets the subject's kind), changed by a
    model save, a queryset update or plain SQL, is repeated in the text table at once; the
    document stands unless the text changed."""
    claim = _claim_with_text(document)
    assert _repeated_out_of_step() == []
    _change(claim, column, path)
    assert _repeated_out_of_step() == []
    assert found("indonesia warplanes") == [claim]


@postgresql_only
def test_the_repeated_columns_follow_regrouping_merges_and_the_import_batch(reviewer, document):
    from factbase.services.claims import claim_create
    from factbase.services.facts import fact_split
    from tests.factories import CountryFactory, PredicateFactory

    survivor, loser, indonesia, visited = PersonFactory(), PersonFactory(), CountryFactory(), PredicateFactory()
    spans = [{"document": document, "exact": "Sergei Lavrov visited Indonesia"}]
    grouped = [claim_create(subject=loser, predicate=visited, object=indonesia, spans=spans) for _ in range(2)]
    assert grouped[0].fact_id == grouped[1].fact_id is not None  # grouped on write
    assert _repeated_out_of_step() == []
    fact_split(fact=grouped[0].fact, claim=grouped[1], by=reviewer)
    assert len(set(Claim.objects.filter(pk__in=[c.pk for c in grouped]).values_list("fact_id", flat=True))) == 2
    assert _repeated_out_of_step() == []
    entity_merge(survivor=survivor, loser=loser)
    inside = []
    with transaction.atomic(), new_claims(connection, lambda: [claim.pk for claim in inside]):
        inside.append(ClaimFactory(spans=[], value="batched", status="published"))
        Claim.objects.filter(pk=inside[0].pk).update(polarity="negated")  # inside the batch, before its refresh
    assert _repeated_out_of_step() == []


# --- the facet tokens of SQLite's text table -------------------------------------------------


def _tokens_out_of_step() -> list:
    """The claims whose document in SQLite's claim text table does not hold the tokens of
    their facet columns (claim_text.TOKENIZED) as they stand, or that have no document."""
    columns = ", ".join(claim_text.TOKENIZED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM factbase_claim ORDER BY id")  # noqa: S608 - constants
        claims = cursor.fetchall()
        cursor.execute(f"SELECT rowid, facets FROM {claim_text.FTS}")  # noqa: S608 - constant
        documents = dict(cursor.fetchall())
    return [
        pk
        for pk, *values in claims
        if documents.get(pk) is None
        or sorted(documents[pk].split())
        != sorted(claim_text.facet_token(column, value) for column, value in zip(claim_text.TOKENIZED, values))
    ]


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the facet tokens are SQLite's")


@sqlite_only
@pytest.mark.parametrize(
    ("column", "path"),
    [
        (column, path)
        for column in (*claim_text.TOKENIZED, "subject_id")
        for path in ("save", "update", "sql")
        if (column, path) != ("subject_kind", "save")
    ],
)
def test_the_facet_tokens_follow_each_change(document, column, path):
    """Each tokenized column (and the subject, which sets the subject's kind), changed by a
    model save, a queryset update or plain SQL, has its token in the claim's document at once,
    and the document still answers its words."""
    claim = _claim_with_text(document)
    assert _tokens_out_of_step() == []
    _change(claim, column, path)
    assert _tokens_out_of_step() == []
    assert found("indonesia warplanes") == [claim]


@sqlite_only
def test_the_facet_tokens_follow_the_import_batch_and_a_rebuild(document):
    inside = []
    with transaction.atomic(), new_claims(connection, lambda: [claim.pk for claim in inside]):
        inside.append(ClaimFactory(spans=[], value="batched", status="published"))
        Claim.objects.filter(pk=inside[0].pk).update(polarity="negated")  # inside the batch, before its refresh
    assert _tokens_out_of_step() == []
    claim_text.INDEX.rebuild(connection)
    assert _tokens_out_of_step() == []


def test_no_word_of_a_query_finds_a_facet_token(document):
    """A claim's facet values are no words of its text: the tokens start with a mark that no
    query word holds, so even a one-letter prefix never reaches them."""
    lavrov = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(
        subject=lavrov, spans=[], value="", modality="planned", polarity="negated", attribution="opines"
    )
    SourceSpanFactory(claim=claim, document=document, quote="Laos")
    assert found("laos") == [claim]
    for q in ("planned", "negated", "opines", "mplanned", "onegated", "modality", "p", "o", "n", claim_text.FACET_MARK):
        assert claim not in found(q), q


def test_every_facet_value_is_one_token():
    """A value with a separator (an underscore, a space) would split its token in two."""
    from factbase.models import Claim as Model

    for column in claim_text.TOKENIZED:
        field = Model._meta.get_field(column)
        for value, _ in field.choices or ():
            assert value.isalnum() and value.isascii(), (column, value)


def _walk_sql(queryset) -> str:
    from factbase.indexes import counts

    with CaptureQueriesContext(connection) as queries:
        counts.walked_counts(queryset, ["predicate_id", "status", "modality"], 10, "default", last=True)
    (walk,) = [query["sql"] for query in queries.captured_queries if "walked" in query["sql"]]
    return walk


@sqlite_only
def test_a_searchs_facet_walk_reads_the_claims_facet_columns_from_their_own_index(document):
    """The walks of a search's facets look each match up in the covering index of the facet
    columns, when every claim column they name is there, and count as the claim rows do."""
    from factbase.indexes import counts

    made = [ClaimFactory(spans=[], value="warplanes", status=status) for status in ("published", "draft", "published")]
    ClaimFactory(spans=[], value="corvettes", status="published")
    searched = search.join_claims(Claim.objects.filter(status="published"), "warplanes")
    assert claim_text.cover_ready(connection)
    assert f"INDEXED BY {claim_text.SQLITE_COVER}" in _walk_sql(searched)
    by_subject = searched.filter(subject=made[0].subject)  # a column the index does not hold
    assert "INDEXED BY" not in _walk_sql(by_subject)
    walked, held, last = counts.walked_counts(searched, ["predicate_id", "status"], 10, "default", last=True)
    assert (walked, last) == (2, made[2].pk)
    predicates = Counter(str(claim.predicate_id) for claim in (made[0], made[2]))
    assert held == [dict(predicates), {"published": 2}]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_facet_columns_index_is_put_back_after_a_table_rebuild():
    """Not a model index: Django's SQLite table rebuild drops it, post_migrate puts it back;
    until then `check` reports it and the walks read the claim rows."""
    claim = ClaimFactory(spans=[], value="warplanes", status="published")
    indexes.before_migrate(sender=None, using="default", plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Claim)
    claim_text.forget()
    assert f"index {claim_text.SQLITE_COVER}" in indexes.check(connection)["claim-text"]
    searched = search.join_claims(Claim.objects.filter(status="published"), "warplanes")
    assert "INDEXED BY" not in _walk_sql(searched)
    indexes.after_migrate(sender=None)
    assert indexes.check(connection)["claim-text"] == []
    assert f"INDEXED BY {claim_text.SQLITE_COVER}" in _walk_sql(searched)
    assert list(searched) == [claim]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the claim text table's btree by fact is PostgreSQL's")
def test_the_btree_by_fact_is_checked_and_put_back_by_a_rebuild():
    """A walk of the facts asks the claim text table by fact (search.TextRows.of_fact): without
    the btree it reads the whole table for each fact, so `check` reports it missing and a
    rebuild (`manage.py indexes rebuild`) makes it again."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {claim_text.PG_FACT_INDEX}")
    assert indexes.check(connection)["claim-text"] == [f"index {claim_text.PG_FACT_INDEX}"]
    call_command("indexes", "rebuild", stdout=StringIO())
    assert indexes.check(connection)["claim-text"] == []


@pytest.mark.parametrize("narrowed", [{"held": (("status", "published"),)}, {"after": 10}])
def test_a_walk_by_fact_refuses_rows_narrowed_by_values_or_position(narrowed):
    """TextRows.of_fact asks for any match of the query and status: rows narrowed further (a
    facet walk's) would be asked as if they were not."""
    with pytest.raises(ValueError, match="walk by fact"):
        search.TextRows(q="frigates", **narrowed).of_fact(F("pk"))
