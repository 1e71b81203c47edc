"""Claim representations built straight from `values()` rows: the hot read path.

List pages and exports return many claims, and building them through ModelSerializer
costs a model instance per row and per related row (subject, object, event, attribution,
predicate, spans) plus DRF's per-field machinery: at 50 rows that dominated the request.
Here one query fetches the rows with the names they embed (joins, no instances), one more
fetches their spans, and plain functions shape the dicts. The output is exactly
`ClaimSerializer`'s (tests/api/test_rows.py compares the two on every kind of claim), so
the contract does not depend on which path answered.

Pages are found in two steps: the paginator selects only ids (the filters' index does the
work; a count or an OFFSET never drags joined columns along), then `claims(ids)` reads
those rows by primary key. Queries per page: [count,] ids, rows, spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from factbase.models import Claim, SourceSpan

FOUR_PLACES = Decimal("0.0001")  # ClaimSerializer.value_number: decimal_places=4

CLAIM_COLUMNS = (
    "id",
    "uid",
    "subject_id",
    "subject__kind",
    "subject__name",
    "predicate__slug",
    "predicate__label",
    "object_id",
    "object__kind",
    "object__name",
    "value",
    "value_number",
    "event_id",
    "event__kind",
    "event__name",
    "date_lower",
    "date_upper",
    "date_precision",
    "date_text",
    "attributed_to_id",
    "attributed_to__kind",
    "attributed_to__name",
    "attribution",
    "modality",
    "polarity",
    "status",
    "confidence",
    "notes",
    "reviewed_at",
    "created",
    "updated",
)
SPAN_COLUMNS = ("claim_id", "id", "document_id", "start", "end", "exact", "prefix", "suffix", "anchor_status")


def ids_of(queryset):
    """What the paginator walks: `{"pk": id}` rows only, in the queryset's order. Neither
    select_related nor prefetch_related apply to them."""
    return queryset.select_related(None).prefetch_related(None).values("pk")


def datetime_text(value) -> str | None:
    """As DRF's DateTimeField renders it: ISO 8601 in the current time zone, UTC as `Z`."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _ref(entity_id, kind, name):
    return None if entity_id is None else {"id": entity_id, "kind": kind, "name": name}


def _date(row):
    lower, text = row["date_lower"], row["date_text"]
    if lower is None and not text:
        return None
    upper = row["date_upper"]
    return {
        "lower": lower.isoformat() if lower is not None else None,
        "upper": upper.isoformat() if upper is not None else None,
        "precision": row["date_precision"] or None,
        "text": text,
    }


def represent(row: dict, spans: list[dict]) -> dict:
    number = row["value_number"]
    return {
        "id": row["id"],
        "uid": str(row["uid"]),
        "subject": {"id": row["subject_id"], "kind": row["subject__kind"], "name": row["subject__name"]},
        "predicate": {"slug": row["predicate__slug"], "label": row["predicate__label"]},
        "object": _ref(row["object_id"], row["object__kind"], row["object__name"]),
        "value": row["value"],
        "value_number": number.quantize(FOUR_PLACES) if number is not None else None,
        "event": _ref(row["event_id"], row["event__kind"], row["event__name"]),
        "date": _date(row),
        "attributed_to": _ref(row["attributed_to_id"], row["attributed_to__kind"], row["attributed_to__name"]),
        "attribution": row["attribution"],
        "modality": row["modality"],
        "polarity": row["polarity"],
        "status": row["status"],
        "confidence": row["confidence"],
        "notes": row["notes"],
        "reviewed_at": datetime_text(row["reviewed_at"]),
        "created": datetime_text(row["created"]),
        "updated": datetime_text(row["updated"]),
        "spans": spans,
    }


def spans_by_claim(ids: Iterable[int], *, using: str = "default") -> dict[int, list[dict]]:
    """Every span of the claims `ids`, in the order ClaimQuerySet.for_api() gives (start, id)."""
    grouped: dict[int, list[dict]] = {}
    rows = (
        SourceSpan.objects.using(using)
        .filter(claim_id__in=list(ids))
        .order_by("claim_id", "start", "id")
        .values_list(*SPAN_COLUMNS)
    )
    for claim_id, span_id, document_id, start, end, exact, prefix, suffix, anchor_status in rows:
        grouped.setdefault(claim_id, []).append(
            {
                "id": span_id,
                "document": document_id,
                "start": start,
                "end": end,
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "anchor_status": anchor_status,
            }
        )
    return grouped


def claims(ids: list[int], *, using: str = "default") -> list[dict]:
    """The representations of the claims `ids`, in that order, in two queries."""
    if not ids:
        return []
    rows = {row["id"]: row for row in Claim.objects.using(using).filter(pk__in=ids).values(*CLAIM_COLUMNS)}
    spans = spans_by_claim(ids, using=using)
    return [represent(rows[pk], spans.get(pk, [])) for pk in ids if pk in rows]
