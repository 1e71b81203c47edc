"""`manage.py import` and `manage.py export`: the command runs the import as a user, prints
the counts and the refused lines, exits non-zero when a line is refused, and reads what
`export` writes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from factbase.models import Claim, Entity
from tests.factories import CountryFactory, PredicateFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Sergei Lavrov visited Jakarta on July 6."
LINES = [
    {"type": "entity", "kind": "person", "slug": "sergei-lavrov", "name": "Sergei Lavrov"},
    {"type": "document", "title": "Lavrov in Jakarta", "text": TEXT, "ref": "d1"},
    {
        "type": "claim",
        "subject": "sergei-lavrov",
        "predicate": "visited",
        "object": "indonesia",
        "spans": [{"document": {"ref": "d1"}, "start": 0, "end": 29}],
    },
]


@pytest.fixture
def file(tmp_path, db):
    CountryFactory(name="Indonesia", slug="indonesia")
    PredicateFactory()
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_import_as_the_first_superuser_prints_the_counts(file):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert run(str(file)) == (
        "3 lines. entity: 1 created, 0 updated, 0 unchanged; document: 1 created, 0 updated, 0 unchanged; "
        "claim: 1 created, 0 updated, 0 unchanged\n"
    )
    assert Claim.objects.get().created_by == admin
    assert "claim: 0 created, 0 updated, 1 unchanged" in run(str(file))


def test_import_as_a_named_user_with_their_rights(file):
    UserFactory(username="curator-2", groups=["curators"])
    lines = [*LINES[:2], {**LINES[2], "status": "published"}]
    file.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(CommandError, match=r"1 line\(s\) refused. Nothing was written."):
        out = io.StringIO()
        call_command("import", str(file), "--user", "curator-2", stdout=out)
    assert "line 3: status: Only reviewers may publish or reject claims." in out.getvalue()
    assert not Entity.objects.filter(slug="sergei-lavrov").exists()


def test_dry_run_and_json_report(file):
    UserFactory(username="root", is_superuser=True)
    report = json.loads(run(str(file), "--dry-run", "--json"))
    assert (report["dry_run"], report["written"], report["counts"]["claim"]["created"]) == (True, False, 1)
    assert Claim.objects.count() == 0


def test_without_a_user_to_import_as_the_command_refuses(file):
    with pytest.raises(CommandError, match="No active superuser to import as"):
        run(str(file))
    with pytest.raises(CommandError, match="No active user is named 'ghost'"):
        run(str(file), "--user", "ghost")


def test_export_writes_what_import_reads(file, tmp_path):
    UserFactory(username="root", is_superuser=True)
    run(str(file))
    exported = tmp_path / "export.jsonl"
    call_command("export", str(exported), stdout=io.StringIO())
    types = [json.loads(line)["type"] for line in exported.read_text(encoding="utf-8").splitlines()]
    assert types == ["entity", "entity", "document", "claim"]  # the country, then the person
    assert "entity: 0 created, 0 updated, 2 unchanged" in run(str(exported))
