"""What a merge changed, kept so that it can be undone exactly, and the undoing.

factbase.services.entities.entity_merge takes a snapshot of the entity it merges away
before it changes anything (`merge_snapshot`), and records it once the merge is done
(`merge_record`): an EntityMerge row, which is also where the merged id now leads. The
snapshot holds

- the merged entity's row (its kind's table included: same id, slug, timestamps);
- the ids of every row that referred to it, relation by relation, read from the models'
  foreign keys (claims as subject, object, attribution or event; aliases, identifiers,
  roles, participations, mentions; organisations, people and events that named it as
  country, nationality, parent or publisher…), so a relation added later is covered;
- whole copies of the rows the merge deleted: duplicate mentions and participations, the
  aliases the survivor already had, an event's own participants, rejected suggestions;
- what the merge changed on the survivor: the alias made from the merged name, the
  Wikidata id it took over, its `updated` time; and the merges that had ended in the merged
  entity (pointed on at the survivor).

`entity_unmerge` puts all of it back: the same ids and counts as before the merge. It
refuses, changing nothing, when that cannot be done exactly:
- the survivor has since been deleted;
- a row that was the merged entity's has since been deleted, or now refers to another
  entity than the survivor (re-pointed by a curator, or by undoing another merge first:
  undo a chain of merges from the last one back);
- the merged entity's slug or Wikidata id has since been given to another entity.
Undoing a merge whose survivor was merged in turn (A into B, then B into C) works: A's rows
are then C's, and go back to A from there.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections import Counter

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import Truncator

from factbase.models import Alias, Claim, Document, Entity, EntityMerge, EventParticipant, Fact, Mention
from factbase.services.facts import facts_drop_empty, facts_refresh

# Rows the merge deletes although they do not die with the merged entity: duplicates of the
# survivor's (same document and offsets; same event and role).
DEDUPLICATED = (Mention, EventParticipant)


def _plain(value):
    """A field value as JSON holds it, losslessly (DjangoJSONEncoder cuts microseconds)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def _dump(obj) -> dict:
    return {field.attname: _plain(field.value_from_object(obj)) for field in obj._meta.concrete_fields}


def _load(model, data: dict):
    return model(
        **{
            field.attname: field.to_python(data[field.attname])
            for field in model._meta.concrete_fields
            if field.attname in data
        }
    )


CHUNK = 1000  # ids per IN list: the busiest entity is in 50,000 claims, beyond SQLite's bound on parameters


def _chunks(ids: list) -> list[list]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _relations(model):
    """The foreign keys that point at an entity of `model`'s kind (its entity row included),
    but not the kind tables' links to the entity row, nor merge records."""
    for rel in model._meta.related_objects:
        field = rel.field
        if rel.parent_link or getattr(field.remote_field, "parent_link", False) or field.model is EntityMerge:
            continue
        if field.many_to_many or not field.concrete:
            continue
        yield field.model, field


def _deletable(model, field) -> bool:
    """Rows the merge may delete: those that die with the merged entity, and duplicates."""
    return field.remote_field.on_delete is models.CASCADE or model in DEDUPLICATED


def merge_snapshot(*, survivor: Entity, loser: Entity) -> dict:
    """What `loser` is and what refers to it, before the merge changes anything."""
    references, rows = [], {}
    for model, field in _relations(type(loser)):
        queryset = model._base_manager.filter(**{field.attname: loser.pk}).order_by("pk")
        if _deletable(model, field):
            found = list(queryset)
            ids = [obj.pk for obj in found]
            rows.setdefault(model._meta.label_lower, {}).update({str(obj.pk): _dump(obj) for obj in found})
        else:
            ids = list(queryset.values_list("pk", flat=True))
        if ids:
            references.append({"model": model._meta.label_lower, "field": field.name, "ids": ids})
    # The facts of its claims (the merge groups them again): put back as they were by undoing.
    claims = Claim.objects.filter(Q(subject=loser.pk) | Q(object=loser.pk) | Q(attributed_to=loser.pk))
    facts = {str(pk): fact for pk, fact in claims.order_by("pk").values_list("pk", "fact_id")}
    fact_ids = sorted({fact for fact in facts.values() if fact is not None})
    fact_rows = {str(fact.pk): _dump(fact) for chunk in _chunks(fact_ids) for fact in Fact.objects.filter(pk__in=chunk)}
    return {
        "facts": {"claims": facts, "rows": fact_rows},
        "entity": {"model": type(loser)._meta.label_lower, "fields": _dump(loser)},
        "references": references,
        "rows": rows,
        "redirects": list(EntityMerge.objects.filter(survivor_id=loser.pk).values_list("merged_id", flat=True)),
        "survivor": {"updated": _plain(survivor.updated), "wikidata_qid": survivor.wikidata_qid},
    }


def merge_record(*, snapshot: dict, survivor: Entity, loser_pk: int, added_alias: Alias | None, by=None) -> EntityMerge:
    """Record a merge that has just been done (in its transaction): keep the copies of the rows
    it deleted and note what it changed on the survivor."""
    for label, copies in snapshot["rows"].items():
        model = apps.get_model(label)
        still_there = {
            str(pk)
            for chunk in _chunks(list(copies))
            for pk in model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True)
        }
        snapshot["rows"][label] = {pk: row for pk, row in copies.items() if pk not in still_there}
    snapshot["rows"] = {label: copies for label, copies in snapshot["rows"].items() if copies}
    snapshot["added_alias"] = added_alias.pk if added_alias is not None else None
    snapshot["survivor"].update(updated_after=_plain(survivor.updated), wikidata_qid_after=survivor.wikidata_qid)
    fields = snapshot["entity"]["fields"]
    record = EntityMerge(
        merged_id=loser_pk,
        kind=fields["kind"],
        name=fields["name"],
        slug=fields["slug"],
        survivor=survivor,
        merged_by=by if getattr(by, "is_authenticated", False) else None,
        snapshot=snapshot,
    )
    record._history_user = record.merged_by
    record.full_clean()
    record.save()
    return record


def _insert(row, *, by, reason: str = "") -> None:
    """Insert a row as it was: save() (its history records who and why) with its id, then its
    `updated` time put back (TimeStampedModel.save sets it)."""
    updated = getattr(row, "updated", None)
    row._history_user = by
    if reason:
        row._change_reason = reason
    row.save()
    if updated is not None:
        type(row)._base_manager.filter(pk=row.pk).update(updated=updated)


def merges_follow(*, loser: Entity, survivor: Entity) -> None:
    """Point the merges that ended in `loser` at `survivor`, before `loser` is deleted (which
    would leave them leading nowhere): a redirect is always one hop."""
    EntityMerge.objects.filter(survivor_id=loser.pk).update(survivor=survivor)


def _restore_facts(facts: dict | None, *, by) -> None:
    """Put the merged entity's claims back in the facts they were in before the merge (which
    grouped them again, and deleted the facts it emptied: those come back with their ids),
    and count again the sources of every fact involved."""
    if not facts:
        return
    existing = set()
    for chunk in _chunks(sorted(int(pk) for pk in facts["rows"])):
        existing.update(Fact.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    for pk, data in facts["rows"].items():
        if int(pk) not in existing:
            _insert(_load(Fact, data), by=by)
    claim_facts = {int(pk): fact for pk, fact in facts["claims"].items()}
    now = set()
    for chunk in _chunks(sorted(claim_facts)):
        now.update(Claim.objects.filter(pk__in=chunk).values_list("fact_id", flat=True))
    by_fact: dict = {}
    for pk, fact in claim_facts.items():
        by_fact.setdefault(fact, []).append(pk)
    for fact, pks in by_fact.items():
        for chunk in _chunks(pks):
            Claim.objects.filter(pk__in=chunk).update(fact_id=fact)
    touched = sorted(pk for pk in now | set(claim_facts.values()) if pk is not None)
    for chunk in _chunks(touched):
        facts_drop_empty(chunk)
        facts_refresh(chunk)


def _refused(merged_name: str, merged_id: int, reason: str) -> ValidationError:
    return ValidationError(f"Cannot undo the merge of {merged_name} (#{merged_id}) exactly: {reason}")


def _describe(problems: list[tuple[str, int]]) -> str:
    """The rows in question, by kind: "2 claims (#4, #9) and 1 alias (#3)"."""
    counts = Counter(label for label, _ in problems)
    parts = []
    for label, n in sorted(counts.items()):
        meta = apps.get_model(label)._meta
        shown = [f"#{pk}" for lbl, pk in problems if lbl == label][:5]
        ids = ", ".join(shown) + (", …" if n > len(shown) else "")
        parts.append(f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural} ({ids})")
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


@transaction.atomic
def entity_unmerge(*, merged_id: int, by=None) -> Entity:
    """Undo the merge of entity `merged_id`: the entity back with its id, slug and fields, every
    row that was its own back on it, the rows the merge deleted re-created with their ids, the
    alias the merge added to the survivor removed. Refused (ValidationError, nothing changed)
    when it cannot be done exactly: see the module docstring."""
    record = EntityMerge.objects.select_for_update().filter(merged_id=merged_id).first()
    if record is None:
        raise ValidationError(f"No merge of entity #{merged_id} is recorded.")
    name = Truncator(record.name).chars(60)
    if record.survivor_id is None:
        raise _refused(name, merged_id, "the entity it was merged into has since been deleted.")
    survivor = Entity.objects.get(pk=record.survivor_id).typed
    snapshot = record.snapshot
    entity = _load(apps.get_model(snapshot["entity"]["model"]), snapshot["entity"]["fields"])
    if Entity.objects.filter(slug=entity.slug).exists():
        raise _refused(name, merged_id, f"its slug {entity.slug!r} is now another entity's.")

    # Rows that were its own must still be there and still be the survivor's.
    problems, moves = [], []
    for reference in snapshot["references"]:
        model = apps.get_model(reference["model"])
        field = model._meta.get_field(reference["field"])
        copies = snapshot["rows"].get(reference["model"], {})
        now = {}
        for chunk in _chunks(reference["ids"]):
            now.update(model._base_manager.filter(pk__in=chunk).values_list("pk", field.attname))
        for pk in reference["ids"]:
            expected = survivor.pk
            if pk == survivor.pk and field.name == "parent" and "parent_after" in snapshot["survivor"]:
                expected = snapshot["survivor"]["parent_after"]  # it was the merged entity's part
            if pk not in now and str(pk) not in copies:
                problems.append((reference["model"], pk))  # deleted since
            elif pk in now and now[pk] != expected:
                problems.append((reference["model"], pk))  # re-pointed since
        moves.append((model, field, [pk for pk in reference["ids"] if pk in now]))
    if problems:
        raise _refused(
            name,
            merged_id,
            "what referred to it has since been deleted or changed to refer to another entity than "
            f"{Truncator(survivor.name).chars(60)} (#{survivor.pk}): {_describe(problems)}.",
        )

    before = snapshot["survivor"]
    survivor_changes = {}
    if before["wikidata_qid"] != before["wikidata_qid_after"] and survivor.wikidata_qid == before["wikidata_qid_after"]:
        survivor_changes["wikidata_qid"] = before["wikidata_qid"]  # the Wikidata id it took over goes back
    try:
        with transaction.atomic():
            if survivor_changes:
                Entity.objects.filter(pk=survivor.pk).update(**survivor_changes)
            # The row as it was (a snapshot, not an edit: no full_clean, whose rules may have
            # changed since; the database's constraints still hold).
            _insert(entity, by=by, reason=f"Merge into #{survivor.pk} undone")
            for label, copies in snapshot["rows"].items():
                model = apps.get_model(label)
                for data in copies.values():
                    _insert(_load(model, data), by=by)
            for model, field, ids in moves:
                for chunk in _chunks(ids):
                    model._base_manager.filter(pk__in=chunk).update(**{field.attname: entity.pk})
            _restore_facts(snapshot.get("facts"), by=by)
    except IntegrityError as exc:
        raise _refused(name, merged_id, "its Wikidata id or another unique value is now another entity's.") from exc

    if snapshot.get("added_alias"):
        for alias in Alias.objects.filter(pk=snapshot["added_alias"], entity_id=survivor.pk):
            alias._history_user = by
            alias.delete()
    EntityMerge.objects.filter(merged_id__in=snapshot["redirects"], survivor_id=survivor.pk).update(survivor=entity.pk)
    # The documents it published count as its own source again.
    published = [pk for model, field, ids in moves if model is Document and field.name == "publisher" for pk in ids]
    cited = set()
    for chunk in _chunks(published):
        cited.update(Claim.objects.filter(spans__document__in=chunk).values_list("fact_id", flat=True))
    for chunk in _chunks(sorted(pk for pk in cited if pk is not None)):
        facts_refresh(chunk)

    # The survivor's history notes the undoing; its `updated` goes back if nothing else
    # changed it since the merge.
    survivor.refresh_from_db()
    unchanged = _plain(survivor.updated) == before["updated_after"]
    survivor._history_user = by
    survivor._change_reason = f"Merge of {name} (#{merged_id}) undone"[:100]
    survivor.save()
    if unchanged:
        Entity.objects.filter(pk=survivor.pk).update(updated=datetime.datetime.fromisoformat(before["updated"]))
    record._history_user = by
    record.delete()
    return Entity.objects.get(pk=entity.pk).typed
