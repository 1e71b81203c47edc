"""Ingest: turn a new article (bytes from a file, or text from the API) into a Document.

Idempotent by SHA-256 of the text: ingesting the same text again returns the document that
already holds it instead of failing or duplicating it. Refuses what cannot be a source text:
bytes that are not UTF-8, an empty or blank text, or NUL characters (a binary file; also
unstorable in PostgreSQL). The text is kept exactly as given, line endings included, since
span offsets count its code points.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factbase.models import Document, Organisation, text_sha256
from factbase.partial_dates import PartialDate
from factbase.services.documents import document_create

UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class IngestResult:
    document: Document
    created: bool


def decode_text(data: bytes) -> str:
    """The UTF-8 text of `data`; ValidationError naming the first bad byte otherwise.
    A leading byte-order mark is dropped: it is an encoding artefact, not a character a
    span could quote."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {
                "text": f"The file is not UTF-8 text: byte {exc.start} (0x{data[exc.start]:02x}) cannot be decoded. "
                "Convert it to UTF-8 first (for example: iconv -f WINDOWS-1252 -t UTF-8)."
            }
        ) from exc
    return text.removeprefix(UTF8_BOM)


def validate_source_text(text) -> None:
    if not isinstance(text, str):
        raise ValidationError({"text": "The text must be a string."})
    if not text.strip():
        raise ValidationError({"text": "The text is empty: there is nothing to ingest."})
    if "\x00" in text:
        raise ValidationError(
            {"text": f"The text contains a NUL character at {text.index(chr(0))}: is it a binary file?"}
        )


def default_title(text: str) -> str:
    """The first non-blank line (news texts start with their headline), cut to 500 characters."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:500]
    return ""


def document_ingest(
    *,
    text: str,
    title: str = "",
    published: PartialDate | None = None,
    publisher: Organisation | None = None,
    url: str = "",
    language: str = "en",
    by=None,
) -> IngestResult:
    """Create the document for `text`, or return the one that already has this exact text
    (`created=False`; its metadata is left as it was)."""
    validate_source_text(text)
    existing = Document.objects.filter(sha256=text_sha256(text)).first()
    if existing is not None:
        return IngestResult(existing, created=False)
    try:
        with transaction.atomic():
            document = document_create(
                title=title.strip() or default_title(text),
                text=text,
                published=published,
                publisher=publisher,
                language=language or "en",
                url=url or "",
                by=by,
            )
    except (IntegrityError, ValidationError):
        # Another request stored the same text between our check and our insert.
        raced = Document.objects.filter(sha256=text_sha256(text)).first()
        if raced is None:
            raise
        return IngestResult(raced, created=False)
    return IngestResult(document, created=True)
