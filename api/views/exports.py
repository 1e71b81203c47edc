"""Streaming exports of every claim a client may see, in JSON Lines and in CSV:

    GET /api/v1/exports/claims.jsonl   one claim per line, exactly as in `claims/` results
    GET /api/v1/exports/claims.csv     the same claims flattened as `?format=csv` does

Both take the filters of `claims/` (`subject`, `predicate`, `status`, `date_from`, `q`, …)
and respect visibility (anonymous clients get published claims only). Rows come in id
order. The response is streamed: claims are read in keyset chunks (`id > last`, never
OFFSET) and written out chunk by chunk, so the server's memory does not grow with the
number of claims exported (the benchmark measures it at a million).
"""

from __future__ import annotations

import csv
import io

import orjson
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from api import filters
from api.filters import merged_references
from api.projections.claims import CLAIMS
from api.renderers import CSVStreamRenderer, FastJSONRenderer, JSONLinesRenderer, encode_default, flatten
from factbase.models import Claim

CHUNK_ROWS = 1000  # claims per database round trip: memory stays at one chunk's rows

# A claim's flattened columns, from its projection: every row has them all, in this order.
CSV_COLUMNS = CLAIMS.csv_columns


def claim_chunks(queryset, *, chunk_rows: int | None = None):
    """The representations of every claim in `queryset`, a list per chunk, in id order.
    Each chunk costs three queries: its ids, its rows, its spans."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    ids = queryset.select_related(None).prefetch_related(None).order_by("pk").values_list("pk", flat=True)
    last = 0
    while True:
        batch = list(ids.after(last)[:chunk_rows])
        if not batch:
            return
        yield CLAIMS.many(batch, using=queryset.db)
        last = batch[-1]


def jsonl_stream(chunks):
    for chunk in chunks:
        yield b"".join(orjson.dumps(claim, default=encode_default) + b"\n" for claim in chunk)


def csv_stream(chunks):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    yield buffer.getvalue().encode()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(flatten(claim) for claim in chunk)
        yield buffer.getvalue().encode()


class _ClaimExportView(APIView):
    permission_model = "factbase.claim"  # what a client sees is the queryset's: published only for anonymous clients
    filter_backends = [filters.FilterBackend]
    filterset_class = filters.ClaimFilterSet
    content_type = ""
    extension = ""

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user)

    def stream(self, chunks):
        raise NotImplementedError

    def filtered_queryset(self, request):
        queryset = self.get_queryset()
        for backend in self.filter_backends:
            queryset = backend().filter_queryset(request, queryset, self)  # 400 on a bad filter
        return queryset

    def get(self, request, *args, **kwargs):
        queryset = self.filtered_queryset(request)
        if merged_references(self):  # a merged entity's id: the survivor's claims
            queryset = self.filtered_queryset(request)
        response = StreamingHttpResponse(self.stream(claim_chunks(queryset)), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="claims.{self.extension}"'
        return response


@extend_schema(
    summary="Export claims as JSON Lines",
    description="Every claim you may see, one JSON object per line as in `claims/` results, streamed in id "
    "order. Takes the filters of `claims/`.",
    responses={(200, "application/x-ndjson"): OpenApiTypes.STR},
)
class ClaimJSONLinesExportView(_ClaimExportView):
    renderer_classes = [JSONLinesRenderer, FastJSONRenderer]
    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def stream(self, chunks):
        return jsonl_stream(chunks)


@extend_schema(
    summary="Export claims as CSV",
    description="Every claim you may see, one row each, nested fields as dotted columns (`subject.name`) and "
    "spans joined with `; `, streamed in id order. Takes the filters of `claims/`.",
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class ClaimCSVExportView(_ClaimExportView):
    renderer_classes = [CSVStreamRenderer, FastJSONRenderer]
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def stream(self, chunks):
        return csv_stream(chunks)
