"""W3C Web Annotation Data Model (JSON-LD) for a document's spans and mentions.

Each claim span and each mention becomes one Annotation whose target is the document with
two alternative selectors, a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end, in Unicode code points as the model requires). A span's
body describes its claim ("Sergei Lavrov visited Indonesia") and links to it; a mention's
body identifies its entity (motivation `identifying`). Annotations are grouped in an
AnnotationCollection whose pages are AnnotationPages (Web Annotation Protocol §4), every key
a term of the published context http://www.w3.org/ns/anno.jsonld.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from factbase.models import Document, Mention, SourceSpan

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PAGE_SIZE = 100


@dataclass(frozen=True)
class AnnotationUrls:
    """Where things live, as absolute IRIs (the API fills these in from the request)."""

    collection: str
    page: Callable[[int], str]
    document: str
    claim: Callable[[int], str]
    entity: Callable[[int], str]


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _target(anchor: SourceSpan | Mention, urls: AnnotationUrls) -> dict:
    return {
        "type": "SpecificResource",
        "source": urls.document,
        "selector": [
            {"type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix},
            {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
        ],
    }


def span_annotation(span: SourceSpan, urls: AnnotationUrls, *, language: str = "en") -> dict:
    claim = span.claim
    return {
        "id": f"{urls.collection}#span-{span.pk}",
        "type": "Annotation",
        "motivation": "describing",
        "created": _timestamp(span.created),
        "modified": _timestamp(span.updated),
        "body": [
            {
                "type": "TextualBody",
                "value": str(claim),
                "format": "text/plain",
                "language": language,
                "purpose": "describing",
            },
            {"type": "SpecificResource", "source": urls.claim(claim.pk), "purpose": "describing"},
        ],
        "target": _target(span, urls),
    }


def mention_annotation(mention: Mention, urls: AnnotationUrls) -> dict:
    entity = mention.entity
    return {
        "id": f"{urls.collection}#mention-{mention.pk}",
        "type": "Annotation",
        "motivation": "identifying",
        "created": _timestamp(mention.created),
        "modified": _timestamp(mention.updated),
        "body": [
            {"type": "TextualBody", "value": entity.name, "format": "text/plain", "purpose": "identifying"},
            {"type": "SpecificResource", "source": urls.entity(entity.pk), "purpose": "identifying"},
        ],
        "target": _target(mention, urls),
    }


def _annotations(
    document: Document, spans: Iterable[SourceSpan], mentions: Iterable[Mention], urls: AnnotationUrls
) -> list[dict]:
    rows = [(s.start, s.end, 0, s.pk, span_annotation(s, urls, language=document.language)) for s in spans]
    rows += [(m.start, m.end, 1, m.pk, mention_annotation(m, urls)) for m in mentions]
    rows.sort(key=lambda row: row[:4])  # text order; spans before mentions at the same place
    return [row[-1] for row in rows]


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def _page(items: list[dict], number: int, urls: AnnotationUrls, page_size: int) -> dict:
    total = len(items)
    last = page_count(total, page_size)
    start = (number - 1) * page_size
    page = {
        "id": urls.page(number),
        "type": "AnnotationPage",
        "partOf": {"id": urls.collection, "total": total},
        "startIndex": start,
        "items": items[start : start + page_size],
    }
    if number > 1:
        page["prev"] = urls.page(number - 1)
    if number < last:
        page["next"] = urls.page(number + 1)
    return page


def annotation_collection(
    *,
    document: Document,
    spans: Iterable[SourceSpan],
    mentions: Iterable[Mention],
    urls: AnnotationUrls,
    page_size: int = PAGE_SIZE,
) -> dict:
    """The AnnotationCollection of `document`, with its first page embedded."""
    items = _annotations(document, spans, mentions, urls)
    return {
        "@context": CONTEXT,
        "id": urls.collection,
        "type": "AnnotationCollection",
        "label": f"Claim spans and mentions in “{document.title}”",
        "total": len(items),
        "first": _page(items, 1, urls, page_size),
        "last": urls.page(page_count(len(items), page_size)),
    }


def annotation_page(
    *,
    document: Document,
    spans: Iterable[SourceSpan],
    mentions: Iterable[Mention],
    urls: AnnotationUrls,
    number: int,
    page_size: int = PAGE_SIZE,
) -> dict | None:
    """Page `number` (from 1) of the collection, or None past the last page."""
    items = _annotations(document, spans, mentions, urls)
    if number < 1 or number > page_count(len(items), page_size):
        return None
    return {"@context": CONTEXT, **_page(items, number, urls, page_size)}
