"""Every change form, add form and history page runs a constant number of queries and
shows a bounded number of rows, whatever the object holds: the same literal count for an
object with 3 rows in each of its inlines and one with 30. An inline over a relation that
grows (an entity's participations in events, an organisation's roles) shows its first rows
and links to the filtered list of all of them, with their count (BoundedInline)."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factbase.admin.entities import EntityAdminBase, ParticipationInline
from factbase.models import EventParticipant, Person
from factbase.services.suggestions import matcher_invalidate
from tests.factbase.admin.helpers import form_data
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    SourceSpanFactory,
)
from tests.factories.entities import IdentifierFactory

pytestmark = pytest.mark.django_db

SHOWN = 10  # BoundedInline.shown


def _entity_rows(entity, n):
    """n aliases, identifiers and participations in events, and a claim about it."""
    AliasFactory.create_batch(n, entity=entity)
    IdentifierFactory.create_batch(n, entity=entity)
    EventParticipantFactory.create_batch(n, entity=entity)
    ClaimFactory(object=entity) if entity.kind == "country" else ClaimFactory(subject=entity)
    return entity


def _person(n):
    person = PersonFactory(nationality=CountryFactory())
    RoleFactory.create_batch(n, person=person)  # each at its own organisation
    return _entity_rows(person, n)


def _country(n):
    return _entity_rows(CountryFactory(), n)


def _organisation(n):
    organisation = OrganisationFactory(country=CountryFactory(), parent=OrganisationFactory(name="Parent body"))
    RoleFactory.create_batch(n, organisation=organisation)  # each held by its own person
    return _entity_rows(organisation, n)


def _event(n):
    event = EventFactory(location_country=CountryFactory(), parent=EventFactory(name="Trip"))
    EventParticipantFactory.create_batch(n, event=event)  # each its own person
    AliasFactory.create_batch(n, entity=event)
    IdentifierFactory.create_batch(n, entity=event)
    return event


def _document(n):
    document = DocumentFactory()
    for _ in range(n):
        SourceSpanFactory(document=document, claim=ClaimFactory(spans=[]))
        MentionFactory(document=document)
    return document


def _claim(n):
    claim = ClaimFactory(attributed_to=PersonFactory(), event=EventFactory(), spans=[])
    SourceSpanFactory.create_batch(n, claim=claim)  # each in its own document
    return claim


# (model name, maker of an object with n rows in each inline, queries for its change form)
CHANGE_FORMS = [
    ("person", _person, 17),
    ("country", _country, 14),
    ("organisation", _organisation, 18),
    ("event", _event, 16),
    # The document's: 15, and its queue panel's pending suggestions (6: the matcher built
    # afresh, the mentions and rejections it skips, and the rejections counted).
    ("document", _document, 21),
    ("claim", _claim, 17),
]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(("model_name", "make", "queries"), CHANGE_FORMS, ids=[c[0] for c in CHANGE_FORMS])
def test_change_form_queries_and_rows_bounded_whatever_the_object_holds(
    curator_admin, django_assert_num_queries, model_name, make, queries, rows
):
    obj = make(rows)
    matcher_invalidate()  # the suggestions' matcher is built once per process: built here, every time

    with django_assert_num_queries(queries):
        response = curator_admin.get(reverse(f"admin:factbase_{model_name}_change", args=[obj.pk]))
        response.render()

    assert response.status_code == 200
    shown = {
        inline.formset.prefix: inline.formset.initial_form_count()
        for inline in response.context["inline_admin_formsets"]
    }
    assert shown and set(shown.values()) == {min(rows, SHOWN)}, shown


def _alias():
    return AliasFactory(entity=PersonFactory())


def _role():
    return RoleFactory()


# (model name, maker of one object, queries for its change form) for the screens without inlines
PLAIN_CHANGE_FORMS = [
    ("alias", _alias, 7),
    ("identifier", IdentifierFactory, 8),
    ("role", _role, 10),
    ("eventparticipant", EventParticipantFactory, 10),
    ("mention", MentionFactory, 9),
    ("sourcespan", lambda: SourceSpanFactory(claim=ClaimFactory(spans=[])), 11),
    ("predicate", PredicateFactory, 6),
]


@pytest.mark.parametrize(("model_name", "make", "queries"), PLAIN_CHANGE_FORMS, ids=[c[0] for c in PLAIN_CHANGE_FORMS])
def test_plain_change_form_queries(curator_admin, django_assert_num_queries, model_name, make, queries):
    obj = make()

    with django_assert_num_queries(queries):
        response = curator_admin.get(reverse(f"admin:factbase_{model_name}_change", args=[obj.pk]))
        response.render()

    assert response.status_code == 200


ADD_FORMS = ["person", "organisation", "event", "document", "claim", "alias", "identifier", "role"]
ADD_FORMS += ["eventparticipant", "mention", "sourcespan"]


@pytest.mark.parametrize("model_name", ADD_FORMS)
def test_add_form_queries(curator_admin, django_assert_num_queries, model_name):
    with django_assert_num_queries(4):
        response = curator_admin.get(reverse(f"admin:factbase_{model_name}_add"))
        response.render()

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", ["country", "predicate"])  # reference data: administrators add it
def test_reference_data_add_form_queries(administrator, django_assert_num_queries, model_name):
    client = Client()
    client.force_login(administrator)

    with django_assert_num_queries(4):
        response = client.get(reverse(f"admin:factbase_{model_name}_add"))
        response.render()

    assert response.status_code == 200


# (model name, maker, queries): entities read their aliases too (EntityAdminBase.get_queryset)
HISTORY_PAGES = [("person", _person, 9), ("country", _country, 9), ("organisation", _organisation, 9)]
HISTORY_PAGES += [("event", _event, 9), ("document", _document, 8), ("claim", _claim, 9)]


@pytest.mark.parametrize("saves", [1, 3])
@pytest.mark.parametrize(("model_name", "make", "queries"), HISTORY_PAGES, ids=[c[0] for c in HISTORY_PAGES])
def test_history_page_queries_constant_whatever_the_history_holds(
    curator_admin, django_assert_num_queries, model_name, make, queries, saves
):
    obj = make(saves)
    for _ in range(saves):
        obj.save()  # one more history record each
    ContentType.objects.clear_cache()  # the page reads the user model's: as on a fresh process

    with django_assert_num_queries(queries):
        response = curator_admin.get(reverse(f"admin:factbase_{model_name}_history", args=[obj.pk]))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == saves + 1


# ---------------------------------------------------------------- the rest of a bounded inline


def change_page(client, obj):
    return client.get(reverse(f"admin:factbase_{obj.kind}_change", args=[obj.pk]))


def test_busy_entity_shows_its_latest_participations_and_links_to_all_of_them(curator_admin):
    country = CountryFactory(name="Russia")
    participations = EventParticipantFactory.create_batch(30, entity=country)
    EventParticipantFactory.create_batch(2, entity=CountryFactory())  # another country's

    page = change_page(curator_admin, country)

    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "participations")
    assert [form.instance.pk for form in formset.initial_forms] == [p.pk for p in reversed(participations)][:SHOWN]
    html = page.content.decode()
    link = re.search(r'<a href="([^"]+)">All 30 participations →</a>', html)
    assert link, "no link to the rest"
    assert "the first 10 of 30 are shown below" in html
    listed = curator_admin.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 30
    assert set(listed.context["cl"].queryset.values_list("pk", flat=True)) == {p.pk for p in participations}


def test_entity_with_few_participations_has_no_link_to_the_rest(curator_admin):
    country = CountryFactory()
    EventParticipantFactory.create_batch(SHOWN, entity=country)

    html = change_page(curator_admin, country).content.decode()

    assert 'id="participations-rest"' not in html
    assert html.count('name="participations-') > 0 and 'id="participations-9"' in html


def test_counts_beyond_the_cap_say_more_than(curator_admin, monkeypatch):
    monkeypatch.setattr(ParticipationInline, "count_cap", 25)
    monkeypatch.setattr(EntityAdminBase, "count_cap", 2)
    country = CountryFactory()
    EventParticipantFactory.create_batch(30, entity=country)
    ClaimFactory.create_batch(3, object=country)

    with CaptureQueriesContext(connection) as queries:
        html = change_page(curator_admin, country).content.decode()

    assert "the first 10 of more than 25 are shown below" in html
    assert "All participations (more than 25) →" in html
    assert "more than 2 claims" in html
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 4 and all(" LIMIT " in sql for sql in counts), counts  # none reads every row


def test_claims_about_an_entity_counted_with_a_link_to_them(curator_admin):
    person = PersonFactory()
    ClaimFactory.create_batch(2, subject=person)
    ClaimFactory(attributed_to=person)
    ClaimFactory()

    html = change_page(curator_admin, person).content.decode()

    url = reverse("admin:factbase_claim_changelist")
    assert f'<a href="{url}?entity={person.pk}">3 claims</a>' in html


def test_a_bounded_inline_saves_its_rows_through_the_services(curator_admin):
    country = CountryFactory()
    participations = EventParticipantFactory.create_batch(30, entity=country)
    data = form_data(change_page(curator_admin, country))
    edited = participations[-1]  # the latest, first on the page
    assert data["participations-0-id"] == edited.pk
    data["participations-0-note"] = "Led the delegation."
    data["participations-1-DELETE"] = "on"
    new_event = EventFactory()
    data.update(
        {
            "participations-TOTAL_FORMS": str(SHOWN + 1),
            f"participations-{SHOWN}-event": new_event.pk,
            f"participations-{SHOWN}-role": "host",
        }
    )

    response = curator_admin.post(reverse("admin:factbase_country_change", args=[country.pk]), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    edited.refresh_from_db()
    assert edited.note == "Led the delegation."
    assert not EventParticipant.objects.filter(pk=participations[-2].pk).exists()
    assert EventParticipant.objects.filter(entity=country, event=new_event, role="host").exists()
    assert EventParticipant.objects.filter(entity=country).count() == 30  # 30 - 1 + 1
    assert edited.history.first().history_user.username == "curator-1"  # through the service


def test_a_row_added_meanwhile_does_not_push_an_edited_row_out_of_the_save(curator_admin):
    country = CountryFactory()
    participations = EventParticipantFactory.create_batch(SHOWN, entity=country)
    data = form_data(change_page(curator_admin, country))
    last = participations[0]  # the oldest, last on the page
    assert data[f"participations-{SHOWN - 1}-id"] == last.pk
    data[f"participations-{SHOWN - 1}-note"] = "Observer only."
    EventParticipantFactory(entity=country)  # someone else adds one: now first in the list

    response = curator_admin.post(reverse("admin:factbase_country_change", args=[country.pk]), data)

    assert response.status_code == 302
    last.refresh_from_db()
    assert last.note == "Observer only."


def test_a_posted_row_of_another_object_is_not_changed(curator_admin):
    country, other = CountryFactory(), CountryFactory()
    EventParticipantFactory.create_batch(2, entity=country)
    foreign = EventParticipantFactory(entity=other, note="")
    data = form_data(change_page(curator_admin, country))
    data["participations-0-id"] = foreign.pk
    data["participations-0-note"] = "Tampered."

    curator_admin.post(reverse("admin:factbase_country_change", args=[country.pk]), data)

    foreign.refresh_from_db()
    assert foreign.note == "" and foreign.entity_id == other.pk


def test_organisation_lists_its_latest_roles_and_links_to_all(curator_admin):
    organisation = OrganisationFactory()
    roles = RoleFactory.create_batch(25, organisation=organisation)

    page = change_page(curator_admin, organisation)

    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "roles")
    assert [form.instance.pk for form in formset.initial_forms] == [r.pk for r in reversed(roles)][:SHOWN]
    link = re.search(r'<a href="([^"]+)">All 25 roles →</a>', page.content.decode())
    assert link
    assert curator_admin.get(link.group(1).replace("&amp;", "&")).context["cl"].result_count == 25


def test_autocomplete_pickers_of_inline_rows_show_the_chosen_names(curator_admin):
    organisation = OrganisationFactory()
    people = [PersonFactory(name=f"Minister {n}") for n in range(3)]
    for person in people:
        RoleFactory(organisation=organisation, person=person)

    html = change_page(curator_admin, organisation).content.decode()

    for index, person in enumerate(reversed(people)):
        select = re.search(rf'<select name="roles-{index}-person".*?</select>', html, re.S).group(0)
        assert f'<option value="{person.pk}" selected>{person.name}</option>' in select


# ---------------------------------------------------------------- merge confirmation


def test_merge_confirmation_counts_stop_at_the_cap(reviewer_admin, monkeypatch):
    monkeypatch.setattr(EntityAdminBase, "count_cap", 2)
    busy, quiet = PersonFactory(name="Busy"), PersonFactory(name="Quiet")
    ClaimFactory.create_batch(3, subject=busy)
    ClaimFactory(subject=quiet)

    page = reviewer_admin.post(
        reverse("admin:factbase_person_changelist"),
        {"action": "merge_entities", "_selected_action": [busy.pk, quiet.pk]},
    )

    assert [(row["entity"], row["claims_shown"]) for row in page.context["rows"]] == [
        (busy, "more than 2"),
        (quiet, "1"),
    ]
    assert "<td>more than 2</td>" in page.content.decode()
    assert page.context["default_survivor"] == busy.pk


def _spans_of_a_claim(n):
    return _claim(n), "spans", "claim", "source spans"


def _mentions_of_a_document(n):
    document = DocumentFactory()
    for _ in range(n):
        MentionFactory(document=document)
    return document, "mentions", "document", "mentions"


def _participants_of_an_event(n):
    event = EventFactory()
    EventParticipantFactory.create_batch(n, event=event)
    return event, "participants", "event", "participants"


def _roles_of_a_person(n):
    person = PersonFactory()
    RoleFactory.create_batch(n, person=person)
    return person, "roles", "person", "roles"


def _aliases_of_an_entity(n):
    person = PersonFactory()
    AliasFactory.create_batch(n, entity=person)
    return person, "aliases", "person", "aliases"


def _identifiers_of_an_entity(n):
    person = PersonFactory()
    IdentifierFactory.create_batch(n, entity=person)
    return person, "identifiers", "person", "identifiers"


RESTS = [
    _spans_of_a_claim,
    _mentions_of_a_document,
    _participants_of_an_event,
    _roles_of_a_person,
    _aliases_of_an_entity,
    _identifiers_of_an_entity,
]


@pytest.mark.parametrize("make", RESTS, ids=[make.__name__.strip("_") for make in RESTS])
def test_every_inline_links_to_all_its_rows_in_their_list(curator_admin, make):
    obj, prefix, model_name, rows_name = make(SHOWN + 2)
    make(2)  # another object's rows are not listed

    html = curator_admin.get(reverse(f"admin:factbase_{model_name}_change", args=[obj.pk])).content.decode()

    link = re.search(rf'id="{prefix}-rest">.*?<a href="([^"]+)">All 12 {rows_name} →</a>', html, re.S)
    assert link, f"no link to all the {rows_name}"
    listed = curator_admin.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == SHOWN + 2


QUERIES_DELETE_PAGE = 11  # one capped count per kind of protecting row, whatever their number


@pytest.mark.parametrize("claims", [21, 40])
def test_a_delete_page_counts_what_protects_a_busy_record(curator_admin, django_assert_num_queries, claims):
    # Past 20 protecting rows the page says how many of each kind instead of collecting and
    # linking every one (the busiest person at a million claims: 4.5 s).
    person = PersonFactory(name="Sergei Lavrov")
    for _ in range(claims):
        ClaimFactory(subject=person, spans=[])
    url = reverse("admin:factbase_person_delete", args=[person.pk])

    with django_assert_num_queries(QUERIES_DELETE_PAGE):
        page = curator_admin.get(url)
        page.render()

    assert page.context["protected"] == [f"{claims} claims (as subject)"]
    assert curator_admin.post(url, {"post": "yes"}).status_code == 200
    assert Person.objects.filter(pk=person.pk).exists()
