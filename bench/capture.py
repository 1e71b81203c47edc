"""Pick the benchmark's query parameters from a synthetic database and record, for each
query, the exact SQL statements (with parameters) Factbase runs to answer it.

    DATABASE_URL=… .venv/bin/python bench/capture.py OUT.pickle

The HTTP floor (bench/floor.py) replays those statements, so it runs Factbase's own SQL by
construction, whatever the read path becomes. The output also holds each query's Factbase
path, its Datasette path, and the number of queries per request.
"""

from __future__ import annotations

import base64
import os
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factbase.settings")
os.environ.setdefault("FACTBASE_THROTTLE_ANON", "off")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from factbase.models import Alias, Claim, Person, Predicate  # noqa: E402

DEEP_ROWS = 10_000  # the deep page starts after this many published claims
MONTH = ("2021-07", "2021-07-01", "2021-07-31")  # the date-range query's month
FTS_WORD = "submarines"  # a word of the synthetic vocabulary found in about 1% of claims
ALIAS_QUERY = "burma"  # an alias of Myanmar (fixtures/countries.json)


def choose_parameters() -> dict:
    published = Claim.objects.filter(status="published")
    # The busiest person: their (subject, predicate) pages are the ones clients ask for most.
    subject = (
        published.filter(subject__kind="person")
        .values("subject")
        .annotate(n=Count("id"))
        .order_by("-n", "subject")
        .first()["subject"]
    )
    predicate = (
        published.filter(subject=subject)
        .values("predicate")
        .annotate(n=Count("id"))
        .order_by("-n", "predicate")
        .first()["predicate"]
    )
    # A typical person for the detail page: from the middle of the id range, with a role and
    # an alias (the synthetic data gives the first people dozens of roles each, which is not
    # what a detail page usually shows).
    middle = Person.objects.order_by("pk").values_list("pk", flat=True)[Person.objects.count() // 2]
    person = (
        Person.objects.filter(pk__gte=middle, roles__isnull=False, aliases__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    ) or subject
    deep_position = published.order_by("id").values_list("id", flat=True)[DEEP_ROWS - 1 : DEEP_ROWS].first()
    alias_entity = Alias.objects.filter(normalised=ALIAS_QUERY).values_list("entity_id", flat=True).first()
    return {
        "subject": subject,
        "predicate_id": predicate,
        "predicate": Predicate.objects.get(pk=predicate).slug,
        "person": person,
        "deep_position": deep_position or 0,
        "fts_word": FTS_WORD,
        "alias_query": ALIAS_QUERY,
        "alias_entity": alias_entity,
    }


def queries(p: dict, db: str) -> list[dict]:
    """(name, Factbase path, Datasette path) for every benchmarked query (docs/performance.md)."""
    cursor = base64.b64encode(f"p={p['deep_position']}".encode()).decode()
    month, first, last = MONTH
    table = f"/{db}/factbase_claim.json"
    return [
        {
            "name": "a: claims by subject + predicate",
            "factbase": f"/api/v1/claims/?subject={p['subject']}&predicate={p['predicate']}",
            "datasette": f"{table}?subject_id={p['subject']}&predicate_id={p['predicate_id']}&status=published&_size=50",
            "light": True,
        },
        {
            "name": "b: claims by date range + status",
            "factbase": f"/api/v1/claims/?date_from={month}&date_to={month}&status=published",
            "datasette": f"{table}?status=published&date_upper__gte={first}&date_lower__lte={last}&_size=50",
        },
        {
            "name": "c: one entity (person) by id",
            "factbase": f"/api/v1/people/{p['person']}/",
            "datasette": f"/{db}/factbase_person/{p['person']}.json",
        },
        {
            "name": "d: deep page (rows 10,001-10,050)",
            "factbase": f"/api/v1/claims/?cursor={cursor}",
            "datasette": f"{table}?status=published&_next={p['deep_position']}&_size=50",
            "light": True,
        },
        {
            "name": "e: full-text search on claims",
            "factbase": f"/api/v1/claims/?q={p['fts_word']}",
            "datasette": f"{table}?_search={p['fts_word']}&status=published&_size=50",
        },
        {
            "name": "f: alias lookup entities/?q=",
            "factbase": f"/api/v1/entities/?q={p['alias_query']}",
            "datasette": f"/{db}/factbase_alias.json?_search={p['alias_query']}&_size=50",
        },
    ]


def capture(path: str) -> dict:
    """Request `path` from Factbase in-process and return its status and SQL statements."""
    statements = []

    def record(execute, sql, params, many, context):
        # Plain types (enum members are str subclasses some drivers will not adapt).
        plain = tuple(str(v) if isinstance(v, str) else v for v in params) if params is not None else None
        statements.append((sql, plain))
        return execute(sql, params, many, context)

    client = Client()
    client.get(path, HTTP_ACCEPT="application/json")  # warm up: per-process checks run once, not per request
    with connection.execute_wrapper(record):
        response = client.get(path, HTTP_ACCEPT="application/json")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {"status": response.status_code, "statements": statements, "bytes": len(body)}


def main(out: str) -> None:
    db = os.environ.get("BENCH_DATASETTE_DB", "factbase")
    params = choose_parameters()
    result = {"vendor": connection.vendor, "params": params, "claims": Claim.objects.count(), "queries": []}
    for query in queries(params, db):
        captured = capture(query["factbase"])
        if captured["status"] != 200:
            raise SystemExit(f"{query['factbase']} answered {captured['status']}; cannot benchmark it.")
        result["queries"].append({**query, **captured})
    Path(out).write_bytes(pickle.dumps(result))
    for query in result["queries"]:
        print(f"  {query['name']}: {len(query['statements'])} SQL statements, {query['bytes']:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
