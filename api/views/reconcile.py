"""The W3C Entity Reconciliation API, version 0.2, as OpenRefine uses it:

- `GET reconcile/`: the service manifest; with `?queries=`, a batch as the POST answers it;
- `POST reconcile/`: a batch of queries (form field `queries`, or a JSON body
  `{"queries": …}`) answered with scored candidates (factbase/services/reconciliation.py);
- `GET reconcile/suggest/entity/`, `…/suggest/type/`, `…/suggest/property/`: auto-completion;
- `GET reconcile/preview/?id=`: a small HTML card of an entity, for OpenRefine's pop-up.

Everything here reads: anyone may ask (the entity's `view` rule), and every answer carries
`Access-Control-Allow-Origin: *` so that a page on another origin (OpenRefine's, in the
browser) may read it. Credentials are never needed, and a browser sends none to another
origin with a wildcard.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.html import format_html
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.parsers import FactbaseJSONParser
from api.renderers import FastJSONRenderer
from api.serializers.reconcile import (
    MAX_QUERY_LENGTH,
    ReconcileFormSerializer,
    ReconcileJSONSerializer,
    parse_batch,
)
from factbase.models import Entity
from factbase.services import reconciliation

SUGGEST_SIZE = 10  # suggestions in one answer
MAX_CURSOR = 1_000  # how far suggestions may be paged
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 140
MAX_ID = 2**63 - 1
URL_MARK = 987654321987654321  # an id reversed into a URL, then replaced by the template's {{id}}


def type_ref(kind: str) -> dict:
    return {"id": kind, "name": reconciliation.TYPES[kind]}


class ReconcileMixin:
    permission_model = "factbase.entity"
    permission_action = "view"  # a batch of queries is POSTed, but it only reads

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


def _types_param(request) -> list[str]:
    raw = request.query_params.get("type", "")
    if not raw:
        return []
    if raw not in reconciliation.TYPES:
        raise ValidationError({"type": [f"Unknown type; the types are {', '.join(reconciliation.TYPES)}."]})
    return [raw]


def _text_param(request, name: str) -> str:
    value = request.query_params.get(name, "")
    if not value.strip():
        raise ValidationError({name: [f"Give `{name}`: the text to complete."]})
    if len(value) > MAX_QUERY_LENGTH or "\x00" in value:
        raise ValidationError({name: [f"`{name}` must be at most {MAX_QUERY_LENGTH} characters of text."]})
    return value


def _cursor_param(request) -> int:
    raw = request.query_params.get("cursor", "") or "0"
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_CURSOR:
        raise ValidationError({"cursor": [f"`cursor` is a number of suggestions to skip, from 0 to {MAX_CURSOR}."]})
    return int(raw)


class ReconcileView(ReconcileMixin, APIView):
    parser_classes = [FormParser, MultiPartParser, FactbaseJSONParser]
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        summary="Reconciliation service: the manifest, or a batch of queries",
        description="Without `queries`: the service manifest of the W3C Reconciliation API 0.2 (its name, "
        "identifier and schema spaces, default types, and where its suggest, preview and view services are). "
        "With `queries`: that batch answered as a POST answers it.",
        parameters=[
            OpenApiParameter(
                "queries",
                OpenApiTypes.STR,
                description='A JSON object of queries by key, such as {"q0": {"query": "Sergei Lavrov"}}.',
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if "queries" in request.query_params:
            return Response(self.answer(request.query_params.get("queries")))
        return Response(self.manifest(request))

    @extend_schema(
        summary="Reconcile a batch of names to entities",
        description="Each query (`query`, and optionally `type`: person, country, organisation or event; `limit`, "
        f"1 to 50; `properties`: nationality, country, date) gets up to `limit` candidates, best first, each with "
        "a score from 0 to 100 and `match` when one candidate is clearly right. At most 50 queries a batch; "
        f"a query is at most {MAX_QUERY_LENGTH} characters. The form field `queries` holds the batch as JSON text; "
        "a JSON body holds it under `queries`.",
        request={
            "application/x-www-form-urlencoded": ReconcileFormSerializer,
            "multipart/form-data": ReconcileFormSerializer,
            "application/json": ReconcileJSONSerializer,
        },
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = request.data
        raw = data.get("queries") if hasattr(data, "get") else None
        return Response(self.answer(raw))

    def answer(self, raw) -> dict:
        queries = parse_batch(raw)
        found = reconciliation.reconcile(queries)
        return {key: {"result": [self.candidate(c) for c in candidates]} for key, candidates in found.items()}

    @staticmethod
    def candidate(candidate: reconciliation.Candidate) -> dict:
        result = {
            "id": str(candidate.id),
            "name": candidate.name,
            "score": candidate.score,
            "match": candidate.match,
            "type": [type_ref(candidate.kind)],
        }
        if candidate.description:
            result["description"] = candidate.description
        return result

    @staticmethod
    def manifest(request) -> dict:
        root = request.build_absolute_uri(reverse("reconcile")).rstrip("/")
        entity = request.build_absolute_uri(reverse("entity-detail", args=[URL_MARK]))
        return {
            "versions": ["0.2"],
            "name": "Factbase",
            "identifierSpace": request.build_absolute_uri(reverse("entity-list")),
            "schemaSpace": request.build_absolute_uri(reverse("reconcile-suggest-type")),
            "documentation": request.build_absolute_uri(reverse("api-docs")),
            "view": {"url": entity.replace(str(URL_MARK), "{{id}}")},
            "defaultTypes": [type_ref(kind) for kind in reconciliation.TYPES],
            "preview": {"url": f"{root}/preview/?id={{{{id}}}}", "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
            "suggest": {
                "entity": {"service_url": root, "service_path": "/suggest/entity/"},
                "type": {"service_url": root, "service_path": "/suggest/type/"},
                "property": {"service_url": root, "service_path": "/suggest/property/"},
            },
        }


PREFIX_PARAMETER = OpenApiParameter("prefix", OpenApiTypes.STR, required=True, description="The text typed so far.")


class SuggestEntityView(ReconcileMixin, APIView):
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        summary="Suggest entities for the text typed so far",
        description="Entities whose name or an alias has words starting with the words typed, in name order, "
        f"{SUGGEST_SIZE} at a time.",
        parameters=[
            PREFIX_PARAMETER,
            OpenApiParameter("type", OpenApiTypes.STR, enum=list(reconciliation.TYPES), description="Only this type."),
            OpenApiParameter(
                "cursor", OpenApiTypes.INT, description=f"Suggestions to skip (0 to {MAX_CURSOR}), for the next ones."
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        prefix = _text_param(request, "prefix")
        rows = reconciliation.suggest_entities(
            prefix, types=_types_param(request), start=_cursor_param(request), size=SUGGEST_SIZE
        )
        result = []
        for row in rows:
            item = {"id": str(row["id"]), "name": row["name"], "notable": [type_ref(row["kind"])]}
            if row["description"]:
                item["description"] = row["description"]
            result.append(item)
        return Response({"result": result})


class SuggestTypeView(ReconcileMixin, APIView):
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        summary="Suggest types for the text typed so far",
        description="The types whose id or name starts with the text typed: person, country, organisation, event.",
        parameters=[PREFIX_PARAMETER],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        prefix = reconciliation.folded(_text_param(request, "prefix"))
        result = [
            type_ref(kind)
            for kind, name in reconciliation.TYPES.items()
            if kind.startswith(prefix) or reconciliation.folded(name).startswith(prefix)
        ]
        return Response({"result": result})


class SuggestPropertyView(ReconcileMixin, APIView):
    renderer_classes = [FastJSONRenderer]

    @extend_schema(
        summary="Suggest properties for the text typed so far",
        description="The properties a query may state (nationality, country, date) whose id starts with the text.",
        parameters=[PREFIX_PARAMETER],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        prefix = reconciliation.folded(_text_param(request, "prefix"))
        result = [
            {"id": pid, "name": pid.capitalize(), "description": text}
            for pid, text in reconciliation.PROPERTIES.items()
            if pid.startswith(prefix)
        ]
        return Response({"result": result})


class PreviewView(ReconcileMixin, APIView):
    # The card is HTML whatever the client accepts (an iframe asks for text/html); the errors
    # are the API's JSON.
    renderer_classes = [FastJSONRenderer]
    may_not_find = True  # a 404 for an id no entity has (api/schema.py lists it)

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="A small HTML card of an entity",
        description=f"Its name, type and description, for a {PREVIEW_WIDTH}×{PREVIEW_HEIGHT} frame.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, required=True, description="The entity's id.")],
        responses={(200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="An HTML fragment.")},
    )
    def get(self, request):
        raw = request.query_params.get("id", "")
        if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID):
            raise ValidationError({"id": ["Give the entity's id, a number."]})
        entity = Entity.objects.filter(pk=int(raw)).values("id", "kind", "name", "description").first()
        if entity is None:
            raise NotFound("There is no such entity.")
        link = request.build_absolute_uri(reverse("entity-detail", args=[entity["id"]]))
        html = format_html(
            '<div style="font: 14px sans-serif; margin: 4px">'
            '<a href="{}" target="_blank"><strong>{}</strong></a> <span style="color: #666">{} · {}</span>'
            '<p style="margin: 6px 0">{}</p></div>',
            link,
            entity["name"],
            reconciliation.TYPES[entity["kind"]],
            entity["id"],
            entity["description"][:500],
        )
        return HttpResponse(html, content_type="text/html; charset=utf-8")
