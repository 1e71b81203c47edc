"""The admin's merges: its merge action records each merge, and reviewers undo merges from
their list (staff administrators those of countries), through the same service as the API."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from factbase.models import Alias, Claim, Entity, EntityMerge, Person
from factbase.services.entities import entity_merge
from tests.factories import ClaimFactory, CountryFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:factbase_entitymerge_changelist")


def merged(survivor, loser) -> int:
    pk = loser.pk
    entity_merge(survivor=survivor, loser=loser)
    return pk


def undo(client, *merged_ids):
    records = EntityMerge.objects.filter(merged_id__in=merged_ids).values_list("pk", flat=True)
    response = client.post(CHANGELIST, {"action": "undo_merges", "_selected_action": list(records)})
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def test_the_merge_action_records_the_merge(reviewer_admin):
    kept, duplicate = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="S. Lavrov")
    duplicate_pk = duplicate.pk
    response = reviewer_admin.post(
        reverse("admin:factbase_person_changelist"),
        {"action": "merge_entities", "_selected_action": [kept.pk, duplicate_pk], "post": "yes", "survivor": kept.pk},
    )
    assert response.status_code == 302
    assert EntityMerge.objects.get(merged_id=duplicate_pk).survivor_id == kept.pk


@pytest.mark.parametrize("merges", [1, 3])
def test_the_list_of_merges_costs_the_same_whatever_rows(reviewer_admin, django_assert_num_queries, merges):
    for _ in range(merges):
        merged(PersonFactory(), PersonFactory())
    # session, user, the user's and the groups' permissions, the capped count, the page (with
    # the survivor and the user joined)
    with django_assert_num_queries(6):
        response = reviewer_admin.get(CHANGELIST)
        response.render()
    assert response.status_code == 200
    assert response.context["cl"].result_count == merges


def test_a_reviewer_undoes_merges(reviewer_admin):
    kept = PersonFactory(name="Sergei Lavrov")
    first, second = PersonFactory(name="S. Lavrov"), PersonFactory(name="Lavrov S.")
    claim = ClaimFactory(subject=first)
    first_pk, second_pk = merged(kept, first), merged(kept, second)

    response, messages = undo(reviewer_admin, first_pk, second_pk)

    assert response.status_code == 302
    assert messages == ["Restored “Lavrov S.”, “S. Lavrov” exactly as before the merge."]
    assert set(Person.objects.filter(pk__in=[first_pk, second_pk]).values_list("name", flat=True)) == {
        "S. Lavrov",
        "Lavrov S.",
    }
    assert Claim.objects.get(pk=claim.pk).subject_id == first_pk
    assert not Alias.objects.filter(entity=kept).exists()
    assert not EntityMerge.objects.exists()


def test_a_merge_that_cannot_be_undone_exactly_is_reported_and_kept(reviewer_admin):
    kept, duplicate, other = PersonFactory(), PersonFactory(name="Duplicate"), PersonFactory()
    claim = ClaimFactory(subject=duplicate)
    duplicate_pk = merged(kept, duplicate)
    Claim.objects.filter(pk=claim.pk).update(subject=other)

    _, messages = undo(reviewer_admin, duplicate_pk)

    assert len(messages) == 1 and messages[0].startswith(
        f"Cannot undo the merge of Duplicate (#{duplicate_pk}) exactly"
    )
    assert EntityMerge.objects.filter(merged_id=duplicate_pk).exists()
    assert not Entity.objects.filter(pk=duplicate_pk).exists()


def test_a_countrys_merge_is_undone_by_staff_administrators_only(reviewer_admin, administrator):
    from django.test import Client

    kept, duplicate = CountryFactory(name="Russia"), CountryFactory(name="Russian Federation")
    duplicate_pk = merged(kept, duplicate)

    _, messages = undo(reviewer_admin, duplicate_pk)
    assert messages == [f"Russian Federation (#{duplicate_pk}): Only staff administrators may merge countries."]
    assert EntityMerge.objects.filter(merged_id=duplicate_pk).exists()

    client = Client()
    client.force_login(administrator)
    _, messages = undo(client, duplicate_pk)
    assert messages == ["Restored “Russian Federation” exactly as before the merge."]
    assert Entity.objects.filter(pk=duplicate_pk).exists()
