"""The API's output formats: JSON through orjson, CSV for every endpoint, JSON-LD for Web
Annotations, JSON Lines for the export.

JSON (`FastJSONRenderer`): the same JSON as DRF's JSONRenderer for API data, several times
faster to encode a page of claims. Differences from DRF's encoder are none for what the API
returns (dicts, lists, strings, numbers, None, Decimal as a number, dates and datetimes as
ISO 8601 with `Z` for UTC, UUIDs as text, lazy translation strings as text). Requests for
indented JSON (`Accept: application/json; indent=4`) and the browsable API's pretty
printing fall back to DRF's renderer.

CSV (`?format=csv` or `Accept: text/csv`) flattens, so one row is one result:
- a paginated answer (`results` with `count` or `next`: `{count, next, previous, results}`, the
  change feed's `{results, next, latest}`) becomes the rows of `results` (this
  page only: follow the JSON `next` link, or use cursor mode, for the rest);
- a single object (a detail, an export) becomes one row;
- nested objects become dotted columns: `subject.id`, `subject.name`, `date.lower`;
- lists of plain values are joined with "; " ("Lavrov; Sergei Lavrov"); lists of objects
  give one column per key, values joined the same way (`spans.exact`);
- null is an empty cell, true/false are `true`/`false`;
- an answer without rows (an empty page, a document without suggestions) is its header:
  the fields of one result, from the serializer the view answers with (`csv_header`).
Values are written as they are (no spreadsheet-formula escaping: this is data, and a quote
beginning with "-" must stay exact).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import uuid

import orjson
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework import renderers
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import ListSerializer

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def encode_default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)  # as DRF's encoder: a JSON number
    if isinstance(value, Promise):
        return force_str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "__iter__"):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=encode_default, option=OPTIONS)


class JSONLinesRenderer(JSONRenderer):
    """`application/x-ndjson` for the JSON Lines export (api/views/exports.py). The export
    streams its own body; this renders only what DRF answers itself there (a 400 for a bad
    filter): one JSON object on one line."""

    media_type = "application/x-ndjson"
    format = "jsonl"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=encode_default, option=OPTIONS) + b"\n"


LIST_SEPARATOR = "; "


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def flatten(value, prefix: str = "") -> dict[str, str]:
    """One flat {column: text} mapping for a JSON-ready value."""
    if isinstance(value, dict):
        row: dict[str, str] = {}
        for key, item in value.items():
            row.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return row or ({prefix: ""} if prefix else {})
    if isinstance(value, list | tuple):
        if any(isinstance(item, dict) for item in value):
            columns: dict[str, list[str]] = {}
            for item in value:
                flat = flatten(item if isinstance(item, dict) else {"value": item})
                for key, text in flat.items():
                    columns.setdefault(key, []).append(text)
            return {f"{prefix}.{key}" if prefix else key: LIST_SEPARATOR.join(texts) for key, texts in columns.items()}
        return {prefix or "value": LIST_SEPARATOR.join(_cell(item) for item in value)}
    return {prefix or "value": _cell(value)}


def rows_of(data) -> list[dict[str, str]]:
    """The CSV rows for a response body (see the module docstring)."""
    if data is None:
        return []
    if isinstance(data, dict) and isinstance(data.get("results"), list) and ("count" in data or "next" in data):
        items = data["results"]
    elif isinstance(data, list):
        items = data
    else:
        items = [data]
    return [flatten(item) if isinstance(item, dict) else {"value": _cell(item)} for item in items]


def _fields(serializer) -> list[str]:
    """The top-level names of one result of `serializer`: its own fields, or those of the
    items of its list (`many=True`) or of its `results` list (a page-like answer)."""
    if isinstance(serializer, ListSerializer):
        serializer = serializer.child
    results = serializer.fields.get("results")
    if isinstance(results, ListSerializer):
        serializer = results.child
    return list(serializer.fields)


def csv_header(view) -> list[str]:
    """The header of an answer with no rows: the fields of one result, from the serializer
    the view answers with (a viewset's `get_serializer()`, or the `response_serializer` a
    plain APIView declares for its OpenAPI schema). A CSV answer always has its header, so a
    view the renderer cannot find one for is a configuration error, not an empty body."""
    response_serializer = getattr(view, "response_serializer", None)
    if response_serializer is not None:
        return _fields(response_serializer())
    if hasattr(view, "get_serializer"):
        return _fields(view.get_serializer())
    raise ImproperlyConfigured(
        f"{type(view).__name__} answers CSV without a serializer to take its header from: set response_serializer."
    )


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:  # no body at all (204)
            return b""
        rows = rows_of(data)
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        if not header:
            header = dict.fromkeys(csv_header((renderer_context or {}).get("view")))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(header), restval="", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().encode(self.charset)


class JSONLDRenderer(renderers.JSONRenderer):
    """JSON-LD, as the Web Annotation Protocol serves annotations: the response says
    `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`. The profile is added
    at render time, not in `media_type`: DRF would otherwise match only requests whose
    Accept header names that exact profile."""

    media_type = "application/ld+json"
    format = "jsonld"
    profile = "http://www.w3.org/ns/anno.jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.get("Content-Type", "").startswith(self.media_type):
            response["Content-Type"] = f'{self.media_type}; profile="{self.profile}"'
        return super().render(data, accepted_media_type, renderer_context)


class CSVStreamRenderer(CSVRenderer):
    """`text/csv` for the CSV export's own error answers (the export streams its body)."""
