from datetime import date

import pytest

from factbase.partial_dates import PartialDate, PartialDateError, parse_bound, resolve_relative


@pytest.mark.parametrize(
    ("value", "lower", "upper", "precision"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31), "year"),
        ("2021-07", date(2021, 7, 1), date(2021, 7, 31), "month"),
        ("2021-06", date(2021, 6, 1), date(2021, 6, 30), "month"),
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "month"),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),  # leap year
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29), "month"),  # divisible by 400
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28), "month"),  # divisible by 100 only
        ("2021-12", date(2021, 12, 1), date(2021, 12, 31), "month"),
        ("2021-07-06", date(2021, 7, 6), date(2021, 7, 6), "day"),
        ("2020-02-29", date(2020, 2, 29), date(2020, 2, 29), "day"),
        ("2021-07-06/2021-07-08", date(2021, 7, 6), date(2021, 7, 8), "day"),
        ("2021-03/2021-04", date(2021, 3, 1), date(2021, 4, 30), "month"),
        ("2020-10/2021-01", date(2020, 10, 1), date(2021, 1, 31), "month"),
        ("2021-06-28/2021-07", date(2021, 6, 28), date(2021, 7, 31), "month"),  # coarser end wins
        ("2016/2019", date(2016, 1, 1), date(2019, 12, 31), "year"),
    ],
)
def test_parse_gives_bounds_and_precision(value, lower, upper, precision):
    parsed = PartialDate.parse(value)
    assert (parsed.lower, parsed.upper, parsed.precision) == (lower, upper, precision)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "21",
        "2021-13",
        "2021-00",
        "2021-02-29",
        "2021-04-31",
        "2021-7",
        "July 2021",
        "2021-07-08/2021-07-06",
        "0000",
        "2021/",
        "2021-06-31",
    ],
)
def test_parse_refuses_bad_dates_with_message(value):
    with pytest.raises(PartialDateError) as info:
        PartialDate.parse(value)
    assert str(info.value)


def test_parse_refuses_non_string():
    with pytest.raises(PartialDateError):
        PartialDate.parse(2021)


def test_late_june_is_kept_as_text_with_june_bounds():
    parsed = PartialDate.parse("2021-06", text="late June")
    assert parsed == PartialDate(date(2021, 6, 1), date(2021, 6, 30), "month", "late June")


def test_isoformat_round_trips():
    for value in ["2021", "2021-07", "2021-07-06", "2021-07-06/2021-07-08", "2021-03/2021-04"]:
        assert PartialDate.parse(value).isoformat() == value


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2021-06", "2021-06-30", True),  # last day of the month
        ("2021-06", "2021-07-01", False),  # day after the month ends
        ("2021-06", "2021-05-31", False),
        ("2021", "2021-12-31", True),
        ("2021", "2022-01-01", False),
        ("2021-07-06/2021-07-08", "2021-07-08", True),
        ("2021-07-06/2021-07-08", "2021-07-09", False),
        ("2020-10/2021-01", "2021", True),
        ("2020-02", "2020-02-29", True),
    ],
)
def test_overlaps_at_edges(a, b, expected):
    assert PartialDate.parse(a).overlaps(PartialDate.parse(b)) is expected
    assert PartialDate.parse(b).overlaps(PartialDate.parse(a)) is expected


def test_parse_bound_for_filters():
    assert parse_bound("2021-06", end=False) == date(2021, 6, 1)
    assert parse_bound("2021-06", end=True) == date(2021, 6, 30)
    assert parse_bound("2024-02", end=True) == date(2024, 2, 29)


def test_sort_key_puts_month_after_its_first_day():
    items = [PartialDate.parse("2021-06"), PartialDate.parse("2021-06-01"), PartialDate.parse("2021-05-31")]
    assert [p.isoformat() for p in sorted(items, key=lambda p: p.sort_key)] == ["2021-05-31", "2021-06-01", "2021-06"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last October", "2020-10"),
        ("Last October", "2020-10"),
        ("two years ago", "2019"),
        ("last year", "2020"),
        ("this year", "2021"),
        ("in the next month", "2021-08"),
        ("late June", "2021-06"),
        ("a few years ago", "2016/2019"),
    ],
)
def test_resolve_relative_against_publication(text, expected):
    resolved = resolve_relative(text, anchor=PartialDate.parse("2021-07"))
    assert resolved.isoformat() == expected
    assert resolved.text == text


def test_resolve_relative_next_month_wraps_year():
    assert resolve_relative("in the next month", anchor=PartialDate.parse("2021-12")).isoformat() == "2022-01"


def test_resolve_relative_refuses_unknown_wording():
    with pytest.raises(PartialDateError):
        resolve_relative("when the moon is blue", anchor=PartialDate.parse("2021-07"))
