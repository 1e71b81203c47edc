"""`manage.py synth --claims N --seed S [--database ALIAS]`: add a deterministic synthetic
corpus of N claims (with the people, organisations, events, documents and spans they need)
for benchmarks and load tests. See factbase/synth/ for what it builds."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from factbase.models import Claim
from factbase.synth import synth_build


class Command(BaseCommand):
    help = "Build a deterministic synthetic corpus of N claims (bulk inserts; 1M claims in a few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="Number of claims to create (e.g. 1000000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: same seed, same data (default 1).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to fill (default: default).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add to a database that already holds claims (the result is then not reproducible).",
        )

    def handle(self, *args, claims, seed, database, force, **options):
        if claims < 0:
            raise CommandError("--claims must be zero or more.")
        existing = Claim.objects.using(database).count()
        if existing and not force:
            raise CommandError(
                f"The database already holds {existing:,} claims. Use an empty database for reproducible data, "
                "or pass --force to add to it."
            )
        report = synth_build(claims=claims, seed=seed, using=database, log=self.stdout.write)
        for label, count in report.counts.items():
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Built {claims:,} synthetic claims in {report.seconds:.1f} s."))
