"""`POST imports/`: import a JSON Lines file of entities, aliases, documents, mentions,
claims and spans (factbase/services/imports.py; the format is in docs/api.md). Curators
only. The file comes as the body (`application/x-ndjson`), as `{"lines": [...]}` in JSON, or
as the `file` of a multipart upload; bodies over FACTBASE_MAX_BODY_BYTES are refused with
413 before anything reads them (factbase/middleware.py). It runs while the request waits
and answers the report: 200 when it was written (or, dry, would be), 422 when lines were
refused and so nothing was written (`on_error=abort`, or any dry run)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import FactbaseJSONParser
from api.projections.jobs import JobSerializer
from api.serializers import imports as s
from api.views.jobs import start
from factbase.enums import JobKind
from factbase.services.imports import import_lines


class JSONLinesParser(BaseParser):
    """`application/x-ndjson`: the body as its lines (bytes), each parsed by the import."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None):
        return {"lines": stream.read().splitlines() if stream is not None else []}


EXAMPLE = (
    '{"type": "entity", "kind": "person", "slug": "sergei-lavrov", "name": "Sergei Lavrov", "ref": "lavrov"}\n'
    '{"type": "document", "ref": "d1", "title": "Lavrov in Jakarta", "text": "Lavrov arrived in Jakarta."}\n'
    '{"type": "claim", "subject": {"ref": "lavrov"}, "predicate": "visited", "object": "indonesia", '
    '"spans": [{"document": {"ref": "d1"}, "exact": "Lavrov arrived in Jakarta"}]}\n'
)


def _as_text(number: int, line):
    """A line as a job's payload keeps it (JSON): a parsed object as it is, raw bytes as text.
    Bytes that are not UTF-8 are refused before any job is made."""
    if not isinstance(line, bytes):
        return line
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"Line {number} is not UTF-8 text: nothing was imported.") from exc


class ImportView(APIView):
    permission_model, permission_action = "factbase.claim", "import"
    parser_classes = [JSONLinesParser, FactbaseJSONParser, MultiPartParser]
    response_serializer = s.ImportReportSerializer

    @extend_schema(
        summary="Import entities, documents and claims",
        description="A JSON Lines file, one object per line with a `type` (entity, alias, document, mention, "
        "claim, span), each line an upsert by its natural key, written through the same checks as every other "
        'write (docs/api.md, "Imports"). Curators only; publishing or ranking claims takes a reviewer. '
        'Send the file as the body (`application/x-ndjson`), as `{"lines": [...]}`, or as the `file` of a '
        "multipart upload. `dry_run` checks and writes nothing; `on_error=abort` (the default) writes nothing "
        "if any line is refused (422, with the report), `continue` writes the good lines (200). The report "
        "counts rows created, updated and unchanged per type and names every refused line with its field "
        "errors.",
        parameters=[s.ImportOptionsSerializer],
        request={
            "application/x-ndjson": {"type": "string", "example": EXAMPLE},
            "application/json": s.ImportLinesSerializer,
            "multipart/form-data": s.ImportUploadSerializer,
        },
        responses={
            200: response_serializer,
            202: OpenApiResponse(
                JobSerializer, description="More lines than FACTBASE_IMPORT_INLINE_MAX: the import runs as a job."
            ),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="The body is over FACTBASE_MAX_BODY_BYTES."),
            422: OpenApiResponse(response_serializer, description="Lines were refused: nothing was written."),
        },
        examples=[OpenApiExample("Two lines", value=EXAMPLE, media_type="application/x-ndjson", request_only=True)],
    )
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            raise ParseError("Send JSON Lines, a JSON object with `lines`, or a multipart upload with `file`.")
        options = s.ImportOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        modes = dict(options.validated_data)
        if request.content_type.startswith("multipart/"):
            upload = s.ImportUploadSerializer(data=data)
            upload.is_valid(raise_exception=True)
            lines = upload.validated_data["file"].read().splitlines()
        elif isinstance(data.get("lines"), list) and all(isinstance(line, bytes) for line in data["lines"]):
            lines = data["lines"]  # JSON Lines: each line parsed by the import
        else:
            body = s.ImportLinesSerializer(data=data)
            body.is_valid(raise_exception=True)
            lines = body.validated_data["lines"]
            modes |= {k: body.validated_data[k] for k in ("dry_run", "on_error") if k in body.validated_data}
        if len(lines) > settings.FACTBASE_IMPORT_INLINE_MAX:
            return start(
                request,
                kind=JobKind.IMPORT,
                parameters={**modes, "lines": len(lines)},
                payload={"lines": [_as_text(number, line) for number, line in enumerate(lines, start=1)]},
            )
        report = import_lines(lines, by=request.user, **modes)
        refused = bool(report.errors) and not report.written
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if refused else status.HTTP_200_OK
        return Response(report.as_dict(), status=code)
