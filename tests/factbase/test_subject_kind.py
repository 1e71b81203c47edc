"""A claim's `subject_kind` (the facet column) equals its subject's kind after every write
path: a save, a fixture's raw save, bulk_create, a new subject, a merge and its undoing,
the synth, and the migration that filled it."""

import importlib
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from factbase.models import Claim
from factbase.services.claims import claim_create
from factbase.services.entities import entity_merge
from factbase.services.merges import entity_unmerge
from factbase.synth import synth_build
from tests.factories import ClaimFactory, CountryFactory, OrganisationFactory, PersonFactory, PredicateFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def mismatched() -> int:
    return Claim.objects.exclude(subject_kind=F("subject__kind")).count()


def test_a_saved_claim_holds_its_subjects_kind():
    person, country = ClaimFactory(subject=PersonFactory()), ClaimFactory(subject=CountryFactory())
    assert (person.subject_kind, country.subject_kind) == ("person", "country")
    assert mismatched() == 0


def test_a_new_subject_brings_its_kind_and_an_unchanged_one_reads_nothing(django_assert_num_queries):
    claim = Claim.objects.get(pk=ClaimFactory(subject=PersonFactory()).pk)
    organisation = OrganisationFactory()
    with django_assert_num_queries(2):  # the UPDATE and its history row
        claim.save()
    claim.subject_id = organisation.pk  # an id, not the object: the kind is read
    with django_assert_num_queries(3):
        claim.save()
    assert Claim.objects.get(pk=claim.pk).subject_kind == "organisation"
    claim.subject = CountryFactory()  # the object: its kind is at hand
    with django_assert_num_queries(2):
        claim.save()
    assert Claim.objects.get(pk=claim.pk).subject_kind == "country"


def test_the_services_validate_a_claim_with_its_kind():
    # full_clean validates the constraints before the save derives the kind: clean does too.
    claim = claim_create(subject=OrganisationFactory(), predicate=PredicateFactory(), value="a value", spans=[])
    assert Claim.objects.get(pk=claim.pk).subject_kind == "organisation"


def test_bulk_create_derives_the_kind():
    predicate, country = PredicateFactory(), CountryFactory()
    Claim.objects.bulk_create(
        [Claim(subject=country, predicate=predicate), Claim(subject_id=country.pk, predicate=predicate)]
    )
    assert set(Claim.objects.values_list("subject_kind", flat=True)) == {"country"}


def test_the_database_refuses_a_claim_without_a_kind():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(subject_kind="")


def test_fixtures_load_raw_and_still_hold_the_kind():
    call_command(
        "load_checked", *(str(FIXTURES / name) for name in ("countries.json", "predicates.json", "seed_000.json")),
        stdout=StringIO(),
    )  # fmt: skip
    assert Claim.objects.count() > 100
    assert len(set(Claim.objects.values_list("subject_kind", flat=True))) > 1
    assert mismatched() == 0


def test_merge_and_unmerge_keep_the_kind():
    survivor, loser = PersonFactory(), PersonFactory()
    ClaimFactory(subject=loser)
    ClaimFactory(subject=survivor)
    assert mismatched() == 0
    loser_id = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    assert mismatched() == 0
    entity_unmerge(merged_id=loser_id)
    assert mismatched() == 0


def test_synth_writes_the_kind():
    CountryFactory.create_batch(5)
    synth_build(claims=300, seed=2, log=lambda message: None)
    assert len(set(Claim.objects.values_list("subject_kind", flat=True))) > 1
    assert mismatched() == 0


def feed() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM factbase_changes")
        return cursor.fetchone()[0]


def test_the_migration_fills_the_column_and_logs_no_change():
    migration = importlib.import_module("factbase.migrations.0028_claim_subject_kind")
    claims = [ClaimFactory(subject=PersonFactory(), status="published"), ClaimFactory(subject=CountryFactory())]
    with connection.cursor() as cursor:
        # What the column held before the fill: the default it was added with.
        cursor.execute("UPDATE factbase_claim SET subject_kind = 'event'")
    logged = feed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A migration's transaction has no row writes pending when it fills the column;
            # this test's has (deferred foreign-key checks), and ALTER TABLE waits for none.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.fill(None, SimpleNamespace(connection=connection))
    assert [Claim.objects.get(pk=claim.pk).subject_kind for claim in claims] == ["person", "country"]
    if connection.vendor == "postgresql":  # SQLite drops the feed's triggers while migrations run
        assert feed() == logged  # the fill is no change a client sees
        claims[0].save()
        assert feed() == logged + 1  # and the feed's trigger is back


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics (sqlite_stat1)")
def test_the_facets_date_index_migration_gives_the_index_its_statistics():
    # Without them SQLite took the new index for every `status = ?` and read all published
    # claims for each facts/ page (5 s at a million claims).
    migration = importlib.import_module("factbase.migrations.0037_claim_status_dates_facets")
    ClaimFactory.create_batch(3, status="published")

    def stats() -> list:
        with connection.cursor() as cursor:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'claim_status_dates_facets'")
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factbase_claim")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = 'claim_status_dates_facets'")
    assert stats() == []
    migration.analyze(None, SimpleNamespace(connection=connection))
    assert stats() and stats()[0][0].startswith("3 ")
