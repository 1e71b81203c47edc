"""The projection compiler (api/projections/compiler.py): what it refuses, how it reads
many ids, and that its statements are compiled once."""

import datetime

import pytest
from django.db import connection
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from api.projections.claims import CLAIMS
from api.projections.compiler import Projection
from factbase.enums import ClaimStatus
from factbase.models import Claim, Predicate
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


class _Computed(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "label"]

    def get_label(self, claim):
        return str(claim)


class _ListOfKinds(serializers.ModelSerializer):
    class Meta:
        model = Predicate
        fields = ["id", "subject_kinds"]


@pytest.mark.parametrize("serializer_class", [_Computed, _ListOfKinds])
def test_a_field_it_cannot_compile_is_an_error_not_a_difference(serializer_class):
    projection = Projection(serializer_class, queryset=lambda: serializer_class.Meta.model.objects.all())
    with pytest.raises(TypeError, match="is not compiled"):
        projection.many([1])


def test_more_ids_than_one_statement_takes_are_read_in_parts(monkeypatch):
    claims = [ClaimFactory() for _ in range(5)]
    monkeypatch.setattr("api.projections.compiler.SLOTS", (1, 2))
    ids = [claim.pk for claim in reversed(claims)]
    assert [row["id"] for row in CLAIMS.many(ids)] == ids
    assert all(len(row["spans"]) == 1 for row in CLAIMS.many(ids))


def test_statements_are_compiled_once_per_size(django_assert_num_queries, monkeypatch):
    claim = ClaimFactory()
    CLAIMS.many([claim.pk])

    def compile_again(query):
        raise AssertionError("compiled again")

    monkeypatch.setattr(Query, "sql_with_params", compile_again)
    with django_assert_num_queries(2):  # rows, spans: run, not compiled
        assert CLAIMS.many([claim.pk])[0]["id"] == claim.pk


def _prepared(sql_start: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [sql_start + "%"])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_compiled_statements_are_prepared_on_postgresql(django_assert_num_queries):
    # A page of claims joins seven tables: PostgreSQL planned it in 6-16 ms for 1 ms of work
    # at a million claims, on every request, until it was prepared once per connection.
    claims = [ClaimFactory() for _ in range(3)]
    rows = 'SELECT "factbase_claim"."id" AS "pk", "factbase_claim"."uid"'
    before = _prepared(rows)
    with django_assert_num_queries(2):  # still counted by Django: rows, spans
        assert [row["id"] for row in CLAIMS.many([claim.pk for claim in claims])] == [c.pk for c in claims]
    assert _prepared(rows) == before + 1
    with CaptureQueriesContext(connection) as queries:
        CLAIMS.many([claim.pk for claim in claims])
    assert _prepared(rows) == before + 1  # the same statement, not prepared again
    # Django's query log still shows what ran (psycopg keeps no text for a prepared run).
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "SELECT"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_prepared_statements_can_be_turned_off(monkeypatch):
    claims = [ClaimFactory() for _ in range(2)]
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    rows = 'SELECT "factbase_claim"."id" AS "pk", "factbase_claim"."uid"'
    before = _prepared(rows)
    assert len(CLAIMS.many([claim.pk for claim in claims])) == 2
    assert _prepared(rows) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders are PostgreSQL's")
def test_compiled_reads_load_datetimes_with_psycopgs_own_loader(monkeypatch):
    # Django's timestamptz loader, a subclass of psycopg's pure-Python one, cost about 15 µs
    # a value: a fifth of a claims page's CPU. The compiled reads never run it, and render
    # the same text, in UTC and in another time zone.
    from django.db.backends.postgresql import psycopg_any
    from django.utils import timezone

    claim = ClaimFactory()
    expected = CLAIMS.serializer_class(Claim.objects.for_api().get(pk=claim.pk)).data["created"]
    with timezone.override("Asia/Kolkata"):
        elsewhere = CLAIMS.serializer_class(Claim.objects.for_api().get(pk=claim.pk)).data["created"]

    def refuse(self, data):
        raise AssertionError("Django's loader ran")

    monkeypatch.setattr(psycopg_any.BaseTzLoader, "load", refuse)
    row = CLAIMS.many([claim.pk])[0]
    assert row["created"] == expected
    assert row["created"].endswith("Z")
    with timezone.override("Asia/Kolkata"):
        row = CLAIMS.many([claim.pk])[0]
    assert row["created"] == elsewhere
    assert row["created"].endswith("+05:30")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="declared-type converters are SQLite's")
def test_compiled_reads_take_dates_and_datetimes_as_their_text_on_sqlite(monkeypatch):
    # Django's converters parsed 184 values of a page of 50 claims into dates and datetimes,
    # which the shaping turned back into text: about 7% of the page's CPU.
    import sqlite3

    from django.utils import timezone

    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(
        date_lower=datetime.date(2021, 7, 1), date_upper=datetime.date(2021, 7, 31), date_precision="month"
    )
    stored = {
        "plain": "2021-07-01 12:34:56.123456",
        "whole second": "2021-07-01 12:34:56",
        "zero microseconds": "2021-07-01 12:34:56.000000",
        "milliseconds": "2021-07-01 12:34:56.5",
        "ISO with Z": "2021-07-01T12:34:56.123Z",
        "not a datetime": "yesterday",
    }
    expected = {}
    for name, text in stored.items():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE factbase_claim SET created = %s WHERE id = %s", [text, claim.pk])
        utc = CLAIMS.serializer_class(Claim.objects.for_api().get(pk=claim.pk)).data
        with timezone.override("Asia/Kolkata"):
            expected[name] = (utc, CLAIMS.serializer_class(Claim.objects.for_api().get(pk=claim.pk)).data)

    def refuse(value):
        raise AssertionError("a converter ran")

    for name, text in stored.items():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE factbase_claim SET created = %s WHERE id = %s", [text, claim.pk])
        with monkeypatch.context() as patched:
            for declared in ("DATE", "DATETIME", "TIMESTAMP"):
                patched.setitem(sqlite3.converters, declared, refuse)
            row = CLAIMS.many([claim.pk])[0]
            with timezone.override("Asia/Kolkata"):
                elsewhere = CLAIMS.many([claim.pk])[0]
        utc, kolkata = expected[name]
        assert (row["created"], row["date"]) == (utc["created"], utc["date"]), name
        assert elsewhere["created"] == kolkata["created"], name
    assert row["created"] is None  # the last: not a datetime, as the converter gave it


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the converting cursor is SQLite's")
def test_compiled_statements_placeholders_are_converted_once_on_sqlite(monkeypatch):
    # Django's SQLite cursor rewrites `%s` as `?` with a regular expression on every run.
    from django.db.backends.sqlite3 import base

    claim = ClaimFactory()
    CLAIMS.many([claim.pk])

    class Refusing:
        def sub(self, replacement, query):
            raise AssertionError("converted again")

    monkeypatch.setattr(base, "FORMAT_QMARK_REGEX", Refusing())
    assert CLAIMS.many([claim.pk])[0]["id"] == claim.pk


def test_a_detail_statements_lists_come_in_their_order_whatever_order_the_rows_arrive_in():
    # The one detail statement (PostgreSQL's) numbers each list's rows; a UNION ALL promises
    # no order, so they are put back in order by that number.
    from api.projections.entities import DETAILS
    from factbase.models import Person

    projection = DETAILS[Person]
    statement = projection._detail_statement("default")
    width = max(end for start, end in statement.spans)
    main = (7, *[None] * (width - 1))
    (start, end), *_ = statement.spans  # aliases: entity, name, language, kind, position

    def alias(name, position):
        row = [None] * width
        row[start : start + 4] = [7, name, "en", "alternative"]
        row[end - 1] = position
        return tuple(row)

    class Cursor:
        def execute(self, sql, params):
            assert sql == statement.sql

        def fetchall(self):
            return [alias("Zeta", 3), main, alias("Alpha", 1), alias("Mu", 2)]

    row, lists = projection._detail_rows(Cursor(), 7, "default")
    assert row[0] == 7
    assert [alias[1] for alias in lists[0]] == ["Alpha", "Mu", "Zeta"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_lists_page_ids_and_capped_count_are_planned_for_their_filters_on_postgresql(client):
    # Prepared, they ran on a generic plan after five runs on a connection: made for no
    # entity in particular, it gathered and sorted the busiest participant's events (75-90
    # ms at a million claims, against 3 ms planned for it). The page's rows, read by id,
    # stay prepared.
    first_claim = ClaimFactory(status=ClaimStatus.PUBLISHED)
    claims = [first_claim] + [ClaimFactory(status=ClaimStatus.PUBLISHED, subject=first_claim.subject) for _ in range(2)]
    subject = first_claim.subject_id
    ids = 'SELECT "factbase_claim"."id" AS "pk" FROM "factbase_claim"'
    count = "SELECT COUNT(*) FROM (SELECT"
    rows = 'SELECT "factbase_claim"."id" AS "pk", "factbase_claim"."uid"'
    before = (_prepared(ids), _prepared(count), _prepared(rows))
    for _ in range(2):
        page = client.get(f"/api/v1/claims/?subject={subject}&page_size=1&ordering=id").json()
        assert (page["count"], len(page["results"])) == (len(claims), 1)
    assert (_prepared(ids), _prepared(count), _prepared(rows)) == (before[0], before[1], before[2] + 1)
