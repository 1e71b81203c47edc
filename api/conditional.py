"""Conditional requests: no lost updates through the API.

Every detail response (GET, and the answer to PUT/PATCH/POST actions and to a create)
carries an `ETag`: a hash of the representation, so it changes whenever anything a client
can see changes (spans, aliases and participants included). A write to a resource that
sends `If-Match` is carried out only if the tag still matches; otherwise it is refused with
412 and the current tag, and nothing is written. The check and the write run in one
transaction with the row locked, so two clients holding the same tag cannot both win.
A write without `If-Match` works as before. `If-None-Match` on GET answers 304 when the
client's copy is current.

Weak tags (`W/"…"`, as some proxies rewrite them when compressing) are compared by their
value; `If-Match: *` matches any existing resource."""

from __future__ import annotations

import hashlib

import orjson
from django.db import transaction
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api.renderers import OPTIONS, encode_default

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This resource changed since you read it: If-Match does not match its current ETag. "
        "Read it again, re-apply your change, and send the new ETag."
    )
    default_code = "precondition_failed"


def etag_for(data) -> str:
    """A strong ETag for a representation: stable across processes and databases (keys
    sorted; encoded as the API's renderer encodes, api/renderers.py)."""
    payload = orjson.dumps(data, default=encode_default, option=OPTIONS | orjson.OPT_SORT_KEYS)
    return '"' + hashlib.sha256(payload).hexdigest()[:40] + '"'


def _values(header: str) -> list[str]:
    return [tag.removeprefix("W/") for tag in parse_etags(header)]


def etag_matches(header: str, current: str) -> bool:
    tags = _values(header)
    return "*" in tags or current in tags


class ConditionalMixin:
    """For the API's viewsets (see the module docstring). Detail routes only: lists have no
    single version to compare."""

    def _is_detail(self) -> bool:
        return (self.lookup_url_kwarg or self.lookup_field) in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        lookup = self.lookup_url_kwarg or self.lookup_field
        if request.method in UNSAFE_METHODS and lookup in kwargs and request.META.get("HTTP_IF_MATCH"):
            # Check and write in one transaction, the row locked by the check.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # From META: `request.headers` builds a dict of every header, once per request, for one.
        header = request.META.get("HTTP_IF_MATCH")
        if header and request.method in UNSAFE_METHODS and self._is_detail():
            self.check_if_match(header)

    def current_etag(self, instance) -> str:
        model = type(instance)
        # Lock the row until the write commits (PostgreSQL; SQLite serialises writers anyway).
        list(model._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))
        # The representation GET answers (and tags) for this row, by the same method.
        return etag_for(self.current_representation(instance.pk))

    def check_if_match(self, header: str) -> None:
        current = self.current_etag(self.get_object())
        if not etag_matches(header, current):
            self.headers["ETag"] = current
            raise PreconditionFailed()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        is_representation = (
            response.status_code in (status.HTTP_200_OK, status.HTTP_201_CREATED)
            and isinstance(getattr(response, "data", None), dict)
            and (self._is_detail() or getattr(self, "action", None) == "create")
            and request.method != "DELETE"
        )
        if not is_representation:
            return response
        etag = etag_for(response.data)
        response["ETag"] = etag
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if request.method == "GET" and if_none_match and etag_matches(if_none_match, etag):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
            return super().finalize_response(request, not_modified, *args, **kwargs)
        return response
