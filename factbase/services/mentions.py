"""Mention writes: an entity named at a span of a document (no claim attached)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from factbase.limits import MENTIONS_PER_DOCUMENT
from factbase.models import Document, Entity, Mention
from factbase.services.spans import anchor_from_input, anchor_from_offsets


@transaction.atomic
def mention_create(
    *,
    document: Document,
    entity: Entity,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    prefix: str = "",
    by=None,
) -> Mention:
    """Record that `entity` is named at `start`–`end` of `document` (or at the exact quote,
    plus prefix when it occurs more than once). The server fills exact/prefix/suffix."""
    MENTIONS_PER_DOCUMENT.check_adding(document, field="document")
    spec = {"start": start, "end": end} if start is not None or end is not None else {"exact": exact, "prefix": prefix}
    anchor = anchor_from_input(text=document.text, spec=spec)
    mention = Mention(
        document=document,
        entity=entity,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def mention_update(*, mention: Mention, by=None, **fields) -> Mention:
    """Change a mention's `document`, `entity`, `start` or `end`; the quote and its context
    are computed again from the text."""
    unknown = set(fields) - {"document", "entity", "start", "end"}
    if unknown:
        raise ValidationError({name: "A mention's quote is not changed directly." for name in sorted(unknown)})
    MENTIONS_PER_DOCUMENT.check_moving(mention, fields.get("document"), field="document")
    for name, value in fields.items():
        setattr(mention, name, value)
    if {"document", "start", "end"} & set(fields):
        # The quote and its context come from the text at the new offsets.
        anchor = anchor_from_offsets(text=mention.document.text, start=mention.start, end=mention.end)
        mention.exact, mention.prefix, mention.suffix = anchor.exact, anchor.prefix, anchor.suffix
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def mention_delete(*, mention: Mention, by=None) -> None:
    mention.delete()
