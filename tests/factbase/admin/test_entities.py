"""Entity screens: search by name and alias (also in the entity pickers' autocomplete),
inlines, history, and merging duplicates."""

import json

import pytest
from django.urls import reverse

from factbase.models import Alias, Claim, Entity, Mention, Person
from tests.factbase.admin.helpers import form_data
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    MentionFactory,
    PersonFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def merge(client, model_name, entities, **extra):
    return client.post(
        reverse(f"admin:factbase_{model_name}_changelist"),
        {"action": "merge_entities", "_selected_action": [e.pk for e in entities], **extra},
        follow=True,
    )


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("model_name", ["country", "entity"])
def test_entity_search_finds_alias(curator_admin, model_name):
    myanmar = CountryFactory(name="Myanmar")
    AliasFactory(entity=myanmar, name="Burma")
    CountryFactory(name="Laos")

    page = curator_admin.get(reverse(f"admin:factbase_{model_name}_changelist"), {"q": "Burma"})

    assert [e.pk for e in page.context["cl"].result_list] == [myanmar.pk]


def test_entity_search_matches_word_prefix_of_name(curator_admin):
    lavrov = PersonFactory(name="Sergei Lavrov")
    PersonFactory(name="Nikolai Patrushev")

    page = curator_admin.get(reverse("admin:factbase_person_changelist"), {"q": "lav"})

    assert list(page.context["cl"].result_list) == [lavrov]


def test_entity_picker_autocomplete_finds_alias(curator_admin):
    myanmar = CountryFactory(name="Myanmar")
    AliasFactory(entity=myanmar, name="Burma")
    PersonFactory(name="Sergei Lavrov")

    response = curator_admin.get(
        reverse("admin:autocomplete"),
        {"app_label": "factbase", "model_name": "claim", "field_name": "subject", "term": "burma"},
    )

    assert json.loads(response.content)["results"] == [{"id": str(myanmar.pk), "text": "Myanmar"}]


def test_entity_list_links_to_the_typed_screen(curator_admin):
    person = PersonFactory()

    response = curator_admin.get(reverse("admin:factbase_entity_change", args=[person.pk]))

    assert response["Location"] == reverse("admin:factbase_person_change", args=[person.pk])


def test_entities_are_added_in_their_own_lists(curator_admin):
    response = curator_admin.get(reverse("admin:factbase_entity_add"))

    assert response.status_code == 403


# ---------------------------------------------------------------- inlines and history


def test_person_saved_with_alias_inline_and_history_names_the_curator(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    url = reverse("admin:factbase_person_change", args=[person.pk])
    page = curator_admin.get(url)
    data = {**form_data(page), "description": "Foreign minister since 2004."}
    data.update({"aliases-0-name": "Lavrov", "aliases-0-language": "en", "aliases-0-kind": "common"})

    response = curator_admin.post(url, data)

    assert response.status_code == 302
    assert list(person.aliases.values_list("name", flat=True)) == ["Lavrov"]
    history = curator_admin.get(reverse("admin:factbase_person_history", args=[person.pk]))
    latest = history.context["page_obj"][0]
    changes = {change["field"]: change["new"] for change in latest.history_delta_changes}
    assert (latest.history_user.username, changes["Description"]) == (
        "curator-1",
        "Foreign minister since 2004.",
    )


def test_alias_inline_rows_changed_and_deleted_in_one_save(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=person, name="Lavrov")
    AliasFactory(entity=person, name="S. Lavrov")
    url = reverse("admin:factbase_person_change", args=[person.pk])
    page = curator_admin.get(url)
    data = {**form_data(page), "aliases-0-kind": "official", "aliases-1-DELETE": "on"}

    response = curator_admin.post(url, data)

    assert response.status_code == 302
    assert list(person.aliases.values_list("name", "kind", "normalised")) == [("Lavrov", "official", "lavrov")]


def test_person_screen_shows_computed_fields_read_only(curator_admin):
    person = PersonFactory()

    page = curator_admin.get(reverse("admin:factbase_person_change", args=[person.pk]))

    assert {"kind", "claims_about"} <= set(page.context["adminform"].readonly_fields)
    assert "kind" not in page.context["adminform"].form.fields


# ---------------------------------------------------------------- merge


def test_merge_asks_which_entity_to_keep(reviewer_admin):
    first, second = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="S. Lavrov")
    ClaimFactory(subject=second)

    page = merge(reviewer_admin, "person", [first, second])

    assert page.templates[0].name == "admin/factbase/merge_entities.html"
    assert [(row["entity"].name, row["claims"]) for row in page.context["rows"]] == [
        ("Sergei Lavrov", 0),
        ("S. Lavrov", 1),
    ]
    assert page.context["default_survivor"] == second.pk
    assert Person.objects.count() == 2


def test_merge_moves_everything_to_the_survivor(reviewer_admin):
    survivor, loser = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="Sergey Lavrov")
    claims = [ClaimFactory(subject=loser), ClaimFactory(attributed_to=loser)]
    mention = MentionFactory(entity=loser)
    role = RoleFactory(person=loser)

    page = merge(reviewer_admin, "person", [survivor, loser], post="yes", survivor=survivor.pk)

    assert page.redirect_chain[-1][0] == reverse("admin:factbase_person_change", args=[survivor.pk])
    assert not Entity.objects.filter(pk=loser.pk).exists()
    assert sorted(Claim.objects.about(survivor).values_list("pk", flat=True)) == sorted(c.pk for c in claims)
    assert Mention.objects.get(pk=mention.pk).entity_id == survivor.pk
    role.refresh_from_db()
    assert role.person_id == survivor.pk
    assert list(Alias.objects.filter(entity=survivor).values_list("name", flat=True)) == ["Sergey Lavrov"]
    record = survivor.history.latest()
    assert (record.history_user.username, record.history_change_reason) == (
        "reviewer-1",
        f"Merged Sergey Lavrov (#{loser.pk}) into this entity",
    )


def test_merge_of_three_keeps_the_chosen_one(reviewer_admin):
    a, b, c = (
        PersonFactory(name="Patrushev"),
        PersonFactory(name="Nikolai Patrushev"),
        PersonFactory(name="N. Patrushev"),
    )

    merge(reviewer_admin, "person", [a, b, c], post="yes", survivor=b.pk)

    assert list(Person.objects.values_list("name", flat=True)) == ["Nikolai Patrushev"]
    assert sorted(b.aliases.values_list("name", flat=True)) == ["N. Patrushev", "Patrushev"]


def test_merge_refuses_entities_of_different_kinds(reviewer_admin):
    person, country = PersonFactory(name="Georgia"), CountryFactory(name="Georgia")

    page = merge(reviewer_admin, "entity", [person, country], post="yes", survivor=person.pk)

    assert [str(m) for m in page.context["messages"]] == [
        "Cannot merge entities of different kinds (country, person): "
        "merge only duplicates of the same person, country, organisation or event."
    ]
    assert Entity.objects.filter(pk__in=[person.pk, country.pk]).count() == 2


def test_merge_needs_two_entities(reviewer_admin):
    person = PersonFactory()

    page = merge(reviewer_admin, "person", [person])

    assert [str(m) for m in page.context["messages"]] == ["Select two or more entities to merge."]


def test_merging_is_not_offered_to_curators(curator_admin, reviewer_admin):
    first, second = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="S. Lavrov")
    changelist = reverse("admin:factbase_person_changelist")

    assert "merge_entities" not in dict(curator_admin.get(changelist).context["action_form"].fields["action"].choices)
    assert "merge_entities" in dict(reviewer_admin.get(changelist).context["action_form"].fields["action"].choices)
    page = merge(curator_admin, "person", [first, second], post="yes", survivor=first.pk)

    assert [str(m) for m in page.context["messages"]] == ["No action selected."]
    assert Person.objects.count() == 2


def test_countries_are_merged_by_staff_administrators_only(reviewer_admin):
    first, second = CountryFactory(name="Burma"), CountryFactory(name="Myanmar")

    page = merge(reviewer_admin, "entity", [first, second], post="yes", survivor=second.pk)

    assert [str(m) for m in page.context["messages"]] == [
        "Only staff administrators may merge countries. Nothing was merged."
    ]
    assert Entity.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    changelist = reverse("admin:factbase_country_changelist")
    assert reviewer_admin.get(changelist).context["action_form"] is None  # no action on countries at all


# ---------------------------------------------------------------- deleting


def test_person_delete_is_refused_while_claims_cite_them(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    claim = ClaimFactory(subject=person)

    response = curator_admin.post(reverse("admin:factbase_person_delete", args=[person.pk]), {"post": "yes"})

    assert response.status_code == 200
    claim_url = reverse("admin:factbase_claim_change", args=[claim.pk])
    assert [str(item) for item in response.context["protected"]] == [f'Claim: <a href="{claim_url}">{claim}</a>']
    assert Person.objects.filter(pk=person.pk).exists()


def test_person_delete_when_nothing_cites_them_deletes_them(curator_admin):
    person = PersonFactory(name="Nobody Cited")

    response = curator_admin.post(reverse("admin:factbase_person_delete", args=[person.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Entity.objects.filter(pk=person.pk).exists()
