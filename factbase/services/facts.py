"""Facts: grouping claims that state the same thing, the curators' split and join, and the
count of independent sources behind each fact.

Grouping (`claim_group`) runs in every claim write of factbase/services/claims.py, before
the claim is saved, so that its fact is saved with it: one statement finds a claim of
another fact that states the same (same subject, predicate, object and `value_key`, the value
normalised; same polarity; compatible dates: overlapping intervals, or one undated) and the
claim joins that fact, the one with the lowest id; when none does, the same statement founds
a fact (`_join_or_found`). An edit that changes none of that costs nothing. Claims in no fact
(written before facts existed) and whole sets of claims (an entity merge, a fixture load,
`manage.py regroup_facts`) are grouped in batches with the same result (`facts_regroup`). A claim whose membership a curator decided
(`fact_pinned`: split out, or joined) is never moved by grouping.

`sources` is kept on the fact (`facts_refresh`, one UPDATE for any number of facts): the
services refresh it when a published claim, its evidence or its membership changes. One
publisher counts once however many of its documents repeat a claim; a document without a
publisher is a source of its own; a claim attributed to someone (`attributed_to`) counts
for that speaker, not for each outlet that quotes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from factbase.enums import ClaimStatus, ContradictionKind, Polarity
from factbase.indexes import bulk, grouping
from factbase.models import Claim, Contradiction, Fact, SourceSpan, value_key
from factbase.permissions import allows, refusal
from factbase.services.errors import Conflict, Forbidden

# The claim fields grouping compares: a write that changes none of them keeps the claim's fact.
STATEMENT_FIELDS = frozenset(
    {"subject", "predicate", "object", "value", "polarity", "date", "date_lower", "date_upper", "date_precision"}
)


def _same_statement(claim: Claim, using: str):
    """Claims of other facts that state what `claim` states, over compatible dates."""
    same = Claim.objects.using(using).filter(
        subject_id=claim.subject_id,
        predicate_id=claim.predicate_id,
        object_id=claim.object_id,
        # Beside an object the value still says what (“former Prime Minister” and “former
        # President” of Russia are two positions): compared too, normalised.
        value_key=value_key(claim.value),
        polarity=claim.polarity,
        fact__isnull=False,
    )
    if claim.pk is not None:
        same = same.exclude(pk=claim.pk)
    if claim.date_lower is not None:
        same = same.filter(
            Q(date_lower__isnull=True) | Q(date_lower__lte=claim.date_upper, date_upper__gte=claim.date_lower)
        )
    return same


def claim_group(claim: Claim, *, changed=STATEMENT_FIELDS, using: str = "default") -> int | None:
    """Put `claim` (not yet saved) in the fact of the claims that state the same, or in a
    new fact, in one statement (`_join_or_found`). `changed`: the fields an edit sets; when
    none is in STATEMENT_FIELDS, the claim keeps its fact and nothing is asked. Returns the
    fact it left, if any."""
    if claim.fact_pinned or (claim.fact_id is not None and not STATEMENT_FIELDS.intersection(changed)):
        return None
    claim.value_key = value_key(claim.value)
    left = claim.fact_id
    claim.fact_id = _join_or_found(claim, using=using)
    return left if left != claim.fact_id else None


def _statement_lock_key(claim: Claim) -> int:
    """The lock key of the claim's statement (subject, predicate, object, value, polarity;
    not the dates: overlapping is not a key)."""
    return grouping.statement_key(
        f"{claim.subject_id}|{claim.predicate_id}|{claim.object_id}|{claim.value_key}|{claim.polarity}"
    )


def grouping_lock(*, using: str = "default") -> None:
    """Hold off every other grouping until the transaction ends (PostgreSQL): a batch of
    regrouping, which reads many statements at once."""
    grouping.lock_all(connections[using])


def _join_or_found(claim: Claim, *, using: str) -> int:
    """The fact `claim` belongs in, found or founded by one statement
    (factbase/indexes/grouping.py): the lowest fact of the claims that state the same
    (`_same_statement`); else the claim's own fact, when no other claim is in it (an edit
    that leaves a fact alone keeps it); else a new fact. On PostgreSQL, under an advisory lock
    on the statement, so that two writers of one new statement found one fact."""
    connection = connections[using]
    lookup = _same_statement(claim, using).order_by("fact_id").values("fact_id")[:1]
    others = None
    if claim.fact_id is not None:
        beside = Claim.objects.using(using).filter(fact_id=claim.fact_id).exclude(pk=claim.pk).values("pk")[:1]
        others = beside.query.get_compiler(using=using).as_sql()
    return grouping.join_or_found(
        connection,
        table=Fact._meta.db_table,
        row=bulk.default_row(connection, Fact),
        found=lookup.query.get_compiler(using=using).as_sql(),
        others=others,
        left=claim.fact_id,
        key=_statement_lock_key(claim),
    )


def facts_refresh(fact_ids, *, using: str = "default") -> None:
    """Count each fact's independent sources again, in one UPDATE (the distinct speakers of
    its published attributed claims, publishers of the documents its other published claims
    cite, and the documents without a publisher, by a negative id: a third id space), then
    find what contradicts each (`contradictions_find`)."""
    ids = sorted({pk for pk in fact_ids if pk is not None})
    if not ids:
        return
    _count_sources(Fact.objects.using(using).filter(pk__in=ids))
    contradictions_find(ids, using=using)


def facts_recount(*, using: str = "default") -> None:
    """Count every fact's sources and set every `contradicted` flag again, in two statements
    (a bulk load that wrote facts and contradictions as rows: factbase/synth/)."""
    with transaction.atomic(using=using):
        _count_sources(Fact.objects.using(using).all())
        facts_flag_contradicted(None, using=using)


def _count_sources(facts) -> None:
    source = Coalesce("claim__attributed_to_id", "document__publisher_id", Value(0) - F("document_id"))
    counted = (
        SourceSpan.objects.filter(claim__fact=OuterRef("pk"), claim__status=ClaimStatus.PUBLISHED)
        .order_by()
        .values("claim__fact")
        .annotate(n=Count(source, distinct=True))
        .values("n")
    )
    facts.update(sources=Coalesce(Subquery(counted), 0))


def facts_drop_empty(fact_ids=None, *, using: str = "default") -> int:
    """Delete the facts of `fact_ids` (None: any) that no claim states any more; returns how many."""
    facts = Fact.objects.using(using)
    if fact_ids is not None:
        ids = [pk for pk in fact_ids if pk is not None]
        if not ids:
            return 0
        facts = facts.filter(pk__in=ids)
    stated = Claim.objects.using(using).filter(fact__isnull=False).values("fact_id")
    return facts.exclude(pk__in=stated).delete()[1].get(Fact._meta.label, 0)


def facts_after_merge(*, claim_ids, document_ids=()) -> None:
    """After an entity merge re-pointed claims (`claim_ids`: as subject, object or
    attribution) and documents (`document_ids`: as publisher): group those claims again, and
    count the sources of the facts that cite those documents again. (Undoing the merge puts
    the facts back as they were: factbase/services/merges.py.)"""
    claim_ids = sorted(claim_ids)
    claims_regroup([claim for chunk in _chunks(claim_ids) for claim in Claim.objects.filter(pk__in=chunk)])
    cited = set()
    for chunk in _chunks(sorted(document_ids)):
        cited.update(Claim.objects.filter(spans__document__in=chunk).values_list("fact_id", flat=True))
    for chunk in _chunks(sorted(pk for pk in cited if pk is not None)):
        facts_refresh(chunk)


def claims_regroup(claims, *, using: str = "default") -> None:
    """Group `claims` again from scratch (an entity merge re-pointed them, fixtures loaded
    them), pinned ones excepted, as if each were written again in id order (`facts_regroup`):
    it joins the lowest fact of the claims that state the same, or founds one. Then the
    facts they left or joined are counted again and the emptied ones deleted."""
    ids = sorted(claim.pk for claim in claims if not claim.fact_pinned)
    if ids:
        facts_regroup(claim_ids=ids, using=using)


@dataclass
class Regrouped:
    """What `facts_regroup` did: the claims it grouped, those of them that moved (or were
    given a fact), the facts it founded and those it deleted (no claim left in them), and the
    batches (transactions) it took."""

    claims: int = 0
    moved: int = 0
    founded: int = 0
    emptied: int = 0
    batches: int = 0


REGROUP_BATCH = 20_000  # claims read per batch (whole subjects: a statement never spans two)


@dataclass
class _Group:
    """Claims of one statement that share a fact: one that is there (`fact_id`), or one the
    batch founds (`fact_id` None until it is named). `order`: which one a claim joins first."""

    order: tuple
    fact_id: int | None
    claims: list = field(default_factory=list)

    def admits(self, row: dict) -> bool:
        """Whether `row` may join (as `_same_statement` asks): it is undated, or one of the
        group's claims is, or overlaps it."""
        if row["date_lower"] is None:
            return True
        lower, upper = row["date_lower"], row["date_upper"]
        return any(
            c["date_lower"] is None or (c["date_lower"] <= upper and c["date_upper"] >= lower) for c in self.claims
        )


def facts_regroup(
    *, claim_ids=None, every: bool = False, batch_size: int = REGROUP_BATCH, using: str = "default", progress=None
) -> Regrouped:
    """Group claims in sets, with what grouping them one by one on write, in id order, gives
    (`claim_group`): the claims of `claim_ids` (an entity merge, a fixture load), else every
    claim in no fact, else with `every` every claim. Pinned claims never move; they and the
    claims not regrouped are there to be joined; with `every`, the facts no claim is in go too.

    Batches hold whole subjects (claims of different subjects never state the same), each in
    its own transaction, which on PostgreSQL holds off grouping on write (`grouping_lock`).
    A batch reads its subjects' claims in one query, decides in memory, founds its new facts
    in one INSERT, moves its claims in one UPDATE per thousand, then deletes the facts it
    emptied and counts the sources and contradictions of every fact it touched
    (`facts_refresh`): a few statements per thousand claims. A new group whose claims are
    already, alone, in one fact keeps that fact, so a second run changes nothing.
    `progress(done)` is called after each batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    manager = Claim.objects.using(using)
    done = Regrouped()
    if claim_ids is not None:
        wanted = set(claim_ids)
        subjects = set()
        for chunk in _chunks(sorted(wanted)):
            subjects.update(manager.filter(pk__in=chunk).order_by().values_list("subject_id", flat=True).distinct())
        sizes = {}
    else:
        wanted = None
        targets = manager.filter(fact_pinned=False) if every else manager.filter(fact__isnull=True, fact_pinned=False)
        batched = manager.filter(subject_id__in=targets.order_by().values("subject_id"))
        sizes = dict(batched.order_by().values("subject_id").annotate(n=Count("pk")).values_list("subject_id", "n"))
        subjects = set(sizes)
    batch, filled = [], 0
    for subject in sorted(subjects):
        batch.append(subject)
        filled += sizes.get(subject, 1)
        if filled >= batch_size or len(batch) >= CHUNK:
            _regroup_batch(batch, wanted=wanted, every=every, using=using, done=done)
            batch, filled = [], 0
            if progress is not None:
                progress(done)
    if batch:
        _regroup_batch(batch, wanted=wanted, every=every, using=using, done=done)
        if progress is not None:
            progress(done)
    if every:  # from scratch: a fact no claim is in (left by older rules) goes too
        with transaction.atomic(using=using):
            grouping_lock(using=using)
            done.emptied += facts_drop_empty(using=using)
    return done


_READ = (
    "pk",
    "subject_id",
    "predicate_id",
    "object_id",
    "value",
    "value_key",
    "polarity",
    "date_lower",
    "date_upper",
    "fact_id",
    "fact_pinned",
)


def _statement(row: dict) -> tuple:
    return row["subject_id"], row["predicate_id"], row["object_id"], row["value_key"], row["polarity"]


def _regroup_batch(subjects: list[int], *, wanted, every: bool, using: str, done: Regrouped) -> None:
    manager = Claim.objects.using(using)
    with transaction.atomic(using=using):
        grouping_lock(using=using)
        rows = manager.filter(subject_id__in=subjects).order_by("pk").values(*_READ)
        statements: dict[tuple, dict[int, _Group]] = {}  # a statement's facts that are there
        regrouped = []
        for row in rows:
            if not row["fact_pinned"] and (
                row["pk"] in wanted if wanted is not None else every or row["fact_id"] is None
            ):
                row["stored_key"], row["value_key"] = row["value_key"], value_key(row["value"])
                regrouped.append(row)
            elif row["fact_id"] is not None:  # a pinned claim in no fact has nothing to join
                facts = statements.setdefault(_statement(row), {})
                facts.setdefault(row["fact_id"], _Group((0, row["fact_id"]), row["fact_id"])).claims.append(row)
        groups = {key: sorted(facts.values(), key=lambda g: g.order) for key, facts in statements.items()}
        # In id order, as written one by one: each claim joins the first group (the facts
        # there by id, then the new ones in the order they were founded) with a claim whose
        # dates are compatible, or founds the next.
        founded: list[_Group] = []
        for row in regrouped:
            mine = groups.setdefault(_statement(row), [])
            group = next((g for g in mine if g.admits(row)), None)
            if group is None:
                group = _Group((1, len(founded)), None)
                founded.append(group)
                mine.append(group)
            group.claims.append(row)
            row["group"] = group
        done.founded += _name_founded(founded, using=using)
        moved, touched = [], set()
        for row in regrouped:
            fact = row["group"].fact_id
            if fact != row["fact_id"] or row["value_key"] != row["stored_key"]:
                touched.update((row["fact_id"], fact))
                moved.append((row["pk"], fact, row["value_key"]))
                done.moved += fact != row["fact_id"]
        if moved:
            grouping.claims_move(connections[using], table=Claim._meta.db_table, moved=moved)
        touched.discard(None)
        for chunk in _chunks(sorted(touched)):
            done.emptied += facts_drop_empty(chunk, using=using)
            facts_refresh(chunk, using=using)
        done.claims += len(regrouped)
        done.batches += 1


class UnsavedGrouping:
    """Groups claims before they are first saved, batch after batch within one transaction
    (the importer's new claims): each joins what `facts_regroup` of the saved claims would
    give it, in the order given (their id order once inserted), so that each claim row is
    written once, with its fact, rather than inserted and then moved.

    The claims of a subject already in facts are read once, the first time a batch names
    the subject, and the groups kept in memory with the claims grouped since; `forget()`
    drops them when other writes may have moved claims (a claim service's regrouping).
    The transaction holds off grouping on write from the first batch on (`grouping_lock`).
    After the claims are inserted, `refresh_later` keeps the facts they joined for one
    `refresh_pending` at the end, which counts their sources and finds their contradictions
    (`facts_refresh`), a subject's facts together: each refresh reads the other published
    claims of its facts' subjects, so a refresh per batch of a large file read most of the
    claims written before it again."""

    def __init__(self, *, using: str = "default"):
        self.using = using
        self.statements: dict[tuple, list[_Group]] = {}  # a statement's groups, in joining order
        self.subjects: set[int] = set()
        self.locked = False
        self.pending: dict[int, int] = {}  # fact id -> its subject, to refresh

    def forget(self) -> None:
        self.statements.clear()
        self.subjects.clear()

    def _read(self, subjects: list[int]) -> None:
        manager = Claim.objects.using(self.using)
        for chunk in _chunks(subjects):
            facts: dict[tuple, dict[int, _Group]] = {}
            rows = manager.filter(subject_id__in=chunk, fact__isnull=False).order_by("pk").values(*_READ)
            for row in rows:
                groups = facts.setdefault(_statement(row), {})
                groups.setdefault(row["fact_id"], _Group((0, row["fact_id"]), row["fact_id"])).claims.append(row)
            for key, groups in facts.items():
                self.statements[key] = sorted(groups.values(), key=lambda g: g.order)
        self.subjects.update(subjects)

    def group(self, claims: list[Claim]) -> set[int]:
        """Set `fact_id` and `value_key` of each of `claims` (unsaved, none pinned), founding
        the new facts in one INSERT; returns the facts they joined."""
        if not self.locked:
            grouping_lock(using=self.using)
            self.locked = True
        self._read(sorted({claim.subject_id for claim in claims} - self.subjects))
        founded: list[_Group] = []
        placed = []
        for claim in claims:
            row = {
                "subject_id": claim.subject_id,
                "predicate_id": claim.predicate_id,
                "object_id": claim.object_id,
                "value_key": value_key(claim.value),
                "polarity": claim.polarity,
                "date_lower": claim.date_lower,
                "date_upper": claim.date_upper,
            }
            mine = self.statements.setdefault(_statement(row), [])
            group = next((g for g in mine if g.admits(row)), None)
            if group is None:
                group = _Group((1, len(founded)), None)
                founded.append(group)
                mine.append(group)
            group.claims.append(row)
            placed.append((claim, row, group))
        # The new facts are alike (defaults), so which group gets which id does not matter.
        ids = bulk.insert_defaults(connections[self.using], Fact, len(founded))
        for group, pk in zip(founded, sorted(ids), strict=True):
            group.fact_id, group.order = pk, (0, pk)
        for claim, row, group in placed:
            claim.fact_id, claim.value_key = group.fact_id, row["value_key"]
        return {group.fact_id for _, _, group in placed}

    def refresh_later(self, claims: list[Claim]) -> None:
        """Keep the facts of `claims` (saved, grouped) for `refresh_pending`."""
        for claim in claims:
            self.pending[claim.fact_id] = claim.subject_id

    def refresh_pending(self) -> None:
        ordered = sorted(self.pending, key=lambda pk: (self.pending[pk], pk))
        self.pending = {}
        for chunk in _chunks(ordered):
            facts_refresh(chunk, using=self.using)


def _name_founded(founded: list, *, using: str) -> int:
    """A new group keeps the fact its claims are all in already when no other claim is in it
    (a second run, or an entity merge that changed nothing of it); the others get new facts,
    in one INSERT (without history, as a fact founded on write: its first claim's is)."""
    kept = {}
    candidates = set()
    for group in founded:
        facts = {row["fact_id"] for row in group.claims}
        if len(facts) == 1 and None not in facts:
            candidates.update(facts)
    sizes = {}
    for chunk in _chunks(sorted(candidates)):
        manager = Claim.objects.using(using).filter(fact_id__in=chunk).order_by()
        sizes.update(manager.values("fact_id").annotate(n=Count("pk")).values_list("fact_id", "n"))
    for group in founded:
        fact = group.claims[0]["fact_id"]
        if fact in candidates and sizes.get(fact) == len(group.claims) and fact not in kept:
            kept[fact] = group
            group.fact_id = fact
    new = [group for group in founded if group.fact_id is None]
    for group, fact in zip(new, Fact.objects.using(using).bulk_create([Fact() for _ in new]), strict=True):
        group.fact_id = fact.pk
    return len(new)


CHUNK = 1000  # ids per IN list: an entity merge moves up to 50,000 claims, beyond SQLite's bound


def _chunks(ids: list) -> list[list]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


@transaction.atomic
def fact_split(*, fact: Fact, claim: Claim, by=None) -> Fact:
    """Take `claim` out of `fact` into a fact of its own, for good: later automatic grouping
    leaves it there (`fact_pinned`). Returns the new fact."""
    if claim.fact_id != fact.pk:
        raise ValidationError({"claim": f"Claim {claim.pk} is not in fact {fact.pk}."})
    if not Claim.objects.filter(fact=fact).exclude(pk=claim.pk).exists():
        raise Conflict({"claim": f"Claim {claim.pk} is the only claim of fact {fact.pk}: there is nothing to split."})
    new = Fact.objects.create()  # with its history: a curator's decision
    claim.fact, claim.fact_pinned = new, True
    claim.save(update_fields=["fact", "fact_pinned", "updated"])
    facts_refresh([fact.pk, new.pk])
    return new


@transaction.atomic
def fact_join(*, fact: Fact, other: Fact, by=None) -> Fact:
    """Move every claim of `other` into `fact`, for good (`fact_pinned`), and delete `other`."""
    if other.pk == fact.pk:
        raise ValidationError({"fact": "Pick another fact to join to this one."})
    for claim in Claim.objects.filter(fact=other).order_by("pk"):
        claim.fact, claim.fact_pinned = fact, True
        claim.save(update_fields=["fact", "fact_pinned", "updated"])
    other.delete()
    facts_refresh([fact.pk])
    return fact


# --- contradictions -----------------------------------------------------------------------

_COMPARED = (
    "pk",
    "fact_id",
    "subject_id",
    "predicate_id",
    "predicate__single_valued",
    "object_id",
    "value_key",
    "polarity",
    "date_lower",
    "date_upper",
)


def _overlapping(a: dict, b: dict) -> bool:
    return (
        a["date_lower"] is not None
        and b["date_lower"] is not None
        and a["date_lower"] <= b["date_upper"]
        and b["date_lower"] <= a["date_upper"]
    )


def contradiction_kind(a: dict, b: dict) -> str | None:
    """How two published claims of different facts contradict each other, if they do, over
    compatible dates (overlapping, or one undated: an undated claim may mean any time): the
    same object (or, without objects, the same value) with opposite polarity, or, for a
    single-valued predicate, different objects (or values) affirmed."""
    if a["fact_id"] == b["fact_id"] or (a["subject_id"], a["predicate_id"]) != (b["subject_id"], b["predicate_id"]):
        return None
    compatible = a["date_lower"] is None or b["date_lower"] is None or _overlapping(a, b)
    if not compatible:
        return None
    # What is said of the subject: the object, or without one the value. A value beside the
    # same object is wording here (“did not meet Laos” denies “met Laos: the leaders”), and
    # not another object of a single-valued predicate.
    if a["object_id"] is not None or b["object_id"] is not None:
        same_object = a["object_id"] == b["object_id"]
    else:
        same_object = a["value_key"] == b["value_key"]
    if same_object and a["polarity"] != b["polarity"]:
        return ContradictionKind.POLARITY
    if a["predicate__single_valued"] and not same_object and a["polarity"] == b["polarity"] == Polarity.AFFIRMED:
        return ContradictionKind.SINGLE_VALUE
    return None


def _what(claim: dict) -> tuple:
    """What a claim says of its subject, as `contradiction_kind` compares it: its object, or
    without one its value."""
    return ("object", claim["object_id"]) if claim["object_id"] is not None else ("value", claim["value_key"])


def contradictions_find(fact_ids, *, using: str = "default") -> None:
    """Find again what contradicts each fact of `fact_ids`, among published claims: record
    the new contradictions, delete those that no longer hold (resolved or not: both sides no
    longer say it), keep the rest as they are (a resolved one stays resolved), and set each
    fact's `contradicted` flag (an open contradiction)."""
    ids = {pk for pk in fact_ids if pk is not None}
    if not ids:
        return
    published = Claim.objects.using(using).filter(status=ClaimStatus.PUBLISHED, fact__isnull=False).order_by()
    mine = list(published.filter(fact_id__in=ids).values(*_COMPARED))
    found: dict[tuple[int, int], str] = {}
    if mine:
        subjects = {c["subject_id"] for c in mine}
        predicates = {c["predicate_id"] for c in mine}
        near = published.filter(subject_id__in=subjects, predicate_id__in=predicates).exclude(fact_id__in=ids)
        # Only claims of one subject and predicate can contradict, and unless the predicate
        # is single-valued only those that say the same of it: compared within those.
        beside: dict[tuple, list[dict]] = {}
        for b in mine + list(near.values(*_COMPARED)):
            beside.setdefault((b["subject_id"], b["predicate_id"]), []).append(b)
            beside.setdefault((b["subject_id"], b["predicate_id"], *_what(b)), []).append(b)
        for a in mine:
            single = a["predicate__single_valued"]
            for b in beside[(a["subject_id"], a["predicate_id"], *(() if single else _what(a)))]:
                kind = contradiction_kind(a, b)
                if kind is not None:
                    pair = (min(a["fact_id"], b["fact_id"]), max(a["fact_id"], b["fact_id"]))
                    found.setdefault(pair, kind)
    contradictions = Contradiction.objects.using(using)
    existing = {(c.fact_id, c.other_id): c for c in contradictions.involving(ids)}
    gone = [c.pk for pair, c in existing.items() if pair not in found]
    if gone:
        contradictions.filter(pk__in=gone).delete()
    new = [Contradiction(fact_id=a, other_id=b, kind=kind) for (a, b), kind in found.items() if (a, b) not in existing]
    if new:
        contradictions.bulk_create(new)
    affected = ids | {pk for pair in list(found) + list(existing) for pk in pair}
    facts_flag_contradicted(affected, using=using)


def facts_flag_contradicted(fact_ids, *, using: str = "default") -> None:
    """Set `contradicted` on each fact of `fact_ids` (None: every fact): whether an open
    contradiction names it."""
    open_ = Contradiction.objects.using(using).filter(Q(fact=OuterRef("pk")) | Q(other=OuterRef("pk")), resolved=False)
    facts = Fact.objects.using(using)
    if fact_ids is not None:
        facts = facts.filter(pk__in=list(fact_ids))
    facts.update(contradicted=Exists(open_))


@transaction.atomic
def contradiction_resolve(*, contradiction: Contradiction, note: str, by) -> Contradiction:
    """A reviewer marks a contradiction resolved, saying how in `note`."""
    if not allows(by, "resolve", "factbase.contradiction"):
        raise Forbidden(refusal("resolve", "factbase.contradiction"))
    if contradiction.resolved:
        raise Conflict({"resolved": "This contradiction is already resolved."})
    if not note.strip():
        raise ValidationError({"note": "Say how the contradiction is resolved: which side holds, and why."})
    contradiction.resolved, contradiction.note = True, note.strip()
    contradiction.resolved_by = by if getattr(by, "is_authenticated", False) else None
    contradiction.resolved_at = timezone.now()
    contradiction.full_clean()
    contradiction.save()
    facts_flag_contradicted([contradiction.fact_id, contradiction.other_id])
    return contradiction


# --- ranks ------------------------------------------------------------------------------


def _check_ranker(by, label: str) -> None:
    if not allows(by, "rank", label):
        raise Forbidden(refusal("rank", label))


@transaction.atomic
def fact_rank(*, fact: Fact, rank: str, by) -> Fact:
    """A reviewer sets a fact's rank (Wikidata's): preferred, normal or deprecated."""
    _check_ranker(by, "factbase.fact")
    fact.rank = rank
    fact.full_clean()
    fact.save()
    return fact


@transaction.atomic
def claim_rank(*, claim: Claim, rank: str, by) -> Claim:
    """A reviewer sets a claim's rank within its fact: preferred, normal or deprecated."""
    _check_ranker(by, "factbase.claim")
    claim.rank = rank
    claim.full_clean()
    claim.save()
    return claim
