"""Merges are recorded and undone exactly: after entity_unmerge every table a merge touches
holds the same rows, ids and values as before the merge."""

import pytest
from django.core.exceptions import ValidationError

from factbase import models as m
from factbase.models import Alias, Claim, Entity, EntityMerge, Person
from factbase.services.entities import entity_delete, entity_merge, entity_update
from factbase.services.merges import entity_unmerge
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every table a merge may change (history tables and the merge records aside).
TABLES = (
    m.Entity,
    m.Person,
    m.Country,
    m.Organisation,
    m.Event,
    m.Alias,
    m.Identifier,
    m.Role,
    m.EventParticipant,
    m.Mention,
    m.RejectedSuggestion,
    m.Claim,
    m.SourceSpan,
    m.Document,
)


def database_state() -> dict:
    """Every row of every table a merge may change, all columns, in id order."""
    return {model.__name__: list(model._base_manager.order_by("pk").values()) for model in TABLES}


def busy_people():
    """Two people with something of every kind, some of it duplicated between them."""
    russia = CountryFactory(name="Russia")
    ministry = OrganisationFactory(name="Ministry")
    survivor = PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov", nationality=russia)
    loser = PersonFactory(
        name="S. Lavrov", slug="s-lavrov", nationality=russia, given_name="Sergei", wikidata_qid="Q80510"
    )
    AliasFactory(entity=survivor, name="Lavrov")
    AliasFactory(entity=loser, name="Lavrov")  # the survivor has it: deleted by the merge
    AliasFactory(entity=loser, name="Сергей Лавров", language="ru")  # moved
    IdentifierFactory(entity=loser, value="loser-id")
    RoleFactory(person=loser, organisation=ministry, title="Foreign Minister")
    RoleFactory(person=loser, organisation=None, title="Diplomat")
    visit, summit = EventFactory(name="Visit"), EventFactory(name="Summit")
    EventParticipantFactory(event=visit, entity=survivor, role="visitor")
    EventParticipantFactory(event=visit, entity=loser, role="visitor")  # a duplicate: deleted
    EventParticipantFactory(event=summit, entity=loser, role="attendee")  # moved
    document = DocumentFactory()
    MentionFactory(document=document, entity=survivor)
    MentionFactory(document=document, entity=loser)  # same offsets: deleted
    MentionFactory(document=document, entity=loser, quote="Lavrov visited")  # moved
    m.RejectedSuggestion.objects.create(document=document, entity=loser, start=0, end=7)  # dies with the loser
    ClaimFactory(subject=loser, object=russia)
    ClaimFactory(subject=survivor, object=loser)
    ClaimFactory(subject=loser, object=None, attributed_to=loser, event=visit)
    return survivor, loser


def test_merge_records_where_the_merged_id_leads():
    survivor, loser = busy_people()
    loser_pk = loser.pk
    user = UserFactory()

    entity_merge(survivor=survivor, loser=loser, by=user)

    record = EntityMerge.objects.get(merged_id=loser_pk)
    assert (record.survivor_id, record.kind, record.slug, record.merged_by) == (survivor.pk, "person", "s-lavrov", user)


def test_unmerge_restores_every_row_exactly():
    survivor, loser = busy_people()
    loser_pk = loser.pk
    before = database_state()

    entity_merge(survivor=survivor, loser=loser)
    assert database_state() != before
    restored = entity_unmerge(merged_id=loser_pk)

    assert (type(restored), restored.pk) == (Person, loser_pk)
    assert database_state() == before
    assert not EntityMerge.objects.exists()


@pytest.mark.parametrize("kind", ["organisation", "event", "country"])
def test_unmerge_restores_every_row_exactly_for_each_kind(kind):
    russia, ussr = CountryFactory(name="Russia"), CountryFactory(name="USSR", is_historical=True)
    document = DocumentFactory()
    if kind == "organisation":
        survivor = OrganisationFactory(name="MFA", country=russia)
        loser = OrganisationFactory(name="Foreign Ministry", country=russia, wikidata_qid="Q1")
        OrganisationFactory(parent=loser)
        RoleFactory(organisation=loser)
        document.publisher = loser
        document.save()
        ClaimFactory(subject=loser, object=russia)
    elif kind == "event":
        survivor, loser = EventFactory(name="Visit"), EventFactory(name="Trip to Jakarta", location_country=russia)
        EventFactory(parent=loser)
        EventParticipantFactory(event=loser)  # the event's own participants die with it
        EventParticipantFactory(event=loser, role="host")
        ClaimFactory(event=loser)
        ClaimFactory(subject=loser, object=None)
    else:
        survivor, loser = russia, ussr
        PersonFactory(nationality=loser)
        OrganisationFactory(country=loser)
        EventFactory(location_country=loser)
        ClaimFactory(object=loser)
    MentionFactory(document=document, entity=loser)
    loser_pk = loser.pk
    before = database_state()

    entity_merge(survivor=survivor, loser=loser)
    entity_unmerge(merged_id=loser_pk)

    assert database_state() == before


def test_merging_the_survivor_points_the_older_merge_at_the_new_survivor():
    a, b, c = PersonFactory(name="A"), PersonFactory(name="B"), PersonFactory(name="C")
    claim = ClaimFactory(subject=a)
    a_pk, b_pk = a.pk, b.pk

    entity_merge(survivor=b, loser=a)
    entity_merge(survivor=c, loser=b)

    assert dict(EntityMerge.objects.values_list("merged_id", "survivor_id")) == {a_pk: c.pk, b_pk: c.pk}
    assert Claim.objects.get(pk=claim.pk).subject_id == c.pk


def test_a_chain_undone_from_the_last_merge_back_restores_everything():
    a, b, c = PersonFactory(name="A"), PersonFactory(name="B"), PersonFactory(name="C")
    ClaimFactory(subject=a)
    ClaimFactory(subject=b, object=a)
    AliasFactory(entity=a, name="Alpha")
    a_pk, b_pk = a.pk, b.pk
    before = database_state()
    entity_merge(survivor=b, loser=a)
    after_first = database_state()
    entity_merge(survivor=c, loser=b)

    entity_unmerge(merged_id=b_pk)
    assert database_state() == after_first
    assert dict(EntityMerge.objects.values_list("merged_id", "survivor_id")) == {a_pk: b_pk}
    entity_unmerge(merged_id=a_pk)
    assert database_state() == before


def test_the_first_merge_of_a_chain_can_be_undone_on_its_own():
    a, b, c = PersonFactory(name="A"), PersonFactory(name="B"), PersonFactory(name="C")
    claim = ClaimFactory(subject=a)
    alias = AliasFactory(entity=a, name="Alpha")
    a_pk = a.pk
    entity_merge(survivor=b, loser=a)
    entity_merge(survivor=c, loser=b)

    restored = entity_unmerge(merged_id=a_pk)

    assert restored.pk == a_pk and restored.name == "A"
    assert (Claim.objects.get(pk=claim.pk).subject_id, Alias.objects.get(pk=alias.pk).entity_id) == (a_pk, a_pk)
    # The alias "A" the first merge gave B (then C) is gone; B's stays with C.
    assert sorted(Alias.objects.filter(entity=c).values_list("name", flat=True)) == ["B"]


def test_unmerge_refuses_when_a_row_was_repointed_since():
    survivor, loser, other = PersonFactory(), PersonFactory(name="Dup"), PersonFactory()
    claim = ClaimFactory(subject=loser)
    loser_pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    Claim.objects.filter(pk=claim.pk).update(subject=other)

    with pytest.raises(
        ValidationError, match=rf"changed to refer to another entity than .*: 1 claim \(#{claim.pk}\)\."
    ):
        entity_unmerge(merged_id=loser_pk)
    assert not Entity.objects.filter(pk=loser_pk).exists()
    assert EntityMerge.objects.filter(merged_id=loser_pk).exists()


def test_unmerge_refuses_when_the_survivor_was_deleted():
    survivor, loser = PersonFactory(), PersonFactory(name="Dup")
    loser_pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    Alias.objects.filter(entity=survivor).delete()
    entity_delete(entity=survivor)

    with pytest.raises(ValidationError, match="has since been deleted"):
        entity_unmerge(merged_id=loser_pk)


def test_unmerge_refuses_when_the_slug_was_taken_since():
    survivor, loser = PersonFactory(), PersonFactory(name="Dup", slug="dup")
    loser_pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    PersonFactory(slug="dup")

    with pytest.raises(ValidationError, match="slug 'dup' is now another entity's"):
        entity_unmerge(merged_id=loser_pk)


def test_unmerge_without_a_record_is_refused():
    with pytest.raises(ValidationError, match="No merge of entity #123456 is recorded"):
        entity_unmerge(merged_id=123456)


def test_unmerge_keeps_later_edits_of_the_survivor():
    survivor, loser = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="Dup")
    loser_pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    entity_update(entity=Person.objects.get(pk=survivor.pk), description="Edited after the merge")

    entity_unmerge(merged_id=loser_pk)

    assert Person.objects.get(pk=survivor.pk).description == "Edited after the merge"


def test_unmerge_is_recorded_in_history_with_who_did_it():
    survivor, loser = PersonFactory(), PersonFactory(name="Dup")
    loser_pk = loser.pk
    user = UserFactory()
    entity_merge(survivor=survivor, loser=loser, by=user)

    entity_unmerge(merged_id=loser_pk, by=user)

    restored = Person.history.filter(id=loser_pk).first()
    assert (restored.history_type, restored.history_user) == ("+", user)
    undone = EntityMerge.history.filter(merged_id=loser_pk).first()
    assert (undone.history_type, undone.history_user) == ("-", user)
    assert "undone" in Person.history.filter(id=survivor.pk).first().history_change_reason


def test_unmerge_reads_and_moves_many_rows_in_chunks(monkeypatch):
    monkeypatch.setattr("factbase.services.merges.CHUNK", 2)
    survivor, loser = PersonFactory(), PersonFactory(name="Dup")
    for _ in range(5):
        ClaimFactory(subject=loser)
        MentionFactory(entity=survivor)
        MentionFactory(entity=loser)  # same characters in its own document: not a duplicate
    loser_pk = loser.pk
    before = database_state()

    entity_merge(survivor=survivor, loser=loser)
    entity_unmerge(merged_id=loser_pk)

    assert database_state() == before


@pytest.mark.parametrize("kind", ["organisation", "event"])
def test_merging_its_own_parent_into_an_entity_gives_it_the_parents_parent(kind):
    # The parent's children moved to the survivor would have made the survivor its own parent.
    make = OrganisationFactory if kind == "organisation" else EventFactory
    grandparent = make(name="Government")
    parent = make(name="Ministry", parent=grandparent)
    child = make(name="Department", parent=parent)
    sibling = make(name="Other department", parent=parent)
    parent_pk = parent.pk
    before = database_state()

    survivor = entity_merge(survivor=child, loser=parent)

    survivor.refresh_from_db()
    sibling.refresh_from_db()
    assert (survivor.parent_id, sibling.parent_id) == (grandparent.pk, child.pk)
    entity_unmerge(merged_id=parent_pk)
    assert database_state() == before
