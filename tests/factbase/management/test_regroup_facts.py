"""`manage.py regroup_facts` (factbase/services/facts.py, `facts_regroup`): claims in no fact
grouped as grouping on write groups them, pinned claims left where curators put them, a
second run changing nothing, a cost that does not grow with the claims, and bad arguments."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from factbase.enums import Polarity
from factbase.models import Claim, Contradiction, Fact
from factbase.partial_dates import PartialDate
from factbase.services.claims import claim_create, claim_publish
from factbase.services.facts import fact_split
from tests.factories import CountryFactory, DocumentFactory, OrganisationFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db

QUOTE = "Sergei Lavrov visited Indonesia"


def claim(subject, predicate, obj=None, *, date="2021-07", publish=None, document=None, **fields):
    made = claim_create(
        subject=subject,
        predicate=predicate,
        object=obj,
        date=PartialDate.parse(date) if date else None,
        spans=[{"document": document or DocumentFactory(), "exact": QUOTE}],
        **fields,
    )
    return claim_publish(claim=made, by=publish) if publish is not None else made


def regroup(*args) -> str:
    out = StringIO()
    call_command("regroup_facts", *args, stdout=out)
    return out.getvalue()


def partition() -> set[frozenset[int]]:
    """The claims of each fact, whatever the facts' ids."""
    groups: dict[int, set[int]] = {}
    for pk, fact in Claim.objects.exclude(fact=None).values_list("pk", "fact_id"):
        groups.setdefault(fact, set()).add(pk)
    return {frozenset(claims) for claims in groups.values()}


def facts_read() -> dict:
    """Each fact's claims, with its sources and flag, and the contradictions between them:
    what grouping decides, named by claims rather than by ids."""
    claims = {
        fact: frozenset(Claim.objects.filter(fact_id=fact).values_list("pk", flat=True))
        for fact in Fact.objects.values_list("pk", flat=True)
    }
    facts = {claims[f.pk]: (f.sources, f.contradicted) for f in Fact.objects.all()}
    contradictions = {
        frozenset({claims[c.fact_id], claims[c.other_id]}): (c.kind, c.resolved) for c in Contradiction.objects.all()
    }
    return {"facts": facts, "contradictions": contradictions, "ungrouped": Claim.objects.filter(fact=None).count()}


def forget_facts() -> None:
    """The state of a database whose claims were written before facts existed."""
    Claim.objects.update(fact=None, value_key="")
    Contradiction.objects.all().delete()
    Fact.objects.all().delete()


@pytest.fixture
def corpus(reviewer):
    """Claims that group in every way grouping on write knows: repeats, overlapping and
    disjoint dates, undated claims that bridge them (in both orders), values compared after
    normalisation, opposite polarity (a contradiction), a single-valued predicate with two
    objects (another), and one publisher repeating a claim (one source)."""
    lavrov, shoigu = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="Sergei Shoigu")
    indonesia, laos = CountryFactory(name="Indonesia"), CountryFactory(name="Laos")
    visited = PredicateFactory()
    said = PredicateFactory(slug="said", label="said", object_kinds=[])
    chairs = PredicateFactory(slug="chairs", label="chairs", single_valued=True)
    kommersant = OrganisationFactory(name="Kommersant")
    made = [
        claim(lavrov, visited, indonesia, date="2021-07-06", publish=reviewer),
        claim(lavrov, visited, indonesia, date="2021-07", publish=reviewer),
        claim(lavrov, visited, indonesia, date="2019", publish=reviewer),
        claim(lavrov, visited, indonesia, date=None, publish=reviewer),  # joins the lowest: 2021's
        claim(lavrov, visited, indonesia, date="2022"),  # undated beside it: joins 2021's too
        claim(lavrov, visited, indonesia, date="2021-07-07", polarity=Polarity.NEGATED, publish=reviewer),
        claim(lavrov, visited, laos, date="2021-07"),
        claim(shoigu, visited, laos, date=None),
        claim(shoigu, visited, laos, date="2015"),
        claim(shoigu, visited, laos, date="2016"),
        claim(lavrov, said, value="Su-35  Warplanes", date="2020"),
        claim(lavrov, said, value="su-35 warplanes", date="2020-03"),
        claim(lavrov, said, value="MiG-29", date="2020"),
        claim(shoigu, chairs, OrganisationFactory(), date="2020", publish=reviewer),
        claim(shoigu, chairs, OrganisationFactory(), date="2020-05", publish=reviewer),
    ]
    for _ in range(2):
        document = DocumentFactory(publisher=kommersant)
        made.append(claim(lavrov, visited, laos, date="2018", document=document, publish=reviewer))
    return made


def test_claims_in_no_fact_group_as_they_do_on_write(corpus):
    written = facts_read()
    assert written["ungrouped"] == 0 and len(written["contradictions"]) == 2
    forget_facts()

    output = regroup()

    assert facts_read() == written
    assert Claim.objects.exclude(value="").filter(value_key="").count() == 0
    assert f"Grouping {len(corpus)} claim(s) in no fact" in output
    assert f"Grouped {len(corpus)} claim(s) in 1 batch(es)" in output


def test_batches_of_any_size_group_alike(corpus):
    written = facts_read()
    forget_facts()
    output = regroup("--batch-size", "1")
    assert facts_read() == written
    assert "in 2 batch(es)" in output  # one per subject (Lavrov, Shoigu): no statement spans two


def test_only_claims_in_no_fact_move_and_they_join_the_facts_there(corpus):
    first, *_ = corpus
    fact = first.fact_id
    late = claim(first.subject, first.predicate, first.object, date="2021-07-08")
    Claim.objects.filter(pk=late.pk).update(fact=None)
    elsewhere = Claim.objects.exclude(pk=late.pk).exclude(fact=None).order_by("pk").values_list("pk", "fact_id")
    before = list(elsewhere)

    output = regroup()

    assert Claim.objects.get(pk=late.pk).fact_id == fact
    assert list(elsewhere) == before
    assert "1 moved or given a fact, 0 fact(s) founded" in output


def test_pinned_claims_never_move(corpus, curator):
    first, second = corpus[0], corpus[1]
    split = fact_split(fact=first.fact, claim=first, by=curator)
    lone = Claim.objects.get(pk=corpus[6].pk)
    Claim.objects.filter(pk=lone.pk).update(fact=None, fact_pinned=True)  # pinned, in no fact
    # Stale grouping, as of a database grouped by an older rule: --all puts it right.
    Claim.objects.filter(pk=corpus[8].pk).update(fact=Claim.objects.get(pk=second.pk).fact_id)

    regroup("--all")

    assert Claim.objects.get(pk=first.pk).fact == split
    assert Claim.objects.get(pk=lone.pk).fact is None
    assert Claim.objects.get(pk=corpus[8].pk).fact_id == Claim.objects.get(pk=corpus[7].pk).fact_id
    # The others group as if written again one by one, the pinned claim's fact there to join
    # (as on write): second overlaps it.
    assert Claim.objects.get(pk=second.pk).fact == split


def test_all_groups_every_claim_as_on_write(corpus):
    written = facts_read()
    # Stale grouping: two claims of different statements in one fact.
    Claim.objects.filter(pk=corpus[12].pk).update(fact=Claim.objects.get(pk=corpus[10].pk).fact_id)
    assert facts_read() != written
    regroup("--all")
    assert facts_read() == written


@pytest.mark.parametrize("args", [[], ["--all"]], ids=["in no fact", "all"])
def test_a_second_run_changes_nothing(corpus, args):
    forget_facts()
    regroup(*args)
    claims = sorted(Claim.objects.values_list("pk", "fact_id", "value_key"))
    facts = sorted(Fact.objects.values_list("pk", "sources", "contradicted", "updated"))
    contradictions = sorted(Contradiction.objects.values_list("pk", "fact_id", "other_id"))

    output = regroup(*args)

    assert sorted(Claim.objects.values_list("pk", "fact_id", "value_key")) == claims
    assert sorted(Fact.objects.values_list("pk", "sources", "contradicted", "updated")) == facts
    assert sorted(Contradiction.objects.values_list("pk", "fact_id", "other_id")) == contradictions
    if args:
        assert "0 moved or given a fact, 0 fact(s) founded, 0 emptied fact(s) deleted" in output
    else:
        assert output == "Nothing to group: no claim is in no fact.\n"


def test_a_run_costs_the_same_for_few_claims_or_many(reviewer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(subjects: int, per_subject: int) -> int:
        visited = PredicateFactory()
        for _ in range(subjects):
            person = PersonFactory()
            for year in range(per_subject):
                claim(person, visited, CountryFactory(), date=str(2000 + year), publish=reviewer)
        Claim.objects.update(fact=None)
        with CaptureQueriesContext(connection) as captured:
            regroup()
        return len(captured)

    assert run(1, 2) == run(5, 6)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--batch-size", "0"], "--batch-size must be at least 1 (got 0)."),
        (["--batch-size", "-5"], "--batch-size must be at least 1 (got -5)."),
        (["--batch-size", "many"], "argument --batch-size: invalid int value: 'many'"),
        (["--database", "elsewhere"], "No database 'elsewhere' in settings.DATABASES."),
        (["--every"], "unrecognized arguments: --every"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(corpus, args, message):
    forget_facts()
    with pytest.raises(CommandError) as refused:
        regroup(*args)
    assert message in str(refused.value)
    assert Fact.objects.count() == 0


def test_nothing_to_group_says_so(corpus):
    assert regroup() == "Nothing to group: no claim is in no fact.\n"
