"""The permission matrix, generated from factbase/permissions.py: every model × role × action,
through the admin (changelist, add, change, delete, history, each action, each custom
screen) and through the API (every method on every route).

The expectations are read from the declaration (`RULES`, and `rule()` for the objects whose
rules are another's, such as a country's identifiers); the requests go through the real
admin and API. A model, admin screen, admin action or API route that the declaration does
not cover fails `test_everything_is_declared` (or the matrix itself), so nothing new escapes
it. Writes run inside a rolled-back savepoint: every role meets the same data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.permissions import METHOD_ACTIONS, NO_MODEL_ROUTES
from api.routes import API_PREFIX, get_endpoints
from factbase.enums import IdentifierScheme
from factbase.models import Claim, Contradiction, Document, Entity, EntityMerge, Fact
from factbase.permissions import RULES, Role, rule
from factbase.services.entities import entity_merge
from tests.factbase.admin.helpers import form_data
from tests.factories import (
    AliasFactory,
    ClaimFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    IdentifierFactory,
    JobFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    PredicateFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = tuple(Role)
GROUP_OF = {Role.CURATOR: "curators", Role.REVIEWER: "reviewers", Role.ADMINISTRATOR: "administrators"}
WRITE_METHODS = ("post", "put", "patch", "delete")


@pytest.fixture
def world(db):
    country = CountryFactory(name="Tuvalu")
    person = PersonFactory(name="Sergei Lavrov", nationality=country)
    organisation = OrganisationFactory(name="Russian Foreign Ministry", country=country)
    event = EventFactory(name="Lavrov in Jakarta")
    document = DocumentFactory()
    claim = ClaimFactory(subject=person, object=country, spans__document=document)  # a draft: curators may change it
    account = UserFactory(username="someone")
    w = SimpleNamespace(
        country=country,
        person=person,
        organisation=organisation,
        event=event,
        entity=Entity.objects.get(pk=person.pk),  # a row of the all-kinds list
        alias=AliasFactory(entity=person, name="S. Lavrov"),
        identifier=IdentifierFactory(entity=person, scheme=IdentifierScheme.WIKIDATA, value="Q80510"),
        country_identifier=IdentifierFactory(entity=country, scheme=IdentifierScheme.ISO3166_NUMERIC, value="798"),
        role=RoleFactory(person=person, organisation=organisation, title="Foreign Minister"),
        eventparticipant=EventParticipantFactory(event=event, entity=person),
        predicate=PredicateFactory(),
        document=document,
        claim=claim,
        sourcespan=claim.spans.get(),
        mention=MentionFactory(document=document, entity=person),
        user=account,
        group=Group.objects.get(name="curators"),
        token=Token.objects.create(user=account),
    )
    w.tokenproxy = w.token
    w.job = JobFactory(owner=account, succeeded=True)
    w.fact, other = Fact.objects.create(), Fact.objects.create()
    w.contradiction = Contradiction.objects.create(fact=w.fact, other=other, kind="polarity")
    kept, duplicate = PersonFactory(name="Kept"), PersonFactory(name="Duplicate")
    duplicate_pk = duplicate.pk
    entity_merge(survivor=kept, loser=duplicate)
    w.entitymerge = EntityMerge.objects.get(merged_id=duplicate_pk)
    w.users = {
        role: UserFactory(username=f"{role}-matrix", is_staff=True, groups=[name]) for role, name in GROUP_OF.items()
    }
    return w


def allowed(role: Role, action: str, target) -> bool:
    return role in rule(target, action)[1]


# ---------------------------------------------------------------- everything is declared


def api_routes():
    """(name, template, view class, methods, initkwargs) of every API route, all methods."""
    for endpoint in get_endpoints():
        yield endpoint.name, endpoint.template, endpoint.view, endpoint.methods, endpoint.initkwargs


def declared_model_action(view, initkwargs, method: str) -> tuple[str, str]:
    """The view's wiring: the model it names and the action it asks for this method."""
    instance = view(**{key: value for key, value in initkwargs.items() if hasattr(view, key)})
    action = initkwargs.get("permission_action") or getattr(instance, "permission_action", None)
    return instance.permission_model, action or METHOD_ACTIONS[method.upper()]


def test_everything_is_declared():
    models = {
        m._meta.label_lower
        for m in apps.get_app_config("factbase").get_models()
        if not m.__name__.startswith("Historical")
    }
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert models | registered <= set(RULES), (models | registered) - set(RULES)

    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        for func, name, _ in model_admin._get_base_actions():
            for needed in getattr(func, "allowed_permissions", ()):
                assert needed in RULES[label], f"the admin action {name} on {label} needs an undeclared {needed!r}"
        for url in model_admin.get_urls():
            assert (
                url.name is None
                or url.name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_") in (ADMIN_SCREENS)
                or url.name in CUSTOM_SCREENS
            ), f"the admin screen {url.name} is not in the matrix"

    for name, template, view, methods, initkwargs in api_routes():
        if name in NO_MODEL_ROUTES:
            continue
        for method in methods:
            label, action = declared_model_action(view, initkwargs, method)
            assert label in RULES and action in RULES[label], f"{method.upper()} {template}: {label}.{action}"


# ---------------------------------------------------------------- the API: every method on every route


def api_path(template: str, w) -> str:
    objects = {
        "document": w.document,
        "claim": w.claim,
        "entit": w.person,
        "people": w.person,
        "organisation": w.organisation,
        "event": w.event,
        "countr": w.country,
        "fact": w.fact,
        "contradiction": w.contradiction,
        "job": w.job,
    }
    if "{slug}" in template:
        return template.format(slug=w.predicate.slug)
    if "{pk}" not in template:
        return template
    resource = template.removeprefix("/" + API_PREFIX).split("/")[0]
    obj = next(value for prefix, value in objects.items() if resource.startswith(prefix))
    return template.format(pk=obj.pk)


API_ROUTES = [(name, template) for name, template, *_ in api_routes() if name not in NO_MODEL_ROUTES]


@pytest.mark.parametrize(("name", "template"), API_ROUTES, ids=[name for name, _ in API_ROUTES])
def test_api_matrix(world, name, template):
    route = next(route for route in api_routes() if route[0] == name)
    _, _, view, methods, initkwargs = route
    path = api_path(template, world)
    answers, expected = {}, {}
    for method in ("get", *WRITE_METHODS):
        for role in ROLES:
            client = APIClient()
            if role is not Role.ANONYMOUS:
                client.force_authenticate(world.users[role])
            with transaction.atomic():
                response = getattr(client, method)(path, {}, format="json")
                transaction.set_rollback(True)
            key = (method, role.value)
            if method not in methods:
                answers[key], expected[key] = response.status_code, 405
                continue
            label, action = declared_model_action(view, initkwargs, method)
            if allowed(role, action, label):
                # Allowed: whatever the answer (200, 201, 400 for an empty body, 404 for what
                # this role may not see, 409), it is not a refusal and not a crash.
                answers[key] = response.status_code in (401, 403) or response.status_code >= 500
                expected[key] = False
            else:
                answers[key] = response.status_code
                expected[key] = 401 if role is Role.ANONYMOUS else 403
                if role is Role.ANONYMOUS:
                    assert response["WWW-Authenticate"] == "Token"
                assert response.json()["detail"].startswith(("Only ", "Authentication credentials"))
    assert answers == expected


# ---------------------------------------------------------------- the admin


ADMIN_SCREENS = ("changelist", "add", "change", "delete", "history", "autocomplete", "simple_history")
# Custom screens: URL name -> (the declared label and action they need, how to reach them).
CUSTOM_SCREENS = {
    "factbase_document_suggestions": ("factbase.mention", "suggest"),
    "factbase_document_revise": ("factbase.document", "revise"),
    "factbase_claim_transition": None,  # submit, publish, reject: see test_admin_review_screens
    "factbase_claim_review": None,  # the review queue: see test_admin_review_queue_screens
    "factbase_claim_review_step": None,
    "factbase_document_queue": None,  # take, release, submit, done, reopen: see test_admin_document_queue_steps
    "auth_user_password_change": ("auth.user", "change"),
}
# A free-text field of each model, changed to see whether a change form saves it.
EDITABLE_TEXT = {
    "factbase.country": "name",
    "factbase.person": "description",
    "factbase.organisation": "description",
    "factbase.event": "description",
    "factbase.entity": None,  # its change page redirects to the kind's
    "factbase.alias": "name",
    "factbase.identifier": "value",
    "factbase.role": "title",
    "factbase.eventparticipant": "note",
    "factbase.document": "title",
    "factbase.mention": None,  # offsets only
    "factbase.claim": "notes",
    "factbase.sourcespan": None,  # offsets only
    "factbase.predicate": "description",
    "auth.user": "first_name",
    "auth.group": "name",
    "authtoken.tokenproxy": None,  # no change form
    "factbase.entitymerge": None,  # read-only: made by merging, removed by undoing
    "factbase.fact": None,  # read-only: grouped by the services, joined and ranked by actions
    "factbase.contradiction": None,  # its note is saved by resolving it (tests/factbase/admin/test_facts.py)
    "factbase.job": None,  # read-only: written by the job runner
}
ADMIN_CASES = [(model._meta.label_lower, model._meta.model_name) for model in admin.site._registry] + [
    ("factbase.identifier", "country_identifier")  # an ISO 3166 code: the country's to change
]


def admin_client(world, role) -> Client:
    client = Client()
    if role is not Role.ANONYMOUS:
        client.force_login(world.users[role])
    return client


def admin_url(label: str, screen: str, *args) -> str:
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{screen}", args=args)


def offered_actions(changelist) -> set[str]:
    form = changelist.context["action_form"]
    return set(dict(form.fields["action"].choices)) - {""} if form is not None else set()


def why_not_saved(response):
    if response.status_code != 200 or response.context is None:
        return response.status_code
    errors = [response.context["adminform"].form.errors]
    errors += [formset.formset.errors for formset in response.context["inline_admin_formsets"]]
    errors += [str(message) for message in response.context["messages"]]
    return repr(errors)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("label", "attribute"), ADMIN_CASES, ids=[f"{label}-{attr}" for label, attr in ADMIN_CASES])
def test_admin_matrix(world, label, attribute):
    obj = getattr(world, attribute)
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    pk = obj.user_id if label == "authtoken.tokenproxy" else obj.pk  # DRF's token screens go by user id
    field = EDITABLE_TEXT[label]
    reference_data = (
        form_data(admin_client(world, Role.ADMINISTRATOR).get(admin_url(label, "change", pk))) if field else None
    )
    # The actions the screen has at all: what a superuser is offered.
    superuser = Client()
    superuser.force_login(UserFactory(username="superuser-matrix", is_staff=True, is_superuser=True))
    every_action = offered_actions(superuser.get(admin_url(label, "changelist")))
    answers, expected = {}, {}

    def check(key, answer, want):
        answers[key], expected[key] = answer, want

    for role in ROLES:
        client = admin_client(world, role)
        if role is Role.ANONYMOUS:
            for screen, args in (
                ("changelist", ()),
                ("add", ()),
                ("change", (pk,)),
                ("delete", (pk,)),
                ("history", (pk,)),
            ):
                check((role.value, screen), is_login_redirect(client.get(admin_url(label, screen, *args))), True)
            continue
        may = {action: allowed(role, action, obj) for action in ("view", "change", "delete")}
        may_add = allowed(role, "add", model)

        changelist = client.get(admin_url(label, "changelist"))
        check((role.value, "changelist"), changelist.status_code, 200 if allowed(role, "view", model) else 403)
        check((role.value, "add"), client.get(admin_url(label, "add")).status_code, 200 if may_add else 403)

        # Each action is offered exactly to the roles the declaration gives all it needs.
        if changelist.status_code == 200:
            offered = offered_actions(changelist)
            wanted = {
                name
                for func, name, _ in model_admin._get_base_actions()
                if name in every_action
                and all(allowed(role, needed, model) for needed in getattr(func, "allowed_permissions", ()))
            }
            check((role.value, "actions"), offered, wanted)

        change = client.get(admin_url(label, "change", pk))
        if label == "factbase.entity":  # the all-kinds list sends its rows to their kind's page
            check((role.value, "change"), change.status_code, 302 if may["view"] else 403)
        else:
            check((role.value, "change"), change.status_code, 200 if may["view"] else 403)
        if change.status_code == 200 and field:
            editable = field in change.context["adminform"].form.fields
            check((role.value, "change: own fields editable"), editable, may["change"])
        if field:
            original = getattr(obj, field)
            with transaction.atomic():
                edited = f"{original} edited".strip()
                response = client.post(admin_url(label, "change", pk), {**reference_data, field: edited})
                saved = getattr(type(obj)._default_manager.get(pk=obj.pk), field) == edited
                transaction.set_rollback(True)
            if may["change"] and not saved:
                saved = why_not_saved(response)  # shown in the assertion's difference
            check((role.value, "change: saved"), saved, may["change"])

        check(
            (role.value, "delete"),
            client.get(admin_url(label, "delete", pk)).status_code,
            200 if may["delete"] else 403,
        )
        if not may["delete"]:
            with transaction.atomic():
                status = client.post(admin_url(label, "delete", pk), {"post": "yes"}).status_code
                still_there = type(obj)._default_manager.filter(pk=obj.pk).exists()
                transaction.set_rollback(True)
            check((role.value, "delete: refused"), (status, still_there), (403, True))
        history = client.get(admin_url(label, "history", pk))
        check((role.value, "history"), history.status_code, 200 if may["view"] else 403)
        versions = type(obj).history.filter(id=obj.pk) if hasattr(type(obj), "history") else None
        if versions is not None and versions.exists():  # a past version (simple_history's screen)
            url = admin_url(label, "simple_history", pk, versions.latest("history_id").history_id)
            check((role.value, "version"), client.get(url).status_code, 200 if may["view"] else 403)
    assert answers == expected


@pytest.mark.parametrize(
    "screen", ["factbase_document_suggestions", "factbase_document_revise", "auth_user_password_change"]
)
def test_admin_custom_screens(world, screen):
    label, action = CUSTOM_SCREENS[screen]
    obj = world.user if label == "auth.user" else world.document
    answers, expected = {}, {}
    for role in ROLES:
        response = admin_client(world, role).get(reverse(f"admin:{screen}", args=[obj.pk]))
        answers[role.value] = is_login_redirect(response) if role is Role.ANONYMOUS else response.status_code
        expected[role.value] = True if role is Role.ANONYMOUS else (200 if allowed(role, action, label) else 403)
    assert answers == expected


@pytest.mark.parametrize(
    ("transition", "action"), [("submit", "submit"), ("publish", "publish"), ("reject", "publish")]
)
def test_admin_review_screens(world, transition, action):
    answers, expected = {}, {}
    for role in ROLES:
        with transaction.atomic():
            response = admin_client(world, role).post(
                reverse("admin:factbase_claim_transition", args=[world.claim.pk, transition])
            )
            status = Claim.objects.get(pk=world.claim.pk).status
            transaction.set_rollback(True)
        if role is Role.ANONYMOUS:
            answers[role.value], expected[role.value] = (is_login_redirect(response), status), (True, "draft")
        elif allowed(role, action, "factbase.claim"):
            answers[role.value], expected[role.value] = (response.status_code, status != "draft"), (302, True)
        else:
            answers[role.value], expected[role.value] = (response.status_code, status), (403, "draft")
    assert answers == expected


def test_admin_review_queue_screens(world):
    """The review queue and its decisions: reviewers only (the `publish` rule)."""
    claim = world.claim
    answers, expected = {}, {}
    for role in ROLES:
        client = admin_client(world, role)
        with transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(status="in_review")
            queue = client.get(reverse("admin:factbase_claim_review"))
            step = client.post(reverse("admin:factbase_claim_review_step", args=[claim.pk, "send-back"]), {"note": "x"})
            status = Claim.objects.get(pk=claim.pk).status
            transaction.set_rollback(True)
        if role is Role.ANONYMOUS:
            answers[role.value] = (is_login_redirect(queue), is_login_redirect(step), status)
            expected[role.value] = (True, True, "in_review")
        elif allowed(role, "publish", "factbase.claim"):
            answers[role.value] = (queue.status_code, step.status_code, status)
            expected[role.value] = (200, 302, "draft")
        else:
            answers[role.value] = (queue.status_code, step.status_code, status)
            expected[role.value] = (403, 403, "in_review")
    assert answers == expected


QUEUE_STEPS = [
    ("take", "take", "new", "in_curation"),
    ("submit", "submit", "in_curation", "ready_for_review"),
    ("done", "done", "ready_for_review", "done"),
    ("reopen", "done", "done", "in_curation"),
]


@pytest.mark.parametrize(("step", "action", "before", "after"), QUEUE_STEPS, ids=[s[0] for s in QUEUE_STEPS])
def test_admin_document_queue_steps(world, step, action, before, after):
    """Each step of the document queue, as each role: refused (403) unless the declaration
    allows it; allowed, it moves the document (the roles' own document, so `submit` is theirs)."""
    answers, expected = {}, {}
    for role in ROLES:
        user = world.users.get(role)
        with transaction.atomic():
            holder = None if step == "take" else user
            Document.objects.filter(pk=world.document.pk).update(curation_state=before, assignee=holder)
            Claim.objects.filter(pk=world.claim.pk).update(status="published")
            response = admin_client(world, role).post(
                reverse("admin:factbase_document_queue", args=[world.document.pk, step])
            )
            state = Document.objects.get(pk=world.document.pk).curation_state
            transaction.set_rollback(True)
        if role is Role.ANONYMOUS:
            answers[role.value], expected[role.value] = (is_login_redirect(response), state), (True, before)
        elif allowed(role, action, "factbase.document"):
            answers[role.value], expected[role.value] = (response.status_code, state), (302, after)
        else:
            answers[role.value], expected[role.value] = (response.status_code, state), (403, before)
    assert answers == expected
