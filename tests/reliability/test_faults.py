"""Faults: an unreachable database gives JSON 503 with Retry-After, never a crash, and the
server serves again as soon as the database is back."""

import copy
import socket
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections

from tests.factories import PersonFactory

pytestmark = pytest.mark.urls("tests.reliability.urls")

PROBE = "/api/v1/test-entity-count/"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # free now, and nothing listens on it once closed


@contextmanager
def unreachable_database(tmp_path):
    """Swap the default connection for one aimed at a database that cannot be reached:
    a closed TCP port on PostgreSQL, an unopenable file path on SQLite. The test database
    itself is untouched and comes back when the block ends."""
    good = connections["default"]
    settings_dict = copy.deepcopy(good.settings_dict)
    if good.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "factbase.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    bad = type(good)(settings_dict, alias="default")
    connections["default"] = bad
    try:
        yield
    finally:
        connections["default"] = good
        bad.close()


@pytest.mark.django_db
def test_api_request_with_database_unreachable_gets_json_503(client, tmp_path, settings):
    settings.FACTBASE_DB_RETRY_AFTER = 5
    PersonFactory()
    with unreachable_database(tmp_path):
        response = client.get(PROBE)
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert response.json() == {"detail": "The database is unavailable. Please retry shortly."}
    assert client.get(PROBE).json() == {"count": 1}


@pytest.mark.django_db
def test_admin_request_with_database_unreachable_gets_503_page(admin_client, tmp_path):
    with unreachable_database(tmp_path):
        response = admin_client.get("/admin/")
    assert (response.status_code, response.content) == (503, b"The database is unavailable. Please retry shortly.")
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's")
def test_connection_killed_by_server_gives_503_then_reconnects(client):
    PersonFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get(PROBE)
    assert (response.status_code, response.json()) == (
        503,
        {"detail": "The database is unavailable. Please retry shortly."},
    )
    assert client.get(PROBE).json() == {"count": 1}
