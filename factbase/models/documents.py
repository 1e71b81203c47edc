"""Documents (immutable source texts) and Mentions (an entity named at a span of a document)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from factbase import validators
from factbase.enums import CurationState
from factbase.models.base import (
    ChecksInPython,
    PartialDateQuerySetMixin,
    PartialDateRange,
    TextAnchor,
    TimeStampedModel,
)
from factbase.models.entities import Entity, Organisation
from factbase.permissions import workflow_permissions


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentQuerySet(PartialDateQuerySetMixin, models.QuerySet):
    def get_by_natural_key(self, sha256):
        return self.get(sha256=sha256)

    def published_between(self, lower=None, upper=None):
        return self.overlapping(lower=lower, upper=upper)

    def overlapping(self, period=None, *, lower=None, upper=None):
        """As for any dated rows, and with `lower` also saying that the date is known
        (`date_lower` is not null, implied by `date_upper >= lower`), as events do: SQLite
        then walks the (date_lower, date_upper, id) index in the list's date order, NULLs
        last, and skips the documents published before `lower` by their index entry.
        Without it, it took the `date_upper` range and sorted every document published
        since, reading their rows past the text (`published_from=` 0.43 s for the page
        and count at a million claims, 29 ms with it)."""
        queryset = super().overlapping(period, lower=lower, upper=upper)
        if period is not None:
            lower = period.lower
        return queryset if lower is None else queryset.filter(date_lower__gte=datetime.date.min)

    def for_api(self):
        return self.select_related("publisher", "assignee")

    def queue_of(self, user):
        """The documents `user` may work on: theirs and the unassigned ones, not yet done."""
        return self.filter(models.Q(assignee=user) | models.Q(assignee__isnull=True)).exclude(
            curation_state=CurationState.DONE
        )

    def without_text(self):
        """List pages never show the text: do not read it (it can be megabytes per row)."""
        return self.defer("text")

    def search(self, q: str):
        """Documents whose title or text contains every word of `q` (case-insensitive), served
        by the document text index (factbase/indexes/search.py, `filter_documents`)."""
        from factbase.indexes import search

        return search.filter_documents(self, q)

    def with_anchors_visible_to(self, user):
        """Detail pages show the spans of the claims `user` may see (published ones for
        anonymous clients) and every mention, each in one prefetch."""
        from factbase.models.claims import SourceSpan

        spans = SourceSpan.objects.visible_to(user).order_by("start", "id")
        mentions = Mention.objects.select_related("entity").order_by("start", "id")
        return self.prefetch_related(models.Prefetch("spans", spans), models.Prefetch("mentions", mentions))


class Document(PartialDateRange, TimeStampedModel):
    """A source text. `date_*` is the publication date (partial: July 2021 is month precision).
    The text is locked while any span or mention points into it (`is_locked`; the rule is
    enforced by factbase.services.documents.document_update, which every write path uses)."""

    title = models.CharField(max_length=500)
    text = models.TextField(help_text="The full text, exactly as published. Locked once spans point into it.")
    sha256 = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the UTF-8 text.")
    publisher = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="documents_published"
    )
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 language tag of the text.")
    url = models.URLField(max_length=1000, blank=True)
    revision_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text="The document this text corrects. The old revision stays readable and locked.",
    )
    # The curators' queue (factbase/services/queues.py moves it): new → in curation → ready
    # for review → done, with the curator who holds the document.
    curation_state = models.CharField(
        max_length=16,
        choices=CurationState.choices,
        default=CurationState.NEW,
        help_text="Where the document stands in the curation queue; changed by taking, submitting and marking "
        "it done, never by editing.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents_assigned",
        help_text="The curator working on this document; empty: anyone may take it.",
    )

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["text"])  # the text never changes under spans; keep history small

    class Meta(PartialDateRange.Meta):
        permissions = workflow_permissions("factbase.document")
        # Undated documents last on every database (SQLite and PostgreSQL place NULLs differently).
        ordering = [models.F("date_lower").desc(nulls_last=True), "id"]
        # The list's orderings and date filter, walked in order so that a page reads only its
        # own rows: a sort takes whole rows, and a document row carries its text (100 MB
        # read for ordering=title at a million claims).
        indexes = [
            models.Index(fields=["title", "id"], name="document_title"),
            models.Index(fields=["date_lower", "date_upper", "id"], name="document_dates"),
            # The admin's language filter lists the languages in use (SELECT DISTINCT): from
            # this index, not by reading every row with its text (0.1 s at a million claims).
            models.Index(fields=["language"], name="document_language"),
            # The queue: a state's documents in the list's date order (?curation_state=).
            models.Index(fields=["curation_state", "date_lower", "id"], name="document_curation_state"),
        ]
        constraints = [
            *PartialDateRange.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(curation_state__in=CurationState.values), name="document_curation_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.sha256,)

    def has_anchors(self) -> bool:
        return self.spans.exists() or self.mentions.exists()

    def is_locked(self) -> bool:
        """Spans or mentions point into the text, or a newer revision corrects it."""
        return self.has_anchors() or self.revisions.exists()

    def clean(self):
        super().clean()
        self.clean_partial_date()
        if not self.text or not self.text.strip():
            raise ValidationError({"text": "A document needs its text."})
        validators.validate_text_size(self.text, max_bytes=settings.FACTBASE_MAX_DOCUMENT_BYTES)
        self.sha256 = text_sha256(self.text)


class MentionQuerySet(models.QuerySet):
    def get_by_natural_key(self, document_sha, entity_slug, start, end):
        return self.get(document__sha256=document_sha, entity__slug=entity_slug, start=start, end=end)


class Mention(TextAnchor, TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(TextAnchor.Meta):
        permissions = workflow_permissions("factbase.mention")
        ordering = ["document", "start", "id"]
        constraints = [
            *TextAnchor.Meta.constraints,
            models.UniqueConstraint(fields=["document", "entity", "start", "end"], name="mention_unique"),
        ]
        indexes = [models.Index(fields=["entity", "document"], name="mention_entity_document")]

    def __str__(self) -> str:
        return f"{self.entity} at {self.start}–{self.end}"

    def natural_key(self):
        return (self.document.sha256, self.entity.slug, self.start, self.end)

    natural_key.dependencies = ["factbase.document", "factbase.entity"]

    def clean(self):
        super().clean()
        self.clean_anchor()


class RejectedSuggestion(ChecksInPython):
    """A mention suggestion a curator rejected (this entity is not meant at these characters),
    so it is not suggested again. Not evidence: it goes with its document or entity."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rejected_suggestions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="rejected_suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["document", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "entity", "start", "end"], name="rejectedsuggestion_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="rejectedsuggestion_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"not {self.entity_id} at {self.start}–{self.end}"
