"""Entity writes: create typed entities with aliases, delete (refused while cited), merge;
the rows an entity's representation embeds (aliases, identifiers, roles, participants),
each refused beyond its limit (factbase/limits.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import ProtectedError, Q
from django.utils.text import Truncator, slugify

from factbase.enums import AliasKind, ParticipantRole
from factbase.indexes import changes
from factbase.limits import ALIASES_PER_ENTITY, IDENTIFIERS_PER_ENTITY, PARTICIPANTS_PER_EVENT, ROLES_PER_PERSON
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
from factbase.partial_dates import PartialDate
from factbase.services.facts import facts_after_merge
from factbase.services.merges import merge_record, merge_snapshot, merges_follow


@transaction.atomic
def entity_create(
    *,
    model: type[Entity],
    aliases: list[str | dict] | None = None,
    participants: list[dict] | None = None,
    date: PartialDate | None = None,
    by=None,
    **fields,
) -> Entity:
    """Create a typed entity with its aliases (names, or {name, language?, kind?}) and, for
    events, its date and participants ({entity, role?, note?}). Without a slug, one is made
    from the name and kept unique."""
    if not fields.get("slug"):
        fields["slug"] = entity_unique_slug(fields.get("name") or "", fallback=model.KIND or "entity")
    entity = model(**fields)
    if date is not None:
        entity.set_partial_date(date)
    entity.full_clean()
    entity.save()
    if aliases:
        entity_aliases_set(entity=entity, aliases=aliases)
    if participants:
        event_participants_set(event=entity, participants=participants)
    return entity


def entity_unique_slug(name: str, *, fallback: str = "entity") -> str:
    """A slug made from `name` that no entity uses yet: "sergei-lavrov", then "sergei-lavrov-2"…"""
    max_length = Entity._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 8].strip("-") or fallback
    taken = set(Entity.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def entity_aliases_set(*, entity: Entity, aliases: list[str | dict]) -> list[Alias]:
    """Make the entity's aliases exactly `aliases` (names, or {name, language?, kind?}):
    keeps the ones that stay, deletes the others, adds the new ones."""
    wanted = []
    for index, item in enumerate(aliases):
        spec = {"name": item} if isinstance(item, str) else dict(item)
        spec.setdefault("language", "en")
        spec.setdefault("kind", AliasKind.COMMON)
        if (spec["name"], spec["language"]) in [(w["name"], w["language"]) for w in wanted]:
            raise ValidationError({"aliases": f"Alias {index + 1}: {spec['name']!r} is listed twice."})
        wanted.append(spec)
    existing = {(a.name, a.language): a for a in entity.aliases.all()}
    keep = {(w["name"], w["language"]) for w in wanted}
    for key, alias in existing.items():
        if key not in keep:
            alias_delete(alias=alias)
    result = []
    for index, spec in enumerate(wanted):
        alias = existing.get((spec["name"], spec["language"]))
        try:
            if alias is None:
                alias = alias_add(entity=entity, **spec)
            elif alias.kind != spec["kind"]:
                alias.kind = spec["kind"]
                alias.full_clean()
                alias.save()
        except ValidationError as exc:
            raise ValidationError({"aliases": [f"Alias {index + 1}: {m}" for m in exc.messages]}) from exc
        result.append(alias)
    return result


@transaction.atomic
def event_participants_set(*, event: Event, participants: list[dict]) -> list[EventParticipant]:
    """Make the event's participants exactly `participants` ({entity, role?, note?})."""
    event.participants.all().delete()
    created = []
    for index, spec in enumerate(participants):
        try:
            participant = participant_add(
                event=event,
                entity=spec["entity"],
                role=spec.get("role") or ParticipantRole.ATTENDEE,
                note=spec.get("note") or "",
            )
        except ValidationError as exc:
            raise ValidationError({"participants": [f"Participant {index + 1}: {m}" for m in exc.messages]}) from exc
        created.append(participant)
    return created


@transaction.atomic
def person_roles_set(*, person: Person, roles: list[dict], by=None) -> list[Role]:
    """Make the person's roles exactly `roles` ({title, organisation?, date?}: a PartialDate)."""
    person.roles.all().delete()
    created = []
    for index, spec in enumerate(roles):
        spec = dict(spec)
        date = spec.pop("date", None)
        role = Role(person=person, **spec)
        role.set_partial_date(date)
        try:
            ROLES_PER_PERSON.check_adding(person, field="roles")
            role.full_clean()
        except ValidationError as exc:
            raise ValidationError({"roles": [f"Role {index + 1}: {m}" for m in exc.messages]}) from exc
        role.save()
        created.append(role)
    return created


@transaction.atomic
def entity_identifiers_set(*, entity: Entity, identifiers: list[dict], by=None) -> list[Identifier]:
    """Make the entity's external ids exactly `identifiers` ({scheme, value})."""
    entity.identifiers.all().delete()
    created = []
    for index, spec in enumerate(identifiers):
        try:
            created.append(identifier_add(entity=entity, **spec))
        except ValidationError as exc:
            raise ValidationError({"identifiers": [f"Identifier {index + 1}: {m}" for m in exc.messages]}) from exc
    return created


def _row_update(row, limit, fields: dict):
    """Change a row's fields; moving it to another owner counts against that owner's limit."""
    limit.check_moving(row, fields.get(limit.owner_field), field=limit.owner_field)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def participant_add(*, event: Event, entity: Entity, by=None, **fields) -> EventParticipant:
    """Add `entity` to the event's participants ({role?, note?})."""
    PARTICIPANTS_PER_EVENT.check_adding(event, field="participants")
    participant = EventParticipant(event=event, entity=entity, **fields)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_update(*, participant: EventParticipant, by=None, **fields) -> EventParticipant:
    return _row_update(participant, PARTICIPANTS_PER_EVENT, fields)


@transaction.atomic
def identifier_add(*, entity: Entity, by=None, **fields) -> Identifier:
    """Add an external id (`scheme`, `value`) to the entity."""
    IDENTIFIERS_PER_ENTITY.check_adding(entity, field="identifiers")
    identifier = Identifier(entity=entity, **fields)
    identifier.full_clean()
    identifier.save()
    return identifier


@transaction.atomic
def identifier_update(*, identifier: Identifier, by=None, **fields) -> Identifier:
    return _row_update(identifier, IDENTIFIERS_PER_ENTITY, fields)


@transaction.atomic
def role_add(*, person: Person, by=None, **fields) -> Role:
    """Add a position (`title`, `organisation?`, partial date fields) to the person."""
    ROLES_PER_PERSON.check_adding(person, field="roles")
    role = Role(person=person, **fields)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def role_update(*, role: Role, by=None, **fields) -> Role:
    return _row_update(role, ROLES_PER_PERSON, fields)


@transaction.atomic
def alias_add(*, entity: Entity, name: str, language: str = "en", kind: str = AliasKind.COMMON) -> Alias:
    ALIASES_PER_ENTITY.check_adding(entity, field="aliases")
    alias = Alias(entity=entity, name=name, language=language, kind=kind)
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def alias_update(*, alias: Alias, by=None, **fields) -> Alias:
    """Change an alias's `name`, `language`, `kind` or `entity`."""
    return _row_update(alias, ALIASES_PER_ENTITY, fields)


@transaction.atomic
def alias_delete(*, alias: Alias, by=None) -> None:
    alias.delete()


@transaction.atomic
def entity_update(
    *,
    entity: Entity,
    aliases: list[str | dict] | None = None,
    participants: list[dict] | None = None,
    by=None,
    **fields,
) -> Entity:
    """Change fields; `aliases`/`participants`, when given, replace the whole list; `date`
    (events) takes a PartialDate or None."""
    date = fields.pop("date", ...)
    for name, value in fields.items():
        setattr(entity, name, value)
    if date is not ...:
        entity.set_partial_date(date)
    entity.full_clean()
    entity.save()
    if aliases is not None:
        entity_aliases_set(entity=entity, aliases=aliases)
    if participants is not None:
        event_participants_set(event=entity, participants=participants)
    return entity


@transaction.atomic
def entity_delete(*, entity: Entity, by=None) -> None:
    """Delete an entity nothing cites; raises ProtectedError naming what still cites it."""
    entity.delete()


@transaction.atomic
def entity_merge(*, survivor: Entity, loser: Entity, by=None) -> Entity:
    """Move every claim, span-bearing reference, mention, alias, role and participation from
    `loser` to `survivor`, keep the loser's name as an alias, then delete the loser. The merge
    is recorded (EntityMerge): the loser's id then leads to the survivor, and
    factbase.services.merges.entity_unmerge can undo it exactly."""
    survivor, loser = survivor.typed, loser.typed
    if survivor.pk == loser.pk:
        raise ValidationError("Pick two different entities to merge.")
    if survivor.kind != loser.kind:
        raise ValidationError(f"Cannot merge a {loser.kind} into a {survivor.kind}.")
    snapshot = merge_snapshot(survivor=survivor, loser=loser)
    if loser.kind in ("event", "organisation") and survivor.parent_id == loser.pk:
        # The survivor was part of the loser: it takes the loser's parent, not itself.
        survivor.parent_id = None if loser.parent_id == survivor.pk else loser.parent_id
        type(survivor).objects.filter(pk=survivor.pk).update(parent_id=survivor.parent_id)
        snapshot["survivor"]["parent_after"] = survivor.parent_id  # what entity_unmerge expects to find
    # Claims about the loser state something else once they are the survivor's: grouped again.
    moved_claims = list(
        Claim.objects.filter(Q(subject=loser) | Q(object=loser) | Q(attributed_to=loser)).values_list("pk", flat=True)
    )
    published = list(Document.objects.filter(publisher_id=loser.pk).values_list("pk", flat=True))
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
    added_alias = None
    if (loser.name, "en") not in existing and loser.name != survivor.name:
        added_alias = alias_add(entity=survivor, name=loser.name, kind=AliasKind.COMMON)
    Identifier.objects.filter(entity=loser).update(entity=survivor)
    if not survivor.wikidata_qid and loser.wikidata_qid:
        qid = loser.wikidata_qid
        Entity.objects.filter(pk=loser.pk).update(wikidata_qid="")
        survivor.wikidata_qid = qid
    # The survivor now holds both entities' rows: within its limits, or no merge at all.
    limits = [ALIASES_PER_ENTITY, IDENTIFIERS_PER_ENTITY] + ([ROLES_PER_PERSON] if survivor.kind == "person" else [])
    for limit in limits:
        limit.check(survivor, total=limit.count(survivor))
    # simple-history's change-reason column holds 100 characters.
    survivor._change_reason = f"Merged {Truncator(loser.name).chars(60)} (#{loser.pk}) into this entity"[:100]
    survivor.save()
    loser_pk = loser.pk
    merges_follow(loser=loser, survivor=survivor)
    try:
        loser.delete()
    except ProtectedError as exc:  # a reference the merge does not know how to move
        raise ValidationError(
            f"Could not merge: {loser} is still referenced by {len(exc.protected_objects)} record(s)."
        ) from exc
    # The change feed logged the loser's delete; it is a merge into the survivor.
    changes.mark_merged(connections[router.db_for_write(Entity)], merged_id=loser_pk, survivor_id=survivor.pk)
    facts_after_merge(claim_ids=moved_claims, document_ids=published)
    merge_record(snapshot=snapshot, survivor=survivor, loser_pk=loser_pk, added_alias=added_alias, by=by)
    return survivor
