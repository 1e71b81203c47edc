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

Each list is read in keyset chunks (`persons`, `organizations`, `memberships`): people and
organisations in id order (`id > last`), three queries a chunk (the rows with their
nationality or parent joined, then the chunk's aliases, then its identifiers); memberships in
(person, start, id) order with undated roles last, one query a chunk. Rows are read as
tuples, not model instances, so a chunk costs little more than its JSON. The API streams the
chunks as they come (api/views/standards.py): memory holds one chunk, whatever the size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import TextField
from django.db.models.functions import Cast

from factbase.enums import AliasKind
from factbase.models import Alias, Entity, Identifier, Organisation, Person, Role
from factbase.partial_dates import PartialDate

_ALIAS_KINDS = dict(AliasKind.choices)

CHUNK_ROWS = 1000  # rows per database round trip: memory holds one chunk's rows

UrlFor = Callable[[int], str] | None

_ENTITY = ("pk", "slug", "name", "wikidata_qid", "created_text", "updated_text")
# The timestamps as the database writes them in UTC ("2021-07-06 10:00:00.123456" on SQLite,
# "2021-07-06 10:00:00.123456+00" on PostgreSQL, whose sessions Django sets to UTC): cut to
# Popolo's form in Python, where parsing them into datetimes and formatting them back cost a
# third of the export's time.
_TIMESTAMPS = {"created_text": Cast("created", TextField()), "updated_text": Cast("updated", TextField())}
_PERSON_OWN = ("as_person__given_name", "as_person__family_name", "as_person__nationality__name", "description")
_ORGANISATION_OWN = ("as_organisation__org_type", "as_organisation__parent__slug")
_ROLE = ("uid", "person__slug", "title", "person__name", "organisation__slug", "organisation__name")
_ROLE_DATES = ("date_lower", "date_upper", "date_precision")


def _timestamp(text: str) -> str:
    """ "2021-07-06 10:00:00.123456…" (UTC, see _TIMESTAMPS) -> "2021-07-06T10:00:00Z"."""
    return f"{text[:10]}T{text[11:19]}Z"


def _chunk_extras(ids, after: int, upto: int) -> tuple[dict[int, list[dict]], dict[int, list[tuple[str, str]]]]:
    """The other names and the identifiers of the entities `ids`, by entity: two queries.
    `ids` is a subquery (a thousand ids as parameters cost more to prepare than the rows to
    read); the id range (`after`, `upto`] they lie in lets each index seek to them."""
    notes: dict[tuple[str, str], str] = {}
    other_names: dict[int, list[dict]] = defaultdict(list)
    aliases = Alias.objects.filter(entity_id__gt=after, entity_id__lte=upto, entity_id__in=ids).order_by(
        "entity_id", "name", "id"
    )
    for entity_id, name, kind, language in aliases.values_list("entity_id", "name", "kind", "language"):
        note = notes.get((kind, language))
        if note is None:
            note = notes[kind, language] = f"{_ALIAS_KINDS.get(kind, kind)} ({language})"
        other_names[entity_id].append({"name": name, "note": note})
    identifiers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    found = Identifier.objects.filter(entity_id__gt=after, entity_id__lte=upto, entity_id__in=ids).order_by(
        "entity_id", "scheme", "id"
    )
    for entity_id, scheme, value in found.values_list("entity_id", "scheme", "value"):
        identifiers[entity_id].append((scheme, value))
    return other_names, identifiers


def _entity_chunks(model, own: tuple[str, ...], url_for: UrlFor, chunk_rows: int | None) -> Iterator[list]:
    """(common fields as a dict, the row's `own` fields) for every entity of the typed
    `model`, a list per chunk in id order: three queries per chunk (a short last chunk ends
    the walk without asking for an empty one)."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    typed = f"as_{model.KIND}"  # the entity's typed row (Entity.typed)
    queryset = Entity.objects.filter(kind=model.KIND).annotate(**_TIMESTAMPS).order_by("pk")
    last = 0
    while True:
        # The key on the entity table and on the typed table: PostgreSQL merge-joins the two
        # in id order and, told only one, reads the other from its first row for every chunk.
        # SQLite seeks in the kind index (kind, id).
        after = queryset.filter(pk__gt=last, **{f"{typed}__pk__gt": last})
        batch = list(after.values_list(*_ENTITY, *own)[:chunk_rows])
        if not batch:
            return
        other_names, identifiers = _chunk_extras(after.values("pk")[:chunk_rows], last, batch[-1][0])
        chunk = []
        for row in batch:
            pk, slug, name, qid, created, updated = row[:6]
            found = [{"scheme": "factbase", "identifier": str(pk)}]
            if qid:
                found.append({"scheme": "wikidata", "identifier": qid})
            for scheme, value in identifiers.get(pk, ()):
                if scheme != "wikidata" or value != qid:
                    found.append({"scheme": scheme, "identifier": value})
            data = {
                "id": slug,
                "name": name,
                "other_names": other_names.get(pk, []),
                "identifiers": found,
                "created_at": _timestamp(created),
                "updated_at": _timestamp(updated),
            }
            if url_for is not None:
                data["links"] = [{"url": url_for(pk), "note": "Factbase API"}]
            chunk.append((data, row[6:]))
        yield chunk
        if len(batch) < chunk_rows:
            return
        last = batch[-1][0]


def persons(*, url_for: UrlFor = None, chunk_rows: int | None = None) -> Iterator[list[dict]]:
    """Every person as a Popolo Person, a list per chunk, in id order."""
    for chunk in _entity_chunks(Person, _PERSON_OWN, url_for, chunk_rows):
        out = []
        for data, (given_name, family_name, nationality, description) in chunk:
            if given_name:
                data["given_name"] = given_name
            if family_name:
                data["family_name"] = family_name
            if nationality is not None:
                data["national_identity"] = nationality
            if description:
                data["summary"] = description
            out.append(data)
        yield out


def organizations(*, url_for: UrlFor = None, chunk_rows: int | None = None) -> Iterator[list[dict]]:
    """Every organisation as a Popolo Organization, a list per chunk, in id order."""
    for chunk in _entity_chunks(Organisation, _ORGANISATION_OWN, url_for, chunk_rows):
        out = []
        for data, (org_type, parent) in chunk:
            data["classification"] = org_type
            if parent is not None:
                data["parent_id"] = parent
            out.append(data)
        yield out


def memberships(*, chunk_rows: int | None = None) -> Iterator[list[dict]]:
    """Every role as a Popolo Membership, a list per chunk, in (person, start, id) order with
    undated roles last (Role.Meta.ordering): one query per chunk, a keyset on that order."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    rows = Role.objects.in_person_order().values_list("person_id", "pk", *_ROLE_DATES, *_ROLE)
    position = None
    while True:
        batch = list((rows if position is None else rows.after_in_person_order(*position))[:chunk_rows])
        if not batch:
            return
        chunk = []
        for _, _, lower, upper, precision, uid, person, title, person_name, organisation, organisation_name in batch:
            if organisation is None:
                data = {"id": str(uid), "person_id": person, "role": title, "label": f"{person_name}: {title}"}
            else:
                label = f"{person_name}: {title}, {organisation_name}"
                data = {"id": str(uid), "person_id": person, "role": title, "label": label}
                data["organization_id"] = organisation
            if lower is not None and upper is not None:
                when = PartialDate(lower, upper, precision or "day").isoformat()
                if "/" in when:
                    data["start_date"], data["end_date"] = when.split("/")
            chunk.append(data)
        yield chunk
        if len(batch) < chunk_rows:
            return
        person_id, pk, lower = batch[-1][:3]
        position = (person_id, lower, pk)


def sections(*, url_for: UrlFor = None, chunk_rows: int | None = None) -> dict[str, Iterator[list[dict]]]:
    """The document's three lists in order, each as its chunks. Nothing is read until a list
    is iterated."""
    return {
        "persons": persons(url_for=url_for, chunk_rows=chunk_rows),
        "organizations": organizations(url_for=url_for, chunk_rows=chunk_rows),
        "memberships": memberships(chunk_rows=chunk_rows),
    }


def popolo_export(*, url_for: UrlFor = None, chunk_rows: int | None = None) -> dict:
    """Every person, organisation and role, as one Popolo JSON document in memory (the API
    streams `sections` instead). Seven queries while each list fits in one chunk."""
    return {
        name: [item for chunk in chunks for item in chunk]
        for name, chunks in sections(url_for=url_for, chunk_rows=chunk_rows).items()
    }
