"""Errors the services raise besides plain ValidationError."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A write refused because of the current state of the data, not because the input is
    malformed: a text locked under its spans, a published claim that must be rejected rather
    than deleted. A ValidationError, so forms show it as usual; the API answers 409."""
