"""Popolo JSON (popoloproject.com) for people, organisations and their memberships.

- A Person or Organization `id` is the entity's slug (stable, unique across kinds); the
  Factbase id and the Wikidata QID are listed under `identifiers`, aliases under
  `other_names` (the note says which kind of alias).
- A Membership is a Role: `role` is the position's title ("Foreign Minister"). Popolo dates
  are reduced ISO 8601 (`2021`, `2021-07`, `2021-07-06`). A role recorded as an interval
  ("2004-03-09/2021-07") exports its ends as `start_date`/`end_date`; a role known only to
  hold at one time ("2021-07": in office when the article appeared) has no known start or
  end, so it is exported without dates rather than as a role that began and ended then.
- Fields Factbase does not know are left out (Popolo's open-world reading), never null.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.db.models import Prefetch

from factbase.enums import AliasKind
from factbase.models import Alias, Identifier, Organisation, Person, Role

_ALIAS_KINDS = dict(AliasKind.choices)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _other_names(entity) -> list[dict]:
    return [
        {"name": alias.name, "note": f"{_ALIAS_KINDS.get(alias.kind, alias.kind)} ({alias.language})"}
        for alias in entity.aliases.all()
    ]


def _identifiers(entity) -> list[dict]:
    found = [{"scheme": "factbase", "identifier": str(entity.pk)}]
    if entity.wikidata_qid:
        found.append({"scheme": "wikidata", "identifier": entity.wikidata_qid})
    for identifier in entity.identifiers.all():
        if identifier.scheme == "wikidata" and identifier.value == entity.wikidata_qid:
            continue
        found.append({"scheme": identifier.scheme, "identifier": identifier.value})
    return found


def _common(entity, url_for: Callable[[int], str] | None) -> dict:
    data = {
        "id": entity.slug,
        "name": entity.name,
        "other_names": _other_names(entity),
        "identifiers": _identifiers(entity),
        "created_at": _timestamp(entity.created),
        "updated_at": _timestamp(entity.updated),
    }
    if url_for is not None:
        data["links"] = [{"url": url_for(entity.pk), "note": "Factbase API"}]
    return data


def person(entity: Person, url_for: Callable[[int], str] | None = None) -> dict:
    data = _common(entity, url_for)
    if entity.given_name:
        data["given_name"] = entity.given_name
    if entity.family_name:
        data["family_name"] = entity.family_name
    if entity.nationality_id:
        data["national_identity"] = entity.nationality.name
    if entity.description:
        data["summary"] = entity.description
    return data


def organization(entity: Organisation, url_for: Callable[[int], str] | None = None) -> dict:
    data = _common(entity, url_for)
    data["classification"] = entity.org_type
    if entity.parent_id:
        data["parent_id"] = entity.parent.slug
    return data


def membership(role: Role) -> dict:
    data = {"id": str(role.uid), "person_id": role.person.slug, "role": role.title, "label": str(role)}
    if role.organisation_id:
        data["organization_id"] = role.organisation.slug
    when = role.partial_date
    if when is not None and "/" in when.isoformat():
        data["start_date"], data["end_date"] = when.isoformat().split("/")
    return data


def popolo_export(*, url_for: Callable[[int], str] | None = None) -> dict:
    """Every person, organisation and role, as one Popolo JSON document. Seven queries
    whatever the number of rows (each list plus its aliases and identifiers, and the roles)."""
    aliases = Prefetch("aliases", queryset=Alias.objects.order_by("name", "id"))
    identifiers = Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "id"))
    people = Person.objects.select_related("nationality").prefetch_related(aliases, identifiers).order_by("pk")
    organisations = Organisation.objects.select_related("parent").prefetch_related(aliases, identifiers).order_by("pk")
    roles = Role.objects.select_related("person", "organisation").order_by("person_id", "date_lower", "id")
    return {
        "persons": [person(p, url_for) for p in people],
        "organizations": [organization(o, url_for) for o in organisations],
        "memberships": [membership(r) for r in roles],
    }
