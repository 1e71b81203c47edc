"""Pure validation functions: each rule written once, called from model clean(), services
and the fixture verifier. They raise django.core.exceptions.ValidationError with the field
the message belongs to. They import nothing from the project's models."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError

CONTEXT_CHARS = 32  # prefix/suffix length, as in the W3C TextQuoteSelector convention


def validate_span_offsets(start: int | None, end: int | None, text_length: int) -> None:
    if start is None or end is None:
        raise ValidationError({"start": "A span needs a start and an end offset."})
    if start < 0:
        raise ValidationError({"start": f"Start offset {start} is negative."})
    if end <= start:
        raise ValidationError({"end": f"End offset {end} must be greater than start offset {start}."})
    if end > text_length:
        raise ValidationError({"end": f"End offset {end} is past the end of the document ({text_length} characters)."})


def validate_span_matches_text(*, text: str, start: int, end: int, exact: str, where: str = "") -> None:
    """`text[start:end] == exact`, in Unicode code points as Python indexes strings. `where`
    words the place in the message (default: the offsets)."""
    validate_span_offsets(start, end, len(text))
    found = text[start:end]
    if found != exact:
        raise ValidationError({"exact": f"The document has {found!r} {where or f'at {start}–{end}'}, not {exact!r}."})


def span_context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix) for a span of `text`."""
    return text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def validate_date_bounds(lower: date | None, upper: date | None, *, field: str = "date_upper") -> None:
    if (lower is None) != (upper is None):
        raise ValidationError({field: "Give both date bounds or neither."})
    if lower is not None and upper is not None and lower > upper:
        raise ValidationError({field: f"The date's upper bound {upper} is before its lower bound {lower}."})


def validate_predicate_kinds(
    *,
    predicate_label: str,
    subject_kind: str | None,
    object_kind: str | None,
    subject_kinds: Iterable[str],
    object_kinds: Iterable[str],
) -> None:
    subject_kinds, object_kinds = list(subject_kinds), list(object_kinds)
    errors = {}
    if subject_kind is not None and subject_kinds and subject_kind not in subject_kinds:
        errors["subject"] = (
            f"“{predicate_label}” takes a subject of kind {', '.join(subject_kinds)}, not {subject_kind}."
        )
    if object_kind is not None:
        if not object_kinds:
            errors["object"] = f"“{predicate_label}” takes no object entity; put a literal in value instead."
        elif object_kind not in object_kinds:
            errors["object"] = (
                f"“{predicate_label}” takes an object of kind {', '.join(object_kinds)}, not {object_kind}."
            )
    if errors:
        raise ValidationError(errors)


def validate_kind_list(kinds, *, allowed: Iterable[str], field: str) -> None:
    allowed = list(allowed)
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ValidationError({field: "Give a list of entity kinds."})
    unknown = [k for k in kinds if k not in allowed]
    if unknown:
        raise ValidationError({field: f"Unknown entity kind(s) {', '.join(unknown)}; use {', '.join(allowed)}."})


def validate_text_size(text: str, *, max_bytes: int) -> None:
    """A document's text is at most `max_bytes` bytes of UTF-8 (FACTBASE_MAX_DOCUMENT_BYTES)."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise ValidationError(
            {
                "text": f"The text is {size:,} bytes of UTF-8; the limit is {max_bytes:,}. Split it into several documents."
            }
        )
