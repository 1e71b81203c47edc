"""Mention writes: an entity named at a span of a document (no claim attached)."""

from __future__ import annotations

from django.db import transaction

from factbase.models import Document, Entity, Mention
from factbase.services.spans import anchor_from_input


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
