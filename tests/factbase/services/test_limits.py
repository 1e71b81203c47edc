"""The write-side limits of the data model (factbase/limits.py), each refused by the service
that adds rows to the collection, and by the checked loader for loaded records: one row more
than the limit is an error that names the object, the limit and its setting, and nothing is
written. The limits are set to 2 here, so that a full object is two rows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from factbase.limits import (
    ALIASES_PER_ENTITY,
    IDENTIFIERS_PER_ENTITY,
    LIMITS,
    MENTIONS_PER_DOCUMENT,
    PARTICIPANTS_PER_EVENT,
    ROLES_PER_PERSON,
    SPANS_PER_CLAIM,
    SPANS_PER_DOCUMENT,
)
from factbase.models import Alias, Claim, Entity, EventParticipant, Identifier, Mention, Role, SourceSpan
from factbase.services.claims import claim_create, claim_update, span_add, span_update
from factbase.services.entities import (
    alias_add,
    alias_update,
    entity_merge,
    entity_update,
    identifier_add,
    identifier_update,
    participant_add,
    participant_update,
    role_add,
    role_update,
)
from factbase.services.mentions import mention_create, mention_update
from factbase.services.reanchor import anchor_resolve, document_revise
from factbase.services.suggestions import document_suggestions, suggestions_accept
from tests.factbase.services.test_fixtures import records, write
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.limits_world import FACTS, TEXT, small_limits  # noqa: F401 - small_limits applies to every test here

pytestmark = pytest.mark.django_db


def refused(exc_info, limit, name: str) -> str:
    message = " ".join(exc_info.value.messages)
    assert limit.setting in message and name in message and "at most 2" in message, message
    return message


# --- an entity's aliases and identifiers, a person's roles, an event's participants ------


def test_alias_beyond_the_limit_is_refused():
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory.create_batch(2, entity=person)
    with pytest.raises(ValidationError) as exc_info:
        alias_add(entity=person, name="S. Lavrov")
    refused(exc_info, ALIASES_PER_ENTITY, "Sergei Lavrov")
    assert person.aliases.count() == 2


def test_aliases_replaced_beyond_the_limit_are_refused_and_the_old_ones_stay():
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory(entity=person, name="Lavrov")
    with pytest.raises(ValidationError) as exc_info:
        entity_update(entity=person, aliases=["S. Lavrov", "Sergey Lavrov", "Lavrov S."])
    assert list(exc_info.value.message_dict) == ["aliases"]
    refused(exc_info, ALIASES_PER_ENTITY, "Sergei Lavrov")
    assert list(person.aliases.values_list("name", flat=True)) == ["Lavrov"]


def test_alias_moved_to_a_full_entity_is_refused():
    full, other = PersonFactory(name="Sergei Lavrov"), PersonFactory()
    AliasFactory.create_batch(2, entity=full)
    alias = AliasFactory(entity=other)
    with pytest.raises(ValidationError) as exc_info:
        alias_update(alias=alias, entity=full)
    refused(exc_info, ALIASES_PER_ENTITY, "Sergei Lavrov")
    assert Alias.objects.get(pk=alias.pk).entity_id == other.pk


def test_identifier_beyond_the_limit_is_refused_and_a_move_too():
    full, other = PersonFactory(name="Sergei Lavrov"), PersonFactory()
    IdentifierFactory.create_batch(2, entity=full)
    with pytest.raises(ValidationError) as exc_info:
        identifier_add(entity=full, scheme="other", value="X-1")
    refused(exc_info, IDENTIFIERS_PER_ENTITY, "Sergei Lavrov")
    moved = IdentifierFactory(entity=other)
    with pytest.raises(ValidationError):
        identifier_update(identifier=moved, entity=full)
    assert full.identifiers.count() == 2 and Identifier.objects.get(pk=moved.pk).entity_id == other.pk


def test_role_beyond_the_limit_is_refused_and_a_move_too():
    full, other = PersonFactory(name="Sergei Lavrov"), PersonFactory()
    ministry = OrganisationFactory()
    RoleFactory.create_batch(2, person=full, organisation=ministry)
    with pytest.raises(ValidationError) as exc_info:
        role_add(person=full, organisation=ministry, title="Minister")
    refused(exc_info, ROLES_PER_PERSON, "Sergei Lavrov")
    moved = RoleFactory(person=other)
    with pytest.raises(ValidationError):
        role_update(role=moved, person=full)
    assert full.roles.count() == 2 and Role.objects.get(pk=moved.pk).person_id == other.pk


def test_participant_beyond_the_limit_is_refused_and_a_move_too():
    full, other = EventFactory(name="ASEAN summit"), EventFactory()
    EventParticipantFactory.create_batch(2, event=full)
    with pytest.raises(ValidationError) as exc_info:
        participant_add(event=full, entity=PersonFactory())
    refused(exc_info, PARTICIPANTS_PER_EVENT, "ASEAN summit")
    moved = EventParticipantFactory(event=other)
    with pytest.raises(ValidationError):
        participant_update(participant=moved, event=full)
    assert full.participants.count() == 2 and EventParticipant.objects.get(pk=moved.pk).event_id == other.pk


def test_participants_replaced_beyond_the_limit_are_refused_and_the_old_ones_stay():
    event = EventFactory(name="ASEAN summit")
    kept = EventParticipantFactory(event=event)
    people = PersonFactory.create_batch(3)
    with pytest.raises(ValidationError) as exc_info:
        entity_update(entity=event, participants=[{"entity": person} for person in people])
    assert list(exc_info.value.message_dict) == ["participants"]
    refused(exc_info, PARTICIPANTS_PER_EVENT, "ASEAN summit")
    assert list(event.participants.values_list("pk", flat=True)) == [kept.pk]


ADD_ONE = {
    ALIASES_PER_ENTITY: lambda owner: AliasFactory(entity=owner),
    IDENTIFIERS_PER_ENTITY: lambda owner: IdentifierFactory(entity=owner),
    ROLES_PER_PERSON: lambda owner: RoleFactory(person=owner),
}


@pytest.mark.parametrize("limit", list(ADD_ONE), ids=str)
def test_merge_beyond_a_limit_is_refused_and_moves_nothing(limit):
    survivor, loser = PersonFactory(name="Sergei Lavrov"), PersonFactory(name="Sergey Lavrov")
    for owner in (survivor, loser, loser):
        ADD_ONE[limit](owner)
    with pytest.raises(ValidationError) as exc_info:
        entity_merge(survivor=survivor, loser=loser)
    refused(exc_info, limit, "Sergei Lavrov")
    assert Entity.objects.filter(pk=loser.pk).exists()
    assert (limit.count(survivor), limit.count(loser)) == (1, 2)


# --- a document's spans and mentions, a claim's spans -----------------------------------


@pytest.fixture
def world():
    document = DocumentFactory(title="Lavrov's tour", text=TEXT)
    lavrov = PersonFactory(name="Lavrov")
    return document, lavrov, {"predicate": PredicateFactory(), "object": CountryFactory()}


def span(document, i):
    return {"document": document, "exact": FACTS[i]}


def test_spans_beyond_a_document_limit_are_refused_and_no_claim_is_written(world):
    document, lavrov, claim = world
    for i in range(2):
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=FACTS[i])
    claims = Claim.objects.count()
    with pytest.raises(ValidationError) as exc_info:
        claim_create(subject=lavrov, **claim, spans=[span(document, 2)])
    assert list(exc_info.value.message_dict) == ["spans"]
    refused(exc_info, SPANS_PER_DOCUMENT, "Lavrov's tour")
    assert (Claim.objects.count(), document.spans.count()) == (claims, 2)


def test_span_moved_to_a_full_document_is_refused(world):
    document, lavrov, claim = world
    for i in range(2):
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=FACTS[i])
    elsewhere = DocumentFactory(text=TEXT + " Elsewhere.")
    moved = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=elsewhere, quote=FACTS[2])
    with pytest.raises(ValidationError) as exc_info:
        span_update(span=moved, document=document)
    refused(exc_info, SPANS_PER_DOCUMENT, "Lavrov's tour")
    assert SourceSpan.objects.get(pk=moved.pk).document_id == elsewhere.pk


def test_spans_beyond_a_claim_limit_are_refused_on_add_and_on_replace(world):
    document, lavrov, claim = world
    fields = claim
    claim = claim_create(subject=lavrov, **fields, spans=[span(document, 0), span(document, 1)])
    with pytest.raises(ValidationError) as exc_info:
        span_add(claim=claim, specs=[span(document, 2)])
    refused(exc_info, SPANS_PER_CLAIM, f"Claim #{claim.pk}")
    with pytest.raises(ValidationError):
        claim_update(claim=claim, spans=[span(document, i) for i in range(3)])
    assert sorted(claim.spans.values_list("exact", flat=True)) == sorted(FACTS[:2])
    claims = Claim.objects.count()
    with pytest.raises(ValidationError):
        claim_create(subject=lavrov, **fields, spans=[span(document, i) for i in range(3)])
    assert Claim.objects.count() == claims


def test_mention_beyond_the_limit_is_refused_and_a_move_too(world):
    document, lavrov, claim = world
    for i in range(2):
        MentionFactory(document=document, entity=lavrov, quote=FACTS[i])
    with pytest.raises(ValidationError) as exc_info:
        mention_create(document=document, entity=lavrov, exact=FACTS[2])
    refused(exc_info, MENTIONS_PER_DOCUMENT, "Lavrov's tour")
    elsewhere = DocumentFactory(text=TEXT + " Elsewhere.")
    moved = MentionFactory(document=elsewhere, entity=lavrov, quote=FACTS[2])
    with pytest.raises(ValidationError):
        mention_update(mention=moved, document=document)
    assert document.mentions.count() == 2 and Mention.objects.get(pk=moved.pk).document_id == elsewhere.pk


def test_flagged_span_resolved_onto_a_full_revision_is_refused(world):
    document, lavrov, claim = world
    flagged = SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=FACTS[3])
    report = document_revise(document=document, text=TEXT.replace(FACTS[3], "Lavrov went home."))
    SourceSpanFactory(claim=ClaimFactory(spans=[]), document=report.document, quote=FACTS[0])
    SourceSpanFactory(claim=ClaimFactory(spans=[]), document=report.document, quote=FACTS[1])
    flagged.refresh_from_db()
    assert flagged.anchor_status == "needs_review"
    with pytest.raises(ValidationError) as exc_info:
        anchor_resolve(anchor=flagged, exact="Lavrov went home.")
    refused(exc_info, SPANS_PER_DOCUMENT, "Lavrov's tour")
    assert SourceSpan.objects.get(pk=flagged.pk).document_id == document.pk


def test_suggestions_accepted_beyond_the_limit_record_none(world):
    document, lavrov, claim = world
    last = TEXT.rindex("Lavrov")
    mention_create(document=document, entity=lavrov, start=last, end=last + len("Lavrov"))
    keys = [(s.entity_id, s.start, s.end) for s in document_suggestions(document=document)]
    assert len(keys) == 3  # "Lavrov" three more times
    with pytest.raises(ValidationError) as exc_info:
        suggestions_accept(document=document, keys=keys)
    refused(exc_info, MENTIONS_PER_DOCUMENT, "Lavrov's tour")
    assert document.mentions.count() == 1


# --- the checked loader -------------------------------------------------------------------

UID = "5b0f0d0e-0000-4000-8000-000000000001"


def _loaded_beyond(limit) -> list[dict]:
    """Records that put three rows in one object's collection."""
    sha = records()[5]["fields"]["sha256"]
    lavrov = ["sergei-lavrov"]
    three = range(3)
    if limit is ALIASES_PER_ENTITY:
        return [{"model": "factbase.alias", "fields": {"entity": lavrov, "name": f"Lavrov {i}"}} for i in three]
    if limit is IDENTIFIERS_PER_ENTITY:
        return [
            {"model": "factbase.identifier", "fields": {"entity": lavrov, "scheme": "other", "value": f"L{i}"}}
            for i in three
        ]
    if limit is ROLES_PER_PERSON:
        return [
            {"model": "factbase.role", "fields": {"uid": f"{UID[:-1]}{i + 2}", "person": lavrov, "title": f"Post {i}"}}
            for i in three
        ]
    if limit is PARTICIPANTS_PER_EVENT:
        return [
            {"model": "factbase.entity", "fields": {"kind": "event", "slug": "summit", "name": "Summit"}},
            {"model": "factbase.event", "fields": {"entity_ptr": ["summit"]}},
        ] + [
            {"model": "factbase.eventparticipant", "fields": {"event": ["summit"], "entity": lavrov, "role": role}}
            for role in ("host", "visitor", "attendee")
        ]
    if limit is MENTIONS_PER_DOCUMENT:
        return [
            {
                "model": "factbase.mention",
                "fields": {"document": [sha], "entity": lavrov, "start": 0, "end": end, "exact": "Lavrov"[:end]},
            }
            for end in (4, 5, 6)
        ]
    # A claim's spans, and so its document's: three on the one claim.
    return [
        {
            "model": "factbase.sourcespan",
            "fields": {"claim": [UID], "document": [sha], "start": 0, "end": end, "exact": "Lavrov"[:end]},
        }
        for end in (4, 5)
    ]


@pytest.mark.parametrize("limit", LIMITS, ids=str)
def test_loader_refuses_records_beyond_a_limit_and_names_the_record(limit, settings, tmp_path):
    for other in LIMITS:
        setattr(settings, other.setting, 100)
    setattr(settings, limit.setting, 2)
    path = write(tmp_path, records() + _loaded_beyond(limit))
    with pytest.raises(CommandError) as exc_info:
        call_command("load_checked", str(path))
    message = str(exc_info.value)
    assert "record " in message and f"{limit.owner} holds at most 2 ({limit.setting})" in message, message
    assert Entity.objects.count() == 0


def test_loader_takes_records_at_the_limit(settings, tmp_path):
    settings.FACTBASE_MAX_ALIASES_PER_ENTITY = 3
    call_command("load_checked", str(write(tmp_path, records() + _loaded_beyond(ALIASES_PER_ENTITY))))
    assert Alias.objects.count() == 3


def test_every_limit_is_tested_here():
    assert {str(limit) for limit in LIMITS} == {
        "aliases per entity",
        "identifiers per entity",
        "roles per person",
        "participants per event",
        "spans per document",
        "mentions per document",
        "spans per claim",
    }
