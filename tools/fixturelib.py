"""Shared helpers for the fixture builders: Django set-up (so the builders reuse the project's
own rules for normalised names, hashes and spans), fixed timestamps, stable UUIDs and
deterministic JSON output.

Every builder writes byte-identical output on every run: records in a fixed order, fixed
timestamps, UUIDs derived from readable keys, `ensure_ascii=False`, one-space indent and a
trailing newline. `--check` compares instead of writing, so CI can prove a fixture is up to
date with its source."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"

# Fixed, so that regenerating a fixture never changes a byte. It is the time the reference
# data and the seed curation were recorded, not a claim about the world.
TIMESTAMP = "2025-01-01T00:00:00Z"

# Namespace for uuid5: claim and role uids are derived from readable keys such as
# "seed_000/claim/lavrov-visited-laos", so a rebuilt fixture keeps every uid.
UID_NAMESPACE = uuid.UUID("6f1f3a52-5d7e-4c1b-9a3e-0f2b8c4d7e10")


def django_setup() -> None:
    """Configure Django (once) so builders can import the project's models and rules."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")
    django.setup()


def stable_uid(key: str) -> str:
    return str(uuid.uuid5(UID_NAMESPACE, key))


def dumps(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def run_builder(build: Callable[[], list[dict]], target: Path, description: str) -> int:
    """The command line every builder shares: write `target`, or `--check` that it is current."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed fixture differs")
    parser.add_argument("--output", type=Path, default=target, help=f"where to write (default {target})")
    args = parser.parse_args()
    django_setup()
    data = dumps(build()).encode("utf-8")
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output} is out of date; run the builder without --check.", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date.")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    records = data.count(b'"model":')
    print(f"Wrote {args.output} ({records} records).")
    return 0
