"""Document writes: create (computes the SHA-256), update (refuses a text change under spans)."""

from __future__ import annotations

from django.db import transaction

from factbase.models import Document, Organisation
from factbase.partial_dates import PartialDate
from factbase.services.errors import Conflict


@transaction.atomic
def document_create(
    *,
    title: str,
    text: str,
    published: PartialDate | None = None,
    publisher: Organisation | None = None,
    language: str = "en",
    url: str = "",
    revision_of: Document | None = None,
    by=None,
    **fields,
) -> Document:
    """Create a document; `published` is a PartialDate, or the date's model fields come in
    `fields` (as the admin's form gives them)."""
    document = Document(
        title=title, text=text, publisher=publisher, language=language, url=url, revision_of=revision_of, **fields
    )
    if published is not None:
        document.set_partial_date(published)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, by=None, **fields) -> Document:
    """Change fields of a document. A new text for a document that spans or mentions point
    into (or that a newer revision corrects) raises Conflict: create a revision instead."""
    if "text" in fields and document.pk is not None:
        # Compared with the stored row: the admin's form has already put the new text on `document`.
        stored = Document.objects.select_for_update().filter(pk=document.pk).first()
        if stored is not None and stored.text != fields["text"] and stored.is_locked():
            raise Conflict(
                {
                    "text": "This text is locked: spans or mentions point into it, or it has a newer revision. "
                    "Create a new document (a revision) instead."
                }
            )
    published = fields.pop("published", ...)
    for name, value in fields.items():
        setattr(document, name, value)
    if published is not ...:
        document.set_partial_date(published)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document, by=None) -> None:
    """Delete a document nothing points into; raises ProtectedError naming the spans,
    mentions or revisions that still do."""
    document.delete()
