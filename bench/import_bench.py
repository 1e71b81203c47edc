"""The import benchmark: how long `manage.py import` takes for a file of 100,000 claims (with
their entities, aliases, documents and mentions), on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_bench.py [--claims 100000] [--engines sqlite,postgresql]
                                           [--postgres-url postgres://postgres@127.0.0.1:5432]
                                           [--database-name factbase_import_bench] [--keep FILE]

For each engine it creates a fresh database (an SQLite file in a temporary folder; the
PostgreSQL database `factbase_import_bench`, dropped and created again), migrates it, loads
the reference fixtures and makes a superuser, exactly as a new installation would be. It
then writes the file (a fixed seed: the same file every run) and times `manage.py import`
on it three ways: the import itself, the same file again (everything unchanged), and a dry
run on a fresh database. Each run is a separate process with the default settings; the
time reported is the command's whole run, Django's start included, with the CPU time of the
importing process (user + system: on a shared machine, the part that does not depend on
the other jobs; PostgreSQL's own work is not in it).

The file: 1,000 people and 200 organisations (each with an alias), 500 documents of about
3,000 characters, 1,000 mentions, and the claims, one span each (half by offsets, half by
quote), of four predicates, a third published (published claims are grouped into facts and
their sources counted).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOCUMENTS, MENTIONS = 500, 1000
WORDS = (
    "minister talks visit agreement trade security regional summit defence energy talks "
    "cooperation ministry delegation meeting statement sanctions partnership exercise naval"
).split()


def build_file(path: Path, *, claims: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    people = [f"person-{i}" for i in range(1000)]
    organisations = [f"organisation-{i}" for i in range(200)]
    with path.open("w", encoding="utf-8") as out:

        def write(line):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

        for i, slug in enumerate(organisations):
            write({"type": "entity", "kind": "organisation", "slug": slug, "name": f"Organisation {i}"})
            write({"type": "alias", "entity": slug, "name": f"Org {i}"})
        for i, slug in enumerate(people):
            write(
                {
                    "type": "entity",
                    "kind": "person",
                    "slug": slug,
                    "name": f"Person {i}",
                    "nationality": rng.choice(["russia", "indonesia", "china"]),
                }
            )
            write({"type": "alias", "entity": slug, "name": f"P. {i}"})
        documents = []
        for d in range(DOCUMENTS):
            sentences = [
                f"Sentence {d}-{s}: " + " ".join(rng.choice(WORDS) for _ in range(12)) + "." for s in range(30)
            ]
            text = " ".join(sentences)
            documents.append((d, text, sentences))
            write({"type": "document", "ref": f"d{d}", "title": f"Report {d}", "text": text, "published": "2021-07"})
        for m in range(MENTIONS):
            d, text, sentences = documents[m % DOCUMENTS]
            start = text.index(sentences[m % 30])
            write(
                {
                    "type": "mention",
                    "document": {"ref": f"d{d}"},
                    "entity": people[m % len(people)],
                    "start": start,
                    "end": start + 8,
                }
            )
        for c in range(claims):
            d, text, sentences = documents[c % DOCUMENTS]
            sentence = sentences[(c // DOCUMENTS) % 30]
            start = text.index(sentence)
            if c % 2:
                span = {"document": {"ref": f"d{d}"}, "start": start, "end": start + len(sentence)}
            else:
                span = {"document": {"ref": f"d{d}"}, "exact": sentence}
            kind = c % 4
            subject = people[c % len(people)]
            line = {"type": "claim", "uid": f"00000000-0000-4000-8000-{c:012d}", "subject": subject}
            if kind == 0:
                line |= {"predicate": "described-as", "value": rng.choice(WORDS)}
            elif kind == 1:
                line |= {"predicate": "cooperates-with", "object": rng.choice(organisations)}
            elif kind == 2:
                line |= {"predicate": "commented-on", "object": rng.choice(people)}
            else:
                line |= {"predicate": "discussed-with", "object": rng.choice(organisations), "date": "2021-07"}
            line["status"] = "published" if c % 3 == 0 else "draft"
            line["spans"] = [span]
            write(line)


def manage(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def fresh_database(engine: str, folder: Path, postgres_url: str, name: str) -> str:
    if engine == "sqlite":
        path = folder / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        url = f"{postgres_url}/{name}"
    manage(url, "migrate", "-v0")
    manage(url, "load_checked", "fixtures/countries.json", "fixtures/predicates.json")
    manage(
        url,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_superuser('bench-import', '', None)",
    )
    return url


def timed(url: str, *args: str) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds of the import process, its report)."""
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = manage(url, "import", *args, "--json", check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise SystemExit(f"The import failed:\n{done.stdout}\n{done.stderr}") from None
    if report["errors"]:
        raise SystemExit(f"The import refused lines: {report['errors'][:3]}")
    return elapsed, cpu_seconds, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database-name", default="factbase_import_bench", help="PostgreSQL database to use.")
    parser.add_argument("--keep", help="Also keep the generated file here.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = Path(options.keep) if options.keep else folder / "import.jsonl"
        build_file(path, claims=options.claims)
        lines = sum(1 for _ in path.open(encoding="utf-8"))
        print(f"{path.name}: {lines} lines, {options.claims} claims, {path.stat().st_size / 1e6:.0f} MB")
        for engine in options.engines.split(","):
            url = fresh_database(engine, folder, options.postgres_url, options.database_name)
            load = os.getloadavg()[0]
            first, first_cpu, report = timed(url, str(path))
            again, again_cpu, report_again = timed(url, str(path))
            url = fresh_database(engine, folder, options.postgres_url, options.database_name)
            dry, dry_cpu, _ = timed(url, str(path), "--dry-run")
            created = report["counts"]["claim"]["created"]
            unchanged = report_again["counts"]["claim"]["unchanged"]
            print(
                f"{engine:<10} import {first:6.1f} s, CPU {first_cpu:5.1f} s ({created} claims created)   "
                f"again {again:6.1f} s, CPU {again_cpu:5.1f} s ({unchanged} unchanged)   "
                f"dry run {dry:6.1f} s, CPU {dry_cpu:5.1f} s   (load average {load:.1f} at the start)"
            )


if __name__ == "__main__":
    main()
