"""The API's error contract: every error is JSON, and each status means one thing.

- 400: the request is malformed or fails validation: `{field: [messages]}`, with
  `non_field_errors` for messages about the whole object (a Django ValidationError raised
  by a service or a model's clean() becomes exactly this, so the admin and the API report
  the same rule in the same words);
- 401: no or bad credentials for something that needs them; 403: logged in, not allowed;
- 404: no such resource (or one the client may not see); 405: method not allowed here;
- 409: the request conflicts with the data as it stands: deleting something that claims
  still cite, changing a text that spans point into, publishing a rejected claim;
- 412 is reserved for If-Match preconditions.

Everything but 400 has the shape `{"detail": "…"}`.

A message that quotes the client's input (or anything else not written in the source) is
built whole, with an f-string, and raised with `invalid()`: never passed as a template to
DRF's `Field.fail()` (which runs it through `str.format`), nor to a Django `ValidationError`
with `params` (which runs it through `%`). A brace or a percent sign in it would otherwise
change the message or, as `{"aliases": [0]}` once did, turn a 400 into a 500.
"""

from __future__ import annotations

from collections import Counter
from typing import NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from factbase.services.errors import Conflict


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This request conflicts with the current state of the data."
    default_code = "conflict"


def invalid(message: str, *, code: str = "invalid") -> NoReturn:
    """Refuse a value with `message` exactly as given (a 400 under the field being
    validated). Nothing formats it again: see the module docstring."""
    raise exceptions.ValidationError(message, code=code)


def exception_handler(exc, context):
    """DRF's handler, taught the domain's exceptions (see the module docstring)."""
    view = context.get("view")
    if isinstance(exc, Conflict):  # before ValidationError: Conflict is one
        exc = ConflictError(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc, view))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = ConflictError(_still_referenced(exc))
    elif isinstance(exc, IntegrityError):
        # A constraint the validation did not foresee (usually a race between two writers).
        exc = ConflictError("This change conflicts with existing data (a duplicate or a missing reference).")
    elif isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # Keep 400 bodies objects: a bare list of messages concerns the whole request.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)


def _field_errors(exc: DjangoValidationError, view) -> dict:
    """Django's errors keyed by API field names: a model field such as `date_upper` or
    `org_type` is reported under the name the client sent (`date`, `type`)."""
    errors = as_serializer_error(exc)
    renames = getattr(view, "error_field_names", {})
    result: dict = {}
    for field, messages in errors.items():
        name = renames.get(field, field)
        result.setdefault(name, [])
        result[name].extend(messages)
    return result


def _still_referenced(exc: ProtectedError | RestrictedError) -> str:
    """What still refers to the record ("3 claims and 1 mention"), counted by kind."""
    counts = Counter(type(obj) for obj in getattr(exc, "protected_objects", None) or exc.restricted_objects)
    parts = [
        f"{n} {(model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural)}"
        for model, n in sorted(counts.items(), key=lambda item: item[0]._meta.label)
    ]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
    return (
        f"This cannot be deleted while other records refer to it: {listed or 'unknown records'}. "
        "Deleting never cascades; remove or re-point those first."
    )
