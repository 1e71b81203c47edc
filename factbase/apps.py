from django.apps import AppConfig


class FactbaseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factbase"
    verbose_name = "Factbase"

    def ready(self):
        # Curator groups are (re)synchronised after every migrate; see factbase/groups.py.
        from django.db.models.signals import post_migrate

        from factbase.groups import ensure_curation_groups
        from factbase.search import repair_after_migrate

        post_migrate.connect(ensure_curation_groups, sender=self)
        # SQLite table rebuilds in later migrations drop the full-text triggers; put them back.
        post_migrate.connect(repair_after_migrate, sender=self)
