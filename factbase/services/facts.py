"""Facts: grouping claims that state the same thing, the curators' split and join, and the
count of independent sources behind each fact.

Grouping (`claim_group`) runs in every claim write of factbase/services/claims.py, before
the claim is saved, so that its fact is saved with it: one query finds a claim of another
fact that states the same (same subject, predicate, object and `value_key`, the value
normalised; same polarity; compatible dates: overlapping intervals, or one undated)
and the claim joins that fact, the one with the lowest id; when none does, the claim founds a fact (one more query). An edit
that changes none of that costs nothing. A claim whose membership a curator decided
(`fact_pinned`: split out, or joined) is never moved by grouping.

`sources` is kept on the fact (`facts_refresh`, one UPDATE for any number of facts): the
services refresh it when a published claim, its evidence or its membership changes. One
publisher counts once however many of its documents repeat a claim; a document without a
publisher is a source of its own; a claim attributed to someone (`attributed_to`) counts
for that speaker, not for each outlet that quotes them.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from factbase.enums import ClaimStatus, ContradictionKind, Polarity
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


def claim_group(claim: Claim, *, changed=STATEMENT_FIELDS, using: str = "default", locked: bool = False) -> int | None:
    """Put `claim` (not yet saved) in the fact of the claims that state the same, or in a
    new fact, in one statement (`_join_or_found`). `changed`: the fields an edit sets; when
    none is in STATEMENT_FIELDS, the claim keeps its fact and nothing is asked. `locked`: the
    caller holds the grouping lock for every statement (`grouping_lock`). Returns the fact it
    left, if any."""
    if claim.fact_pinned or (claim.fact_id is not None and not STATEMENT_FIELDS.intersection(changed)):
        return None
    claim.value_key = value_key(claim.value)
    left = claim.fact_id
    claim.fact_id = _join_or_found(claim, using=using, locked=locked)
    return left if left != claim.fact_id else None


# Advisory lock keys on PostgreSQL (pg_advisory_xact_lock's bigint space; factbase/indexes/
# changes.py holds another): every grouping statement holds GROUPING_SHARED shared and the
# key of its statement; a bulk regrouping holds GROUPING_SHARED exclusively.
GROUPING_SHARED = 4_205_771_264


def _statement_lock_key(claim: Claim) -> int:
    """A signed 64-bit key for the claim's statement (subject, predicate, object, value,
    polarity; not the dates: overlapping is not a key). Two statements may share a key: the
    later writer then waits for the earlier's commit, which is slower, never wrong."""
    text = f"{claim.subject_id}|{claim.predicate_id}|{claim.object_id}|{claim.value_key}|{claim.polarity}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def grouping_lock(*, using: str = "default") -> None:
    """Hold off every other grouping until the transaction ends (PostgreSQL; SQLite has one
    writer at a time anyway): a bulk regrouping, which reads many statements at once."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_SHARED])


def _join_or_found(claim: Claim, *, using: str, locked: bool) -> int:
    """The fact `claim` belongs in, found or founded by one statement: the lowest fact of the
    claims that state the same (`_same_statement`); else the claim's own fact, when no other
    claim is in it (an edit that leaves a fact alone keeps it); else a new fact, inserted by
    the same statement. Django's ORM writes no INSERT … SELECT, so the statement wraps SQL
    the ORM compiles for the lookup.

    Concurrent writers on PostgreSQL: two transactions that both find no fact for one
    statement would each found one (neither sees the other's uncommitted claim). So the
    statement takes an advisory lock on its statement's key with its lookup, held until
    commit; a writer that cannot take it at once (another transaction is grouping the same
    statement) waits for it, then asks again with a fresh snapshot that sees the other's
    claim: two more queries, only then."""
    connection = connections[using]
    lookup = _same_statement(claim, using).order_by("fact_id").values("fact_id")[:1]
    lookup_sql, lookup_params = lookup.query.get_compiler(using=using).as_sql()
    left = claim.fact_id
    others = Claim.objects.using(using).filter(fact_id=left).exclude(pk=claim.pk).values("pk")[:1]
    others_sql, others_params = others.query.get_compiler(using=using).as_sql()
    table = connection.ops.quote_name(Fact._meta.db_table)
    fields = [field for field in Fact._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    blank = Fact()
    values = [field.get_db_prep_save(field.pre_save(blank, add=True), connection) for field in fields]
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            key = _statement_lock_key(claim)
            # A new fact only when none is found and the claim is not alone in its own.
            founds = "TRUE" if left is None else f"EXISTS ({others_sql})"
            # Under the bulk lock (`locked`) no statement's lock is taken: a transaction holds
            # a bounded number of locks, and a merge regroups up to 50,000 claims.
            held = "TRUE" if locked else "pg_try_advisory_xact_lock_shared(%s) AND pg_try_advisory_xact_lock(%s)"
            sql = (
                f"WITH held AS MATERIALIZED (SELECT {held} AS held), "  # noqa: S608
                f"found AS MATERIALIZED ({lookup_sql}), "
                f"made AS (INSERT INTO {table} ({columns}) SELECT {placeholders} FROM held "
                f"WHERE held.held AND NOT EXISTS (SELECT 1 FROM found) AND {founds} RETURNING id) "
                "SELECT (SELECT held FROM held), (SELECT fact_id FROM found), (SELECT id FROM made)"
            )
            params = [*([] if locked else [GROUPING_SHARED, key]), *lookup_params, *values]
            if left is not None:
                params += others_params
            cursor.execute(sql, params)
            held, found, made = cursor.fetchone()
            if not held:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s)", [GROUPING_SHARED, key]
                )
                cursor.execute(sql, params)
                held, found, made = cursor.fetchone()
            return found if found is not None else made if made is not None else left
        # SQLite (one writer at a time): an INSERT whose id is the fact found, or the claim's
        # own when it is alone there (either conflicts, and the no-op update returns that
        # row), or none (a new fact, its id assigned).
        stays = "NULL" if left is None else f"CASE WHEN NOT EXISTS ({others_sql}) THEN %s END"
        sql = (
            f"INSERT INTO {table} (id, {columns}) SELECT COALESCE(({lookup_sql}), {stays}), {placeholders} "  # noqa: S608
            "WHERE TRUE ON CONFLICT (id) DO UPDATE SET sources = sources RETURNING id"
        )
        params = [*lookup_params]
        if left is not None:
            params += [*others_params, left]
        cursor.execute(sql, [*params, *values])
        return cursor.fetchone()[0]


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


def facts_drop_empty(fact_ids=None, *, using: str = "default") -> None:
    """Delete the facts of `fact_ids` (None: any) that no claim states any more."""
    facts = Fact.objects.using(using)
    if fact_ids is not None:
        ids = [pk for pk in fact_ids if pk is not None]
        if not ids:
            return
        facts = facts.filter(pk__in=ids)
    stated = Claim.objects.using(using).filter(fact__isnull=False).values("fact_id")
    facts.exclude(pk__in=stated).delete()


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
    them), pinned ones excepted: each leaves its fact, then joins the first fact of the
    claims that state the same, or founds one. Then the facts they left or joined are
    counted again and the emptied ones deleted."""
    with transaction.atomic(using=using):
        manager = Claim.objects.using(using)
        ids = sorted(claim.pk for claim in claims if not claim.fact_pinned)
        touched = set()
        for chunk in _chunks(ids):
            touched.update(manager.filter(pk__in=chunk).values_list("fact_id", flat=True))
            manager.filter(pk__in=chunk).update(fact=None)
        for chunk in _chunks(ids):
            for claim in manager.filter(pk__in=chunk).order_by("pk"):
                claim_group(claim, using=using)
                manager.filter(pk=claim.pk).update(fact_id=claim.fact_id, value_key=claim.value_key)
                touched.add(claim.fact_id)
        touched.discard(None)
        for chunk in _chunks(sorted(touched)):
            facts_drop_empty(chunk, using=using)
            facts_refresh(chunk, using=using)


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
        candidates = mine + list(near.values(*_COMPARED))
        for a in mine:
            for b in candidates:
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
