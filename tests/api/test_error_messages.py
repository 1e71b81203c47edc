"""No error message can break formatting. Braces and percent signs sent in any field of any
write endpoint (and in any filter) get a 4xx with a JSON error, never a 500; a message that
quotes them quotes them as sent; and every message template a field formats is a template
(api/exceptions.py, `invalid`)."""

from __future__ import annotations

import copy
import string
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from api.serializers import curation as curation_serializers
from api.serializers.claims import RejectSerializer
from api.serializers.entities import AliasInputSerializer
from api.views.claims import ClaimViewSet
from api.views.documents import DocumentViewSet
from api.views.entities import CountryViewSet, EntityViewSet, EventViewSet, OrganisationViewSet, PersonViewSet
from factbase.services.suggestions import document_suggestions
from tests.api.conftest import TEXT

# Every kind of formatting directive: str.format fields (positional, named, not a name, a
# lone brace) and %-formatting (positional, named, a lone sign).
HOSTILE = "{0} {name, kind} {} %s %(x)s 100%"
# Each as the field's value, and as the items of a list (for list fields: each kind of item).
HOSTILE_VALUES = [HOSTILE, "{", "}", "%", {HOSTILE: HOSTILE}, [HOSTILE], [{HOSTILE: HOSTILE}], [[HOSTILE]], [0]]


@pytest.fixture
def world(module_world, curator):
    return module_world


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable
    body: Callable  # world -> a body the endpoint accepts (checked below)
    serializer: type
    client: str = "curator_client"
    nested: str | None = None  # the list field whose first item the fields belong to

    def __str__(self):
        return self.name


def entity_url(basename, attribute=None):
    def url(w):
        if attribute is None:
            return reverse(f"{basename}-list")
        return reverse(f"{basename}-detail", args=[getattr(w, attribute).pk])

    return url


def claim_body(w):
    return {
        "subject": w.lavrov.pk,
        "predicate": "visited",
        "object": w.russia.pk,
        "spans": [{"document": w.document.pk, "exact": "Laos"}],
    }


def suggestion_keys(w):
    return {"keys": [document_suggestions(document=w.document)[0].key]}


def person(w):
    return {"name": "X Y", "aliases": [{"name": "Ex Why"}]}


def organisation(w):
    return {"name": "X Y", "aliases": ["Ex Why"], "country": w.russia.pk}


def event(w):
    return {"name": "X Y", "aliases": ["Ex Why"], "participants": [{"entity": w.lavrov.pk}]}


def document(w):
    return {"title": "A title", "text": "Some text."}


ENDPOINTS = [
    Endpoint("people create", "post", entity_url("person"), person, PersonViewSet.write_serializer_class),
    Endpoint("people update", "put", entity_url("person", "streltsov"), person, PersonViewSet.write_serializer_class),
    Endpoint("people aliases", "post", entity_url("person"), person, AliasInputSerializer, nested="aliases"),
    Endpoint(
        "organisations create",
        "post",
        entity_url("organisation"),
        organisation,
        OrganisationViewSet.write_serializer_class,
    ),
    Endpoint(
        "organisations update",
        "patch",
        entity_url("organisation", "asean"),
        organisation,
        OrganisationViewSet.write_serializer_class,
    ),
    Endpoint("events create", "post", entity_url("event"), event, EventViewSet.write_serializer_class),
    Endpoint("events update", "patch", entity_url("event", "brunei"), event, EventViewSet.write_serializer_class),
    Endpoint(
        "events participants",
        "post",
        entity_url("event"),
        event,
        EventViewSet.write_serializer_class._declared_fields["participants"].child.__class__,
        nested="participants",
    ),
    Endpoint("claims create", "post", entity_url("claim"), claim_body, ClaimViewSet.write_serializer_class),
    Endpoint("claims update", "patch", entity_url("claim", "draft"), claim_body, ClaimViewSet.write_serializer_class),
    Endpoint(
        "claims spans",
        "post",
        entity_url("claim"),
        claim_body,
        ClaimViewSet.write_serializer_class._declared_fields["spans"].child.__class__,
        nested="spans",
    ),
    Endpoint(
        "claims reject",
        "post",
        lambda w: reverse("claim-reject", args=[w.draft.pk]),
        lambda w: {"reason": "Not in the source."},
        RejectSerializer,
        client="reviewer_client",
    ),
    Endpoint("documents create", "post", entity_url("document"), document, DocumentViewSet.write_serializer_class),
    Endpoint(
        "documents update",
        "patch",
        entity_url("document", "other_document"),
        document,
        DocumentViewSet.write_serializer_class,
    ),
    Endpoint(
        "documents revise",
        "post",
        lambda w: reverse("document-revise", args=[w.document.pk]),
        lambda w: {"text": TEXT + " A sentence more."},
        curation_serializers.DocumentReviseSerializer,
    ),
    Endpoint(
        "suggestions accept",
        "post",
        lambda w: reverse("document-suggestions-accept", args=[w.document.pk]),
        suggestion_keys,
        curation_serializers.SuggestionAcceptSerializer,
    ),
    Endpoint(
        "suggestions reject",
        "post",
        lambda w: reverse("document-suggestions-reject", args=[w.document.pk]),
        suggestion_keys,
        curation_serializers.SuggestionAcceptSerializer,
    ),
    Endpoint(
        "auth token",
        "post",
        lambda w: reverse("api-token"),
        lambda w: {"username": "curator-1", "password": "correct horse battery staple"},
        ObtainAuthToken.serializer_class,
        client="api_client",
    ),
]

FIELD_CASES = [
    (endpoint, name)
    for endpoint in ENDPOINTS
    for name, field in endpoint.serializer().fields.items()
    if not field.read_only
]


def send(client, method, url, body):
    return getattr(client, method)(url, body, format="json")


def assert_json_error_or_success(response):
    assert response.status_code < 500, response.content
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body, dict) and body, body
    return body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_base_body_is_accepted(request, world, endpoint):
    """The bodies below differ from these in one field only: these must succeed, or every
    case would stop at the same error before reaching the field under test."""
    client = request.getfixturevalue(endpoint.client)
    response = send(client, endpoint.method, endpoint.url(world), endpoint.body(world))
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize(("endpoint", "field"), FIELD_CASES, ids=lambda case: str(case))
def test_write_field_with_braces_or_percent_is_never_500(request, world, endpoint, field):
    client = request.getfixturevalue(endpoint.client)
    for value in HOSTILE_VALUES:
        body = copy.deepcopy(endpoint.body(world))
        if endpoint.nested:
            body[endpoint.nested][0][field] = value
        else:
            body[field] = value
        response = send(client, endpoint.method, endpoint.url(world), body)
        errors = assert_json_error_or_success(response)
        if isinstance(value, dict):
            # Wrong in type for every field there is: a 400 that names the field.
            assert response.status_code == 400, response.content
            assert (endpoint.nested or field) in errors, errors


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if "aliases" in e.serializer().fields], ids=str)
def test_alias_that_is_not_a_name_is_400(request, world, endpoint):
    client = request.getfixturevalue(endpoint.client)
    body = {**endpoint.body(world), "aliases": [0]}
    response = send(client, endpoint.method, endpoint.url(world), body)
    assert response.status_code == 400
    assert response.json() == {"aliases": {"0": ["Give an alias as a name or as {name, language, kind}."]}}


def first_message(errors):
    while isinstance(errors, (dict, list)):
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return errors


@pytest.mark.parametrize(
    ("endpoint_name", "change", "expected"),
    [
        (
            "claims create",
            lambda body: body["spans"][0].update(exact=HOSTILE),
            f"Span 1: The quote {HOSTILE!r} does not occur in the document.",
        ),
        ("claims create", lambda body: body.update(date=f"2021/{HOSTILE}"), None),
        ("people create", lambda body: body.update(aliases=[{"name": "Ex", "kind": HOSTILE}]), f'"{HOSTILE}"'),
        ("organisations create", lambda body: body.update(type=HOSTILE), f'"{HOSTILE}" is not a valid choice.'),
        ("events create", lambda body: body.update(date=HOSTILE), None),
        (
            "suggestions accept",
            lambda body: body.update(keys=[HOSTILE]),
            f"{HOSTILE!r} is not a suggestion key (entity:start:end).",
        ),
        (
            "suggestions reject",
            lambda body: body.update(keys=[HOSTILE]),
            f"{HOSTILE!r} is not a suggestion key (entity:start:end).",
        ),
    ],
)
def test_message_quoting_the_input_quotes_it_as_sent(request, world, endpoint_name, change, expected):
    endpoint = next(e for e in ENDPOINTS if e.name == endpoint_name)
    client = request.getfixturevalue(endpoint.client)
    body = endpoint.body(world)
    change(body)
    response = send(client, endpoint.method, endpoint.url(world), body)
    assert response.status_code == 400, response.content
    message = first_message(response.json())
    if expected is None:  # the message quotes the input somewhere in its wording
        assert HOSTILE in message, message
    else:
        assert expected in message, message


def test_auth_token_with_braces_or_percent_is_400(api_client, world):
    response = api_client.post(reverse("api-token"), {"username": HOSTILE, "password": HOSTILE}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


LIST_VIEWSETS = {
    "claim": ClaimViewSet,
    "person": PersonViewSet,
    "organisation": OrganisationViewSet,
    "event": EventViewSet,
    "document": DocumentViewSet,
    "country": CountryViewSet,
    "entity": EntityViewSet,
}
LIST_FILTERS = [
    (basename, name) for basename, view in LIST_VIEWSETS.items() for name in view.filterset_class.base_filters
]


@pytest.mark.parametrize(("basename", "name"), LIST_FILTERS, ids=lambda case: str(case))
def test_filter_with_braces_or_percent_is_never_500(api_client, world, basename, name):
    for value in (HOSTILE, "{", "%"):
        response = api_client.get(reverse(f"{basename}-list"), {name: value})
        assert_json_error_or_success(response)


def test_filter_date_message_quotes_the_input(api_client, world):
    response = api_client.get(reverse("claim-list"), {"date_from": HOSTILE})
    assert response.status_code == 400
    assert HOSTILE in first_message(response.json())


# --- the templates themselves ---------------------------------------------------------------


def all_fields(serializer_class):
    """Every input field of a serializer, nested serializers and list items included."""
    pending = list(serializer_class().fields.values())
    while pending:
        field = pending.pop()
        yield field
        if isinstance(field, serializers.BaseSerializer) and hasattr(field, "child"):
            pending.append(field.child)
        elif isinstance(field, serializers.Serializer):
            pending.extend(field.fields.values())
        elif isinstance(field, serializers.ListField):
            pending.append(field.child)


@pytest.mark.parametrize(
    "serializer_class", sorted({e.serializer for e in ENDPOINTS}, key=str), ids=lambda c: c.__name__
)
def test_field_error_templates_are_templates(serializer_class):
    """DRF's `fail()` runs a field's message through str.format with named arguments: a
    literal brace must be doubled, or the message raises instead of being shown."""
    for field in all_fields(serializer_class):
        for key, template in field.error_messages.items():
            names = [name for _, name, _, _ in string.Formatter().parse(str(template)) if name is not None]
            assert all(name.isidentifier() for name in names), (field, key, template)


class _AnyParams(dict):
    def __missing__(self, key):
        return 0


@pytest.mark.parametrize("basename", LIST_VIEWSETS)
def test_filter_error_templates_are_templates(basename):
    """django-filter shows a form's errors as `message % (params or ())`: a literal percent
    sign must be doubled, and input must be quoted through params, never in the message."""
    for field in LIST_VIEWSETS[basename].filterset_class().form.fields.values():
        for template in field.error_messages.values():
            str(template) % _AnyParams()  # raises on a lone "%"
