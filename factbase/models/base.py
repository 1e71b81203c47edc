"""Abstract building blocks shared by the curated models: timestamps, partial-date ranges
and text anchors (offsets + quote into a document)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from factbase import validators
from factbase.enums import AnchorStatus, DatePrecision
from factbase.partial_dates import PartialDate


class TimeStampedModel(models.Model):
    # Defaults rather than auto_now*: raw fixture loads skip pre_save, and must not fail.
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated = timezone.now()
        super().save(*args, **kwargs)


class PartialDateQuerySetMixin:
    """`overlapping(period)`: rows whose date interval shares at least one day with `period`."""

    def overlapping(self, period: PartialDate | None = None, *, lower=None, upper=None):
        if period is not None:
            lower, upper = period.lower, period.upper
        condition = Q()
        if upper is not None:
            condition &= Q(date_lower__lte=upper)
        if lower is not None:
            condition &= Q(date_upper__gte=lower)
        return self.filter(condition)


class PartialDateRange(models.Model):
    """A partial date or interval: inclusive real-date bounds, the precision it is known to,
    and the wording as written. Both bounds are empty when the date is unknown."""

    date_lower = models.DateField(
        null=True, blank=True, db_index=True, help_text="First day the date can mean (e.g. 2021-06-01 for June 2021)."
    )
    date_upper = models.DateField(
        null=True, blank=True, db_index=True, help_text="Last day the date can mean (e.g. 2021-06-30 for June 2021)."
    )
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, blank=True, help_text="How precisely the date is known."
    )
    date_text = models.CharField(
        max_length=200, blank=True, help_text="The date as the source words it: “late June”, “two years ago”."
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(date_lower__isnull=True)
                | Q(date_upper__isnull=True)
                | Q(date_lower__lte=models.F("date_upper")),
                name="%(class)s_date_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(date_lower__isnull=True, date_upper__isnull=True)
                | Q(date_lower__isnull=False, date_upper__isnull=False),
                name="%(class)s_date_bounds_paired",
            ),
        ]

    @property
    def partial_date(self) -> PartialDate | None:
        if self.date_lower is None or self.date_upper is None:
            return None
        return PartialDate(self.date_lower, self.date_upper, self.date_precision or "day", self.date_text)

    def set_partial_date(self, value: PartialDate | None) -> None:
        if value is None:
            self.date_lower = self.date_upper = None
            self.date_precision = ""
            self.date_text = ""
            return
        self.date_lower, self.date_upper = value.lower, value.upper
        self.date_precision, self.date_text = value.precision, value.text

    def clean_partial_date(self) -> None:
        validators.validate_date_bounds(self.date_lower, self.date_upper)
        if self.date_lower is not None and not self.date_precision:
            self.date_precision = DatePrecision.DAY


class TextAnchor(models.Model):
    """Offsets into a document's text, half-open and in Unicode code points, with the quote
    and its context (W3C TextQuoteSelector). `exact` always equals text[start:end]."""

    start = models.PositiveIntegerField(help_text="First character, counted in Unicode code points from 0.")
    end = models.PositiveIntegerField(help_text="One past the last character (half-open interval).")
    exact = models.TextField(help_text="The quoted text; filled by the server from the offsets.")
    prefix = models.CharField(max_length=32, blank=True, help_text="Up to 32 characters before the quote.")
    suffix = models.CharField(max_length=32, blank=True, help_text="Up to 32 characters after the quote.")
    # Set by re-anchoring (factbase/services/reanchor.py) when the document's text is revised.
    anchor_status = models.CharField(
        max_length=16,
        choices=AnchorStatus.choices,
        default=AnchorStatus.OK,
        db_index=True,
        help_text="“Needs review”: the quote was not found in the document's new revision; it still points at the old one.",
    )
    anchor_note = models.CharField(
        max_length=500, blank=True, help_text="What re-anchoring did or why it stopped (closest match found)."
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="%(class)s_start_not_negative"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="%(class)s_end_after_start"),
        ]

    def clean_anchor(self) -> None:
        if self.document_id is None:
            return
        text = self.document.text
        validators.validate_span_offsets(self.start, self.end, len(text))
        if not self.exact:
            self.exact, self.prefix, self.suffix = validators.span_context(text, self.start, self.end)
        validators.validate_span_matches_text(text=text, start=self.start, end=self.end, exact=self.exact)
        _, self.prefix, self.suffix = validators.span_context(text, self.start, self.end)
