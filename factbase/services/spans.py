"""Building text anchors: from offsets, or by finding an exact quote (plus prefix when the
quote occurs more than once). The server always fills exact/prefix/suffix itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from factbase import validators


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def anchor_from_offsets(*, text: str, start, end) -> Anchor:
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError({"start": "Offsets must be whole numbers."})
    validators.validate_span_offsets(start, end, len(text))
    exact, prefix, suffix = validators.span_context(text, start, end)
    return Anchor(start, end, exact, prefix, suffix)


def find_quote(*, text: str, exact: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Every start offset where `exact` occurs and the given context matches."""
    if not exact:
        return []
    starts, position = [], text.find(exact)
    while position != -1:
        before = text[:position]
        after = text[position + len(exact) :]
        if before.endswith(prefix) and after.startswith(suffix):
            starts.append(position)
        position = text.find(exact, position + 1)
    return starts


def anchor_from_quote(*, text: str, exact: str, prefix: str = "", suffix: str = "") -> Anchor:
    if not isinstance(exact, str) or not exact:
        raise ValidationError({"exact": "Give the exact quote to anchor."})
    starts = find_quote(text=text, exact=exact, prefix=prefix or "", suffix=suffix or "")
    if not starts:
        where = " with that prefix/suffix" if (prefix or suffix) else ""
        raise ValidationError({"exact": f"The quote {exact[:80]!r} does not occur in the document{where}."})
    if len(starts) > 1:
        raise ValidationError(
            {"exact": f"The quote {exact[:80]!r} occurs {len(starts)} times; add a prefix (the text just before it)."}
        )
    return anchor_from_offsets(text=text, start=starts[0], end=starts[0] + len(exact))


def anchor_from_input(*, text: str, spec: dict) -> Anchor:
    """A span given as {start, end} or as {exact, prefix?, suffix?}."""
    has_offsets = spec.get("start") is not None or spec.get("end") is not None
    if has_offsets:
        anchor = anchor_from_offsets(text=text, start=spec.get("start"), end=spec.get("end"))
        if spec.get("exact"):  # a quote sent along with offsets must be what the text has there
            validators.validate_span_matches_text(
                text=text, start=anchor.start, end=anchor.end, exact=spec["exact"], where="at those offsets"
            )
        return anchor
    return anchor_from_quote(
        text=text, exact=spec.get("exact"), prefix=spec.get("prefix", ""), suffix=spec.get("suffix", "")
    )
