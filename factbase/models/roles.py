"""Roles: a person's position in an organisation over a partial-date interval (Popolo's Membership)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from factbase.models.base import PartialDateQuerySetMixin, PartialDateRange, TimeStampedModel
from factbase.models.entities import Organisation, Person


class RoleQuerySet(PartialDateQuerySetMixin, models.QuerySet):
    def get_by_natural_key(self, uid):
        return self.get(uid=uid)

    def in_person_order(self):
        """By person, then start, then id, undated roles last on every database (the
        default ordering, with the person as its id rather than the person's name)."""
        return self.order_by("person_id", models.F("date_lower").asc(nulls_last=True), "id")

    def after_in_person_order(self, person_id: int, date_lower, pk: int):
        """The roles after (person_id, date_lower, pk) in `in_person_order`, for keyset
        chunks: no OFFSET, whatever the position."""
        # `person_id >= …` first: the index on person seeks there, and rows come in person
        # order, so only the start of the next chunk is read and sorted.
        this_person = self.filter(person_id__gte=person_id)
        later_person = Q(person_id__gt=person_id)
        if date_lower is None:  # undated roles come last within a person
            return this_person.filter(later_person | Q(date_lower__isnull=True, pk__gt=pk))
        return this_person.filter(
            later_person
            | Q(date_lower__gt=date_lower)
            | Q(date_lower__isnull=True)
            | Q(date_lower=date_lower, pk__gt=pk)
        )


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
        # The admin's list of roles sorted by date, either way (ties by id).
        indexes = [models.Index(fields=["date_lower", "id"], name="role_date_order")]

    def __str__(self) -> str:
        where = f", {self.organisation}" if self.organisation_id else ""
        return f"{self.person}: {self.title}{where}"

    def natural_key(self):
        return (str(self.uid),)

    def clean(self):
        super().clean()
        self.clean_partial_date()
