"""`manage.py indexes [check|rebuild] [--database ALIAS]`: the indexes of factbase/indexes/
(entity names, claim text, claim dates). `check` lists what is missing (tables, indexes,
triggers, functions) and exits non-zero if anything is; `rebuild` puts missing triggers back
and refills every index from the tables."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from factbase import indexes


class Command(BaseCommand):
    help = "Check or rebuild the full-text and interval indexes."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"])
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, action, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if action == "rebuild":
            with transaction.atomic(using=database):
                indexes.rebuild(connection)
            self.stdout.write(self.style.SUCCESS("Indexes rebuilt."))
        missing = indexes.check(connection)
        for name, problems in missing.items():
            state = "missing " + ", ".join(problems) if problems else "ok"
            self.stdout.write(f"{name}: {state}")
        if any(missing.values()):
            raise CommandError("Some indexes are incomplete; `manage.py indexes rebuild` restores their triggers.")
