"""Document writes: create (computes the SHA-256), update (refuses a text change under spans)."""

from __future__ import annotations

from django.db import transaction

from factbase.models import Document, Organisation
from factbase.partial_dates import PartialDate


@transaction.atomic
def document_create(
    *,
    title: str,
    text: str,
    published: PartialDate | None = None,
    publisher: Organisation | None = None,
    language: str = "en",
    url: str = "",
    by=None,
) -> Document:
    document = Document(title=title, text=text, publisher=publisher, language=language, url=url)
    document.set_partial_date(published)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, by=None, **fields) -> Document:
    published = fields.pop("published", ...)
    for name, value in fields.items():
        setattr(document, name, value)
    if published is not ...:
        document.set_partial_date(published)
    document.full_clean()
    document.save()
    return document
