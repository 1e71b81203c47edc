import pytest
from django.contrib.auth.models import Group, Permission

from factbase.permissions import GROUPS, RULES, Role

pytestmark = pytest.mark.django_db


def codenames(group_name):
    permissions = Group.objects.get(name=group_name).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_groups_hold_exactly_what_the_declaration_gives_their_role():
    for role, name in GROUPS.items():
        expected = {
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label, actions in RULES.items()
            for action, roles in actions.items()
            if role in roles
        }
        assert codenames(name) == expected, name


def test_reference_data_is_read_only_to_curators_and_reviewers():
    for name in ("curators", "reviewers"):
        held = codenames(name)
        assert "factbase.view_country" in held
        assert not {"factbase.add_country", "factbase.change_country", "factbase.delete_country"} & held
        assert not {"factbase.add_predicate", "factbase.change_predicate", "factbase.delete_predicate"} & held
        assert {"factbase.add_alias", "factbase.change_alias"} <= held  # aliases of a country are curation
    assert {"factbase.change_country", "factbase.delete_predicate"} <= codenames("administrators")


def test_review_rights_are_the_reviewers_and_not_the_curators():
    curators, reviewers = codenames("curators"), codenames("reviewers")
    assert {"factbase.add_claim", "factbase.submit_claim", "factbase.view_unpublished_claim"} <= curators
    assert reviewers - curators == {
        "factbase.publish_claim",
        "factbase.merge_entity",
        "factbase.merge_person",
        "factbase.merge_organisation",
        "factbase.merge_event",
        "factbase.view_entitymerge",
        "factbase.unmerge_entitymerge",
        "factbase.rank_claim",
        "factbase.rank_fact",
        "factbase.change_contradiction",
        "factbase.resolve_contradiction",
        "factbase.assign_document",
        "factbase.done_document",
    }


def test_every_declared_action_is_a_permission_that_exists():
    existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    declared = {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in RULES.items()
        for action in actions
    }
    assert declared <= existing, declared - existing


def test_every_role_but_anonymous_has_a_group():
    assert set(GROUPS) == set(Role) - {Role.ANONYMOUS}
