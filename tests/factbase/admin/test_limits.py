"""The write-side limits of the data model (factbase/limits.py) in the admin: a row added
beyond its object's limit, inline or on its own screen, is refused with the service's
message on the form, and nothing of the save is stored. The limits are set to 2 here."""

import pytest
from django.urls import reverse

from factbase.models import Alias, EventParticipant, Identifier, Mention, Role, SourceSpan
from tests.factbase.admin.helpers import form_data
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.limits_world import FACTS, TEXT, small_limits  # noqa: F401 - small_limits applies to every test here

pytestmark = pytest.mark.django_db


def change(model: str, obj) -> str:
    return reverse(f"admin:factbase_{model}_change", args=[obj.pk])


def add(model: str) -> str:
    return reverse(f"admin:factbase_{model}_add")


def with_row(data: dict, prefix: str, **fields) -> dict:
    """The form data with one more inline row."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data = {**data, f"{prefix}-TOTAL_FORMS": str(index + 1)}
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def assert_refused(response, setting: str, name: str) -> None:
    assert response.status_code == 200, "the save went through"
    page = response.content.decode()
    assert setting in page and name in page


# ---------------------------------------------------------------- inline rows


def test_alias_inline_beyond_the_limit_is_refused(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory.create_batch(2, entity=person)
    data = form_data(curator_admin.get(change("person", person)))
    data.update({"aliases-2-name": "S. Lavrov", "aliases-2-language": "en", "aliases-2-kind": "common"})
    assert_refused(curator_admin.post(change("person", person), data), "FACTBASE_MAX_ALIASES_PER_ENTITY", "Lavrov")
    assert person.aliases.count() == 2


def test_alias_inline_replaced_on_a_full_entity_in_one_save(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory.create_batch(2, entity=person)
    data = {**form_data(curator_admin.get(change("person", person))), "aliases-0-DELETE": "on"}
    data.update({"aliases-2-name": "S. Lavrov", "aliases-2-language": "en", "aliases-2-kind": "common"})
    assert curator_admin.post(change("person", person), data).status_code == 302
    assert person.aliases.count() == 2 and person.aliases.filter(name="S. Lavrov").exists()


def test_identifier_inline_beyond_the_limit_is_refused(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    IdentifierFactory.create_batch(2, entity=person)
    data = with_row(form_data(curator_admin.get(change("person", person))), "identifiers", scheme="other", value="L")
    response = curator_admin.post(change("person", person), data)
    assert_refused(response, "FACTBASE_MAX_IDENTIFIERS_PER_ENTITY", "Sergei Lavrov")
    assert person.identifiers.count() == 2


def test_role_inline_beyond_the_limit_is_refused_on_the_person_and_on_the_organisation(curator_admin):
    person, ministry = PersonFactory(name="Sergei Lavrov"), OrganisationFactory(name="Ministry")
    RoleFactory.create_batch(2, person=person, organisation=ministry)
    data = with_row(form_data(curator_admin.get(change("person", person))), "roles", title="Minister")
    response = curator_admin.post(change("person", person), data)
    assert_refused(response, "FACTBASE_MAX_ROLES_PER_PERSON", "Sergei Lavrov")
    data = with_row(
        form_data(curator_admin.get(change("organisation", ministry))), "roles", person=person.pk, title="X"
    )
    response = curator_admin.post(change("organisation", ministry), data)
    assert_refused(response, "FACTBASE_MAX_ROLES_PER_PERSON", "Sergei Lavrov")
    assert person.roles.count() == 2


def test_two_roles_added_at_once_beyond_the_limit_are_refused(curator_admin):
    person = PersonFactory(name="Sergei Lavrov")
    RoleFactory(person=person)
    data = form_data(curator_admin.get(change("person", person)))
    data = with_row(with_row(data, "roles", title="Minister"), "roles", title="Envoy")
    assert_refused(curator_admin.post(change("person", person), data), "FACTBASE_MAX_ROLES_PER_PERSON", "Lavrov")
    assert person.roles.count() == 1


def test_participant_inline_beyond_the_limit_is_refused(curator_admin):
    event = EventFactory(name="ASEAN summit")
    EventParticipantFactory.create_batch(2, event=event)
    data = form_data(curator_admin.get(change("event", event)))
    data = with_row(data, "participants", entity=PersonFactory().pk, role="attendee")
    response = curator_admin.post(change("event", event), data)
    assert_refused(response, "FACTBASE_MAX_PARTICIPANTS_PER_EVENT", "ASEAN summit")
    assert event.participants.count() == 2


def test_mention_inline_beyond_the_limit_is_refused(curator_admin):
    document, lavrov = DocumentFactory(title="Lavrov's tour", text=TEXT), PersonFactory(name="Lavrov")
    for fact in FACTS[:2]:
        MentionFactory(document=document, entity=lavrov, quote=fact)
    start = TEXT.index(FACTS[2])
    data = form_data(curator_admin.get(change("document", document)))
    data = with_row(data, "mentions", entity=lavrov.pk, start=start, end=start + 6)
    response = curator_admin.post(change("document", document), data)
    assert_refused(response, "FACTBASE_MAX_MENTIONS_PER_DOCUMENT", "Lavrov&#x27;s tour")
    assert document.mentions.count() == 2


def test_span_inline_beyond_a_claim_limit_is_refused(curator_admin):
    document = DocumentFactory(text=TEXT)
    claim = ClaimFactory(spans=[])
    for fact in FACTS[:2]:
        SourceSpanFactory(claim=claim, document=document, quote=fact)
    start = TEXT.index(FACTS[2])
    data = form_data(curator_admin.get(change("claim", claim)))
    data = with_row(data, "spans", document=document.pk, start=start, end=start + len(FACTS[2]))
    response = curator_admin.post(change("claim", claim), data)
    assert_refused(response, "FACTBASE_MAX_SPANS_PER_CLAIM", f"Claim #{claim.pk}")
    assert claim.spans.count() == 2


# ---------------------------------------------------------------- rows on their own screens


def full_person():
    person = PersonFactory(name="Sergei Lavrov")
    AliasFactory.create_batch(2, entity=person)
    IdentifierFactory.create_batch(2, entity=person)
    RoleFactory.create_batch(2, person=person)
    return person


@pytest.mark.parametrize(
    ("model", "fields", "setting", "rows"),
    [
        ("alias", {"name": "S. Lavrov", "language": "en", "kind": "common"}, "ALIASES_PER_ENTITY", Alias),
        ("identifier", {"scheme": "other", "value": "L-1"}, "IDENTIFIERS_PER_ENTITY", Identifier),
        ("role", {"title": "Minister"}, "ROLES_PER_PERSON", Role),
    ],
)
def test_row_added_on_its_own_screen_to_a_full_person_is_refused(curator_admin, model, fields, setting, rows):
    person = full_person()
    owner = "person" if model == "role" else "entity"
    data = {**form_data(curator_admin.get(add(model))), **fields, owner: person.pk}
    before = rows.objects.count()
    assert_refused(curator_admin.post(add(model), data), f"FACTBASE_MAX_{setting}", "Sergei Lavrov")
    assert rows.objects.count() == before


def test_row_moved_on_its_own_screen_to_a_full_person_is_refused(curator_admin):
    person = full_person()
    role = RoleFactory(person=PersonFactory())
    data = {**form_data(curator_admin.get(change("role", role))), "person": person.pk}
    assert_refused(curator_admin.post(change("role", role), data), "FACTBASE_MAX_ROLES_PER_PERSON", "Sergei Lavrov")
    assert Role.objects.get(pk=role.pk).person_id != person.pk


def test_participant_added_on_its_own_screen_to_a_full_event_is_refused(curator_admin):
    event = EventFactory(name="ASEAN summit")
    EventParticipantFactory.create_batch(2, event=event)
    url = add("eventparticipant")
    data = {**form_data(curator_admin.get(url)), "event": event.pk, "entity": PersonFactory().pk, "role": "host"}
    assert_refused(curator_admin.post(url, data), "FACTBASE_MAX_PARTICIPANTS_PER_EVENT", "ASEAN summit")
    assert EventParticipant.objects.filter(event=event).count() == 2


def test_span_and_mention_added_on_their_own_screens_to_a_full_document_are_refused(curator_admin):
    document, lavrov = DocumentFactory(title="Lavrov's tour", text=TEXT), PersonFactory(name="Lavrov")
    for fact in FACTS[:2]:
        SourceSpanFactory(claim=ClaimFactory(spans=[]), document=document, quote=fact)
        MentionFactory(document=document, entity=lavrov, quote=fact)
    start = TEXT.index(FACTS[2])
    where = {"document": document.pk, "start": start, "end": start + 6}
    url = add("sourcespan")
    data = {**form_data(curator_admin.get(url)), **where, "claim": ClaimFactory(spans=[]).pk}
    assert_refused(curator_admin.post(url, data), "FACTBASE_MAX_SPANS_PER_DOCUMENT", "Lavrov&#x27;s tour")
    url = add("mention")
    data = {**form_data(curator_admin.get(url)), **where, "entity": lavrov.pk}
    assert_refused(curator_admin.post(url, data), "FACTBASE_MAX_MENTIONS_PER_DOCUMENT", "Lavrov&#x27;s tour")
    assert (
        SourceSpan.objects.filter(document=document).count(),
        Mention.objects.filter(document=document).count(),
    ) == (
        2,
        2,
    )
