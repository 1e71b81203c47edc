"""Synthetic data (`manage.py synth`, factbase/synth/): realistic, consistent with
every invariant, and deterministic."""

import hashlib
import random
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count

from factbase.enums import ClaimStatus, DatePrecision
from factbase.limits import LIMITS
from factbase.models import (
    Alias,
    Claim,
    Contradiction,
    Document,
    Entity,
    Event,
    EventParticipant,
    Fact,
    Organisation,
    Person,
    Predicate,
    Role,
    SourceSpan,
)
from factbase.services.facts import facts_refresh
from factbase.synth import synth_build
from factbase.synth.vocabulary import PREDICATES
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

CLAIMS = 400


@pytest.fixture
def countries():
    # Existing countries are reused, so the (slow) countries fixture is not loaded here.
    return [CountryFactory(name=name) for name in ("Russia", "Indonesia", "Laos", "Myanmar", "Viet Nam")]


def quiet(message):
    pass


def fingerprint() -> str:
    """A digest of everything synth writes, ids included."""
    digest = hashlib.sha256()
    for model, fields in [
        (Entity, ["id", "kind", "name", "slug"]),
        (Alias, ["entity_id", "name", "kind"]),
        (EventParticipant, ["event_id", "entity_id", "role"]),
        (Role, ["person_id", "organisation_id", "title", "date_lower", "uid"]),
        (Document, ["id", "title", "sha256", "date_lower", "date_precision"]),
        (Claim, ["id", "uid", "subject_id", "predicate_id", "object_id", "value", "status", "date_lower", "date_text"]),
        (SourceSpan, ["claim_id", "document_id", "start", "end", "exact"]),
    ]:
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def delete_synthetic_rows():
    SourceSpan.objects.all().delete()
    Claim.objects.all().delete()
    Fact.objects.all().delete()  # and their contradictions
    Document.objects.all().delete()
    EventParticipant.objects.all().delete()
    Role.objects.all().delete()
    Event.objects.update(parent=None)
    Organisation.objects.update(parent=None)
    Entity.objects.exclude(kind="country").delete()


def test_synth_builds_every_kind_in_the_anchor_ratios(countries):
    report = synth_build(claims=CLAIMS, seed=3, log=quiet)
    assert Claim.objects.count() == CLAIMS
    assert Person.objects.count() == CLAIMS // 10
    assert Organisation.objects.count() == CLAIMS // 20
    assert Event.objects.count() == CLAIMS // 5
    assert Document.objects.count() == CLAIMS // 100
    assert EventParticipant.objects.count() == 2 * Event.objects.count()
    assert Alias.objects.exists()
    assert Role.objects.exists()
    assert report.counts["claims"] == CLAIMS
    assert report.counts["source spans"] == SourceSpan.objects.count()


def test_synth_spans_match_their_document_text(countries):
    synth_build(claims=CLAIMS, seed=3, log=quiet)
    texts = dict(Document.objects.values_list("pk", "text"))
    mismatched = [
        span.pk
        for span in SourceSpan.objects.all()
        if texts[span.document_id][span.start : span.end] != span.exact
        or texts[span.document_id][max(0, span.start - 32) : span.start] != span.prefix
        or texts[span.document_id][span.end : span.end + 32] != span.suffix
    ]
    assert mismatched == []
    assert not Claim.objects.filter(spans__isnull=True).exists()


# Enough claims for at least VALIDATED rows of every model synth writes in bulk (documents
# are one per hundred claims; roles 0.3 per person, people one per ten claims).
VALIDATED = 100
VALIDATED_CLAIMS = 10_000


def spread_sample(model, n: int) -> list:
    """`n` rows of `model` drawn across the whole table with a fixed seed (the first rows
    are the most frequent subjects, and an even stride would see only one of each pair of
    event participants), or all of them when there are fewer."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(0).sample(pks, min(n, len(pks)))
    return list(model.objects.filter(pk__in=chosen).order_by("pk"))


def test_synth_rows_pass_model_validation(countries):
    synth_build(claims=VALIDATED_CLAIMS, seed=3, log=quiet)
    bulk_written = (Entity, Person, Organisation, Event, EventParticipant, Alias, Role, Document, Claim, SourceSpan)
    checked = {}
    for model in bulk_written:
        rows = spread_sample(model, VALIDATED)
        for obj in rows:
            obj.full_clean()
        checked[model.__name__] = len(rows)
    assert checked == {model.__name__: VALIDATED for model in bulk_written}
    # Predicates are created through the ORM, one per vocabulary entry: all of them.
    predicates = list(Predicate.objects.all())
    for predicate in predicates:
        predicate.full_clean()
    assert len(predicates) == len(PREDICATES)


def test_synth_claims_repeat_across_documents_and_some_contradict(countries):
    synth_build(claims=CLAIMS, seed=1, log=quiet)
    assert not Claim.objects.filter(fact=None).exists()
    repeated = Fact.objects.annotate(n=Count("claims")).filter(n__gt=1)
    assert repeated.count() > CLAIMS * 0.05
    assert Fact.objects.filter(sources__gte=2).exists()  # across publishers
    assert Contradiction.objects.exists()
    # What synth wrote is what the services find: the same sources, its contradictions among
    # theirs (they may also find a coincidence: a random denial of another claim's object).
    sources = sorted(Fact.objects.values_list("pk", "sources"))
    pairs = set(Contradiction.objects.values_list("fact_id", "other_id", "kind"))
    facts_refresh(Fact.objects.values_list("pk", flat=True))
    assert sorted(Fact.objects.values_list("pk", "sources")) == sources
    found = set(Contradiction.objects.values_list("fact_id", "other_id", "kind"))
    assert pairs <= found
    # Each other one is such a coincidence, checked against the definition: one subject,
    # predicate and object affirmed and denied, or two objects of a single-valued predicate.
    # (A share of them, "at most a tenth", failed on PostgreSQL: synth's stream depends on
    # where the ids start, which the tests before it move, and two coincidences beside two
    # written contradictions are a matter of chance.)
    for fact_id, other_id, kind in found - pairs:
        sides = [
            set(
                Claim.objects.filter(fact_id=pk).values_list(
                    "subject_id", "predicate_id", "object_id", "value_key", "polarity"
                )
            )
            for pk in (fact_id, other_id)
        ]
        # What a claim says of its subject: its object, or without one its value (a value
        # beside an object is wording: "did not sell Russia radar stations" denies "sold
        # Russia small arms" as far as the object goes).
        said = [
            {claim[:3] if claim[2] is not None else (*claim[:2], None, claim[3]) for claim in side} for side in sides
        ]
        if kind == "polarity":
            polarities = {claim[4] for side in sides for claim in side}
            assert len(said[0] | said[1]) == 1 and len(polarities) == 2, (fact_id, other_id, sides)
        else:
            assert kind == "single_value", (fact_id, other_id, kind)
            assert {s[:2] for s in said[0]} == {s[:2] for s in said[1]} and said[0] != said[1], (fact_id, other_id)


def test_synth_mixes_statuses_and_date_precisions(countries):
    synth_build(claims=CLAIMS, seed=3, log=quiet)
    statuses = set(Claim.objects.values_list("status", flat=True))
    precisions = set(Claim.objects.values_list("date_precision", flat=True))
    assert statuses == set(ClaimStatus.values)
    assert precisions == {"", *DatePrecision.values}
    assert Claim.objects.filter(polarity="negated").exists()
    assert Claim.objects.exclude(attributed_to=None).exists()
    assert Claim.objects.exclude(event=None).exists()


def held_beyond(limit) -> list[tuple[int, int]]:
    owners = apps.get_model(limit.model).objects.values_list(f"{limit.owner_field}_id", flat=True).distinct()
    return limit.over(list(owners))


def test_synth_respects_every_limit_of_the_data_model(countries, settings):
    # At this scale the skew gives the first person a few roles; at a million claims it gave
    # one person 299. A limit just under what the busiest person got makes the test bite at
    # this scale (a fixed limit of 2 did not always: the busiest person got 2 on some runs).
    synth_build(claims=CLAIMS, seed=3, log=quiet)
    most_roles = max(Role.objects.values("person").annotate(n=Count("pk")).values_list("n", flat=True))
    assert most_roles >= 2, "the skew no longer piles roles on a few people"
    delete_synthetic_rows()
    settings.FACTBASE_MAX_ROLES_PER_PERSON = most_roles - 1
    synth_build(claims=CLAIMS, seed=3, log=quiet)
    assert Role.objects.count() == round(CLAIMS // 10 * 0.3)  # every role is kept, on another person
    assert {str(limit): held_beyond(limit) for limit in LIMITS} == {str(limit): [] for limit in LIMITS}


def test_synth_is_deterministic_for_a_seed(countries):
    synth_build(claims=CLAIMS, seed=7, log=quiet)
    first = fingerprint()
    delete_synthetic_rows()
    synth_build(claims=CLAIMS, seed=7, log=quiet)
    assert fingerprint() == first
    delete_synthetic_rows()
    synth_build(claims=CLAIMS, seed=8, log=quiet)
    assert fingerprint() != first


def test_synth_data_is_found_by_full_text_search(countries):
    synth_build(claims=CLAIMS, seed=3, log=quiet)
    claim = Claim.objects.exclude(value="").order_by("pk").first()
    word = claim.value.split()[-1]
    assert claim in Claim.objects.search(word)
    person = Person.objects.order_by("pk").first()
    assert person.entity_ptr in Entity.objects.matching(person.family_name)


def test_synth_command_refuses_a_database_with_claims(countries):
    call_command("synth", claims=20, seed=1, stdout=StringIO())
    with pytest.raises(CommandError, match="already holds 20 claims"):
        call_command("synth", claims=20, seed=1, stdout=StringIO())
    out = StringIO()
    call_command("synth", claims=20, seed=1, force=True, stdout=out)
    assert Claim.objects.count() == 40
    assert "Built 20 synthetic claims" in out.getvalue()
