"""`manage.py import FILE [--dry-run] [--on-error continue] [--user NAME] [--json]`: import a
JSON Lines file of entities, aliases, documents, mentions, claims and spans
(factbase/services/imports.py; the format is in docs/api.md). `-` reads standard input.

The import runs as `--user` (default: the first active superuser), whose rights decide what
it may write, as in the API. It prints the counts per type and each refused line with its
field errors (`--json`: the API's report instead) and exits 1 when a line was refused."""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factbase.services.imports import MODES, import_lines


class Command(BaseCommand):
    help = "Import a JSON Lines file of entities, aliases, documents, mentions, claims and spans."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON Lines file (UTF-8, one object per line); - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every line, write nothing.")
        parser.add_argument(
            "--on-error",
            choices=MODES,
            default="abort",
            help="abort (default): any refused line writes nothing; continue: write the good lines.",
        )
        parser.add_argument("--user", default="", help="Username to import as; default: the first active superuser.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON, as the API answers it."
        )

    def handle(self, *args, path, dry_run, on_error, user, as_json, **options):
        by = self._user(user)
        if path == "-":
            lines = sys.stdin.buffer.read().splitlines()
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {path}")
            lines = file.read_bytes().splitlines()
        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity > 1:
                self.stderr.write(f"{done}/{total} lines")

        report = import_lines(lines, by=by, dry_run=dry_run, on_error=on_error, progress=progress)
        if as_json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self._describe(report)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} line(s) refused." + ("" if report.written else " Nothing was written.")
            )

    def _user(self, username: str):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active user is named {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError(
                "No active superuser to import as: create one (createsuperuser) or name a user with --user."
            )
        return found

    def _describe(self, report) -> None:
        mode = "Dry run: nothing written. " if report.dry_run else ""
        counts = "; ".join(
            f"{type_}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for type_, c in report.counts.items()
            if any(c.values())
        )
        self.stdout.write(f"{mode}{report.lines} lines. {counts or 'Nothing to do.'}")
        for error in sorted(report.errors, key=lambda e: e.line):
            for field, messages in error.errors.items():
                for message in messages:
                    self.stdout.write(f"line {error.line}: {field}: {message}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
