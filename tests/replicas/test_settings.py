"""Read replicas without a replica: the settings, the routing rules that need no second
server, and that nothing changes when DATABASE_REPLICA_URLS is unset. The routing against
a real streaming replica is in test_routing.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Warning as CheckWarning
from django.db import DEFAULT_DB_ALIAS, transaction

from factbase import replicas

ROOT = Path(__file__).resolve().parents[2]
PRIMARY = "postgres://postgres@127.0.0.1:5432/factbase"
REPLICA = "postgres://reader:secret@10.0.0.2:5433/factbase"


def settings_in_child(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process with `env`; print what the replicas became."""
    code = (
        "import json; from factbase import settings as s; "
        "print(json.dumps({'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'databases': {k: {'NAME': v['NAME'], 'HOST': v['HOST'], 'TEST': v.get('TEST', {}), "
        "'OPTIONS': v.get('OPTIONS', {})} for k, v in s.DATABASES.items()}}))"
    )
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    child = {**{k: v for k, v in os.environ.items() if k in keep}, **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=child, capture_output=True, text=True, timeout=60, check=False
    )


def test_replica_urls_become_aliases_routed_by_the_router():
    result = settings_in_child(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URLS=f"{REPLICA}, {REPLICA.replace('.2', '.3')}")
    assert result.returncode == 0, result.stderr
    configured = json.loads(result.stdout)
    assert configured["routers"] == ["factbase.db_router.ReplicaRouter"]
    assert list(configured["databases"]) == ["default", "replica-1", "replica-2"]
    assert configured["databases"]["replica-2"] == {
        "NAME": "factbase",
        "HOST": "10.0.0.3",
        # Under test a replica is the test database: no second one to create.
        "TEST": {"MIRROR": "default"},
        "OPTIONS": {"prepare_threshold": 0, "connect_timeout": 2},
    }


def test_without_replica_urls_there_is_no_router_and_no_alias():
    result = settings_in_child(DATABASE_URL=PRIMARY)
    configured = json.loads(result.stdout)
    assert (configured["routers"], list(configured["databases"])) == ([], ["default"])


@pytest.mark.parametrize(
    ("primary", "replica"),
    [(PRIMARY, "sqlite:///replica.sqlite3"), ("sqlite:///primary.sqlite3", REPLICA)],
    ids=["sqlite replica", "sqlite primary"],
)
def test_replicas_are_postgresql_only(primary, replica):
    result = settings_in_child(DATABASE_URL=primary, DATABASE_REPLICA_URLS=replica)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_REPLICA_URLS takes PostgreSQL streaming replicas" in result.stderr


def test_without_replicas_a_write_pins_nothing(curator_client, settings):
    assert replicas.aliases() == []
    assert settings.DATABASE_REPLICA_URLS == []
    response = curator_client.post("/api/v1/people/", {"name": "Pinned Nobody"}, format="json")
    assert response.status_code == 201
    assert replicas.PIN_COOKIE not in response.cookies


def test_reads_inside_an_atomic_block_go_to_the_primary(transactional_db):
    """The services write in `transaction.atomic` on the primary: what they read there must
    come from the primary too, whatever the request would otherwise read from."""
    token = replicas._routing.set(replicas.Routing(pinned=False, replica="replica-1", chosen=True))
    try:
        assert replicas.read_alias() == "replica-1"
        with transaction.atomic():
            assert replicas.read_alias() == DEFAULT_DB_ALIAS
        assert replicas.read_alias() == "replica-1"
        replicas._routing.get().pinned = True
        assert replicas.read_alias() == DEFAULT_DB_ALIAS
    finally:
        replicas._routing.reset(token)
    # Outside a request (commands, the shell, workers): the primary.
    assert replicas.read_alias() == DEFAULT_DB_ALIAS


def test_check_warns_when_a_pin_is_shorter_than_a_replica_may_lag(settings, monkeypatch):
    assert replicas.check_read_your_writes() == []  # no replica, nothing to say
    monkeypatch.setattr(replicas, "aliases", lambda: ["replica-1"])
    settings.FACTBASE_REPLICA_MAX_LAG, settings.FACTBASE_REPLICA_CHECK_SECONDS = 5, 1
    settings.FACTBASE_READ_YOUR_WRITES_SECONDS = 6
    assert replicas.check_read_your_writes() == []
    settings.FACTBASE_READ_YOUR_WRITES_SECONDS = 5
    (warning,) = replicas.check_read_your_writes()
    assert (type(warning), warning.id) == (CheckWarning, "factbase.W001")
    assert "shorter than FACTBASE_REPLICA_MAX_LAG + FACTBASE_REPLICA_CHECK_SECONDS (6)" in warning.msg
