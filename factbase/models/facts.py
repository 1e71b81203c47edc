"""Facts: groups of claims, from any documents, that state the same thing.

A claim is what one document says; a fact gathers the claims with the same subject,
predicate, object (or the same literal value, compared by `value_key`), the same polarity
and compatible dates (overlapping intervals, or one undated). factbase/services/facts.py
groups claims as they are written; a curator may split a claim out of its fact or join two
facts, and such a claim's membership is then `fact_pinned`: automatic grouping leaves it.

A fact keeps no statement of its own (its claims state it, the first by id for the API), so
an entity merge, which re-points claims, has nothing else to move. It keeps what its reads
need at once: `sources`, the count of independent sources among its published claims,
which the services refresh whenever a published claim, its evidence or its membership
changes (`facts_refresh`)."""

from __future__ import annotations

import unicodedata

from django.db import models
from simple_history.models import HistoricalRecords

from factbase.models.base import TimeStampedModel
from factbase.permissions import allows


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

    def for_admin_changelist(self):
        return self


class Fact(TimeStampedModel):
    sources = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Independent sources among the published claims: a publisher counts once, a document "
        "without one counts as its own source, an attributed claim counts for its speaker.",
    )

    objects = FactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sources", "id"], name="fact_sources")]

    def __str__(self) -> str:
        return f"Fact #{self.pk}"
