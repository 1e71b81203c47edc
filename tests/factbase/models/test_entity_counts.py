"""The capped count of a typed list (EntityQuerySet.index_count): without the kind that the
list's name order states on the entity row, with the same number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factbase.indexes import entity_words
from factbase.models import Organisation, Person
from tests.factories import CountryFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_typed_lists_count_leaves_out_the_kind_it_states():
    country, elsewhere = CountryFactory(), CountryFactory()
    for nationality in (country, country, country, elsewhere):
        PersonFactory(nationality=nationality)
    OrganisationFactory(country=country)
    listed = Person.objects.of_kind(Person.KIND).filter(nationality=country).order_by("name", "id")
    with CaptureQueriesContext(connection) as queries:
        assert listed.index_count(1_000) == 3
        assert listed.index_count(1) == 2  # capped: one past the cap
    assert all('"kind"' not in query["sql"] for query in queries.captured_queries), queries.captured_queries
    assert Person.objects.filter(nationality=country).index_count(1_000) is None  # no kind stated
    assert Organisation.objects.of_kind(Organisation.KIND).index_count(1_000) == 1
    assert Organisation.objects.of_kind(Person.KIND).index_count(1_000) is None  # not its own kind


def test_a_typed_lists_search_walk_keeps_the_kind_in_its_count(monkeypatch):
    """A search walked on the entity rows (more than MANY_MATCHES matches) is counted with
    its kind: the kind narrows the walk to the list's own rows."""
    from factbase.indexes import search

    PersonFactory(name="Sergei Lavrov")
    monkeypatch.setattr(search, "MANY_MATCHES", -1)
    assert Person.objects.of_kind(Person.KIND).matching("serg").index_count(1_000) is None
    monkeypatch.setattr(search, "MANY_MATCHES", 10**9)  # the matches read by id: no walk
    assert Person.objects.of_kind(Person.KIND).matching("serg").index_count(1_000) == 1


def test_a_search_of_few_matches_reads_its_page_and_count_together(monkeypatch):
    """A list filtered only by a search of few matches (and its kind) is read whole by its
    page and its count alike (search.reads_matches_whole): one statement for both."""
    from factbase.indexes import search

    country = CountryFactory()
    PersonFactory(name="Sergei Lavrov", nationality=country)
    monkeypatch.setattr(search, "MANY_MATCHES", 10**9)
    assert Person.objects.matching("serg").pages_with_count()
    assert Person.objects.of_kind(Person.KIND).matching("serg").pages_with_count()
    assert not Person.objects.of_kind("country").matching("serg").pages_with_count()
    assert not Person.objects.matching("serg").filter(nationality=country).pages_with_count()
    assert not Person.objects.filter(nationality=country).pages_with_count()
    monkeypatch.setattr(search, "MANY_MATCHES", -1)  # walked: a page stops early, the count later
    assert not Person.objects.matching("serg").pages_with_count()


@pytest.mark.parametrize("worded", [True, False], ids=["word-index", "name-indexes"])
def test_a_page_of_a_search_of_few_matches_is_one_statement(api_client, monkeypatch, worded):
    """people/?q= of few matches: the page's ids and its capped count come from one statement
    on either engine (api/pagination.py), with the count the rows give, with the entity word
    index and without it."""
    if not worded:
        monkeypatch.setattr(entity_words, "ready", lambda connection: False)
    for i in range(3):
        PersonFactory(name=f"Sergei {i}")
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/people/?q=serg&page_size=2")
    assert response.json()["count"] == 3
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith("SELECT COUNT(*)")], statements
    # Either engine reads the matches with their names from the entity word index
    # (search.EntityNameMatches); without it PostgreSQL from the name and alias indexes, SQLite
    # through the ORM: either way the first 1,001 rows, page and count at once.
    read, window = "WHERE lexeme = 'sergei' AND kind = 'person'", "LIMIT 1001 OFFSET 0"
    if not worded:
        read = "to_tsvector('simple'::regconfig, a.name) @@" if connection.vendor == "postgresql" else ' AS "pk" FROM '
        window = window if connection.vendor == "postgresql" else "LIMIT 1001"
    assert [sql for sql in statements if read in sql and sql.endswith(window)], statements
