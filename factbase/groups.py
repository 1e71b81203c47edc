"""The `curators` and `reviewers` groups and their permissions, kept in sync after every migrate."""

CURATED_MODELS = [
    "entity",
    "person",
    "country",
    "organisation",
    "event",
    "eventparticipant",
    "alias",
    "identifier",
    "role",
    "document",
    "mention",
    "predicate",
    "claim",
    "sourcespan",
]
CURATOR_CODENAMES = [
    f"{action}_{model}" for model in CURATED_MODELS for action in ("view", "add", "change", "delete")
] + ["view_unpublished_claim"]
REVIEWER_CODENAMES = CURATOR_CODENAMES + ["publish_claim"]
GROUPS = {"curators": CURATOR_CODENAMES, "reviewers": REVIEWER_CODENAMES}


def ensure_curation_groups(sender=None, using="default", **kwargs):
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # post_migrate for our app can run before auth's permissions for our models exist.
    if sender is not None:
        create_permissions(sender, verbosity=0, using=using)
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        perms = Permission.objects.using(using).filter(content_type__app_label="factbase", codename__in=codenames)
        group.permissions.set(perms)
