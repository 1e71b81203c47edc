"""Build `fixtures/seed_NNN.json` from the curation sources `tools/seed_NNN.py`.

    python -m tools.build_seed                 # rebuild every seed fixture
    python -m tools.build_seed seed_000        # rebuild one
    python -m tools.build_seed --check         # exit 1 if any committed fixture is stale

A curation source is a Python module defining `SOURCE` (a `tools.curation.Source`): the
document, its entities, events, roles and claims, with evidence given as exact quotes. The
builder computes every offset and refuses anything ambiguous or dangling; see
docs/curation.md.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from tools.fixturelib import FIXTURES, ROOT, django_setup, dumps


def source_names() -> list[str]:
    return sorted(path.stem for path in (ROOT / "tools").glob("seed_*.py"))


def build(name: str) -> bytes:
    from tools.curation import build_fixture

    module = importlib.import_module(f"tools.{name}")
    return dumps(build_fixture(module.SOURCE)).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"curation sources (default: all of {', '.join(source_names())})")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed fixture differs")
    args = parser.parse_args()
    django_setup()
    from tools.curation import CurationError

    stale = 0
    for name in args.names or source_names():
        target = FIXTURES / f"{name}.json"
        try:
            data = build(name)
        except CurationError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 2
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                print(f"{target} is out of date; run python -m tools.build_seed {name}", file=sys.stderr)
                stale += 1
            else:
                print(f"{target} is up to date.")
            continue
        target.write_bytes(data)
        records = data.count(b'"model":')
        print(f"Wrote {target} ({records} records).")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
