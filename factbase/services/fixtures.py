"""Checked fixture loading: load JSON fixtures inside one transaction, then re-validate
every loaded row with the same validators the admin and API use (loaddata itself skips
model validation). Any failure names the record and rolls everything back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from factbase import validators
from factbase.models import Alias, Document, Entity, Mention, SourceSpan, normalise_name, text_sha256


class FixtureError(Exception):
    """A fixture could not be loaded; the message names the file and record."""


def _describe(obj) -> str:
    try:
        key = obj.natural_key()
    except Exception:  # noqa: BLE001 - a broken record may not even build its key
        key = obj.pk
    return f"{obj._meta.label} {key!r}"


def fixtures_load(paths: Iterable[str | Path], *, using: str = "default") -> dict[str, int]:
    """Load every fixture file in one transaction, verify, and return counts per model."""
    counts: dict[str, int] = {}
    loaded: list = []
    with transaction.atomic(using=using):
        for path in paths:
            path = Path(path)
            try:
                raw = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise FixtureError(f"{path}: cannot read as UTF-8 JSON ({exc}).") from exc
            index = 0
            try:
                for index, deserialized in enumerate(
                    serializers.deserialize("json", raw, using=using, handle_forward_references=True), start=1
                ):
                    obj = deserialized.object
                    try:
                        with transaction.atomic(using=using):
                            deserialized.save(using=using)
                    except (IntegrityError, DatabaseError) as exc:
                        raise FixtureError(
                            f"{path}: record {index} ({_describe(obj)}) violates a constraint: {exc}"
                        ) from exc
                    loaded.append(obj)
                    counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
            except FixtureError:
                raise
            except (serializers.base.DeserializationError, ObjectDoesNotExist, ValueError, TypeError) as exc:
                raise FixtureError(f"{path}: record {index + 1} cannot be loaded: {exc}") from exc
        try:
            fixtures_verify(loaded)
        except ValidationError as exc:
            raise FixtureError(f"{exc.messages[0]}" if len(exc.messages) == 1 else "; ".join(exc.messages)) from exc
    return counts


def fixtures_verify(objects: Iterable) -> None:
    """Run every model's own validation on loaded objects, plus the cross-row rules:
    spans match their documents, entity kinds match their typed table, published claims
    have evidence. Raises ValidationError naming the first bad record."""
    for obj in objects:
        if getattr(type(obj), "instance_type", None) is not None:
            # Edit history (from a backup) records the past as it was: it may name rows
            # since deleted or merged away, so today's rules do not apply to it.
            continue
        obj = type(obj)._default_manager.get(pk=obj.pk)  # reload: resolves FKs as stored
        try:
            if isinstance(obj, Document) and obj.sha256 != text_sha256(obj.text):
                raise ValidationError({"sha256": "does not match the SHA-256 of the text"})
            if isinstance(obj, (SourceSpan, Mention)):
                validators.validate_span_matches_text(
                    text=obj.document.text, start=obj.start, end=obj.end, exact=obj.exact
                )
            if isinstance(obj, Alias) and obj.normalised != normalise_name(obj.name):
                Alias.objects.filter(pk=obj.pk).update(normalised=normalise_name(obj.name))
            if isinstance(obj, Entity):
                # Raw loads skip save(): fill the derived search column here.
                Entity.objects.filter(pk=obj.pk).update(normalised_name=normalise_name(obj.name))
                if type(obj) is not Entity and obj.kind != type(obj).KIND:
                    raise ValidationError({"kind": f"kind is {obj.kind!r} but the record is a {type(obj).KIND}"})
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(f"{_describe(obj)}: {'; '.join(_flatten(exc))}") from exc


def _flatten(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, errors in exc.message_dict.items() for message in errors]
    return exc.messages
