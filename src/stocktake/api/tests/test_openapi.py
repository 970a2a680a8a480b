"""The OpenAPI document describes the API as the code serves it."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

NOT_ENDPOINTS = {"/api/v1/openapi.json", "/api/v1/docs/"}


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def _routes(patterns, prefix: str = "/") -> set[str]:
    routes = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes |= _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name != "api-no-endpoint":
            routes.add(prefix + str(pattern.pattern))
    return routes


def api_routes() -> set[str]:
    """Every route under /api/v1/, written as OpenAPI paths ({name}; drf-spectacular calls
    the primary key `id`)."""
    routes = {
        route for route in _routes(get_resolver().url_patterns) if route.startswith("/api/v1/")
    }
    return {
        re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else "{" + m[1] + "}", route)
        for route in routes
    } - NOT_ENDPOINTS


def test_openapi_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/vocabularies/{scheme}/" in document["paths"]
    assert "404" in document["paths"]["/api/v1/vocabularies/{scheme}/"]["get"]["responses"]


def test_the_document_is_valid_openapi(document):
    validate_schema(document)


def test_every_api_route_is_documented_and_every_documented_path_exists(document):
    routes = api_routes()
    assert "/api/v1/initiatives/{id}/draft/" in routes
    assert routes == set(document["paths"])


def test_every_error_response_is_a_problem_document(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "406", "429"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, code)


def test_writes_document_their_versioning(document):
    put = document["paths"]["/api/v1/initiatives/{id}/draft/"]["put"]
    headers = {p["name"]: p for p in put["parameters"] if p["in"] == "header"}
    assert headers["If-Match"]["required"] is True
    assert {"412", "428", "409", "403"} <= set(put["responses"])
    assert "ETag" in put["responses"]["200"]["headers"]
    create = document["paths"]["/api/v1/initiatives/"]["post"]
    assert "ETag" in create["responses"]["201"]["headers"]


def test_goal_evidence_is_documented_beside_the_goals(document):
    schemas = document["components"]["schemas"]
    for name in ("Content", "ContentRequest", "PatchedContentRequest"):
        properties = schemas[name]["properties"]
        assert properties["sdg_goals"]["type"] == "array"  # unchanged: a list of codes
        evidence = properties["sdg_goal_evidence"]
        assert evidence["type"] == "object", name
        assert evidence["additionalProperties"] == {"type": "string", "maxLength": 5000}
    assert "goals" in schemas["ClassificationTerm"]["properties"]["evidence"]["description"]


@pytest.mark.django_db
def test_interactive_docs_are_self_hosted(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "//unpkg" not in html and "jsdelivr" not in html
