"""Aliases (other names of an entity, as written in sources) and external identifiers."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from factbase.enums import AliasKind, IdentifierScheme
from factbase.models.base import ChecksInPython
from factbase.models.entities import Entity, normalise_name


class AliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, entity_slug, name, language):
        return self.get(entity__slug=entity_slug, name=name, language=language)


class Alias(ChecksInPython):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300, help_text="The other name exactly as written: “The Independent”.")
    normalised = models.CharField(max_length=300, db_index=True, editable=False, default="")
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 language tag of the name (en, ru).")
    kind = models.CharField(max_length=16, choices=AliasKind.choices, default=AliasKind.COMMON)

    objects = AliasQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["entity", "name", "id"]
        verbose_name_plural = "aliases"
        # The admin's alias list, in name order: walked, it stops at its page, where a search
        # by a common name (`a`) hashed every entity and sorted every alias (0.6 s at a million claims).
        indexes = [models.Index(fields=["name", "id"], name="alias_name_order")]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name", "language"], name="alias_unique_per_entity"),
            models.CheckConstraint(condition=~models.Q(name=""), name="alias_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)  # derived search column
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.entity.slug, self.name, self.language)

    natural_key.dependencies = ["factbase.entity"]


class IdentifierQuerySet(models.QuerySet):
    def get_by_natural_key(self, scheme, value):
        return self.get(scheme=scheme, value=value)


class Identifier(models.Model):
    """An id of the entity in another system (Wikidata's is also kept on the entity itself)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=32, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=300)

    objects = IdentifierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["entity", "scheme", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_value")]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.value}"

    def natural_key(self):
        return (self.scheme, self.value)
