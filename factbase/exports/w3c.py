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

from django.db.models import QuerySet

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


def _keys(rows: Iterable[SourceSpan] | Iterable[Mention], kind: int) -> list[tuple[int, int, int, int]]:
    """(start, end, kind, id) of every row: a QuerySet reads only those columns."""
    if isinstance(rows, QuerySet):
        return [(start, end, kind, pk) for start, end, pk in rows.values_list("start", "end", "pk")]
    return [(row.start, row.end, kind, row.pk) for row in rows]


def _by_id(rows, ids: list[int]) -> dict:
    if isinstance(rows, QuerySet):
        return rows.in_bulk(ids) if ids else {}
    wanted = set(ids)
    return {row.pk: row for row in rows if row.pk in wanted}


def _annotations(
    document: Document,
    spans: Iterable[SourceSpan],
    mentions: Iterable[Mention],
    urls: AnnotationUrls,
    *,
    start: int,
    size: int,
) -> tuple[int, list[dict]]:
    """The number of annotations, and those of one page in text order (spans before mentions
    at the same place). Only the page's rows are read whole: a document with a thousand spans
    costs one query for their positions and one for the page's hundred."""
    keys = sorted(_keys(spans, 0) + _keys(mentions, 1))
    chosen = keys[start : start + size]
    span_rows = _by_id(spans, [pk for *_, kind, pk in chosen if kind == 0])
    mention_rows = _by_id(mentions, [pk for *_, kind, pk in chosen if kind == 1])
    items = [
        span_annotation(span_rows[pk], urls, language=document.language)
        if kind == 0
        else mention_annotation(mention_rows[pk], urls)
        for *_, kind, pk in chosen
    ]
    return len(keys), items


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def _page(total: int, items: list[dict], number: int, urls: AnnotationUrls, page_size: int) -> dict:
    last = page_count(total, page_size)
    page = {
        "id": urls.page(number),
        "type": "AnnotationPage",
        "partOf": {"id": urls.collection, "total": total},
        "startIndex": (number - 1) * page_size,
        "items": items,
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
    total, items = _annotations(document, spans, mentions, urls, start=0, size=page_size)
    return {
        "@context": CONTEXT,
        "id": urls.collection,
        "type": "AnnotationCollection",
        "label": f"Claim spans and mentions in “{document.title}”",
        "total": total,
        "first": _page(total, items, 1, urls, page_size),
        "last": urls.page(page_count(total, page_size)),
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
    if number < 1:
        return None
    total, items = _annotations(document, spans, mentions, urls, start=(number - 1) * page_size, size=page_size)
    if number > page_count(total, page_size):
        return None
    return {"@context": CONTEXT, **_page(total, items, number, urls, page_size)}
