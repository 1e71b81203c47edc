"""Backup and restore: the backup reproduces every row (ids, natural keys, history, users,
tokens) after the database is emptied, restoring twice changes nothing, and a damaged
backup restores nothing."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from factbase.management.commands.backup import backup_records
from factbase.models import Claim, Entity, Person, SourceSpan
from tests.reliability.sample_data import populate

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    """Every backed-up record, JSON-normalised (dates as strings)."""
    return json.loads(json.dumps(backup_records(), default=str))


def backup(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    return path


def test_backup_restored_into_emptied_database_reproduces_every_row(tmp_path):
    populate()
    before = snapshot()
    key = Token.objects.get(user__username="rt-curator").key
    path = backup(tmp_path)
    call_command("flush", "--noinput")
    assert (Entity.objects.count(), get_user_model().objects.count()) == (0, 0)
    call_command("restore", str(path), stdout=io.StringIO())
    assert snapshot() == before
    # Users come back able to log in, with the same API tokens.
    assert Token.objects.get(key=key).user.username == "rt-curator"
    assert get_user_model().objects.get(username="rt-curator").check_password("correct horse battery staple")


def test_backup_file_carries_every_model_with_natural_keys(tmp_path):
    populate()
    records = json.loads(backup(tmp_path).read_text(encoding="utf-8"))
    models = {record["model"] for record in records}
    assert {
        "auth.group",
        "auth.user",
        "authtoken.token",
        "factbase.entity",
        "factbase.person",
        "factbase.country",
        "factbase.organisation",
        "factbase.event",
        "factbase.eventparticipant",
        "factbase.alias",
        "factbase.identifier",
        "factbase.role",
        "factbase.document",
        "factbase.mention",
        "factbase.predicate",
        "factbase.claim",
        "factbase.sourcespan",
        "factbase.historicalclaim",
        "factbase.historicalperson",
    } <= models
    person = next(r for r in records if r["model"] == "factbase.person")
    assert (person["fields"]["entity_ptr"], "pk" in person) == (["rt-lavrov"], False)
    claim = next(r for r in records if r["model"] == "factbase.claim" and r["fields"]["status"] == "published")
    assert (claim["fields"]["subject"], claim["fields"]["created_by"]) == (["rt-lavrov"], ["rt-curator"])


def test_restore_same_backup_twice_changes_nothing(tmp_path):
    populate()
    path = backup(tmp_path)
    before = snapshot()
    call_command("restore", str(path), stdout=io.StringIO())
    assert snapshot() == before


def test_restore_of_damaged_backup_restores_nothing(tmp_path):
    populate()
    path = backup(tmp_path)
    records = json.loads(path.read_text(encoding="utf-8"))
    span = next(r for r in records if r["model"] == "factbase.sourcespan")
    span["fields"]["exact"] = "not what the document says"
    path.write_text(json.dumps(records), encoding="utf-8")
    call_command("flush", "--noinput")
    with pytest.raises(CommandError) as info:
        call_command("restore", str(path))
    assert "Nothing was restored" in str(info.value)
    assert "factbase.SourceSpan" in str(info.value)
    assert (Entity.objects.count(), Claim.objects.count(), SourceSpan.objects.count()) == (0, 0, 0)


def test_restore_of_truncated_backup_restores_nothing(tmp_path):
    populate()
    path = backup(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    call_command("flush", "--noinput")
    with pytest.raises(CommandError):
        call_command("restore", str(path))
    assert (Entity.objects.count(), Person.objects.count(), get_user_model().objects.count()) == (0, 0, 0)
