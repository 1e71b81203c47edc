"""OpenAPI generation (drf-spectacular): one AutoSchema that knows the API's conventions,
so that every operation documents its real request body, response and errors without a
decorator on each view.

- `security` has `{}` (no credentials needed) where factbase/permissions.py lets anyone in;
- writes take the view's `write_serializer_class` and answer with its detail representation;
- every operation lists the errors it can answer with (see api/exceptions.py): 400 where
  there is input (a body or query parameters), 401 where credentials are read, 403 on writes
  and on reads that factbase/permissions.py does not open to anyone, 409 on writes, 404 on lists
  (a page past the end), on anything addressed by id, wherever `?format=` is offered, and where
  the view says it `may_not_find` what a query parameter names (the reconciliation preview);
- a read of one entity (detail, timeline) also answers 308 for the id of a merged entity.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from api.permissions import Declared, declared_action
from factbase.permissions import allows

WRITE_ACTIONS = ("create", "update", "partial_update")

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, for a person to read."}},
    "required": ["detail"],
}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": (
        "Field-level messages: `{field: [message, …]}`, `non_field_errors` for the request as a whole. "
        "Nested input (spans, participants) nests its messages the same way. "
        "A body that is not JSON gets `{detail: …}`."
    ),
    "additionalProperties": {},
    "example": {"spans": ["Span 1: The quote 'Lavrov visited Jakarta' does not occur in the document."]},
}
MERGED_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "Which entity it was merged into, for a person to read."},
        "merged_into": {"type": "integer", "description": "The id of the entity it was merged into."},
    },
    "required": ["detail", "merged_into"],
}
ERRORS = {
    "400": ("ValidationError", VALIDATION_SCHEMA, "Bad input: the messages say which field and why."),
    "401": ("ErrorDetail", DETAIL_SCHEMA, "Credentials missing or invalid (see WWW-Authenticate)."),
    "403": ("ErrorDetail", DETAIL_SCHEMA, "Logged in, but not allowed to do this."),
    "404": ("ErrorDetail", DETAIL_SCHEMA, "No such resource (or page), or not one you may see."),
    "409": ("ErrorDetail", DETAIL_SCHEMA, "Conflicts with the data as it stands (still cited, locked, wrong status)."),
}


class FactbaseAutoSchema(AutoSchema):
    def open_to_anyone(self) -> bool:
        """Whether factbase/permissions.py lets anonymous clients make this request."""
        if not any(isinstance(permission, Declared) for permission in self.view.get_permissions()):
            return False  # AllowAny routes say so to drf-spectacular themselves
        label, action = declared_action(self.view, self.method)
        return allows(AnonymousUser(), action, label)

    def get_auth(self):
        # `{}` (no credentials) wherever the declaration lets anyone in, as drf-spectacular
        # does for AllowAny.
        auths = super().get_auth()
        if {} not in auths and self.open_to_anyone():
            auths.append({})
        return auths

    def get_request_serializer(self):
        write = getattr(self.view, "write_serializer_class", None)
        if write is not None and getattr(self.view, "action", None) in WRITE_ACTIONS:
            return write
        return super().get_request_serializer()

    def get_response_serializers(self):
        detail = getattr(self.view, "detail_serializer_class", None)
        if detail is not None and getattr(self.view, "action", None) in (*WRITE_ACTIONS, "retrieve"):
            return detail
        return super().get_response_serializers()

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            formats = ", ".join(f"`{name}`" for name in parameter["schema"].get("enum", []))
            parameter["description"] = f"Response format instead of the Accept header: {formats}."
        return parameters

    def _get_filter_parameters(self):
        # A filter whose type is annotated (ids, partial dates) loses its help_text in
        # drf-spectacular's django-filter extension; put it back so every filter is described.
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        if filterset_class is not None:
            for parameter in parameters:
                filter_ = filterset_class.base_filters.get(parameter["name"])
                if filter_ is not None and not parameter.get("description") and filter_.extra.get("help_text"):
                    parameter["description"] = str(filter_.extra["help_text"])
        return parameters

    def _resolve_path_parameters(self, variables):
        # Ids are matched by the URL pattern [0-9]+ (anything else is a 404 before any lookup);
        # to clients they are integers.
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == "^[0-9]+$":
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter.setdefault("description", "The record's id.")
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            name, schema, description = ERRORS[code]
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
            self.registry.register_on_missing(component)
            content = {media_type: {"schema": component.ref} for media_type in self.map_renderers("media_type")}
            responses[code] = {"content": content, "description": description}
        if self._answers_merged_ids():
            responses["308"] = self._merged_redirect_response()
        return dict(sorted(responses.items()))

    def _answers_merged_ids(self) -> bool:
        """A read of one entity by id, which answers a merged entity's id with a redirect."""
        return (
            getattr(self.view, "answers_merged_ids", False)
            and self.method == "GET"
            and "{" in self.path
            and getattr(self.view, "action", "retrieve") == "retrieve"
        )

    def _merged_redirect_response(self) -> dict:
        component = ResolvedComponent(
            name="MergedRedirect", type=ResolvedComponent.SCHEMA, schema=MERGED_SCHEMA, object="MergedRedirect"
        )
        self.registry.register_on_missing(component)
        return {
            "description": "The entity was merged into another: `Location` is the same route for the entity it was "
            "merged into (the query string kept).",
            "headers": {
                "Location": {"schema": {"type": "string", "format": "uri"}, "description": "The survivor's URL."}
            },
            "content": {media_type: {"schema": component.ref} for media_type in self.map_renderers("media_type")},
        }

    def _error_codes(self) -> list[str]:
        safe = self.method in ("GET", "HEAD", "OPTIONS")
        addressed = "{" in self.path
        is_list = safe and not addressed and self._is_list_view()
        codes = []
        # Any query parameter but `format` can be malformed (filters, page, page_size, cursor).
        queried = any(p["in"] == "query" and p["name"] != "format" for p in self._get_parameters())
        if not safe or is_list or queried:
            codes.append("400")
        if self.view.get_authenticators():
            codes.append("401")
        if self.view.get_authenticators() and not (safe and self.open_to_anyone()):
            codes.append("403")
        # An unknown ?format= is a 404 too (DRF's content negotiation).
        if addressed or is_list or self._get_format_parameters() or getattr(self.view, "may_not_find", False):
            codes.append("404")
        if not safe and self.view.get_authenticators():
            codes.append("409")
        return codes
