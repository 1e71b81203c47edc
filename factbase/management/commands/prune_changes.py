"""`manage.py prune_changes [--days N] [--database ALIAS]`: delete the change feed's entries
older than FACTBASE_CHANGES_RETENTION_DAYS (or N) days. A client whose cursor was among them
is answered 410 Gone and starts again from a full export (docs/api.md#changes). Run it daily
(docs/operations.md)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from factbase.indexes import changes


class Command(BaseCommand):
    help = "Delete the change feed's entries older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days (default: FACTBASE_CHANGES_RETENTION_DAYS).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, days=None, database=DEFAULT_DB_ALIAS, **options):
        days = settings.FACTBASE_CHANGES_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
        with transaction.atomic(using=database):
            deleted = changes.prune(connections[database], before=before)
        self.stdout.write(f"Deleted {deleted} change(s) older than {days} day(s).")
