"""`manage.py restore FILE`: load a backup written by `manage.py backup`, all-or-nothing.

The records go through the checked fixture loader (one transaction; every span, date,
hash and reference verified), so a damaged or truncated backup changes nothing. Restore
into a freshly migrated database, or into the one the backup came from (rows are matched
by id and natural key, so restoring the same backup twice changes nothing)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from factbase.indexes import bulk
from factbase.services.fixtures import FixtureError, fixtures_load


def reset_sequences(labels, using: str) -> None:
    """Rows came with their ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    bulk.reset_sequences(connections[using], [apps.get_model(label) for label in labels])


class Command(BaseCommand):
    help = "Restore a backup file (from `manage.py backup`) in one verified transaction."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file, e.g. backups/factbase-20210805T120000Z.json.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database=DEFAULT_DB_ALIAS, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such backup file: {file}")
        try:
            with transaction.atomic(using=database):
                counts = fixtures_load([file], using=database)
                reset_sequences(counts, using=database)
        except FixtureError as exc:
            raise CommandError(f"Nothing was restored. {exc}") from exc
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Restored and verified {total} records from {file}."))
