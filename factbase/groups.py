"""The role groups (`curators`, `reviewers`, `administrators`) and their Django permissions,
derived from factbase/permissions.py and kept in sync after every migrate."""

from factbase.permissions import GROUPS, group_codenames


def ensure_curation_groups(sender=None, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    # post_migrate for our app can run before auth's permissions for our models exist.
    if sender is not None:
        for app_config in apps.get_app_configs():
            if app_config.models_module is not None:
                create_permissions(app_config, verbosity=0, using=using)
    for role, name in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = Q(pk__in=[])
        for app_label, codenames in group_codenames(role).items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.set(Permission.objects.using(using).filter(wanted))
