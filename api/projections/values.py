"""Raw driver values to representation values, per database vendor.

The compiled fast path (api/projections/compiler.py) reads rows on the raw cursor, so
Django's per-value converters do not run: these classes do their work, producing exactly
what DRF's fields would (a test compares the two paths on every resource)."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def datetime_text(value) -> str | None:
    """As DRF's DateTimeField renders it: ISO 8601 in the current time zone, UTC as `Z`."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class SQLiteValues:
    """Django's SQLite connection: dates and naive UTC datetimes as the text they are stored
    as (the compiled statements read them with `CAST(… AS text)`, api/projections/compiler.py),
    UUIDs as 32 hex digits, decimals as numbers."""

    def __init__(self):
        self.utc = timezone.get_current_timezone_name() == "UTC"
        self._decimal = decimal.Context(prec=15).create_decimal_from_float

    @staticmethod
    def uid(value) -> str:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"

    @staticmethod
    def date(value):
        if value is None:
            return None
        if isinstance(value, str):
            if len(value) == 10 and value[4] == value[7] == "-":  # as Django stores a date: its ISO text
                return value
            value = parse_date(value)  # None where the converter gave None
        return value.isoformat() if value is not None else None

    def datetime(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            # As Django stores a naive UTC datetime: `YYYY-MM-DD HH:MM:SS`, then `.ffffff`
            # unless its microseconds are 0. Anything else is parsed, as the converter would.
            if (
                self.utc
                and value[10:11] == " "
                and (len(value) == 19 or (len(value) == 26 and value[19:] != ".000000"))
            ):
                return f"{value[:10]}T{value[11:]}Z"
            value = parse_datetime(value)
            if value is None:  # as the converter gave it
                return None
        if self.utc and value.tzinfo is None:
            return value.isoformat() + "Z"
        return datetime_text(value if value.tzinfo else timezone.make_aware(value, dt.UTC))

    def number(self, value, quantum: Decimal):
        if value is None:
            return None
        number = self._decimal(value) if isinstance(value, float) else Decimal(value)
        return number.quantize(quantum)


class DriverValues:
    """psycopg: Python dates, aware datetimes, UUIDs and Decimals."""

    def __init__(self):
        # A UTC value rendered in UTC needs no time-zone lookup: `localtime()` cost about
        # 0.5 ms of CPU (of 6) per page of 50 claims on PostgreSQL.
        self.utc = timezone.get_current_timezone_name() == "UTC"

    @staticmethod
    def uid(value) -> str:
        return str(value)

    @staticmethod
    def date(value):
        return value.isoformat() if value is not None else None

    def datetime(self, value):
        if value is None:
            return None
        if self.utc:
            text = value.isoformat()
            if text.endswith("+00:00"):
                return text[:-6] + "Z"
        return datetime_text(value)

    @staticmethod
    def number(value, quantum: Decimal):
        return value.quantize(quantum) if value is not None else None


def value_converters(using: str):
    """How raw driver values become representation values on the database `using`."""
    return SQLiteValues() if connections[using].vendor == "sqlite" else DriverValues()
