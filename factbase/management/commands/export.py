"""`manage.py export FILE`: the whole database as the JSON Lines that `manage.py import`
takes (factbase/exports/lines.py); `-` writes to standard output."""

import sys

import orjson
from django.core.management.base import BaseCommand

from factbase.exports.lines import export_lines


class Command(BaseCommand):
    help = "Write every entity, alias, document, mention and claim as JSON Lines for `manage.py import`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write; - for standard output.")

    def handle(self, *args, path, **options):
        out = sys.stdout.buffer if path == "-" else open(path, "wb")  # noqa: SIM115 - closed below
        try:
            n = 0
            for line in export_lines():
                out.write(orjson.dumps(line) + b"\n")
                n += 1
        finally:
            if out is not sys.stdout.buffer:
                out.close()
        if path != "-":
            self.stdout.write(f"Wrote {n} lines to {path}.")
