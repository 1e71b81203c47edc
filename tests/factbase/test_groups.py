import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_groups_exist_after_migrate_with_role_permissions():
    curators = set(Group.objects.get(name="curators").permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name="reviewers").permissions.values_list("codename", flat=True))
    assert {"add_claim", "change_claim", "add_sourcespan", "view_unpublished_claim", "change_document"} <= curators
    assert "publish_claim" not in curators
    assert reviewers - curators == {"publish_claim"}
