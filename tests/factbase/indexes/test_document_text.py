"""The document text index (factbase/indexes/document_text.py) and document search
(`Document.objects.search`, factbase/indexes/search.py): a substring match of every word in
the title or the text, kept in step with edits, with the same answer whether the trigram
index narrows the documents first or the texts are scanned."""

import pytest
from django.db import connection

from factbase.indexes import document_text, search
from factbase.models import Document
from factbase.services.documents import document_update
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "scan"])
def document_backend(request, monkeypatch):
    """Every behaviour runs with the trigram index and without it (the scan), which must agree.
    With the index, every match is read from it however common (no threshold)."""
    if request.param == "scan":
        monkeypatch.setattr(document_text, "ready", lambda connection: False)
    else:
        monkeypatch.setattr(search, "MANY_DOCUMENTS", 10**9)
    return request.param


@pytest.fixture
def documents():
    return [
        DocumentFactory(title="Lavrov in Jakarta", text="The minister visited Indonesia on Tuesday."),
        DocumentFactory(title="Shoigu in Hanoi", text="Talks on SUBMARINES and frigates."),
        DocumentFactory(title="Communiqué", text="Ministries agreed; the Ministry of Defence said nothing."),
    ]


def titles(q):
    return sorted(Document.objects.search(q).values_list("title", flat=True))


def test_the_index_exists_on_this_database():
    assert document_text.INDEX.check(connection) == []
    assert document_text.ready(connection)


def test_a_word_is_found_inside_other_words(document_backend, documents):
    assert titles("minist") == ["Communiqué", "Lavrov in Jakarta"]
    assert titles("onesi") == ["Lavrov in Jakarta"]


def test_case_is_ignored(document_backend, documents):
    assert titles("submarines") == ["Shoigu in Hanoi"]
    assert titles("JAKARTA") == ["Lavrov in Jakarta"]


def test_every_word_in_the_title_or_the_text(document_backend, documents):
    assert titles("jakarta tuesday") == ["Lavrov in Jakarta"]
    assert titles("hanoi frigates") == ["Shoigu in Hanoi"]
    assert titles("jakarta frigates") == []


def test_short_words_are_checked_too(document_backend, documents):
    assert titles("of ministry") == ["Communiqué"]
    assert titles("in") == ["Communiqué", "Lavrov in Jakarta", "Shoigu in Hanoi"]
    assert titles("zq") == []


def test_a_word_in_no_document(document_backend, documents):
    assert titles("zzyzxq") == []


def test_an_edited_text_is_found_by_its_new_words_only(document_backend, documents):
    edited = documents[0]
    document_update(document=edited, text="The minister flew to Kuala Lumpur.", title="Lavrov in Malaysia")
    assert titles("kuala") == ["Lavrov in Malaysia"]
    assert titles("malaysia") == ["Lavrov in Malaysia"]
    assert titles("indonesia") == []
    assert titles("jakarta") == []


def test_a_deleted_document_is_forgotten(document_backend, documents):
    documents[1].delete()
    assert titles("submarines") == []


def test_a_document_written_while_suspended_is_found_after_restore():
    document_text.INDEX.suspend(connection)
    written = DocumentFactory(title="Written in bulk", text="Corvettes were ordered.")
    document_text.INDEX.restore(connection)
    assert document_text.INDEX.check(connection) == []
    assert list(Document.objects.search("corvettes")) == [written]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the trigram table is SQLite's")
def test_common_words_are_scanned_and_rare_ones_read_from_the_index(documents, monkeypatch):
    monkeypatch.setattr(search, "MANY_DOCUMENTS", 1)
    assert document_text.FTS not in str(Document.objects.search("minist").query)  # two documents: scan
    assert document_text.FTS in str(Document.objects.search("jakarta").query)  # one: the index
    assert document_text.FTS not in str(Document.objects.search("in").query)  # too short for trigrams


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the upper-cased copy of the text is PostgreSQL's")
def test_postgresql_tests_the_stored_upper_cased_text(documents):
    """The search asks the stored copy, upper(text) kept uncompressed, and never upper-cases
    a text per request; the copy follows edits (a generated column)."""
    sql = str(Document.objects.search("minist").query)
    assert f'"{document_text.PG_UPPER_TEXT}" LIKE UPPER(' in sql
    assert 'UPPER("factbase_document"."text"' not in sql
    document_update(document=documents[1], text="Talks on corvettes.", title=documents[1].title)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM factbase_document WHERE {document_text.PG_UPPER_TEXT} <> upper(text)")
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'factbase_document'::regclass AND attname = %s",
            [document_text.PG_UPPER_TEXT],
        )
        assert cursor.fetchone()[0] == "e"  # EXTERNAL: out of line, uncompressed
