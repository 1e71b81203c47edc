from datetime import date

import pytest
from django.core.exceptions import ValidationError

from factbase import validators

TEXT = "Lavrov visited Laos. 🙂 Then Vientiane."


def test_span_matches_text_accepts_exact_slice():
    validators.validate_span_matches_text(text=TEXT, start=0, end=6, exact="Lavrov")


def test_span_counts_code_points_not_utf16_units():
    start = TEXT.index("Then")
    validators.validate_span_matches_text(text=TEXT, start=start, end=start + 4, exact="Then")
    assert start == 23  # the emoji is one code point (two UTF-16 units)


@pytest.mark.parametrize(
    ("start", "end", "exact", "field"),
    [
        (0, 6, "Lavrow", "exact"),
        (-1, 6, "Lavrov", "start"),
        (6, 6, "", "end"),
        (6, 3, "", "end"),
        (0, 999, "x", "end"),
    ],
)
def test_span_refused_names_the_field(start, end, exact, field):
    with pytest.raises(ValidationError) as info:
        validators.validate_span_matches_text(text=TEXT, start=start, end=end, exact=exact)
    assert field in info.value.message_dict


def test_date_bounds():
    validators.validate_date_bounds(date(2021, 1, 1), date(2021, 1, 1))
    validators.validate_date_bounds(None, None)
    with pytest.raises(ValidationError):
        validators.validate_date_bounds(date(2021, 2, 1), date(2021, 1, 1))
    with pytest.raises(ValidationError):
        validators.validate_date_bounds(date(2021, 2, 1), None)


def test_predicate_kinds():
    kwargs = {"predicate_label": "visited", "subject_kinds": ["person"], "object_kinds": ["country"]}
    validators.validate_predicate_kinds(subject_kind="person", object_kind="country", **kwargs)
    validators.validate_predicate_kinds(subject_kind="person", object_kind=None, **kwargs)
    with pytest.raises(ValidationError) as info:
        validators.validate_predicate_kinds(subject_kind="country", object_kind="person", **kwargs)
    assert set(info.value.message_dict) == {"subject", "object"}


def test_predicate_without_object_kinds_refuses_object():
    with pytest.raises(ValidationError) as info:
        validators.validate_predicate_kinds(
            predicate_label="said", subject_kind="person", object_kind="person", subject_kinds=[], object_kinds=[]
        )
    assert "object" in info.value.message_dict
