"""The answers of an index's reads, with the index and without it (uninstalled: the queries'
own fallbacks), for the tests that hold them equal; and what an index holds once rebuilt,
for the tests that hold its rows in step with the tables."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


class _Rollback(Exception):
    pass


def rebuilt(index, rows):
    """What `rows()` reads once `index` is rebuilt from the tables as they stand, the index
    then left as it was (the rebuild rolled back)."""
    try:
        with transaction.atomic():
            index.rebuild(connection)
            found = rows()
            raise _Rollback
    except _Rollback:
        return found


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


def in_step(index, rows):
    """What `rows()` reads of `index`, asserted to be what a rebuild from the tables as they
    stand would leave (`rebuilt`): the index followed every write so far."""
    found = rows()
    assert found == rebuilt(index, rows)
    return found


def live(index):
    """A fixture's body: `index` as its live definitions make it (PostgreSQL's test database
    has the frozen migration's, which test_protocol.py holds equal to them), the migrated one
    put back with the test's rollback."""
    index.uninstall(connection)
    index.install(connection)
    yield
    index.forget()
