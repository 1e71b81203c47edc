"""`manage.py regroup_facts [--all] [--batch-size N] [--database ALIAS]`: put every claim
that is in no fact (written before facts existed, or by a bulk load) in the fact of the
claims that state the same, or in a new one, as grouping on write would have; with `--all`,
group every claim again from scratch. Claims a curator split out or joined (`fact_pinned`)
never move. Set-based, a batch of whole subjects per transaction (factbase/services/facts.py,
`facts_regroup`): run it again after an interruption; a second run changes nothing
(docs/curation.md#grouping-existing-claims)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from factbase.models import Claim
from factbase.services.facts import REGROUP_BATCH, facts_regroup


class Command(BaseCommand):
    help = "Group the claims that are in no fact (or, with --all, every claim not pinned by a curator) into facts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every",
            help="Group every claim again from scratch, not only those in no fact (pinned claims never move).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REGROUP_BATCH,
            help=f"Claims read per transaction, rounded up to whole subjects (default {REGROUP_BATCH:,}).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, every=False, batch_size=REGROUP_BATCH, database=DEFAULT_DB_ALIAS, **options):
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1 (got {batch_size}).")
        if database not in connections:
            raise CommandError(f"No database {database!r} in settings.DATABASES.")
        claims = Claim.objects.using(database)
        pending = claims.filter(fact_pinned=False) if every else claims.filter(fact__isnull=True, fact_pinned=False)
        total = pending.count()
        which = "claim(s) not pinned by a curator" if every else "claim(s) in no fact"
        if total == 0:
            none = "every claim is pinned by a curator" if every else "no claim is in no fact"
            self.stdout.write(f"Nothing to group: {none}.")
            return
        self.stdout.write(f"Grouping {total:,} {which}…")
        started = time.monotonic()

        def progress(done):
            if options.get("verbosity", 1) >= 2:
                self.stdout.write(f"  {done.claims:,} of {total:,} claims, {time.monotonic() - started:.1f} s")

        done = facts_regroup(every=every, batch_size=batch_size, using=database, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Grouped {done.claims:,} claim(s) in {done.batches} batch(es), {time.monotonic() - started:.1f} s: "
                f"{done.moved:,} moved or given a fact, {done.founded:,} fact(s) founded, "
                f"{done.emptied:,} emptied fact(s) deleted; sources and contradictions counted again."
            )
        )
