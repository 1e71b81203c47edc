"""Entity writes: create typed entities with aliases, delete (refused while cited), merge."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from factbase.enums import AliasKind
from factbase.models import (
    Alias,
    Claim,
    Document,
    Entity,
    Event,
    EventParticipant,
    Identifier,
    Mention,
    Organisation,
    Person,
    Role,
)


@transaction.atomic
def entity_create(*, model: type[Entity], aliases: list[str] | None = None, by=None, **fields) -> Entity:
    entity = model(**fields)
    entity.full_clean()
    entity.save()
    for name in aliases or []:
        alias_add(entity=entity, name=name)
    return entity


@transaction.atomic
def alias_add(*, entity: Entity, name: str, language: str = "en", kind: str = AliasKind.COMMON) -> Alias:
    alias = Alias(entity=entity, name=name, language=language, kind=kind)
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def entity_update(*, entity: Entity, by=None, **fields) -> Entity:
    for name, value in fields.items():
        setattr(entity, name, value)
    entity.full_clean()
    entity.save()
    return entity


@transaction.atomic
def entity_delete(*, entity: Entity, by=None) -> None:
    """Delete an entity nothing cites; raises ProtectedError naming what still cites it."""
    entity.delete()


@transaction.atomic
def entity_merge(*, survivor: Entity, loser: Entity, by=None) -> Entity:
    """Move every claim, span-bearing reference, mention, alias, role and participation from
    `loser` to `survivor`, keep the loser's name as an alias, then delete the loser."""
    survivor, loser = survivor.typed, loser.typed
    if survivor.pk == loser.pk:
        raise ValidationError("Pick two different entities to merge.")
    if survivor.kind != loser.kind:
        raise ValidationError(f"Cannot merge a {loser.kind} into a {survivor.kind}.")
    Claim.objects.filter(subject=loser).update(subject=survivor)
    Claim.objects.filter(object=loser).update(object=survivor)
    Claim.objects.filter(attributed_to=loser).update(attributed_to=survivor)
    if loser.kind == "event":
        Claim.objects.filter(event_id=loser.pk).update(event_id=survivor.pk)
        type(loser).objects.filter(parent_id=loser.pk).update(parent_id=survivor.pk)
    if loser.kind == "organisation":
        type(loser).objects.filter(parent_id=loser.pk).update(parent_id=survivor.pk)
        Role.objects.filter(organisation_id=loser.pk).update(organisation_id=survivor.pk)
    if loser.kind == "organisation":
        Document.objects.filter(publisher_id=loser.pk).update(publisher_id=survivor.pk)
    if loser.kind == "country":
        Person.objects.filter(nationality_id=loser.pk).update(nationality_id=survivor.pk)
        Organisation.objects.filter(country_id=loser.pk).update(country_id=survivor.pk)
        Event.objects.filter(location_country_id=loser.pk).update(location_country_id=survivor.pk)
    if loser.kind == "person":
        Role.objects.filter(person_id=loser.pk).update(person_id=survivor.pk)
    for mention in Mention.objects.filter(entity=loser):
        if Mention.objects.filter(
            document=mention.document_id, entity=survivor, start=mention.start, end=mention.end
        ).exists():
            mention.delete()
        else:
            Mention.objects.filter(pk=mention.pk).update(entity=survivor)
    for participation in EventParticipant.objects.filter(entity=loser):
        if EventParticipant.objects.filter(
            event=participation.event_id, entity=survivor, role=participation.role
        ).exists():
            participation.delete()
        else:
            EventParticipant.objects.filter(pk=participation.pk).update(entity=survivor)
    existing = set(survivor.aliases.values_list("name", "language"))
    for alias in Alias.objects.filter(entity=loser):
        if (alias.name, alias.language) in existing or alias.name == survivor.name:
            continue
        Alias.objects.filter(pk=alias.pk).update(entity=survivor)
        existing.add((alias.name, alias.language))
    if (loser.name, "en") not in existing and loser.name != survivor.name:
        alias_add(entity=survivor, name=loser.name, kind=AliasKind.COMMON)
    Identifier.objects.filter(entity=loser).update(entity=survivor)
    if not survivor.wikidata_qid and loser.wikidata_qid:
        qid = loser.wikidata_qid
        Entity.objects.filter(pk=loser.pk).update(wikidata_qid="")
        survivor.wikidata_qid = qid
    survivor._change_reason = f"Merged {loser.name} (#{loser.pk}) into this entity"
    survivor.save()
    try:
        loser.delete()
    except ProtectedError as exc:  # a reference the merge does not know how to move
        raise ValidationError(
            f"Could not merge: {loser} is still referenced by {len(exc.protected_objects)} record(s)."
        ) from exc
    return survivor
