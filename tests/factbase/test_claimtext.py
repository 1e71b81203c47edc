"""The claim text index (factbase/claimtext.py): one document per claim, kept in step with
its spans, value, subject and the subject's names by triggers, on SQLite and PostgreSQL.
Every behaviour runs on the index and on the LIKE fallback, which must agree."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from factbase import claimtext, search
from factbase.models import Claim, SourceSpan
from factbase.services.entities import alias_add, entity_merge, entity_update
from tests.factories import AliasFactory, ClaimFactory, DocumentFactory, PersonFactory, SourceSpanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "like"])
def backend(request, monkeypatch):
    if request.param == "like":
        monkeypatch.setattr(search, "backend", lambda using: "like")
    return request.param


@pytest.fixture
def document():
    return DocumentFactory()


def found(q):
    return list(Claim.objects.search(q).order_by("pk"))


def test_the_index_exists_on_this_database():
    assert claimtext.ready(connection)
    assert search.claim_ids_sql("lavrov", "default") is not None


def test_words_may_fall_in_different_parts_of_a_claim(backend, document):
    lavrov = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    claim = ClaimFactory(subject=lavrov, spans=[], value="")
    SourceSpanFactory(claim=claim, document=document, quote="He met with the leaders")
    other = ClaimFactory(spans=[])
    SourceSpanFactory(claim=other, document=document, quote="He met with the leaders")
    assert found("lavrov leaders") == [claim]
    assert found("lavrov indonesia") == []  # no part of the claim says Indonesia


def test_words_may_come_from_two_spans(backend, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    SourceSpanFactory(claim=claim, document=document, quote="foreign ministers")
    assert found("indonesia ministers") == [claim]


def test_follows_span_changes(backend, document):
    claim = ClaimFactory(spans=[])
    span = SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    assert found("indonesia") == [claim]
    SourceSpan.objects.filter(pk=span.pk).update(exact="visited Laos")
    assert found("indonesia") == []
    assert found("laos") == [claim]
    span.delete()
    assert found("laos") == []


def test_follows_a_span_moving_to_another_claim(backend, document):
    first, second = ClaimFactory(spans=[]), ClaimFactory(spans=[])
    span = SourceSpanFactory(claim=first, document=document, quote="visited Indonesia")
    SourceSpan.objects.filter(pk=span.pk).update(claim=second)
    assert found("indonesia") == [second]


def test_follows_value_and_subject_changes(backend):
    claim = ClaimFactory(spans=[], value="Su-35 warplanes")
    assert found("warplanes") == [claim]
    Claim.objects.filter(pk=claim.pk).update(value="corvettes")
    assert found("warplanes") == []
    assert found("corvettes") == [claim]
    Claim.objects.filter(pk=claim.pk).update(subject=PersonFactory(name="Dmitry Streltsov", slug="streltsov"))
    assert found("streltsov corvettes") == [claim]


def test_follows_subject_renames_and_aliases(backend):
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


def test_follows_merges(backend):
    survivor = PersonFactory(name="Sergei Lavrov", slug="lavrov")
    loser = PersonFactory(name="S. Lavrov", slug="s-lavrov")
    AliasFactory(entity=loser, name="Minister Lavrov")
    claim = ClaimFactory(subject=loser, spans=[])
    entity_merge(survivor=survivor, loser=loser)
    # The claim now speaks of the survivor, whose aliases include the loser's names.
    assert found("sergei") == [claim]
    assert found("minister") == [claim]


def test_forgets_deleted_claims(backend, document):
    claim = ClaimFactory(spans=[])
    SourceSpanFactory(claim=claim, document=document, quote="visited Indonesia")
    claim.delete()
    assert found("indonesia") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite triggers are the ones suspended for migrations")
def test_migrate_suspends_and_restores_the_sqlite_triggers(document):
    claim = ClaimFactory(spans=[])
    claimtext.suspend_for_migrate(sender=None, using="default", plan=[("a migration", False)])
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
    claimtext.suspend_for_migrate(sender=None, using="default", plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Claim)
    search.repair_after_migrate(sender=None)  # as post_migrate does: every index's triggers back
    claim = ClaimFactory(spans=[], value="corvettes")
    assert found("corvettes") == [claim]


def test_rebuild_matches_what_the_triggers_wrote(document):
    claims = [ClaimFactory(spans=[], value=f"value {n}") for n in range(3)]
    SourceSpanFactory(claim=claims[0], document=document, quote="visited Indonesia")
    before = {q: found(q) for q in ("indonesia", "value", "lavrov")}
    claimtext.rebuild(connection)
    assert {q: found(q) for q in before} == before
