from django.apps import AppConfig


class FactbaseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "factbase"
    verbose_name = "Factbase"

    def ready(self):
        # Curator groups are (re)synchronised after every migrate; see factbase/groups.py.
        from django.db.models.signals import post_migrate, pre_migrate

        from factbase import indexes, replicas  # noqa: F401 - replicas registers its system check
        from factbase.groups import ensure_curation_groups

        post_migrate.connect(ensure_curation_groups, sender=self)
        # SQLite table rebuilds in migrations drop the indexes' triggers; put them back.
        post_migrate.connect(indexes.after_migrate, sender=self)
        # Some SQLite triggers read other tables, which SQLite's table rebuilds cannot
        # tolerate: they are suspended while migrations run (factbase/indexes/claim_text.py).
        pre_migrate.connect(indexes.before_migrate, sender=self)
