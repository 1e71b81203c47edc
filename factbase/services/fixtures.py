"""Checked fixture loading: load JSON fixtures inside one transaction, then re-validate
every loaded row with the same validators the admin and API use (loaddata itself skips
model validation). Any failure names the record and rolls everything back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers import json as json_serializer
from django.db import DatabaseError, IntegrityError, connections, transaction

from factbase import validators
from factbase.limits import LIMITS
from factbase.models import (
    Alias,
    Claim,
    Country,
    Document,
    Entity,
    Event,
    Mention,
    Organisation,
    Person,
    SourceSpan,
    normalise_name,
    text_sha256,
)
from factbase.services.facts import claims_regroup, facts_drop_empty
from factbase.services.queues import documents_settle

TYPED_ENTITY_MODELS = {model.KIND: model for model in (Person, Country, Organisation, Event)}
RELOAD_CHUNK = 500  # rows per reload query: far below SQLite's and PostgreSQL's parameter limits


class FixtureError(Exception):
    """A fixture could not be loaded; the message names the file and record."""


class _Deserializer(json_serializer.Deserializer):
    """Django's JSON deserializer, resolving each natural-key reference once per load (a
    seed cites the same document, country or claim hundreds of times) and attaching the
    referenced rows to the new instance, so that naming a record costs no query. Rows are
    never deleted during a load, so a resolved key stays valid; misses are not cached (a
    forward reference resolves later)."""

    def __init__(self, stream_or_string, *, references: dict, **options):
        super().__init__(stream_or_string, **options)
        self.references = references  # (model label, target field, natural key) -> (value, row)

    @staticmethod
    def _key(field, field_value):
        try:
            key = (field.remote_field.model._meta.label, field.remote_field.field_name, tuple(field_value))
            hash(key)
        except TypeError:  # not a natural key, or one made of lists
            return None
        return key

    def _handle_fk_field_node(self, field, field_value):
        model = field.remote_field.model
        manager = model._default_manager
        key = self._key(field, field_value) if isinstance(field_value, list) else None
        if key is None or not hasattr(manager, "get_by_natural_key"):
            return super()._handle_fk_field_node(field, field_value)
        if key not in self.references:
            # As django.core.serializers.base.deserialize_fk_value, keeping the row.
            try:
                row = manager.db_manager(self.using).get_by_natural_key(*field_value)
            except ObjectDoesNotExist:
                if self.handle_forward_references:
                    return serializers.base.DEFER_FIELD
                raise
            value = getattr(row, field.remote_field.field_name)
            if model._meta.pk.remote_field:  # the target's key is itself a link (a typed entity)
                value = value.pk
            self.references[key] = (value, row)
        return self.references[key][0]

    def _handle_object(self, obj):
        for deserialized in super()._handle_object(obj):
            instance = deserialized.object
            instance._fixture_fields = set(obj["fields"])  # what the record says; see _keep_curation
            for name, value in obj["fields"].items():
                field = instance._meta.get_field(name)
                if not isinstance(value, list) or not field.is_relation or field.many_to_many:
                    continue
                key = self._key(field, value)
                cached = self.references.get(key) if key is not None else None
                if cached is not None and getattr(instance, field.attname) == cached[0]:
                    field.set_cached_value(instance, cached[1])
            yield deserialized


def _describe(obj) -> str:
    try:
        parent_link = obj._meta.pk if obj._meta.pk.remote_field else None
        if parent_link is not None and parent_link.is_cached(obj):
            # A typed entity record (factbase.person) carries only its link: name it by its entity.
            key = parent_link.get_cached_value(obj).natural_key()
        else:
            key = obj.natural_key()
    except Exception:  # noqa: BLE001 - a broken record may not even build its key
        key = obj.pk
    return f"{obj._meta.label} {key!r}"


def fixtures_load(paths: Iterable[str | Path], *, using: str = "default") -> dict[str, int]:
    """Load every fixture file in one transaction, verify, and return counts per model."""
    counts: dict[str, int] = {}
    loaded: list = []
    origins: dict = {}  # (model, pk) -> "file: record N", to name a record that fails verification
    deferred: list = []
    references: dict = {}
    with transaction.atomic(using=using):
        for path in paths:
            path = Path(path)
            try:
                raw = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise FixtureError(f"{path}: cannot read as UTF-8 JSON ({exc}).") from exc
            index = 0
            try:
                records = _Deserializer(raw, using=using, handle_forward_references=True, references=references)
                for index, deserialized in enumerate(records, start=1):
                    obj = deserialized.object
                    where = f"{path}: record {index} ({_describe(obj)})"
                    _refuse_missing_required_references(deserialized, where)
                    _keep_curation(obj, using=using)
                    # No savepoint per record: the first error aborts the whole load anyway,
                    # and a savepoint per row doubles the round trips.
                    try:
                        deserialized.save(using=using)
                    except (IntegrityError, DatabaseError) as exc:
                        raise FixtureError(f"{where} violates a constraint: {exc}") from exc
                    if deserialized.deferred_fields:
                        deferred.append((where, deserialized))
                    loaded.append(obj)
                    origins[(type(obj), obj.pk)] = f"{path}: record {index}"
                    counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
            except FixtureError:
                raise
            except (serializers.base.DeserializationError, ObjectDoesNotExist, ValueError, TypeError) as exc:
                raise FixtureError(f"{path}: record {index + 1} cannot be loaded: {exc}") from exc
        _save_forward_references(deferred, using=using)
        try:
            fixtures_verify(loaded, using=using, origins=origins)
        except ValidationError as exc:
            raise FixtureError(f"{exc.messages[0]}" if len(exc.messages) == 1 else "; ".join(exc.messages)) from exc
        _check_deferred_constraints(loaded, using=using)
        # Claims loaded without a fact (a fixture does not name one; a backup does) are
        # grouped as a write would group them; a fact a reload left empty goes.
        claims_regroup([obj for obj in loaded if isinstance(obj, Claim) and obj.fact_id is None], using=using)
        facts_drop_empty(using=using)
        # A document whose record names no queue state is "done" when every claim citing it
        # is decided (the curated seed), else "new" (factbase/services/queues.py).
        documents_settle(
            [obj.pk for obj in loaded if isinstance(obj, Document) and "curation_state" not in obj._fixture_fields],
            using=using,
        )
    return counts


# What curation adds to a claim that a fixture record may not say (its fact, the curators'
# decision on it, its rank), and to a document (its place in the curation queue): a
# reloaded row keeps it, so loading twice changes nothing.
CURATED_CLAIM_FIELDS = ("fact", "fact_pinned", "rank", "value_key")
CURATED_DOCUMENT_FIELDS = ("curation_state", "assignee")


def _keep_curation(obj, *, using: str) -> None:
    said = getattr(obj, "_fixture_fields", ())
    if isinstance(obj, Claim) and "fact" not in said:
        fields = CURATED_CLAIM_FIELDS
    elif isinstance(obj, Document):
        fields = CURATED_DOCUMENT_FIELDS
    else:
        return
    names = [name for name in fields if name not in said]
    if obj.pk is None or not names:
        return
    model = type(obj)
    attnames = [model._meta.get_field(name).attname for name in names]
    stored = model._base_manager.using(using).filter(pk=obj.pk).values(*attnames).first()
    for attname, value in (stored or {}).items():
        setattr(obj, attname, value)


def _check_deferred_constraints(loaded: list, *, using: str) -> None:
    """Run the database's deferred foreign-key checks now rather than at commit: a violation
    is reported as a fixture error, and no pending trigger events are left behind on
    PostgreSQL (they would make a later CREATE INDEX in the same transaction fail)."""
    tables = sorted({type(obj)._meta.db_table for obj in loaded})
    try:
        connections[using].check_constraints(table_names=tables)
    except IntegrityError as exc:
        raise FixtureError(f"A reference points to a row that does not exist: {exc}") from exc


def _refuse_missing_required_references(deserialized, where: str) -> None:
    """A natural-key reference that does not resolve is deferred (it may point forward, to
    a record later in the files). A required one cannot wait: the row cannot be saved
    without it, so it must point to a record loaded earlier."""
    for field, value in deserialized.deferred_fields.items():
        if not field.null:
            raise FixtureError(
                f"{where}: {field.name} refers to {value!r}, which does not exist "
                "(a required reference must point to a record that exists or is loaded earlier)."
            )


def _save_forward_references(deferred: list, *, using: str) -> None:
    """Resolve optional references that pointed forward; one that still does not resolve
    is dangling."""
    for where, deserialized in deferred:
        for field, value in deserialized.deferred_fields.items():
            try:
                serializers.base.deserialize_fk_value(field, value, using, handle_forward_references=False)
            except ObjectDoesNotExist as exc:
                raise FixtureError(f"{where}: {field.name} refers to {value!r}, which does not exist.") from exc
        try:
            deserialized.save_deferred_fields(using=using)
        except serializers.base.DeserializationError as exc:
            raise FixtureError(f"{where}: a reference cannot be resolved: {exc}") from exc
        except (IntegrityError, DatabaseError) as exc:
            raise FixtureError(f"{where} violates a constraint: {exc}") from exc


def fixtures_verify(objects: Iterable, *, using: str = "default", origins: dict | None = None) -> None:
    """Run every model's own validation on loaded objects, plus the cross-row rules:
    references resolve, spans match their documents, entity kinds match their typed table
    and every entity has its typed row, published claims have evidence. Raises
    ValidationError naming the first bad record.

    Rows are reloaded a model at a time and their references fetched in bulk, so verifying
    costs a few queries per model rather than several per row."""
    pks_by_model: dict[type, list] = {}
    objects_by_model: dict[type, list] = {}
    for obj in objects:
        if getattr(type(obj), "instance_type", None) is not None:
            # Edit history (from a backup) records the past as it was: it may name rows
            # since deleted or merged away, so today's rules do not apply to it.
            continue
        pks_by_model.setdefault(type(obj), []).append(obj.pk)
        objects_by_model.setdefault(type(obj), []).append(obj)
    for model, pks in pks_by_model.items():
        pks = list(dict.fromkeys(pks))  # a record loaded twice is verified once
        for start in range(0, len(pks), RELOAD_CHUNK):
            chunk = pks[start : start + RELOAD_CHUNK]
            rows = _reload(model, chunk, using=using)
            for pk in chunk:
                row = rows.get(pk)
                if row is None:
                    raise ValidationError(
                        f"{model._meta.label} pk={pk!r}: the record is incomplete (its parent entity row is missing)."
                    )
                try:
                    _verify_row(row, using=using)
                except ValidationError as exc:
                    origin = (origins or {}).get((model, pk))
                    if origin is None:
                        raise
                    raise ValidationError(f"{origin} ({'; '.join(exc.messages)})") from exc
    _verify_typed_rows(pks_by_model.get(Entity, []), using=using, origins=origins or {})
    _verify_limits(objects_by_model, using=using, origins=origins or {})


def _reference_fields(model) -> list:
    """Concrete foreign keys and one-to-ones, except the parent link that is the primary key
    (a typed entity's parent row is joined into the reload itself)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one) and not field.primary_key
    ]


def _reload(model, pks: list, *, using: str) -> dict:
    """Rows by pk, each reference attached or reported as dangling (database constraints on
    references are only checked at commit, too late to name the record)."""
    rows = model._base_manager.using(using).in_bulk(pks)
    for field in _reference_fields(model):
        ids = {getattr(row, field.attname) for row in rows.values()} - {None}
        target = field.target_field
        manager = field.related_model._base_manager.using(using)
        found = manager.in_bulk(ids) if target.primary_key else manager.in_bulk(ids, field_name=target.name)
        for row in rows.values():
            value = getattr(row, field.attname)
            if value is None:
                continue
            if value not in found:
                raise ValidationError(
                    f"{model._meta.label} pk={row.pk!r}: {field.name} refers to "
                    f"{field.related_model._meta.label} {value!r}, which does not exist."
                )
            setattr(row, field.name, found[value])
    return rows


def _verify_row(obj, *, using: str) -> None:
    references = [field.name for field in _reference_fields(type(obj))]  # checked in bulk by _reload
    try:
        if isinstance(obj, Document) and obj.sha256 != text_sha256(obj.text):
            raise ValidationError({"sha256": "does not match the SHA-256 of the text"})
        if isinstance(obj, (SourceSpan, Mention)):
            text = obj.document.text
            validators.validate_span_matches_text(text=text, start=obj.start, end=obj.end, exact=obj.exact)
            # Prefix and suffix are derived context: store what the text says.
            _, prefix, suffix = validators.span_context(text, obj.start, obj.end)
            if (obj.prefix, obj.suffix) != (prefix, suffix):
                type(obj)._base_manager.using(using).filter(pk=obj.pk).update(prefix=prefix, suffix=suffix)
        if isinstance(obj, Alias) and obj.normalised != normalise_name(obj.name):
            Alias._base_manager.using(using).filter(pk=obj.pk).update(normalised=normalise_name(obj.name))
        if isinstance(obj, Entity):
            # Raw loads skip save(): fill the derived search column here.
            if obj.normalised_name != normalise_name(obj.name):
                Entity._base_manager.using(using).filter(pk=obj.pk).update(normalised_name=normalise_name(obj.name))
            if type(obj) is not Entity and obj.kind != type(obj).KIND:
                raise ValidationError({"kind": f"kind is {obj.kind!r} but the record is a {type(obj).KIND}"})
        obj.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(f"{_describe(obj)}: {'; '.join(_flatten(exc))}") from exc


def _verify_typed_rows(entity_pks: list, *, using: str, origins: dict) -> None:
    """Every entity row loaded needs its typed row (a person needs its factbase.person
    record): multi-table inheritance takes two records per entity."""
    entity_pks = list(dict.fromkeys(entity_pks))
    for start in range(0, len(entity_pks), RELOAD_CHUNK):
        entities = Entity._base_manager.using(using).filter(pk__in=entity_pks[start : start + RELOAD_CHUNK])
        for kind, model in TYPED_ENTITY_MODELS.items():
            wanted = dict(entities.filter(kind=kind).values_list("pk", "slug"))
            if not wanted:
                continue
            present = set(model._base_manager.using(using).filter(pk__in=list(wanted)).values_list("pk", flat=True))
            for pk, slug in wanted.items():
                if pk not in present:
                    origin = origins.get((Entity, pk))
                    raise ValidationError(
                        (f"{origin}: " if origin else "")
                        + f"factbase.Entity {(slug,)!r}: its kind is {kind} but there is no {model._meta.label} "
                        "record for it (a typed entity takes two records: factbase.entity and its typed table)."
                    )


def _verify_limits(objects_by_model: dict, *, using: str, origins: dict) -> None:
    """No object holds more rows than its limit allows (factbase/limits.py): every limit is
    asked, a few owners at a time, about the owners of the loaded rows. The message names the
    first loaded row of an owner beyond its limit."""
    for limit in LIMITS:
        model = apps.get_model(limit.model)
        first: dict = {}  # owner id -> the first loaded row it holds
        for row in objects_by_model.get(model, []):
            first.setdefault(getattr(row, f"{limit.owner_field}_id"), row)
        owners = [pk for pk in first if pk is not None]
        for start in range(0, len(owners), RELOAD_CHUNK):
            for owner_id, held in limit.over(owners[start : start + RELOAD_CHUNK], using=using):
                row = first[owner_id]
                origin = origins.get((model, row.pk))
                raise ValidationError(
                    (f"{origin}: " if origin else "")
                    + f"{_describe(row)}: {limit.refusal(f'its {limit.owner} (#{owner_id})', held)}"
                )


def _flatten(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, errors in exc.message_dict.items() for message in errors]
    return exc.messages
