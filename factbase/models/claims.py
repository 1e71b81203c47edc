"""Predicates (the relation vocabulary), Claims (what a source says) and SourceSpans (the
exact characters that say it)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.lookups import In
from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from factbase import validators
from factbase.enums import AttributionMode, ClaimStatus, Confidence, EntityKind, Modality, Polarity, Rank
from factbase.indexes import claim_dates, conditions, merge, search
from factbase.models.base import PartialDateQuerySetMixin, PartialDateRange, TextAnchor, TimeStampedModel
from factbase.models.documents import Document
from factbase.models.entities import Entity, Event
from factbase.models.facts import Fact, value_key
from factbase.permissions import allows, workflow_permissions


def sees_unpublished(user) -> bool:
    """Whether `user` may see draft, in-review and rejected claims (curators, reviewers)."""
    return allows(user, "view_unpublished", "factbase.claim")


class PredicateQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Predicate(TimeStampedModel):
    slug = models.SlugField(max_length=80, unique=True)
    label = models.CharField(max_length=120, help_text="Reads between subject and object: “met with”.")
    description = models.TextField(blank=True)
    subject_kinds = models.JSONField(
        default=list, blank=True, help_text="Entity kinds allowed as subject; empty allows any."
    )
    object_kinds = models.JSONField(
        default=list, blank=True, help_text="Entity kinds allowed as object; empty means the claim takes no object."
    )
    single_valued = models.BooleanField(
        default=False,
        help_text="The subject has one object at a time (“chairs”): claims of different objects over "
        "overlapping dates contradict each other. Not so for “holds position”.",
    )

    objects = PredicateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        validators.validate_kind_list(self.subject_kinds, allowed=EntityKind.values, field="subject_kinds")
        validators.validate_kind_list(self.object_kinds, allowed=EntityKind.values, field="object_kinds")


# The most matches of a search of several words whose facts are found from a list of their
# ids (ClaimQuerySet.fact_ids): as many as facts/ counts before it walks the facts instead
# (search.claims_walked, a tenth of api/filters.py's MANY_CLAIMS), so that every such search
# it does not walk is listed.
LISTED_FACT_CLAIMS = 2_500


class ClaimQuerySet(PartialDateQuerySetMixin, models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, with each claim's subject kind derived first (no pre_save here)."""
        objs = list(objs)
        for claim in objs:
            _derive_subject_kind(Claim, claim, raw=False, using=self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def get_by_natural_key(self, uid):
        return self.get(uid=uid)

    def overlapping(self, period=None, *, lower=None, upper=None, few: bool = False, roles=()):
        """As PartialDateQuerySetMixin.overlapping; a two-sided range is answered from the
        claims' interval index (factbase/indexes/claim_dates.py), unless the claims are
        `few` whatever the range: narrowed to a document's, an event's or a fact's, they
        are fewer than the index's answer for a year (100,000 at a million claims), which
        SQLite would otherwise gather whole before keeping the document's two. `roles`: pairs
        (field, entity id), such as ("subject", 42): the claims holding one of them; with a
        two-sided range, the range is asked of each role's date index
        (filter_overlapping_in_roles)."""
        if period is not None:
            lower, upper = period.lower, period.upper
        if lower is not None and upper is not None and not few:
            if roles:
                return claim_dates.filter_overlapping_in_roles(self, roles=roles, lower=lower, upper=upper)
            return claim_dates.filter_overlapping(self, lower=lower, upper=upper)
        queryset = super().overlapping(lower=lower, upper=upper)
        if roles:
            holding = Q()
            for field, entity in roles:
                holding |= Q(**{field: entity})
            queryset = queryset.filter(holding)
        return queryset

    def published(self):
        return self.filter(status=ClaimStatus.PUBLISHED)

    def best_ranked(self):
        """Wikidata's best rank, per fact: the preferred claims of a fact that has one, else
        its normal ones; never the deprecated. A claim in no fact is compared with none."""
        preferred_beside = Claim.objects.filter(fact=OuterRef("fact"), rank=Rank.PREFERRED).exclude(fact=None)
        return self.filter(Q(rank=Rank.PREFERRED) | Q(rank=Rank.NORMAL) & ~Exists(preferred_beside))

    def visible_to(self, user):
        """Anonymous clients and readers see published claims; curators and reviewers see all."""
        if sees_unpublished(user):
            return self
        return self.published()

    def about(self, entity):
        """Claims whose subject, object or attribution is `entity`.

        On SQLite, the ids from each of the three columns' indexes as one IN list: with an
        OR of the three, SQLite gathers every matching row (55,000 for the busiest entity at
        a million claims), reads each for its status and sorts them all before the first
        page (0.45 s); the IN list is read in id order, so a page stops after its rows.
        PostgreSQL answers the OR well (a bitmap of the three indexes, or the id order
        filtered) and the IN list would make it hash and sort the 55,000 ids first."""
        if connections[self.db].vendor != "sqlite":
            return self.filter(Q(subject=entity) | Q(object=entity) | Q(attributed_to=entity))

        def ids(**column):
            return Claim.objects.order_by().filter(**column).values("pk")

        union = ids(subject=entity).union(ids(object=entity), ids(attributed_to=entity), all=True)
        # Marks the condition for `bounded`, which finds it among the query's conditions
        # (a Query's attributes survive its clones).
        union.query.claims_about = entity
        return self.filter(pk__in=union)

    def bounded(self, rows: int):
        """As this queryset, when only its first `rows` rows (in its order) will be read: a
        page and the capped count (api/pagination.py). On SQLite, `about(entity)` then
        becomes an ordered merge of three arms, the entity as subject, as object and as
        attribution, each with every other condition, read in the page's order through the
        role's index and stopped after `rows` (factbase/indexes/merge.py): the claims of
        the busiest entity at a million claims are no longer gathered and sorted whole
        (55,000 ids). The merge is narrowed again by every condition, so the answer is the
        same; a queryset without `about`, or whose order does not end with the id, is
        returned as it is."""
        query, children = self.query, conditions.anded(self)
        if children is None or query.extra_tables or query.extra_order_by:
            return self
        marked = [i for i, child in enumerate(children) if hasattr(getattr(child, "rhs", None), "claims_about")]
        ordering = conditions.ordering(self)
        fields = _ordering_fields(ordering)
        if len(marked) != 1 or fields is None or _ids_from_elsewhere(children, marked[0]):
            return self
        entity = children[marked[0]].rhs.claims_about
        rest = conditions.without(self, marked[0])
        arms = [
            rest.filter(**{role: entity}).order_by().values_list("pk", *fields)
            for role in ("subject", "object", "attributed_to")
        ]
        return rest.filter(pk__in=merge.first_of_union(arms, ordering, rows))

    def search(self, q: str):
        """Claims whose span quotes, literal value or subject's name (or alias) match `q`:
        every word of `q` starts a word of the text. Served from a full-text index
        (factbase/indexes/search.py). Composes with anything, `|` included."""
        return search.filter_claims(self, q)

    def search_joined(self, q: str):
        """As `search`, for the API's lists, which only narrow it further (never `|`): on
        SQLite the claim text index is joined, and pages in id order are read in its own
        order, the claim ids it holds, so a common word is not first gathered and sorted
        (factbase/indexes/search.py, `join_claims`)."""
        return search.join_claims(self, q)

    def capped_count(self, cap: int) -> int:
        """How many claims there are, counting no further than cap + 1 (a page's count):
        from the claim text index where it can (`index_count`), else as the rows stand."""
        counted = self.index_count(cap)
        return self.order_by()[: cap + 1].count() if counted is None else counted

    def index_count(self, cap: int) -> int | None:
        """`capped_count` from an index alone, or None when this queryset has no such shape.

        On PostgreSQL a claim text search of every claim, or of the published ones (the
        API's list with `q` and no other filter), is counted from the claim text table alone,
        which repeats each claim's status: the plain count looked up every match's claim row
        for its status (factbase/indexes/search.py, `pg_capped_count`). So is such a search
        narrowed by equalities the table answers (`narrowed_text_search`). Anything else has
        none."""
        searched = self.narrowed_text_search()
        if searched is None:
            return None
        return search.pg_capped_count(self.db, *searched, cap=cap, terms=self.text_terms())

    def capped_matches(self, cap: int) -> list[int] | None:
        """For a PostgreSQL claim text search (`narrowed_text_search`) of two words or more,
        or narrowed by equalities besides its status, ordered by id: the ids of its claims,
        cap + 1 at most, which are every one of them, in the list's order, when there are no
        more than `cap` (else they say only that); None for any other list. One statement reads them from the claim text table's GIN index
        (search.pg_capped_ids), for a page and its count (api/pagination.py) and for the
        facts of a few matches (`fact_ids`).

        The planner estimates the matches of two words as if they were independent: for
        `minister visit` at a million claims, 1,356 of the 16,458 claims of one and the
        77,132 of the other, where none has both. It then walked the claims in id order
        testing each, to fill a page of 51 after some 37,000: it tested all million (220 ms).
        A single word's estimate is the index's own statistics, close enough; the planner
        takes an equality besides as independent too, and one on the predicate's slug (a
        subquery) as rare: `minister` of one predicate, of which there is none, walked the
        claim text table in id order for a page (238 ms)."""
        searched = self.narrowed_text_search()
        if searched is None or (len(search.words(searched[0])) < 2 and not searched[2]):
            return None
        descending = self._id_order()
        if descending is None:
            return None
        found = search.pg_capped_ids(self.db, *searched, cap=cap, terms=self.text_terms())
        return found if len(found) > cap else sorted(found, reverse=descending)

    def text_page(self) -> search.TextPage | None:
        """For a PostgreSQL claim text search (`text_search`) ordered by id: its pages of ids
        read from the claim word index (a query of one word, of the published claims) or the
        claim text table alone, which holds each match's status, where the list's own
        statement walked the claims' primary key beside the text table's (a merge join), for
        the status. At a million claims the first page of `submarines` took 4.1 ms that way,
        1.8 ms from the text table and 0.1 ms from the word index. A search narrowed by
        equalities (`narrowed_text_search`) is read from the text table, which holds their
        columns. None for any other list."""
        searched = self.narrowed_text_search()
        descending = None if searched is None else self._id_order()
        if descending is None:
            return None
        q, status, fixed = searched
        return search.TextPage(self.db, q, status, descending=descending, terms=self.text_terms(), fixed=fixed)

    def _id_order(self) -> bool | None:
        """Whether this list is in descending id order (False: ascending); None when it is
        in another order."""
        ordering = conditions.ordering(self)
        if tuple(ordering) not in (("id",), ("pk",), ("-id",), ("-pk",)):
            return None
        return ordering[0].startswith("-")

    def text_search(self) -> tuple[str, str | None] | None:
        """(q, status) when this queryset is a PostgreSQL claim text search (`search`) of
        every claim (status None) or of the published ones, and nothing else: what the claim
        text table, which repeats the claim columns such a list asks for, answers alone
        (factbase/indexes/claim_text.py). None for anything else, or narrowed further
        (`narrowed_text_search`, which is found once for this queryset: a page asks it up
        to three times, `capped_matches`, `text_page`, `index_count`; a queryset's clones
        are new objects and ask again)."""
        found = self.narrowed_text_search()
        return None if found is None or found[2] else found[:2]

    def text_terms(self) -> list[list[str]] | None:
        """The words of the claim texts that each prefix term of this claim text search
        (`text_search`) matches (search.pg_exact_terms), found once for this queryset: its
        page and its count both ask them (two statements). None for anything else, or when
        a term matches none or too many."""
        if "_text_terms" not in self.__dict__:
            searched = self.narrowed_text_search()
            self._text_terms = None if searched is None else search.pg_exact_terms(self.db, searched[0])
        return self._text_terms

    def narrowed_text_search(self) -> tuple[str, str | None, tuple[tuple[str, object], ...]] | None:
        """(q, status, fixed) when this queryset is a PostgreSQL claim text search of every
        claim or of the published ones (`text_search`, when nothing more) narrowed by
        nothing but equalities on columns the claim text table repeats, `fixed` as (lookup,
        value) in the filters' order: `modality = 'asserted'`, or the predicate by its slug
        (`predicate__slug`, a join that the text table answers by the predicate's id). For a
        search narrowed to a facet value, whose facets (api/facets.py) then read the text
        table and the claim facet index alone: at a million claims
        `claims/?facets=…&q=ministry&modality=asserted` read its matches' claim rows for
        their facets (329 ms). None for anything else."""
        if "_narrowed_text_search" not in self.__dict__:
            self._narrowed_text_search = self._found_narrowed_text_search()
        return self._narrowed_text_search

    def _found_narrowed_text_search(self):
        q = search.pg_searched(self)
        children = conditions.anded(self)
        if q is None or children is None:
            return None
        held = []
        for condition in children:
            lookup = search.text_column_equality(condition)
            if lookup is not None:
                held.append(lookup)
        shape = self.order_by().values("pk").query.sql_with_params()
        every = Claim.objects.db_manager(self.db).all()
        for status, expected in ((None, every), (ClaimStatus.PUBLISHED, every.published())):
            # The published claims' own condition comes first (`visible_to`); the shapes
            # compared below are the proof.
            fixed = held if status is None else held[1:]
            expected = expected.search(q)
            for lookup, value in fixed:
                expected = expected.filter(**{lookup: value})
            if expected.order_by().values("pk").query.sql_with_params() == shape:
                return q, status, tuple(fixed)
        return None

    def overlapping_arms(self) -> tuple | None:
        """This queryset as disjoint querysets whose rows together are its rows, each of
        which an index answers with the facet columns (claim_dates.overlapping_in_arms), when
        it is a date range of the published claims (`overlapping` with both bounds) and
        nothing else, as an anonymous client's claims/?date_from=&date_to= is; None for
        anything else, or narrowed further."""
        noted = getattr(self.query, claim_dates.RANGE_NOTED, None)
        if noted is None:
            return None
        lower, upper = noted
        every = Claim.objects.db_manager(self.db).order_by()
        expected = every.published().overlapping(lower=lower, upper=upper)
        if expected.values("pk").query.sql_with_params() != self.order_by().values("pk").query.sql_with_params():
            return None
        return claim_dates.overlapping_in_arms(every, status=ClaimStatus.PUBLISHED, lower=lower, upper=upper)

    def fact_ids(self):
        """The facts of these claims, for a filter (`fact__in`, FactQuerySet.stating): from
        the claim text table alone for a search (`text_search`; at a million claims the
        commonest word read 12,630 claim rows for their fact), else from the claims. Not for
        a search with a prefix of one or two letters (`search.short_prefix`): `a` matches
        most claims, and the text table gave every match's fact before the first page
        (0.3 s for the page and 0.5 s for its count at a million claims), where PostgreSQL
        walks the claims in fact order and stops when the page is full (2 and 14 ms).

        A search of two words or more is first read as its claims' ids, when there are no
        more than LISTED_FACT_CLAIMS of them (`capped_matches`), and its facts are those ids'
        facts: the planner takes two words as independent and, for `with that` at a million
        claims (30,026 matches estimated, none found), walked every fact in id order asking
        each for one (466 ms); read as ids, 9 ms."""
        searched = self.text_search()
        if searched is None or search.short_prefix(searched[0]):
            return self.order_by().values("fact_id")
        found = self.capped_matches(LISTED_FACT_CLAIMS)
        if found is not None and len(found) <= LISTED_FACT_CLAIMS:
            return Claim.objects.db_manager(self.db).filter(pk__in=found, fact__isnull=False).values("fact_id")
        return search.pg_fact_ids(self.db, *searched)

    def after(self, pk: int):
        """Claims with an id above `pk`, for keyset pages (cursor mode, exports). A joined
        claim text search is told too, so that the index seeks to the position instead of
        reading every match before it (0.35 s -> 0.03 s at 900,000 for a common word)."""
        return search.joined_after(self.filter(pk__gt=pk), pk)

    def order_by(self, *field_names):
        clone = super().order_by(*field_names)
        if field_names in (("pk",), ("id",), ("-pk",), ("-id",)):
            # Keep the joined index's order, which is the id order (see search_joined).
            clone = search.joined_in_id_order(clone, descending=field_names[0].startswith("-"))
        return clone

    def citing(self, document):
        """Claims with a span in `document` (a Document or its id). An IN list of the spans'
        claim ids rather than a JOIN (no duplicate rows, whatever the ordering) or a
        correlated EXISTS, which SQLite tried on every published claim in id order until the
        page was full (1.8 s at a million claims for a document with 114 spans)."""
        return self.filter(pk__in=SourceSpan.objects.filter(document=document).values("claim_id"))

    def for_api(self):
        # One JOIN for the referenced entities and predicate, one prefetch for the spans:
        # a page costs the same number of queries whatever its size.
        return self.select_related("subject", "object", "attributed_to", "predicate", "event", "fact").prefetch_related(
            Prefetch("spans", queryset=SourceSpan.objects.order_by("start", "id"))
        )

    def for_admin_changelist(self):
        return self.select_related("subject", "object", "attributed_to", "predicate", "reviewed_by")


def _ids_from_elsewhere(conditions, about: int) -> bool:
    """Whether a condition besides `about`'s is an IN list of claim ids (the interval
    index's answer for a date range, a document's claims): SQLite drives each arm of the
    merge from such a list and would gather it once per arm (a year's 30,000 claims at a
    million: 0.24 s instead of 0.15)."""
    return any(
        isinstance(child, In) and getattr(child.lhs, "target", None) is not None and child.lhs.target.primary_key
        for i, child in enumerate(conditions)
        if i != about
    )


def _ordering_fields(ordering) -> list[str] | None:
    """The fields an ordering names besides the id (the union of `bounded` selects them),
    or None when it does not end with the id or names something other than a field."""
    names = []
    for term in ordering:
        if isinstance(term, str):
            names.append(term.lstrip("-"))
        elif isinstance(getattr(term, "expression", None), F):
            names.append(term.expression.name)
        else:
            return None
    if not names or names[-1] not in ("pk", "id"):
        return None
    return [name for name in names if name not in ("pk", "id")]


class Claim(PartialDateRange, TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="claims_as_subject")
    # The subject's kind, repeated so that `facets=subject_kind` counts from an index of the
    # claims alone (claim_subject_kind_status): proving that no published claim has an event
    # as subject otherwise read every claim with its subject's row (640 ms at a million on
    # PostgreSQL). An entity's kind never changes and merges join entities of one kind, so
    # it follows the subject only (set before every save, `_derive_subject_kind`).
    subject_kind = models.CharField(max_length=16, choices=EntityKind.choices, editable=False)
    predicate = models.ForeignKey(Predicate, on_delete=models.PROTECT, related_name="claims")
    object = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="claims_as_object")
    value = models.CharField(
        max_length=500, blank=True, help_text="A literal object as written: “dozens”, “Su-35 warplanes”, “second”."
    )
    value_number = models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True, help_text="The value as a number, when it is one."
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    attributed_to = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_attributed",
        help_text="Who asserts this (a speaker or outlet). Empty: the document itself.",
    )
    attribution = models.CharField(max_length=16, choices=AttributionMode.choices, default=AttributionMode.STATES)
    modality = models.CharField(max_length=16, choices=Modality.choices, default=Modality.ASSERTED, db_index=True)
    polarity = models.CharField(max_length=16, choices=Polarity.choices, default=Polarity.AFFIRMED, db_index=True)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT, db_index=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM)
    notes = models.TextField(blank=True, help_text="Curator notes: why this reading, what is uncertain.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims_created"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims_reviewed"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        blank=True,
        editable=False,
        help_text="What the reviewer asked for when sending this claim back to its curator as a draft.",
    )
    fact = models.ForeignKey(
        Fact,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        editable=False,
        help_text="The fact this claim states, with the claims of other documents that state the same.",
    )
    fact_pinned = models.BooleanField(
        default=False,
        editable=False,
        help_text="A curator split this claim out of a fact or joined it to one: automatic grouping leaves it.",
    )
    value_key = models.CharField(
        max_length=500, blank=True, editable=False, help_text="The value as grouping compares it (see value_key)."
    )
    rank = models.CharField(
        max_length=16,
        choices=Rank.choices,
        default=Rank.NORMAL,
        editable=False,
        help_text="Set by reviewers: preferred (the best statement of its subject and predicate), normal, or "
        "deprecated (kept, but known to be wrong).",
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(PartialDateRange.Meta):
        ordering = ["id"]
        permissions = workflow_permissions("factbase.claim")
        constraints = [
            *PartialDateRange.Meta.constraints,
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="claim_polarity_valid"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="claim_modality_valid"),
            models.CheckConstraint(condition=Q(rank__in=Rank.values), name="claim_rank_valid"),
            # A write path that forgot the subject's kind fails here rather than miscounting.
            models.CheckConstraint(condition=Q(subject_kind__in=EntityKind.values), name="claim_subject_kind_valid"),
        ]
        # The filter combinations clients use together (EXPLAIN-checked on both engines).
        # Anonymous reads always add status = published, and pages are in id order: with
        # status in the index, a page and its count are answered from the index alone.
        indexes = [
            models.Index(fields=["subject", "predicate", "status", "id"], name="claim_subject_predicate"),
            models.Index(fields=["object", "status", "id"], name="claim_object_status"),
            models.Index(fields=["attributed_to", "status", "id"], name="claim_attributed_status"),
            models.Index(fields=["event", "status", "id"], name="claim_event_status"),
            models.Index(fields=["status", "date_lower", "date_upper"], name="claim_status_dates"),
            # The same with the facet columns (api/facets.py): the facets of a date range walk
            # the entries of the claims that start within it (claim_dates.overlapping_in_arms),
            # not their rows. Not in place of the one above: PostgreSQL deduplicates that
            # one's entries (8 MB at a million claims, against 48), and a capped count of a
            # year walks it from the first date (4.7 ms there, 67 in this one).
            models.Index(
                fields=[
                    "status",
                    "date_lower",
                    "date_upper",
                    "predicate",
                    "subject_kind",
                    "attribution",
                    "modality",
                    "polarity",
                ],
                name="claim_status_dates_facets",
            ),
            # A filter by one of these and a facet's count of one value (api/facets.py): the
            # value's rows of a status, no further than the count cap, from the index. With
            # the single-column indexes, SQLite walked the published claims until it had
            # found 1,001 of a rare modality (78 ms at a million claims), and PostgreSQL read
            # each row of a predicate for its status.
            models.Index(fields=["predicate", "status", "id"], name="claim_predicate_status"),
            models.Index(fields=["attribution", "status", "id"], name="claim_attribution_status"),
            models.Index(fields=["modality", "status", "id"], name="claim_modality_status"),
            models.Index(fields=["polarity", "status", "id"], name="claim_polarity_status"),
            models.Index(fields=["subject_kind", "status", "id"], name="claim_subject_kind_status"),
            # An entity's timeline in date order (api/projections/timelines.py): each role's
            # dated claims from the cursor's date on, a page's worth and no more. (A claim
            # about an event is found by claim_event_status: an event has a handful.)
            models.Index(fields=["subject", "date_lower", "date_upper"], name="claim_subject_dates"),
            models.Index(fields=["object", "date_lower", "date_upper"], name="claim_object_dates"),
            models.Index(fields=["attributed_to", "date_lower", "date_upper"], name="claim_attributed_dates"),
            # ordering=created and =updated, read forwards or backwards (api/filters.py,
            # StableOrderingFilter): a page walks the index and stops, whatever the filters.
            models.Index(fields=["created", "id"], name="claim_created"),
            models.Index(fields=["updated", "id"], name="claim_updated"),
            # The review queue (factbase/admin/review.py, claims/?status=in_review&ordering=created):
            # the few claims in review, oldest first, without walking claim_created past the
            # published ones.
            models.Index(fields=["status", "created", "id"], name="claim_status_created"),
            # subject=, object= or attributed_to= with ordering=date / -date, and entity= in
            # date order (ClaimQuerySet.bounded: a merge of the three, each read in order).
            # PostgreSQL also has claim_status_date_desc for -date (migration 0009: it takes
            # a NULLS clause).
            models.Index(fields=["subject", "status", "date_lower", "id"], name="claim_subject_date"),
            models.Index(fields=["object", "status", "date_lower", "id"], name="claim_object_date"),
            models.Index(fields=["attributed_to", "status", "date_lower", "id"], name="claim_attributed_date"),
            # facts/?subject=, object=, predicate= and date_from= (FactQuerySet.stating): the
            # facts of the claims, from the index alone. Through the indexes above, each of
            # the busiest entity's 23,000 claims was read for its fact (110-150 ms at a
            # million claims, twice: the page and its count).
            # The subject's one also holds the facet columns (api/facets.py): claims/?subject=
            # with facets walks the subject's claims in it alone. Through the claim rows, the
            # walks of the busiest subject's 22,833 published claims took 254 ms on SQLite at a
            # million claims; from the index, 51.
            models.Index(
                fields=[
                    "subject",
                    "status",
                    "fact",
                    "predicate",
                    "subject_kind",
                    "attribution",
                    "modality",
                    "polarity",
                ],
                name="claim_subject_fact_facets",
            ),
            models.Index(fields=["object", "status", "fact"], name="claim_object_fact"),
            models.Index(fields=["predicate", "status", "fact"], name="claim_predicate_fact"),
            models.Index(fields=["status", "date_upper", "fact"], name="claim_status_upper_fact"),
            # The facts that hold a preferred claim, for claims/?rank=best (best_ranked): few,
            # so a small index. Without it PostgreSQL found them by reading every claim row
            # (a parallel scan of the table, 220-250 ms at a million claims, for the page and
            # again for its count).
            models.Index(fields=["fact"], condition=Q(rank=Rank.PREFERRED), name="claim_preferred_fact"),
        ]

    def __str__(self) -> str:
        tail = f" {self.object}" if self.object_id else (f" “{self.value}”" if self.value else "")
        neg = "not " if self.polarity == Polarity.NEGATED else ""
        return f"{self.subject} {neg}{self.predicate}{tail}"

    def natural_key(self):
        return (str(self.uid),)

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        # The subject whose kind the row holds: a save that keeps it reads nothing.
        claim._stored_subject_id = claim.__dict__.get("subject_id")
        return claim

    def clean(self):
        super().clean()
        self.clean_partial_date()
        self.value_key = value_key(self.value)
        # Before the constraints are validated (full_clean), which require it.
        _derive_subject_kind(Claim, self, raw=False, using=self._state.db or "default")
        if self.predicate_id and self.subject_id:
            validators.validate_predicate_kinds(
                predicate_label=self.predicate.label,
                subject_kind=self.subject.kind,
                object_kind=self.object.kind if self.object_id else None,
                subject_kinds=self.predicate.subject_kinds,
                object_kinds=self.predicate.object_kinds,
            )
        self.clean_evidence()

    def validate_constraints(self, exclude=None):
        # subject_kind is the model's own (clean derives it): the database refuses a claim
        # without it, and checking it here took three queries of every write (a savepoint
        # and a SELECT) for a mistake no form or client can make.
        super().validate_constraints(exclude={*(exclude or ()), "subject_kind"})

    def clean_evidence(self, *, removing=(), adding: int = 0) -> None:
        """A published claim has at least one source span as evidence: checked when it is
        published or changed, when it loses a span (`removing`: the spans about to go), when
        a fixture is loaded, and when an import writes it with `adding` spans at once."""
        kept = self.spans.exclude(pk__in=list(removing)) if self.pk is not None else None
        if self.status == ClaimStatus.PUBLISHED and not adding and (kept is None or not kept.exists()):
            raise ValidationError({"status": "A published claim needs at least one source span as evidence."})


class SourceSpanQuerySet(models.QuerySet):
    def get_by_natural_key(self, claim_uid, document_sha, start, end):
        return self.get(claim__uid=claim_uid, document__sha256=document_sha, start=start, end=end)

    def search(self, q: str):
        """Spans of the claims whose text matches `q` (ClaimQuerySet.search), in claim order
        on SQLite, where the claim text index is joined (factbase/indexes/search.py,
        `join_claim_spans`). Only to be narrowed further, never combined with `|`."""
        return search.join_claim_spans(self, q)

    def order_by(self, *field_names):
        clone = super().order_by(*field_names)
        if field_names == ("claim_id", "id"):
            # Keep a joined search's order, which is the claim order (see search).
            clone = search.joined_in_claim_order(clone)
        return clone

    def visible_to(self, user):
        """Spans of the claims `user` may see (Claim.objects.visible_to)."""
        if sees_unpublished(user):
            return self
        return self.filter(claim__status=ClaimStatus.PUBLISHED)


class SourceSpan(TextAnchor, TimeStampedModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="spans")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="spans")

    objects = SourceSpanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(TextAnchor.Meta):
        ordering = ["document", "start", "id"]
        constraints = [
            *TextAnchor.Meta.constraints,
            models.UniqueConstraint(fields=["claim", "document", "start", "end"], name="sourcespan_unique"),
        ]
        indexes = [models.Index(fields=["document", "start"], name="sourcespan_document_start")]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}” ({self.start}–{self.end})"

    def natural_key(self):
        return (str(self.claim.uid), self.document.sha256, self.start, self.end)

    natural_key.dependencies = ["factbase.claim", "factbase.document"]

    def clean(self):
        super().clean()
        self.clean_anchor()


@receiver(pre_save, sender=Claim)
def _derive_subject_kind(sender, instance: Claim, raw: bool, using: str, **kwargs) -> None:
    """Set `subject_kind` from the subject before any save, a fixture's raw one included
    (it bypasses `save`): from the subject object when it is at hand, else one query, none
    when the subject is the one the row was read with."""
    subject = Claim.subject.field.get_cached_value(instance, None)
    if subject is not None and subject.pk == instance.subject_id and subject.kind:
        instance.subject_kind = subject.kind
    elif instance.subject_id is None:
        instance.subject_kind = ""
    elif not instance.subject_kind or instance.subject_id != getattr(instance, "_stored_subject_id", None):
        kinds = Entity._base_manager.using(using).filter(pk=instance.subject_id).values_list("kind", flat=True)
        instance.subject_kind = next(iter(kinds), "")
    instance._stored_subject_id = instance.subject_id
