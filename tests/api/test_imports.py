"""POST /api/v1/imports/: the three ways a file comes, the modes, the answers (200, 422, 400,
413), who may import, and the schema."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from factbase.models import Claim, Document, Entity, Job, text_sha256
from tests.factories import CountryFactory, PredicateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"
TEXT = "Sergei Lavrov visited Jakarta on July 6."


@pytest.fixture(autouse=True)
def vocabulary(db):
    CountryFactory(name="Indonesia", slug="indonesia")
    PredicateFactory()


def file_lines(*, bad: bool = False) -> list[dict]:
    result = [
        {"type": "entity", "kind": "person", "slug": "sergei-lavrov", "name": "Sergei Lavrov", "ref": "lavrov"},
        {"type": "document", "title": "Lavrov in Jakarta", "text": TEXT, "ref": "d1"},
        {
            "type": "claim",
            "uid": "0d7c6f0a-3f1e-4c36-8f0e-4a1d2b3c4d5e",
            "subject": {"ref": "lavrov"},
            "predicate": "visited",
            "object": "indonesia",
            "spans": [{"document": {"ref": "d1"}, "exact": "Sergei Lavrov visited Jakarta"}],
        },
    ]
    if bad:
        result.append({"type": "alias", "entity": "nobody", "name": "X"})
    return result


def ndjson(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def post_ndjson(client, body: bytes, query: str = ""):
    return client.post(f"{URL}{query}", data=body, content_type="application/x-ndjson")


def counts(created=0, updated=0, unchanged=0) -> dict:
    return {"created": created, "updated": updated, "unchanged": unchanged}


def test_ndjson_body_is_imported_and_answers_the_report(curator_client):
    response = post_ndjson(curator_client, ndjson(file_lines()))
    assert response.status_code == 200
    assert response.json() == {
        "dry_run": False,
        "on_error": "abort",
        "written": True,
        "lines": 3,
        "counts": {
            "entity": counts(created=1),
            "alias": counts(),
            "document": counts(created=1),
            "mention": counts(),
            "claim": counts(created=1),
            "span": counts(),
        },
        "errors": [],
    }
    claim = Claim.objects.get()
    assert (claim.subject.slug, claim.object.slug, claim.spans.get().document.sha256) == (
        "sergei-lavrov",
        "indonesia",
        text_sha256(TEXT),
    )
    again = post_ndjson(curator_client, ndjson(file_lines()))
    assert again.json()["counts"]["claim"] == counts(unchanged=1)


def test_json_body_with_lines_is_imported(curator_client):
    response = curator_client.post(URL, {"lines": file_lines(), "dry_run": True}, format="json")
    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["written"], response.json()["counts"]["claim"]) == (
        True,
        False,
        counts(created=1),
    )
    assert Claim.objects.count() == Document.objects.count() == 0


def test_multipart_upload_is_imported(curator_client):
    upload = SimpleUploadedFile("claims.jsonl", ndjson(file_lines()), content_type="application/x-ndjson")
    response = curator_client.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert response.json()["counts"]["entity"] == counts(created=1)
    assert Entity.objects.filter(slug="sergei-lavrov").exists()


def test_a_refused_line_answers_422_and_writes_nothing(curator_client):
    response = post_ndjson(curator_client, ndjson(file_lines(bad=True)))
    assert response.status_code == 422
    body = response.json()
    assert (body["written"], body["errors"]) == (
        False,
        [{"line": 4, "type": "alias", "errors": {"entity": ["No entity has the slug 'nobody'."]}}],
    )
    assert Claim.objects.count() == 0 and not Entity.objects.filter(slug="sergei-lavrov").exists()


def test_continue_writes_the_good_lines_and_answers_200(curator_client):
    response = post_ndjson(curator_client, ndjson(file_lines(bad=True)), "?on_error=continue")
    assert response.status_code == 200
    assert (response.json()["written"], [e["line"] for e in response.json()["errors"]]) == (True, [4])
    assert Claim.objects.count() == 1


def test_a_dry_run_with_refused_lines_answers_422(curator_client):
    response = post_ndjson(curator_client, ndjson(file_lines(bad=True)), "?dry_run=true&on_error=continue")
    assert response.status_code == 422
    assert response.json()["written"] is False
    assert Claim.objects.count() == 0


def test_bad_json_and_unknown_type_are_named_by_line(curator_client):
    response = post_ndjson(curator_client, b'{"type": "entity"\n\n[1, 2]\n{"type": "planet"}\n')
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["line"], list(e["errors"])) for e in errors] == [
        (1, ["non_field_errors"]),
        (3, ["non_field_errors"]),
        (4, ["type"]),
    ]
    assert errors[0]["errors"]["non_field_errors"][0].startswith("The line is not valid JSON")
    assert errors[1]["errors"] == {"non_field_errors": ["A line must be a JSON object with a type."]}


def test_bad_modes_are_400(curator_client):
    response = post_ndjson(curator_client, ndjson(file_lines()), "?on_error=sometimes")
    assert response.status_code == 400
    assert response.json() == {"on_error": ['"sometimes" is not a valid choice.']}


def test_a_json_body_without_lines_is_400(curator_client):
    response = curator_client.post(URL, {"rows": []}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": ["This field is required."]}


def test_odd_lines_in_a_json_body_are_refused_by_line(curator_client):
    response = curator_client.post(URL, {"lines": [1, None, "x", {"type": "claim", "subject": []}]}, format="json")
    assert response.status_code == 422
    assert [e["line"] for e in response.json()["errors"]] == [1, 2, 3, 4]


def test_an_oversized_body_is_413(curator_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_ndjson(curator_client, ndjson(file_lines()) * 10)
    assert response.status_code == 413
    assert "the limit is 1000 bytes" in response.json()["detail"]
    assert Claim.objects.count() == 0


def test_only_curators_import(reader_client):
    anonymous = post_ndjson(APIClient(), ndjson(file_lines()))
    assert anonymous.status_code == 401
    reader = post_ndjson(reader_client, ndjson(file_lines()))
    assert reader.status_code == 403
    assert reader.json() == {"detail": "Only curators may import entities, documents and claims."}
    assert Entity.objects.filter(slug="sergei-lavrov").count() == 0


def test_a_span_refused_as_the_claims_endpoint_refuses_it(curator_client):
    lines = file_lines()
    lines[2]["spans"] = [{"document": {"ref": "d1"}, "start": 10, "end": 9999}]
    imported = post_ndjson(curator_client, ndjson(lines))
    assert imported.json()["errors"][0]["errors"] == {
        "spans": [f"Span 1: End offset 9999 is past the end of the document ({len(TEXT)} characters)."]
    }
    lines[2]["spans"][0]["end"] = 12
    post_ndjson(curator_client, ndjson(lines[:2]))
    direct = curator_client.post(
        "/api/v1/claims/",
        {
            "subject": Entity.objects.get(slug="sergei-lavrov").pk,
            "predicate": "visited",
            "spans": [{"document": Document.objects.get().pk, "start": 10, "end": 9999}],
        },
        format="json",
    )
    assert direct.json() == imported.json()["errors"][0]["errors"]


def test_the_schema_describes_the_operation(curator_client):
    schema = curator_client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/imports/"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/x-ndjson",
        "application/json",
        "multipart/form-data",
    }
    assert {"200", "400", "401", "403", "413", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"dry_run", "on_error"}


def test_a_file_over_the_inline_limit_is_imported_by_a_job(settings, curator_client):
    settings.FACTBASE_IMPORT_INLINE_MAX = 2
    response = post_ndjson(curator_client, ndjson(file_lines()))
    assert response.status_code == 202
    job = curator_client.get(response["Location"]).json()
    assert (job["kind"], job["status"], job["progress"]) == ("import", "succeeded", {"done": 3, "total": 3})
    assert job["parameters"] == {"dry_run": False, "on_error": "abort", "lines": 3}
    assert (job["result"]["written"], job["result"]["counts"]["claim"], job["result"]["errors_total"]) == (
        True,
        counts(created=1),
        0,
    )
    assert Claim.objects.get().subject.slug == "sergei-lavrov"


def test_a_job_that_refuses_lines_writes_nothing_and_reports_them(settings, curator_client):
    settings.FACTBASE_IMPORT_INLINE_MAX = 2
    response = post_ndjson(curator_client, ndjson(file_lines(bad=True)))
    assert response.status_code == 202
    result = curator_client.get(response["Location"]).json()["result"]
    assert (result["written"], result["errors_total"], [error["line"] for error in result["errors"]]) == (False, 1, [4])
    assert (Claim.objects.count(), Entity.objects.filter(slug="sergei-lavrov").count()) == (0, 0)


def test_a_line_that_is_not_utf8_is_refused_before_any_job(settings, curator_client):
    settings.FACTBASE_IMPORT_INLINE_MAX = 2
    body = ndjson(file_lines()) + b'{"type": "entity", "name": "\xff"}\n'
    response = post_ndjson(curator_client, body)
    assert response.status_code == 400
    assert "Line 4 is not UTF-8" in response.json()["detail"]
    assert (Job.objects.count(), Claim.objects.count(), Entity.objects.filter(slug="sergei-lavrov").count()) == (
        0,
        0,
        0,
    )
