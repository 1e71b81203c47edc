"""Roles: a person's position in an organisation over a partial-date interval (Popolo's Membership)."""

from __future__ import annotations

import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from factbase.models.base import PartialDateQuerySetMixin, PartialDateRange, TimeStampedModel
from factbase.models.entities import Organisation, Person


class RoleQuerySet(PartialDateQuerySetMixin, models.QuerySet):
    def get_by_natural_key(self, uid):
        return self.get(uid=uid)


class Role(PartialDateRange, TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    title = models.CharField(max_length=300, help_text="The position: “Foreign Minister”, “Secretary”.")

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(PartialDateRange.Meta):
        # Undated roles last on every database (SQLite and PostgreSQL place NULLs differently).
        ordering = ["person", models.F("date_lower").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        where = f", {self.organisation}" if self.organisation_id else ""
        return f"{self.person}: {self.title}{where}"

    def natural_key(self):
        return (str(self.uid),)

    def clean(self):
        super().clean()
        self.clean_partial_date()
