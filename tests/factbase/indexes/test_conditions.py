"""The ANDed conditions of a queryset's WHERE, as the shapes that recognise their own
conditions read them (factbase/indexes/conditions.py)."""

from django.db.models import Q

from factbase.indexes import conditions
from factbase.models import Entity


def test_the_conditions_of_filters_one_after_another():
    queryset = Entity.objects.filter(kind="person").filter(name__startswith="S")
    assert [child.lhs.target.name for child in conditions.anded(queryset)] == ["kind", "name"]


def test_querysets_joined_by_or_have_no_anded_conditions():
    assert conditions.anded(Entity.objects.filter(kind="person") | Entity.objects.filter(name="S")) is None


def test_an_exclusion_is_one_condition_negated_as_a_whole():
    (excluded,) = conditions.anded(Entity.objects.filter(kind="person").exclude(Q(name="S") & Q(slug="s")))[1:]
    assert excluded.negated


def test_without_takes_one_condition_out_of_a_copy():
    queryset = Entity.objects.filter(kind="person").filter(name__startswith="S")
    rest = conditions.without(queryset, 0)
    assert [child.lhs.target.name for child in conditions.anded(rest)] == ["name"]
    assert len(conditions.anded(queryset)) == 2  # the queryset itself keeps both
    assert str(rest.query) != str(queryset.query)
