"""The curation source format for a seed article, and the engine that turns it into a fixture.

A curation source (`tools/seed_NNN.py`) describes one document in readable terms: entities
with their aliases, events with participants and partial dates, roles, and claims whose
evidence is given as exact quotes. Nothing in it is an offset. The engine (`build_fixture`)
finds every quote in the document text, computes offsets (Unicode code points, half-open),
prefix and suffix, resolves relative dates against the publication date, derives stable
uids, marks every occurrence of every entity name and alias as a mention, and refuses
anything ambiguous, dangling or inconsistent with a message naming the claim or entity.
See docs/curation.md for the conventions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from factbase import validators
from factbase.partial_dates import PartialDate, PartialDateError, resolve_relative
from tools.fixturelib import FIXTURES, ROOT, TIMESTAMP, stable_uid


class CurationError(Exception):
    """The curation source is inconsistent with the document or the reference data."""


# ---------------------------------------------------------------------------------------
# The source format


@dataclass(frozen=True)
class Quote:
    """An exact quote; `prefix`/`suffix` (text just before/after it) or `occurrence`
    (0-based) pick one occurrence when the quote appears more than once."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    occurrence: int | None = None


@dataclass(frozen=True)
class When:
    """A partial date as the curator gives it: an ISO partial date or interval
    ("2021-06", "2021-07-06/2021-07-08"), a relative expression resolved against the
    publication date ("two years ago"), or only the wording when it has no bounds
    ("in recent years")."""

    value: str = ""
    text: str = ""
    relative: bool = False


def on(value: str, text: str = "") -> When:
    return When(value=value, text=text)


def rel(text: str) -> When:
    return When(text=text, relative=True)


def vague(text: str) -> When:
    return When(text=text)


@dataclass(frozen=True)
class Alias:
    name: str
    kind: str = "as_written"
    language: str = "en"


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    given_name: str = ""
    family_name: str = ""
    nationality: str | None = None
    description: str = ""
    wikidata_qid: str = ""
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    org_type: str
    country: str | None = None
    parent: str | None = None
    description: str = ""
    wikidata_qid: str = ""
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class Participant:
    entity: str
    role: str
    note: str = ""


@dataclass(frozen=True)
class Event:
    slug: str
    name: str
    event_type: str
    status: str = "occurred"
    date: When | None = None
    location_country: str | None = None
    location_text: str = ""
    parent: str | None = None
    description: str = ""
    wikidata_qid: str = ""
    aliases: tuple[Alias, ...] = ()
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class Role:
    key: str
    person: str
    title: str
    organisation: str | None = None
    date: When | None = None


@dataclass(frozen=True)
class Claim:
    key: str
    subject: str
    predicate: str
    spans: tuple[str | Quote, ...]
    object: str | None = None
    value: str = ""
    value_number: str | None = None
    event: str | None = None
    date: When | None = None
    attributed_to: str | None = None
    attribution: str = "states"
    modality: str = "asserted"
    polarity: str = "affirmed"
    confidence: str = "high"
    notes: str = ""


@dataclass(frozen=True)
class MentionExclusion:
    """An occurrence of a name that does not refer to the entity (Moscow the city is not
    Russia the state); `why` is kept in the source for the next reader."""

    entity: str
    quote: Quote
    why: str


@dataclass
class Source:
    key: str
    document_path: str
    title: str
    published: When
    language: str = "en"
    url: str = ""
    publisher: str | None = None
    people: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    # Aliases added to entities defined elsewhere (reference countries): (slug, Alias).
    extra_aliases: list[tuple[str, Alias]] = field(default_factory=list)
    mention_exclusions: list[MentionExclusion] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# The engine


def find_quote(text: str, quote: str | Quote, *, where: str) -> tuple[int, int]:
    """(start, end) of the one occurrence of `quote` in `text`, or CurationError."""
    if isinstance(quote, str):
        quote = Quote(quote)
    if not quote.exact:
        raise CurationError(f"{where}: empty quote.")
    starts, position = [], text.find(quote.exact)
    while position != -1:
        before, after = text[:position], text[position + len(quote.exact) :]
        if before.endswith(quote.prefix) and after.startswith(quote.suffix):
            starts.append(position)
        position = text.find(quote.exact, position + 1)
    if quote.occurrence is not None:
        if quote.occurrence >= len(starts):
            raise CurationError(f"{where}: {quote.exact!r} has no occurrence {quote.occurrence} ({len(starts)} found).")
        starts = [starts[quote.occurrence]]
    if not starts:
        raise CurationError(f"{where}: {quote.exact!r} does not occur in the document (with that context).")
    if len(starts) > 1:
        raise CurationError(f"{where}: {quote.exact!r} occurs {len(starts)} times; add a prefix, suffix or occurrence.")
    return starts[0], starts[0] + len(quote.exact)


def resolve_date(when: When | None, *, anchor: PartialDate, where: str) -> PartialDate | None | str:
    """A PartialDate, None (no date), or a bare wording string (no bounds, text kept)."""
    if when is None:
        return None
    try:
        if when.relative:
            return resolve_relative(when.text, anchor=anchor)
        if not when.value:
            return when.text
        return PartialDate.parse(when.value, text=when.text)
    except PartialDateError as exc:
        raise CurationError(f"{where}: {exc}") from exc


def date_fields(value: PartialDate | None | str) -> dict:
    if value is None:
        return {"date_lower": None, "date_upper": None, "date_precision": "", "date_text": ""}
    if isinstance(value, str):
        return {"date_lower": None, "date_upper": None, "date_precision": "", "date_text": value}
    return {
        "date_lower": value.lower.isoformat(),
        "date_upper": value.upper.isoformat(),
        "date_precision": value.precision,
        "date_text": value.text,
    }


def word_occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Every case-sensitive occurrence of `name` not inside a longer word."""
    found, position = [], text.find(name)
    while position != -1:
        end = position + len(name)
        before = text[position - 1] if position > 0 else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            found.append((position, end))
        position = text.find(name, position + 1)
    return found


def load_reference(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


class Builder:
    def __init__(self, source: Source, *, countries: list[dict], predicates: list[dict]):
        from factbase import enums
        from factbase.models import normalise_name, text_sha256

        self.source = source
        self.enums = enums
        self.normalise_name = normalise_name
        path = ROOT / source.document_path
        self.text = path.read_bytes().decode("utf-8")
        self.sha256 = text_sha256(self.text)
        if source.published.relative or not source.published.value:
            raise CurationError("document: the publication date needs bounds, such as on('2021-07', 'July 2021').")
        try:
            self.published = PartialDate.parse(source.published.value, text=source.published.text)
        except PartialDateError as exc:
            raise CurationError(f"document: {exc}") from exc
        # kind and surface names of every entity the seed may reference
        self.kinds: dict[str, str] = {}
        self.names: dict[str, list[str]] = {}
        for record in countries:
            fields = record["fields"]
            if record["model"] == "factbase.entity":
                self.kinds[fields["slug"]] = fields["kind"]
                self.names.setdefault(fields["slug"], []).append(fields["name"])
            elif record["model"] == "factbase.alias":
                self.names.setdefault(fields["entity"][0], []).append(fields["name"])
        self.predicates = {r["fields"]["slug"]: r["fields"] for r in predicates if r["model"] == "factbase.predicate"}
        for kind, items in (
            ("person", source.people),
            ("organisation", source.organisations),
            ("event", source.events),
        ):
            for item in items:
                if item.slug in self.kinds:
                    raise CurationError(f"entity {item.slug}: slug already used.")
                self.kinds[item.slug] = kind
                self.names[item.slug] = [item.name, *(alias.name for alias in item.aliases)]
        for slug, alias in source.extra_aliases:
            self.names.setdefault(slug, []).append(alias.name)

    # --- checks ------------------------------------------------------------------------

    def ref(self, slug: str | None, *, where: str, kinds: tuple[str, ...] | None = None) -> list[str] | None:
        if slug is None:
            return None
        if slug not in self.kinds:
            raise CurationError(f"{where}: no entity with slug {slug!r}.")
        if kinds and self.kinds[slug] not in kinds:
            raise CurationError(f"{where}: {slug!r} is a {self.kinds[slug]}, expected {' or '.join(kinds)}.")
        return [slug]

    def choice(self, value: str, enum, *, where: str, name: str) -> str:
        if value not in enum.values:
            raise CurationError(f"{where}: {name} {value!r} is not one of {', '.join(enum.values)}.")
        return value

    def anchor(self, quote: str | Quote, *, where: str) -> dict:
        start, end = find_quote(self.text, quote, where=where)
        exact, prefix, suffix = validators.span_context(self.text, start, end)
        return {"start": start, "end": end, "exact": exact, "prefix": prefix, "suffix": suffix}

    def date(self, when: When | None, *, where: str) -> dict:
        return date_fields(resolve_date(when, anchor=self.published, where=where))

    # --- records -----------------------------------------------------------------------

    def entity_record(self, item, kind: str) -> dict:
        return {
            "model": "factbase.entity",
            "fields": {
                "kind": kind,
                "name": item.name,
                "normalised_name": self.normalise_name(item.name),
                "slug": item.slug,
                "description": item.description,
                "wikidata_qid": item.wikidata_qid,
                "created": TIMESTAMP,
                "updated": TIMESTAMP,
            },
        }

    def alias_record(self, slug: str, alias: Alias, *, where: str) -> dict:
        self.choice(alias.kind, self.enums.AliasKind, where=where, name="alias kind")
        if alias.kind == "as_written" and not word_occurrences(self.text, alias.name):
            raise CurationError(f"{where}: alias {alias.name!r} is marked as written but the document never writes it.")
        return {
            "model": "factbase.alias",
            "fields": {
                "entity": [slug],
                "name": alias.name,
                "normalised": self.normalise_name(alias.name),
                "language": alias.language,
                "kind": alias.kind,
            },
        }

    def entities(self) -> list[dict]:
        source, records, aliases = self.source, [], []
        for person in source.people:
            where = f"person {person.slug}"
            records.append(self.entity_record(person, "person"))
            records.append(
                {
                    "model": "factbase.person",
                    "fields": {
                        "entity_ptr": [person.slug],
                        "given_name": person.given_name,
                        "family_name": person.family_name,
                        "nationality": self.ref(person.nationality, where=where, kinds=("country",)),
                    },
                }
            )
            aliases += [self.alias_record(person.slug, a, where=where) for a in person.aliases]
        for org in source.organisations:
            where = f"organisation {org.slug}"
            records.append(self.entity_record(org, "organisation"))
            records.append(
                {
                    "model": "factbase.organisation",
                    "fields": {
                        "entity_ptr": [org.slug],
                        "org_type": self.choice(org.org_type, self.enums.OrganisationType, where=where, name="type"),
                        "country": self.ref(org.country, where=where, kinds=("country",)),
                        "parent": self.ref(org.parent, where=where, kinds=("organisation",)),
                    },
                }
            )
            aliases += [self.alias_record(org.slug, a, where=where) for a in org.aliases]
        participants = []
        for event in source.events:
            where = f"event {event.slug}"
            records.append(self.entity_record(event, "event"))
            records.append(
                {
                    "model": "factbase.event",
                    "fields": {
                        "entity_ptr": [event.slug],
                        "event_type": self.choice(event.event_type, self.enums.EventType, where=where, name="type"),
                        "status": self.choice(event.status, self.enums.EventStatus, where=where, name="status"),
                        "location_country": self.ref(event.location_country, where=where, kinds=("country",)),
                        "location_text": event.location_text,
                        "parent": self.ref(event.parent, where=where, kinds=("event",)),
                        **self.date(event.date, where=where),
                    },
                }
            )
            aliases += [self.alias_record(event.slug, a, where=where) for a in event.aliases]
            for participant in event.participants:
                participants.append(
                    {
                        "model": "factbase.eventparticipant",
                        "fields": {
                            "event": [event.slug],
                            "entity": self.ref(participant.entity, where=where),
                            "role": self.choice(
                                participant.role, self.enums.ParticipantRole, where=where, name="participant role"
                            ),
                            "note": participant.note,
                        },
                    }
                )
        for slug, alias in source.extra_aliases:
            where = f"alias {alias.name!r} of {slug}"
            self.ref(slug, where=where)
            aliases.append(self.alias_record(slug, alias, where=where))
        keys = [(a["fields"]["entity"][0], a["fields"]["name"], a["fields"]["language"]) for a in aliases]
        if len(keys) != len(set(keys)):
            raise CurationError("Duplicate alias in the curation source.")
        return records + aliases + participants

    def roles(self) -> list[dict]:
        records = []
        for role in self.source.roles:
            where = f"role {role.key}"
            records.append(
                {
                    "model": "factbase.role",
                    "fields": {
                        "uid": stable_uid(f"{self.source.key}/role/{role.key}"),
                        "person": self.ref(role.person, where=where, kinds=("person",)),
                        "organisation": self.ref(role.organisation, where=where, kinds=("organisation",)),
                        "title": role.title,
                        **self.date(role.date, where=where),
                        "created": TIMESTAMP,
                        "updated": TIMESTAMP,
                    },
                }
            )
        return records

    def document(self) -> dict:
        source = self.source
        return {
            "model": "factbase.document",
            "fields": {
                "title": source.title,
                "text": self.text,
                "sha256": self.sha256,
                "publisher": self.ref(source.publisher, where="document", kinds=("organisation",)),
                "language": source.language,
                "url": source.url,
                **date_fields(self.published),
                "created": TIMESTAMP,
                "updated": TIMESTAMP,
            },
        }

    def mention_spans(self) -> list[tuple[int, int, str]]:
        """Every occurrence of every name and alias of every entity, minus the curator's
        exclusions; an occurrence inside a longer occurrence of the same entity's names is
        the same mention ("Lavrov" in "Sergei Lavrov"). Names nested in another entity's
        name are mentions of both ("Myanmar" in "military regime in Myanmar")."""
        found: set[tuple[int, int, str]] = set()
        for slug, names in self.names.items():
            spans = {span for name in set(names) for span in word_occurrences(self.text, name)}
            for start, end in spans:
                if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans):
                    found.add((start, end, slug))
        for exclusion in self.source.mention_exclusions:
            where = f"mention exclusion {exclusion.quote.exact!r} of {exclusion.entity}"
            start, end = find_quote(self.text, exclusion.quote, where=where)
            if (start, end, exclusion.entity) not in found:
                raise CurationError(f"{where}: no such mention to exclude.")
            found.discard((start, end, exclusion.entity))
        return sorted(found)

    def mentions(self) -> list[dict]:
        records = []
        for start, end, slug in self.mention_spans():
            exact, prefix, suffix = validators.span_context(self.text, start, end)
            records.append(
                {
                    "model": "factbase.mention",
                    "fields": {
                        "document": [self.sha256],
                        "entity": [slug],
                        "start": start,
                        "end": end,
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                        "created_by": None,
                        "created": TIMESTAMP,
                        "updated": TIMESTAMP,
                    },
                }
            )
        return records

    def claims(self) -> tuple[list[dict], list[dict]]:
        enums = self.enums
        claims, spans, seen = [], [], set()
        for claim in self.source.claims:
            where = f"claim {claim.key}"
            if claim.key in seen:
                raise CurationError(f"{where}: duplicate key.")
            seen.add(claim.key)
            predicate = self.predicates.get(claim.predicate)
            if predicate is None:
                raise CurationError(f"{where}: no predicate {claim.predicate!r} in fixtures/predicates.json.")
            subject = self.ref(claim.subject, where=where)
            obj = self.ref(claim.object, where=where)
            if predicate["subject_kinds"] and self.kinds[claim.subject] not in predicate["subject_kinds"]:
                raise CurationError(
                    f"{where}: {claim.predicate} takes a subject of kind {predicate['subject_kinds']}, "
                    f"not {self.kinds[claim.subject]}."
                )
            if claim.object is not None and self.kinds[claim.object] not in predicate["object_kinds"]:
                raise CurationError(
                    f"{where}: {claim.predicate} takes an object of kind {predicate['object_kinds'] or 'none'}, "
                    f"not {self.kinds[claim.object]}."
                )
            if claim.object is None and not claim.value:
                raise CurationError(f"{where}: give an object or a value.")
            if not claim.spans:
                raise CurationError(f"{where}: a published claim needs at least one span.")
            uid = stable_uid(f"{self.source.key}/claim/{claim.key}")
            claims.append(
                {
                    "model": "factbase.claim",
                    "fields": {
                        "uid": uid,
                        "subject": subject,
                        "predicate": [claim.predicate],
                        "object": obj,
                        "value": claim.value,
                        "value_number": claim.value_number,
                        "event": self.ref(claim.event, where=where, kinds=("event",)),
                        "attributed_to": self.ref(claim.attributed_to, where=where),
                        "attribution": self.choice(
                            claim.attribution, enums.AttributionMode, where=where, name="attribution"
                        ),
                        "modality": self.choice(claim.modality, enums.Modality, where=where, name="modality"),
                        "polarity": self.choice(claim.polarity, enums.Polarity, where=where, name="polarity"),
                        "status": enums.ClaimStatus.PUBLISHED.value,
                        "confidence": self.choice(claim.confidence, enums.Confidence, where=where, name="confidence"),
                        "notes": claim.notes,
                        "created_by": None,
                        "reviewed_by": None,
                        "reviewed_at": TIMESTAMP,
                        **self.date(claim.date, where=where),
                        "created": TIMESTAMP,
                        "updated": TIMESTAMP,
                    },
                }
            )
            anchors = sorted(
                {tuple(self.anchor(q, where=f"{where} span {i + 1}").items()) for i, q in enumerate(claim.spans)},
                key=lambda items: (dict(items)["start"], dict(items)["end"]),
            )
            if len(anchors) != len(claim.spans):
                raise CurationError(f"{where}: two spans quote the same text.")
            for items in anchors:
                spans.append(
                    {
                        "model": "factbase.sourcespan",
                        "fields": {
                            "claim": [uid],
                            "document": [self.sha256],
                            **dict(items),
                            "created": TIMESTAMP,
                            "updated": TIMESTAMP,
                        },
                    }
                )
        return claims, spans

    def build(self) -> list[dict]:
        claims, spans = self.claims()
        return [*self.entities(), *self.roles(), self.document(), *self.mentions(), *claims, *spans]


def build_fixture(source: Source) -> list[dict]:
    builder = Builder(
        source,
        countries=load_reference(FIXTURES / "countries.json"),
        predicates=load_reference(FIXTURES / "predicates.json"),
    )
    return builder.build()
