"""Synthetic data at scale: `synth_build(claims=N, seed=S)` fills a database with a
deterministic, realistic corpus for benchmarks and load tests. The words come from
factbase/synth/vocabulary.py, the rows are written by factbase/synth/writer.py.

Per million claims it writes about 100k people, 50k organisations, 200k events (with two
participants each), 10k documents of real-looking prose, 30k roles, aliases on a third of
the entities, and one or two source spans per claim whose offsets match the document text
(each document is built sentence by sentence, recording offsets as it grows). Claims mix
statuses, modalities, polarities, attributions and date precisions; subjects are skewed
(a few people are the subject of thousands of claims, most of a handful), as in news.

Speed: rows are generated as plain tuples and written with `executemany` on SQLite and
`COPY` on PostgreSQL, in batches, inside one transaction per batch. That is several times
faster than `bulk_create`, which cannot write multi-table-inheritance rows anyway: the
Entity row and its typed row (Person…) are written separately with an explicit shared id.
Ids are assigned here, after the largest existing id, so generation never reads back.
Memory is bounded: one batch of documents with their claims and spans at a time, plus the
entity names (a few tens of MB at a million claims). History tables are not filled:
synthetic rows have no edit history. Countries come from fixtures/countries.json when the
database has none (real names and aliases: "Burma" finds Myanmar); predicates are created
by slug when missing.

Determinism: the same `claims` and `seed` on an empty database give the same rows, ids
included, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.db.models import Max
from django.utils.text import slugify

from factbase import limits
from factbase.enums import (
    AliasKind,
    AttributionMode,
    ClaimStatus,
    Confidence,
    ContradictionKind,
    DatePrecision,
    EventStatus,
    EventType,
    Modality,
    OrganisationType,
    ParticipantRole,
    Polarity,
)
from factbase.indexes import bulk
from factbase.models import (
    Alias,
    Claim,
    Contradiction,
    Country,
    Document,
    Entity,
    Event,
    EventParticipant,
    Fact,
    Organisation,
    Person,
    Predicate,
    Role,
    SourceSpan,
    normalise_name,
    value_key,
)
from factbase.services.facts import facts_recount
from factbase.synth.vocabulary import (
    CITIES,
    CTY,
    EVT,
    FAMILY,
    FIELDS,
    FILLER,
    GIVEN,
    MONTHS,
    ORG,
    PAPERS,
    PER,
    PREDICATES,
    SAYINGS,
    SYLLABLES,
    TITLES,
    TOPICS,
)
from factbase.synth.writer import Writer
from factbase.validators import CONTEXT_CHARS

# Ratios per claim, from the performance anchor (1M claims ↔ 100k people, 50k organisations,
# 10k documents, 200k events).
PEOPLE_PER_CLAIM = 0.1
ORGANISATIONS_PER_CLAIM = 0.05
EVENTS_PER_CLAIM = 0.2
DOCUMENTS_PER_CLAIM = 0.01
ROLES_PER_PERSON = 0.3
BATCH_ROWS = 20_000
DOCUMENTS_PER_BATCH = 100
STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # created/updated of every synthetic row
# Facts: a claim repeats a recent statement (another document's, often another publisher's)
# this often, and a repeat of an affirmed statement denies it this often (a contradiction).
REPEATED = 0.25
DENIED = 0.08
STATEMENT_POOL = 5_000  # recent statements a claim may repeat


@dataclass
class SynthReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


class Builder:
    def __init__(self, *, claims: int, seed: int, using: str, log: Callable[[str], None]):
        self.n_claims = claims
        self.rng = random.Random(seed)
        self.seed = seed
        self.using = using
        self.connection = connections[using]
        self.log = log
        self.report = SynthReport()
        postgres = self.connection.vendor == "postgresql"
        # SQLite stores dates, datetimes and UUIDs as text; psycopg adapts the Python objects.
        self.d = (lambda value: value) if postgres else (lambda value: None if value is None else value.isoformat())
        self.u = (lambda value: value) if postgres else (lambda value: value.hex)
        self.stamp = STAMP if postgres else self.connection.ops.adapt_datetimefield_value(STAMP)
        scale = max(claims, 1)
        self.n_people = max(20, round(scale * PEOPLE_PER_CLAIM))
        self.n_orgs = max(10, round(scale * ORGANISATIONS_PER_CLAIM))
        self.n_events = max(10, round(scale * EVENTS_PER_CLAIM))
        self.n_documents = max(1, round(scale * DOCUMENTS_PER_CLAIM))
        # Which claims repeat or deny another: a stream of its own, so that the rest of the
        # corpus is drawn as it was before claims were grouped into facts.
        self.fact_rng = random.Random(f"{seed}:facts")

    # --- helpers ---------------------------------------------------------------------

    def next_id(self, model) -> int:
        return (model.objects.using(self.using).aggregate(m=Max("pk"))["m"] or 0) + 1

    def skewed(self, n: int) -> int:
        """An index in [0, n) where low indexes are much more frequent (news is about few)."""
        return int(n * self.rng.random() ** 2.5)

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def word(self) -> str:
        r = self.rng
        return "".join(r.choice(SYLLABLES) for _ in range(r.choice((2, 2, 3)))).capitalize()

    def partial_date(self, *, unknown: float = 0.1) -> tuple:
        """(lower, upper, precision, text) with a mix of precisions, 1995–2024."""
        r = self.rng
        roll = r.random()
        if roll < unknown:
            return None, None, "", ""
        year = r.randint(1995, 2024)
        month = r.randint(1, 12)
        if roll < unknown + 0.5:
            day = r.randint(1, 28)
            value = dt.date(year, month, day)
            return value, value, DatePrecision.DAY.value, f"on {day} {MONTHS[month - 1]} {year}"
        if roll < unknown + 0.8:
            last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
            return (
                dt.date(year, month, 1),
                dt.date(year, month, last),
                DatePrecision.MONTH.value,
                f"in {MONTHS[month - 1]} {year}",
            )
        return dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.YEAR.value, f"in {year}"

    def flush(self, writer: Writer, rows: list, label: str) -> None:
        with transaction.atomic(using=self.using):
            self.report.add(label, writer.write(rows))
        rows.clear()

    # --- reference data --------------------------------------------------------------

    def ensure_countries(self) -> None:
        countries = Country.objects.using(self.using)
        if not countries.exists():
            path = Path(settings.BASE_DIR) / "fixtures" / "countries.json"
            if path.exists():
                # Reference data without spans: plain loaddata (natural keys) is enough.
                call_command("loaddata", str(path), database=self.using, verbosity=0)
            else:
                entity_id = self.next_id(Entity)
                writer_e = Writer(self.connection, Entity, ["id", "kind", "name", "normalised_name", "slug"])
                writer_c = Writer(self.connection, Country, ["entity_ptr_id", "iso_alpha2", "iso_alpha3"])
                names = [
                    ("Russia", "RU", "RUS"),
                    ("Indonesia", "ID", "IDN"),
                    ("Laos", "LA", "LAO"),
                    ("Myanmar", "MM", "MMR"),
                ]
                with transaction.atomic(using=self.using):
                    writer_e.write(
                        [(entity_id + i, CTY, n, normalise_name(n), n.lower()) for i, (n, _, _) in enumerate(names)]
                    )
                    writer_c.write([(entity_id + i, a2, a3) for i, (_, a2, a3) in enumerate(names)])
        rows = countries.order_by("pk").values_list("pk", "name")
        self.countries = [(pk, name) for pk, name in rows]
        self.report.add("countries (existing or loaded)", len(self.countries))

    def ensure_predicates(self) -> None:
        self.predicates = []
        for spec in PREDICATES:
            predicate, _ = Predicate.objects.using(self.using).get_or_create(
                slug=spec.slug,
                defaults={
                    "label": spec.label,
                    "subject_kinds": list(spec.subject_kinds),
                    "object_kinds": list(spec.object_kinds),
                },
            )
            # An existing vocabulary (the fixture) decides which kinds a predicate takes.
            subject_kinds = tuple(k for k in (predicate.subject_kinds or spec.subject_kinds) if k in (PER, ORG, CTY))
            object_kinds = tuple(predicate.object_kinds or ())
            self.predicates.append((predicate.pk, spec, subject_kinds or (PER,), object_kinds))

    # --- entities --------------------------------------------------------------------

    def build_entities(self) -> None:
        r, c = self.rng, self.connection
        entity_w = Writer(
            c, Entity, ["id", "created", "updated", "kind", "name", "normalised_name", "slug", "description"]
        )
        person_w = Writer(c, Person, ["entity_ptr_id", "given_name", "family_name", "nationality_id"])
        org_w = Writer(c, Organisation, ["entity_ptr_id", "org_type", "country_id", "parent_id"])
        event_w = Writer(
            c,
            Event,
            [
                "entity_ptr_id",
                "date_lower",
                "date_upper",
                "date_precision",
                "date_text",
                "event_type",
                "status",
                "location_country_id",
                "location_text",
                "parent_id",
            ],
        )
        alias_w = Writer(c, Alias, ["id", "entity_id", "name", "normalised", "language", "kind"])
        participant_w = Writer(c, EventParticipant, ["id", "event_id", "entity_id", "role"])
        role_w = Writer(
            c,
            Role,
            [
                "id",
                "created",
                "updated",
                "date_lower",
                "date_upper",
                "date_precision",
                "date_text",
                "uid",
                "person_id",
                "organisation_id",
                "title",
            ],
        )
        next_entity = self.next_id(Entity)
        next_alias = self.next_id(Alias)
        stamp, d = self.stamp, self.d
        entities, typed, aliases = [], [], []
        country_ids = [pk for pk, _ in self.countries]
        country_names = [name for _, name in self.countries]

        def entity(kind, name, description=""):
            nonlocal next_entity
            pk = next_entity
            next_entity += 1
            slug = f"{slugify(name)[:100]}-{pk}"
            entities.append((pk, stamp, stamp, kind, name, normalise_name(name), slug, description))
            return pk

        def alias(entity_id, name, kind):
            nonlocal next_alias
            aliases.append((next_alias, entity_id, name, normalise_name(name), "en", kind))
            next_alias += 1

        def flush_entities(typed_writer, label):
            with transaction.atomic(using=self.using):
                self.report.add("entities", entity_w.write(entities))
                self.report.add(label, typed_writer.write(typed))
                self.report.add("aliases", alias_w.write(aliases))
            entities.clear(), typed.clear(), aliases.clear()

        # People.
        self.people = []
        self.person_first = next_entity
        for i in range(self.n_people):
            given, family = r.choice(GIVEN), r.choice(FAMILY)
            name = f"{given} {chr(65 + r.randrange(26))}. {family}" if r.random() < 0.2 else f"{given} {family}"
            pk = entity(PER, name)
            typed.append((pk, given, family, r.choice(country_ids) if r.random() < 0.8 else None))
            self.people.append(name)
            if r.random() < 0.25:
                alias(pk, f"{given[0]}. {family}", AliasKind.AS_WRITTEN.value)
            if i % BATCH_ROWS == BATCH_ROWS - 1:
                flush_entities(person_w, "people")
        flush_entities(person_w, "people")

        # Organisations.
        self.orgs, self.media = [], []
        self.org_first = next_entity
        kinds = [
            (OrganisationType.MINISTRY, 0.3),
            (OrganisationType.MEDIA_OUTLET, 0.15),
            (OrganisationType.COMPANY, 0.25),
            (OrganisationType.RESEARCH_INSTITUTE, 0.1),
            (OrganisationType.POLITICAL_PARTY, 0.08),
            (OrganisationType.ARMED_FORCES, 0.05),
            (OrganisationType.INTERGOVERNMENTAL_BODY, 0.02),
            (OrganisationType.GOVERNMENT_BODY, 0.05),
        ]
        org_types = [k.value for k, _ in kinds]
        weights = [w for _, w in kinds]
        for i in range(self.n_orgs):
            org_type = r.choices(org_types, weights)[0]
            country_index = self.skewed(len(country_ids))
            country = country_names[country_index]
            if org_type == "ministry":
                name = f"Ministry of {r.choice(TOPICS)} of {country}"
            elif org_type == "media_outlet":
                name = (
                    f"{r.choice(CITIES)} {r.choice(PAPERS)}"
                    if r.random() < 0.6
                    else f"{self.word()} {r.choice(PAPERS)}"
                )
            elif org_type == "company":
                name = f"{self.word()} {r.choice(('Industries', 'Group', 'Holdings', 'Energy', 'Aero', 'Shipyards'))}"
            elif org_type == "research_institute":
                name = f"Institute of {r.choice(FIELDS)} {self.word()}"
            elif org_type == "political_party":
                name = f"{self.word()} {r.choice(('Party', 'Front', 'Union', 'Movement'))}"
            elif org_type == "armed_forces":
                name = f"{r.choice(('Navy', 'Air Force', 'Army', 'Border Guard'))} of {country}"
            elif org_type == "intergovernmental_body":
                name = f"{self.word()} Cooperation Council"
            else:
                name = f"{r.choice(('National', 'State', 'Federal'))} {r.choice(TOPICS)} Agency of {country}"
            pk = entity(ORG, name)
            parent = self.org_first + r.randrange(i) if i > 10 and r.random() < 0.1 else None
            typed.append((pk, org_type, country_ids[country_index], parent))
            self.orgs.append(name)
            if org_type == "media_outlet":
                self.media.append(pk)
            if r.random() < 0.5:
                initials = "".join(word[0] for word in name.split() if word[0].isupper())
                if len(initials) > 1:
                    alias(pk, initials, AliasKind.ABBREVIATION.value)
            if i % BATCH_ROWS == BATCH_ROWS - 1:
                flush_entities(org_w, "organisations")
        flush_entities(org_w, "organisations")

        # Events, each with two participants.
        self.events = []
        self.event_first = next_entity
        participants = []
        next_participant = self.next_id(EventParticipant)
        event_types = [t.value for t in EventType if t not in (EventType.OTHER,)]
        for i in range(self.n_events):
            event_type = r.choice(event_types)
            visitor = self.person_first + self.skewed(self.n_people)
            host_index = self.skewed(len(country_ids))
            visitor_name = self.people[visitor - self.person_first]
            host_name = country_names[host_index]
            if event_type in ("official_visit", "trip"):
                name = f"{visitor_name.split()[-1]}'s visit to {host_name}"
            elif event_type == "military_exercise":
                name = f"Exercise {self.word()}"
            elif event_type in ("conference", "meeting"):
                name = f"{self.word()} {r.choice(('Forum', 'Summit', 'Dialogue', 'Meeting'))} in {r.choice(CITIES)}"
            else:
                name = f"{EventType(event_type).label} between {visitor_name} and {host_name}"
            lower, upper, precision, text = self.partial_date(unknown=0.05)
            pk = entity(EVT, name)
            status = r.choices(("occurred", "planned", "cancelled"), (0.85, 0.1, 0.05))[0]
            parent = self.event_first + r.randrange(i) if i > 10 and r.random() < 0.05 else None
            typed.append(
                (
                    pk,
                    d(lower),
                    d(upper),
                    precision,
                    text,
                    event_type,
                    EventStatus(status).value,
                    country_ids[host_index],
                    r.choice(CITIES),
                    parent,
                )
            )
            self.events.append(name)
            participants.append((next_participant, pk, visitor, ParticipantRole.VISITOR.value))
            participants.append((next_participant + 1, pk, country_ids[host_index], ParticipantRole.HOST.value))
            next_participant += 2
            if r.random() < 0.05:
                alias(pk, f"{name} ({r.choice(CITIES)})", AliasKind.COMMON.value)
            if i % BATCH_ROWS == BATCH_ROWS - 1:
                flush_entities(event_w, "events")
                self.flush(participant_w, participants, "event participants")
        flush_entities(event_w, "events")
        self.flush(participant_w, participants, "event participants")

        # Roles: people holding positions in organisations.
        roles = []
        next_role = self.next_id(Role)
        # The skew would give the first person hundreds of roles at a million claims: a
        # person already holding the most roles allowed (factbase/limits.py) passes the role
        # to the next person, so that the random draws, and every later row, stay the same.
        held, most = [0] * self.n_people, limits.ROLES_PER_PERSON.value
        for _ in range(round(self.n_people * ROLES_PER_PERSON)):
            lower, upper, precision, text = self.partial_date(unknown=0.3)
            uid = self.u(self.uid())
            person = self.skewed(self.n_people)
            while held[person] >= most:
                person = (person + 1) % self.n_people
            held[person] += 1
            roles.append(
                (
                    next_role,
                    stamp,
                    stamp,
                    d(lower),
                    d(upper),
                    precision,
                    text,
                    uid,
                    self.person_first + person,
                    self.org_first + r.randrange(self.n_orgs),
                    r.choice(TITLES),
                )
            )
            next_role += 1
            if len(roles) >= BATCH_ROWS:
                self.flush(role_w, roles, "roles")
        self.flush(role_w, roles, "roles")

    # --- documents, claims, spans ----------------------------------------------------

    def kind_of(self, entity_id: int) -> str:
        """The kind of an entity `pick` returned, from the id ranges of this run's people,
        organisations and events (countries are the rest)."""
        for kind, first, count in (
            (PER, self.person_first, self.n_people),
            (ORG, self.org_first, self.n_orgs),
            (EVT, self.event_first, self.n_events),
        ):
            if first <= entity_id < first + count:
                return kind
        return CTY

    def pick(self, kind: str) -> tuple[int, str]:
        r = self.rng
        if kind == PER:
            i = self.skewed(self.n_people)
            return self.person_first + i, self.people[i]
        if kind == ORG:
            i = self.skewed(self.n_orgs)
            return self.org_first + i, self.orgs[i]
        if kind == EVT:
            i = r.randrange(self.n_events)
            return self.event_first + i, self.events[i]
        i = self.skewed(len(self.countries))
        return self.countries[i]

    def build_claims(self) -> None:
        r, c, d, u, stamp = self.rng, self.connection, self.d, self.u, self.stamp
        doc_w = Writer(
            c,
            Document,
            [
                "id",
                "created",
                "updated",
                "date_lower",
                "date_upper",
                "date_precision",
                "date_text",
                "title",
                "text",
                "sha256",
                "publisher_id",
                "language",
                "url",
            ],
        )
        claim_w = Writer(
            c,
            Claim,
            [
                "id",
                "created",
                "updated",
                "date_lower",
                "date_upper",
                "date_precision",
                "date_text",
                "uid",
                "subject_id",
                "subject_kind",
                "predicate_id",
                "object_id",
                "value",
                "event_id",
                "attributed_to_id",
                "attribution",
                "modality",
                "polarity",
                "status",
                "confidence",
                "fact_id",
                "value_key",
            ],
        )
        fact_w = Writer(c, Fact, ["id", "created", "updated"])
        contradiction_w = Writer(c, Contradiction, ["id", "created", "updated", "fact_id", "other_id", "kind"])
        span_w = Writer(
            c,
            SourceSpan,
            ["id", "created", "updated", "start", "end", "exact", "prefix", "suffix", "claim_id", "document_id"],
        )
        next_doc, next_claim, next_span = self.next_id(Document), self.next_id(Claim), self.next_id(SourceSpan)
        next_fact, next_contradiction = self.next_id(Fact), self.next_id(Contradiction)
        fr, pool = self.fact_rng, []  # pool: recent statements, each (fact id, status, its fields)
        fact_id = None
        statuses = [
            s.value for s in (ClaimStatus.PUBLISHED, ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW, ClaimStatus.REJECTED)
        ]
        status_weights = (0.8, 0.1, 0.05, 0.05)
        modalities = [m.value for m in (Modality.PLANNED, Modality.EXPECTED, Modality.POSSIBLE)]
        confidences = [c.value for c in Confidence]
        attributions = [a.value for a in (AttributionMode.REPORTS, AttributionMode.QUOTES, AttributionMode.OPINES)]
        docs, claims, spans, facts, contradictions = [], [], [], [], []
        writers = (doc_w, claim_w, span_w, fact_w, contradiction_w)
        remaining = self.n_claims
        for doc_index in range(self.n_documents):
            # Spread the claims evenly over the documents (the last ones take the remainder).
            n_here = remaining // (self.n_documents - doc_index)
            remaining -= n_here
            lower, upper, precision, date_text = self.partial_date(unknown=0)
            city = r.choice(CITIES)
            subject_id, subject_name = self.pick(PER)
            title = f"{subject_name} in {city}: {r.choice(SAYINGS).capitalize()}"
            parts = [title, "\n\n", f"{city.upper()}, {date_text[3:] if precision == 'day' else date_text}. "]
            length = sum(len(p) for p in parts)
            doc_id = next_doc
            next_doc += 1
            doc_spans = []  # (claim_id, start, end), filled in once the text is complete
            for _ in range(n_here):
                if r.random() < 0.25:
                    filler = r.choice(FILLER) + " "
                    parts.append(filler)
                    length += len(filler)
                if r.random() < 0.08:
                    parts.append("\n\n")
                    length += 2
                predicate_id, spec, subject_kinds, object_kinds = self.predicates[r.randrange(len(self.predicates))]
                subject_id, subject_name = self.pick(r.choice(subject_kinds))
                object_id, object_name = self.pick(r.choice(object_kinds)) if object_kinds else (None, "")
                value = r.choice(spec.values) if spec.values else ""
                roll = r.random()
                if roll < 0.06:
                    template, polarity, modality = spec.negated, Polarity.NEGATED.value, Modality.ASSERTED.value
                elif roll < 0.16:
                    template, polarity, modality = spec.planned, Polarity.AFFIRMED.value, r.choice(modalities)
                else:
                    template, polarity, modality = spec.affirmed, Polarity.AFFIRMED.value, Modality.ASSERTED.value
                c_lower, c_upper, c_precision, c_text = self.partial_date()
                status = None
                statement = (
                    predicate_id, spec, subject_id, subject_name, object_id, object_name, value,
                    template, polarity, modality, c_lower, c_upper, c_precision, c_text,
                )  # fmt: skip
                denied = None
                if pool and fr.random() < REPEATED:
                    fact_id, first_status, statement = pool[fr.randrange(len(pool))]
                    if statement[8] == Polarity.AFFIRMED.value and statement[1].negated and fr.random() < DENIED:
                        denied, first_published = fact_id, first_status == ClaimStatus.PUBLISHED.value
                        statement = (
                            *statement[:7], statement[1].negated, Polarity.NEGATED.value, Modality.ASSERTED.value,
                            *statement[10:],
                        )  # fmt: skip
                (
                    predicate_id, spec, subject_id, subject_name, object_id, object_name, value,
                    template, polarity, modality, c_lower, c_upper, c_precision, c_text,
                ) = statement  # fmt: skip
                sentence = template.format(s=subject_name, o=object_name, v=value)
                if c_text:
                    sentence = f"{sentence} {c_text}"
                attributed_to, attribution = None, AttributionMode.STATES.value
                if r.random() < 0.2:
                    if self.media and r.random() < 0.5:
                        attributed_to = self.media[self.skewed(len(self.media))]
                        attributor = self.orgs[attributed_to - self.org_first]
                    else:
                        attributed_to, attributor = self.pick(PER)
                    attribution = r.choice(attributions)
                    sentence = f"According to {attributor}, {sentence}"
                sentence += "."
                event_id = self.event_first + r.randrange(self.n_events) if r.random() < 0.3 else None
                claim_id = next_claim
                next_claim += 1
                status = r.choices(statuses, status_weights)[0]
                if denied is not None or not pool or fact_id is None:
                    fact_id = next_fact
                    next_fact += 1
                    facts.append((fact_id, stamp, stamp))
                    entry = (fact_id, status, statement)
                    if len(pool) < STATEMENT_POOL:
                        pool.append(entry)
                    else:
                        pool[fr.randrange(STATEMENT_POOL)] = entry
                    if denied is not None and first_published and status == ClaimStatus.PUBLISHED.value:
                        # Found among published claims, as factbase/services/facts.py finds them.
                        contradictions.append(
                            (next_contradiction, stamp, stamp, denied, fact_id, ContradictionKind.POLARITY.value)
                        )
                        next_contradiction += 1
                claims.append(
                    (
                        claim_id,
                        stamp,
                        stamp,
                        d(c_lower),
                        d(c_upper),
                        c_precision,
                        c_text,
                        u(self.uid()),
                        subject_id,
                        self.kind_of(subject_id),
                        predicate_id,
                        object_id,
                        value,
                        event_id,
                        attributed_to,
                        attribution,
                        modality,
                        polarity,
                        status,
                        r.choice(confidences),
                        fact_id,
                        value_key(value),
                    )
                )
                fact_id = None
                doc_spans.append((claim_id, length, length + len(sentence)))
                if object_name and r.random() < 0.05:
                    # A second span: the object's name as the sentence words it.
                    at = sentence.find(object_name)
                    if at > 0:
                        doc_spans.append((claim_id, length + at, length + at + len(object_name)))
                parts.append(sentence)
                parts.append(" ")
                length += len(sentence) + 1
            text = "".join(parts).rstrip() + "\n"
            publisher = self.media[self.skewed(len(self.media))] if self.media and r.random() < 0.7 else None
            docs.append(
                (
                    doc_id,
                    stamp,
                    stamp,
                    d(lower),
                    d(upper),
                    precision,
                    date_text,
                    title[:500],
                    text,
                    hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    publisher,
                    "en",
                    f"https://news.example/{doc_id}",
                )
            )
            for claim_id, start, end in doc_spans:
                spans.append(
                    (
                        next_span,
                        stamp,
                        stamp,
                        start,
                        end,
                        text[start:end],
                        text[max(0, start - CONTEXT_CHARS) : start],
                        text[end : end + CONTEXT_CHARS],
                        claim_id,
                        doc_id,
                    )
                )
                next_span += 1
            if len(docs) >= DOCUMENTS_PER_BATCH or len(claims) >= BATCH_ROWS:
                self.write_documents(writers, docs, claims, spans, facts, contradictions)
        self.write_documents(writers, docs, claims, spans, facts, contradictions)

    def write_documents(self, writers, docs, claims, spans, facts, contradictions) -> None:
        doc_w, claim_w, span_w, fact_w, contradiction_w = writers
        with transaction.atomic(using=self.using):
            self.report.add("facts", fact_w.write(facts))  # before the claims that name them
            self.report.add("documents", doc_w.write(docs))
            self.report.add("claims", claim_w.write(claims))
            self.report.add("source spans", span_w.write(spans))
            self.report.add("contradictions", contradiction_w.write(contradictions))
        facts.clear(), contradictions.clear()
        done = self.report.counts.get("claims", 0)
        if done // 100_000 != (done - len(claims)) // 100_000:
            self.log(f"  {done:,} claims")
        docs.clear(), claims.clear(), spans.clear()

    # --- finishing -------------------------------------------------------------------

    def finish(self) -> None:
        models = [Entity, Alias, EventParticipant, Role, Document, Claim, SourceSpan, Predicate, Fact, Contradiction]
        bulk.reset_sequences(self.connection, models)
        # Each fact's independent sources and whether it is contradicted, counted as the
        # services count them, in two statements over every fact. The statistics first: on
        # tables PostgreSQL has never analysed, it read every span again for each fact (an
        # UPDATE still running after 14 minutes at a million claims).
        bulk.analyze(self.connection)
        facts_recount(using=self.using)
        bulk.analyze(self.connection)

    def run(self) -> SynthReport:
        started = time.monotonic()
        bulk.large_sort_cache(self.connection)
        self.ensure_countries()
        self.ensure_predicates()
        # The stream depends on where the ids start, so adding a second corpus with the same
        # seed (--force) gives new UUIDs rather than duplicates; on an empty database it is
        # the same every time.
        self.rng = random.Random(f"{self.seed}:{self.next_id(Entity)}:{self.next_id(Claim)}")
        self.log(
            f"Building {self.n_claims:,} claims: {self.n_people:,} people, {self.n_orgs:,} organisations, "
            f"{self.n_events:,} events, {self.n_documents:,} documents"
        )
        tables = [m._meta.db_table for m in BULK_MODELS]
        with bulk.load(self.connection, tables, log=self.log):
            self.build_entities()
            self.log(f"  entities done in {time.monotonic() - started:.1f} s")
            self.build_claims()
            self.log(f"  rows written in {time.monotonic() - started:.1f} s; indexing")
        self.finish()
        self.report.seconds = time.monotonic() - started
        return self.report


BULK_MODELS = (
    Entity,
    Person,
    Organisation,
    Event,
    EventParticipant,
    Alias,
    Role,
    Document,
    Fact,
    Claim,
    SourceSpan,
    Contradiction,
)


def synth_build(
    *, claims: int, seed: int = 1, using: str = "default", log: Callable[[str], None] = print
) -> SynthReport:
    """Add a synthetic corpus of `claims` claims (and the entities, documents and spans they
    need) to the database `using`. Deterministic for a given (claims, seed) on an empty
    database."""
    if claims < 0:
        raise ValueError("claims must be zero or more")
    return Builder(claims=claims, seed=seed, using=using, log=log).run()
