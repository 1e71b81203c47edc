"""Facts (factbase/services/facts.py): grouping on every write path, the independent
sources behind a fact, a curator's split and join, contradictions, and what grouping costs."""

import datetime

import pytest

from factbase.enums import ClaimStatus
from factbase.models import Claim, Contradiction, Fact
from factbase.partial_dates import PartialDate
from factbase.services import facts as services
from factbase.services.claims import (
    claim_create,
    claim_delete,
    claim_publish,
    claim_reject,
    claim_update,
    span_add,
    span_delete,
)
from factbase.services.entities import entity_merge
from factbase.services.errors import Conflict, Forbidden
from factbase.services.merges import entity_unmerge
from tests.factories import (
    CountryFactory,
    DocumentFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
)

pytestmark = pytest.mark.django_db

parse = PartialDate.parse

QUOTE = "Sergei Lavrov visited Indonesia"


@pytest.fixture
def lavrov():
    return PersonFactory(name="Sergei Lavrov")


@pytest.fixture
def indonesia():
    return CountryFactory(name="Indonesia")


@pytest.fixture
def visited():
    return PredicateFactory()


def claim(subject, predicate, obj=None, *, document=None, date="2021-07", by=None, publish=None, **fields):
    """A claim through the services, as the API and the admin write one; published by
    `publish` (a reviewer) when given."""
    made = claim_create(
        subject=subject,
        predicate=predicate,
        object=obj,
        date=parse(date) if date else None,
        spans=[{"document": document or DocumentFactory(), "exact": QUOTE}],
        by=by,
        **fields,
    )
    if publish is not None:
        made = claim_publish(claim=made, by=publish)
    return made


def fact_of(made) -> Fact | None:
    made.refresh_from_db()
    return made.fact


# ---------------------------------------------------------------- grouping


def test_claims_stating_the_same_share_a_fact(lavrov, indonesia, visited):
    first = claim(lavrov, visited, indonesia, date="2021-07-06")
    second = claim(lavrov, visited, indonesia, date="2021-07")  # overlapping
    undated = claim(lavrov, visited, indonesia, date=None)  # compatible with any date
    assert fact_of(first) is not None
    assert fact_of(second) == fact_of(first) == fact_of(undated)


@pytest.mark.parametrize(
    "change",
    [
        {"date": "2019-03"},  # dates that do not overlap
        {"polarity": "negated"},
        {"object": "other"},
    ],
)
def test_claims_stating_something_else_get_a_fact_each(lavrov, indonesia, visited, change):
    first = claim(lavrov, visited, indonesia)
    fields = dict(change)
    if fields.get("object") == "other":
        fields["obj"] = CountryFactory(name="Laos")
        del fields["object"]
    date = fields.pop("date", "2021-07")
    other = claim(lavrov, visited, fields.pop("obj", indonesia), date=date, **fields)
    assert fact_of(other) != fact_of(first)
    assert fact_of(other) is not None


def test_a_value_beside_an_object_still_says_what(lavrov, indonesia, visited):
    # holds position (Russia): “former Prime Minister” and “former President” are two facts.
    first = claim(lavrov, visited, indonesia, value="Jakarta and Bandung")
    assert fact_of(claim(lavrov, visited, indonesia, value="the capital")) != fact_of(first)
    assert fact_of(claim(lavrov, visited, indonesia, value="jakarta  AND bandung")) == fact_of(first)


def test_literal_values_without_an_object_differ_by_value(lavrov, visited):
    visited.object_kinds = []
    visited.save()
    first = claim(lavrov, visited, value="Jakarta")
    assert fact_of(claim(lavrov, visited, value="Bandung")) != fact_of(first)


def test_literal_values_compare_after_normalisation(lavrov, visited):
    visited.object_kinds = []
    visited.save()
    first = claim(lavrov, visited, value="Su-35  Warplanes")
    second = claim(lavrov, visited, value="su-35 warplanes")
    wide = claim(lavrov, visited, value="ＳＵ-35 WARPLANES")  # full-width letters: NFKC
    assert fact_of(first) == fact_of(second) == fact_of(wide)


def test_an_edit_regroups_the_claim_and_drops_the_emptied_fact(lavrov, indonesia, visited, reviewer):
    first = claim(lavrov, visited, indonesia)
    other = claim(lavrov, visited, CountryFactory(name="Laos"))
    emptied = fact_of(other)
    claim_update(claim=other, object=indonesia, by=reviewer)
    assert fact_of(other) == fact_of(first)
    assert not Fact.objects.filter(pk=emptied.pk).exists()


def test_an_edit_away_from_a_fact_founds_another(lavrov, indonesia, visited, reviewer):
    first = claim(lavrov, visited, indonesia)
    second = claim(lavrov, visited, indonesia)
    claim_update(claim=second, date=parse("2019"), by=reviewer)
    assert fact_of(second) != fact_of(first)
    assert fact_of(first).claims.count() == 1


def test_a_deleted_claim_takes_its_lone_fact_with_it(lavrov, indonesia, visited):
    made = claim(lavrov, visited, indonesia)
    fact = fact_of(made)
    claim_delete(claim=made)
    assert not Fact.objects.filter(pk=fact.pk).exists()


def test_an_entity_merge_groups_the_moved_claims_and_undoing_it_restores_them(indonesia, visited, reviewer):
    kept, duplicate = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="S. Lavrov")
    mine = claim(kept, visited, indonesia, publish=reviewer)
    theirs = claim(duplicate, visited, indonesia, publish=reviewer)
    before = {"mine": fact_of(mine).pk, "theirs": fact_of(theirs).pk}
    assert before["mine"] != before["theirs"]
    duplicate_pk = duplicate.pk
    entity_merge(survivor=kept, loser=duplicate, by=reviewer)
    assert fact_of(theirs) == fact_of(mine)
    assert fact_of(mine).sources == 2
    entity_unmerge(merged_id=duplicate_pk, by=reviewer)
    assert {"mine": fact_of(mine).pk, "theirs": fact_of(theirs).pk} == before
    assert (fact_of(mine).sources, fact_of(theirs).sources) == (1, 1)


def test_fixture_loads_group_claims_and_a_second_load_changes_nothing(db):
    from pathlib import Path

    from factbase.services.fixtures import fixtures_load

    fixtures = Path(__file__).resolve().parents[3] / "fixtures"
    files = [fixtures / "countries.json", fixtures / "predicates.json", fixtures / "seed_000.json"]
    fixtures_load(files)
    grouped = sorted(Claim.objects.values_list("pk", "fact_id"))
    assert all(fact is not None for _, fact in grouped)
    facts = Fact.objects.count()
    fixtures_load(files)
    assert Fact.objects.count() == facts
    assert Claim.objects.filter(fact=None).count() == 0
    assert Claim.objects.exclude(value="").exclude(value_key="").count() == Claim.objects.exclude(value="").count()


# ---------------------------------------------------------------- independent sources


def test_one_publisher_counts_once_however_many_articles_repeat_it(lavrov, indonesia, visited, reviewer):
    kommersant = OrganisationFactory(name="Kommersant")
    first = claim(lavrov, visited, indonesia, document=DocumentFactory(publisher=kommersant), publish=reviewer)
    claim(lavrov, visited, indonesia, document=DocumentFactory(publisher=kommersant), publish=reviewer)
    assert fact_of(first).sources == 1
    claim(lavrov, visited, indonesia, document=DocumentFactory(publisher=OrganisationFactory()), publish=reviewer)
    claim(lavrov, visited, indonesia, document=DocumentFactory(publisher=None), publish=reviewer)
    assert fact_of(first).sources == 3  # two publishers and a document of its own


def test_an_attributed_speaker_counts_once_whoever_quotes_them(lavrov, indonesia, visited, reviewer):
    speaker = PersonFactory(name="Maria Zakharova")
    first = claim(
        lavrov,
        visited,
        indonesia,
        attributed_to=speaker,
        document=DocumentFactory(publisher=OrganisationFactory(name="TASS")),
        publish=reviewer,
    )
    claim(
        lavrov,
        visited,
        indonesia,
        attributed_to=speaker,
        document=DocumentFactory(publisher=OrganisationFactory(name="RIA")),
        publish=reviewer,
    )
    assert fact_of(first).sources == 1


def test_only_published_claims_are_sources(lavrov, indonesia, visited, reviewer):
    draft = claim(lavrov, visited, indonesia)
    assert fact_of(draft).sources == 0
    published = claim(lavrov, visited, indonesia, publish=reviewer)
    assert fact_of(draft).sources == 1
    claim_reject(claim=published, by=reviewer)
    assert fact_of(draft).sources == 0


def test_evidence_changes_count_again(lavrov, indonesia, visited, reviewer):
    published = claim(lavrov, visited, indonesia, publish=reviewer)
    other = DocumentFactory(publisher=OrganisationFactory())
    (added,) = span_add(claim=published, specs=[{"document": other, "exact": QUOTE}], by=reviewer)
    assert fact_of(published).sources == 2
    span_delete(span=added, by=reviewer)
    assert fact_of(published).sources == 1


# ---------------------------------------------------------------- split and join


def test_a_split_claim_stays_apart_after_a_later_edit(lavrov, indonesia, visited, reviewer):
    first = claim(lavrov, visited, indonesia, publish=reviewer)
    second = claim(lavrov, visited, indonesia, publish=reviewer)
    fact = fact_of(first)
    new = services.fact_split(fact=fact, claim=second, by=reviewer)
    assert fact_of(second) == new != fact
    new.refresh_from_db()
    assert (fact_of(first).sources, new.sources) == (1, 1)
    claim_update(claim=Claim.objects.get(pk=second.pk), date=parse("2021-07-06"), notes="checked", by=reviewer)
    assert fact_of(second) == new
    services.claims_regroup([Claim.objects.get(pk=second.pk)])  # as a merge or a reload would
    assert fact_of(second) == new


def test_a_split_needs_the_claim_in_the_fact_and_another_beside_it(lavrov, indonesia, visited):
    first = claim(lavrov, visited, indonesia)
    elsewhere = claim(lavrov, visited, CountryFactory(name="Laos"))
    with pytest.raises(Conflict):
        services.fact_split(fact=fact_of(first), claim=first)
    with pytest.raises(Exception, match="is not in fact"):
        services.fact_split(fact=fact_of(first), claim=elsewhere)


def test_joined_facts_stay_joined(lavrov, indonesia, visited, reviewer):
    first = claim(lavrov, visited, indonesia, publish=reviewer)
    other = claim(lavrov, visited, CountryFactory(name="Republic of Indonesia"), publish=reviewer)
    gone = fact_of(other)
    services.fact_join(fact=fact_of(first), other=gone, by=reviewer)
    assert fact_of(other) == fact_of(first)
    assert not Fact.objects.filter(pk=gone.pk).exists()
    assert fact_of(first).sources == 2
    claim_update(claim=Claim.objects.get(pk=other.pk), notes="same country", by=reviewer)
    assert fact_of(other) == fact_of(first)


# ---------------------------------------------------------------- contradictions


def contradictions():
    return sorted((c.fact_id, c.other_id, c.kind, c.resolved) for c in Contradiction.objects.all())


def test_opposite_polarity_contradicts(lavrov, indonesia, visited, reviewer):
    did = claim(lavrov, visited, indonesia, publish=reviewer)
    did_not = claim(lavrov, visited, indonesia, polarity="negated", date=None, publish=reviewer)
    pair = sorted([fact_of(did).pk, fact_of(did_not).pk])
    assert contradictions() == [(*pair, "polarity", False)]
    assert fact_of(did).contradicted and fact_of(did_not).contradicted


def test_opposite_polarity_on_other_dates_does_not_contradict(lavrov, indonesia, visited, reviewer):
    claim(lavrov, visited, indonesia, publish=reviewer)
    claim(lavrov, visited, indonesia, polarity="negated", date="2019", publish=reviewer)
    assert contradictions() == []


def test_a_single_valued_predicate_with_two_objects_contradicts(reviewer):
    actors = ["person", "country", "organisation"]
    chairs = PredicateFactory(
        slug="chairs", label="chairs", single_valued=True, subject_kinds=actors, object_kinds=["organisation"]
    )
    holds = PredicateFactory(
        slug="holds-position", label="holds position", subject_kinds=actors, object_kinds=["organisation"]
    )
    indonesia, laos = CountryFactory(name="Indonesia"), CountryFactory(name="Laos")
    asean, g20 = OrganisationFactory(name="ASEAN"), OrganisationFactory(name="G20")
    chairs_asean = claim(laos, chairs, asean, date="2021", publish=reviewer)
    chairs_g20 = claim(laos, chairs, g20, date="2021-06", publish=reviewer)
    claim(indonesia, chairs, g20, date="2019", publish=reviewer)  # another subject
    claim(laos, chairs, g20, date="2019", publish=reviewer)  # another year: no overlap
    lavrov = PersonFactory()
    claim(lavrov, holds, asean, date="2021", publish=reviewer)
    claim(lavrov, holds, g20, date="2021", publish=reviewer)  # not single-valued
    pair = sorted([fact_of(chairs_asean).pk, fact_of(chairs_g20).pk])
    assert contradictions() == [(*pair, "single_value", False)]


def test_a_contradiction_goes_when_a_side_is_rejected(lavrov, indonesia, visited, reviewer):
    did = claim(lavrov, visited, indonesia, publish=reviewer)
    did_not = claim(lavrov, visited, indonesia, polarity="negated", publish=reviewer)
    claim_reject(claim=did_not, by=reviewer)
    assert contradictions() == []
    assert not fact_of(did).contradicted


def test_drafts_do_not_contradict(lavrov, indonesia, visited, reviewer):
    claim(lavrov, visited, indonesia, publish=reviewer)
    claim(lavrov, visited, indonesia, polarity="negated")
    assert contradictions() == []


def test_reviewers_resolve_a_contradiction_with_a_note(lavrov, indonesia, visited, reviewer, curator):
    did = claim(lavrov, visited, indonesia, publish=reviewer)
    claim(lavrov, visited, indonesia, polarity="negated", publish=reviewer)
    found = Contradiction.objects.get()
    with pytest.raises(Forbidden):
        services.contradiction_resolve(contradiction=found, note="no", by=curator)
    services.contradiction_resolve(contradiction=found, note="The denial came first.", by=reviewer)
    found.refresh_from_db()
    assert (found.resolved, found.note, found.resolved_by) == (True, "The denial came first.", reviewer)
    assert not fact_of(did).contradicted
    with pytest.raises(Conflict):
        services.contradiction_resolve(contradiction=found, note="again", by=reviewer)
    # Found again later (another source repeats a side): it stays resolved.
    claim(lavrov, visited, indonesia, publish=reviewer)
    assert contradictions()[0][3] is True


# ---------------------------------------------------------------- ranks


def test_only_reviewers_rank(lavrov, indonesia, visited, reviewer, curator):
    made = claim(lavrov, visited, indonesia)
    with pytest.raises(Forbidden):
        services.fact_rank(fact=fact_of(made), rank="preferred", by=curator)
    with pytest.raises(Forbidden):
        services.claim_rank(claim=made, rank="preferred", by=curator)
    services.fact_rank(fact=fact_of(made), rank="deprecated", by=reviewer)
    assert fact_of(made).rank == "deprecated"


def test_best_rank_keeps_the_preferred_else_the_normal_never_the_deprecated(lavrov, visited, reviewer):
    indonesia, laos, cambodia = (CountryFactory(name=name) for name in ("Indonesia", "Laos", "Cambodia"))
    one, two, three = (claim(lavrov, visited, country) for country in (indonesia, laos, cambodia))
    assert set(Fact.objects.best_ranked()) == {fact_of(one), fact_of(two), fact_of(three)}
    services.fact_rank(fact=fact_of(three), rank="deprecated", by=reviewer)
    assert set(Fact.objects.best_ranked()) == {fact_of(one), fact_of(two)}
    services.fact_rank(fact=fact_of(one), rank="preferred", by=reviewer)
    assert set(Fact.objects.best_ranked()) == {fact_of(one)}
    other_subject = claim(PersonFactory(), visited, laos)
    assert set(Fact.objects.best_ranked()) == {fact_of(one), fact_of(other_subject)}

    repeat = claim(lavrov, visited, indonesia)  # in one's fact
    assert set(Claim.objects.filter(fact=fact_of(one)).best_ranked()) == {one, repeat}
    services.claim_rank(claim=repeat, rank="preferred", by=reviewer)
    assert set(Claim.objects.filter(fact=fact_of(one)).best_ranked()) == {repeat}
    services.claim_rank(claim=one, rank="deprecated", by=reviewer)
    assert set(Claim.objects.best_ranked().filter(pk__in=[one.pk, two.pk])) == {two}


# ---------------------------------------------------------------- what grouping costs


def grouping_queries(captured) -> list[str]:
    """The queries that ask which fact a claim joins, or found one."""
    return [
        q["sql"]
        for q in captured
        if (q["sql"].startswith('SELECT "factbase_claim"."fact_id"') and '"fact_id" IS NOT NULL' in q["sql"])
        or 'INSERT INTO "factbase_fact"' in q["sql"]
    ]


@pytest.fixture
def without_grouping(monkeypatch):
    """Within this context, the claim services write without grouping (the baseline the
    cost of grouping is measured against)."""
    from contextlib import contextmanager

    from factbase.services import claims as claim_services

    @contextmanager
    def off():
        with monkeypatch.context() as patched:
            patched.setattr(claim_services, "claim_group", lambda claim, **kwargs: None)
            yield

    return off


def create_costs(django_assert_num_queries, fields, queries):
    spans = [{"document": DocumentFactory(), "exact": QUOTE}]
    with django_assert_num_queries(queries) as captured:
        made = claim_create(spans=spans, **fields)
    return made, grouping_queries(captured.captured_queries)


@pytest.mark.parametrize("joins", [True, False], ids=["joining", "founding"])
def test_creating_a_claim_costs_one_query_to_group_whether_it_joins_or_founds(
    lavrov, indonesia, visited, django_assert_num_queries, without_grouping, joins
):
    existing = claim(lavrov, visited, indonesia) if joins else None
    fields = {"subject": lavrov, "predicate": visited, "object": indonesia, "date": parse("2021-07")}
    # The write itself (validation, insert, history, the span and its checks): 17 queries.
    # (41 when full_clean asked the database each check constraint, in a savepoint.)
    with without_grouping():
        create_costs(django_assert_num_queries, fields, 17)
    # Grouping: one more, the fact found or founded by the same statement.
    made, grouping = create_costs(django_assert_num_queries, fields, 18)
    assert len(grouping) == 1
    if joins:
        assert fact_of(made) == fact_of(existing)
    else:
        assert fact_of(made) is not None
        assert Claim.objects.filter(fact=fact_of(made)).count() == 1


@pytest.mark.parametrize("outcome", ["joins", "founds", "stays alone"])
def test_an_edit_of_the_statement_costs_one_query_to_group(
    lavrov, indonesia, visited, django_assert_num_queries, without_grouping, outcome
):
    first = claim(lavrov, visited, indonesia)
    beside = claim(lavrov, visited, indonesia)  # shares first's fact
    elsewhere = claim(lavrov, visited, indonesia, date="2019")  # a fact of its own
    edited, date = {
        "joins": (elsewhere, "2021-07-06"),
        "founds": (beside, "2018"),
        "stays alone": (elsewhere, "2019-05"),
    }[outcome]
    baseline = Claim.objects.get(pk=claim(lavrov, visited, indonesia).pk)
    with without_grouping(), django_assert_num_queries(12):
        claim_update(claim=baseline, date=parse("2010"))  # in first's fact still, and out of the way
    was = fact_of(edited)
    edited = Claim.objects.get(pk=edited.pk)
    # The same write and one grouping statement; a claim that leaves a fact then asks
    # whether it is empty (one query), and deletes it when it is (five more: the DELETE and
    # what Django collects with a fact).
    queries = {"joins": 19, "founds": 14, "stays alone": 13}[outcome]
    with django_assert_num_queries(queries) as captured:
        claim_update(claim=edited, date=parse(date))
    assert len(grouping_queries(captured.captured_queries)) == 1
    now = fact_of(edited)
    if outcome == "joins":
        assert now == fact_of(first) and not Fact.objects.filter(pk=was.pk).exists()
    elif outcome == "founds":
        assert now not in (was, fact_of(first)) and fact_of(first) == was
    else:
        assert now == was


def test_an_edit_that_changes_no_statement_field_asks_nothing_of_facts(
    lavrov, indonesia, visited, django_assert_num_queries
):
    claim(lavrov, visited, indonesia)
    made = [Claim.objects.get(pk=claim(lavrov, visited, indonesia).pk) for _ in range(2)]
    with django_assert_num_queries(12) as captured:
        claim_update(claim=made[0], notes="checked")
    assert grouping_queries(captured.captured_queries) == []
    with django_assert_num_queries(13) as captured:  # the same, and the one grouping query
        claim_update(claim=made[1], date=parse("2021-07-06"))
    assert len(grouping_queries(captured.captured_queries)) == 1


def test_facts_are_kept_for_every_status_change(lavrov, indonesia, visited, reviewer):
    made = claim(lavrov, visited, indonesia)
    assert made.status == ClaimStatus.DRAFT
    assert fact_of(made) is not None
    assert datetime.date(2021, 7, 1) == made.date_lower


def test_a_merge_of_many_claims_regroups_them_a_chunk_at_a_time(indonesia, visited, reviewer, monkeypatch):
    from factbase.services import merges

    monkeypatch.setattr(services, "CHUNK", 2)  # SQLite takes a bounded number of parameters
    monkeypatch.setattr(merges, "CHUNK", 2)
    kept, duplicate = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="S. Lavrov")
    mine = claim(kept, visited, indonesia, publish=reviewer)
    theirs = [claim(duplicate, visited, country, publish=reviewer) for country in [indonesia] * 3]
    theirs += [claim(duplicate, visited, CountryFactory(), publish=reviewer) for _ in range(2)]
    before = {made.pk: fact_of(made).pk for made in [mine, *theirs]}
    duplicate_pk = duplicate.pk
    entity_merge(survivor=kept, loser=duplicate, by=reviewer)
    assert {fact_of(made) for made in [mine, *theirs[:3]]} == {fact_of(mine)}
    assert fact_of(mine).sources == 4
    entity_unmerge(merged_id=duplicate_pk, by=reviewer)
    assert {made.pk: fact_of(made).pk for made in [mine, *theirs]} == before


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_new_statement_found_one_fact(lavrov, indonesia, visited):
    """PostgreSQL: the second writer waits for the first one's commit (the statement's
    advisory lock), then sees its claim and joins its fact rather than founding another."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second waits for the whole transaction anyway.")
    first_grouped, made, errors = threading.Event(), {}, []

    def write(name, *, hold):
        try:
            with transaction.atomic():
                made[name] = claim(lavrov, visited, indonesia)
                if hold:
                    first_grouped.set()
                    threading.Event().wait(1.0)  # still uncommitted while the other groups
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=write, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_grouped.wait(30)
    second = threading.Thread(target=write, args=("second",), kwargs={"hold": False})
    second.start()
    first.join(30), second.join(30)
    assert errors == []
    assert fact_of(made["second"]) == fact_of(made["first"])
    assert Fact.objects.count() == 1
