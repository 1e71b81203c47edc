"""The API's output on the seed data, byte for byte, against a recording.

Every GET a client can make on the committed fixtures (every page of every list, every
detail, `?format=csv` of each, the exports, annotations, timelines, suggestions, Popolo and
the OpenAPI schema), anonymously and as a curator, is compared with
`tests/data/api_output.json.gz`: status, media type, ETag and body. A refactoring of the read
path must leave it unchanged. A deliberate change of output is recorded again with

    FACTBASE_RECORD_API_OUTPUT=1 make test PYTEST_ARGS=tests/api/test_output_unchanged.py

and the diff of the recording belongs in the same commit, with the reason.

Sequences are reset so that ids are the same on every run and on both engines.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from api.urls import router
from factbase.models import Document, Entity
from tests.factories import UserFactory

RECORDING = Path(__file__).resolve().parent.parent / "data" / "api_output.json.gz"
RECORD = os.environ.get("FACTBASE_RECORD_API_OUTPUT") == "1"


def _answer(client: APIClient, url: str) -> dict:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "type": response.get("Content-Type"),
        "etag": response.get("ETag"),
        "body": body.decode("utf-8"),
    }


def _walk(client: APIClient, role: str) -> dict[str, dict]:
    out: dict[str, dict] = {}

    def get(url: str) -> dict:
        answer = _answer(client, url)
        out[f"{role} {url}"] = answer
        return answer

    for prefix, viewset, _ in router.registry:
        url = f"/api/v1/{prefix}/?page_size=100"
        rows = []
        while url:
            answer = get(url)
            if answer["status"] != 200:
                break  # a list this role may not read (jobs, for anonymous clients): its refusal is recorded
            page = json.loads(answer["body"])
            rows += page["results"]
            url = page["next"] and page["next"].removeprefix("http://testserver")
        get(f"/api/v1/{prefix}/")
        get(f"/api/v1/{prefix}/?format=csv")
        get(f"/api/v1/{prefix}/?cursor=&page_size=7")
        lookup = "slug" if viewset.lookup_field == "slug" else "id"
        for row in rows:
            get(f"/api/v1/{prefix}/{row[lookup]}/")
            get(f"/api/v1/{prefix}/{row[lookup]}/?format=csv")
    for document in Document.objects.order_by("pk"):
        for suffix in ("annotations/", "suggestions/", "suggestions/?format=csv"):
            get(f"/api/v1/documents/{document.pk}/{suffix}")
    for entity in Entity.objects.order_by("pk"):
        get(f"/api/v1/entities/{entity.pk}/timeline/")
    get(f"/api/v1/entities/{Entity.objects.get(slug='sergei-lavrov').pk}/timeline/?format=csv")
    for url in (
        "/api/v1/",
        "/api/v1/exports/claims.jsonl",
        "/api/v1/exports/claims.csv",
        "/api/v1/exports/popolo/",
        "/api/v1/claims/?q=Lavrov&format=csv",
        "/api/v1/claims/?date_from=2021-07&date_to=2021-07&ordering=-date",
        "/api/v1/schema/",
    ):
        get(url)
    return out


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_api_output_on_the_seed_is_unchanged():
    call_command("load_checked", stdout=io.StringIO())
    curator = APIClient()
    curator.force_authenticate(UserFactory(username="output-curator", is_staff=True, groups=["curators"]))
    output = {**_walk(APIClient(), "anonymous"), **_walk(curator, "curator")}

    if RECORD:
        RECORDING.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(output, sort_keys=True, ensure_ascii=False, indent=0)
        RECORDING.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        pytest.skip(f"recorded {len(output)} answers in {RECORDING.name}")
    recorded = json.loads(gzip.decompress(RECORDING.read_bytes()))

    assert sorted(output) == sorted(recorded), "the set of URLs walked changed"
    changed = [key for key in sorted(recorded) if output[key] != recorded[key]]
    assert not changed, (
        f"{len(changed)} answer(s) differ from the recording, first {changed[0]!r}:\n"
        f"recorded: {recorded[changed[0]]!r:.3000}\nnow:      {output[changed[0]]!r:.3000}"
    )
