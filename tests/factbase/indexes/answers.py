"""The answers of an index's reads, with the index and without it (uninstalled: the queries'
own fallbacks), for the tests that hold them equal."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def with_and_without(client, index, asked, *, reading: str) -> tuple[list, list, list[str]]:
    """The JSON bodies of `asked` ((path, params) pairs) with `index` installed, then with it
    uninstalled, and the statements of the first pass that hold `reading` (what the index's
    reads name); the second pass must hold none. The index comes back with the test's
    rollback; its readiness is forgotten."""
    with CaptureQueriesContext(connection) as queries:
        indexed = [client.get(path, params).json() for path, params in asked]
    read = [query["sql"] for query in queries.captured_queries if reading in query["sql"]]
    try:
        index.uninstall(connection)
        with CaptureQueriesContext(connection) as queries:
            unindexed = [client.get(path, params).json() for path, params in asked]
    finally:
        index.forget()
    assert not [query["sql"] for query in queries.captured_queries if reading in query["sql"]]
    return indexed, unindexed, read
