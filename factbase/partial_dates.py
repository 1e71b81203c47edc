"""Partial dates: the one place that parses and reasons about dates known only to a year,
a month or a day, or intervals of them ("2021", "2021-07", "2021-07-06/2021-07-08").

A partial date is stored as an inclusive interval [lower, upper] of real dates plus the
precision it was known to and the wording as written ("late June"). Two partial dates are
compared only through their bounds, never as strings. Imports nothing from the project.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("day", "month", "year")  # finest first
_PART = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


class PartialDateError(ValueError):
    """Raised with a human-readable message when a partial date cannot be parsed."""


@dataclass(frozen=True)
class PartialDate:
    lower: date
    upper: date
    precision: str
    text: str = ""

    @classmethod
    def parse(cls, value: str, *, text: str = "") -> PartialDate:
        """Parse `2021`, `2021-07`, `2021-07-06`, or an interval `A/B` of those.

        The precision of an interval is the coarser of its two ends. `text` keeps the
        wording as written ("late June"); it never changes the bounds.
        """
        if not isinstance(value, str):
            raise PartialDateError("A date must be text such as 2021, 2021-06 or 2021-06-28.")
        value = value.strip()
        if not value:
            raise PartialDateError("A date must not be empty.")
        if "/" in value:
            start, _, end = value.partition("/")
            first = _parse_single(start.strip())
            last = _parse_single(end.strip())
            if first[0] > last[1]:
                raise PartialDateError(f"The interval {value!r} ends before it starts.")
            precision = max(first[2], last[2], key=PRECISIONS.index)
            return cls(first[0], last[1], precision, text)
        lower, upper, precision = _parse_single(value)
        return cls(lower, upper, precision, text)

    @classmethod
    def from_bounds(cls, lower: date, upper: date, precision: str, text: str = "") -> PartialDate:
        if precision not in PRECISIONS:
            raise PartialDateError(f"Unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}.")
        if lower > upper:
            raise PartialDateError("The lower bound must not be after the upper bound.")
        return cls(lower, upper, precision, text)

    def overlaps(self, other: PartialDate) -> bool:
        return self.lower <= other.upper and other.lower <= self.upper

    def __str__(self) -> str:
        return self.isoformat()

    def isoformat(self) -> str:
        """The canonical string that `parse` reads back into the same bounds."""
        first = _format(self.lower, self.precision)
        last = _format(self.upper, self.precision)
        if first == last:
            return first
        # A whole year or month written as one token when the bounds cover exactly it.
        return f"{first}/{last}"

    @property
    def sort_key(self) -> tuple[date, int, date]:
        """Sort by start; a coarser date sorts after finer ones that start the same day
        (so "2021-06" sorts as June, not as June 1st)."""
        return (self.lower, PRECISIONS.index(self.precision), self.upper)


def _format(day: date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _parse_single(value: str) -> tuple[date, date, str]:
    match = _PART.match(value)
    if not match:
        raise PartialDateError(
            f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, or an interval A/B of those."
        )
    year = int(match["year"])
    if year < 1:
        raise PartialDateError(f"{value!r}: the year must be 0001 or later.")
    if match["month"] is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise PartialDateError(f"{value!r}: the month must be between 01 and 12.")
    last_day = calendar.monthrange(year, month)[1]
    if match["day"] is None:
        return date(year, month, 1), date(year, month, last_day), "month"
    day = int(match["day"])
    if not 1 <= day <= last_day:
        raise PartialDateError(f"{value!r}: day {day} does not exist in {year:04d}-{month:02d}.")
    return date(year, month, day), date(year, month, day), "day"


def parse_bound(value: str, *, end: bool) -> date:
    """The first (end=False) or last (end=True) day a partial date can mean; for filters."""
    parsed = PartialDate.parse(value)
    return parsed.upper if end else parsed.lower


# Relative expressions a curator resolves against the document's publication date.
_NUMBERS = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}


def resolve_relative(text: str, *, anchor: PartialDate) -> PartialDate:
    """Resolve wording such as "last October", "two years ago", "last year", "this year",
    "in the next month", "late June" or "a few years ago" against `anchor` (the document's
    publication date). The result keeps `text` as written. Raises PartialDateError when the
    wording is not understood, so a curator enters bounds by hand instead of a guess.
    """
    phrase = " ".join(text.lower().replace("’", "'").split())
    ref = anchor.lower
    year = ref.year

    def month_of(y: int, m: int) -> PartialDate:
        return PartialDate.parse(f"{y:04d}-{m:02d}", text=text)

    if phrase in {"this year", "earlier in the year", "earlier this year"}:
        return PartialDate.parse(f"{year:04d}", text=text)
    if phrase == "last year":
        return PartialDate.parse(f"{year - 1:04d}", text=text)
    if phrase in {"in the next month", "next month"}:
        y, m = (year + 1, 1) if ref.month == 12 else (year, ref.month + 1)
        return month_of(y, m)
    if phrase in {"last month"}:
        y, m = (year - 1, 12) if ref.month == 1 else (year, ref.month - 1)
        return month_of(y, m)
    match = re.fullmatch(r"(\w+) years? ago", phrase)
    if match and match[1] in _NUMBERS:
        return PartialDate.parse(f"{year - _NUMBERS[match[1]]:04d}", text=text)
    if phrase in {"a few years ago", "several years ago"}:
        return PartialDate.parse(f"{year - 5:04d}/{year - 2:04d}", text=text)
    match = re.fullmatch(r"last (\w+)", phrase)
    if match and match[1] in _MONTHS:
        month = _MONTHS[match[1]]
        return month_of(year if month < ref.month else year - 1, month)
    match = re.fullmatch(r"(?:(?:early|mid|late|in) )?(\w+)(?: this year)?", phrase)
    if match and match[1] in _MONTHS:
        month = _MONTHS[match[1]]
        return month_of(year, month)
    raise PartialDateError(f"Cannot resolve {text!r}; enter the date bounds by hand.")
