"""The request shapes of the reconciliation service (api/views/reconcile.py): a batch of
queries checked into `reconciliation.Query` objects, every fault a 400 that names the query
and the key, and the serializers that describe the bodies in the OpenAPI schema."""

from __future__ import annotations

import json
import math

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from factbase.partial_dates import PartialDate, PartialDateError
from factbase.services import reconciliation

MAX_QUERIES = 50  # queries in one batch
MAX_LIMIT = 50  # candidates a query may ask for
DEFAULT_LIMIT = 10
MAX_QUERY_LENGTH = 300  # characters of a query text: an entity name is at most 300
MAX_PROPERTIES = 10
MAX_VALUES = 10  # values of one property
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def _fail(message: str):
    raise ValidationError({"queries": [message]})


def storable(text: str) -> bool:
    """Whether `text` can be sent to the database and written back out: UTF-8 (no lone
    surrogate, which a JSON escape can hold) and no NUL, which PostgreSQL refuses."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def load_batch(raw) -> dict:
    """The batch as a dict of query objects, from the `queries` field: a JSON text (the form
    field, or the JSON body's value as text) or, from a JSON body, the object itself."""
    if raw is None or raw == "":
        _fail('Send the queries: a JSON object such as {"q0": {"query": "Sergei Lavrov"}}.')
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            _fail("The queries are not valid JSON.")
    if not isinstance(raw, dict):
        _fail('The queries must be a JSON object of queries by key: {"q0": {"query": …}, "q1": …}.')
    if not raw:
        _fail("The batch holds no query.")
    if len(raw) > MAX_QUERIES:
        _fail(f"At most {MAX_QUERIES} queries in one batch; this one has {len(raw)}.")
    return raw


def parse_batch(raw) -> dict[str, reconciliation.Query]:
    batch = load_batch(raw)
    for key in batch:
        if not storable(key) or len(key) > MAX_QUERY_LENGTH:
            _fail(f"A query's key must be text of at most {MAX_QUERY_LENGTH} characters, such as q0.")
    return {key: parse_query(key, value) for key, value in batch.items()}


def _types(key: str, value) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        _fail(f"{key}: `type` must be a type id or a list of them.")
    unknown = [v for v in values if v not in reconciliation.TYPES]
    if unknown:
        _fail(f"{key}: unknown type {unknown[0][:40]!r}; the types are {', '.join(reconciliation.TYPES)}.")
    return list(dict.fromkeys(values))


def _limit(key: str, value) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
        _fail(f"{key}: `limit` must be a whole number.")
    if not 1 <= value <= MAX_LIMIT:
        _fail(f"{key}: `limit` must be from 1 to {MAX_LIMIT}.")
    return int(value)


def _values(key: str, pid: str, value) -> list:
    values = value if isinstance(value, list) else [value]
    if not values or len(values) > MAX_VALUES:
        _fail(f"{key}: property {pid!r} takes from 1 to {MAX_VALUES} values.")
    for v in values:
        parts = [v.get("id", ""), v.get("name", "")] if isinstance(v, dict) else [v]
        ok = all(isinstance(part, str | int | float) for part in parts)
        if not ok or any(
            isinstance(part, str) and (len(part) > MAX_QUERY_LENGTH or not storable(part)) for part in parts
        ):
            _fail(f"{key}: a value of property {pid!r} must be a name, an id or {{'id': …}}.")
    return values


def _properties(key: str, value, query: reconciliation.Query) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_PROPERTIES:
        _fail(f"{key}: `properties` must be a list of at most {MAX_PROPERTIES} {{'pid': …, 'v': …}}.")
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
            _fail(f"{key}: each property must be {{'pid': …, 'v': …}}.")
        pid = item["pid"]
        if pid not in reconciliation.PROPERTIES:
            _fail(f"{key}: unknown property {pid[:40]!r}; the properties are {', '.join(reconciliation.PROPERTIES)}.")
        values = _values(key, pid, item["v"])
        if pid == "date":
            try:
                (text,) = [v for v in values if isinstance(v, str)] or [None]
                query.date = PartialDate.parse(text)
            except (ValueError, PartialDateError):
                _fail(f"{key}: `date` takes one date such as 2021, 2021-07 or 2021-07-06/2021-07-08.")
        else:
            query.countries[pid] = reconciliation.country_ids(values)


def parse_query(key: str, value) -> reconciliation.Query:
    if not isinstance(value, dict):
        _fail(f"{key}: a query must be an object such as {{'query': 'Sergei Lavrov'}}.")
    unknown = set(value) - QUERY_KEYS
    if unknown:
        _fail(f"{key}: unknown key {sorted(unknown)[0][:40]!r}; a query takes {', '.join(sorted(QUERY_KEYS))}.")
    text = value.get("query")
    if not isinstance(text, str) or not text.strip():
        _fail(f"{key}: `query` must be a non-empty text.")
    if len(text) > MAX_QUERY_LENGTH:
        _fail(f"{key}: `query` must be at most {MAX_QUERY_LENGTH} characters.")
    if not storable(text):
        _fail(f"{key}: `query` must be text without NUL characters or lone surrogates.")
    if value.get("type_strict") not in (None, "any", "should", "all"):
        _fail(f"{key}: `type_strict` must be any, should or all.")
    query = reconciliation.Query(text=text, types=_types(key, value.get("type")), limit=_limit(key, value.get("limit")))
    _properties(key, value.get("properties"), query)
    return query


# --- what the OpenAPI schema shows ----------------------------------------------------


class ReconcileFormSerializer(serializers.Serializer):
    queries = serializers.CharField(
        help_text='A JSON object of queries by key: {"q0": {"query": "Sergei Lavrov", "type": "person", '
        '"limit": 5, "properties": [{"pid": "nationality", "v": "Russia"}]}}.'
    )


class ReconcileJSONSerializer(serializers.Serializer):
    queries = serializers.JSONField(help_text="The queries by key, as an object (or as that object's JSON text).")
