"""Bulk import: a JSON Lines file of entities, aliases, documents, mentions, claims and spans,
written through the same services and validators as every other write
(`manage.py import FILE`, `POST /api/v1/imports/`; the format is in docs/api.md).

Each line is an object with a `type`. Lines name what they refer to by natural key (an
entity's slug, a document's SHA-256, a claim's uid) or by the `ref` an earlier line of the
same file gave itself (`{"ref": "x1"}`). Every line is an upsert by its natural key: a line
that matches what is stored changes nothing, so importing a file twice writes nothing the
second time.

All lines run in one transaction. With `on_error="abort"` (the default) any refused line
rolls everything back and the report lists every refused line; with `"continue"` the good
lines are kept (each line is its own savepoint) and a line that depends on a refused one is
refused too. `dry_run` runs everything and rolls it back: the same checks, nothing written.

Entities, documents and spans, aliases and mentions that already exist, and claims that
already exist, go through their services one line at a time (their check constraints validated in Python by
`full_clean`, factbase/models/base.py `ChecksInPython`, not asked of the database). New claims, the bulk of any large file, take the bulk
path: each is checked as `claim_create` checks it (`clean_fields` of the values its line
gives, the other fields being resolved rows, defaults or derived, and `clean`, which call
factbase/validators.py, `clean_evidence`, the span limits, and each span anchored by
`span_from_spec`, so a bad span is refused with the API's message); a batch is then
written as rows (`bulk.insert_rows`: COPY on PostgreSQL, executemany on SQLite), with
`subject_kind` derived by `clean` as on every save, and each claim in its fact: grouped
before the insert, as `claim_create` groups, with the result a regrouping of the saved
claims would give (`facts.UnsavedGrouping`), so each row is written once; the facts they
joined then have their sources counted and contradictions found. What the insert triggers
write for each claim and span (the claim text, the claim dates, on SQLite the change feed) is
written once per batch for its new claims (factbase/indexes/new_claims.py) rather than by a
trigger run per claim and per span. What the bulk path does not do: ask the
database's uniqueness and check constraints one row at a time (uids are looked up per
batch, and every check constraint repeats a rule `clean_fields`/`clean` has already
applied; the database still enforces them all), and write edit history rows for the new
claims and spans (as the synthetic loader; their creation is in the change feed).

A new claim is checked without `Claim(...)` (`_unsaved`: the instance `Claim(**values)`
makes, built from the batch's defaults), and its given fields by `_FieldCheck`, which runs
each field's own `clean` as `clean_fields` does and remembers the values that passed (never
a refusal). New aliases and new mentions take a bulk path too: each checked as `alias_add`
and `mention_create` check it (the owner's limit, the pending rows counted; `clean_fields`
of its own fields; `clean`; its uniqueness by the lookup the importer makes anyway, among
the stored and the pending rows), then written together as rows when a line of another type
comes (aliases wait through entity lines, which never read them) or the file ends. If the
database refuses such a batch, each of its lines goes through its service instead, and is
refused alone.
"""

from __future__ import annotations

import datetime
import gc
import json
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, DataError, IntegrityError, connections, models, router, transaction
from django.db.models import ProtectedError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from factbase.enums import ClaimStatus, Rank
from factbase.indexes import bulk
from factbase.indexes.new_claims import new_claims
from factbase.limits import ALIASES_PER_ENTITY, MENTIONS_PER_DOCUMENT, SPANS_PER_CLAIM, SPANS_PER_DOCUMENT
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
    Predicate,
    SourceSpan,
    normalise_name,
    text_sha256,
)
from factbase.partial_dates import PartialDate, PartialDateError
from factbase.permissions import allows, refusal
from factbase.services import claims as claim_services
from factbase.services import entities as entity_services
from factbase.services.documents import document_create, document_update
from factbase.services.facts import UnsavedGrouping, claim_rank
from factbase.services.mentions import mention_create
from factbase.services.queues import documents_settle
from factbase.services.spans import anchor_from_input

LINE_TYPES = ("entity", "alias", "document", "mention", "claim", "span")
MODES = ("abort", "continue")
CLAIM_BATCH = 2000  # new claims checked, then written, together
GC_THRESHOLD = 100_000  # allocations between collections of the youngest generation (Python's default: 700)
# Tables whose statistics PostgreSQL is given again as new claims double (see _insert).
ANALYZED = (
    "factbase_claim",
    "factbase_sourcespan",
    "factbase_claim_dates_undated",
    "factbase_claim_text",
    "factbase_fact",
)
PROGRESS_EVERY = 1000  # lines between two progress calls
NON_FIELD = "non_field_errors"
UID_NAMESPACE = uuid.UUID("1f0c7e52-61b4-4d0e-9a43-5c1e3b0f8a27")  # uids of claims a line gives none

ENTITY_MODELS = {model.KIND: model for model in (Person, Country, Organisation, Event)}
ENTITY_COMMON = ("slug", "name", "description", "wikidata_qid", "identifiers", "created", "updated")
# Line keys per kind, beside the common ones: the names the API's representation uses, but
# for an organisation's and an event's `type` (`org_type`, `event_type`: a line's `type` is
# its own).
ENTITY_KIND_KEYS = {
    "person": ("given_name", "family_name", "nationality", "roles"),
    "country": ("iso_alpha2", "iso_alpha3", "official_name", "is_historical"),
    "organisation": ("org_type", "country", "parent"),
    "event": ("event_type", "status", "date", "location", "parent", "participants"),
}
CLAIM_KEYS = (
    "uid",
    "subject",
    "predicate",
    "object",
    "value",
    "value_number",
    "event",
    "date",
    "attributed_to",
    "attribution",
    "modality",
    "polarity",
    "status",
    "confidence",
    "notes",
    "rank",
    "reviewed_at",
    "created",
    "updated",
    "spans",
)
# Claim fields a line sets directly; grouping compares some of them (facts.STATEMENT_FIELDS).
CLAIM_PLAIN = ("value", "attribution", "modality", "polarity", "confidence", "notes")
CLAIM_REFERENCES = ("subject", "predicate", "object", "event", "attributed_to")
DATE_FIELDS = ("date_lower", "date_upper", "date_precision", "date_text")
# What the bulk path's clean_fields checks of a new claim: the values a line gives. The other
# fields are the rows its references resolved to (read, not asked again), model defaults, or
# what `clean` derives (the value key, the subject's kind). The status is checked after
# `clean`, which sees the claim as a draft, as claim_create does.
CLAIM_GIVEN = ("uid", "rank", *CLAIM_PLAIN, "value_number", *DATE_FIELDS)


class _FieldCheck:
    """`clean_fields()` of some of a model's fields, as Django runs it (each field's
    `clean`: `to_python`, choices, blank, its validators; errors by field in the model's
    field order), remembering each value that passed with what `clean` made of it. A
    field's `clean` depends on the value alone (these are no relations), and a large file
    repeats few values: a status, a modality, the same dates."""

    REMEMBERED = 50_000  # values kept, at most, per check (for the life of the process)
    LONGEST = 200  # longer texts (notes, quotes) are checked every time, never kept

    def __init__(self, model, names: Iterable[str]):
        names = set(names)
        self.fields = [f for f in model._meta.fields if f.name in names]
        self.passed: dict = {}

    def __call__(self, obj) -> None:
        errors = {}
        values = obj.__dict__
        for f in self.fields:
            raw = values[f.attname]
            if f.blank and raw in f.empty_values:
                continue
            key = (f.attname, type(raw), raw)
            cleaned = self.passed.get(key, _UNSEEN)
            if cleaned is _UNSEEN:
                try:
                    cleaned = f.clean(raw, obj)
                except ValidationError as e:
                    errors[f.name] = e.error_list
                    continue
                if len(self.passed) < self.REMEMBERED and not (isinstance(raw, str) and len(raw) > self.LONGEST):
                    self.passed[key] = cleaned
            values[f.attname] = cleaned
        if errors:
            raise ValidationError(errors)


_UNSEEN = object()
CLAIM_GIVEN_CHECK = _FieldCheck(Claim, CLAIM_GIVEN)
CLAIM_STATUS_CHECK = _FieldCheck(Claim, ["status"])
# A span's own fields (span_add's full_clean checks the claim and document too: here they are
# the claim being checked and a document already read).
SPAN_CHECK = _FieldCheck(SourceSpan, [f.name for f in SourceSpan._meta.fields if f.name not in ("claim", "document")])
ALIAS_CHECK = _FieldCheck(Alias, [f.name for f in Alias._meta.fields if f.name != "entity"])
MENTION_CHECK = _FieldCheck(
    Mention, [f.name for f in Mention._meta.fields if f.name not in ("document", "entity", "created_by")]
)


class _PendingRows:
    """New rows of one model (mentions, aliases), checked and waiting to be written together:
    each by its natural key, with the line that gives it, and how many rows each owner
    (a document, an entity) holds with them, for its limit."""

    def __init__(self, model, limit, field: str):
        self.model, self.limit, self.field = model, limit, field
        self.rows: dict[tuple, models.Model] = {}
        self.lines: list[tuple[_Line, tuple]] = []
        self.held: dict[int, int] = {}  # owner id -> rows, stored and pending

    def check_limit(self, owner) -> None:
        """Refuse as the service's `check_adding` refuses, the pending rows counted."""
        held = self.held.get(owner.pk)
        if held is None:
            held = self.limit.count(owner)
        self.limit.check(owner, total=held + 1, field=self.field)
        self.held[owner.pk] = held + 1

    def add(self, line: _Line, key: tuple, row) -> None:
        self.rows[key] = row
        self.lines.append((line, key))

    def take(self) -> list[tuple[_Line, models.Model]]:
        taken = [(line, self.rows[key]) for line, key in self.lines]
        self.rows, self.lines, self.held = {}, [], {}
        return taken


def _defaults(model, now) -> dict:
    """Every column of a new `model` row as `model()` sets it, the timestamps `now`."""
    values = {}
    for f in model._meta.concrete_fields:
        values[f.attname] = now if f.name in ("created", "updated") else f.get_default()
    return values


def _unsaved(model, defaults: dict, values: dict):
    """An unsaved instance, as `model(**values)` makes it, without `Model.__init__` (a
    fifth of a claim's check: its descriptors and signals for 30 fields). `defaults` is
    `_defaults(model, now)`; a related row in `values` is set with its id and cached, as
    the descriptor sets it."""
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(defaults)
    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.is_relation:
            state[f.attname] = None if value is None else value.pk
            obj._state.fields_cache[name] = value
        else:
            state[f.attname] = value
    return obj


@dataclass
class LineError:
    line: int
    type: str | None
    errors: dict[str, list[str]]

    def as_dict(self) -> dict:
        return {"line": self.line, "type": self.type, "errors": self.errors}


@dataclass
class ImportReport:
    """What an import did (or, dry or refused, would have done): per line type how many rows
    were created, updated or left unchanged, and every refused line with its field errors."""

    dry_run: bool
    on_error: str
    lines: int = 0
    written: bool = False
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {t: {"created": 0, "updated": 0, "unchanged": 0} for t in LINE_TYPES}
    )
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "on_error": self.on_error,
            "written": self.written,
            "lines": self.lines,
            "counts": self.counts,
            "errors": [error.as_dict() for error in self.errors],
        }


class _Refused(Exception):
    """A line is refused: `errors` by field, as the API words them."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _errors_of(exc: Exception) -> dict[str, list[str]]:
    """A service's or a model's ValidationError (or a refusal) as {field: [messages]}."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return {
                (NON_FIELD if name == "__all__" else name): list(messages)
                for name, messages in exc.message_dict.items()
            }
        return {NON_FIELD: list(exc.messages)}
    if isinstance(exc, ProtectedError):
        return {NON_FIELD: ["Other records still refer to this one."]}
    if isinstance(exc, (IntegrityError, DataError)):
        return {NON_FIELD: ["This line conflicts with existing data (a duplicate or a missing reference)."]}
    return {NON_FIELD: [str(exc)]}


_PENDING = object()  # a claim's ref, until its batch is written


class _Line:
    """One parsed line: its values, read with shape checks that collect field errors."""

    def __init__(self, number: int, data: dict, type_: str):
        self.number, self.data, self.type = number, data, type_
        self.errors: dict[str, list[str]] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def refuse_if_errors(self) -> None:
        if self.errors:
            raise _Refused(self.errors)

    def has(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "This field is required.")
            return default
        if not isinstance(value, str):
            self.error(name, "Give text.")
            return default
        if "\x00" in value:
            self.error(name, "Null characters are not allowed.")
            return default
        if required and not value.strip():
            self.error(name, "This field may not be blank.")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.error(name, "Give true or false.")
            return default
        return value

    def datetime(self, name: str):
        value = self.data.get(name)
        if value is None:
            return None
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed, but no such time (month 13)
            parsed = None
        if parsed is None:
            self.error(name, "Give a date and time in ISO 8601: 2021-07-06T10:00:00Z.")
            return None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)

    def date_fields(self, name: str, value=...) -> dict | None:
        """A partial date as its four model fields: `"2021-07"` (as the API's writes take it)
        or `{lower, upper, precision, text}` (as its representations show it); None: none."""
        value = self.data.get(name) if value is ... else value
        if value is None:
            return dict.fromkeys(DATE_FIELDS[:2]) | {"date_precision": "", "date_text": ""}
        try:
            if isinstance(value, str):
                date = PartialDate.parse(value)
                return dict(zip(DATE_FIELDS, (date.lower, date.upper, date.precision, date.text), strict=True))
            if isinstance(value, dict) and set(value) <= {"lower", "upper", "precision", "text"}:
                text = value.get("text") or ""
                if not isinstance(text, str):
                    raise PartialDateError("The date's text must be text.")
                if value.get("lower") is None and value.get("upper") is None:
                    return {"date_lower": None, "date_upper": None, "date_precision": "", "date_text": text}
                lower, upper = (_iso_day(value.get(end)) for end in ("lower", "upper"))
                date = PartialDate.from_bounds(lower, upper, value.get("precision") or "day", text)
                return dict(zip(DATE_FIELDS, (date.lower, date.upper, date.precision, date.text), strict=True))
        except PartialDateError as exc:
            self.error(name, str(exc))
            return None
        self.error(name, 'Give a date as text ("2021-07") or as {"lower", "upper", "precision", "text"}.')
        return None

    def unknown_keys(self, allowed: Iterable[str]) -> None:
        allowed = {"type", "ref", *allowed}
        for name in self.data:
            if name not in allowed:
                self.error(name, f"A {self.type} line takes no field {name!r}.")


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _claim_by_uid(uid: uuid.UUID):
    return Claim.objects.filter(uid=uid).first()


def _iso_day(value) -> datetime.date:
    if not isinstance(value, str):
        raise PartialDateError("Give both bounds of the date as YYYY-MM-DD.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise PartialDateError(f"{value[:40]!r} is not a day (YYYY-MM-DD).") from exc


@dataclass
class _ClaimPlan:
    line: _Line
    uid: uuid.UUID
    fields: dict
    status: str
    rank: str
    reviewed_at: object
    created: object
    updated: object
    specs: list
    ref: str | None


def _parse(raw) -> tuple[dict | None, dict | None]:
    """(the line's object, None) or (None, its errors). Read by orjson, which refuses what
    no database stores (lone surrogates) and nesting past 1,024 levels."""
    try:
        if isinstance(raw, dict):
            orjson.dumps(raw)  # an object from a JSON body: refused as a line would be
            data = raw
        elif isinstance(raw, (str, bytes)):
            data = orjson.loads(raw)
        else:
            data = raw
    except (orjson.JSONDecodeError, orjson.JSONEncodeError) as exc:
        return None, {NON_FIELD: [f"The line is not valid JSON (UTF-8): {exc}."]}
    if not isinstance(data, dict):
        return None, {NON_FIELD: ["A line must be a JSON object with a type."]}
    kind = data.get("type")
    if kind not in LINE_TYPES:
        what = "A line needs a type" if kind is None else f"Unknown type {str(kind)[:40]!r}"
        return None, {"type": [f"{what}: one of {', '.join(LINE_TYPES)}."]}
    return data, None


class _Importer:
    def __init__(self, *, by, report: ImportReport, keep_going: bool):
        self.by, self.report, self.keep_going = by, report, keep_going
        self.refs: dict[str, tuple[str, int, object]] = {}  # ref -> (type, line, row or None if refused)
        self.refused: dict[tuple[str, str], int] = {}  # (type, natural key) -> the refused line
        self.entities: dict[str, Entity] = {}  # slug -> typed entity
        self.documents: dict[str, Document] = {}  # sha256 -> document
        self.created_documents: list[int] = []  # the documents this file created (for the queue)
        self.predicates: dict[str, Predicate] = {}
        self.claim_lines: dict[str, int] = {}  # uid -> line
        self.document_spans: dict[int, int] = {}  # document id -> spans it holds
        self.pending: list[_ClaimPlan] = []
        # New mentions and aliases, checked and waiting to be written together (_rows_flush).
        self.new_mentions = _PendingRows(Mention, MENTIONS_PER_DOCUMENT, "document")
        self.new_aliases = _PendingRows(Alias, ALIASES_PER_ENTITY, "aliases")
        now = timezone.now()
        self.mention_defaults, self.alias_defaults = _defaults(Mention, now), _defaults(Alias, now)
        self.is_reviewer = claim_services.is_reviewer(by)
        self.written_claims, self.analyzed_at = 0, CLAIM_BATCH // 2
        self.grouping = UnsavedGrouping()

    # ------------------------------------------------------------------ driving

    def run(self, lines: list, progress: Callable[[int, int], None] | None) -> None:
        total = len(lines)
        for index, raw in enumerate(lines):
            number = index + 1
            if isinstance(raw, (str, bytes)) and not raw.strip():
                continue
            self.report.lines += 1
            data, errors = _parse(raw)
            if errors is not None:
                self._refuse(number, None, errors, data=None)
            else:
                line = _Line(number, data, data["type"])
                if line.type != "claim":
                    self._flush()
                if line.type != "mention":
                    self._rows_flush(self.new_mentions, self._mention_write)
                if line.type not in ("alias", "entity"):  # an entity line does not read aliases
                    self._rows_flush(self.new_aliases, self._alias_write)
                try:
                    self._ref_free(line)
                    getattr(self, f"_{line.type}")(line)
                except _Refused as exc:
                    self._refuse(number, line.type, exc.errors, data=data)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, total)
        self._flush()
        self._rows_flush(self.new_mentions, self._mention_write)
        self._rows_flush(self.new_aliases, self._alias_write)
        if not self._aborting():
            self.grouping.refresh_pending()
        if progress is not None:
            progress(total, total)

    def _aborting(self) -> bool:
        return bool(self.report.errors) and not self.keep_going

    def _refuse(self, number: int, type_: str | None, errors: dict, *, data: dict | None) -> None:
        self.report.errors.append(LineError(number, type_, errors))
        if data is None:
            return
        ref = data.get("ref")
        if isinstance(ref, str) and ref not in self.refs:
            self.refs[ref] = (type_, number, None)
        key = self._natural_key(type_, data)
        if key is not None:
            self.refused.setdefault((type_, key), number)

    @staticmethod
    def _natural_key(type_: str, data: dict) -> str | None:
        if type_ == "entity" and isinstance(data.get("slug"), str):
            return data["slug"]
        if type_ == "document" and isinstance(data.get("text"), str):
            return text_sha256(data["text"])
        if type_ == "document" and isinstance(data.get("sha256"), str):
            return data["sha256"]
        if type_ == "claim" and isinstance(data.get("uid"), str):
            return data["uid"].lower()
        return None

    def _ref_free(self, line: _Line) -> None:
        if not line.has("ref"):
            return
        ref = line.data["ref"]
        if not isinstance(ref, str) or not ref or len(ref) > 200:
            raise _Refused({"ref": ["Give a ref as text of at most 200 characters."]})
        if ref in self.refs:
            raise _Refused({"ref": [f"Line {self.refs[ref][1]} already has the ref {ref!r}."]})

    def _register(self, line: _Line, row) -> None:
        ref = line.data.get("ref")
        if isinstance(ref, str):
            self.refs[ref] = (line.type, line.number, row)

    def _count(self, type_: str, outcome: str) -> None:
        self.report.counts[type_][outcome] += 1

    def _check_allowed(self, action: str, target) -> None:
        if not allows(self.by, action, target):
            raise _Refused({NON_FIELD: [refusal(action, target)]})

    @staticmethod
    def _savepoint():
        return transaction.atomic()

    def _write(self, line: _Line, work: Callable[[], str], evict: Callable[[], None] = lambda: None) -> str:
        """Run one line's writes in a savepoint; a service's refusal refuses the line."""
        self.grouping.forget()  # the services group the claims they write
        try:
            with self._savepoint():
                return work()
        except (ValidationError, PermissionDenied, ProtectedError, IntegrityError, DataError) as exc:
            evict()
            raise _Refused(_errors_of(exc)) from exc

    # ------------------------------------------------------------------ references

    def _by_ref(self, line: _Line, name: str, ref, expected: str):
        if not isinstance(ref, str) or ref not in self.refs:
            line.error(name, f"No earlier line has the ref {str(ref)[:80]!r}.")
            return None
        type_, number, row = self.refs[ref]
        if type_ != expected:
            line.error(name, f"The ref {ref!r} is a {type_} (line {number}), not a {expected}.")
            return None
        if row is None:
            line.error(name, f"Line {number}, which has the ref {ref!r}, was refused.")
            return None
        return row

    def _reference(
        self, line: _Line, name: str, value, *, type_: str, key: str, what: str, find, parse=None, cut=None, required
    ):
        """The row a line names, by the `ref` of an earlier line (`{"ref": …}`) or by natural
        key (`key`'s value, alone or as `{key: …}`: `parse` reads it, text by default); None,
        with the line's error, when there is none. `what` names the key in messages ("slug");
        a key shown back is cut to `cut` characters (None: shown as it is, unquoted)."""
        if value is None:
            if required:
                line.error(name, "This field is required.")
            return None
        if isinstance(value, dict) and set(value) == {"ref"}:
            row = self._by_ref(line, name, value["ref"], type_)
            return None if row is _PENDING else row
        natural = value.get(key) if isinstance(value, dict) and set(value) == {key} else value
        natural = parse(natural) if parse is not None else (natural if isinstance(natural, str) else None)
        if natural is None:
            article = "an" if type_[0] in "aeiou" else "a"
            line.error(name, f'Give {article} {type_}\'s {what}, or {{"ref": …}} naming an earlier line.')
            return None
        row = find(natural)
        if row is None:
            refused = self.refused.get((type_, str(natural)))
            shown, shown_cut = (natural, natural) if cut is None else (repr(natural), repr(natural[:cut]))
            line.error(
                name,
                f"Line {refused}, which gives the {type_} {shown}, was refused."
                if refused
                else f"No {type_} has the {what} {shown_cut}.",
            )
        return row

    def entity(self, line: _Line, name: str, value=..., *, kind: str | None = None, required: bool = False):
        value = line.data.get(name) if value is ... else value
        entity = self._reference(
            line,
            name,
            value,
            type_="entity",
            key="slug",
            what="slug",
            find=self._entity_by_slug,
            cut=120,
            required=required,
        )
        if entity is not None and kind is not None and entity.kind != kind:
            line.error(name, f"{entity.slug!r} is a {entity.kind}, not a {kind}.")
            return None
        return entity

    def _entity_by_slug(self, slug: str):
        entity = self.entities.get(slug)
        if entity is None:
            row = Entity.objects.filter(slug=slug).first()
            if row is not None:
                entity = self.entities[slug] = row.typed
        return entity

    def document(self, line: _Line, name: str, value=..., *, required: bool = True):
        value = line.data.get(name) if value is ... else value
        return self._reference(
            line,
            name,
            value,
            type_="document",
            key="sha256",
            what="SHA-256",
            find=self._document_by_sha,
            cut=80,
            required=required,
        )

    def _document_by_sha(self, sha: str):
        document = self.documents.get(sha)
        if document is None:
            document = Document.objects.filter(sha256=sha).first()
            if document is not None:
                self.documents[sha] = document
        return document

    def predicate(self, line: _Line, name: str):
        value = line.data.get(name)
        slug = value.get("slug") if isinstance(value, dict) else value
        if not isinstance(slug, str):
            line.error(name, "This field is required." if value is None else "Give the predicate's slug as text.")
            return None
        if slug not in self.predicates:
            found = Predicate.objects.filter(slug=slug).first()
            if found is None:
                line.error(name, f"No predicate has the slug {slug[:80]!r}; the vocabulary is at /api/v1/predicates/.")
                return None
            self.predicates[slug] = found
        return self.predicates[slug]

    def claim(self, line: _Line, name: str):
        return self._reference(
            line,
            name,
            line.data.get(name),
            type_="claim",
            key="uid",
            what="uid",
            find=_claim_by_uid,
            parse=_uuid,
            required=True,
        )

    def anchor_spec(self, line: _Line, spec, *, name: str, label: str = "") -> dict | None:
        """A span or mention position as the services take it: {document, start, end} or
        {document, exact, prefix?, suffix?}; `label` prefixes messages ("Span 2: ")."""
        if not isinstance(spec, dict):
            line.error(name, f"{label}Give {{document, start, end}} or {{document, exact, prefix?}}.")
            return None
        unknown = set(spec) - {"document", "start", "end", "exact", "prefix", "suffix"}
        if unknown:
            line.error(name, f"{label}Unknown field(s) {', '.join(sorted(unknown))}.")
            return None
        errors_before = len(line.errors.get(name, []))
        document = self.document(line, name, spec.get("document"))
        if document is None:
            if label and len(line.errors.get(name, [])) > errors_before:
                line.errors[name][-1] = f"{label}{line.errors[name][-1]}"
            return None
        for text in ("exact", "prefix", "suffix"):
            if spec.get(text) is not None and not isinstance(spec[text], str):
                line.error(name, f"{label}{text} must be text.")
                return None
        result = {"document": document}
        for key in ("start", "end", "exact", "prefix", "suffix"):
            if spec.get(key) is not None:
                result[key] = spec[key]
        if "start" not in result and "end" not in result and "exact" not in result:
            line.error(name, f"{label}Give start and end, or the exact quote.")
            return None
        return result

    # ------------------------------------------------------------------ entities

    def _entity(self, line: _Line) -> None:
        kind = line.data.get("kind")
        model = ENTITY_MODELS.get(kind) if isinstance(kind, str) else None
        if model is None:
            raise _Refused({"kind": [f"Give the entity's kind: one of {', '.join(ENTITY_MODELS)}."]})
        line.unknown_keys(("kind", *ENTITY_COMMON, *ENTITY_KIND_KEYS[kind]))
        slug = line.text("slug", required=True)
        fields = {
            "slug": slug,
            "name": line.text("name", required=True),
            "description": line.text("description"),
            "wikidata_qid": line.text("wikidata_qid"),
        }
        nested: dict = {}
        if kind == "person":
            fields |= {"given_name": line.text("given_name"), "family_name": line.text("family_name")}
            fields["nationality"] = self.entity(line, "nationality", kind="country")
            if line.has("roles"):
                nested["roles"] = self._roles(line)
        elif kind == "country":
            fields |= {
                "iso_alpha2": line.text("iso_alpha2"),
                "iso_alpha3": line.text("iso_alpha3"),
                "official_name": line.text("official_name"),
                "is_historical": line.boolean("is_historical"),
            }
        elif kind == "organisation":
            fields |= {"org_type": line.text("org_type", default=model._meta.get_field("org_type").get_default())}
            fields["country"] = self.entity(line, "country", kind="country")
            fields["parent"] = self.entity(line, "parent", kind="organisation")
        else:
            fields |= {
                "event_type": line.text("event_type", default=model._meta.get_field("event_type").get_default()),
                "status": line.text("status", default=model._meta.get_field("status").get_default()),
            }
            location = line.data.get("location") or {}
            if not isinstance(location, dict) or set(location) - {"country", "text"}:
                line.error("location", "Give the location as {country, text}.")
                location = {}
            fields["location_country"] = self.entity(line, "location", location.get("country"), kind="country")
            text = location.get("text")
            if text is not None and not isinstance(text, str):
                line.error("location", "The location's text must be text.")
            fields["location_text"] = text if isinstance(text, str) else ""
            fields["parent"] = self.entity(line, "parent", kind="event")
            fields |= line.date_fields("date") or {}
            if line.has("participants"):
                nested["participants"] = self._participants(line)
        if line.has("identifiers"):
            nested["identifiers"] = self._identifiers(line)
        created, updated = line.datetime("created"), line.datetime("updated")
        line.refuse_if_errors()

        existing = self._entity_by_slug(slug)
        if existing is not None and existing.kind != kind:
            raise _Refused({"kind": [f"The entity {slug!r} is a {existing.kind}, not a {kind}."]})

        def work() -> str:
            if existing is None:
                self._check_allowed("add", model)
                entity = entity_services.entity_create(model=model, by=self.by, **fields)
                self._set_nested(entity, nested, created=True)
                outcome = "created"
            else:
                entity = existing
                changed = {name: value for name, value in fields.items() if not _same(entity, name, value)}
                nested_changed = {
                    name: items for name, items in nested.items() if _nested_key(entity, name) != _spec_key(name, items)
                }
                if not changed and not nested_changed:
                    self._register(line, entity)
                    return "unchanged"
                self._check_allowed("change", entity)
                entity_services.entity_update(entity=entity, by=self.by, **changed)
                self._set_nested(entity, nested_changed, created=False)
                outcome = "updated"
            _stamp(Entity, entity, created=created, updated=updated)
            self.entities[entity.slug] = entity
            self._register(line, entity)
            return outcome

        self._count("entity", self._write(line, work, evict=lambda: self.entities.pop(slug, None)))

    def _set_nested(self, entity, nested: dict, *, created: bool) -> None:
        if "roles" in nested and (nested["roles"] or not created):
            entity_services.person_roles_set(person=entity, roles=nested["roles"], by=self.by)
        if "participants" in nested and (nested["participants"] or not created):
            entity_services.event_participants_set(event=entity, participants=nested["participants"])
        if "identifiers" in nested and (nested["identifiers"] or not created):
            entity_services.entity_identifiers_set(entity=entity, identifiers=nested["identifiers"], by=self.by)

    def _items(self, line: _Line, name: str) -> list:
        items = line.data.get(name)
        if items is None:
            return []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            line.error(name, "Give a list of objects.")
            return []
        return items

    def _roles(self, line: _Line) -> list[dict]:
        roles = []
        for index, item in enumerate(self._items(line, "roles")):
            label = f"Role {index + 1}: "
            if set(item) - {"title", "organisation", "date"} or not isinstance(item.get("title"), str):
                line.error("roles", f"{label}Give {{title, organisation?, date?}}.")
                continue
            role = {"title": item["title"], "organisation": self.entity(line, "roles", item.get("organisation"))}
            if role["organisation"] is not None and role["organisation"].kind != "organisation":
                line.error("roles", f"{label}{role['organisation'].slug!r} is not an organisation.")
            dates = line.date_fields("roles", item.get("date"))
            role["date"] = PartialDate(*(dates[f] for f in DATE_FIELDS)) if dates and dates["date_lower"] else None
            roles.append(role)
        return roles

    def _participants(self, line: _Line) -> list[dict]:
        participants = []
        for index, item in enumerate(self._items(line, "participants")):
            if set(item) - {"entity", "role", "note"}:
                line.error("participants", f"Participant {index + 1}: give {{entity, role?, note?}}.")
                continue
            participants.append(
                {
                    "entity": self.entity(line, "participants", item.get("entity"), required=True),
                    "role": item.get("role") or "attendee",
                    "note": item.get("note") or "",
                }
            )
        return participants

    def _identifiers(self, line: _Line) -> list[dict]:
        identifiers = []
        for index, item in enumerate(self._items(line, "identifiers")):
            if set(item) != {"scheme", "value"} or not all(isinstance(v, str) for v in item.values()):
                line.error("identifiers", f"Identifier {index + 1}: give {{scheme, value}} as text.")
                continue
            identifiers.append(dict(item))
        return identifiers

    # ------------------------------------------------------------------ aliases

    def _alias(self, line: _Line) -> None:
        line.unknown_keys(("entity", "name", "language", "kind"))
        entity = self.entity(line, "entity", required=True)
        name = line.text("name", required=True)
        language = line.text("language", default="en")
        kind = line.text("kind", default="common")
        line.refuse_if_errors()

        key = (entity.pk, name, language)
        alias = self.new_aliases.rows.get(key)
        if alias is not None and alias.kind != kind:  # changed by a later line: written first
            self._rows_flush(self.new_aliases, self._alias_write)
            alias = None
        if alias is None:
            alias = Alias.objects.filter(entity=entity, name=name, language=language).first()
        if alias is not None and alias.kind == kind:
            self._register(line, alias)
            self._count("alias", "unchanged")
            return
        if alias is None:
            self._check_allowed("add", "factbase.alias")
            added = self._alias_checked(entity, name, language, kind)
            self.new_aliases.add(line, key, added)
            self._register(line, added)
            return

        def work() -> str:
            self._check_allowed("change", "factbase.alias")
            entity_services.alias_update(alias=alias, kind=kind, by=self.by)
            return "updated"

        self._count("alias", self._write(line, work))

    def _alias_checked(self, entity: Entity, name: str, language: str, kind: str) -> Alias:
        """A new alias, checked as alias_add checks it: the entity's limit (with the aliases
        this file adds to it), `clean_fields` of its own fields (the entity is a row in hand)
        and `clean`; its uniqueness is the lookup above, among the stored and pending ones.
        Its search column is derived as `Alias.save` derives it."""
        try:
            self.new_aliases.check_limit(entity)
            alias = _unsaved(
                Alias, self.alias_defaults, {"entity": entity, "name": name, "language": language, "kind": kind}
            )
            ALIAS_CHECK(alias)
            alias.clean()
        except ValidationError as exc:
            raise _Refused(_errors_of(exc)) from exc
        alias.normalised = normalise_name(alias.name)
        return alias

    def _alias_write(self, line: _Line, row: Alias) -> None:
        def work() -> str:
            added = entity_services.alias_add(entity=row.entity, name=row.name, language=row.language, kind=row.kind)
            self._register(line, added)
            return "created"

        self._count("alias", self._write(line, work))

    # ------------------------------------------------------------------ documents

    def _document(self, line: _Line) -> None:
        line.unknown_keys(
            (
                "title",
                "text",
                "sha256",
                "published",
                "publisher",
                "language",
                "url",
                "revision_of",
                "created",
                "updated",
            )
        )
        text = line.text("text", required=True)
        sha = text_sha256(text) if text else None
        if line.has("sha256") and sha is not None and line.data["sha256"] != sha:
            line.error("sha256", "It is not the SHA-256 of the text (UTF-8): leave it out, or send the text as it is.")
        fields = {
            "title": line.text("title", required=True),
            "language": line.text("language", default="en"),
            "url": line.text("url"),
            "publisher": self.entity(line, "publisher", kind="organisation"),
            "revision_of": self.document(line, "revision_of", required=False),
            **(line.date_fields("published") or {}),
        }
        created, updated = line.datetime("created"), line.datetime("updated")
        line.refuse_if_errors()
        existing = self._document_by_sha(sha)

        def work() -> str:
            if existing is None:
                self._check_allowed("add", Document)
                document = document_create(text=text, by=self.by, **fields)
                self.created_documents.append(document.pk)
                outcome = "created"
            else:
                document = existing
                changed = {name: value for name, value in fields.items() if not _same(document, name, value)}
                if not changed:
                    self._register(line, document)
                    return "unchanged"
                self._check_allowed("change", Document)
                document_update(document=document, by=self.by, **changed)
                outcome = "updated"
            _stamp(Document, document, created=created, updated=updated)
            self.documents[document.sha256] = document
            self._register(line, document)
            return outcome

        self._count("document", self._write(line, work, evict=lambda: self.documents.pop(sha, None)))

    # ------------------------------------------------------------------ mentions and spans

    def _anchor(self, spec: dict, *, label: str = ""):
        """Offsets from the spec, with the services' messages: under `spans`, each prefixed
        with its `label` ("Span 2: "), as claim writes word them; else by their own field."""
        try:
            return anchor_from_input(text=spec["document"].text, spec=spec)
        except ValidationError as exc:
            if label:
                raise _Refused({"spans": [f"{label}{m}" for m in exc.messages]}) from exc
            raise _Refused(_errors_of(exc)) from exc

    def _mention(self, line: _Line) -> None:
        line.unknown_keys(("document", "entity", "start", "end", "exact", "prefix", "suffix"))
        spec = self.anchor_spec(
            line, {k: v for k, v in line.data.items() if k not in ("type", "ref", "entity")}, name="document"
        )
        entity = self.entity(line, "entity", required=True)
        line.refuse_if_errors()
        anchor = self._anchor(spec)
        document = spec["document"]

        key = (document.pk, entity.pk, anchor.start, anchor.end)
        found = self.new_mentions.rows.get(key)
        if found is None:
            found = Mention.objects.filter(document=document, entity=entity, start=anchor.start, end=anchor.end).first()
        if found is not None:
            self._register(line, found)
            self._count("mention", "unchanged")
            return
        self._check_allowed("add", Mention)
        mention = self._mention_checked(document, entity, anchor)
        self.new_mentions.add(line, key, mention)
        self._register(line, mention)

    def _mention_checked(self, document: Document, entity: Entity, anchor) -> Mention:
        """A new mention, checked as mention_create checks it: the document's limit (with the
        mentions this file adds to it), `clean_fields` of its own fields (the document and
        the entity are rows in hand), and `clean` (the anchor against the text). Its
        uniqueness is the lookup above, among the stored and the pending mentions."""
        try:
            self.new_mentions.check_limit(document)
            mention = _unsaved(
                Mention,
                self.mention_defaults,
                {
                    "document": document,
                    "entity": entity,
                    "start": anchor.start,
                    "end": anchor.end,
                    "exact": anchor.exact,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                    "created_by": self.by if getattr(self.by, "is_authenticated", False) else None,
                },
            )
            MENTION_CHECK(mention)
            mention.clean()
        except ValidationError as exc:
            raise _Refused(_errors_of(exc)) from exc
        return mention

    def _rows_flush(self, pending: _PendingRows, write_line: Callable) -> None:
        """Write the pending new rows in one statement (the change feed logs each from its
        trigger). Should the database refuse them, each line goes through its service
        instead (`write_line`), in a savepoint of its own, and is refused alone."""
        if not pending.lines:
            return
        taken = pending.take()
        connection = connections[router.db_for_write(pending.model)]
        try:
            with self._savepoint():
                table = pending.model._meta.db_table
                bulk.insert_rows(connection, table, *_rows(pending.model, [row for _, row in taken], connection))
        except (IntegrityError, DatabaseError):
            for line, row in taken:
                ref = line.data.get("ref")
                if isinstance(ref, str):
                    self.refs.pop(ref, None)
                try:
                    write_line(line, row)
                except _Refused as exc:
                    self._refuse(line.number, line.type, exc.errors, data=line.data)
            return
        self.report.counts[taken[0][0].type]["created"] += len(taken)

    def _mention_write(self, line: _Line, row: Mention) -> None:
        def work() -> str:
            mention = mention_create(document=row.document, entity=row.entity, start=row.start, end=row.end, by=self.by)
            self._register(line, mention)
            return "created"

        self._count("mention", self._write(line, work))

    def _span(self, line: _Line) -> None:
        line.unknown_keys(("claim", "document", "start", "end", "exact", "prefix", "suffix"))
        claim = self.claim(line, "claim")
        spec = self.anchor_spec(
            line, {k: v for k, v in line.data.items() if k not in ("type", "ref", "claim")}, name="document"
        )
        line.refuse_if_errors()
        anchor = self._anchor(spec, label="Span 1: ")

        def work() -> str:
            found = claim.spans.filter(document=spec["document"], start=anchor.start, end=anchor.end).first()
            if found is not None:
                self._register(line, found)
                return "unchanged"
            self._check_allowed("add", SourceSpan)
            created = claim_services.span_add(
                claim=claim,
                specs=[{"document": spec["document"], "start": anchor.start, "end": anchor.end}],
                by=self.by,
            )
            self._register(line, created[0])
            return "created"

        self._count("span", self._write(line, work))

    # ------------------------------------------------------------------ claims

    def _claim(self, line: _Line) -> None:
        line.unknown_keys(CLAIM_KEYS)
        data = line.data
        if data.get("uid") is None:
            # No uid: one made from the line itself, so that importing it again finds it.
            content = {k: v for k, v in data.items() if k != "ref"}
            uid = uuid.uuid5(UID_NAMESPACE, json.dumps(content, sort_keys=True, ensure_ascii=False, default=str))
        else:
            try:
                uid = uuid.UUID(data["uid"]) if isinstance(data["uid"], str) else None
            except ValueError:
                uid = None
            if uid is None:
                line.error("uid", "Give the claim's uid as a UUID.")
        if uid is not None and str(uid) in self.claim_lines:
            line.error("uid", f"Line {self.claim_lines[str(uid)]} already gives the claim {uid}.")
        fields = {name: line.text(name, default=Claim._meta.get_field(name).get_default()) for name in CLAIM_PLAIN}
        fields["subject"] = self.entity(line, "subject", required=True)
        fields["predicate"] = self.predicate(line, "predicate")
        fields["object"] = self.entity(line, "object")
        fields["event"] = self.entity(line, "event", kind="event")
        fields["attributed_to"] = self.entity(line, "attributed_to")
        fields["value_number"] = None
        if data.get("value_number") is not None:
            number = data["value_number"]
            try:
                if isinstance(number, bool) or not isinstance(number, (int, float, str)):
                    raise InvalidOperation
                fields["value_number"] = Decimal(str(number))
                if not fields["value_number"].is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                line.error("value_number", "Give a number.")
        fields |= line.date_fields("date") or {}
        status = line.text("status", default=ClaimStatus.DRAFT)
        rank = line.text("rank", default=Rank.NORMAL)
        reviewed_at = line.datetime("reviewed_at")
        created, updated = line.datetime("created"), line.datetime("updated")
        raw_spans = data.get("spans")
        specs = []
        if raw_spans is not None and not isinstance(raw_spans, list):
            line.error("spans", "Give a list of spans.")
        else:
            for index, spec in enumerate(raw_spans or []):
                anchored = self.anchor_spec(line, spec, name="spans", label=f"Span {index + 1}: ")
                if anchored is not None:
                    specs.append(anchored)
        line.refuse_if_errors()
        self.claim_lines[str(uid)] = line.number
        ref = data.get("ref")
        if isinstance(ref, str):
            self.refs[ref] = ("claim", line.number, _PENDING)
        self.pending.append(
            _ClaimPlan(
                line,
                uid,
                fields,
                status,
                rank,
                reviewed_at,
                created,
                updated,
                specs,
                ref if isinstance(ref, str) else None,
            )
        )
        if len(self.pending) >= CLAIM_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        plans, self.pending = self.pending, []
        now = self.batch_now = timezone.now()  # the batch's claims and spans are created (and reviewed) together
        self.claim_defaults, self.span_defaults = _defaults(Claim, now), _defaults(SourceSpan, now)
        stored = bulk.ids_by_key(connections[router.db_for_write(Claim)], Claim, "uid", [plan.uid for plan in plans])
        existing = (
            Claim.objects.filter(pk__in=stored.values()).prefetch_related("spans").in_bulk(field_name="uid")
            if stored
            else {}
        )
        new = []
        for plan in plans:
            try:
                if plan.uid in existing:
                    self._count("claim", self._claim_existing(plan, existing[plan.uid]))
                else:
                    new.append(self._claim_checked(plan))
            except _Refused as exc:
                self._claim_refused(plan, exc.errors)
        self._claims_write(new)

    def _claim_refused(self, plan: _ClaimPlan, errors: dict) -> None:
        self.report.errors.append(LineError(plan.line.number, "claim", errors))
        if plan.ref is not None:
            self.refs[plan.ref] = ("claim", plan.line.number, None)
        self.refused.setdefault(("claim", str(plan.uid)), plan.line.number)

    def _claim_checked(self, plan: _ClaimPlan) -> tuple[_ClaimPlan, Claim, list[SourceSpan]]:
        """A new claim and its spans, checked as claim_create and span_add check them."""
        if plan.status in (ClaimStatus.PUBLISHED, ClaimStatus.REJECTED) and not self.is_reviewer:
            raise _Refused({"status": [refusal("publish", "factbase.claim")]})
        if plan.rank != Rank.NORMAL and not allows(self.by, "rank", "factbase.claim"):
            raise _Refused({"rank": [refusal("rank", "factbase.claim")]})
        by = self.by if getattr(self.by, "is_authenticated", False) else None
        claim = _unsaved(
            Claim,
            self.claim_defaults,
            {"uid": plan.uid, "created_by": by, "status": ClaimStatus.DRAFT, "rank": plan.rank, **plan.fields},
        )
        try:
            CLAIM_GIVEN_CHECK(claim)
            claim.clean()  # factbase/validators.py: dates, predicate kinds; the subject's kind
            claim.status = plan.status
            CLAIM_STATUS_CHECK(claim)
            claim.clean_evidence(adding=len(plan.specs))
            SPANS_PER_CLAIM.check(claim, total=len(plan.specs), field="spans")
        except ValidationError as exc:
            raise _Refused(_errors_of(exc)) from exc
        if plan.status in (ClaimStatus.PUBLISHED, ClaimStatus.REJECTED):
            claim.reviewed_by, claim.reviewed_at = by, plan.reviewed_at or self.batch_now
        if plan.created is not None:
            claim.created = plan.created
        if plan.updated is not None:
            claim.updated = plan.updated
        spans, seen, adding = [], set(), {}
        for index, spec in enumerate(plan.specs):
            # As span_from_spec builds it: anchored with its messages ("Span 2: …").
            anchor = self._anchor(spec, label=f"Span {index + 1}: ")
            span = _unsaved(
                SourceSpan,
                self.span_defaults,
                {
                    "claim": claim,
                    "document": spec["document"],
                    "start": anchor.start,
                    "end": anchor.end,
                    "exact": anchor.exact,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                },
            )
            try:
                SPAN_CHECK(span)
                span.clean()
            except ValidationError as exc:
                raise _Refused(_errors_of(exc)) from exc
            key = (span.document.pk, span.start, span.end)
            if key in seen:
                raise _Refused({"spans": [f"Span {index + 1}: the claim already has this span."]})
            seen.add(key)
            adding[span.document.pk] = adding.get(span.document.pk, 0) + 1
            spans.append(span)
        for document_id, n in adding.items():
            document = next(span.document for span in spans if span.document.pk == document_id)
            if document_id not in self.document_spans:
                self.document_spans[document_id] = SPANS_PER_DOCUMENT.count(document)
            try:
                SPANS_PER_DOCUMENT.check(document, total=self.document_spans[document_id] + n, field="spans")
            except ValidationError as exc:
                raise _Refused(_errors_of(exc)) from exc
        for document_id, n in adding.items():
            self.document_spans[document_id] += n
        return plan, claim, spans

    def _claims_write(self, new: list) -> None:
        if not new:
            return
        try:
            with self._savepoint():
                self._insert(new)
        except (IntegrityError, DatabaseError):
            self.grouping.forget()  # the facts it founded are rolled back (refreshing one does nothing)
            if len(new) == 1:
                plan = new[0][0]
                self._uncount_spans(new)
                self._claim_refused(plan, _errors_of(IntegrityError()))
                return
            for item in new:  # find the line(s) the database refuses, one savepoint each
                for obj in (item[1], *item[2]):
                    obj.pk, obj._state.adding = None, True
                self._claims_write([item])

    def _uncount_spans(self, new: list) -> None:
        for _, _, spans in new:
            for span in spans:
                self.document_spans[span.document.pk] -= 1

    def _insert(self, new: list) -> None:
        """Write checked claims and their spans: rows straight into the tables
        (factbase/indexes/bulk.py: COPY on PostgreSQL, executemany on SQLite), each value
        prepared by its model field as the ORM prepares it, then the claims' ids read back by
        uid. What the insert triggers write per row is written once for the batch
        (factbase/indexes/new_claims.py)."""
        connection = connections[router.db_for_write(Claim)]
        claims = [claim for _, claim, _ in new]
        # Grouped before the insert, as claim_create groups: each row written once, with its
        # fact (not in a dry run, nor once the import is refused: nothing will be kept).
        grouped = not self.report.dry_run and not self._aborting()
        joined = self.grouping.group(claims) if grouped else set()
        with new_claims(connection, lambda: [claim.pk for claim in claims]):
            bulk.insert_rows(connection, Claim._meta.db_table, *_rows(Claim, claims, connection))
            ids = bulk.ids_by_key(connection, Claim, "uid", [claim.uid for claim in claims])
            spans = []
            for _, claim, claim_spans in new:
                claim.pk, claim._state.adding, claim._state.db = ids[claim.uid], False, connection.alias
                for span in claim_spans:
                    span.claim_id = claim.pk
                    spans.append(span)
            bulk.insert_rows(connection, SourceSpan._meta.db_table, *_rows(SourceSpan, spans, connection))
        # Only published claims count as sources or contradict: a fact joined by claims of
        # another status alone counts and compares what it did (a new fact: nothing). The
        # facts are refreshed once, at the end of the file (`refresh_pending`).
        self.grouping.refresh_later(
            [claim for claim in claims if claim.status == ClaimStatus.PUBLISHED and claim.fact_id in joined]
        )
        self.written_claims += len(claims)
        if connection.vendor == "postgresql" and self.written_claims >= 2 * self.analyzed_at:
            # The planner's statistics, as the tables grow in this transaction (the claims
            # triggers' statements were planned for the empty tables of a new database).
            bulk.analyze(connection, tables=ANALYZED)
            self.analyzed_at = self.written_claims
        for plan, claim, _ in new:
            self._count("claim", "created")
            if plan.ref is not None:
                self.refs[plan.ref] = ("claim", plan.line.number, claim)

    def _claim_existing(self, plan: _ClaimPlan, claim: Claim) -> str:
        """A claim that exists: compared with the line first (no savepoint when nothing
        changes, the common case of a re-import); else its differences, each through its
        service, in a savepoint."""
        changed = {}
        for name, value in plan.fields.items():
            if not _same(claim, name, value):
                changed[name] = value
        specs = [{**spec} for spec in plan.specs]
        wanted_keys = []
        for index, spec in enumerate(specs):
            anchor = self._anchor(spec, label=f"Span {index + 1}: ")
            wanted_keys.append((spec["document"].pk, anchor.start, anchor.end))
        stored = {(span.document_id, span.start, span.end) for span in claim.spans.all()}
        # A line's spans are added to the claim's, never removed: span lines add to it too.
        adding = [spec for spec, key in zip(specs, wanted_keys, strict=True) if key not in stored]
        status_changed = plan.status != claim.status
        rank_changed = plan.rank != claim.rank
        if not (changed or adding or status_changed or rank_changed):
            self._set_claim_ref(plan, claim)
            return "unchanged"
        return self._write(
            plan.line, lambda: self._claim_update(plan, claim, changed, adding, status_changed, rank_changed)
        )

    def _claim_update(self, plan, claim, changed: dict, adding: list, status_changed: bool, rank_changed: bool) -> str:
        if changed:
            if any(name in changed for name in DATE_FIELDS):  # the date as one value, as claim_update takes it
                for name in DATE_FIELDS:
                    changed.pop(name, None)
                changed["date"] = (
                    PartialDate(*(plan.fields[f] for f in DATE_FIELDS)) if plan.fields["date_lower"] else None
                )
            claim_services.claim_update(claim=claim, by=self.by, **changed)
        if adding:
            claim_services.span_add(claim=claim, specs=adding, by=self.by)
        if status_changed:
            self._claim_status(claim, plan.status)
        if rank_changed:
            claim_rank(claim=claim, rank=plan.rank, by=self.by)
        _stamp(Claim, claim, created=plan.created, updated=plan.updated)
        self._set_claim_ref(plan, claim)
        return "updated"

    def _set_claim_ref(self, plan: _ClaimPlan, claim: Claim) -> None:
        if plan.ref is not None:
            self.refs[plan.ref] = ("claim", plan.line.number, claim)

    def _claim_status(self, claim: Claim, status: str) -> None:
        if status == ClaimStatus.IN_REVIEW and claim.status == ClaimStatus.DRAFT:
            claim_services.claim_submit(claim=claim, by=self.by)
        elif status == ClaimStatus.PUBLISHED:
            claim_services.claim_publish(claim=claim, by=self.by)
        elif status == ClaimStatus.REJECTED:
            claim_services.claim_reject(claim=claim, by=self.by)
        else:
            raise ValidationError({"status": f"A {claim.status} claim does not become {status} by import."})


# Fields whose Python value is what the database takes: no preparation (about 10 µs a value
# through get_db_prep_save, a third of the bulk path's time at 30 columns a row).
PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _rows(model, objects: list, connection) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of `objects` as an INSERT of the ORM would write them, without ids:
    each value prepared by its field (`get_db_prep_save`), but those it would not change."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = []
    for f in fields:
        if isinstance(f, PASS_THROUGH) and not isinstance(f, (models.DateField, models.DecimalField)):
            getters.append((f.attname, None))
        else:
            getters.append((f.attname, f.get_db_prep_save))
    prepared: dict = {}  # (column, value) -> the database's value: a batch shares its timestamps

    def prepare(attname, to_db, value):
        key = (attname, value)
        if key not in prepared:
            prepared[key] = to_db(value, connection)
        return prepared[key]

    rows = [
        tuple(
            values[attname] if to_db is None else prepare(attname, to_db, values[attname]) for attname, to_db in getters
        )
        for values in (obj.__dict__ for obj in objects)
    ]
    return [f.column for f in fields], rows


def _same(row, name: str, value) -> bool:
    """Whether the stored row already has `value` for the field `name`."""
    model_field = row._meta.get_field(name)
    if model_field.is_relation:
        return getattr(row, model_field.attname) == (value.pk if value is not None else None)
    return getattr(row, name) == value


def _nested_key(entity, name: str):
    if name == "roles":
        return sorted(
            (r.title, r.organisation_id, r.date_lower, r.date_upper, r.date_precision, r.date_text)
            for r in entity.roles.all()
        )
    if name == "participants":
        return sorted((p.entity_id, p.role, p.note) for p in entity.participants.all())
    return sorted((i.scheme, i.value) for i in entity.identifiers.all())


def _spec_key(name: str, items: list[dict]):
    if name == "roles":
        result = []
        for role in items:
            date, organisation = role["date"], role["organisation"]
            bounds = (date.lower, date.upper, date.precision, date.text) if date else (None, None, "", "")
            result.append((role["title"], organisation.pk if organisation else None, *bounds))
        return sorted(result)
    if name == "participants":
        return sorted((p["entity"].pk, p["role"], p["note"]) for p in items)
    return sorted((i["scheme"], i["value"]) for i in items)


def _stamp(model, row, *, created, updated) -> None:
    """Keep the timestamps a line gives (an export's): when the record was first written and
    last changed where it came from."""
    stamps = {name: value for name, value in (("created", created), ("updated", updated)) if value is not None}
    if stamps:
        model._base_manager.filter(pk=row.pk).update(**stamps)
        for name, value in stamps.items():
            setattr(row, name, value)


@contextmanager
def _fewer_collections():
    """Python's cyclic garbage collector run less often while a file is imported: it creates
    a few objects per line that live until the end (the claims, their spans, their plans), and
    each full collection walks all of them again (about 7% of a 100,000-claim import's CPU).
    The import leaves no cycles of its own; the thresholds are put back after it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def import_lines(
    lines: Iterable,
    *,
    by,
    dry_run: bool = False,
    on_error: str = "abort",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import JSON Lines (str or bytes per line, or already-parsed objects). `on_error`:
    "abort" (nothing is written if any line is refused) or "continue" (the good lines are).
    `progress(done, total)` is called every PROGRESS_EVERY lines and at the end."""
    if on_error not in MODES:
        raise ValueError(f"on_error must be one of {', '.join(MODES)}.")
    lines = list(lines)
    report = ImportReport(dry_run=dry_run, on_error=on_error)
    importer = _Importer(by=by, report=report, keep_going=on_error == "continue")
    with _fewer_collections(), bulk.large_cache(connections[router.db_for_write(Claim)]), transaction.atomic():
        importer.run(lines, progress)
        # A document the file brings is placed in the curation queue as a loaded fixture's is:
        # "done" when claims cite it and every one is decided, else "new".
        documents_settle(importer.created_documents)
        report.errors.sort(key=lambda error: error.line)  # new claims are refused when their batch is checked
        if dry_run or (report.errors and on_error == "abort"):
            transaction.set_rollback(True)
        else:
            report.written = True
    return report
