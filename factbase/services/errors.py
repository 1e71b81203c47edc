"""Errors the services raise besides plain ValidationError."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class Conflict(ValidationError):
    """A write refused because of the current state of the data, not because the input is
    malformed: a text locked under its spans, a published claim that must be rejected rather
    than deleted. A ValidationError, so forms show it as usual; the API answers 409."""


class Forbidden(PermissionDenied):
    """A write this user may not make, whatever the data: a curator changing a published
    claim, or publishing one. The admin shows the message on the form; the API answers 403
    with it."""


class QueueUnavailable(Exception):
    """A job could not be handed to the broker (CELERY_BROKER_URL unreachable): the job is
    recorded as failed, and the API answers 503."""
