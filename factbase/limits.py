"""Write-side limits of the data model: how many rows one object may hold in each collection
that its representation embeds whole (an entity's aliases, a person's roles, a document's
spans…). Reads never page these embedded lists, so the limits here are what keeps every
answer bounded; collections that may grow without limit (the claims about an entity, an
event's sub-events, an organisation's members) are only ever read through paged lists.

Each limit is checked where rows join a collection: by the service that creates or moves
them (`factbase/services/`: the API, the admin and the importer call it) and, for records
loaded as fixtures or backups, by the checked loader (`fixtures_verify`), which asks every
limit below in bulk. A refusal is a ValidationError naming the object, the limit and its
setting, and nothing is written.

The values are settings (`factbase/settings.py`, each overridden by the environment variable
of the same name). Lowering one refuses new rows beyond it; rows already stored stay.
docs/api.md ("Limits") lists them with what a client gets."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count


@dataclass(frozen=True)
class Limit:
    setting: str  # the Django setting (and environment variable) holding the value
    rows: str  # what is counted, plural: "aliases"
    owner: str  # what holds them: "entity"
    model: str  # the rows' model: "factbase.Alias"
    owner_field: str  # the rows' foreign key to their owner: "entity"

    def __str__(self) -> str:
        return f"{self.rows} per {self.owner}"

    @property
    def value(self) -> int:
        return getattr(settings, self.setting)

    def count(self, owner) -> int:
        """How many rows `owner` holds now."""
        return apps.get_model(self.model)._base_manager.filter(**{self.owner_field: owner}).count()

    def check(self, owner, *, total: int, field: str | None = None) -> None:
        """Refuse when `owner` would hold `total` rows; the message goes on `field`."""
        if total <= self.value:
            return
        message = self.refusal(_label(owner), total)
        raise ValidationError({field: message} if field else message)

    def refusal(self, owner: str, total: int) -> str:
        """The message: `owner` (its label) would hold `total` rows."""
        return (
            f"{owner} would hold {total} {self.rows}; {_article(self.owner)} {self.owner} holds at most "
            f"{self.value} ({self.setting})."
        )

    def check_adding(self, owner, *, adding: int = 1, field: str | None = None) -> None:
        """Refuse when `adding` more rows would take `owner` beyond the limit."""
        if adding > 0:
            self.check(owner, total=self.count(owner) + adding, field=field)

    def check_moving(self, row, owner, *, field: str | None = None) -> None:
        """Refuse moving a stored `row` to `owner` when `owner` is full. The stored owner is
        read back: a form may already have set the new one on the instance."""
        if owner is None or row.pk is None:
            return
        rows = type(row)._base_manager.filter(pk=row.pk)
        if rows.values_list(f"{self.owner_field}_id", flat=True).first() != owner.pk:
            self.check_adding(owner, field=field)

    def over(self, owner_ids, *, using: str = "default") -> list[tuple[int, int]]:
        """(owner id, rows held) for each of `owner_ids` beyond the limit: one query, for
        checking loaded records in bulk."""
        rows = apps.get_model(self.model)._base_manager.using(using)
        key = f"{self.owner_field}_id"
        found = (
            rows.filter(**{f"{key}__in": list(owner_ids)})
            .values(key)
            .annotate(n=Count("pk"))
            .filter(n__gt=self.value)
            .order_by(key)
            .values_list(key, "n")
        )
        return list(found)


def _label(owner) -> str:
    """“Person #12 “Sergei Lavrov””, “Document #3 “A title””, “Claim #7”."""
    kind = str(getattr(owner, "kind", "") or owner._meta.verbose_name).capitalize()
    name = getattr(owner, "name", None) or getattr(owner, "title", None)
    return f"{kind} #{owner.pk} “{name}”" if name else f"{kind} #{owner.pk}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


ALIASES_PER_ENTITY = Limit("FACTBASE_MAX_ALIASES_PER_ENTITY", "aliases", "entity", "factbase.Alias", "entity")
IDENTIFIERS_PER_ENTITY = Limit(
    "FACTBASE_MAX_IDENTIFIERS_PER_ENTITY", "identifiers", "entity", "factbase.Identifier", "entity"
)
ROLES_PER_PERSON = Limit("FACTBASE_MAX_ROLES_PER_PERSON", "roles", "person", "factbase.Role", "person")
PARTICIPANTS_PER_EVENT = Limit(
    "FACTBASE_MAX_PARTICIPANTS_PER_EVENT", "participants", "event", "factbase.EventParticipant", "event"
)
SPANS_PER_DOCUMENT = Limit("FACTBASE_MAX_SPANS_PER_DOCUMENT", "spans", "document", "factbase.SourceSpan", "document")
MENTIONS_PER_DOCUMENT = Limit(
    "FACTBASE_MAX_MENTIONS_PER_DOCUMENT", "mentions", "document", "factbase.Mention", "document"
)
SPANS_PER_CLAIM = Limit("FACTBASE_MAX_SPANS_PER_CLAIM", "spans", "claim", "factbase.SourceSpan", "claim")

LIMITS = [
    ALIASES_PER_ENTITY,
    IDENTIFIERS_PER_ENTITY,
    ROLES_PER_PERSON,
    PARTICIPANTS_PER_EVENT,
    SPANS_PER_DOCUMENT,
    MENTIONS_PER_DOCUMENT,
    SPANS_PER_CLAIM,
]
