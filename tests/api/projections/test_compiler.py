"""The projection compiler (api/projections/compiler.py): what it refuses, how it reads
many ids, and that its statements are compiled once."""

import pytest
from django.db.models.sql.query import Query
from rest_framework import serializers

from api.projections.claims import CLAIMS
from api.projections.compiler import Projection
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
