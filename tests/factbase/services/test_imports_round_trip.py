"""The export → empty database → import round trip on the seed article: `manage.py export`'s
lines (factbase/exports/lines.py) imported into a database holding only the reference
fixtures give the same API answers for every entity, document and claim, ids aside (each
compared by the natural key it stands for), and importing them again changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from factbase.exports.lines import export_lines
from factbase.models import (
    Alias,
    Claim,
    Contradiction,
    Document,
    Entity,
    EntityMerge,
    Event,
    Fact,
    Identifier,
    Mention,
    Organisation,
    Role,
    SourceSpan,
)
from factbase.models.entities import EventParticipant
from factbase.services.imports import import_lines

pytestmark = pytest.mark.django_db


def api_answers(client) -> dict:
    """Every entity, document and claim as the API shows it (details), ids replaced by the
    natural keys they stand for, so that two databases can be compared."""
    entities = {e.pk: e.slug for e in Entity.objects.all()}
    documents = {d.pk: d.sha256 for d in Document.objects.all()}
    claims = {c.pk: str(c.uid) for c in Claim.objects.all()}
    facts = {}
    for claim in Claim.objects.order_by("uid"):  # a fact's name: its first claim, whatever its id
        facts.setdefault(claim.fact_id, str(claim.uid))

    def natural(value, key=None):
        if isinstance(value, dict):
            if set(value) >= {"id", "kind", "name"} and isinstance(value["id"], int):
                return {**{k: natural(v, k) for k, v in value.items()}, "id": entities[value["id"]]}
            return {k: natural(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [natural(v) for v in value]
        return value

    answers = {}
    for pk, slug in entities.items():
        body = client.get(f"/api/v1/entities/{pk}/").json()
        body["id"] = slug
        answers[f"entity {slug}"] = natural(body)
    for pk, sha in documents.items():
        body = client.get(f"/api/v1/documents/{pk}/").json()
        body["id"], body["revision_of"] = sha, documents.get(body["revision_of"])
        for span in body["spans"]:
            span["id"], span["claim"] = None, claims[span["claim"]]
        for mention in body["mentions"]:
            mention["id"] = None
        answers[f"document {sha}"] = natural(body)
    for pk, uid in claims.items():
        body = client.get(f"/api/v1/claims/{pk}/").json()
        body["id"] = uid
        if body["fact"] is not None:
            body["fact"]["id"] = facts[body["fact"]["id"]]
        for span in body["spans"]:
            span["id"], span["document"] = None, documents[span["document"]]
        answers[f"claim {uid}"] = natural(body)
    return answers


def flush_project_tables() -> None:
    """An empty database with the reference data: what the seed added goes, children first."""
    Contradiction.objects.all().delete()
    SourceSpan.objects.all().delete()
    Mention.objects.all().delete()
    Claim.objects.all().delete()
    Fact.objects.all().delete()
    Document.objects.update(revision_of=None)
    Document.objects.all().delete()
    EventParticipant.objects.all().delete()
    Role.objects.all().delete()
    EntityMerge.objects.all().delete()
    Event.objects.update(parent=None)
    Organisation.objects.update(parent=None)
    seed = Entity.objects.exclude(kind="country")
    Alias.objects.filter(entity__in=seed).delete()
    Identifier.objects.filter(entity__in=seed).delete()
    seed.delete()
    Alias.objects.exclude(pk__in=REFERENCE_ALIASES).delete()


REFERENCE_ALIASES: set = set()


def test_export_then_import_into_an_empty_database_gives_the_same_answers(reviewer):
    call_command("load_checked", "fixtures/countries.json", "fixtures/predicates.json", stdout=io.StringIO())
    REFERENCE_ALIASES.update(Alias.objects.values_list("pk", flat=True))
    call_command("load_checked", "fixtures/seed_000.json", stdout=io.StringIO())
    client = APIClient()
    client.force_authenticate(reviewer)
    before = api_answers(client)
    exported = [json.dumps(line) for line in export_lines()]
    flush_project_tables()
    assert Claim.objects.count() == Document.objects.count() == 0
    assert Entity.objects.exclude(kind="country").count() == 0

    report = import_lines(exported, by=reviewer)

    assert report.errors == []
    assert report.counts["claim"]["created"] == 161 and report.counts["document"]["created"] == 1
    after = api_answers(client)
    assert sorted(after) == sorted(before)
    for key in before:
        assert after[key] == before[key], key
    assert import_lines(exported, by=reviewer).counts["claim"] == {"created": 0, "updated": 0, "unchanged": 161}
