import pytest
from django.core.exceptions import ValidationError

from factbase.models import Alias, Claim, Entity, Mention
from factbase.services.entities import entity_merge
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    PersonFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def test_merge_moves_everything_and_keeps_loser_name_as_alias():
    survivor = PersonFactory(name="Sergei Lavrov", slug="sergei-lavrov")
    loser = PersonFactory(name="S. Lavrov", slug="s-lavrov")
    AliasFactory(entity=loser, name="Lavrov")
    as_subject = ClaimFactory(subject=loser)
    as_attribution = ClaimFactory(attributed_to=loser)
    mention = MentionFactory(entity=loser)
    role = RoleFactory(person=loser)
    participation = EventParticipantFactory(entity=loser, event=EventFactory())

    entity_merge(survivor=survivor, loser=loser)

    assert not Entity.objects.filter(pk=loser.pk).exists()
    assert set(Claim.objects.about(survivor)) == {as_subject, as_attribution}
    assert Mention.objects.get(pk=mention.pk).entity_id == survivor.pk
    role.refresh_from_db()
    participation.refresh_from_db()
    assert (role.person_id, participation.entity_id) == (survivor.pk, survivor.pk)
    assert sorted(Alias.objects.filter(entity=survivor).values_list("name", flat=True)) == ["Lavrov", "S. Lavrov"]
    assert "Merged S. Lavrov" in survivor.history.first().history_change_reason


def test_merge_refuses_different_kinds():
    with pytest.raises(ValidationError):
        entity_merge(survivor=PersonFactory(), loser=CountryFactory())


def test_merge_refuses_same_entity():
    person = PersonFactory()
    with pytest.raises(ValidationError):
        entity_merge(survivor=person, loser=person)


def test_merge_of_long_named_entity_keeps_history_note_within_column():
    survivor = PersonFactory(name="Short name")
    loser = PersonFactory(name="A very long duplicate name " * 8)
    entity_merge(survivor=survivor, loser=loser)
    reason = survivor.history.first().history_change_reason
    assert reason.startswith("Merged A very long duplicate name") and len(reason) <= 100
