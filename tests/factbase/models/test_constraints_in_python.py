"""factbase/models/base.py `ChecksInPython`: every check constraint of the project's models is
evaluated in Python (no query), with the answer the database's own check gives for the same
row, and a violation is refused by full_clean() with the constraint's message as before."""

import datetime
import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from factbase.models import Alias, Person
from factbase.models.base import UNKNOWN_FORM, ChecksInPython, check_in_python
from tests.factories import ClaimFactory, DocumentFactory, MentionFactory, PersonFactory

CHECKS = [
    (model, constraint)
    for model in apps.get_app_config("factbase").get_models()
    if not model.__name__.startswith("Historical")
    for constraint in model._meta.constraints
    if isinstance(constraint, models.CheckConstraint)
]


def _names(condition):
    for child in condition.children:
        if isinstance(child, Q):
            yield from _names(child)
        else:
            yield child[0].split("__")[0]
            if isinstance(child[1], models.F):
                yield child[1].name


def _candidates(field):
    if isinstance(field, models.DateField):
        values = [datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)]
    elif isinstance(field, models.ForeignKey):
        values = [1, 2]
    elif isinstance(field, models.IntegerField):
        values = [-1, 0, 5, 9]
    elif isinstance(field, models.CharField):
        values = ["", "not-a-choice", *[value for value, _ in field.choices or ()]]
    else:
        raise AssertionError(f"no sample values for {field!r}")
    return values + ([None] if field.null else [])


def test_every_check_constraint_is_evaluated_in_python():
    assert CHECKS, "the project's models have check constraints"
    for model, constraint in CHECKS:
        assert issubclass(model, ChecksInPython), model
        instance = model()
        assert check_in_python(constraint.condition, instance, model) is not UNKNOWN_FORM, constraint.name


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), CHECKS, ids=[c.name for _, c in CHECKS])
def test_check_in_python_answers_as_the_database(model, constraint):
    fields = [model._meta.get_field(name) for name in sorted(set(_names(constraint.condition)))]
    rows = 0
    for values in itertools.product(*(_candidates(field) for field in fields)):
        instance = model(**{field.attname: value for field, value in zip(fields, values, strict=True)})
        against = instance._get_field_expression_map(meta=model._meta)
        database = Q(constraint.condition).check(against)
        assert check_in_python(constraint.condition, instance, model) is database, (constraint.name, values)
        rows += 1
    assert rows >= 2


@pytest.mark.django_db
def test_a_violated_check_is_refused_with_its_message_and_no_query(django_assert_num_queries):
    document = DocumentFactory()
    mention = MentionFactory.build(document=document, entity=PersonFactory(), start=5, end=3)
    # One query: the unique constraint's lookup. Its two checks were a savepoint, a SELECT
    # and a release each.
    with django_assert_num_queries(1), pytest.raises(ValidationError) as refused:
        mention.validate_constraints()
    assert refused.value.messages == ["Constraint “mention_end_after_start” is violated."]


@pytest.mark.django_db
def test_checks_that_pass_ask_nothing_of_the_database(django_assert_num_queries):
    claim = ClaimFactory()
    alias = Alias(entity=claim.subject, name="", language="en")
    with pytest.raises(ValidationError) as refused:
        alias.validate_constraints()
    assert refused.value.messages == ["Constraint “alias_name_not_empty” is violated."]
    with django_assert_num_queries(0):
        claim.validate_constraints()  # every claim constraint is a check


@pytest.mark.django_db
def test_a_conditional_unique_constraint_is_asked_only_when_its_condition_holds(django_assert_num_queries):
    PersonFactory(slug="a", wikidata_qid="Q41364")
    duplicate = Person(slug="b", name="B", wikidata_qid="Q41364")
    duplicate.clean()  # the kind, derived
    with pytest.raises(ValidationError) as refused:
        duplicate.validate_constraints()
    assert refused.value.messages == ["Constraint “entity_wikidata_qid_unique” is violated."]
    without = Person(slug="c", name="C")
    without.clean()
    with django_assert_num_queries(0):  # no Wikidata id: the constraint cannot apply
        without.validate_constraints()
