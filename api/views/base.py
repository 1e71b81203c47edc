"""The viewset every resource builds on: the API's conventions in one place.

- reads: `get_queryset()` is the model's `for_api()` shape (plus `visible_to(user)` where
  visibility applies), so a page costs a constant number of queries;
- writes: the write serializer checks shape and types, then the view calls a service and
  answers with the fresh read representation (201 on create);
- a detail has one representation, `current_representation(pk)`: GET answers it, writes
  answer it, and its ETag is the one a write's If-Match is checked against
  (api/conditional.py; a stale If-Match gets 412);
- lists whose page comes back empty check that the ids they were filtered by exist (see
  api.filters.ReferenceFilter), and answer for the survivor of a merged entity's id
  (`filtered_page`).
"""

from __future__ import annotations

from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.conditional import ConditionalMixin
from api.facets import count_facets, requested_facets
from api.filters import FilterBackend, merged_references
from api.pagination import FactbasePagination
from api.parsers import FactbaseJSONParser
from api.permissions import Declared


class FactbaseViewSet(ConditionalMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only by default; add WriteMixin and DeleteMixin for writes."""

    filter_backends = [FilterBackend]
    pagination_class = FactbasePagination
    permission_classes = [Declared]
    permission_model: str = ""  # the label factbase/permissions.py declares the rules of
    permission_action: str | None = None  # an extra action's own (`@action(permission_action=…)`)
    parser_classes = [FactbaseJSONParser]
    # Anything else is a 404 from the URL resolver, never a lookup; 18 digits keep every id
    # inside a 64-bit integer (a longer one would overflow the database driver).
    lookup_value_regex = r"[0-9]{1,18}"

    serializer_class = None  # list representation
    detail_serializer_class = None  # retrieve, and the answer to writes
    # The facets the list offers (`?facets=`, api/facets.py): name -> Facet.
    facets: dict = {}
    write_serializer_class = None
    # Model field names in service errors, as the client knows them.
    error_field_names = {
        "date_lower": "date",
        "date_upper": "date",
        "date_precision": "date",
        "date_text": "date_text",
    }

    def get_serializer_class(self):
        writing = self.action in ("create", "update", "partial_update")
        # OPTIONS describes the body a POST or PUT takes: the write serializer's fields.
        describing = self.action == "metadata" and self.request.method in ("POST", "PUT")
        if (writing or describing) and self.write_serializer_class is not None:
            return self.write_serializer_class
        if self.action == "list":
            return self.serializer_class
        return self.detail_serializer_class or self.serializer_class

    def filter_queryset(self, queryset):
        # Filters narrow lists. A detail is found by its id alone (who may see it is
        # get_queryset's business), as the entity details answered from rows are.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        _, page = self.filtered_page()
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def filtered_page(self, paged=None) -> tuple:
        """(queryset, page) of the filtered list; `paged(queryset)` is what the paginator
        walks (ids only, for the compiled projections). An empty page checks the ids the
        filters name: a 400 for one that names nothing, and a merged entity's id is answered
        as its survivor's, by listing again (api.filters.ReferenceFilter)."""
        asked = requested_facets(self.request, self.facets) if self.facets else []
        while True:
            queryset = self.filter_queryset(self.get_queryset())
            try:
                page = self.paginate_queryset(paged(queryset) if paged else queryset)
            except NotFound:  # a page past the end: of the survivor's list, maybe
                try:
                    again = merged_references(self)
                except ValidationError:
                    again = False
                if again:
                    continue
                raise
            if not page and merged_references(self):
                continue
            self.facet_counts = count_facets(queryset, asked, self.facets) if asked else None
            return queryset, page

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if getattr(self, "facet_counts", None) is not None:
            response.data["facets"] = self.facet_counts
        return response

    def representation(self, instance) -> dict:
        """The detail representation of `instance`, read through `get_queryset()`."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def current_representation(self, pk) -> dict:
        """The detail representation of the row `pk` as GET answers it now: the answer to a
        write and what an If-Match is checked against."""
        return self.representation(self.get_queryset().get(pk=pk))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.representation(self.get_object()))

    def represent(self, instance, *, status_code=status.HTTP_200_OK) -> Response:
        """The answer to a write: `instance` read back as a GET would answer it."""
        return Response(self.current_representation(instance.pk), status=status_code)


class WriteMixin:
    """POST, PUT and PATCH through `perform_create(data)` and `perform_update(instance, data)`,
    which call a service and return the saved instance."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(dict(serializer.validated_data))
        return self.represent(instance, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update(instance, dict(serializer.validated_data))
        return self.represent(instance)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class DeleteMixin:
    """DELETE through `perform_destroy(instance)`; refused with 409 while anything cites it."""

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
