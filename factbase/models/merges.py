"""Entity merges: where a merged entity's id now leads (the redirect the API answers with,
and what its filters map a merged id to), and what the merge changed, kept so that it can
be undone exactly (factbase/services/merges.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.utils import timezone
from simple_history.models import HistoricalRecords

from factbase.enums import EntityKind
from factbase.models.entities import Entity
from factbase.permissions import workflow_permissions


class EntityMergeQuerySet(models.QuerySet):
    def survivors_of(self, ids) -> dict[int, int]:
        """{merged id: survivor id} for those of `ids` that were merged into an entity that
        still exists: one query on the merged-id index."""
        return dict(
            self.filter(merged_id__in=list(ids), survivor__isnull=False).values_list("merged_id", "survivor_id")
        )


def entity_or_merge(pk: int) -> tuple[str, int | None] | None:
    """In one query: `(kind, None)` when entity `pk` exists, `(kind, survivor id)` when it was
    merged into an entity that still exists, None otherwise. (The filters ask this only of an
    id whose page came back empty, so an ordinary request pays nothing for redirects.)"""
    none = Value(None, output_field=models.BigIntegerField())
    entity = Entity.objects.filter(pk=pk).order_by().values_list("kind", none)
    merged = (
        EntityMerge.objects.filter(merged_id=pk, survivor__isnull=False).order_by().values_list("kind", "survivor_id")
    )
    rows = list(entity.union(merged, all=True))
    if not rows:
        return None
    # Both at once only if an id were reused after its merge (ids never are): the entity wins.
    return min(rows, key=lambda row: row[1] is not None)


class EntityMerge(models.Model):
    """One merge: entity `merged_id` (deleted) was merged into `survivor`. Merging the survivor
    in turn points this record at the new survivor, so a redirect is always one hop."""

    merged_id = models.PositiveBigIntegerField(unique=True, help_text="The id the merged entity had.")
    kind = models.CharField(max_length=16, choices=EntityKind.choices, editable=False)
    name = models.CharField(max_length=300, help_text="The merged entity's name.")
    slug = models.SlugField(max_length=120, help_text="The merged entity's slug.")
    survivor = models.ForeignKey(
        Entity,
        null=True,
        on_delete=models.SET_NULL,  # a redirect to nothing: the merged id then answers 404
        related_name="merges_absorbed",
        help_text="The entity it was merged into (after later merges, the one that holds its records now).",
    )
    merged_at = models.DateTimeField(default=timezone.now, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the merge changed, for entity_unmerge: the merged entity's row, the ids of every
    # row that referred to it, the rows the merge deleted, and what it changed on the survivor.
    snapshot = models.JSONField(default=dict, editable=False)

    objects = EntityMergeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["snapshot"])  # undoing deletes the record: who, when

    class Meta:
        permissions = workflow_permissions("factbase.entitymerge")
        ordering = ["-merged_at", "-id"]
        verbose_name = "entity merge"

    def __str__(self) -> str:
        return f"{self.name} (#{self.merged_id}) merged into #{self.survivor_id}"
