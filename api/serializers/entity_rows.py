"""Entity detail representations built straight from rows: the read path of
`GET entities|countries|people|organisations|events/{id}/`.

Through ModelSerializer a person's page cost a queryset with three prefetches (aliases,
roles with their organisation, identifiers), a model instance per row and DRF's per-field
machinery: about 3 ms of CPU, three quarters of the request, for a query that takes 0.3 ms.
Here each part is one statement, written by the ORM and compiled once per process (as in
`rows.py`), run on the raw cursor, and shaped by plain functions. The output is exactly the
`<Kind>DetailSerializer`'s (tests/api/test_entity_rows.py compares them for every kind), and
the serializers stay the contract: the schema, the answers to writes and the ETags that
If-Match checks all come from them.

Queries per detail: the row (with the names of the entities it refers to), aliases,
identifiers, and for people their roles or for events their participants: 3 or 4.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import F

from api.serializers.rows import value_converters
from factbase.models import Alias, Country, Entity, Event, EventParticipant, Identifier, Organisation, Person, Role

BASE = ("id", "kind", "slug", "name", "description", "wikidata_qid", "created", "updated")
PROBE_ID = 7_654_321  # compiled with this id, which must come back as the only parameter


def _ref_columns(field: str) -> tuple[str, str, str]:
    return (f"{field}_id", f"{field}__kind", f"{field}__name")


# Per model: the columns of the main row after BASE, and the related lists it shows.
ROW_COLUMNS = {
    Entity: (),
    Country: ("iso_alpha2", "iso_alpha3", "official_name", "is_historical"),
    Person: ("given_name", "family_name", *_ref_columns("nationality")),
    Organisation: ("org_type", *_ref_columns("country"), *_ref_columns("parent")),
    Event: (
        "event_type",
        "status",
        "date_lower",
        "date_upper",
        "date_precision",
        "date_text",
        *_ref_columns("location_country"),
        "location_text",
        *_ref_columns("parent"),
    ),
}


def _related_queryset(kind: str):
    if kind == "aliases":
        return Alias.objects.filter(entity_id=PROBE_ID).order_by("name", "id").values_list("name", "language", "kind")
    if kind == "identifiers":
        return (
            Identifier.objects.filter(entity_id=PROBE_ID)
            .order_by("scheme", "value", "id")
            .values_list("scheme", "value")
        )
    if kind == "roles":
        return (
            Role.objects.filter(person_id=PROBE_ID)
            .order_by(F("date_lower").asc(nulls_last=True), "id")
            .values_list(
                "title", *_ref_columns("organisation"), "date_lower", "date_upper", "date_precision", "date_text"
            )
        )
    if kind == "participants":
        return (
            EventParticipant.objects.filter(event_id=PROBE_ID)
            .order_by("id")
            .values_list(*_ref_columns("entity"), "role", "note")
        )
    raise LookupError(kind)


_compiled: dict[tuple, str] = {}


def _statement(key: tuple, using: str) -> str:
    """The SQL of one part (a model's row, or a related list), compiled once per database."""
    if (key, using) not in _compiled:
        if key[0] == "row":
            model = key[1]
            queryset = model.objects.filter(pk=PROBE_ID).order_by().values_list(*BASE, *ROW_COLUMNS[model])
        else:
            queryset = _related_queryset(key[0])
        sql, params = queryset.using(using).query.sql_with_params()
        if list(params) != [PROBE_ID]:  # the ORM added a parameter: this shortcut no longer fits
            raise LookupError(key)
        _compiled[(key, using)] = sql
    return _compiled[(key, using)]


def _fetch(cursor, key: tuple, pk: int, using: str) -> list[tuple]:
    cursor.execute(_statement(key, using), [pk])
    return cursor.fetchall()


def _ref(entity_id, kind, name):
    return None if entity_id is None else {"id": entity_id, "kind": kind, "name": name}


def _date(lower, upper, precision, text, values):
    if lower is None and not text:
        return None
    return {"lower": values.date(lower), "upper": values.date(upper), "precision": precision or None, "text": text}


def detail(model, pk: int, *, using: str = "default") -> dict | None:
    """The detail representation of the `model` (Entity or a typed model) with id `pk`, or
    None when there is none."""
    with connections[using].cursor() as cursor:
        found = _fetch(cursor, ("row", model), pk, using)
        if not found:
            return None
        row = found[0]
        aliases = [
            {"name": name, "language": language, "kind": kind}
            for name, language, kind in _fetch(cursor, ("aliases",), pk, using)
        ]
        identifiers = [
            {"scheme": scheme, "value": value} for scheme, value in _fetch(cursor, ("identifiers",), pk, using)
        ]
        values = value_converters(using)
        pk, kind, slug, name, description, qid, created, updated = row[: len(BASE)]
        data = {
            "id": pk,
            "kind": kind,
            "slug": slug,
            "name": name,
            "description": description,
            "wikidata_qid": qid,
            "aliases": aliases,
            "created": values.datetime(created),
            "updated": values.datetime(updated),
        }
        extra = row[len(BASE) :]
        if model is Country:
            alpha2, alpha3, official, historical = extra
            data.update(iso_alpha2=alpha2, iso_alpha3=alpha3, official_name=official, is_historical=bool(historical))
        elif model is Person:
            given, family, *nationality = extra
            roles = [
                {
                    "title": title,
                    "organisation": _ref(org_id, org_kind, org_name),
                    "date": _date(lower, upper, precision, text, values),
                }
                for title, org_id, org_kind, org_name, lower, upper, precision, text in _fetch(
                    cursor, ("roles",), pk, using
                )
            ]
            data.update(given_name=given, family_name=family, nationality=_ref(*nationality), roles=roles)
        elif model is Organisation:
            org_type, *refs = extra
            data.update(type=org_type, country=_ref(*refs[:3]), parent=_ref(*refs[3:]))
        elif model is Event:
            event_type, status, lower, upper, precision, text, *rest = extra
            country, location_text, parent = rest[:3], rest[3], rest[4:]
            participants = [
                {"entity": _ref(entity_id, entity_kind, entity_name), "role": role, "note": note}
                for entity_id, entity_kind, entity_name, role, note in _fetch(cursor, ("participants",), pk, using)
            ]
            data.update(
                type=event_type,
                status=status,
                date=_date(lower, upper, precision, text, values),
                location={"country": _ref(*country), "text": location_text},
                parent=_ref(*parent),
                participants=participants,
            )
        data["identifiers"] = identifiers
    return data
