import pytest
from django.db import connection

from factbase.indexes import search


@pytest.fixture(params=["index", "like"])
def search_backend(request, monkeypatch):
    """Every full-text behaviour runs on the database's index and on the LIKE fallback, which
    must agree (test_search.py, test_claim_text.py)."""
    if request.param == "like":
        monkeypatch.setattr(search, "backend", lambda using: "like")
    return request.param


@pytest.fixture
def function_calls(db):
    """How many times a PL/pgSQL function (by name) has run in this test's transaction
    (PostgreSQL: `track_functions` set for that transaction alone)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL track_functions = 'pl'")

    def calls(name: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = %s", [name]
            )
            return cursor.fetchone()[0]

    return calls
