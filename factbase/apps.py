from django.apps import AppConfig


class FactbaseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factbase"
    verbose_name = "Factbase"

    def ready(self):
        # Curator groups are (re)synchronised after every migrate; see factbase/groups.py.
        from django.db.models.signals import post_migrate, pre_migrate

        from factbase.claimtext import suspend_for_migrate
        from factbase.groups import ensure_curation_groups
        from factbase.search import repair_after_migrate

        post_migrate.connect(ensure_curation_groups, sender=self)
        # SQLite table rebuilds in later migrations drop the full-text triggers; put them back.
        post_migrate.connect(repair_after_migrate, sender=self)
        # The claim text index's SQLite triggers read other tables, which SQLite's table
        # rebuilds cannot tolerate: they are dropped while migrations run (factbase/claimtext.py).
        pre_migrate.connect(suspend_for_migrate, sender=self)
