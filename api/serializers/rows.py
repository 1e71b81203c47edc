"""Claim representations built straight from `values()` rows: the hot read path.

List pages and exports return many claims, and building them through ModelSerializer
costs a model instance per row and per related row (subject, object, event, attribution,
predicate, spans) plus DRF's per-field machinery: at 50 rows that dominated the request.
Here one query fetches the rows with the names they embed (joins, no instances), one more
fetches their spans, and plain functions shape the dicts. The output is exactly
`ClaimSerializer`'s (tests/api/test_rows.py compares the two on every kind of claim), so
the contract does not depend on which path answered.

Pages are found in two steps: the paginator selects only ids (the filters' index does the
work; the count or an OFFSET never drags joined columns along), then `claims(ids)` reads
those rows by primary key. Queries per page: ids (with the capped count), rows, spans.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from django.db import connections
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


# --- compiled statements ---------------------------------------------------------------------
#
# The two statements are written by the ORM (same joins, same quoting, every vendor) but
# compiled once per process and IN-list size, then run on the raw cursor: compiling a
# seven-join values() query and running Django's per-value converters cost more than the
# query itself. The id list is padded with its last id up to the next size.

SLOTS = (1, 10, 50, 200, 1000)
_compiled: dict[tuple[str, str, int], str] = {}


def _statement(kind: str, using: str, slots: int) -> str:
    key = (kind, using, slots)
    if key not in _compiled:
        ids = list(range(1, slots + 1))
        if kind == "claims":
            queryset = Claim.objects.using(using).filter(pk__in=ids).order_by().values_list(*CLAIM_COLUMNS)
        else:
            queryset = (
                SourceSpan.objects.using(using)
                .filter(claim_id__in=ids)
                .order_by("claim_id", "start", "id")
                .values_list(*SPAN_COLUMNS)
            )
        sql, params = queryset.query.sql_with_params()
        if list(params) != ids:  # the ORM changed how it writes IN lists: fall back to it
            raise LookupError(kind)
        _compiled[key] = sql
    return _compiled[key]


def _fetch(kind: str, ids: list[int], using: str) -> list[tuple]:
    rows: list[tuple] = []
    connection = connections[using]
    for start in range(0, len(ids), SLOTS[-1]):
        part = ids[start : start + SLOTS[-1]]
        slots = next(size for size in SLOTS if size >= len(part))
        with connection.cursor() as cursor:
            cursor.execute(_statement(kind, using, slots), part + [part[-1]] * (slots - len(part)))
            rows.extend(cursor.fetchall())
    return rows


# --- raw values to representation values, per driver ----------------------------------------


class _SQLiteValues:
    """Django's SQLite connection: dates and naive UTC datetimes already parsed by the
    driver's declared-type converters, UUIDs as 32 hex digits, decimals as numbers."""

    def __init__(self):
        self.utc = timezone.get_current_timezone_name() == "UTC"
        self._decimal = decimal.Context(prec=15).create_decimal_from_float

    @staticmethod
    def uid(value) -> str:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"

    @staticmethod
    def date(value):
        return value.isoformat() if value is not None else None

    def datetime(self, value):
        if value is None:
            return None
        if self.utc and value.tzinfo is None:
            return value.isoformat() + "Z"
        return datetime_text(value if value.tzinfo else timezone.make_aware(value, dt.UTC))

    def number(self, value):
        if value is None:
            return None
        number = self._decimal(value) if isinstance(value, float) else Decimal(value)
        return number.quantize(FOUR_PLACES)


class _DriverValues:
    """psycopg: Python dates, aware datetimes, UUIDs and Decimals."""

    @staticmethod
    def uid(value) -> str:
        return str(value)

    @staticmethod
    def date(value):
        return value.isoformat() if value is not None else None

    @staticmethod
    def datetime(value):
        return datetime_text(value)

    @staticmethod
    def number(value):
        return value.quantize(FOUR_PLACES) if value is not None else None


def value_converters(using: str):
    """How raw driver values become representation values on the database `using` (also
    used by api/serializers/entity_rows.py)."""
    return _SQLiteValues() if connections[using].vendor == "sqlite" else _DriverValues()


def _ref(entity_id, kind, name):
    return None if entity_id is None else {"id": entity_id, "kind": kind, "name": name}


def represent(row: tuple, spans: list[dict], values) -> dict:
    """One claim from a CLAIM_COLUMNS row (see the column list for the positions)."""
    (
        pk,
        uid,
        subject_id,
        subject_kind,
        subject_name,
        predicate_slug,
        predicate_label,
        object_id,
        object_kind,
        object_name,
        value,
        value_number,
        event_id,
        event_kind,
        event_name,
        date_lower,
        date_upper,
        date_precision,
        date_text,
        attributed_id,
        attributed_kind,
        attributed_name,
        attribution,
        modality,
        polarity,
        status,
        confidence,
        notes,
        reviewed_at,
        created,
        updated,
    ) = row
    if date_lower is None and not date_text:
        date = None
    else:
        date = {
            "lower": values.date(date_lower),
            "upper": values.date(date_upper),
            "precision": date_precision or None,
            "text": date_text,
        }
    return {
        "id": pk,
        "uid": values.uid(uid),
        "subject": {"id": subject_id, "kind": subject_kind, "name": subject_name},
        "predicate": {"slug": predicate_slug, "label": predicate_label},
        "object": _ref(object_id, object_kind, object_name),
        "value": value,
        "value_number": values.number(value_number),
        "event": _ref(event_id, event_kind, event_name),
        "date": date,
        "attributed_to": _ref(attributed_id, attributed_kind, attributed_name),
        "attribution": attribution,
        "modality": modality,
        "polarity": polarity,
        "status": status,
        "confidence": confidence,
        "notes": notes,
        "reviewed_at": values.datetime(reviewed_at),
        "created": values.datetime(created),
        "updated": values.datetime(updated),
        "spans": spans,
    }


def spans_by_claim(ids: list[int], *, using: str = "default") -> dict[int, list[dict]]:
    """Every span of the claims `ids`, in the order ClaimQuerySet.for_api() gives (start, id)."""
    grouped: dict[int, list[dict]] = {}
    for claim_id, span_id, document_id, start, end, exact, prefix, suffix, anchor_status in _fetch("spans", ids, using):
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
    found = {row[0]: row for row in _fetch("claims", ids, using)}
    spans = spans_by_claim(ids, using=using)
    values = value_converters(using)
    return [represent(found[pk], spans.get(pk, []), values) for pk in ids if pk in found]
