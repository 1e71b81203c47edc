"""Pieces the write serializers share: partial dates as text, ids of entities and documents,
strict integers. (Representations share theirs in api/projections/common.py.)"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.exceptions import invalid
from factbase.models import Country, Document, Entity, Event, Organisation, Person, entity_or_merge
from factbase.partial_dates import PartialDate, PartialDateError

MAX_ID = 2**63 - 1
TYPED_MODELS = {model.KIND: model for model in (Country, Event, Organisation, Person)}
# No list in a write body holds more items than this: a shape check, so that a huge list is
# refused before its items are looked up. How many rows an object may hold (aliases, spans…)
# is a limit of the data model (factbase/limits.py), which the services check.
MAX_LIST_ITEMS = 1000


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "example": "2021-07-06/2021-07-08",
        "description": "A partial date: `2021`, `2021-07`, `2021-07-06`, or an interval `A/B` of those.",
    }
)
class PartialDateField(serializers.Field):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            invalid("Give a date as text: 2021, 2021-07, 2021-07-06 or 2021-07-06/2021-07-08.")
        try:
            return PartialDate.parse(data)
        except PartialDateError as exc:
            invalid(str(exc))  # quotes the input

    def to_representation(self, value):
        return value.isoformat() if value is not None else None


def merge_date_text(attrs: dict, *, date_key: str, text_key: str, current: PartialDate | None) -> dict:
    """Fold `<text_key>` (the wording, "late June") into the PartialDate under `date_key`;
    without a new date, the wording applies to the `current` one."""
    if text_key not in attrs:
        return attrs
    text = attrs.pop(text_key)
    date = attrs.get(date_key, current)
    if date is None:
        if text:
            raise serializers.ValidationError({text_key: f"Give {date_key} too: this only words it."})
        return attrs
    attrs[date_key] = dataclasses.replace(date, text=text)
    return attrs


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: DRF's IntegerField would also take "5" and 5.0."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class _IdField(serializers.PrimaryKeyRelatedField):
    """An id in a request body: a JSON integer, checked to name a record of the right kind."""

    noun = "record"

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            invalid(f"Give the id as a number, not {type(data).__name__}.", code="incorrect_type")
        if not 1 <= data <= MAX_ID:
            invalid(f"No {self.noun} has id {data}.", code="does_not_exist")
        try:
            return self.get_queryset().get(pk=data)
        except ObjectDoesNotExist:
            invalid(f"No {self.noun} has id {data}.", code="does_not_exist")


class EntityIdField(_IdField):
    """The id of an entity; with `kind`, of an entity of that kind (a country for
    `nationality`, an event for `event`)."""

    noun = "entity"

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind
        model = Entity if kind is None else TYPED_MODELS[kind]
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            if isinstance(data, int) and not isinstance(data, bool) and 1 <= data <= MAX_ID:
                found = entity_or_merge(data)
                if found is not None and found[1] is not None:
                    invalid(f"Entity {data} was merged into entity {found[1]}; give {found[1]}.", code="merged")
                if self.kind and found is not None:
                    invalid(f"Entity {data} is a {found[0]}; give the id of a {self.kind}.", code="wrong_kind")
            raise


class DocumentIdField(_IdField):
    noun = "document"

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Document.objects.all())
        super().__init__(**kwargs)


class UserIdField(_IdField):
    """The id of a user account (a curator to assign a document to)."""

    noun = "user"

    def __init__(self, **kwargs):
        from django.contrib.auth import get_user_model

        kwargs.setdefault("queryset", get_user_model().objects.all())
        super().__init__(**kwargs)
