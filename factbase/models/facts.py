"""Facts: groups of claims, from any documents, that state the same thing.

A claim is what one document says; a fact gathers the claims with the same subject,
predicate, object and literal value (compared by `value_key`: case, spacing and Unicode
NFKC do not count), the same polarity and compatible dates (overlapping intervals, or one undated). factbase/services/facts.py
groups claims as they are written; a curator may split a claim out of its fact or join two
facts, and such a claim's membership is then `fact_pinned`: automatic grouping leaves it.

A fact keeps no statement of its own (its claims state it, the first by id for the API), so
an entity merge, which re-points claims, has nothing else to move. It keeps what its reads
need at once: `sources`, the count of independent sources among its published claims,
which the services refresh whenever a published claim, its evidence or its membership
changes (`facts_refresh`)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from factbase.enums import ContradictionKind, Rank
from factbase.indexes import search
from factbase.models.base import TimeStampedModel
from factbase.permissions import allows, workflow_permissions


def value_key(value: str) -> str:
    """A literal value as grouping compares it: Unicode NFKC, case folded, runs of
    whitespace as one space, trimmed ("Su-35  Warplanes" and "su-35 warplanes" agree)."""
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


class FactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Anonymous clients and readers see facts with at least one published claim (a
        published claim has evidence, so it counts as a source); curators and reviewers all."""
        if allows(user, "view_unpublished", "factbase.claim"):
            return self
        return self.filter(sources__gt=0)

    def stating(self, claims, *, walk: bool = False):
        """The facts of `claims` (a Claim queryset, narrowed to what the client may see).

        Two shapes, each quick where the other is slow. By default the claims' fact ids are
        gathered first and the facts read by id (IN): the cost grows with the claims, which
        an entity's or a predicate's index gives with their facts (claim_subject_fact_facets and
        its siblings). `walk`: the facts are read in the list's order and each is asked
        whether it has one of the claims (EXISTS, through the claims' fact index), which
        stops once the page or the capped count is full: quick when many facts have one
        (a common year: 1,001 facts found among the first 1,500, where the IN list
        gathered 500,000 claims first, 3.4 s at a million claims), but a walk through every
        fact when few do. The caller knows which (api/filters.py, FactFilterSet). A walk
        asks a claim search of one status or of any, and nothing else, of the claim text
        table alone, by fact (search.TextRows.of_fact): no claim row is read. Of no claims
        (`none()`: a search its count found no match for, search.claims_walked), no fact,
        and no statement."""
        if claims.query.is_empty():
            return self.none()
        if walk:
            rows = search.text_rows(claims, ["fact_id"])
            if rows is not None:
                return self.filter(rows.of_fact(F("pk")))
            return self.filter(Exists(claims.filter(fact=OuterRef("pk"))))
        return self.filter(pk__in=claims.fact_ids())

    def best_ranked(self):
        """Wikidata's best rank, per subject and predicate: the preferred facts where one of
        theirs is preferred, else the normal ones; never the deprecated."""
        from factbase.models.claims import Claim

        # The facts outranked are found from the preferred ones, which are few (fact_rank):
        # their claims' subjects, then the claims of those subjects (claim_subject_predicate)
        # with a preferred claim of the same predicate beside them. One list, read once.
        # Asked per fact instead (NOT EXISTS through its claims), every fact of the page and
        # of the capped count had each of its claims' subjects and predicates searched for a
        # preferred fact: 0.6 s at a million claims, with not one preferred fact to find.
        preferred = Claim.objects.filter(fact__rank=Rank.PREFERRED)
        outranked = (
            Claim.objects.filter(subject__in=preferred.values("subject"), fact__isnull=False)
            .filter(Exists(preferred.filter(subject=OuterRef("subject"), predicate=OuterRef("predicate"))))
            .values("fact_id")
        )
        return self.filter(Q(rank=Rank.PREFERRED) | Q(rank=Rank.NORMAL) & ~Q(pk__in=outranked))

    def for_admin_changelist(self):
        return self


class Fact(TimeStampedModel):
    sources = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Independent sources among the published claims: a publisher counts once, a document "
        "without one counts as its own source, an attributed claim counts for its speaker.",
    )

    contradicted = models.BooleanField(
        default=False, editable=False, help_text="Another fact contradicts this one and no reviewer resolved it."
    )
    rank = models.CharField(
        max_length=16,
        choices=Rank.choices,
        default=Rank.NORMAL,
        editable=False,
        help_text="Set by reviewers: preferred (the best statement of its subject and predicate), normal, or "
        "deprecated (kept, but known to be wrong).",
    )

    objects = FactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        permissions = workflow_permissions("factbase.fact")
        constraints = [models.CheckConstraint(condition=Q(rank__in=Rank.values), name="fact_rank_valid")]
        indexes = [
            models.Index(fields=["sources", "id"], name="fact_sources"),
            # ordering=updated and -updated, read forwards or backwards (api/filters.py,
            # StableOrderingFilter): a page walks the index and stops. Without it every
            # visible fact was read and sorted (0.2-0.3 s at a million claims).
            models.Index(fields=["updated", "id"], name="fact_updated"),
            # rank= and rank=best (best_ranked): the preferred facts, which are few.
            models.Index(fields=["rank", "id"], name="fact_rank"),
        ]

    def __str__(self) -> str:
        return f"Fact #{self.pk}"


class ContradictionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved=False)

    def involving(self, fact_ids):
        return self.filter(Q(fact__in=fact_ids) | Q(other__in=fact_ids))

    def visible_to(self, user):
        """Contradictions are found among published claims only (factbase/services/facts.py):
        everyone sees them all."""
        return self


class Contradiction(TimeStampedModel):
    """Two facts that cannot both hold: the same statement with opposite polarity over
    compatible dates, or different objects of a single-valued predicate over overlapping
    dates. Found by factbase/services/facts.py among published claims; a reviewer resolves
    one with a note (it then stays, resolved, while both facts still say what they say)."""

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="contradictions_as_fact")
    other = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="contradictions_as_other")
    kind = models.CharField(max_length=16, choices=ContradictionKind.choices)
    resolved = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="The reviewer's reading: which side holds, and why.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ContradictionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        permissions = workflow_permissions("factbase.contradiction")
        constraints = [
            models.UniqueConstraint(fields=["fact", "other"], name="contradiction_unique"),
            models.CheckConstraint(condition=Q(fact__lt=F("other")), name="contradiction_ordered"),
            models.CheckConstraint(condition=Q(kind__in=ContradictionKind.values), name="contradiction_kind_valid"),
        ]
        indexes = [models.Index(fields=["resolved", "id"], name="contradiction_open")]

    def __str__(self) -> str:
        return f"Fact #{self.fact_id} contradicts fact #{self.other_id}"
