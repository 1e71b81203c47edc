"""The OpenAPI schema generates without warnings, validates, describes every public
filter with help text, and its docs pages load nothing from another host."""

import re

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

PUBLIC_FILTERS = {
    "countries": {"q", "iso"},
    "people": {"q", "nationality", "organisation"},
    "organisations": {"q", "type", "country"},
    "events": {"q", "type", "status", "participant", "country", "date_from", "date_to"},
    "claims": {
        "q",
        "subject",
        "object",
        "entity",
        "predicate",
        "event",
        "document",
        "attributed_to",
        "fact",
        "rank",
        "modality",
        "polarity",
        "status",
        "date_from",
        "date_to",
    },
    "documents": {"q", "published_from", "published_to", "curation_state", "assignee"},
    "entities": {"q", "kind"},
    "predicates": set(),
    "facts": {"q", "subject", "object", "predicate", "min_sources", "contradicted", "rank", "date_from", "date_to"},
    "contradictions": {"resolved", "kind", "fact"},
}
PAGINATION = {"page", "page_size", "cursor"}
FORMAT = {"format"}  # ?format=json|csv: lists also render as CSV (api/renderers.py)
FACETED = {"claims", "entities", "events"}  # ?facets= (api/facets.py)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings_and_validates(tmp_path, db):
    # --fail-on-warn turns every drf-spectacular warning (an unresolvable type, an enum
    # collision) into a failure; --validate checks it against the OpenAPI 3 JSON schema.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_schema_validates_as_openapi_3(schema):
    validate_schema(schema)


def test_schema_descriptions_are_written_for_clients(schema):
    # A view's docstring becomes an operation's description when the operation has none of
    # its own: the published text must not describe the code (module paths, class names).
    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str):
                    yield value
                else:
                    yield from texts(value)
        elif isinstance(node, list):
            for item in node:
                yield from texts(item)

    internal = re.compile(r"\b(api|factbase|tests)/(?!v1/)\w|\w\.py\b|\b\w+(Serializer|ViewSet|Mixin|QuerySet)\b")
    assert [text for text in texts(schema) if internal.search(text)] == []


@pytest.mark.parametrize("resource", PUBLIC_FILTERS)
def test_schema_lists_every_design_filter_with_help_text(schema, resource):
    parameters = {p["name"]: p for p in schema["paths"][f"/api/v1/{resource}/"]["get"]["parameters"]}
    expected = PUBLIC_FILTERS[resource] | PAGINATION | FORMAT | ({"ordering"} if resource != "predicates" else set())
    expected |= {"facets"} if resource in FACETED else set()
    assert set(parameters) == expected
    assert [name for name, p in parameters.items() if not p.get("description")] == []


def test_schema_documents_the_errors_each_operation_can_answer(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/claims/"]["get"]["responses"]) == {"200", "400", "401", "404"}
    assert set(paths["/api/v1/claims/"]["post"]["responses"]) == {"201", "400", "401", "403", "404", "409"}
    assert set(paths["/api/v1/claims/{id}/"]["get"]["responses"]) == {"200", "401", "404"}
    assert set(paths["/api/v1/claims/{id}/"]["delete"]["responses"]) == {"204", "400", "401", "403", "404", "409"}
    assert set(paths["/api/v1/claims/{id}/publish/"]["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
    }
    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400"}


def test_schema_write_bodies_are_the_write_contract(schema):
    components = schema["components"]["schemas"]
    claim_write = components["ClaimWriteRequest"]
    assert claim_write["required"] == ["predicate", "spans", "subject"]
    assert set(claim_write["properties"]) == {
        "subject",
        "predicate",
        "object",
        "value",
        "value_number",
        "event",
        "attributed_to",
        "attribution",
        "modality",
        "polarity",
        "confidence",
        "notes",
        "date",
        "date_text",
        "spans",
    }
    assert set(components["DocumentWriteRequest"]["properties"]) == {
        "title",
        "text",
        "published",
        "publisher",
        "url",
        "language",
    }


def test_schema_endpoint_serves_the_schema(api_client, db):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Factbase API"


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_load_every_asset_from_this_server(client, db, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page references its scripts"
    assert [url for url in assets if not url.startswith("/")] == []
    assert re.findall(r"https?://", html) == []
    # The bundles themselves may reach out (Redoc's footer logo is on cdn.redoc.ly): the
    # page's policy lets the browser load nothing from another host.
    assert response["Content-Security-Policy"].startswith("default-src 'self';")
    assert "http" not in response["Content-Security-Policy"]
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        asset.close()  # WhiteNoise streams the file
