"""`manage.py load_checked [FILE …]`: load fixtures in one transaction and re-validate them.

Without arguments it loads the reference and seed fixtures that `make run` uses, in order.
On any bad record it names the record, rolls everything back and exits non-zero."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factbase.services.fixtures import FixtureError, fixtures_load

DEFAULT_ORDER = ["countries.json", "predicates.json"]


def default_fixture_paths() -> list[Path]:
    folder = Path(settings.BASE_DIR) / "fixtures"
    present = sorted(folder.glob("*.json"))
    first = [folder / name for name in DEFAULT_ORDER if (folder / name).exists()]
    return first + [p for p in present if p not in first]


class Command(BaseCommand):
    help = "Load JSON fixtures (natural keys) in one transaction and verify every span, date and reference."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Fixture files; default: every fixtures/*.json, reference first.")

    def handle(self, *args, paths=(), **options):
        files = [Path(p) for p in paths] or default_fixture_paths()
        missing = [str(p) for p in files if not p.is_file()]
        if missing:
            raise CommandError(f"No such fixture file: {', '.join(missing)}")
        if not files:
            self.stdout.write("No fixtures to load.")
            return
        try:
            counts = fixtures_load(files, using=options.get("database", "default") or "default")
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        total = sum(counts.values())
        detail = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items()))
        self.stdout.write(
            self.style.SUCCESS(f"Loaded and verified {total} records from {len(files)} file(s). {detail}")
        )
