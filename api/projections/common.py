"""Pieces every read projection shares: how a representation names another entity, and
how it shows a partial date."""

from __future__ import annotations

from rest_framework import serializers

from factbase.enums import DatePrecision, EntityKind


class EntityRefSerializer(serializers.Serializer):
    """`{id, kind, name}`: how a representation names another entity. Fetch the whole entity
    from `/api/v1/entities/{id}/` (or the endpoint of its kind)."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=EntityKind.choices, read_only=True)
    name = serializers.CharField(read_only=True)


def date_value(lower: str | None, upper: str | None, precision: str, text: str) -> dict | None:
    """The one shape of a partial date, from its four columns (the days as ISO text): null
    when nothing is known, precision null rather than empty."""
    if lower is None and not text:
        return None
    return {"lower": lower, "upper": upper, "precision": precision or None, "text": text}


class PartialDateSerializer(serializers.Serializer):
    """A partial date: the first and last day it can mean, how precisely it is known and
    the wording as written. Null when nothing is known."""

    lower = serializers.DateField(source="date_lower", read_only=True, allow_null=True)
    upper = serializers.DateField(source="date_upper", read_only=True, allow_null=True)
    precision = serializers.ChoiceField(
        source="date_precision", choices=DatePrecision.choices, read_only=True, allow_null=True
    )
    text = serializers.CharField(source="date_text", read_only=True, help_text="The date as the source words it.")

    # Null, or the four values as a dict: from the fields' values here and in the compiled
    # path (api/projections/compiler.py), which reads the same fields' columns.
    from_values = staticmethod(date_value)

    def to_representation(self, instance):
        values = []
        for field in self.fields.values():
            attribute = field.get_attribute(instance)
            values.append(None if attribute is None else field.to_representation(attribute))
        return self.from_values(*values)


def partial_date(**kwargs) -> PartialDateSerializer:
    """The `date` of a row that has date_lower/date_upper/date_precision/date_text."""
    return PartialDateSerializer(source="*", read_only=True, allow_null=True, **kwargs)
