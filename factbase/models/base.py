"""Abstract building blocks shared by the curated models: timestamps, partial-date ranges
and text anchors (offsets + quote into a document)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Q
from django.utils import timezone

from factbase import validators
from factbase.enums import AnchorStatus, DatePrecision
from factbase.partial_dates import PartialDate


class ChecksInPython(models.Model):
    """Check constraints validated in Python, with the database's answer, where Django asks
    the database: `full_clean()` otherwise runs each CheckConstraint as a `SELECT` in a
    savepoint of its own (three round trips each, the largest part of a write's cost).

    A condition made of comparisons of the row's own fields (`exact`, `in`, `gt`, `gte`, `lt`,
    `lte`, `isnull`, with values or `F()` of other fields), joined by AND, OR and NOT, is
    evaluated here with SQL's three-valued logic: a comparison with NULL is unknown, and an
    unknown condition passes, as the database's CHECK lets it pass. Any other form is
    validated by Django as before. A conditional UniqueConstraint whose condition is false for
    the row is skipped (it cannot apply); otherwise it is asked of the database. Violations
    raise what Django raises: the constraint's message and code."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        exclude = set(exclude or ())
        errors = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    if isinstance(constraint, models.CheckConstraint):
                        passed = check_in_python(constraint.condition, self, model_class, exclude)
                        if passed is False:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                        if passed is UNKNOWN_FORM:
                            constraint.validate(model_class, self, exclude=exclude, using=using)
                    elif not (
                        isinstance(constraint, models.UniqueConstraint)
                        and constraint.condition is not None
                        and check_in_python(constraint.condition, self, model_class, exclude) is False
                    ):
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:  # gathered as Django's validate_constraints gathers them
                    if getattr(e, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


UNKNOWN_FORM = object()  # a condition check_in_python does not evaluate: the database is asked
_COMPARE = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


class _NotEvaluated(Exception):
    pass


def check_in_python(condition, instance, model_class, exclude=()):
    """Whether `instance` satisfies the check `condition` (a Q) as the database would judge
    it: True, False, None (unknown: a NULL compared, which a CHECK lets pass, so it passes),
    or UNKNOWN_FORM when the condition is not one of the simple forms evaluated here.
    A condition naming a field in `exclude`, or none of `model_class`'s own columns, is True
    (Django skips it: the FieldError of CheckConstraint.validate)."""
    fields = {f.name: f for f in model_class._meta.local_concrete_fields if f.name not in exclude}
    try:
        result = _evaluate(condition, instance, fields)
    except _NotEvaluated:
        return UNKNOWN_FORM
    except LookupError:  # an excluded field, or not one of the model class's own columns
        return True
    return True if result is None else result


def _evaluate(node, instance, fields):
    if not isinstance(node, Q):
        raise _NotEvaluated
    results = []
    for child in node.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, instance, fields))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_compare(*child, instance, fields))
        else:
            raise _NotEvaluated
    if node.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif node.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise _NotEvaluated
    if node.negated:
        result = None if result is None else not result
    return result


def _field_value(name: str, instance, fields):
    if name == "pk":
        raise _NotEvaluated
    field = fields[name]  # KeyError (a LookupError): Django's FieldError, the check skipped
    value = getattr(instance, field.attname)
    if value is None or hasattr(value, "resolve_expression"):
        if value is not None:
            raise _NotEvaluated
        return None
    try:
        return field.to_python(value)  # the value as its column holds it ("5" for an integer is 5)
    except ValidationError as exc:
        raise _NotEvaluated from exc


def _compare(lookup: str, rhs, instance, fields):
    name, _, operator = lookup.partition("__")
    operator = operator or "exact"
    if "__" in operator or (operator not in _COMPARE and operator not in ("in", "isnull")):
        raise _NotEvaluated
    lhs = _field_value(name, instance, fields)
    if isinstance(rhs, models.F):
        rhs = _field_value(rhs.name, instance, fields)
    elif hasattr(rhs, "resolve_expression"):
        raise _NotEvaluated
    if operator == "isnull":
        if not isinstance(rhs, bool):
            raise _NotEvaluated
        return (lhs is None) == rhs
    if operator == "exact" and rhs is None:  # field=None is IS NULL
        return lhs is None
    if lhs is None:
        return None
    try:
        if operator == "in":
            values = list(rhs)
            if not all(isinstance(value, type(lhs)) or isinstance(lhs, type(value)) for value in values):
                raise _NotEvaluated  # NULL or another type in the list: left to the database
            return lhs in values
        if rhs is None:
            return None
        if type(lhs) is not type(rhs) and not (isinstance(lhs, str) and isinstance(rhs, str)):
            raise _NotEvaluated  # Python and SQL compare mixed types differently
        return _COMPARE[operator](lhs, rhs)
    except TypeError as exc:
        raise _NotEvaluated from exc


class TimeStampedModel(ChecksInPython):
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
